// SSE4.1 floating-point arithmetic through the software floating point (SDM Vol. 2 instruction
// pages; MXCSR handling as sse_fp_arith.cc): ROUNDPS/ROUNDPD/ROUNDSS/ROUNDSD and the dot
// products DPPS/DPPD. Packed forms take a 16-byte-aligned m128; the scalar ROUNDs an m32/m64
// and leave the destination's other elements unchanged.
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

template <typename T>
VIREO_ALWAYS_INLINE T fp_add(T a, T b, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sf::f32_add(a, b, e);
    else return sf::f64_add(a, b, e);
}
template <typename T>
VIREO_ALWAYS_INLINE T fp_mul(T a, T b, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sf::f32_mul(a, b, e);
    else return sf::f64_mul(a, b, e);
}

// ROUNDxx xmm1, xmm2/m, imm8 (SDM Vol. 2B ROUNDPD, Table 4-18): imm8[2] = 1 rounds by MXCSR.RC,
// else by imm8[1:0]; imm8[3] = 1 suppresses the precision exception (the flag is not set and
// PM is ignored). Invalid for an SNaN source; no denormal exception.
template <typename T, bool Scalar, bool Mem>
void h_round(CpuState& c, const Op& o) {
    sse_check(c);
    V128 s;
    if constexpr (!Mem) s = xmm_get(c, o.r1);
    else if constexpr (Scalar) s = read_scalar<T>(c, o);
    else s = read_m128<true>(c, o);
    V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    const u8 mode = (o.imm & 4) ? e.round : static_cast<u8>(o.imm & 3);
    for (unsigned i = 0; i < (Scalar ? 1 : 16 / sizeof(T)); i++) {
        if constexpr (sizeof(T) == 4) d.set<T>(i, sf::f32_round_int(s.get<T>(i), mode, e));
        else d.set<T>(i, sf::f64_round_int(s.get<T>(i), mode, e));
    }
    if (o.imm & 8) e.flags &= static_cast<u8>(~sf::kInexact);
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, d);
}
template <typename T, bool Scalar>
Handler bind_round(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_round<T, Scalar, true> : &h_round<T, Scalar, false>;
}

// DPPS/DPPD (SDM Vol. 2A DPPS, DP_primitive): the products of the elements selected by
// imm8[7:4] (others +0.0, not computed), summed pairwise with a rounding after each step
// (DPPS: (t0 + t1) + (t2 + t3)), the sum written to the elements selected by imm8[3:0] and
// +0.0 to the others. "Exceptions are determined separately for each add and multiply
// operation": the products, the first additions and the last one are three steps, and an
// unmasked exception in one step faults there, with that step's flags (SDM Vol. 1 11.5.1
// applied to the step) and the earlier steps' masked ones; a later step's are never raised
// (as the host: e.g. an unmasked overflow in a product, then inf + -inf in the sum, reports
// OE|PE, not IE).
template <typename T, bool Mem>
void h_dp(CpuState& c, const Op& o) {
    sse_check(c);
    constexpr unsigned n = 16 / sizeof(T);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    const V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    u8 done = 0;
    T t[n];
    for (unsigned i = 0; i < n; i++) t[i] = ((o.imm >> (4 + i)) & 1) ? fp_mul<T>(d.get<T>(i), s.get<T>(i), e) : T(0);
    fp_step(c, e, done);
    T sum;
    if constexpr (n == 4) {
        const T lo = fp_add<T>(t[0], t[1], e);
        const T hi = fp_add<T>(t[2], t[3], e);
        fp_step(c, e, done);
        sum = fp_add<T>(lo, hi, e);
    } else {
        sum = fp_add<T>(t[0], t[1], e);
    }
    fp_step(c, e, done);
    V128 r;
    for (unsigned i = 0; i < n; i++) r.set<T>(i, ((o.imm >> i) & 1) ? sum : T(0));
    c.mxcsr |= done;
    xmm_set(c, o.r0, r);
}
template <typename T>
Handler bind_dp(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_dp<T, true> : &h_dp<T, false>; }

constexpr SemEntry kEntries[] = {
    {"roundps", bind_round<u32, false>, false}, {"roundpd", bind_round<u64, false>, false},
    {"roundss", bind_round<u32, true>, false}, {"roundsd", bind_round<u64, true>, false},
    {"dpps", bind_dp<u32>, false}, {"dppd", bind_dp<u64>, false},
};

}  // namespace

std::span<const SemEntry> sem_sse41_fp() { return kEntries; }

}  // namespace vireo::x86
