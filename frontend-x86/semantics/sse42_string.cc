// SSE4.2 string and text instructions PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM Vol. 2B 4.1
// "Imm8 Control Byte Operation for String Compare"; Vol. 1 12.11). One routine computes IntRes2
// from the imm8 fields (format, aggregation, polarity); the four instructions differ in how the
// string lengths are found (explicit in rAX/rDX, implicit at the first null element) and where
// the result goes (an index in ECX, a mask in XMM0). The m128 operand has no alignment rule
// (SDM Vol. 1 12.10.3: the SSE4.2 string instructions do not require 16-byte alignment).
// The VEX.128 forms (VPCMPESTRI etc., AVX) are the same handlers with the VEX checks and a
// VLMAX-zeroing XMM0 write.
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {

// Element j of a 128-bit operand in the imm8[1:0] format (00 ub, 01 uw, 10 sb, 11 sw).
VIREO_ALWAYS_INLINE int elem(const V128& v, unsigned fmt, unsigned j) {
    switch (fmt) {
    case 0: return v.get<u8>(j);
    case 1: return v.get<u16>(j);
    case 2: return v.get<i8>(j);
    default: return v.get<i16>(j);
    }
}

// SDM Vol. 2B Table 4-7: the forced BoolRes value for a pair with an invalid element (past a
// string's length), by aggregation, or -1 (both valid: compare).
// Index: [aggregation][src1 valid][src2 valid].
constexpr i8 kForce[4][2][2] = {
    {{0, 0}, {0, -1}},  // equal any
    {{0, 0}, {0, -1}},  // ranges
    {{1, 0}, {0, -1}},  // equal each
    {{1, 1}, {0, -1}},  // equal ordered
};

struct StrResult {
    u32 intres2;
    unsigned n;  // elements: 16 bytes or 8 words
};

// IntRes2 (SDM Vol. 2B 4.1.4-4.1.6) for operand 1 (the xmm register), operand 2 (xmm/m128)
// and their lengths (already limited to n).
StrResult str_compare(const V128& a, const V128& b, unsigned len1, unsigned len2, u8 imm) {
    const unsigned fmt = imm & 3, agg = (imm >> 2) & 3, pol = (imm >> 4) & 3;
    const unsigned n = (fmt & 1) ? 8 : 16;
    // BoolRes[j][i]: operand 1 element j against operand 2 element i; for ranges, even j
    // tests a[j] <= b[i] and odd j tests a[j] >= b[i].
    auto boolres = [&](unsigned j, unsigned i) -> bool {
        const i8 f = kForce[agg][j < len1][i < len2];
        if (f >= 0) return f;
        const int x = elem(a, fmt, j), y = elem(b, fmt, i);
        if (agg == 1) return (j & 1) ? x >= y : x <= y;
        return x == y;
    };
    u32 r1 = 0;
    for (unsigned i = 0; i < n; i++) {
        bool bit = false;
        switch (agg) {
        case 0:  // equal any: b[i] is one of a's elements
            for (unsigned j = 0; j < n; j++) bit |= boolres(j, i);
            break;
        case 1:  // ranges: b[i] within one of the pairs [a[j], a[j+1]]
            for (unsigned j = 0; j < n; j += 2) bit |= boolres(j, i) && boolres(j + 1, i);
            break;
        case 2:  // equal each
            bit = boolres(i, i);
            break;
        default:  // equal ordered: a occurs as a substring of b starting at i
            bit = true;
            for (unsigned j = 0; j < n - i; j++) bit &= boolres(j, i + j);
            break;
        }
        r1 |= u32(bit) << i;
    }
    const u32 all = (1u << n) - 1;
    u32 r2 = r1;
    if (pol == 1) r2 = ~r1 & all;                                       // negative
    else if (pol == 3) r2 = (r1 ^ ((1u << len2) - 1)) & all;            // masked negative: i < len2
    return {r2, n};
}

// Flags (SDM Vol. 2B 4.1.6 / PCMPESTRI "Flags Affected"): CF = IntRes2 != 0, ZF = len2 < n,
// SF = len1 < n, OF = IntRes2[0]; AF and PF cleared.
VIREO_ALWAYS_INLINE void str_flags(CpuState& c, const StrResult& r, unsigned len1, unsigned len2) {
    set_flags_eager(c, (r.intres2 ? CF : 0) | (len2 < r.n ? ZF : 0) | (len1 < r.n ? SF : 0) |
                           ((r.intres2 & 1) ? OF : 0));
}

// Explicit length: |rAX| or |rDX| (64-bit with REX.W), limited to n (SDM Vol. 2B 4.1.3).
VIREO_ALWAYS_INLINE unsigned explicit_len(u64 reg, bool wide, unsigned n) {
    const i64 v = wide ? static_cast<i64>(reg) : static_cast<i64>(static_cast<i32>(reg));
    const u64 mag = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
    return mag > n ? n : static_cast<unsigned>(mag);
}
// Implicit length: the index of the first null element, or n.
VIREO_ALWAYS_INLINE unsigned implicit_len(const V128& v, unsigned fmt) {
    const unsigned n = (fmt & 1) ? 8 : 16;
    for (unsigned i = 0; i < n; i++)
        if (elem(v, fmt, i) == 0) return i;
    return n;
}

// Explicit: lengths from rAX/rDX; Index: ECX = the least (imm8[6] = 0) or most significant set
// bit of IntRes2, n if none; Mask: XMM0 = IntRes2 as bits (imm8[6] = 0) or as elements of all
// ones.
// Vex: the VEX.128 forms (VPCMPESTRI etc., AVX): the VEX exception checks, and the XMM0
// result zeroes bits 255:128 (avx_common.h vex_set).
template <bool Explicit, bool Index, bool Wide, bool Mem, bool Vex>
void h_pcmpstr(CpuState& c, const Op& o) {
    if constexpr (Vex) vex_check(c);
    else sse_check(c);
    const V128 b = Mem ? read_m128<false>(c, o) : xmm_get(c, o.r1);
    const V128 a = xmm_get(c, o.r0);
    const u8 imm = static_cast<u8>(o.imm);
    const unsigned fmt = imm & 3, n = (fmt & 1) ? 8 : 16;
    const unsigned len1 = Explicit ? explicit_len(c.gpr[RAX], Wide, n) : implicit_len(a, fmt);
    const unsigned len2 = Explicit ? explicit_len(c.gpr[RDX], Wide, n) : implicit_len(b, fmt);
    const StrResult r = str_compare(a, b, len1, len2, imm);
    if constexpr (Index) {
        unsigned idx = n;
        if (r.intres2) idx = (imm & 0x40) ? 31 - std::countl_zero(r.intres2) : std::countr_zero(r.intres2);
        c.gpr[RCX] = idx;  // ECX, zero-extended (a 32-bit register write)
    } else {
        V128 m{};
        if (!(imm & 0x40)) {
            m.set<u16>(0, static_cast<u16>(r.intres2));
        } else {
            for (unsigned i = 0; i < n; i++) {
                if (!((r.intres2 >> i) & 1)) continue;
                if (n == 16) m.b[i] = 0xff;
                else m.set<u16>(i, 0xffff);
            }
        }
        if constexpr (Vex) vex_set<16>(c, 0, m);
        else xmm_set(c, 0, m);
    }
    str_flags(c, r, len1, len2);
}
template <bool Explicit, bool Index, bool Vex = false>
Handler bind_pcmpstr(const DecodedInsn& d, Op& op) {
    const bool mem = sse_fill(d, op);
    if (Vex && d.vvvv) return &h_vex_ud;  // VEX.vvvv reserved
    // REX.W / VEX.W (64-bit mode): the lengths are |RAX| and |RDX|.
    if (Explicit && (Vex ? d.opsize == 8 : d.rex_w))
        return mem ? &h_pcmpstr<Explicit, Index, true, true, Vex> : &h_pcmpstr<Explicit, Index, true, false, Vex>;
    return mem ? &h_pcmpstr<Explicit, Index, false, true, Vex> : &h_pcmpstr<Explicit, Index, false, false, Vex>;
}

constexpr SemEntry kEntries[] = {
    {"pcmpestrm", bind_pcmpstr<true, false>, false}, {"pcmpestri", bind_pcmpstr<true, true>, false},
    {"pcmpistrm", bind_pcmpstr<false, false>, false}, {"pcmpistri", bind_pcmpstr<false, true>, false},
    {"vpcmpestrm", bind_pcmpstr<true, false, true>, false}, {"vpcmpestri", bind_pcmpstr<true, true, true>, false},
    {"vpcmpistrm", bind_pcmpstr<false, false, true>, false}, {"vpcmpistri", bind_pcmpstr<false, true, true>, false},
};

}  // namespace

std::span<const SemEntry> sem_sse42_string() { return kEntries; }

}  // namespace vireo::x86
