// Shared by the cryptographic extensions (aes.cc, clmul.cc, sha.cc): the handler shape of their
// legacy-SSE forms and their semantics lists.
//
// Every one of them is "xmm1, xmm2/m128 (, imm8)" with xmm1 both source and destination
// (AESIMC and AESKEYGENASSIST ignore its old value; SHA256RNDS2 also reads XMM0, sha.cc). The
// AES and PCLMULQDQ forms are SIMD exception type 4 (SDM Vol. 2A 2.8, Table 2-21; the
// instruction pages' "Exceptions"): the m128 operand must be 16-byte aligned, #GP(0) otherwise.
// The SHA forms take it at any alignment (Aligned = false; why: sha.cc). The CPUID gate (AES,
// PCLMULQDQ, SHA) is the decoder's, from the table row's feature.
#pragma once
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {

namespace xmm_form {
using Fn = void (*)(V128& d, const V128& s);
using FnI = void (*)(V128& d, const V128& s, u8 imm);

// xmm1 = F(xmm1, xmm2/m128): every check and the memory read come before the write.
template <Fn F, bool Mem, bool Aligned>
void h(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<Aligned>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s);
    xmm_set(c, o.r0, d);
}
template <Fn F, bool Aligned = true>
Handler bind(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h<F, true, Aligned> : &h<F, false, Aligned>;
}

// xmm1 = F(xmm1, xmm2/m128, imm8).
template <FnI F, bool Mem, bool Aligned>
void hi(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<Aligned>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s, static_cast<u8>(o.imm));
    xmm_set(c, o.r0, d);
}
template <FnI F, bool Aligned = true>
Handler bind_i(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &hi<F, true, Aligned> : &hi<F, false, Aligned>;
}

// The VEX.128 forms (VAESENC xmm1, xmm2, xmm3/m128, VPCLMULQDQ, ...: SDM Vol. 2A AESENC "VEX.128
// encoded version"): xmm1 = F(VEX.vvvv, xmm3/m128), any alignment, bits 255:128 zeroed. VAESIMC
// and VAESKEYGENASSIST have no vvvv (reserved: the row has no H operand). Their rows carry the
// AVX feature; the instruction's own CPUID flag (Need) is checked first (#UD before #NM).
template <Feature Need, Fn F, bool Mem>
void hv(CpuState& c, const Op& o) {
    if (VIREO_UNLIKELY(!has(c.features, Need))) raise_ud(c);
    vex_check(c);
    const V128 s = vsrc<16, Mem>(c, o).half(0);
    V128 d = xmm_get(c, o.r2);
    F(d, s);
    vex_set<16>(c, o.r0, d);
}
template <Feature Need, FnI F, bool Mem>
void hvi(CpuState& c, const Op& o) {
    if (VIREO_UNLIKELY(!has(c.features, Need))) raise_ud(c);
    vex_check(c);
    const V128 s = vsrc<16, Mem>(c, o).half(0);
    V128 d = xmm_get(c, o.r2);
    F(d, s, static_cast<u8>(o.imm));
    vex_set<16>(c, o.r0, d);
}
template <Feature Need, Fn F>
Handler bind_vex(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &hv<Need, F, false>, &hv<Need, F, true>, nullptr, nullptr);
}
template <Feature Need, FnI F>
Handler bind_vex_i(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &hvi<Need, F, false>, &hvi<Need, F, true>, nullptr, nullptr);
}
}  // namespace xmm_form

std::span<const SemEntry> sem_aes();    // aes.cc: AESENC/AESENCLAST/AESDEC/AESDECLAST/AESIMC/AESKEYGENASSIST
std::span<const SemEntry> sem_clmul();  // clmul.cc: PCLMULQDQ
std::span<const SemEntry> sem_sha();    // sha.cc: SHA1RNDS4/SHA1NEXTE/SHA1MSG1/SHA1MSG2/SHA256RNDS2/MSG1/MSG2

}  // namespace vireo::x86
