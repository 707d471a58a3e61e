// Shared pieces of the MMX-register semantics (mmx.cc and the SSSE3 MMX forms in ssse3.cc): MMn
// access through the x87 register file, the MMX state transition, the exception checks, and the
// "mm = F(mm, mm/m64)" handler over the SSE lane helpers at N = 8 (sse_common.h).
#pragma once
#include "frontend-x86/semantics/sse_common.h"
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

// ---------------------------------------------------------------- MMX state (SDM Vol. 1 9.5)
// MMi is the significand (bits 63:0) of physical x87 register R i, independent of TOP
// (Vol. 1 9.5, Figure 9-2).
VIREO_ALWAYS_INLINE u64 mm_get(const CpuState& c, unsigned i) {
    u64 v;
    std::memcpy(&v, c.x87.r[i], 8);
    return v;
}
// A write sets the exponent/sign field (bits 79:64) to all ones (Vol. 1 9.5.1, Table 9-3).
VIREO_ALWAYS_INLINE void mm_set(CpuState& c, unsigned i, u64 v) {
    std::memcpy(c.x87.r[i], &v, 8);
    c.x87.r[i][8] = 0xff;
    c.x87.r[i][9] = 0xff;
}
// Every MMX instruction but EMMS sets TOP to 0 and tags all registers valid (Vol. 1 9.5.1,
// Table 9-3: abridged tag word FFH). Done once the instruction can no longer fault, after its
// memory accesses. FOP/FIP/FDP are left alone (MMX instructions are not x87 instructions, 8.1.8).
VIREO_ALWAYS_INLINE void mmx_state(CpuState& c) {
    fpu_set_top(c, 0);
    c.x87.ftw = 0xff;
}
// The MMX instruction pages (Vol. 3B Tables 23-7/23-8, "Legacy SIMD/MMX Instructions without
// FP Exception" / "without Memory Reference"): #UD when CR0.EM = 1, #NM when CR0.TS = 1, then #MF
// for a pending unmasked x87 exception (reported before the MMX instruction runs).
VIREO_ALWAYS_INLINE void mmx_check(CpuState& c) {
    if (VIREO_UNLIKELY(c.cr0 & CR0_EM)) raise_ud(c);
    x87_enter(c, true);
}
// The forms that also touch XMM/MXCSR (MOVQ2DQ, MOVDQ2Q, CVTPI2PS, ...: Vol. 3B Table 23-5
// "Legacy SIMD/MMX Instructions with XMM and FP Exception", the MOVQ2DQ/MOVDQ2Q pages): the
// legacy-SSE checks (EM/OSFXSR #UD, TS #NM) and then, when the form transitions to MMX state,
// the pending x87 exception (#MF).
template <bool Transition>
VIREO_ALWAYS_INLINE void mmx_sse_check(CpuState& c) {
    sse_check(c);
    if (Transition) x87_enter(c, true);
}

// MMX register numbers ignore REX.R/REX.B (SDM Vol. 2A 2.2.1, REX prefixes: they extend the
// GPR and XMM register fields; there are only MM0-MM7). Checked natively (mm9 = mm1).
VIREO_ALWAYS_INLINE bool mmx_fill(const DecodedInsn& d, Op& op) {
    op.r0 = d.reg & 7;
    op.r1 = d.rm & 7;
    if (d.mem) fill_mem(d, op);
    op.imm = d.imm;
    return d.mem;
}

// A 64-bit source (mm/m64), or the 32 bits the PUNPCKL* forms read (mm/m32, SDM Vol. 2B
// PUNPCKLBW: only the low doubleword of memory is accessed).
template <bool Mem, unsigned SrcBytes>
VIREO_ALWAYS_INLINE u64 mm_src(CpuState& c, const Op& o) {
    if constexpr (!Mem) return mm_get(c, o.r1);
    else if constexpr (SrcBytes == 4) return mem_read<u32>(c, o.seg, op_ea(c, o));
    else return mem_read<u64>(c, o.seg, op_ea(c, o));
}
VIREO_ALWAYS_INLINE V128 v64(u64 x) {
    V128 v{};
    v.set<u64>(0, x);
    return v;
}

using MmVecOp = void (*)(V128& d, const V128& s);

// mm = F(mm, mm/m64).
template <MmVecOp F, unsigned SrcBytes, bool Mem>
void h_mm(CpuState& c, const Op& o) {
    mmx_check(c);
    const V128 s = v64(mm_src<Mem, SrcBytes>(c, o));
    V128 d = v64(mm_get(c, o.r0));
    F(d, s);
    mmx_state(c);
    mm_set(c, o.r0, d.get<u64>(0));
}
template <MmVecOp F, unsigned SrcBytes = 8>
Handler bind_mm(const DecodedInsn& d, Op& op) {
    return mmx_fill(d, op) ? &h_mm<F, SrcBytes, true> : &h_mm<F, SrcBytes, false>;
}

}  // namespace vireo::x86
