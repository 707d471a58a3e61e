// Internals shared by the softfloat files: format traits, unpacking with DAZ, the x86 NaN
// rules, and the one rounding routine every operation ends in.
#pragma once
#include <bit>
#include "frontend-x86/softfloat/softfloat.h"

namespace vireo::softfloat::detail {

using u128 = unsigned __int128;

// IEEE 754 binary formats (SDM Vol. 1 4.2.2, Table 4-3).
template <typename Bits>
struct Fmt;
template <>
struct Fmt<u32> {
    static constexpr int kFrac = 23, kBias = 127, kExpMax = 255;
    static constexpr u32 kDefaultNaN = kF32DefaultNaN;
};
// binary16 (SDM Vol. 1 4.2.2 Table 4-3; only F16C's VCVTPS2PH/VCVTPH2PS use it).
template <>
struct Fmt<u16> {
    static constexpr int kFrac = 10, kBias = 15, kExpMax = 31;
    static constexpr u16 kDefaultNaN = 0xFE00;
};
template <>
struct Fmt<u64> {
    static constexpr int kFrac = 52, kBias = 1023, kExpMax = 2047;
    static constexpr u64 kDefaultNaN = kF64DefaultNaN;
};

template <typename B>
constexpr B frac_mask() { return (B(1) << Fmt<B>::kFrac) - 1; }
template <typename B>
constexpr B sign_mask() { return B(1) << (8 * sizeof(B) - 1); }
template <typename B>
constexpr B quiet_bit() { return B(1) << (Fmt<B>::kFrac - 1); }
template <typename B>
constexpr B inf_bits(bool sign) { return (sign ? sign_mask<B>() : 0) | (B(Fmt<B>::kExpMax) << Fmt<B>::kFrac); }
template <typename B>
constexpr B zero_bits(bool sign) { return sign ? sign_mask<B>() : 0; }

enum class Cls : u8 { Zero, Finite, Inf, QNaN, SNaN };

// An unpacked operand. Finite values are normalized: value = sig * 2^(exp - kFrac) with the
// leading one of sig at bit kFrac (denormals are shifted up, exp lowered).
template <typename B>
struct Unpacked {
    Cls cls;
    bool sign;
    bool denormal;  // a denormal input (not flushed by DAZ): raises DE where the op reports it
    int exp;
    u64 sig;
    B bits;         // the original encoding (NaN propagation)
    bool nan() const { return cls == Cls::QNaN || cls == Cls::SNaN; }
};

template <typename B>
Unpacked<B> unpack(B v, const Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    Unpacked<B> u{};
    u.bits = v;
    u.sign = v & sign_mask<B>();
    const int be = static_cast<int>((v >> F) & Fmt<B>::kExpMax);
    const u64 f = v & frac_mask<B>();
    if (be == Fmt<B>::kExpMax) {
        u.cls = f == 0 ? Cls::Inf : (f & quiet_bit<B>()) ? Cls::QNaN : Cls::SNaN;
    } else if (be == 0) {
        if (f == 0 || e.daz) {
            // SDM Vol. 1 10.2.3.4: DAZ reads a denormal as zero with the operand's sign.
            u.cls = Cls::Zero;
        } else {
            u.cls = Cls::Finite;
            u.denormal = true;
            const int shift = std::countl_zero(f) - (63 - F);
            u.sig = f << shift;
            u.exp = 1 - Fmt<B>::kBias - shift;
        }
    } else {
        u.cls = Cls::Finite;
        u.sig = f | (u64(1) << F);
        u.exp = be - Fmt<B>::kBias;
    }
    return u;
}

template <typename B>
B quieten(B v) { return v | quiet_bit<B>(); }

// SDM Vol. 1 4.8.3.5 Table 4-7 (SSE column): an SNaN operand raises invalid; the result is the
// first source operand's NaN if it is one, else the second's, made quiet either way.
template <typename B>
B propagate_nan(const Unpacked<B>& a, const Unpacked<B>& b, Env& e) {
    if (a.cls == Cls::SNaN || b.cls == Cls::SNaN) e.flags |= kInvalid;
    return quieten(a.nan() ? a.bits : b.bits);
}
template <typename B>
B propagate_nan(const Unpacked<B>& a, Env& e) {
    if (a.cls == Cls::SNaN) e.flags |= kInvalid;
    return quieten(a.bits);
}
template <typename B>
B invalid(Env& e) {
    e.flags |= kInvalid;
    return Fmt<B>::kDefaultNaN;
}

// Shift right keeping a sticky bit: any one shifted out sets bit 0 ("jamming").
inline u64 shr_jam(u64 v, int n) {
    if (n <= 0) return v;
    if (n >= 64) return v != 0;
    return (v >> n) | ((v << (64 - n)) != 0);
}
inline u64 shr_jam128(u128 v, int n) {
    if (n <= 0) return static_cast<u64>(v);
    if (n >= 128) return v != 0;
    return static_cast<u64>((v >> n) | ((v << (128 - n)) != 0));
}

// Whether to round a magnitude up, given the discarded bits rem and the value of one half ulp.
inline bool round_up(u8 mode, bool sign, bool lsb, u64 rem, u64 half) {
    switch (mode) {
    case kRoundNearest: return rem > half || (rem == half && lsb);
    case kRoundDown: return sign && rem != 0;
    case kRoundUp: return !sign && rem != 0;
    default: return false;
    }
}

// Round value = sig * 2^(exp - 62) (sig has its leading one at bit 62, sticky in bit 0; sig = 0
// is an exact zero) to the format and pack it, raising OE/UE/PE per x86:
// - tininess is detected after rounding (the result rounded to the format's precision with an
//   unbounded exponent is below the smallest normal), SDM Vol. 1 4.9.1.5;
// - underflow masked: UE (with PE) only when the tiny result is also inexact, or always with
//   FTZ, which returns a zero of the result's sign (SDM Vol. 1 10.2.3.3, 11.5.2.4);
// - underflow unmasked: UE for any tiny result, PE when the (exponent-unbounded) rounding was
//   inexact; the caller raises #XM and delivers nothing, so only the flags matter;
// - overflow masked: OE and PE, infinity or the largest finite by rounding direction; unmasked:
//   OE, PE if inexact (SDM Vol. 1 4.9.1.4, 11.5.2.3).
template <typename B>
B round_pack(bool sign, int exp, u64 sig, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    constexpr int kDrop = 62 - F;  // bits below the format's last significand bit
    constexpr u64 kHalf = u64(1) << (kDrop - 1);
    constexpr u64 kRemMask = (u64(1) << kDrop) - 1;
    constexpr int kEmin = 1 - Fmt<B>::kBias, kEmax = Fmt<B>::kBias;
    if (sig == 0) return zero_bits<B>(sign);

    // The rounding with an unbounded exponent.
    const u64 rem_n = sig & kRemMask;
    u64 m = sig >> kDrop;
    int ex = exp;
    if (round_up(e.round, sign, m & 1, rem_n, kHalf)) {
        m++;
        if (m >> (F + 1)) {
            m >>= 1;
            ex++;
        }
    }
    const bool inexact_n = rem_n != 0;
    const bool um = e.masks & kUnderflow, om = e.masks & kOverflow;

    if (ex > kEmax) {
        if (!om) {
            e.flags |= kOverflow | (inexact_n ? kInexact : 0);
            return inf_bits<B>(sign);  // not delivered (#XM)
        }
        e.flags |= kOverflow | kInexact;
        const bool to_inf = e.round == kRoundNearest || (e.round == kRoundUp && !sign) ||
                            (e.round == kRoundDown && sign);
        return to_inf ? inf_bits<B>(sign) : B(inf_bits<B>(sign) - 1);
    }
    if (ex >= kEmin) {
        if (inexact_n) e.flags |= kInexact;
        return (sign ? sign_mask<B>() : 0) | (B(ex + Fmt<B>::kBias) << F) | (B(m) & frac_mask<B>());
    }
    // Tiny.
    if (!um) {
        e.flags |= kUnderflow | (inexact_n ? kInexact : 0);
        return zero_bits<B>(sign);  // not delivered (#XM)
    }
    if (e.ftz) {
        e.flags |= kUnderflow | kInexact;
        return zero_bits<B>(sign);
    }
    // Denormalize: the value is sig * 2^(exp - 62); a denormal's last bit weighs 2^(kEmin - F).
    const u64 d = shr_jam(sig, kEmin - exp);
    const u64 rem = d & kRemMask;
    u64 dm = d >> kDrop;
    if (round_up(e.round, sign, dm & 1, rem, kHalf)) dm++;  // may carry into the smallest normal
    if (rem) e.flags |= kUnderflow | kInexact;
    return (sign ? sign_mask<B>() : 0) | B(dm);
}

// Normalize a nonzero 64-bit significand so its leading one is at bit 62 and round.
template <typename B>
B norm_round_pack(bool sign, int exp_of_bit62, u64 sig, Env& e) {
    if (sig == 0) return zero_bits<B>(sign);
    const int lz = std::countl_zero(sig);
    if (lz == 0) return round_pack<B>(sign, exp_of_bit62 + 1, shr_jam(sig, 1), e);
    return round_pack<B>(sign, exp_of_bit62 - (lz - 1), sig << (lz - 1), e);
}

}  // namespace vireo::softfloat::detail
