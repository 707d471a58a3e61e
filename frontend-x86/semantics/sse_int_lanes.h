// Lane helpers of the SSSE3 and SSE4.1 integer instructions (ssse3.cc, sse41_int.cc), shared
// with their VEX.128 forms (avx_int.cc): each works on V128 values, d = op(d, s) as the legacy
// two-operand form reads it (the VEX form passes VEX.vvvv as d). The SSSE3 ones take N (8 for
// the MMX forms, 16 for XMM); the SDM gives both widths one Operation section.
#pragma once
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86::lane {

// ---- SSSE3 (ssse3.cc)
// PSHUFB: byte i = 0 if the control byte's bit 7 is set, else d[ctl & (N - 1)].
template <unsigned N>
void v_pshufb(V128& d, const V128& s) {
    V128 r{};
    for (unsigned i = 0; i < N; i++) r.b[i] = (s.b[i] & 0x80) ? 0 : d.b[s.b[i] & (N - 1)];
    d = r;
}
// PHADD/PHSUB (Sub: d[2i] - d[2i+1]), saturating for the SW forms: the destination's pairs
// fill the low half of the result, the source's the high half.
template <unsigned N, typename T, bool Sub, bool Sat>
void v_phorizontal(V128& d, const V128& s) {
    constexpr unsigned n = N / sizeof(T);
    V128 r{};
    for (unsigned i = 0; i < n; i++) {
        const V128& x = i < n / 2 ? d : s;
        const unsigned j = 2 * (i % (n / 2));
        const i64 a = x.get<T>(j), b = x.get<T>(j + 1);
        const i64 v = Sub ? a - b : a + b;
        r.set<T>(i, Sat ? static_cast<T>(sat<T>(v)) : static_cast<T>(v));
    }
    d = r;
}
// PMADDUBSW: unsigned destination bytes times signed source bytes, adjacent products added
// into signed words with saturation.
template <unsigned N>
void v_pmaddubsw(V128& d, const V128& s) {
    for (unsigned i = 0; i < N / 2; i++) {
        const int v = int(d.b[2 * i]) * int(s.get<i8>(2 * i)) + int(d.b[2 * i + 1]) * int(s.get<i8>(2 * i + 1));
        d.set<i16>(i, sat<i16>(v));
    }
}
// PMULHRSW: ((d * s >> 14) + 1) >> 1, bits 16:1 of the rounded product.
template <unsigned N>
void v_pmulhrsw(V128& d, const V128& s) {
    for (unsigned i = 0; i < N / 2; i++) {
        const i32 p = i32(d.get<i16>(i)) * i32(s.get<i16>(i));
        d.set<u16>(i, static_cast<u16>(static_cast<u32>((p >> 14) + 1) >> 1));
    }
}
// PSIGN: negate, zero or keep each destination element by the source element's sign.
template <unsigned N, typename T>
void v_psign(V128& d, const V128& s) {
    using S = SignedOf<T>;
    for (unsigned i = 0; i < N / sizeof(T); i++) {
        const S b = s.get<S>(i);
        const T a = d.get<T>(i);
        d.set<T>(i, b < 0 ? static_cast<T>(T(0) - a) : b == 0 ? T(0) : a);
    }
}
// PABS: the unsigned absolute value of each source element (-128 -> 0x80).
template <unsigned N, typename T>
void v_pabs(V128& d, const V128& s) {
    using S = SignedOf<T>;
    for (unsigned i = 0; i < N / sizeof(T); i++) {
        const T a = s.get<T>(i);
        d.set<T>(i, static_cast<S>(a) < 0 ? static_cast<T>(T(0) - a) : a);
    }
}
// PALIGNR: the 2N-byte concatenation destination:source shifted right by imm8 bytes, the low N
// bytes kept (bytes beyond the concatenation are zero, so imm8 >= 2N gives zero).
template <unsigned N>
void v_palignr(V128& d, const V128& s, u8 imm) {
    u8 cat[2 * N];
    std::memcpy(cat, s.b, N);
    std::memcpy(cat + N, d.b, N);
    for (unsigned i = 0; i < N; i++) d.b[i] = imm + i < 2 * N ? cat[imm + i] : 0;
}

// ---- SSE4.1 (sse41_int.cc)
#define LANE_OP(name, T, expr)                                                  \
    inline void name(V128& d, const V128& s) {                                         \
        for (unsigned i = 0; i < 16 / sizeof(T); i++) {                         \
            const T a = d.get<T>(i), b = s.get<T>(i);                           \
            d.set<T>(i, static_cast<T>(expr));                                  \
        }                                                                       \
    }
LANE_OP(v_pminsb, i8, std::min(a, b)) LANE_OP(v_pmaxsb, i8, std::max(a, b))
LANE_OP(v_pminsd, i32, std::min(a, b)) LANE_OP(v_pmaxsd, i32, std::max(a, b))
LANE_OP(v_pminuw, u16, std::min(a, b)) LANE_OP(v_pmaxuw, u16, std::max(a, b))
LANE_OP(v_pminud, u32, std::min(a, b)) LANE_OP(v_pmaxud, u32, std::max(a, b))
LANE_OP(v_pmulld, u32, u64(a) * b)  // the low 32 bits of the product (sign does not matter)
LANE_OP(v_pcmpeqq, u64, a == b ? ~0ull : 0)
LANE_OP(v_pcmpgtq, i64, a > b ? -1 : 0)
#undef LANE_OP

// PMULDQ: the signed product of the even doublewords into each quadword.
inline void v_pmuldq(V128& d, const V128& s) {
    for (unsigned i = 0; i < 2; i++) d.set<i64>(i, i64(d.get<i32>(2 * i)) * s.get<i32>(2 * i));
}
// PACKUSDW: signed doublewords to unsigned words with saturation, destination first.
inline void v_packusdw(V128& d, const V128& s) {
    V128 r;
    for (unsigned i = 0; i < 4; i++) {
        r.set<u16>(i, sat<u16>(i64(d.get<i32>(i))));
        r.set<u16>(4 + i, sat<u16>(i64(s.get<i32>(i))));
    }
    d = r;
}
// PHMINPOSUW: the smallest unsigned source word in word 0, its index (the lowest on ties) in
// bits 18:16, the rest zero.
inline void v_phminposuw(V128& d, const V128& s) {
    unsigned idx = 0;
    for (unsigned i = 1; i < 8; i++)
        if (s.get<u16>(i) < s.get<u16>(idx)) idx = i;
    V128 r{};
    r.set<u16>(0, s.get<u16>(idx));
    r.set<u16>(1, static_cast<u16>(idx));
    d = r;
}
// PMOVSX/PMOVZX: the low 16 / sizeof(To) elements of type From, sign- or zero-extended.
template <typename From, typename To>
void v_pmovx(V128& d, const V128& s) {
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(To); i++) r.set<To>(i, static_cast<To>(s.get<From>(i)));
    d = r;
}
// MPSADBW (SDM Vol. 2B MPSADBW): eight sums of absolute differences between the source's
// 4-byte block imm8[1:0] and the destination's 4-byte windows starting at 4 * imm8[2] + i.
inline void v_mpsadbw(V128& d, const V128& s, u8 imm) {
    const unsigned so = 4 * (imm & 3), doff = 4 * ((imm >> 2) & 1);
    V128 r;
    for (unsigned i = 0; i < 8; i++) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            const int a = d.b[doff + i + j], b = s.b[so + j];
            sum += static_cast<unsigned>(a > b ? a - b : b - a);
        }
        r.set<u16>(i, static_cast<u16>(sum));
    }
    d = r;
}

// PBLENDW/BLENDPS/BLENDPD: element i from the source where imm8 bit i is set.
template <typename T>
void v_blend_imm(V128& d, const V128& s, u8 imm) {
    for (unsigned i = 0; i < 16 / sizeof(T); i++)
        if ((imm >> i) & 1) d.set<T>(i, s.get<T>(i));
}
}  // namespace vireo::x86::lane
