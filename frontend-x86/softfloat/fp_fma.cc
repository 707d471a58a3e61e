// Fused multiply-add (SDM Vol. 2A VFMADD132PS and the other FMA pages; Vol. 1 14.5.2): the
// exact product a * b plus c, rounded once by env.round, with the x86 exception rules.
//
// Within one element (SDM Vol. 1 4.9.2, 14.5.2): an SNaN operand raises invalid; with a NaN
// operand the result is the first NaN of (factor, factor, addend) in the form's order (132:
// src1, src3, src2; as the host does), made quiet, and inf * 0 with a QNaN addend raises
// nothing; otherwise inf * 0 is invalid (the default NaN), so is inf - inf; then the denormal
// operand flag; then overflow/underflow/inexact from the one rounding.
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {

inline u128 shr_jam_u128(u128 v, int n) {
    if (n <= 0) return v;
    if (n >= 128) return v != 0;
    return (v >> n) | ((v << (128 - n)) != 0);
}
inline int top_bit(u128 v) {
    const u64 hi = static_cast<u64>(v >> 64);
    return hi ? 127 - std::countl_zero(hi) : 63 - std::countl_zero(static_cast<u64>(v));
}

// x: the operands in instruction order; x[mi] * x[mj] the product, x[ak] the addend.
template <typename B>
B fma(const B (&x)[3], unsigned mi, unsigned mj, unsigned ak, bool neg_mul, bool neg_add, Env& e) {
    constexpr int F = Fmt<B>::kFrac;
    const Unpacked<B> u[3] = {unpack(x[0], e), unpack(x[1], e), unpack(x[2], e)};
    const Unpacked<B>&a = u[mi], &b = u[mj], &c = u[ak];
    if (u[0].nan() || u[1].nan() || u[2].nan()) {
        for (const auto& v : u)
            if (v.cls == Cls::SNaN) e.flags |= kInvalid;
        const Unpacked<B>* const order[3] = {&a, &b, &c};
        for (const Unpacked<B>* v : order)
            if (v->nan()) return quieten(v->bits);
    }
    const bool psign = (a.sign != b.sign) != neg_mul, csign = c.sign != neg_add;
    const bool pinf = a.cls == Cls::Inf || b.cls == Cls::Inf;
    const bool pzero = a.cls == Cls::Zero || b.cls == Cls::Zero;
    if (pinf && pzero) return invalid<B>(e);
    if (pinf || c.cls == Cls::Inf) {
        if (pinf && c.cls == Cls::Inf && psign != csign) return invalid<B>(e);
        if (a.denormal || b.denormal || c.denormal) e.flags |= kDenormal;
        return inf_bits<B>(pinf ? psign : csign);
    }
    if (a.denormal || b.denormal || c.denormal) e.flags |= kDenormal;
    if (pzero) {
        // IEEE 754 6.3: the sum of opposite zeros is +0, -0 when rounding down.
        if (c.cls == Cls::Zero) return zero_bits<B>(psign == csign ? psign : e.round == kRoundDown);
        return round_pack<B>(csign, c.exp, c.sig << (62 - F), e);
    }
    // The product with its leading one at bit 124 or 125 and the addend's at bit 124: value =
    // X * 2^k with k = exp - 124. Two bits of headroom, at least 124 - 2F - 2 guard bits; the
    // smaller is aligned with jamming (lossless unless it is at least 2 binades below).
    u128 xp = (static_cast<u128>(a.sig) * b.sig) << (124 - 2 * F);
    int kp = a.exp + b.exp - 124;
    if (c.cls == Cls::Zero) {
        const int t = top_bit(xp);
        return round_pack<B>(psign, t + kp, static_cast<u64>(shr_jam_u128(xp, t - 62)), e);
    }
    u128 xc = static_cast<u128>(c.sig) << (124 - F);
    int kc = c.exp - 124;
    int k = kp;
    if (kp > kc) xc = shr_jam_u128(xc, kp - kc);
    else if (kc > kp) xp = shr_jam_u128(xp, kc - kp), k = kc;
    u128 s;
    bool sign = psign;
    if (psign == csign) {
        s = xp + xc;
    } else if (xp >= xc) {
        s = xp - xc;
    } else {
        s = xc - xp;
        sign = csign;
    }
    if (s == 0) return zero_bits<B>(e.round == kRoundDown);  // exact cancellation
    const int t = top_bit(s);
    const u64 sig = t >= 62 ? static_cast<u64>(shr_jam_u128(s, t - 62)) : static_cast<u64>(s) << (62 - t);
    return round_pack<B>(sign, t + k, sig, e);
}

}  // namespace
}  // namespace detail

using namespace detail;
u32 f32_fma(const u32 (&x)[3], unsigned mi, unsigned mj, unsigned ak, bool neg_mul, bool neg_add, Env& e) {
    return fma(x, mi, mj, ak, neg_mul, neg_add, e);
}
u64 f64_fma(const u64 (&x)[3], unsigned mi, unsigned mj, unsigned ak, bool neg_mul, bool neg_add, Env& e) {
    return fma(x, mi, mj, ak, neg_mul, neg_add, e);
}

}  // namespace vireo::softfloat
