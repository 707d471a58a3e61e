// Comparisons: COMISS/UCOMISS relations, the CMPPS predicates and MINPS/MAXPS (SDM Vol. 2A
// CMPPS, COMISS, UCOMISS; Vol. 2B MINPS, MAXPS and their PD/SS/SD forms).
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {

// Order two non-NaN unpacked values (zeros of either sign are equal).
template <typename B>
Rel order(const Unpacked<B>& a, const Unpacked<B>& b) {
    auto key = [](const Unpacked<B>& u) -> int {  // magnitude class: 0 zero, 1 finite, 2 inf
        return u.cls == Cls::Zero ? 0 : u.cls == Cls::Finite ? 1 : 2;
    };
    if (key(a) == 0 && key(b) == 0) return Rel::Equal;
    if (a.sign != b.sign) return a.sign ? Rel::Less : Rel::Greater;
    // Same sign: compare magnitudes, then flip for negatives.
    int c;
    if (key(a) != key(b)) c = key(a) < key(b) ? -1 : 1;
    else if (key(a) != 1) c = 0;
    else if (a.exp != b.exp) c = a.exp < b.exp ? -1 : 1;
    else c = a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0;
    if (a.sign) c = -c;
    return c < 0 ? Rel::Less : c > 0 ? Rel::Greater : Rel::Equal;
}

// SDM Vol. 2A COMISS/UCOMISS: a NaN operand gives unordered; invalid for an SNaN, and for a
// QNaN too when signaling. Denormal operands raise DE (with DAZ off) unless a NaN is present.
template <typename B>
Rel compare(B abits, B bbits, bool signaling, Env& e) {
    const Unpacked<B> a = unpack(abits, e), b = unpack(bbits, e);
    if (a.nan() || b.nan()) {
        if (signaling || a.cls == Cls::SNaN || b.cls == Cls::SNaN) e.flags |= kInvalid;
        return Rel::Unordered;
    }
    if (a.denormal || b.denormal) e.flags |= kDenormal;
    return order(a, b);
}

// SDM Vol. 2A CMPPS Table 3-1 (imm8[2:0], legacy SSE): EQ_OQ, LT_OS, LE_OS, UNORD_Q, NEQ_UQ,
// NLT_US, NLE_US, ORD_Q. The LT/LE/NLT/NLE predicates signal on QNaNs.
template <typename B>
bool predicate(B a, B b, unsigned pred, Env& e) {
    pred &= 7;
    const bool signaling = pred == 1 || pred == 2 || pred == 5 || pred == 6;
    const Rel r = compare<B>(a, b, signaling, e);
    const bool un = r == Rel::Unordered;
    switch (pred) {
    case 0: return r == Rel::Equal;
    case 1: return r == Rel::Less;
    case 2: return r == Rel::Less || r == Rel::Equal;
    case 3: return un;
    case 4: return r != Rel::Equal;
    case 5: return r != Rel::Less;
    case 6: return r != Rel::Less && r != Rel::Equal;
    default: return !un;
    }
}

// SDM Vol. 2B MINPS/MAXPS: "If the values being compared are both 0.0s (of either sign), the
// value in the second operand (source operand) is returned. If only one value is a NaN (SNaN
// or QNaN) ..., the second operand ... is returned"; a NaN raises invalid (QNaN included).
// The second operand is returned as it is (an SNaN is not quieted), as DAZ read it (a
// denormal as zero), NaN case included.
template <typename B>
B minmax(B abits, B bbits, bool max, Env& e) {
    const Unpacked<B> a = unpack(abits, e), b = unpack(bbits, e);
    const B bval = b.cls == Cls::Zero ? zero_bits<B>(b.sign) : bbits;
    if (a.nan() || b.nan()) {
        e.flags |= kInvalid;
        return bval;
    }
    if (a.denormal || b.denormal) e.flags |= kDenormal;
    const Rel r = order(a, b);
    const B aval = a.cls == Cls::Zero ? zero_bits<B>(a.sign) : abits;
    if (max) return r == Rel::Greater ? aval : bval;
    return r == Rel::Less ? aval : bval;
}

}  // namespace
}  // namespace detail

using namespace detail;
Rel f32_compare(u32 a, u32 b, bool s, Env& e) { return compare<u32>(a, b, s, e); }
Rel f64_compare(u64 a, u64 b, bool s, Env& e) { return compare<u64>(a, b, s, e); }
bool f32_cmp_predicate(u32 a, u32 b, unsigned p, Env& e) { return predicate<u32>(a, b, p, e); }
bool f64_cmp_predicate(u64 a, u64 b, unsigned p, Env& e) { return predicate<u64>(a, b, p, e); }
u32 f32_min(u32 a, u32 b, Env& e) { return minmax<u32>(a, b, false, e); }
u32 f32_max(u32 a, u32 b, Env& e) { return minmax<u32>(a, b, true, e); }
u64 f64_min(u64 a, u64 b, Env& e) { return minmax<u64>(a, b, false, e); }
u64 f64_max(u64 a, u64 b, Env& e) { return minmax<u64>(a, b, true, e); }

}  // namespace vireo::softfloat
