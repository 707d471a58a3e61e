// Add, subtract, multiply, divide, square root (SDM Vol. 2 ADDPS/SUBPS/MULPS/DIVPS/SQRTPS and
// their PD/SS/SD forms), correctly rounded per IEEE 754 with the x86 exception rules.
//
// Exception priority within one element (SDM Vol. 1 4.9.2): invalid from an SNaN; a QNaN
// operand (no further exception); other invalid operations and divide-by-zero; denormal
// operand; then overflow/underflow/inexact from the rounding.
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {

template <typename B>
void note_denormals(const Unpacked<B>& a, const Unpacked<B>& b, Env& e) {
    if (a.denormal || b.denormal) e.flags |= kDenormal;
}

template <typename B>
B add(B abits, B bbits, bool subtract, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    Unpacked<B> a = unpack(abits, e), b = unpack(bbits, e);
    if (a.nan() || b.nan()) return propagate_nan(a, b, e);
    const bool bsign = b.sign != subtract;
    if (a.cls == Cls::Inf || b.cls == Cls::Inf) {
        // inf - inf (effective subtraction of infinities) is invalid (SDM Vol. 1 4.9.1.2).
        if (a.cls == Cls::Inf && b.cls == Cls::Inf && a.sign != bsign) return invalid<B>(e);
        note_denormals(a, b, e);
        return a.cls == Cls::Inf ? inf_bits<B>(a.sign) : inf_bits<B>(bsign);
    }
    note_denormals(a, b, e);
    if (a.cls == Cls::Zero && b.cls == Cls::Zero) {
        // IEEE 754 6.3: the sum of opposite zeros is +0, -0 when rounding down.
        if (a.sign == bsign) return zero_bits<B>(a.sign);
        return zero_bits<B>(e.round == kRoundDown);
    }
    // A zero operand: the other one, through the rounding (a denormal may be flushed by FTZ).
    if (b.cls == Cls::Zero) return round_pack<B>(a.sign, a.exp, a.sig << (62 - F), e);
    if (a.cls == Cls::Zero) return round_pack<B>(bsign, b.exp, b.sig << (62 - F), e);

    // Leading ones at bit 61 (room for a carry at 62), the smaller operand aligned with jamming.
    u64 sa = a.sig << (61 - F), sb = b.sig << (61 - F);
    int exp = a.exp;
    bool sign = a.sign;
    if (a.exp > b.exp) {
        sb = shr_jam(sb, a.exp - b.exp);
    } else if (b.exp > a.exp) {
        sa = shr_jam(sa, b.exp - a.exp);
        exp = b.exp;
    }
    u64 r;
    if (a.sign == bsign) {
        r = sa + sb;
    } else if (sa >= sb) {
        r = sa - sb;
    } else {
        r = sb - sa;
        sign = bsign;
    }
    if (r == 0) return zero_bits<B>(e.round == kRoundDown);  // exact cancellation
    return norm_round_pack<B>(sign, exp + 1, r, e);  // bit 61 weighs 2^exp, so bit 62 2^(exp+1)
}

template <typename B>
B mul(B abits, B bbits, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    Unpacked<B> a = unpack(abits, e), b = unpack(bbits, e);
    if (a.nan() || b.nan()) return propagate_nan(a, b, e);
    const bool sign = a.sign != b.sign;
    if (a.cls == Cls::Inf || b.cls == Cls::Inf) {
        if (a.cls == Cls::Zero || b.cls == Cls::Zero) return invalid<B>(e);  // 0 * inf
        note_denormals(a, b, e);
        return inf_bits<B>(sign);
    }
    note_denormals(a, b, e);
    if (a.cls == Cls::Zero || b.cls == Cls::Zero) return zero_bits<B>(sign);
    // Product of two significands with leading ones at bit F: leading one at 2F or 2F+1.
    const u128 p = static_cast<u128>(a.sig) * b.sig;
    const int top = 127 - (p >> 64 ? std::countl_zero(static_cast<u64>(p >> 64)) : 64 + std::countl_zero(static_cast<u64>(p)));
    const u64 sig = top >= 62 ? shr_jam128(p, top - 62) : static_cast<u64>(p) << (62 - top);
    return round_pack<B>(sign, a.exp + b.exp + (top - 2 * F), sig, e);
}

template <typename B>
B div(B abits, B bbits, Env& e) {
    Unpacked<B> a = unpack(abits, e), b = unpack(bbits, e);
    if (a.nan() || b.nan()) return propagate_nan(a, b, e);
    const bool sign = a.sign != b.sign;
    if (a.cls == Cls::Inf) {
        if (b.cls == Cls::Inf) return invalid<B>(e);  // inf / inf
        note_denormals(a, b, e);
        return inf_bits<B>(sign);
    }
    if (b.cls == Cls::Inf) {
        note_denormals(a, b, e);
        return zero_bits<B>(sign);
    }
    if (b.cls == Cls::Zero) {
        if (a.cls == Cls::Zero) return invalid<B>(e);  // 0 / 0
        e.flags |= kDivZero;                           // finite / 0 (SDM Vol. 1 4.9.1.3)
        return inf_bits<B>(sign);
    }
    note_denormals(a, b, e);
    if (a.cls == Cls::Zero) return zero_bits<B>(sign);
    // q = (sa << 64) / sb: sa/sb in (1/2, 2), so q's leading one is at bit 63 or 64.
    const u128 num = static_cast<u128>(a.sig) << 64;
    const u128 q = num / b.sig;
    const bool rest = num % b.sig != 0;
    const int top = (q >> 64) ? 64 : 63;
    const u64 sig = shr_jam128(q, top - 62) | rest;
    return round_pack<B>(sign, a.exp - b.exp + (top - 64), sig, e);
}

// Integer square root of a 128-bit value (bit by bit), with whether it was exact.
u64 isqrt128(u128 v, bool& exact) {
    u128 rem = 0, root = 0;
    for (int i = 126; i >= 0; i -= 2) {
        rem = (rem << 2) | ((v >> i) & 3);
        root <<= 1;
        const u128 trial = (root << 1) | 1;
        if (rem >= trial) {
            rem -= trial;
            root |= 1;
        }
    }
    exact = rem == 0;
    return static_cast<u64>(root);
}

template <typename B>
B sqrt(B abits, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    Unpacked<B> a = unpack(abits, e);
    if (a.nan()) return propagate_nan(a, e);
    if (a.cls == Cls::Zero) return zero_bits<B>(a.sign);  // sqrt(-0) = -0
    if (a.sign) return invalid<B>(e);                     // negative (a denormal too, without DAZ)
    if (a.cls == Cls::Inf) return inf_bits<B>(false);
    if (a.denormal) e.flags |= kDenormal;
    // value = sig * 2^(exp - F). Shift sig up so the radicand has 126-127 bits and the
    // remaining exponent is even: the root then has 63-64 bits.
    int k = 125 - F;
    if ((a.exp - F - k) & 1) k++;
    bool exact;
    const u64 root = isqrt128(static_cast<u128>(a.sig) << k, exact);
    const int rexp = (a.exp - F - k) / 2;  // sqrt = root * 2^rexp (exact division: even)
    const int top = 63 - std::countl_zero(root);
    const u64 sig = shr_jam(root, top - 62) | !exact;
    return round_pack<B>(false, rexp + top, sig, e);
}

}  // namespace
}  // namespace detail

using namespace detail;
u32 f32_add(u32 a, u32 b, Env& e) { return add<u32>(a, b, false, e); }
u32 f32_sub(u32 a, u32 b, Env& e) { return add<u32>(a, b, true, e); }
u32 f32_mul(u32 a, u32 b, Env& e) { return mul<u32>(a, b, e); }
u32 f32_div(u32 a, u32 b, Env& e) { return div<u32>(a, b, e); }
u32 f32_sqrt(u32 a, Env& e) { return detail::sqrt<u32>(a, e); }
u64 f64_add(u64 a, u64 b, Env& e) { return add<u64>(a, b, false, e); }
u64 f64_sub(u64 a, u64 b, Env& e) { return add<u64>(a, b, true, e); }
u64 f64_mul(u64 a, u64 b, Env& e) { return mul<u64>(a, b, e); }
u64 f64_div(u64 a, u64 b, Env& e) { return div<u64>(a, b, e); }
u64 f64_sqrt(u64 a, Env& e) { return detail::sqrt<u64>(a, e); }

}  // namespace vireo::softfloat
