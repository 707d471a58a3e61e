// Edge-biased binary32/binary64 operands and MXCSR values for the native-differential SSE
// floating-point forms (native_diff_test.cc, native_diff_sse4_test.cc): the generators that
// produce the inputs described at "SSE/SSE2 floating point" in native_diff_test.cc.
#pragma once
#include <bit>
#include <cmath>
#include "tests/cpu/native_diff_harness.h"

namespace vireo::test::native_diff {

template <typename B>
struct FpFmt;
template <>
struct FpFmt<u32> { static constexpr int F = 23, bias = 127; static constexpr u64 emax = 255; };
template <>
struct FpFmt<u64> { static constexpr int F = 52, bias = 1023; static constexpr u64 emax = 2047; };

template <typename B>
inline B fp_make(bool sign, u64 be, u64 frac) {
    constexpr int F = FpFmt<B>::F;
    return static_cast<B>((B(sign) << (8 * sizeof(B) - 1)) | (B(be & FpFmt<B>::emax) << F) | (B(frac) & ((B(1) << F) - 1)));
}

template <typename B>
inline B gen_fp(Rng& r) {
    constexpr int F = FpFmt<B>::F, bias = FpFmt<B>::bias;
    constexpr u64 emax = FpFmt<B>::emax, fmask = (u64(1) << F) - 1, qbit = u64(1) << (F - 1);
    const bool s = r() & 1;
    const u64 rf = r() & fmask;
    switch (r() % 20) {
    case 0: return fp_make<B>(s, 0, 0);
    case 1: return fp_make<B>(s, 0, 1 + r() % 3);                 // smallest denormals
    case 2: return fp_make<B>(s, 0, fmask - r() % 3);             // largest denormals
    case 3: return fp_make<B>(s, 1, r() % 3);                     // smallest normals
    case 4: return fp_make<B>(s, emax - 1, fmask - r() % 3);      // largest normals
    case 5: return fp_make<B>(s, emax, 0);                         // infinities
    case 6: return fp_make<B>(s, emax, qbit | (r() % 2 ? 0 : rf));  // QNaNs (the default NaN too)
    case 7: {                                                      // SNaNs
        u64 f = rf & (qbit - 1);
        if (!f) f = r() % 2 ? 1 : qbit - 1;
        return fp_make<B>(s, emax, f);
    }
    case 8: return fp_make<B>(s, bias + (r() % 3 == 0), r() % 2 ? r() % 3 : fmask - r() % 3);  // 1, 2 and neighbours
    case 9: return fp_make<B>(s, 0, rf ? rf : 1);                  // random denormals
    case 10: case 11: return fp_make<B>(s, bias - 2 + r() % 5, rf);  // around 1
    case 12: return fp_make<B>(s, r() % 2 ? 1 + r() % (F + 2) : emax - 1 - r() % 4, rf);  // near the ends
    case 13: {  // integers and half-integers (ties for the integer conversions)
        const unsigned k = r() % 34;
        const u64 v = k ? (r() >> (64 - k)) : 0;
        const double d = std::ldexp(static_cast<double>(v), -static_cast<int>(r() % 3)) * (s ? -1 : 1);
        if constexpr (sizeof(B) == 4) return std::bit_cast<u32>(static_cast<float>(d));
        else return std::bit_cast<u64>(d);
    }
    case 14: {  // around 2^31, 2^32, 2^63, 2^64 (the integer limits)
        static constexpr int kE[] = {31, 32, 63, 64, 30, 62};
        return fp_make<B>(s, bias + kE[r() % 6] - (r() % 3 == 0), r() % 2 ? r() % 3 : fmask - r() % 3);
    }
    default: return fp_make<B>(s, 1 + r() % (emax - 1), rf);      // random finite
    }
}

// Operand pairs for two-operand operations.
template <typename B>
inline void gen_fp_pair(Rng& r, B& a, B& b) {
    constexpr int F = FpFmt<B>::F, bias = FpFmt<B>::bias;
    constexpr u64 emax = FpFmt<B>::emax, fmask = (u64(1) << F) - 1;
    constexpr B sign = B(1) << (8 * sizeof(B) - 1);
    a = gen_fp<B>(r);
    b = gen_fp<B>(r);
    const u64 ea = (a >> F) & emax;
    switch (r() % 10) {
    case 0: b = a ^ (r() % 2 ? sign : 0); break;                    // x - x, x + -x, x / x
    case 1: b = static_cast<B>(a + r() % 5 - 2); break;              // neighbours
    case 2:                                                           // b about half an ulp of a
        if (ea > F + 3 && ea < emax)
            b = fp_make<B>(r() & 1, ea - F - 2 + r() % 3, r() % 2 ? (r() % 2 ? 0 : fmask) : r() & fmask);
        break;
    case 3: {  // products and quotients near the overflow / underflow thresholds
        const int e1 = static_cast<int>(r() % (2 * bias)) - bias + 1;
        const int target = r() % 2 ? bias - 1 + static_cast<int>(r() % 4) : -bias - static_cast<int>(r() % (F + 3));
        const int e2 = r() % 2 ? target - e1 : e1 - target;  // for mul / for div
        if (e1 + bias > 0 && e1 + bias < static_cast<int>(emax) && e2 + bias > 0 && e2 + bias < static_cast<int>(emax)) {
            a = fp_make<B>(r() & 1, static_cast<u64>(e1 + bias), r() & fmask);
            b = fp_make<B>(r() & 1, static_cast<u64>(e2 + bias), r() & fmask);
        }
        break;
    }
    default: break;
    }
}

// MXCSR for case k: RC = k & 3, DAZ = bit 2, FTZ = bit 3; masks all set unless (k >> 4) & 3 is
// 3 (then random); sometimes exception flags already set.
inline u32 fp_mxcsr(Rng& r, unsigned k) {
    u32 m = ((k & 3) << 13) | (k & 4 ? MXCSR_DAZ : 0) | (k & 8 ? MXCSR_FZ : 0);
    m |= ((k >> 4) & 3) == 3 ? static_cast<u32>(r() & 0x3f) << 7 : 0x1F80;
    if (r() % 4 == 0) m |= static_cast<u32>(r() & 0x3f);
    return m;
}

}  // namespace vireo::test::native_diff
