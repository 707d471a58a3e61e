// CPU state dump and disassembly (cpu_dump.h). Capstone is only used here, for logs.
#include "frontend-x86/cpu_dump.h"

#include <capstone/capstone.h>
#include <cstdio>
#include "frontend-x86/flags.h"

namespace vireo::x86 {

namespace {
void seg_line(std::string& s, const char* name, const Segment& sg, bool wide) {
    char b[96];
    if (wide)
        std::snprintf(b, sizeof b, "%s=%04x %016llx %08x %08x\n", name, sg.sel,
                      static_cast<unsigned long long>(sg.base), sg.limit, static_cast<u32>(sg.attr) << 8);
    else
        std::snprintf(b, sizeof b, "%s=%04x %08x %08x %08x\n", name, sg.sel, static_cast<u32>(sg.base),
                      sg.limit, static_cast<u32>(sg.attr) << 8);
    s += b;
}
}  // namespace

std::string dump_cpu_state(const CpuState& c) {
    // Layout of QEMU's x86_cpu_dump_state(): 64-bit registers when EFER.LMA, else 32-bit.
    const bool wide = c.efer & EFER_LMA;
    const u64 fl = read_rflags(c);
    char flagstr[8] = {fl & DF ? 'D' : '-', fl & OF ? 'O' : '-', fl & SF ? 'S' : '-', fl & ZF ? 'Z' : '-',
                       fl & AF ? 'A' : '-', fl & PF ? 'P' : '-', fl & CF ? 'C' : '-', 0};
    std::string s;
    char b[256];
    if (wide) {
        static const char* n[16] = {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
                                    "R8 ", "R9 ", "R10", "R11", "R12", "R13", "R14", "R15"};
        static const int idx[16] = {RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, 8, 9, 10, 11, 12, 13, 14, 15};
        for (int i = 0; i < 16; i++) {
            std::snprintf(b, sizeof b, "%s=%016llx%s", n[i], static_cast<unsigned long long>(c.gpr[idx[i]]),
                          (i % 4 == 3) ? "\n" : " ");
            s += b;
        }
        std::snprintf(b, sizeof b, "RIP=%016llx RFL=%08x [%s] CPL=%d II=%d A20=1 SMM=0 HLT=%d\n",
                      static_cast<unsigned long long>(c.rip), static_cast<u32>(fl), flagstr, c.cpl,
                      c.irq_inhibit, c.halted);
    } else {
        std::snprintf(b, sizeof b,
                      "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\nESI=%08x EDI=%08x EBP=%08x ESP=%08x\n"
                      "EIP=%08x EFL=%08x [%s] CPL=%d II=%d A20=1 SMM=0 HLT=%d\n",
                      static_cast<u32>(c.gpr[RAX]), static_cast<u32>(c.gpr[RBX]), static_cast<u32>(c.gpr[RCX]),
                      static_cast<u32>(c.gpr[RDX]), static_cast<u32>(c.gpr[RSI]), static_cast<u32>(c.gpr[RDI]),
                      static_cast<u32>(c.gpr[RBP]), static_cast<u32>(c.gpr[RSP]), static_cast<u32>(c.rip),
                      static_cast<u32>(fl), flagstr, c.cpl, c.irq_inhibit, c.halted);
    }
    s += b;
    static const char* sn[6] = {"ES ", "CS ", "SS ", "DS ", "FS ", "GS "};
    for (int i = 0; i < 6; i++) seg_line(s, sn[i], c.seg[i], wide);
    seg_line(s, "LDT", c.ldtr, wide);
    seg_line(s, "TR ", c.tr, wide);  // QEMU pads names to three columns
    if (wide) {
        std::snprintf(b, sizeof b, "GDT=     %016llx %08x\nIDT=     %016llx %08x\n",
                      static_cast<unsigned long long>(c.gdtr.base), c.gdtr.limit,
                      static_cast<unsigned long long>(c.idtr.base), c.idtr.limit);
        s += b;
        std::snprintf(b, sizeof b, "CR0=%08x CR2=%016llx CR3=%016llx CR4=%08x\n", static_cast<u32>(c.cr0),
                      static_cast<unsigned long long>(c.cr2), static_cast<unsigned long long>(c.cr3),
                      static_cast<u32>(c.cr4));
    } else {
        std::snprintf(b, sizeof b, "GDT=     %08x %08x\nIDT=     %08x %08x\n", static_cast<u32>(c.gdtr.base),
                      c.gdtr.limit, static_cast<u32>(c.idtr.base), c.idtr.limit);
        s += b;
        std::snprintf(b, sizeof b, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", static_cast<u32>(c.cr0),
                      static_cast<u32>(c.cr2), static_cast<u32>(c.cr3), static_cast<u32>(c.cr4));
    }
    s += b;
    std::snprintf(b, sizeof b, "EFER=%016llx\n", static_cast<unsigned long long>(c.efer));
    s += b;
    return s;
}

std::string disassemble_line(unsigned code_size, u64 addr, const u8* bytes, size_t len) {
    csh h;
    cs_mode mode = code_size == 64 ? CS_MODE_64 : code_size == 32 ? CS_MODE_32 : CS_MODE_16;
    char b[256];
    if (cs_open(CS_ARCH_X86, mode, &h) != CS_ERR_OK) return "(capstone unavailable)\n";
    cs_insn* insn = nullptr;
    size_t n = cs_disasm(h, bytes, len, addr, 1, &insn);
    if (n) {
        std::snprintf(b, sizeof b, "0x%08llx:  %s %s\n", static_cast<unsigned long long>(addr), insn[0].mnemonic,
                      insn[0].op_str);
        cs_free(insn, n);
    } else {
        std::snprintf(b, sizeof b, "0x%08llx:  (bad)\n", static_cast<unsigned long long>(addr));
    }
    cs_close(&h);
    return b;
}

}  // namespace vireo::x86
