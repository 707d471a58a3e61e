// The x87 transcendental instructions in software (SDM Vol. 2A/2B: FSIN, FCOS, FSINCOS, FPTAN,
// FPATAN, F2XM1, FYL2X, FYL2XP1; Vol. 1 8.3.10). No host floating point: the value is computed
// in a 128-bit software float X (sign, exponent, 128-bit significand, truncating operations;
// about 120 correct bits after a series), then rounded once to 64 bits by the shared register
// rounding routine (round_pack_register), with a sticky bit for the inexact tail. Precision
// control does not apply to these instructions (SDM Vol. 1 8.1.5.2 lists the ones it affects).
//
// Argument reduction for FSIN/FCOS/FSINCOS/FPTAN follows the hardware's documented method
// (SDM Vol. 1 8.3.10): x - k * pi/2 with a 66-bit approximation of pi, computed exactly, so the
// results for large arguments match the x87 rather than the exact sine.
#include <utility>

#include "frontend-x86/softfloat/f80.h"

namespace vireo::f80 {

namespace {

using u128 = unsigned __int128;
using i128 = __int128;
constexpr i32 kBias = 16383;

// (-1)^s * m * 2^(e - 127): m normalized (bit 127 set, so the value is 1.f * 2^e) or 0 (a zero).
struct X {
    bool s = false;
    i32 e = 0;
    u128 m = 0;
};

int clz128(u128 m) {
    const u64 hi = static_cast<u64>(m >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(static_cast<u64>(m));
}
X norm(bool s, i32 e, u128 m) {
    if (!m) return {s, 0, 0};
    const int lz = clz128(m);
    return {s, e - lz, m << lz};
}
X xint(u64 v) { return norm(false, 127, v); }
X neg(X a) { return {!a.s, a.e, a.m}; }
X xabs(X a) { return {false, a.e, a.m}; }
X scale2(X a, i32 n) { return {a.s, a.e + n, a.m}; }

X from_f80(F80 a) {
    if (a.sig == 0) return {a.sign(), 0, 0};
    const i32 ef = a.exp();
    return norm(a.sign(), (ef == 0 ? 1 : ef) - kBias + 64, a.sig);
}

X xmul(X a, X b) {
    if (!a.m || !b.m) return {a.s != b.s, 0, 0};
    constexpr u128 kLo = ~static_cast<u64>(0);
    const u128 a1 = a.m >> 64, a0 = a.m & kLo, b1 = b.m >> 64, b0 = b.m & kLo;
    const u128 hh = a1 * b1, hl = a1 * b0, lh = a0 * b1, ll = a0 * b0;
    const u128 mid = (hl & kLo) + (lh & kLo) + (ll >> 64);
    const u128 h = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
    return norm(a.s != b.s, a.e + b.e + 1, h);
}

X xadd(X a, X b) {
    if (!a.m) return b;
    if (!b.m) return a;
    if (a.e < b.e || (a.e == b.e && a.m < b.m)) std::swap(a, b);
    const i64 d = static_cast<i64>(a.e) - b.e;
    const u128 bm = d >= 128 ? 0 : b.m >> d;
    if (a.s == b.s) {
        const u128 s = a.m + bm;
        if (s < a.m) return {a.s, a.e + 1, (s >> 1) | (static_cast<u128>(1) << 127)};
        return {a.s, a.e, s};
    }
    return norm(a.s, a.e, a.m - bm);
}
X xsub(X a, X b) { return xadd(a, neg(b)); }

// Restoring division: 128 quotient bits.
X xdiv(X a, X b) {
    if (!a.m) return {a.s != b.s, 0, 0};
    u128 r = a.m, q = 0;
    bool carry = false;
    for (int i = 0; i < 128; i++) {
        q <<= 1;
        if (carry || r >= b.m) {
            r -= b.m;
            q |= 1;
        }
        carry = r >> 127;
        r <<= 1;
    }
    return norm(a.s != b.s, a.e - b.e, q);
}

// Newton's iteration from a power of two (quadratic convergence; 10 steps reach 128 bits).
X xsqrt(X a) {
    if (!a.m) return a;
    // a ~ 2^a.e, so start at 2^floor(a.e / 2).
    X y{false, a.e >= 0 ? a.e / 2 : -((-a.e + 1) / 2), static_cast<u128>(1) << 127};
    for (int i = 0; i < 10; i++) y = scale2(xadd(y, xdiv(a, y)), -1);
    return y;
}

// The series stop at the first negligible term; its sign tells whether the true value lies
// below the computed sum in magnitude (it matters when the sum is exactly representable: sin of
// a tiny x is just below x, cos just below 1).
thread_local bool g_below = false;
bool tiny_vs(X term, X sum) {
    if (term.m && term.e >= sum.e - 134) return false;
    g_below = term.m && term.s != sum.s;
    return true;
}

// pi, ln(2) and log2(e) truncated to 128 bits (checked against Machin's formula and the atanh
// series for ln 2 at 80 decimal digits).
constexpr X kPi{false, 1, (static_cast<u128>(0xC90FDAA22168C234ull) << 64) | 0xC4C6628B80DC1CD1ull};
constexpr X kLn2{false, -1, (static_cast<u128>(0xB17217F7D1CF79ABull) << 64) | 0xC9E3B39803F2F6AFull};
constexpr X kLog2e{false, 0, (static_cast<u128>(0xB8AA3B295C17F0BBull) << 64) | 0xBE87FED0691D3E88ull};
const X kOne = xint(1);

// Taylor series, |r| <= pi/4.
X sin_series(X r) {
    const X r2 = xmul(r, r);
    X term = r, sum = r;
    for (u64 n = 2;; n += 2) {
        term = neg(xdiv(xmul(term, r2), xint(n * (n + 1))));
        sum = xadd(sum, term);
        if (tiny_vs(term, sum)) return sum;
    }
}
X cos_series(X r) {
    const X r2 = xmul(r, r);
    X term = kOne, sum = kOne;
    for (u64 n = 2;; n += 2) {
        term = neg(xdiv(xmul(term, r2), xint((n - 1) * n)));
        sum = xadd(sum, term);
        if (tiny_vs(term, sum)) return sum;
    }
}
// e^z - 1.
X expm1_series(X z) {
    X term = z, sum = z;
    for (u64 n = 2;; n++) {
        term = xdiv(xmul(term, z), xint(n));
        sum = xadd(sum, term);
        if (tiny_vs(term, sum)) return sum;
    }
}
// 2 * atanh(u) = ln((1 + u) / (1 - u)), |u| <= 0.18.
X atanh2_series(X u) {
    const X u2 = xmul(u, u);
    X p = u, sum = u;
    for (u64 k = 3;; k += 2) {
        p = xmul(p, u2);
        const X t = xdiv(p, xint(k));
        sum = xadd(sum, t);
        if (tiny_vs(t, sum)) return scale2(sum, 1);
    }
}
// atan(t), 0 <= t <= 1: halve the angle (atan t = 2 atan(t / (1 + sqrt(1 + t^2)))) below 1/4,
// then the Taylor series.
X atan_small(X t) {
    int halvings = 0;
    while (t.m && t.e >= -2) {
        t = xdiv(t, xadd(kOne, xsqrt(xadd(kOne, xmul(t, t)))));
        halvings++;
    }
    const X t2 = xmul(t, t);
    X p = t, sum = t;
    for (u64 k = 3; t.m; k += 2) {
        p = neg(xmul(p, t2));
        const X term = xdiv(p, xint(k));
        sum = xadd(sum, term);
        if (tiny_vs(term, sum)) break;
    }
    return scale2(sum, halvings);
}
// ln(x), x > 0: x = m * 2^E with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)).
// Returns log2(x) = E + ln(m) * log2(e).
X log2_x(X x) {
    i32 E = x.e;
    X m{false, 0, x.m};
    if ((x.m >> 64) >= 0xB504F333F9DE6484ull) {
        m.e = -1;
        E++;
    }
    const X u = xdiv(xsub(m, kOne), xadd(m, kOne));
    const X l = xmul(atanh2_series(u), kLog2e);
    return xadd(E < 0 ? neg(xint(static_cast<u64>(-static_cast<i64>(E)))) : xint(static_cast<u64>(E)), l);
}

// Round once; inexact results get a sticky bit just above or below the computed value.
F80 round_x(X v, Env80& e, bool exact = false, bool below = false) {
    if (!v.m) return make(v.s, 0, 0);
    const u128 m = exact ? v.m : below ? (v.m - 1) | 1 : v.m | 1;
    return round_pack_register(v.s, v.e, m, 64, e);
}

F80 quiet(F80 a) {
    a.sig |= 1ull << 62;
    return a;
}
F80 invalid(Env80& e) {
    e.flags |= kIE;
    return kIndefinite;
}
// Two NaN operands: SDM Vol. 1 4.8.3.5 Table 4-7 (as the arithmetic instructions).
F80 propagate(F80 a, Class ka, F80 b, Class kb, Env80& e) {
    if (ka == Class::SNaN || kb == Class::SNaN) e.flags |= kIE;
    if (is_nan(ka) && is_nan(kb)) {
        if (ka != kb) return ka == Class::QNaN ? a : b;
        if (a.sig != b.sig) return quiet(a.sig > b.sig ? a : b);
        return quiet(a.se < b.se ? a : b);
    }
    return quiet(is_nan(ka) ? a : b);
}
// An unmasked denormal-operand exception stops the operation (SDM Vol. 1 8.5.2).
bool denormal_stops(Env80& e, Class ka, Class kb = Class::Zero) {
    if (ka == Class::Denormal || kb == Class::Denormal) e.flags |= kDE;
    return (e.flags & kDE) && !(e.masks & kDE);
}
F80 inf(bool sign) { return make(sign, 0x7fff, 1ull << 63); }
F80 zero(bool sign) { return make(sign, 0, 0); }
constexpr F80 kOne80{1ull << 63, 0x3fff};

// The x87's pi for reduction: 66 bits (SDM Vol. 1 8.3.10), as an integer P ~ pi * 2^64.
constexpr u128 kPi66 = (static_cast<u128>(0xC90FDAA22168C234ull) << 2) | 3;

}  // namespace

bool trig(Trig op, F80 x, F80& out, F80& out2, Env80& e) {
    e.c1 = false;
    const Class k = classify(x);
    out2 = kOne80;
    if (k == Class::Unsupported || k == Class::Inf) {
        out = out2 = invalid(e);
        return true;
    }
    if (is_nan(k)) {
        if (k == Class::SNaN) e.flags |= kIE;
        out = out2 = quiet(x);
        return true;
    }
    if (k == Class::Zero) {
        out = op == Trig::Cos ? kOne80 : x;
        return true;
    }
    // SDM Vol. 2A FSIN/FCOS/FPTAN/FSINCOS: |x| >= 2^63 is out of range (C2 = 1, no change).
    if (x.exp() >= kBias + 63) return false;
    if (denormal_stops(e, k)) {
        out = out2 = x;
        return true;
    }
    // Reduction: k = nearest(|x| / (pi66 / 2)), r = |x| - k * pi66 / 2 exactly.
    X ax = xabs(from_f80(x));
    u64 q = 0;
    X r = ax;
    const X pio4 = scale2(kPi, -2);
    if (ax.e > pio4.e || (ax.e == pio4.e && ax.m > pio4.m)) {
        const X qx = xadd(xdiv(ax, scale2(kPi, -1)), scale2(kOne, -1));
        const i32 sh = 127 - qx.e;  // qx = m * 2^(e - 127): integer part m >> sh
        q = sh >= 128 ? 0 : static_cast<u64>(qx.m >> sh);
        // x = sig * 2^(E - 63) (E: unbiased exponent, -1..62 here), pi66 / 2 = P * 2^-65, so
        // r * 2^65 = sig * 2^(E + 2) - q * P; both terms fit 128 bits modulo wrap-around, and
        // the difference (|d| <= P / 2) is exact.
        const i32 E = x.exp() - kBias;
        const u128 xs = static_cast<u128>(x.sig) << (E + 2);
        const i128 d = static_cast<i128>(xs - static_cast<u128>(q) * kPi66);
        const bool dn = d < 0;
        r = norm(dn, 127 - 65, static_cast<u128>(dn ? -d : d));
    }
    const bool xneg = x.sign();
    auto sin_of = [&](unsigned quadrant) {
        g_below = false;
        X v = (quadrant & 1) ? cos_series(r) : sin_series(r);
        if (quadrant & 2) v = neg(v);
        return v;
    };
    switch (op) {
    case Trig::Sin: {
        X v = sin_of(q & 3);
        out = round_x(xneg ? neg(v) : v, e, false, g_below);
        break;
    }
    case Trig::Cos: {
        const X v = sin_of((q + 1) & 3);
        out = round_x(v, e, false, g_below);
        break;
    }
    case Trig::SinCos: {
        // FSINCOS: ST(0) = sin, then cos is pushed; C1 reports the sine's rounding (observed:
        // with the cosine's, 1 in 3 domain cases differed from the host).
        X v = sin_of(q & 3);
        out = round_x(xneg ? neg(v) : v, e, false, g_below);
        const bool c1_sin = e.c1;
        const X c = sin_of((q + 1) & 3);
        out2 = round_x(c, e, false, g_below);
        e.c1 = c1_sin;
        break;
    }
    case Trig::Tan: {
        g_below = false;
        const X s = sin_series(r);
        const bool below = false;  // tan of a tiny x is just above x (the host agrees: RD gives x)
        const X c = cos_series(r);
        X v = (q & 1) ? neg(xdiv(c, s)) : xdiv(s, c);
        out = round_x(xneg ? neg(v) : v, e, false, below);
        out2 = kOne80;
        break;
    }
    }
    return true;
}

F80 patan(F80 y, F80 x, Env80& e) {
    e.c1 = false;
    const Class ky = classify(y), kx = classify(x);
    if (ky == Class::Unsupported || kx == Class::Unsupported) return invalid(e);
    if (is_nan(ky) || is_nan(kx)) return propagate(y, ky, x, kx, e);
    if (denormal_stops(e, ky, kx)) return y;
    const bool ys = y.sign(), xs = x.sign();
    auto pi_times = [&](unsigned num, unsigned den_log2) {  // +-num * pi / 2^den_log2
        X v = scale2(kPi, -static_cast<i32>(den_log2));
        if (num == 3) v = xmul(v, xint(3));
        v.s = ys;
        return round_x(v, e);
    };
    // SDM Vol. 2A FPATAN Table 3-30.
    if (ky == Class::Inf) {
        if (kx == Class::Inf) return xs ? pi_times(3, 2) : pi_times(1, 2);
        return pi_times(1, 1);
    }
    if (kx == Class::Inf) return xs ? pi_times(1, 0) : zero(ys);
    if (ky == Class::Zero) return xs ? pi_times(1, 0) : zero(ys);
    if (kx == Class::Zero) return pi_times(1, 1);
    const X ay = xabs(from_f80(y)), ax = xabs(from_f80(x));
    X a;
    bool below = false;
    if (ay.e < ax.e || (ay.e == ax.e && ay.m <= ax.m)) {
        g_below = false;
        a = atan_small(xdiv(ay, ax));
        below = g_below && !xs;
    } else {
        a = xsub(scale2(kPi, -1), atan_small(xdiv(ax, ay)));
    }
    if (xs) a = xsub(kPi, a);
    a.s = ys;
    return round_x(a, e, false, below);
}

F80 f2xm1(F80 x, Env80& e) {
    e.c1 = false;
    const Class k = classify(x);
    if (k == Class::Unsupported) return invalid(e);
    if (is_nan(k)) return propagate(x, k, x, k, e);
    if (k == Class::Zero) return x;
    if (k == Class::Inf) return x.sign() ? make(true, 0x3fff, 1ull << 63) : x;
    if (denormal_stops(e, k)) return x;
    // 2^(+-1) - 1: the host's results are those of a value just below 1 / just beyond -0.5 in
    // magnitude (inexact; observed under every rounding mode), not the exact 1 and -0.5.
    if (x.sig == 1ull << 63 && x.exp() == kBias) {
        const X r{x.sign(), x.sign() ? -1 : 0, static_cast<u128>(1) << 127};
        return round_x(r, e, false, !x.sign());
    }
    const X v = from_f80(x);
    // Outside -1..+1 the result is undefined (SDM Vol. 2A F2XM1); this stays finite and sane.
    if (v.e >= 7) {
        if (!v.s) return round_pack_register(false, 1 << 20, static_cast<u128>(1) << 127, 64, e);
        return round_x({true, -1, ~static_cast<u128>(0)}, e);
    }
    g_below = false;
    const X r = expm1_series(xmul(v, kLn2));
    return round_x(r, e, false, g_below);
}

F80 yl2x(F80 y, F80 x, Env80& e) {
    e.c1 = false;
    const Class ky = classify(y), kx = classify(x);
    if (ky == Class::Unsupported || kx == Class::Unsupported) return invalid(e);
    if (is_nan(ky) || is_nan(kx)) return propagate(y, ky, x, kx, e);
    const bool ys = y.sign();
    // SDM Vol. 2A FYL2X Table 3-49.
    if (kx != Class::Zero && x.sign()) return invalid(e);
    if (kx == Class::Zero) {
        if (ky == Class::Zero) return invalid(e);
        // A denormal y is not reported here: the division-by-zero comes first (observed).
        if (ky != Class::Inf) e.flags |= kZE;
        return inf(!ys);
    }
    if (kx == Class::Inf) {
        if (ky == Class::Zero) return invalid(e);
        if (denormal_stops(e, ky)) return y;
        return inf(ys);
    }
    const bool is_one = x.exp() == kBias && x.sig == 1ull << 63;
    if (is_one && ky == Class::Inf) return invalid(e);
    if (denormal_stops(e, ky, kx)) return y;
    const X xv = from_f80(x);
    const bool below_one = xv.e < 0;
    if (ky == Class::Inf) return inf(ys != below_one);
    if (ky == Class::Zero || is_one) return zero(ys != below_one);
    const X yv = from_f80(y);
    // A power of two: log2 is the exponent, the product y * n is exact.
    if ((xv.m << 1) == 0) {
        const i32 n = xv.e;
        const X nv = n < 0 ? neg(xint(static_cast<u64>(-static_cast<i64>(n)))) : xint(static_cast<u64>(n));
        // Exact, but the host reports it as inexact (PE; observed).
        const F80 r = round_x(xmul(yv, nv), e, true);
        e.flags |= kPE;
        if (r.exp() == 0 && r.sig) e.flags |= kUE;  // tiny and "inexact"
        return r;
    }
    return round_x(xmul(yv, log2_x(xv)), e);
}

F80 yl2xp1(F80 y, F80 x, Env80& e) {
    e.c1 = false;
    const Class ky = classify(y), kx = classify(x);
    if (ky == Class::Unsupported || kx == Class::Unsupported) return invalid(e);
    if (is_nan(ky) || is_nan(kx)) return propagate(y, ky, x, kx, e);
    const bool ys = y.sign(), xs = x.sign();
    // SDM Vol. 2A FYL2XP1 Table 3-50 (x outside +-(1 - sqrt(2)/2) is undefined).
    if (kx == Class::Inf) {
        if (xs || ky == Class::Zero) return invalid(e);
        if (denormal_stops(e, ky)) return y;
        return inf(ys);
    }
    if (kx == Class::Zero) {
        if (ky == Class::Inf) return invalid(e);
        if (denormal_stops(e, ky)) return y;
        return zero(ys != xs);
    }
    if (denormal_stops(e, ky, kx)) return y;
    const X xv = from_f80(x);
    if (xs && xv.e >= 0) return invalid(e);  // 1 + x <= 0
    if (ky == Class::Inf) return inf(ys != xs);
    if (ky == Class::Zero) return zero(ys != xs);
    // log2(1 + x) = 2 atanh(x / (2 + x)) * log2(e).
    const X u = xdiv(xv, xadd(xint(2), xv));
    const X l = xmul(atanh2_series(u), kLog2e);
    return round_x(xmul(from_f80(y), l), e);
}

}  // namespace vireo::f80
