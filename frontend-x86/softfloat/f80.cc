// 80-bit extended precision softfloat (see f80.h). Internally a finite value is (sign, E, m):
// m is a 128-bit significand with its integer bit at bit 127 and value m * 2^(E - 127), so
// every operation's exact or sticky result fits before the single rounding step round_core().
#include "frontend-x86/softfloat/f80.h"

#include <utility>

namespace vireo::f80 {

namespace {

using u128 = unsigned __int128;

constexpr i32 kBias = 16383;
constexpr i32 kEmin80 = -16382, kEmax80 = 16383;
// SDM Vol. 1 8.5.4 / 8.5.5: an unmasked overflow/underflow with a register destination delivers
// the result with its exponent divided/multiplied by 2^24576.
constexpr i32 kBiasAdjust = 24576;

int clz128(u128 m) {
    const u64 hi = static_cast<u64>(m >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(static_cast<u64>(m));
}
u128 shr_jam(u128 m, i64 n) {
    if (n <= 0) return m;
    if (n >= 128) return m != 0;
    return (m >> n) | ((m << (128 - n)) != 0);
}

struct U {
    bool sign = false;
    i32 E = 0;
    u128 m = 0;  // 0: zero; else normalized (bit 127 set)
};

// A zero, denormal or normal operand as (sign, E, m); pseudo-denormals have exponent 1's scale.
U unpack(F80 a) {
    U u;
    u.sign = a.sign();
    if (a.sig == 0) return u;
    const i32 ef = a.exp();
    u.E = (ef == 0 ? 1 : ef) - kBias;
    u.m = static_cast<u128>(a.sig) << 64;
    const int lz = clz128(u.m);
    u.m <<= lz;
    u.E -= lz;
    return u;
}

struct R {
    bool sign;
    i32 E;
    u128 m;    // 0: zero; bit 127 clear: denormal at emin
    bool inf;
};

// Round (sign, E, m) to p significant bits in the exponent range [emin, emax] (SDM Vol. 1 4.8.4;
// 4.9.1.4 overflow; 4.9.1.5 underflow, tininess detected after rounding on x86).
// bias_adj != 0: a register destination (unmasked OE/UE give bias-adjusted results).
R round_core(bool sign, i32 E, u128 m, unsigned p, i32 emin, i32 emax, i32 bias_adj, Env80& e) {
    R r{sign, E, m, false};
    e.c1 = false;
    if (m == 0) return r;
    const int lz = clz128(m);
    m <<= lz;
    E -= lz;
    const u128 lsb = static_cast<u128>(1) << (128 - p), rmask = lsb - 1, half = lsb >> 1;
    auto increments = [&](u128 mm) {
        const u128 rem = mm & rmask;
        switch (e.round) {
        case kNearest: return rem > half || (rem == half && (mm & lsb));
        case kDown: return sign && rem != 0;
        case kUp: return !sign && rem != 0;
        default: return false;
        }
    };
    bool tiny = false;
    const bool ue_unmasked = !(e.masks & kUE);
    if (E < emin) {
        const bool reaches_min = E == emin - 1 && (m | rmask) == ~static_cast<u128>(0) && increments(m);
        tiny = !reaches_min;
        if (tiny && ue_unmasked && bias_adj && E + bias_adj < emin) {
            // Beyond even the bias-adjusted range (FSCALE) with UE unmasked: a zero, whatever
            // the rounding mode (observed).
            e.flags |= kUE | kPE;
            r.m = 0;
            return r;
        }
        if (tiny && ue_unmasked && bias_adj) {
            E += bias_adj;
        } else {
            // Denormalize (when it rounds up to the smallest normal, the carry restores it).
            m = shr_jam(m, static_cast<i64>(emin) - E);
            E = emin;
        }
    }
    const u128 rem = m & rmask;
    const bool inc = increments(m);
    m &= ~rmask;
    if (inc) {
        const u128 n = m + lsb;
        if (n < m) {
            m = static_cast<u128>(1) << 127;
            E++;
        } else {
            m = n;
        }
    }
    // A memory destination with OE/UE unmasked gets no result: only that flag is raised
    // (observed: no PE either).
    if (!bias_adj && tiny && ue_unmasked) {
        e.flags |= kUE;
        r.E = E;
        r.m = m;
        return r;
    }
    if (rem) e.flags |= kPE;
    if (tiny && (ue_unmasked || rem)) e.flags |= kUE;
    e.c1 = inc;
    if (E > emax) {
        if (!(e.masks & kOE) && bias_adj && E - bias_adj <= emax) {
            E -= bias_adj;
            e.flags |= kOE;
        } else if (!(e.masks & kOE) && !bias_adj) {
            e.flags = static_cast<u8>((e.flags & ~kPE) | kOE);
            e.c1 = false;
        } else {
            e.flags |= kOE | kPE;
            // Beyond even the bias-adjusted range (FSCALE) with OE unmasked: infinity whatever
            // the rounding mode (observed).
            const bool to_inf = e.round == kNearest || (e.round == kDown && sign) || (e.round == kUp && !sign) ||
                                (!(e.masks & kOE) && bias_adj);
            if (to_inf) {
                r.inf = true;
                e.c1 = true;
            } else {
                m = ~rmask;
                E = emax;
                e.c1 = false;
            }
        }
    }
    r.E = E;
    r.m = m;
    return r;
}

F80 pack80(const R& r) {
    if (r.inf) return make(r.sign, 0x7fff, 1ull << 63);
    if (r.m == 0) return make(r.sign, 0, 0);
    const u64 sig = static_cast<u64>(r.m >> 64);
    if (!(sig >> 63)) return make(r.sign, 0, sig);
    return make(r.sign, static_cast<u16>(r.E + kBias), sig);
}

unsigned prec_bits(u8 pc) { return pc == kPrec24 ? 24 : pc == kPrec53 ? 53 : 64; }

F80 round_pack80(bool sign, i32 E, u128 m, unsigned p, Env80& e) {
    return pack80(round_core(sign, E, m, p, kEmin80, kEmax80, kBiasAdjust, e));
}

F80 quiet(F80 a) {
    a.sig |= 1ull << 62;
    return a;
}

// NaN operands (SDM Vol. 1 4.8.3.5 Table 4-7, x87 column): an SNaN and a QNaN give the QNaN;
// two NaNs of the same kind give the one with the larger significand (quieted).
F80 propagate(F80 a, Class ka, F80 b, Class kb, Env80& e) {
    if (ka == Class::SNaN || kb == Class::SNaN) e.flags |= kIE;
    if (is_nan(ka) && is_nan(kb)) {
        if (ka != kb) return ka == Class::QNaN ? a : b;
        if (a.sig != b.sig) return quiet(a.sig > b.sig ? a : b);
        return quiet(a.se < b.se ? a : b);
    }
    return quiet(is_nan(ka) ? a : b);
}

F80 invalid(Env80& e) {
    e.flags |= kIE;
    return kIndefinite;
}

// An unmasked denormal-operand exception stops the operation (SDM Vol. 1 8.5.2).
bool denormal_stops(Env80& e, Class ka, Class kb = Class::Zero) {
    if (ka == Class::Denormal || kb == Class::Denormal || e.denormal_src) e.flags |= kDE;
    return (e.flags & kDE) && !(e.masks & kDE);
}

F80 inf(bool sign) { return make(sign, 0x7fff, 1ull << 63); }
F80 zero(bool sign) { return make(sign, 0, 0); }

F80 add_signed(F80 a, F80 b, bool negate_b, Env80& e) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) return invalid(e);
    if (is_nan(ka) || is_nan(kb)) return propagate(a, ka, b, kb, e);
    if (negate_b) b.se ^= 0x8000;
    if (ka == Class::Inf || kb == Class::Inf) {
        if (ka == Class::Inf && kb == Class::Inf && a.sign() != b.sign()) return invalid(e);
        if (denormal_stops(e, ka, kb)) return a;
        return ka == Class::Inf ? a : b;
    }
    if (denormal_stops(e, ka, kb)) return a;
    U x = unpack(a), y = unpack(b);
    if (x.m == 0 && y.m == 0) {
        // SDM Vol. 1 4.8.3.1 (signed zeros), FADD table: -0 only when both are -0, or x - x rounding down.
        return zero(x.sign == y.sign ? x.sign : e.round == kDown);
    }
    if (x.m == 0) x.E = y.E - 200;
    if (y.m == 0) y.E = x.E - 200;
    if (x.E < y.E || (x.E == y.E && x.m < y.m)) std::swap(x, y);
    // Headroom for the carry: integer bits at 126.
    const u128 mx = x.m >> 1, my = shr_jam(y.m >> 1, static_cast<i64>(x.E) - y.E);
    u128 m;
    if (x.sign == y.sign) {
        m = mx + my;
    } else {
        m = mx - my;
        if (m == 0) return zero(e.round == kDown);
    }
    return round_pack80(x.sign, x.E + 1, m, prec_bits(e.prec), e);
}

}  // namespace

