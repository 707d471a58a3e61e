// Round to an integral value in the same format (SDM Vol. 2B ROUNDPD/ROUNDPS/ROUNDSD/ROUNDSS;
// IEEE 754 roundToIntegral with the x86 exception rules: invalid for an SNaN, precision for a
// value that changes, no denormal exception, DAZ on the source).
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {

template <typename B>
B round_int(B bits, u8 mode, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    const Unpacked<B> a = unpack(bits, e);
    switch (a.cls) {
    case Cls::SNaN:
    case Cls::QNaN: return propagate_nan(a, e);
    case Cls::Inf: return bits;
    case Cls::Zero: return zero_bits<B>(a.sign);  // a DAZ-flushed denormal keeps its sign
    default: break;
    }
    if (a.exp >= F) return bits;  // no fraction bits: already integral
    // value = sig * 2^(exp - F): the integer part and the discarded fraction, with `half` the
    // weight of 0.5 in the same units as `rem` (for |value| < 0.5 a tiny rem below half).
    u64 ip, rem, half;
    if (a.exp >= 0) {
        const int sh = F - a.exp;
        ip = a.sig >> sh;
        rem = a.sig & ((u64(1) << sh) - 1);
        half = u64(1) << (sh - 1);
    } else if (a.exp == -1) {
        ip = 0, rem = a.sig, half = u64(1) << F;
    } else {
        ip = 0, rem = 1, half = 2;
    }
    if (rem == 0) return bits;
    e.flags |= kInexact;
    if (round_up(mode, a.sign, ip & 1, rem, half)) ip++;
    if (ip == 0) return zero_bits<B>(a.sign);  // the sign is kept (-0.3 -> -0.0)
    // ip < 2^(F+2): exactly representable.
    const int p = 63 - std::countl_zero(ip);
    const B frac = static_cast<B>((p <= F ? ip << (F - p) : ip >> (p - F)) & frac_mask<B>());
    return (a.sign ? sign_mask<B>() : 0) | (B(p + Fmt<B>::kBias) << F) | frac;
}

}  // namespace
}  // namespace detail

u32 f32_round_int(u32 a, u8 mode, Env& e) { return detail::round_int<u32>(a, mode, e); }
u64 f64_round_int(u64 a, u8 mode, Env& e) { return detail::round_int<u64>(a, mode, e); }

}  // namespace vireo::softfloat
