// Instructions that move the system flags: PUSHF/POPF (SDM Vol. 2B PUSHF, POPF "Operation"),
// CLI/STI (Vol. 2A CLI, Vol. 2B STI; Vol. 3A 20.2.5 for virtual-8086 mode), CLAC/STAC.
// VME/PVI (virtual interrupt flags) are not implemented and not advertised.
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

// Virtual-8086 mode without VME: the flag instructions need IOPL 3 (20.2.7).
void check_v86_iopl(CpuState& c) {
    if (c.vm86 && iopl_of(c) < 3) raise_gp0(c);
}

// PUSHF: the 32/64-bit image has VM and RF cleared (EFLAGS AND 00FCFFFFH).
template <typename T>
void h_pushf(CpuState& c, const Op&) {
    check_v86_iopl(c);
    u64 v = read_rflags(c);
    if constexpr (sizeof(T) > 2) v &= ~(VM | RF);
    push_value(c, static_cast<T>(v), sizeof(T));
}

// POPF: which bits load depends on the mode, CPL and IOPL (SDM Vol. 2B POPF table);
// VM, VIF and VIP never change; RF is cleared by the 32/64-bit forms.
template <typename T>
void h_popf(CpuState& c, const Op& o) {
    check_v86_iopl(c);
    const u64 v = pop_value(c, sizeof(T));
    u64 mask = CF | PF | AF | ZF | SF | TF | DF | OF | NT | AC | ID;
    if (!c.pe || (!c.vm86 && c.cpl == 0)) mask |= IF | IOPL;     // real mode or CPL 0
    else if (c.vm86 || c.cpl <= iopl_of(c)) mask |= IF;          // IOPL is kept
    if constexpr (sizeof(T) == 2) mask &= 0xffff;
    u64 f = (read_rflags(c) & ~mask) | (v & mask);
    if constexpr (sizeof(T) > 2) f &= ~RF;
    write_rflags_raw(c, f);
    update_mode(c);  // AC changes the supervisor MMU index under SMAP
    end_block(c, o.next_rip);  // IF, TF or AC may have changed
}

// CLI/STI: allowed in real mode, at CPL <= IOPL, or in virtual-8086 mode with IOPL 3.
bool if_writable(const CpuState& c) {
    return !c.pe || (c.vm86 ? iopl_of(c) == 3 : c.cpl <= iopl_of(c));
}
void h_cli(CpuState& c, const Op&) {
    if (!if_writable(c)) raise_gp0(c);
    c.eflags &= ~IF;
}
void h_sti(CpuState& c, const Op& o) {
    if (!if_writable(c)) raise_gp0(c);
    // SDM Vol. 3A 6.8.3: setting IF delays recognition until after the next instruction.
    if (!(c.eflags & IF)) c.irq_inhibit = true;
    c.eflags |= IF;
    end_block(c, o.next_rip);
}

// CLAC/STAC: CPL 0 only (#UD otherwise, including virtual-8086 mode).
template <bool Set>
void h_ac(CpuState& c, const Op&) {
    if (c.cpl != 0) raise_ud(c);
    if (Set) c.eflags |= AC;
    else c.eflags &= ~AC;
    update_mode(c);  // MMU_KERNEL vs MMU_KERNEL_AC
}

template <template <typename> class H>
Handler by_size(unsigned opsize) {
    return opsize == 2 ? &H<u16>::run : opsize == 4 ? &H<u32>::run : &H<u64>::run;
}
template <typename T> struct Pushf { static void run(CpuState& c, const Op& o) { h_pushf<T>(c, o); } };
template <typename T> struct Popf { static void run(CpuState& c, const Op& o) { h_popf<T>(c, o); } };

}  // namespace

Handler bind_pushf(const DecodedInsn& d, Op&) { return by_size<Pushf>(d.opsize); }
Handler bind_popf(const DecodedInsn& d, Op&) { return by_size<Popf>(d.opsize); }
Handler bind_cli(const DecodedInsn&, Op&) { return &h_cli; }
Handler bind_sti(const DecodedInsn&, Op&) { return &h_sti; }
Handler bind_clac(const DecodedInsn&, Op&) { return &h_ac<false>; }
Handler bind_stac(const DecodedInsn&, Op&) { return &h_ac<true>; }

}  // namespace vireo::x86