Class classify(F80 a) {
    const u16 ef = a.exp();
    const bool j = a.sig >> 63;
    if (ef == 0) return a.sig == 0 ? Class::Zero : Class::Denormal;
    if (!j) return Class::Unsupported;
    if (ef == 0x7fff) {
        if ((a.sig << 1) == 0) return Class::Inf;
        return (a.sig >> 62) & 1 ? Class::QNaN : Class::SNaN;
    }
    return Class::Normal;
}

unsigned tag_of(F80 a) {
    const u16 ef = a.exp();
    if (ef == 0) return a.sig == 0 ? 1 : 2;
    if (ef == 0x7fff || !(a.sig >> 63)) return 2;
    return 0;
}

F80 round_pack_register(bool sign, i32 E, u128 m, unsigned p, Env80& e) { return round_pack80(sign, E, m, p, e); }

F80 add(F80 a, F80 b, Env80& e) { return add_signed(a, b, false, e); }
F80 sub(F80 a, F80 b, Env80& e) { return add_signed(a, b, true, e); }

F80 mul(F80 a, F80 b, Env80& e) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) return invalid(e);
    if (is_nan(ka) || is_nan(kb)) return propagate(a, ka, b, kb, e);
    const bool s = a.sign() != b.sign();
    if (ka == Class::Inf || kb == Class::Inf) {
        if (ka == Class::Zero || kb == Class::Zero) return invalid(e);
        if (denormal_stops(e, ka, kb)) return a;
        return inf(s);
    }
    if (denormal_stops(e, ka, kb)) return a;
    if (ka == Class::Zero || kb == Class::Zero) return zero(s);
    const U x = unpack(a), y = unpack(b);
    const u128 m = static_cast<u128>(static_cast<u64>(x.m >> 64)) * static_cast<u64>(y.m >> 64);
    return round_pack80(s, x.E + y.E + 1, m, prec_bits(e.prec), e);
}

