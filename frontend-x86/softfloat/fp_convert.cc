// Conversions (SDM Vol. 2A CVTSS2SD, CVTSD2SS, CVTPS2PD, CVTPD2PS, CVTSI2SS/SD, CVTDQ2PS/PD,
// CVT(T)SS2SI, CVT(T)SD2SI, CVT(T)PS2DQ, CVT(T)PD2DQ).
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {

// binary32 -> binary64 is exact; an SNaN is quieted (invalid), a NaN keeps its sign and its
// payload in the top fraction bits (SDM Vol. 1 4.8.3.5: a QNaN result from a QNaN operand).
u64 widen(u32 v, Env& e) {
    const Unpacked<u32> a = unpack(v, e);
    const u64 sign = u64(a.sign) << 63;
    switch (a.cls) {
    case Cls::SNaN: e.flags |= kInvalid; [[fallthrough]];
    case Cls::QNaN: return sign | 0x7FF8000000000000ull | (u64(v & 0x3FFFFF) << 29);
    case Cls::Inf: return inf_bits<u64>(a.sign);
    case Cls::Zero: return sign;
    default:
        if (a.denormal) e.flags |= kDenormal;
        return sign | (u64(a.exp + 1023) << 52) | ((a.sig << 29) & frac_mask<u64>());
    }
}

// binary64 -> binary32, rounded; a NaN keeps its sign and the top 22 payload bits.
u32 narrow(u64 v, Env& e) {
    const Unpacked<u64> a = unpack(v, e);
    const u32 sign = u32(a.sign) << 31;
    switch (a.cls) {
    case Cls::SNaN: e.flags |= kInvalid; [[fallthrough]];
    case Cls::QNaN: return sign | 0x7FC00000u | static_cast<u32>((v >> 29) & 0x3FFFFF);
    case Cls::Inf: return inf_bits<u32>(a.sign);
    case Cls::Zero: return sign;
    default:
        if (a.denormal) e.flags |= kDenormal;
        return round_pack<u32>(a.sign, a.exp, a.sig << (62 - 52), e);
    }
}

// binary16 -> binary32 (VCVTPH2PS): exact. DAZ is not consulted for half inputs (a half
// denormal is read as its value) and there is no denormal exception: the SDM page lists only
// invalid, and the host agrees (tests/cpu/native_diff_f16c_fma_test.cc). A NaN keeps its sign
// and its 9-bit payload in the top fraction bits.
u32 h2s(u16 v, Env& e) {
    Env raw = e;
    raw.daz = false;
    const Unpacked<u16> a = unpack(v, raw);
    const u32 sign = u32(a.sign) << 31;
    switch (a.cls) {
    case Cls::SNaN: e.flags |= kInvalid; [[fallthrough]];
    case Cls::QNaN: return sign | 0x7FC00000u | (u32(v & 0x1FF) << 13);
    case Cls::Inf: return inf_bits<u32>(a.sign);
    case Cls::Zero: return sign;
    default: return sign | (u32(a.exp + 127) << 23) | ((static_cast<u32>(a.sig) << 13) & frac_mask<u32>());
    }
}

// binary32 -> binary16 (VCVTPS2PH), rounded by `mode`; a NaN keeps its sign and the top 9
// payload bits. DAZ applies to the source (a single denormal raises DE otherwise); MXCSR.FTZ
// does not apply to the result: tiny results are denormal halves (as the host does).
u16 s2h(u32 v, u8 mode, Env& e) {
    const Unpacked<u32> a = unpack(v, e);
    const u16 sign = static_cast<u16>(u16(a.sign) << 15);
    switch (a.cls) {
    case Cls::SNaN: e.flags |= kInvalid; [[fallthrough]];
    case Cls::QNaN: return static_cast<u16>(sign | 0x7E00u | ((v >> 13) & 0x1FF));
    case Cls::Inf: return inf_bits<u16>(a.sign);
    case Cls::Zero: return sign;
    default: {
        if (a.denormal) e.flags |= kDenormal;
        Env r = e;
        r.round = mode;
        r.ftz = false;
        r.flags = 0;
        const u16 h = round_pack<u16>(a.sign, a.exp, a.sig << (62 - 23), r);
        e.flags |= r.flags;
        return h;
    }
    }
}

// Integer -> float, rounded by env.round.
template <typename B>
B int_to(i64 v, Env& e) {
    const bool neg = v < 0;
    const u64 mag = neg ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
    if (mag == 0) return 0;
    return norm_round_pack<B>(neg, 62, mag, e);  // bit 62 of mag weighs 2^62
}

// Float -> signed integer of N bits (32 or 64), rounded by env.round or truncated. Out of range
// or NaN/infinity: the integer indefinite 1 << (N-1) with invalid and no inexact (SDM Vol. 1
// 4.8.3.7, Vol. 2A CVTSS2SI). No denormal exception (the CVT*2SI pages list only invalid and
// precision); DAZ does apply to the source.
template <typename B, int N>
i64 to_int(B bits, bool truncate, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    constexpr u64 kIndef = u64(1) << (N - 1);
    const Unpacked<B> a = unpack(bits, e);
    if (a.nan() || a.cls == Cls::Inf) {
        e.flags |= kInvalid;
        return static_cast<i64>(kIndef);
    }
    if (a.cls == Cls::Zero) return 0;
    // |v| = sig * 2^(exp - F).
    if (a.exp >= N) {  // |v| >= 2^N: out of range whatever the rounding
        e.flags |= kInvalid;
        return static_cast<i64>(kIndef);
    }
    u64 ip, rem = 0;  // integer part, and the fraction as 64-bit fixed point (sticky in bit 0)
    const int sh = F - a.exp;  // right shift to the integer part
    if (sh <= 0) {
        ip = a.sig << -sh;
    } else if (sh >= 64) {
        // a.sig < 2^(F+1) <= 2^53, so |v| < 2^-11: the fraction is nonzero and below one half.
        ip = 0;
        rem = 1;
    } else {
        ip = a.sig >> sh;
        rem = a.sig << (64 - sh);
    }
    const u8 mode = truncate ? u8(kRoundZero) : e.round;
    if (round_up(mode, a.sign, ip & 1, rem, u64(1) << 63)) ip++;
    const u64 limit = a.sign ? kIndef : kIndef - 1;
    if (ip > limit) {
        e.flags |= kInvalid;
        return static_cast<i64>(kIndef);
    }
    if (rem) e.flags |= kInexact;
    return a.sign ? static_cast<i64>(0 - ip) : static_cast<i64>(ip);
}

}  // namespace
}  // namespace detail

