// Fast system calls: SYSCALL/SYSRET (SDM Vol. 2B; AMD APM Vol. 3 for the legacy-mode forms
// AMD models allow) and SYSENTER/SYSEXIT (SDM Vol. 2B). They load flat CS/SS caches from
// MSRs without reading descriptors.
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/segmentation.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

// Flat 4-GiB segment caches (base 0, limit 0xfffff pages). attr: P, S, DPL, type plus
// G, D/B, L as the instruction pages give them.
enum : u16 {
    kCode64 = SEG_ATTR_P | SEG_ATTR_S | 0xb | SEG_ATTR_L | SEG_ATTR_G,    // exec/read, accessed
    kCode32 = SEG_ATTR_P | SEG_ATTR_S | 0xb | SEG_ATTR_DB | SEG_ATTR_G,
    kData = SEG_ATTR_P | SEG_ATTR_S | 0x3 | SEG_ATTR_DB | SEG_ATTR_G,     // read/write, accessed
};

void load_flat(CpuState& c, u8 seg, u16 sel, u16 attr, u8 dpl) {
    Segment& s = c.seg[seg];
    s.sel = sel;
    s.base = 0;
    s.limit = 0xffffffff;
    s.attr = static_cast<u16>(attr | (dpl << 5));
}

// Finish a transfer: CS and SS were replaced directly, the CPL is `cpl`.
void finish(CpuState& c, u8 cpl) {
    c.cpl = cpl;
    update_mode(c);
    segments_update_access(c);
}

bool amd(const CpuState& c) { return cpu_model_of(c).vendor == Vendor::Amd; }

// SYSCALL: #UD without EFER.SCE; Intel allows it only in 64-bit mode, AMD also in legacy
// and compatibility mode (APM: CSTAR entry from compatibility mode, STAR[31:0] in legacy).
void h_syscall(CpuState& c, const Op& o) {
    if (!(c.efer & EFER_SCE) || (!c.long64 && !(amd(c) && c.pe))) raise_ud(c);
    const u16 cs = static_cast<u16>(c.star >> 32) & 0xfffc;
    const u64 flags = read_rflags(c);
    if (c.efer & EFER_LMA) {
        c.gpr[RCX] = o.next_rip;
        c.gpr[R11] = flags & ~RF;
        write_rflags_raw(c, flags & ~c.sfmask & ~(RF | VM));
        load_flat(c, CS, cs, kCode64, 0);  // from compatibility mode (AMD) too
        c.rip = c.long64 ? c.lstar : c.cstar;
    } else {
        c.gpr[RCX] = static_cast<u32>(o.next_rip);
        write_rflags_raw(c, flags & ~(VM | IF | RF));
        load_flat(c, CS, cs, kCode32, 0);
        c.rip = static_cast<u32>(c.star);
    }
    load_flat(c, SS, static_cast<u16>(cs + 8), kData, 0);
    finish(c, 0);
    end_block(c, c.rip);
}

// SYSRET: to CPL 3; REX.W returns to 64-bit code at RCX (canonical, else #GP(0)), otherwise
// to 32-bit code at ECX. RFLAGS comes from R11 (SDM: R11 & 3C7FD7H | 2).
void h_sysret(CpuState& c, const Op& o) {
    if (!(c.efer & EFER_SCE) || (!c.long64 && !(amd(c) && c.pe))) raise_ud(c);
    if (c.cpl != 0) raise_gp0(c);
    const u16 base = static_cast<u16>(c.star >> 48);
    if (c.efer & EFER_LMA) {
        if (o.opsize == 8) {
            if (!is_canonical(c, c.gpr[RCX])) raise_gp0(c);
            load_flat(c, CS, static_cast<u16>((base + 16) | 3), kCode64, 3);
            c.rip = c.gpr[RCX];
        } else {
            load_flat(c, CS, static_cast<u16>(base | 3), kCode32, 3);
            c.rip = static_cast<u32>(c.gpr[RCX]);
        }
        write_rflags_raw(c, (c.gpr[R11] & 0x3c7fd7) | 2);
    } else {
        load_flat(c, CS, static_cast<u16>(base | 3), kCode32, 3);
        c.rip = static_cast<u32>(c.gpr[RCX]);
        c.eflags |= IF;
    }
    load_flat(c, SS, static_cast<u16>((base + 8) | 3), kData, 3);
    finish(c, 3);
    end_block(c, c.rip);
}

// SYSENTER: #GP(0) in real mode or with IA32_SYSENTER_CS = 0. Enters CPL 0 with VM, IF, RF
// cleared; in IA-32e mode the code segment is 64-bit. (AMD CPUs #UD it in long mode; Vireo
// accepts it there for every model, as QEMU does.)
void h_sysenter(CpuState& c, const Op&) {
    if (!c.pe || (c.sysenter_cs & 0xfffc) == 0) raise_gp0(c);
    const bool lma = c.efer & EFER_LMA;
    const u16 cs = static_cast<u16>(c.sysenter_cs & 0xfffc);
    c.eflags &= ~(VM | IF | RF);
    load_flat(c, CS, cs, lma ? kCode64 : kCode32, 0);
    load_flat(c, SS, static_cast<u16>(cs + 8), kData, 0);
    c.gpr[RSP] = lma ? c.sysenter_esp : static_cast<u32>(c.sysenter_esp);
    c.rip = lma ? c.sysenter_eip : static_cast<u32>(c.sysenter_eip);
    finish(c, 0);
    end_block(c, c.rip);
}

// SYSEXIT: CPL 0 only; REX.W returns to 64-bit code (CS = SYSENTER_CS+32, SS = +40, RIP = RDX,
// RSP = RCX, both canonical), otherwise 32-bit (CS = +16, SS = +24).
void h_sysexit(CpuState& c, const Op& o) {
    if (!c.pe || (c.sysenter_cs & 0xfffc) == 0 || c.cpl != 0) raise_gp0(c);
    const u16 base = static_cast<u16>(c.sysenter_cs);
    if (o.opsize == 8) {
        if (!is_canonical(c, c.gpr[RDX]) || !is_canonical(c, c.gpr[RCX])) raise_gp0(c);
        load_flat(c, CS, static_cast<u16>((base + 32) | 3), kCode64, 3);
        load_flat(c, SS, static_cast<u16>((base + 40) | 3), kData, 3);
        c.gpr[RSP] = c.gpr[RCX];
        c.rip = c.gpr[RDX];
    } else {
        load_flat(c, CS, static_cast<u16>((base + 16) | 3), kCode32, 3);
        load_flat(c, SS, static_cast<u16>((base + 24) | 3), kData, 3);
        c.gpr[RSP] = static_cast<u32>(c.gpr[RCX]);
        c.rip = static_cast<u32>(c.gpr[RDX]);
    }
    finish(c, 3);
    end_block(c, c.rip);
}

}  // namespace

Handler bind_syscall(const DecodedInsn&, Op&) { return &h_syscall; }
Handler bind_sysret(const DecodedInsn&, Op&) { return &h_sysret; }
Handler bind_sysenter(const DecodedInsn&, Op&) { return &h_sysenter; }
Handler bind_sysexit(const DecodedInsn&, Op&) { return &h_sysexit; }

}  // namespace vireo::x86