F80 div(F80 a, F80 b, Env80& e) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) return invalid(e);
    if (is_nan(ka) || is_nan(kb)) return propagate(a, ka, b, kb, e);
    const bool s = a.sign() != b.sign();
    if (ka == Class::Inf && kb == Class::Inf) return invalid(e);
    if (ka == Class::Zero && kb == Class::Zero) return invalid(e);
    if (kb == Class::Zero && ka != Class::Inf) {  // before the denormal check (observed)
        e.flags |= kZE;
        return inf(s);
    }
    if (denormal_stops(e, ka, kb)) return a;
    if (ka == Class::Inf) return inf(s);
    if (kb == Class::Inf) return zero(s);
    if (ka == Class::Zero) return zero(s);
    const U x = unpack(a), y = unpack(b);
    const u64 sa = static_cast<u64>(x.m >> 64), sb = static_cast<u64>(y.m >> 64);
    // Two 64-bit quotient digits and a sticky remainder: 128+ exact bits.
    const u128 n1 = static_cast<u128>(sa) << 64;
    const u128 q1 = n1 / sb;
    const u64 r1 = static_cast<u64>(n1 % sb);
    const u128 n2 = static_cast<u128>(r1) << 64;
    const u64 q2 = static_cast<u64>(n2 / sb);
    const bool r2 = (n2 % sb) != 0;
    u128 m;
    i32 E;
    if (q1 >> 64) {
        m = (q1 << 63) | (q2 >> 1) | ((q2 & 1) | r2);
        E = x.E - y.E;
    } else {
        m = (q1 << 64) | q2 | r2;
        E = x.E - y.E - 1;
    }
    return round_pack80(s, E, m, prec_bits(e.prec), e);
}

