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

// SDM Vol. 2A CMPPS Table 3-1 "Comparison Predicate": imm8[4:0] (legacy SSE passes imm8[2:0],
// the VEX forms all 32). Per predicate, which relations make it true (bit 0 less, 1 equal,
// 2 greater, 3 unordered: the Rel order) and whether a QNaN signals invalid. Predicates 16-31
// are 0-15 with the signaling choice inverted (EQ_OS, LT_OQ, ...).
constexpr u8 kPredTrue[16] = {
    0b0010 /*EQ_OQ*/,  0b0001 /*LT_OS*/,  0b0011 /*LE_OS*/, 0b1000 /*UNORD_Q*/,
    0b1101 /*NEQ_UQ*/, 0b1110 /*NLT_US*/, 0b1100 /*NLE_US*/, 0b0111 /*ORD_Q*/,
    0b1010 /*EQ_UQ*/,  0b1001 /*NGE_US*/, 0b1011 /*NGT_US*/, 0b0000 /*FALSE_OQ*/,
    0b0101 /*NEQ_OQ*/, 0b0110 /*GE_OS*/,  0b0100 /*GT_OS*/,  0b1111 /*TRUE_UQ*/};
constexpr u16 kPredSignals = 0b0110011001100110;  // 1, 2, 5, 6, 9, 10, 13, 14
template <typename B>
bool predicate(B a, B b, unsigned pred, Env& e) {
    pred &= 31;
    const bool signaling = ((kPredSignals >> (pred & 15)) & 1) != (pred >> 4);
    const Rel r = compare<B>(a, b, signaling, e);
    return (kPredTrue[pred & 15] >> static_cast<unsigned>(r)) & 1;
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
