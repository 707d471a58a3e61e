// System-instruction semantics: the binders each file provides (system.cc lists them in its
// SemEntry table) and the small checks they share.
#pragma once
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {

// ---- checks shared by the handlers ----
inline unsigned iopl_of(const CpuState& c) { return (c.eflags & IOPL) >> 12; }
// Privileged instructions: #GP(0) unless CPL = 0 (virtual-8086 mode runs at CPL 3).
inline void require_cpl0(CpuState& c) {
    if (c.cpl != 0) raise_gp0(c);
}
// EDX:EAX = v, upper halves of RDX/RAX cleared (RDMSR, RDTSC, XGETBV, ...).
inline void set_edx_eax(CpuState& c, u64 v) {
    c.gpr[RAX] = static_cast<u32>(v);
    c.gpr[RDX] = static_cast<u32>(v >> 32);
}
// Instructions that are not recognized in real-address or virtual-8086 mode: #UD.
inline void require_protected(CpuState& c) {
    if (!c.pe || c.vm86) raise_ud(c);
}
// ea + n wrapped to the address size (the second part of a far pointer or a table register).
inline u64 ea_plus(const Op& o, u64 ea, u64 n) {
    const u64 v = ea + n;
    return o.addrsize == 8 ? v : o.addrsize == 4 ? static_cast<u32>(v) : static_cast<u16>(v);
}
// Only ZF changes (LAR, LSL, VERR, VERW, ARPL).
inline void set_zf(CpuState& c, bool on) {
    const u64 f = compute_arith_flags(c);
    set_flags_eager(c, on ? f | ZF : f & ~ZF);
}

// A far transfer's new RIP: within the target's limit, or canonical for 64-bit code; else
// #GP(0) (SDM Vol. 2A JMP/CALL, Vol. 2B RET, IRET).
void check_far_target_ip(CpuState& c, u64 code_desc, u64 ip);

// ---- binders ----
// system_mov.cc: MOV Sreg/CRn/DRn, PUSH/POP Sreg, LDS/LES/LFS/LGS/LSS
Handler bind_system_mov(const DecodedInsn& d, Op& op);
Handler bind_push_seg(const DecodedInsn& d, Op& op);
Handler bind_pop_seg(const DecodedInsn& d, Op& op);
Handler bind_lds(const DecodedInsn& d, Op& op);
Handler bind_les(const DecodedInsn& d, Op& op);
Handler bind_lfs(const DecodedInsn& d, Op& op);
Handler bind_lgs(const DecodedInsn& d, Op& op);
Handler bind_lss(const DecodedInsn& d, Op& op);
// far_branch.cc: JMP/CALL/RET far
Handler bind_far_jmp(const DecodedInsn& d, Op& op);
Handler bind_far_call(const DecodedInsn& d, Op& op);
Handler bind_lret(const DecodedInsn& d, Op& op);
// iret.cc
Handler bind_iret(const DecodedInsn& d, Op& op);
// interrupt_insns.cc: INT n, INT3, INTO, INT1, BOUND
Handler bind_int(const DecodedInsn& d, Op& op);
Handler bind_int3(const DecodedInsn& d, Op& op);
Handler bind_into(const DecodedInsn& d, Op& op);
Handler bind_int1(const DecodedInsn& d, Op& op);
Handler bind_bound(const DecodedInsn& d, Op& op);
// flag_insns.cc: PUSHF/POPF, CLI/STI, CLAC/STAC
Handler bind_pushf(const DecodedInsn& d, Op& op);
Handler bind_popf(const DecodedInsn& d, Op& op);
Handler bind_cli(const DecodedInsn& d, Op& op);
Handler bind_sti(const DecodedInsn& d, Op& op);
Handler bind_clac(const DecodedInsn& d, Op& op);
Handler bind_stac(const DecodedInsn& d, Op& op);
// descriptor_insns.cc: LGDT/LIDT/SGDT/SIDT, LLDT/LTR/SLDT/STR, LAR/LSL/VERR/VERW, ARPL,
// LMSW/SMSW
Handler bind_lgdt(const DecodedInsn& d, Op& op);
Handler bind_lidt(const DecodedInsn& d, Op& op);
Handler bind_sgdt(const DecodedInsn& d, Op& op);
Handler bind_sidt(const DecodedInsn& d, Op& op);
Handler bind_lldt(const DecodedInsn& d, Op& op);
Handler bind_ltr(const DecodedInsn& d, Op& op);
Handler bind_sldt(const DecodedInsn& d, Op& op);
Handler bind_str(const DecodedInsn& d, Op& op);
Handler bind_lar(const DecodedInsn& d, Op& op);
Handler bind_lsl(const DecodedInsn& d, Op& op);
Handler bind_verr(const DecodedInsn& d, Op& op);
Handler bind_verw(const DecodedInsn& d, Op& op);
Handler bind_arpl(const DecodedInsn& d, Op& op);
Handler bind_lmsw(const DecodedInsn& d, Op& op);
Handler bind_smsw(const DecodedInsn& d, Op& op);
// fast_syscall.cc: SYSCALL/SYSRET, SYSENTER/SYSEXIT
Handler bind_syscall(const DecodedInsn& d, Op& op);
Handler bind_sysret(const DecodedInsn& d, Op& op);
Handler bind_sysenter(const DecodedInsn& d, Op& op);
Handler bind_sysexit(const DecodedInsn& d, Op& op);
// io_insns.cc: IN/OUT
Handler bind_in(const DecodedInsn& d, Op& op);
Handler bind_out(const DecodedInsn& d, Op& op);

}  // namespace vireo::x86