F80 sqrt(F80 a, Env80& e) {
    const Class ka = classify(a);
    e.c1 = false;
    if (ka == Class::Unsupported) return invalid(e);
    if (is_nan(ka)) return propagate(a, ka, a, ka, e);
    if (ka == Class::Zero) return a;
    if (a.sign()) return invalid(e);
    if (ka == Class::Inf) return a;
    if (denormal_stops(e, ka)) return a;
    const U x = unpack(a);
    const u64 sig = static_cast<u64>(x.m >> 64);
    u128 n;
    i32 E;
    if (x.E & 1) {
        n = static_cast<u128>(sig) << 64;
        E = (x.E - 1) / 2;
    } else {
        n = static_cast<u128>(sig) << 63;
        E = x.E / 2;
    }
    // Bit-by-bit integer square root: r = floor(sqrt(n)), n becomes the remainder.
    u128 r = 0, bit = static_cast<u128>(1) << 126;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    // sqrt = r + f, f in [0, 1): f > 1/2 exactly when the remainder exceeds r (never == 1/2).
    const u128 m = (r << 64) | (n > r ? static_cast<u128>(1) << 63 : 0) | (n != 0 ? 1 : 0);
    return round_pack80(false, E, m, prec_bits(e.prec), e);
}

namespace {
// Round a finite nonzero U (E < 64) to an integer magnitude by `round`.
u128 round_int_mag(const U& u, u8 round, bool& inexact, bool& inc) {
    u128 mag, frac;
    if (u.E >= 0) {
        mag = u.m >> (127 - u.E);
        frac = u.m << (u.E + 1);
    } else {
        mag = 0;
        frac = shr_jam(u.m, -(static_cast<i64>(u.E) + 1));
    }
    const u128 half = static_cast<u128>(1) << 127;
    inexact = frac != 0;
    switch (round) {
    case kNearest: inc = frac > half || (frac == half && (mag & 1)); break;
    case kDown: inc = u.sign && inexact; break;
    case kUp: inc = !u.sign && inexact; break;
    default: inc = false; break;
    }
    return mag + inc;
}
}  // namespace

F80 round_to_int(F80 a, Env80& e) {
    const Class ka = classify(a);
    e.c1 = false;
    if (ka == Class::Unsupported) return invalid(e);
    if (is_nan(ka)) return propagate(a, ka, a, ka, e);
    if (ka == Class::Zero || ka == Class::Inf) return a;
    if (denormal_stops(e, ka)) return a;
    const U u = unpack(a);
    if (u.E >= 63) return a;
    bool inexact, inc;
    const u64 mag = static_cast<u64>(round_int_mag(u, e.round, inexact, inc));
    if (inexact) e.flags |= kPE;
    e.c1 = inc;
    if (mag == 0) return zero(u.sign);
    const int lz = __builtin_clzll(mag);
    return make(u.sign, static_cast<u16>(63 - lz + kBias), mag << lz);
}

i64 to_int(F80 a, unsigned bits, bool truncate, Env80& e) {
    const i64 indefinite = static_cast<i64>(~0ull << (bits - 1));
    const Class ka = classify(a);
    e.c1 = false;
    if (ka == Class::Unsupported || is_nan(ka) || ka == Class::Inf) {
        e.flags |= kIE;
        return indefinite;
    }
    if (ka == Class::Zero) return 0;
    // A denormal source raises no DE (observed on the host): it rounds like any tiny value.
    const U u = unpack(a);
    if (u.E >= 64) {
        e.flags |= kIE;
        return indefinite;
    }
    bool inexact, inc;
    const u128 mag = round_int_mag(u, truncate ? static_cast<u8>(kZero) : e.round, inexact, inc);
    const u128 limit = (static_cast<u128>(1) << (bits - 1)) - (u.sign ? 0 : 1);
    if (mag > limit) {
        e.flags |= kIE;
        return indefinite;
    }
    if (inexact) e.flags |= kPE;
    e.c1 = inc;
    const u64 v = static_cast<u64>(mag);
    return u.sign ? static_cast<i64>(0 - v) : static_cast<i64>(v);
}

