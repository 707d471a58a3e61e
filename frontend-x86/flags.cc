// Lazy flag evaluation (flags.h).
#include "frontend-x86/flags.h"

namespace vireo::x86 {

namespace {

struct Width {
    u64 mask, sign;
};
constexpr Width kWidth[4] = {
    {0xff, 0x80}, {0xffff, 0x8000}, {0xffffffffull, 0x80000000ull}, {~0ull, 1ull << 63}};

u64 zf_sf_pf(u64 r, const Width& w) {
    u64 f = 0;
    if (!(r & w.mask)) f |= ZF;
    if (r & w.sign) f |= SF;
    if (parity_even(static_cast<u8>(r))) f |= PF;
    return f;
}

}  // namespace

u64 compute_arith_flags(const CpuState& c) {
    const unsigned op = c.cc_op >> 2;
    const Width& w = kWidth[c.cc_op & 3];
    const u64 r = c.cc_dst & w.mask, b = c.cc_src & w.mask;
    u64 f = 0;
    switch (op) {
    case CC_EFLAGS:
        return c.cc_src & ARITH_FLAGS;
    case CC_ADD: {
        u64 a = (r - b) & w.mask;
        if (r < a) f |= CF;
        if ((a ^ r) & (b ^ r) & w.sign) f |= OF;
        f |= (a ^ b ^ r) & AF;
        break;
    }
    case CC_ADC: {
        u64 cin = c.cc_src2 & 1;
        u64 a = (r - b - cin) & w.mask;
        if (cin ? r <= a : r < a) f |= CF;
        if ((a ^ r) & (b ^ r) & w.sign) f |= OF;
        f |= (a ^ b ^ r) & AF;
        break;
    }
    case CC_SUB: {
        u64 a = (r + b) & w.mask;
        if (a < b) f |= CF;
        if ((a ^ b) & (a ^ r) & w.sign) f |= OF;
        f |= (a ^ b ^ r) & AF;
        break;
    }
    case CC_SBB: {
        u64 cin = c.cc_src2 & 1;
        u64 a = (r + b + cin) & w.mask;
        if (cin ? a <= b : a < b) f |= CF;
        if ((a ^ b) & (a ^ r) & w.sign) f |= OF;
        f |= (a ^ b ^ r) & AF;
        break;
    }
    case CC_LOGIC:
        break;
    case CC_INC:
        f |= c.cc_src2 & CF;
        if (r == w.sign) f |= OF;
        if ((r & 0xf) == 0) f |= AF;
        break;
    case CC_DEC:
        f |= c.cc_src2 & CF;
        if (r == w.sign - 1) f |= OF;
        if ((r & 0xf) == 0xf) f |= AF;
        break;
    case CC_NEG:
        if (b) f |= CF;
        if (b == w.sign) f |= OF;
        f |= (b ^ r) & AF;
        break;
    }
    return f | zf_sf_pf(r, w);
}

bool compute_cf_slow(const CpuState& c) {
    const unsigned op = c.cc_op >> 2;
    const Width& w = kWidth[c.cc_op & 3];
    const u64 r = c.cc_dst & w.mask, b = c.cc_src & w.mask;
    switch (op) {
    case CC_ADD: return r < b;
    case CC_SUB: return ((r + b) & w.mask) < b;
    case CC_LOGIC: return false;
    case CC_INC:
    case CC_DEC: return c.cc_src2 & CF;
    default: return compute_arith_flags(c) & CF;
    }
}

bool eval_condition(const CpuState& c, unsigned cc) {
    // Fast paths for the commonest producer, CMP/SUB: compare the original operands.
    if ((c.cc_op >> 2) == CC_SUB) {
        const Width& w = kWidth[c.cc_op & 3];
        const u64 b = c.cc_src & w.mask, r = c.cc_dst & w.mask, a = (r + b) & w.mask;
        const unsigned shift = 64 - 8 * (1u << (c.cc_op & 3));
        const i64 sa = static_cast<i64>(a << shift), sb = static_cast<i64>(b << shift);
        bool v;
        switch (cc >> 1) {
        case 1: v = a < b; break;           // B
        case 2: v = r == 0; break;          // E
        case 3: v = a <= b; break;          // BE
        case 4: v = r & w.sign; break;      // S
        case 6: v = sa < sb; break;         // L
        case 7: v = sa <= sb; break;        // LE
        default: goto slow;
        }
        return v ^ (cc & 1);
    }
slow:
    const u64 f = compute_arith_flags(c);
    bool v;
    switch (cc >> 1) {
    case 0: v = f & OF; break;
    case 1: v = f & CF; break;
    case 2: v = f & ZF; break;
    case 3: v = f & (CF | ZF); break;
    case 4: v = f & SF; break;
    case 5: v = f & PF; break;
    case 6: v = !(f & SF) != !(f & OF); break;
    default: v = (f & ZF) || (!(f & SF) != !(f & OF)); break;
    }
    return v ^ (cc & 1);
}

}  // namespace vireo::x86