using namespace detail;
u64 f32_to_f64(u32 a, Env& e) { return widen(a, e); }
u32 f64_to_f32(u64 a, Env& e) { return narrow(a, e); }
u32 f16_to_f32(u16 a, Env& e) { return h2s(a, e); }
u16 f32_to_f16(u32 a, u8 mode, Env& e) { return s2h(a, mode, e); }
u32 i32_to_f32(i32 v, Env& e) { return int_to<u32>(v, e); }
u32 i64_to_f32(i64 v, Env& e) { return int_to<u32>(v, e); }
u64 i32_to_f64(i32 v, Env& e) { return int_to<u64>(v, e); }
u64 i64_to_f64(i64 v, Env& e) { return int_to<u64>(v, e); }
i32 f32_to_i32(u32 a, bool t, Env& e) { return static_cast<i32>(to_int<u32, 32>(a, t, e)); }
i64 f32_to_i64(u32 a, bool t, Env& e) { return to_int<u32, 64>(a, t, e); }
i32 f64_to_i32(u64 a, bool t, Env& e) { return static_cast<i32>(to_int<u64, 32>(a, t, e)); }
i64 f64_to_i64(u64 a, bool t, Env& e) { return to_int<u64, 64>(a, t, e); }

}  // namespace vireo::softfloat