Rel compare(F80 a, F80 b, bool signaling, Env80& e) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) {
        e.flags |= kIE;
        return Rel::Unordered;
    }
    if (is_nan(ka) || is_nan(kb)) {
        if (signaling || ka == Class::SNaN || kb == Class::SNaN) e.flags |= kIE;
        return Rel::Unordered;
    }
    if (ka == Class::Denormal || kb == Class::Denormal || e.denormal_src) e.flags |= kDE;
    auto rank = [](Class k) { return k == Class::Zero ? 0 : k == Class::Inf ? 2 : 1; };
    const int ra = rank(ka), rb = rank(kb);
    if (ra == 0 && rb == 0) return Rel::Equal;
    const bool sa = a.sign() && ra, sb = b.sign() && rb;
    if (sa != sb) return sa ? Rel::Less : Rel::Greater;
    int mag;  // -1, 0, 1: |a| vs |b|
    if (ra != rb) {
        mag = ra < rb ? -1 : 1;
    } else if (ra == 2) {
        mag = 0;
    } else {
        const U x = unpack(a), y = unpack(b);
        mag = x.E != y.E ? (x.E < y.E ? -1 : 1) : x.m != y.m ? (x.m < y.m ? -1 : 1) : 0;
    }
    if (sa) mag = -mag;
    return mag < 0 ? Rel::Less : mag > 0 ? Rel::Greater : Rel::Equal;
}

F80 from_f64(u64 v, Env80& e) {
    const bool s = v >> 63;
    const u32 ef = (v >> 52) & 0x7ff;
    const u64 frac = v & ((1ull << 52) - 1);
    if (ef == 0x7ff) {
        if (frac == 0) return inf(s);
        return make(s, 0x7fff, (1ull << 63) | (frac << 11));
    }
    if (ef == 0) {
        if (frac == 0) return zero(s);
        e.denormal_src = true;
        const int lz = __builtin_clzll(frac);
        return make(s, static_cast<u16>(63 - lz - 1074 + kBias), frac << lz);
    }
    return make(s, static_cast<u16>(ef - 1023 + kBias), (1ull << 63) | (frac << 11));
}

F80 from_f32(u32 v, Env80& e) {
    const bool s = v >> 31;
    const u32 ef = (v >> 23) & 0xff;
    const u64 frac = v & ((1u << 23) - 1);
    if (ef == 0xff) {
        if (frac == 0) return inf(s);
        return make(s, 0x7fff, (1ull << 63) | (frac << 40));
    }
    if (ef == 0) {
        if (frac == 0) return zero(s);
        e.denormal_src = true;
        const int lz = __builtin_clzll(frac);
        return make(s, static_cast<u16>(63 - lz - 149 + kBias), frac << lz);
    }
    return make(s, static_cast<u16>(ef - 127 + kBias), (1ull << 63) | (frac << 40));
}

F80 from_int(i64 v) {
    if (v == 0) return zero(false);
    const bool s = v < 0;
    const u64 mag = s ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
    const int lz = __builtin_clzll(mag);
    return make(s, static_cast<u16>(63 - lz + kBias), mag << lz);
}

