// Reset and derived-mode bookkeeping of the CPU state.
#include "frontend-x86/cpu_state.h"
#include <cstring>
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/mem_access.h"

namespace vireo::x86 {

u8 mmu_rights_idx(const CpuState& c) {
    if (c.cpl == 3) return MMU_USER;
    return ((c.cr4 & CR4_SMAP) && (c.eflags & AC)) ? MMU_KERNEL_AC : MMU_KERNEL;
}

void update_mode(CpuState& c) {
    const bool lma = c.efer & EFER_LMA;
    c.pe = c.cr0 & CR0_PE;
    c.vm86 = c.pe && !lma && (c.eflags & VM);
    c.long64 = lma && c.seg[CS].l();
    if (c.long64) c.code_size = 64;
    else c.code_size = (c.pe && !c.vm86 && c.seg[CS].db()) ? 32 : 16;
    if (!c.pe) c.cpl = 0;
    else if (c.vm86) c.cpl = 3;
    c.stack_size = c.long64 ? 8 : c.seg[SS].db() ? 4 : 2;
    c.align_check = c.cpl == 3 && (c.cr0 & CR0_AM) && (c.eflags & AC);  // SDM Vol. 3A 6.15 #AC
    c.dbg_exec = false;
    c.dbg_data = false;
    for (unsigned n = 0; n < 4; n++) {
        if (!((c.dr[7] >> (2 * n)) & 3)) continue;  // Ln|Gn
        if (((c.dr[7] >> (16 + 4 * n)) & 3) == 0) c.dbg_exec = true;
        else c.dbg_data = true;
    }
    c.mmu_idx = (c.align_check || c.dbg_data) ? MMU_CHECKED : mmu_rights_idx(c);
    if (!(c.cr0 & CR0_PG)) c.paging_mode = 0;
    else if (lma) c.paging_mode = (c.cr4 & CR4_LA57) ? 5 : 4;
    else c.paging_mode = (c.cr4 & CR4_PAE) ? 3 : 2;
}

namespace {
// Access rights the fast path may allow for a segment (mem_access.h seg_linear()).
void real_mode_segment(Segment& s, u16 sel, u16 attr) {
    s.sel = sel;
    s.base = static_cast<u64>(sel) << 4;
    s.limit = 0xffff;
    s.attr = attr;
    s.access = SEG_ACC_R | SEG_ACC_W;
}
}  // namespace

void cpu_reset(CpuState& c) {
    // SDM Vol. 3A 9.1.1, Table 9-1 (power-up and RESET state).
    for (auto& r : c.gpr) r = 0;
    c.gpr[RDX] = cpu_signature(cpu_model_of(c));  // EDX = CPUID.01H:EAX after reset (SDM 9.1.4)
    c.rip = 0xfff0;
    c.eflags = 2;
    set_flags_eager(c, 0);
    for (int i = 0; i < 6; i++) real_mode_segment(c.seg[i], 0, SEG_ATTR_P | SEG_ATTR_S | 3);
    c.seg[CS].sel = 0xf000;
    c.seg[CS].base = 0xffff0000;
    c.seg[CS].attr = SEG_ATTR_P | SEG_ATTR_S | 0xb;
    c.seg[CS].access = SEG_ACC_R;  // code: readable, not writable
    c.ldtr = Segment{};
    c.ldtr.attr = SEG_ATTR_P | 2;
    c.ldtr.limit = 0xffff;
    c.tr = Segment{};
    c.tr.attr = SEG_ATTR_P | 0xb;
    c.tr.limit = 0xffff;
    c.gdtr = TableReg{};
    c.idtr = TableReg{};
    c.cr0 = CR0_ET | CR0_CD | CR0_NW;
    c.cr2 = c.cr3 = c.cr4 = c.cr8 = 0;
    c.efer = 0;
    c.xcr0 = 1;
    c.xss = 0;
    c.pkru = 0;
    c.dr[6] = 0xffff0ff0;
    c.dr[7] = 0x400;
    // SDM Vol. 3A Table 9-1: XMM registers 0, MXCSR 1F80H; x87 FCW 0040H, FSW 0, tag word
    // 5555H (every register valid, holding +0.0), pointers and opcode 0.
    for (auto& v : c.xmm) v = VecReg{};
    c.mxcsr = kMxcsrReset;
    c.x87 = X87State{};
    c.ignne = false;
    c.irq_inhibit = false;
    c.halted = false;
    c.nmi_blocked = false;
    c.cpl = 0;
    update_mode(c);
    tlb_flush_all(c);
}

void cpu_init(CpuState& c) {
    // INIT keeps the MSRs (cpu_reset does not touch them) and the x87/SSE state (SDM Vol. 3A
    // Table 9-1, INIT column: "unchanged").
    const X87State x87 = c.x87;
    const u32 mxcsr = c.mxcsr;
    VecReg xmm[16];
    std::memcpy(xmm, c.xmm, sizeof xmm);
    cpu_reset(c);
    c.x87 = x87;
    c.mxcsr = mxcsr;
    std::memcpy(c.xmm, xmm, sizeof xmm);
    c.wait_for_sipi = !(c.apic_base & 0x100);
    c.halted = c.wait_for_sipi;
}

void cpu_sipi(CpuState& c, u8 vector) {
    if (!c.wait_for_sipi) return;  // SIPIs are ignored unless the CPU waits for one (10.4.4.1)
    c.seg[CS].sel = static_cast<u16>(vector << 8);
    c.seg[CS].base = static_cast<u64>(vector) << 12;
    c.rip = 0;
    c.wait_for_sipi = false;
    c.halted = false;
}

}  // namespace vireo::x86
