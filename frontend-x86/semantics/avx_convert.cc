// AVX conversions (SDM Vol. 2A CVT* pages, the VEX rows): VCVTPS2PD, VCVTPD2PS, VCVTSS2SD,
// VCVTSD2SS, VCVTDQ2PS, VCVT(T)PS2DQ, VCVTDQ2PD, VCVT(T)PD2DQ, VCVTSI2SS/SD and
// VCVT(T)SS2SI/SD2SI. The element conversions are the SSE ones (sse_common.h cv_*). The
// widening/narrowing packed forms have odd operand widths: VCVTPS2PD/VCVTDQ2PD ymm1,
// xmm2/m128 (VEX.128: xmm1, xmm2/m64), VCVTPD2PS/VCVT(T)PD2DQ xmm1, ymm2/m256 (the destination
// always an xmm, bits 255:128 zeroed).
#include <type_traits>
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

// Packed: dst element i = F(src element i) for i < N, the destination zeroed above N
// elements (at least 16 bytes written: VLMAX zeroing does the rest).
template <typename S, typename D, unsigned N, D (*F)(S, sf::Env&), bool Mem>
void h_vcvt(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<N * sizeof(S), Mem>(c, o);
    V256 d{};
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < N; i++) d.set<D>(i, F(s.get<S>(i), e));
    fp_commit(c, e.flags);
    vex_set<(N * sizeof(D) > 16 ? 32 : 16)>(c, o.r0, d);
}
template <typename S, typename D, unsigned N128, unsigned N256, D (*F)(S, sf::Env&)>
Handler bind_vcvt(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vcvt<S, D, N128, F, false>, &h_vcvt<S, D, N128, F, true>, &h_vcvt<S, D, N256, F, false>,
                    &h_vcvt<S, D, N256, F, true>);
}

// Scalar VCVTSS2SD/VCVTSD2SS xmm1, xmm2, xmm3/m: element 0 converted, bits 127:N from xmm2.
template <typename S, typename D, D (*F)(S, sf::Env&), bool Mem>
void h_vcvt_scalar(CpuState& c, const Op& o) {
    vex_check(c);
    const S a = vsrc<sizeof(S), Mem>(c, o).template get<S>(0);
    V256 d = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    d.set<D>(0, F(a, e));
    fp_commit(c, e.flags);
    vex_set<16>(c, o.r0, d);
}
template <typename S, typename D, D (*F)(S, sf::Env&)>
Handler bind_vcvt_scalar(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vcvt_scalar<S, D, F, false>, &h_vcvt_scalar<S, D, F, true>,
                    &h_vcvt_scalar<S, D, F, false>, &h_vcvt_scalar<S, D, F, true>);
}

// VCVTSI2SS/SD xmm1, xmm2, r/m32 (r/m64 with VEX.W1 in 64-bit mode): element 0 converted,
// bits 127:N from xmm2.
template <typename T, typename I, bool Mem>
void h_vcvtsi2f(CpuState& c, const Op& o) {
    vex_check(c);
    using U = std::make_unsigned_t<I>;
    const I v = static_cast<I>(Mem ? mem_read<U>(c, o.seg, op_ea(c, o)) : static_cast<U>(c.gpr[o.r1]));
    V256 d = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    T r;
    if constexpr (sizeof(T) == 4) r = sizeof(I) == 4 ? sf::i32_to_f32(static_cast<i32>(v), e) : sf::i64_to_f32(v, e);
    else r = sizeof(I) == 4 ? sf::i32_to_f64(static_cast<i32>(v), e) : sf::i64_to_f64(v, e);
    fp_commit(c, e.flags);
    d.set<T>(0, r);
    vex_set<16>(c, o.r0, d);
}
template <typename T>
Handler bind_vcvtsi2f(const DecodedInsn& d, Op& op) {
    const bool m = vex_fill(d, op);
    if (d.opsize == 8) return m ? &h_vcvtsi2f<T, i64, true> : &h_vcvtsi2f<T, i64, false>;
    return m ? &h_vcvtsi2f<T, i32, true> : &h_vcvtsi2f<T, i32, false>;
}

// VCVT(T)SS2SI/SD2SI r32/r64, xmm1/m: as CVTSS2SI (a 32-bit result zero-extends).
template <typename T, typename I, bool Trunc, bool Mem>
void h_vcvtf2si(CpuState& c, const Op& o) {
    vex_check(c);
    const T a = vsrc<sizeof(T), Mem>(c, o).template get<T>(0);
    sf::Env e = fp_env(c);
    I r;
    if constexpr (sizeof(T) == 4) r = sizeof(I) == 4 ? sf::f32_to_i32(a, Trunc, e) : sf::f32_to_i64(a, Trunc, e);
    else r = sizeof(I) == 4 ? sf::f64_to_i32(a, Trunc, e) : sf::f64_to_i64(a, Trunc, e);
    fp_commit(c, e.flags);
    c.gpr[o.r0] = static_cast<std::make_unsigned_t<I>>(r);
}
template <typename T, bool Trunc>
Handler bind_vcvtf2si(const DecodedInsn& d, Op& op) {
    const bool m = vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    if (d.opsize == 8) return m ? &h_vcvtf2si<T, i64, Trunc, true> : &h_vcvtf2si<T, i64, Trunc, false>;
    return m ? &h_vcvtf2si<T, i32, Trunc, true> : &h_vcvtf2si<T, i32, Trunc, false>;
}

constexpr SemEntry kEntries[] = {
    {"vcvtps2pd", bind_vcvt<u32, u64, 2, 4, cv_f32_f64>, false},
    {"vcvtpd2ps", bind_vcvt<u64, u32, 2, 4, cv_f64_f32>, false},
    {"vcvtss2sd", bind_vcvt_scalar<u32, u64, cv_f32_f64>, false},
    {"vcvtsd2ss", bind_vcvt_scalar<u64, u32, cv_f64_f32>, false},
    {"vcvtdq2ps", bind_vcvt<u32, u32, 4, 8, cv_i32_f32>, false},
    {"vcvtps2dq", bind_vcvt<u32, u32, 4, 8, cv_f32_i32<false>>, false},
    {"vcvttps2dq", bind_vcvt<u32, u32, 4, 8, cv_f32_i32<true>>, false},
    {"vcvtdq2pd", bind_vcvt<u32, u64, 2, 4, cv_i32_f64>, false},
    {"vcvtpd2dq", bind_vcvt<u64, u32, 2, 4, cv_f64_i32<false>>, false},
    {"vcvttpd2dq", bind_vcvt<u64, u32, 2, 4, cv_f64_i32<true>>, false},
    {"vcvtsi2ss", bind_vcvtsi2f<u32>, false}, {"vcvtsi2sd", bind_vcvtsi2f<u64>, false},
    {"vcvtss2si", bind_vcvtf2si<u32, false>, false}, {"vcvttss2si", bind_vcvtf2si<u32, true>, false},
    {"vcvtsd2si", bind_vcvtf2si<u64, false>, false}, {"vcvttsd2si", bind_vcvtf2si<u64, true>, false},
};

}  // namespace

std::span<const SemEntry> sem_avx_convert() { return kEntries; }

}  // namespace vireo::x86