namespace {
// Store to binary32/binary64: p significand bits, exponent field width ew.
u64 to_ieee(F80 a, unsigned p, unsigned ew, Env80& e) {
    const unsigned fb = p - 1;
    const i32 emax = (1 << (ew - 1)) - 1, emin = 1 - emax;
    const u64 sbit = 1ull << (fb + ew), expall = ((1ull << ew) - 1) << fb;
    const Class ka = classify(a);
    e.c1 = false;
    const u64 sgn = a.sign() ? sbit : 0;
    switch (ka) {
    case Class::Unsupported: e.flags |= kIE; return sbit | expall | (1ull << (fb - 1));
    case Class::SNaN: e.flags |= kIE; [[fallthrough]];
    case Class::QNaN: return sgn | expall | (1ull << (fb - 1)) | ((a.sig << 1) >> (64 - fb));
    case Class::Inf: return sgn | expall;
    case Class::Zero: return sgn;
    default: break;
    }
    // A denormal source raises no DE here (observed on the host; it underflows).
    const U u = unpack(a);
    const R r = round_core(u.sign, u.E, u.m, p, emin, emax, 0, e);
    if (r.inf) return sgn | expall;
    if (r.m == 0) return sgn;
    const u64 sig = static_cast<u64>(r.m >> (128 - p));
    if (!(sig >> fb)) return sgn | sig;
    return sgn | (static_cast<u64>(r.E + emax) << fb) | (sig & ((1ull << fb) - 1));
}
}  // namespace

u32 to_f32(F80 a, Env80& e) { return static_cast<u32>(to_ieee(a, 24, 8, e)); }
u64 to_f64(F80 a, Env80& e) { return to_ieee(a, 53, 11, e); }

F80 scale(F80 a, F80 b, Env80& e) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) return invalid(e);
    if (is_nan(ka) || is_nan(kb)) return propagate(a, ka, b, kb, e);
    if (kb == Class::Inf) {
        if (!b.sign()) {
            if (ka == Class::Zero) return invalid(e);
            if (denormal_stops(e, ka)) return a;
            return ka == Class::Inf ? a : inf(a.sign());
        }
        if (ka == Class::Inf) return invalid(e);
        if (denormal_stops(e, ka)) return a;
        return zero(a.sign());
    }
    if (denormal_stops(e, ka, kb)) return a;
    if (ka == Class::Zero || ka == Class::Inf) return a;
    // trunc(b), clamped well beyond the exponent range.
    const U ub = unpack(b);
    i64 n = 0;
    if (ub.m != 0 && ub.E >= 0) n = ub.E >= 20 ? (1 << 20) : static_cast<i64>(ub.m >> (127 - ub.E));
    if (ub.sign) n = -n;
    const U u = unpack(a);
    return round_pack80(u.sign, static_cast<i32>(u.E + n), u.m, 64, e);
}

void xtract(F80 a, F80& exponent, F80& significand, Env80& e) {
    const Class ka = classify(a);
    e.c1 = false;
    if (ka == Class::Unsupported) {
        exponent = significand = invalid(e);
        return;
    }
    if (is_nan(ka)) {
        exponent = significand = propagate(a, ka, a, ka, e);
        return;
    }
    if (ka == Class::Zero) {
        e.flags |= kZE;
        exponent = inf(true);
        significand = a;
        return;
    }
    if (ka == Class::Inf) {
        exponent = inf(false);
        significand = a;
        return;
    }
    if (denormal_stops(e, ka)) return;
    const U u = unpack(a);
    exponent = from_int(u.E);
    significand = make(u.sign, kBias, static_cast<u64>(u.m >> 64));
}

