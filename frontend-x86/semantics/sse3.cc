// SSE3 (SDM Vol. 1 5.7, 12.6; Vol. 2 instruction pages): ADDSUBPS/ADDSUBPD, HADDPS/HADDPD,
// HSUBPS/HSUBPD through the software floating point (same MXCSR rules as sse_fp_arith.cc),
// MOVSLDUP/MOVSHDUP/MOVDDUP and LDDQU. FISTTP is x87_move.cc; MONITOR/MWAIT are not implemented
// (CPUID.01H:ECX.MONITOR stays clear).
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

template <typename T>
using BinFn = T (*)(T, T, sf::Env&);

// A packed FP operation given as, per result element i, (which operand, element a, element b,
// add or subtract): r[i] = OP(X[a], X[b]) with X the destination (0) or the source (1).
struct FpTerm {
    u8 from_src, a, b, sub;
};
template <typename T>
struct FpShape {
    FpTerm t[16 / sizeof(T)];
};
// SDM Vol. 2A ADDSUBPS: r0 = d0 - s0, r1 = d1 + s1, ...; HADDPS: r0 = d0 + d1, r1 = d2 + d3,
// r2 = s0 + s1, r3 = s2 + s3; HSUBPS the same with d0 - d1 etc. The PD forms are the 2-element
// versions.
constexpr FpShape<u32> kAddSubPs{{{0, 0, 0, 1}, {0, 1, 1, 0}, {0, 2, 2, 1}, {0, 3, 3, 0}}};
constexpr FpShape<u64> kAddSubPd{{{0, 0, 0, 1}, {0, 1, 1, 0}}};
constexpr FpShape<u32> kHAddPs{{{0, 0, 1, 0}, {0, 2, 3, 0}, {1, 0, 1, 0}, {1, 2, 3, 0}}};
constexpr FpShape<u32> kHSubPs{{{0, 0, 1, 1}, {0, 2, 3, 1}, {1, 0, 1, 1}, {1, 2, 3, 1}}};
constexpr FpShape<u64> kHAddPd{{{0, 0, 1, 0}, {1, 0, 1, 0}}};
constexpr FpShape<u64> kHSubPd{{{0, 0, 1, 1}, {1, 0, 1, 1}}};

template <typename T>
VIREO_ALWAYS_INLINE T fp_addsub(T a, T b, bool sub, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sub ? sf::f32_sub(a, b, e) : sf::f32_add(a, b, e);
    else return sub ? sf::f64_sub(a, b, e) : sf::f64_add(a, b, e);
}

// ADDSUBPx: r[i] = d[i] -/+ s[i]; HADDPx/HSUBPx: pairs within one operand. For ADDSUB the
// terms read d[a] and s[b]; for the horizontal ones both elements come from one operand.
template <typename T, const FpShape<T>& S, bool Horizontal, bool Mem>
void h_fp_shape(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    const V128 d = xmm_get(c, o.r0);
    sf::Env e = fp_env(c);
    V128 r;
    for (unsigned i = 0; i < 16 / sizeof(T); i++) {
        const FpTerm& t = S.t[i];
        const V128& x = t.from_src ? s : d;
        const T a = x.get<T>(t.a);
        const T b = Horizontal ? x.get<T>(t.b) : s.get<T>(t.b);
        r.set<T>(i, fp_addsub<T>(a, b, t.sub, e));
    }
    fp_commit(c, e.flags);
    xmm_set(c, o.r0, r);
}
template <typename T, const FpShape<T>& S, bool Horizontal>
Handler bind_fp_shape(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_fp_shape<T, S, Horizontal, true> : &h_fp_shape<T, S, Horizontal, false>;
}

// MOVSLDUP/MOVSHDUP (xmm/m128, aligned): the even (Odd = 0) or odd doublewords duplicated.
template <unsigned Odd, bool Mem>
void h_movsdup(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 r;
    for (unsigned i = 0; i < 4; i++) r.set<u32>(i, s.get<u32>((i & ~1u) + Odd));
    xmm_set(c, o.r0, r);
}
template <unsigned Odd>
Handler bind_movsdup(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_movsdup<Odd, true> : &h_movsdup<Odd, false>;
}
// MOVDDUP xmm, xmm/m64: the low quadword in both halves (an 8-byte load, no alignment rule).
template <bool Mem>
void h_movddup(CpuState& c, const Op& o) {
    sse_check(c);
    const u64 q = Mem ? mem_read<u64>(c, o.seg, op_ea(c, o)) : xmm_lane<u64>(c, o.r1, 0);
    V128 r;
    r.set<u64>(0, q);
    r.set<u64>(1, q);
    xmm_set(c, o.r0, r);
}
Handler bind_movddup(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_movddup<true> : &h_movddup<false>; }
// LDDQU xmm, m128: an unaligned 16-byte load (SDM Vol. 2A LDDQU; the row is memory-only).
void h_lddqu(CpuState& c, const Op& o) {
    sse_check(c);
    xmm_set(c, o.r0, read_m128<false>(c, o));
}
Handler bind_lddqu(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_lddqu; }

constexpr SemEntry kEntries[] = {
    {"addsubps", bind_fp_shape<u32, kAddSubPs, false>, false},
    {"addsubpd", bind_fp_shape<u64, kAddSubPd, false>, false},
    {"haddps", bind_fp_shape<u32, kHAddPs, true>, false}, {"hsubps", bind_fp_shape<u32, kHSubPs, true>, false},
    {"haddpd", bind_fp_shape<u64, kHAddPd, true>, false}, {"hsubpd", bind_fp_shape<u64, kHSubPd, true>, false},
    {"movsldup", bind_movsdup<0>, false}, {"movshdup", bind_movsdup<1>, false},
    {"movddup", bind_movddup, false}, {"lddqu", bind_lddqu, false},
};

}  // namespace

std::span<const SemEntry> sem_sse3() { return kEntries; }

}  // namespace vireo::x86
