// SSE/SSE2 floating-point arithmetic through the software floating point (softfloat/):
// ADD/SUB/MUL/DIV/MIN/MAX/SQRT {PS,PD,SS,SD}, RCPPS/RCPSS/RSQRTPS/RSQRTSS, CMPPS/CMPPD/CMPSS/
// CMPSD, COMISS/UCOMISS/COMISD/UCOMISD (SDM Vol. 2 instruction pages). Packed forms take a
// 16-byte-aligned m128 (exception type 2); scalar forms an m32/m64 with no alignment rule
// (type 3) and leave the destination's other elements unchanged.
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

template <typename T>
using BinFn = T (*)(T, T, sf::Env&);
template <typename T>
using UnFn = T (*)(T, sf::Env&);

template <typename T, bool Scalar, bool Mem>
VIREO_ALWAYS_INLINE V128 fp_source(CpuState& c, const Op& o) {
    if constexpr (!Mem) return xmm_get(c, o.r1);
    else if constexpr (Scalar) return read_scalar<T>(c, o);
    else return read_m128<true>(c, o);
}
template <typename T, bool Scalar>
constexpr unsigned fp_lanes() { return Scalar ? 1 : 16 / sizeof(T); }

// dst[i] = F(dst[i], src[i]) for each element (or element 0).
template <typename T, BinFn<T> F, bool Scalar, bool Mem>
void h_fp_bin(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = fp_source<T, Scalar, Mem>(c, o);
    V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < fp_lanes<T, Scalar>(); i++) d.set<T>(i, F(d.get<T>(i), s.get<T>(i), e));
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, d);
}
template <typename T, BinFn<T> F, bool Scalar>
Handler bind_fp_bin(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_fp_bin<T, F, Scalar, true> : &h_fp_bin<T, F, Scalar, false>;
}

// dst[i] = F(src[i]).
template <typename T, UnFn<T> F, bool Scalar, bool Mem>
void h_fp_un(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = fp_source<T, Scalar, Mem>(c, o);
    V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < fp_lanes<T, Scalar>(); i++) d.set<T>(i, F(s.get<T>(i), e));
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, d);
}
template <typename T, UnFn<T> F, bool Scalar>
Handler bind_fp_un(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_fp_un<T, F, Scalar, true> : &h_fp_un<T, F, Scalar, false>;
}
// RCP/RSQRT: approximations that neither read nor write MXCSR (SDM Vol. 2B RCPPS).
u32 rcp(u32 a, sf::Env&) { return sf::f32_rcp_approx(a); }
u32 rsqrt(u32 a, sf::Env&) { return sf::f32_rsqrt_approx(a); }

// CMPPS etc.: each element all ones where imm8[2:0]'s predicate holds (SDM Vol. 2A CMPPS).
template <typename T, bool Scalar, bool Mem>
void h_fp_cmp(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = fp_source<T, Scalar, Mem>(c, o);
    V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    const unsigned pred = o.imm & 7;
    for (unsigned i = 0; i < fp_lanes<T, Scalar>(); i++) {
        bool t;
        if constexpr (sizeof(T) == 4) t = sf::f32_cmp_predicate(d.get<T>(i), s.get<T>(i), pred, e);
        else t = sf::f64_cmp_predicate(d.get<T>(i), s.get<T>(i), pred, e);
        d.set<T>(i, t ? T(~T(0)) : T(0));
    }
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, d);
}
template <typename T, bool Scalar>
Handler bind_fp_cmp(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_fp_cmp<T, Scalar, true> : &h_fp_cmp<T, Scalar, false>;
}

// COMISS/UCOMISS/COMISD/UCOMISD (SDM Vol. 2A COMISS): ZF,PF,CF = 111 unordered, 000 greater,
// 001 less, 100 equal; OF, SF, AF cleared. EFLAGS is unchanged when the compare faults.
template <typename T, bool Signaling, bool Mem>
void h_comis(CpuState& c, const Op& o) {
    sse_check(c);
    const T b = fp_source<T, true, Mem>(c, o).template get<T>(0);
    const T a = xmm_lane<T>(c, o.r0, 0);
    sf::Env e = fp_env(c);
    sf::Rel r;
    if constexpr (sizeof(T) == 4) r = sf::f32_compare(a, b, Signaling, e);
    else r = sf::f64_compare(a, b, Signaling, e);
    fp_commit(c, e.flags);
    static constexpr u64 kFlags[4] = {CF, ZF, 0, ZF | PF | CF};  // Less, Equal, Greater, Unordered
    set_flags_eager(c, kFlags[static_cast<unsigned>(r)]);
}
template <typename T, bool Signaling>
Handler bind_comis(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_comis<T, Signaling, true> : &h_comis<T, Signaling, false>;
}

#define FP4(name, f32fn, f64fn)                                                                  \
    {name "ps", bind_fp_bin<u32, sf::f32fn, false>, false},                                      \
    {name "ss", bind_fp_bin<u32, sf::f32fn, true>, false},                                       \
    {name "pd", bind_fp_bin<u64, sf::f64fn, false>, false},                                      \
    {name "sd", bind_fp_bin<u64, sf::f64fn, true>, false}
constexpr SemEntry kEntries[] = {
    FP4("add", f32_add, f64_add), FP4("sub", f32_sub, f64_sub), FP4("mul", f32_mul, f64_mul),
    FP4("div", f32_div, f64_div), FP4("min", f32_min, f64_min), FP4("max", f32_max, f64_max),
    {"sqrtps", bind_fp_un<u32, sf::f32_sqrt, false>, false},
    {"sqrtss", bind_fp_un<u32, sf::f32_sqrt, true>, false},
    {"sqrtpd", bind_fp_un<u64, sf::f64_sqrt, false>, false},
    {"sqrtsd", bind_fp_un<u64, sf::f64_sqrt, true>, false},
    {"rcpps", bind_fp_un<u32, rcp, false>, false}, {"rcpss", bind_fp_un<u32, rcp, true>, false},
    {"rsqrtps", bind_fp_un<u32, rsqrt, false>, false}, {"rsqrtss", bind_fp_un<u32, rsqrt, true>, false},
    {"cmpps", bind_fp_cmp<u32, false>, false}, {"cmpss", bind_fp_cmp<u32, true>, false},
    {"cmppd", bind_fp_cmp<u64, false>, false}, {"cmpsd", bind_fp_cmp<u64, true>, false},
    {"comiss", bind_comis<u32, true>, false}, {"ucomiss", bind_comis<u32, false>, false},
    {"comisd", bind_comis<u64, true>, false}, {"ucomisd", bind_comis<u64, false>, false},
};
#undef FP4

}  // namespace

std::span<const SemEntry> sem_sse_fp_arith() { return kEntries; }

}  // namespace vireo::x86