F80 prem(F80 a, F80 b, bool ieee, Env80& e, unsigned& q, bool& incomplete) {
    const Class ka = classify(a), kb = classify(b);
    e.c1 = false;
    q = 0;
    incomplete = false;
    if (ka == Class::Unsupported || kb == Class::Unsupported) return invalid(e);
    if (is_nan(ka) || is_nan(kb)) return propagate(a, ka, b, kb, e);
    if (ka == Class::Inf || kb == Class::Zero) return invalid(e);
    if (denormal_stops(e, ka, kb)) return a;
    if (ka == Class::Zero) return a;
    U x = unpack(a);
    if (kb == Class::Inf) return round_pack80(x.sign, x.E, x.m, 64, e);  // canonical a
    const U y = unpack(b);
    const i32 d = x.E - y.E;
    // |a| < |b| (or < |b|/2 for FPREM1): the result is a, canonical (a pseudo-denormal comes
    // back with exponent 1, as observed on the host).
    if (d < 0 && (!ieee || d < -1)) return round_pack80(x.sign, x.E, x.m, 64, e);
    const u64 mx = static_cast<u64>(x.m >> 64), my = static_cast<u64>(y.m >> 64);
    if (d == -1) {
        // FPREM1 with b/2 <= |a| < b: the quotient rounds to 1 when |a| > b/2 (a tie to 0).
        if (mx > my) {
            q = 1;
            const u128 diff = (static_cast<u128>(my) << 1) - mx;
            return round_pack80(!x.sign, x.E, diff << 64, 64, e);
        }
        return round_pack80(x.sign, x.E, x.m, 64, e);
    }
    // Long division, one quotient bit per step. A partial remainder when d >= 64 (the SDM
    // leaves the reduction per step implementation-defined, 32..63 bits; here 32 + d % 32).
    i32 steps = d;
    if (d >= 64) {
        steps = 32 + d % 32;
        incomplete = true;
    }
    u128 r = mx;
    u64 quo = 0;
    for (i32 i = steps; i >= 0; i--) {
        quo <<= 1;
        if (r >= my) {
            r -= my;
            quo |= 1;
        }
        if (i) r <<= 1;
    }
    // a = quo * b * 2^(d - steps) + r * 2^(x.E - steps - 63), r < my.
    if (!incomplete && ieee) {
        const u128 twice = r << 1;
        if (twice > my || (twice == my && (quo & 1))) {
            r = my - r;
            quo++;
            x.sign = !x.sign;
        }
    }
    q = static_cast<unsigned>(quo & 7);
    if (r == 0) return zero(x.sign);
    return round_pack80(x.sign, x.E - steps, r << 64, 64, e);
}

F80 load_constant(unsigned index, u8 round) {
    // The x87 holds these with more than 64 bits and rounds them by RC (SDM Vol. 1 8.3.8); which
    // way each rounds follows from the discarded part of the exact value.
    struct K {
        u16 se;
        u64 sig;                   // truncated to 64 bits
        bool discarded_over_half;  // the discarded part is > 1/2 ulp (else < 1/2, never 0)
    };
    static constexpr K kK[7] = {
        {0x3fff, 0x8000000000000000ull, false},  // 1 (exact)
        {0x4000, 0xD49A784BCD1B8AFEull, false},  // log2(10)
        {0x3fff, 0xB8AA3B295C17F0BBull, true},   // log2(e)
        {0x4000, 0xC90FDAA22168C234ull, true},   // pi
        {0x3ffd, 0x9A209A84FBCFF798ull, true},   // log10(2)
        {0x3ffe, 0xB17217F7D1CF79ABull, true},   // ln(2)
        {0x0000, 0, false},                      // +0 (exact)
    };
    const K& k = kK[index];
    u64 sig = k.sig;
    if (index != 0 && index != 6 && (round == kUp || (round == kNearest && k.discarded_over_half))) sig++;
    return F80{sig, k.se};
}

F80 from_bcd(const u8 bcd[10]) {
    u64 v = 0;
    for (int i = 8; i >= 0; i--) v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
    F80 r = from_int(static_cast<i64>(v));
    if (bcd[9] & 0x80) r.se |= 0x8000;
    return r;
}

void to_bcd(F80 a, u8 bcd[10], Env80& e) {
    const i64 v = to_int(a, 64, false, e);
    const u64 mag = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
    if ((e.flags & kIE) || mag > 999999999999999999ull) {
        e.flags = static_cast<u8>((e.flags & ~kPE) | kIE);
        e.c1 = false;
        // Packed BCD indefinite (SDM Vol. 1 4.7 Table 4-4): FFFF C000 0000 0000 0000.
        for (int i = 0; i < 7; i++) bcd[i] = 0;
        bcd[7] = 0xC0;
        bcd[8] = bcd[9] = 0xFF;
        return;
    }
    u64 m = mag;
    for (int i = 0; i < 9; i++) {
        const unsigned lo = m % 10;
        m /= 10;
        const unsigned hi = m % 10;
        m /= 10;
        bcd[i] = static_cast<u8>(hi << 4 | lo);
    }
    bcd[9] = a.sign() ? 0x80 : 0;
}

}  // namespace vireo::f80
