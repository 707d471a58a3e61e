// SSE/SSE2 conversions through the software floating point (SDM Vol. 2A CVT* pages):
// CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS, CVTDQ2PS, CVT(T)PS2DQ, CVTDQ2PD, CVT(T)PD2DQ,
// CVTSI2SS/CVTSI2SD and CVT(T)SS2SI/CVT(T)SD2SI with their REX.W (64-bit integer) forms.
// The MMX forms (CVTPI2PS, CVTPS2PI, ...) are not here.
#include <type_traits>
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

// The element conversions (cv_*) are in sse_common.h (shared with avx_convert.cc).

// dst element i = F(src element i) for i < N. The source is an xmm register or memory of
// SrcBytes (16: aligned m128). Zero: the destination's other elements are zeroed (CVTPD2PS,
// CVT(T)PD2DQ); otherwise kept (the scalar forms).
template <typename S, typename D, unsigned N, unsigned SrcBytes, D (*F)(S, sf::Env&), bool Zero, bool Mem>
void h_cvt(CpuState& c, const Op& o) {
    sse_check(c);
    V128 s;
    if constexpr (!Mem) s = xmm_get(c, o.r1);
    else if constexpr (SrcBytes == 16) s = read_m128<true>(c, o);
    else if constexpr (SrcBytes == 8) s = read_scalar<u64>(c, o);
    else s = read_scalar<u32>(c, o);
    V128 d;
    if constexpr (Zero) d = V128{};
    else d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < N; i++) d.set<D>(i, F(s.get<S>(i), e));
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, d);
}
template <typename S, typename D, unsigned N, unsigned SrcBytes, D (*F)(S, sf::Env&), bool Zero>
Handler bind_cvt(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_cvt<S, D, N, SrcBytes, F, Zero, true> : &h_cvt<S, D, N, SrcBytes, F, Zero, false>;
}

// CVTSI2SS/CVTSI2SD: xmm element 0 <- r/m32 or r/m64 (REX.W) converted; the rest kept.
template <typename T, typename I, bool Mem>
void h_cvtsi2f(CpuState& c, const Op& o) {
    sse_check(c);
    using U = std::make_unsigned_t<I>;
    const I v = static_cast<I>(Mem ? mem_read<U>(c, o.seg, op_ea(c, o)) : static_cast<U>(c.gpr[o.r1]));
    sf::Env e = fp_env(c);
    T r;
    if constexpr (sizeof(T) == 4) r = sizeof(I) == 4 ? sf::i32_to_f32(static_cast<i32>(v), e) : sf::i64_to_f32(v, e);
    else r = sizeof(I) == 4 ? sf::i32_to_f64(static_cast<i32>(v), e) : sf::i64_to_f64(v, e);
    fp_commit(c, e.flags);
    xmm_set_lane<T>(c, o.r0, 0, r);
}
template <typename T>
Handler bind_cvtsi2f(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    if (d.rex_w) return m ? &h_cvtsi2f<T, i64, true> : &h_cvtsi2f<T, i64, false>;
    return m ? &h_cvtsi2f<T, i32, true> : &h_cvtsi2f<T, i32, false>;
}

// CVT(T)SS2SI/CVT(T)SD2SI: r32/r64 (REX.W) <- xmm element 0 or m32/m64 converted; a 32-bit
// result zero-extends into the 64-bit register (SDM Vol. 1 3.4.1.1).
template <typename T, typename I, bool Trunc, bool Mem>
void h_cvtf2si(CpuState& c, const Op& o) {
    sse_check(c);
    const T a = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : xmm_lane<T>(c, o.r1, 0);
    sf::Env e = fp_env(c);
    I r;
    if constexpr (sizeof(T) == 4) r = sizeof(I) == 4 ? sf::f32_to_i32(a, Trunc, e) : sf::f32_to_i64(a, Trunc, e);
    else r = sizeof(I) == 4 ? sf::f64_to_i32(a, Trunc, e) : sf::f64_to_i64(a, Trunc, e);
    fp_commit(c, e.flags);
    c.gpr[o.r0] = static_cast<std::make_unsigned_t<I>>(r);
}
template <typename T, bool Trunc>
Handler bind_cvtf2si(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    if (d.rex_w) return m ? &h_cvtf2si<T, i64, Trunc, true> : &h_cvtf2si<T, i64, Trunc, false>;
    return m ? &h_cvtf2si<T, i32, Trunc, true> : &h_cvtf2si<T, i32, Trunc, false>;
}

constexpr SemEntry kEntries[] = {
    {"cvtps2pd", bind_cvt<u32, u64, 2, 8, cv_f32_f64, true>, false},
    {"cvtpd2ps", bind_cvt<u64, u32, 2, 16, cv_f64_f32, true>, false},
    {"cvtss2sd", bind_cvt<u32, u64, 1, 4, cv_f32_f64, false>, false},
    {"cvtsd2ss", bind_cvt<u64, u32, 1, 8, cv_f64_f32, false>, false},
    {"cvtdq2ps", bind_cvt<u32, u32, 4, 16, cv_i32_f32, true>, false},
    {"cvtps2dq", bind_cvt<u32, u32, 4, 16, cv_f32_i32<false>, true>, false},
    {"cvttps2dq", bind_cvt<u32, u32, 4, 16, cv_f32_i32<true>, true>, false},
    {"cvtdq2pd", bind_cvt<u32, u64, 2, 8, cv_i32_f64, true>, false},
    {"cvtpd2dq", bind_cvt<u64, u32, 2, 16, cv_f64_i32<false>, true>, false},
    {"cvttpd2dq", bind_cvt<u64, u32, 2, 16, cv_f64_i32<true>, true>, false},
    {"cvtsi2ss", bind_cvtsi2f<u32>, false}, {"cvtsi2sd", bind_cvtsi2f<u64>, false},
    {"cvtss2si", bind_cvtf2si<u32, false>, false}, {"cvttss2si", bind_cvtf2si<u32, true>, false},
    {"cvtsd2si", bind_cvtf2si<u64, false>, false}, {"cvttsd2si", bind_cvtf2si<u64, true>, false},
};

}  // namespace

std::span<const SemEntry> sem_sse_fp_convert() { return kEntries; }

}  // namespace vireo::x86
