// AVX floating-point arithmetic, compares, logic, blends, shuffles and tests (VEX.128 and
// VEX.256; SDM Vol. 2 instruction pages): VADD/VSUB/VMUL/VDIV/VMIN/VMAX/VSQRT PS/PD/SS/SD,
// VRCPPS/SS, VRSQRTPS/SS, VADDSUBPS/PD, VHADD/VHSUB PS/PD, VCMPPS/PD/SS/SD (all 32 predicates),
// VROUNDPS/PD/SS/SD, VDPPS/VDPPD, VAND/VANDN/VOR/VXOR PS/PD, VBLENDPS/PD, VBLENDVPS/PD,
// VSHUFPS/PD, VUNPCKL/H PS/PD, VTESTPS/PD, VPTEST, VCOMISS/SD, VUCOMISS/SD.
// The arithmetic is softfloat/ (as sse_fp_arith.cc) and the lane helpers of sse_common.h; the
// MXCSR rules are the SSE ones (fp_commit). Three operands: dst = op(VEX.vvvv, r/m); the
// scalar forms take bits 127:N from vvvv; every destination is zeroed above its width.
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;
using namespace lane;

template <typename T>
using BinFn = T (*)(T, T, sf::Env&);
template <typename T>
using UnFn = T (*)(T, sf::Env&);

// Bytes: 16/32 for the packed forms, sizeof(T) for the scalar ones.
template <typename T, BinFn<T> F, unsigned Bytes, bool Mem>
void h_vfp_bin(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 d = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) d.set<T>(i, F(d.get<T>(i), s.get<T>(i), e));
    fp_commit(c, e.flags);
    vex_set<Bytes < 16 ? 16 : Bytes>(c, o.r0, d);
}
// Unary: the packed forms have no vvvv; the scalar ones merge with it (VSQRTSS xmm1, xmm2,
// xmm3/m32: xmm1 = [sqrt(xmm3[31:0]), xmm2[127:32]]).
template <typename T, UnFn<T> F, unsigned Bytes, bool Mem>
void h_vfp_un(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 d = Bytes < 16 ? ymm_get(c, o.r2) : s;
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) d.set<T>(i, F(s.get<T>(i), e));
    fp_commit(c, e.flags);
    vex_set<Bytes < 16 ? 16 : Bytes>(c, o.r0, d);
}
// VCMPxx: each element all ones where imm8[4:0]'s predicate holds (SDM Vol. 2A CMPPS
// Table 3-1).
template <typename T, unsigned Bytes, bool Mem>
void h_vfp_cmp(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 d = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) {
        bool t;
        if constexpr (sizeof(T) == 4) t = sf::f32_cmp_predicate(d.get<T>(i), s.get<T>(i), o.imm & 31, e);
        else t = sf::f64_cmp_predicate(d.get<T>(i), s.get<T>(i), o.imm & 31, e);
        d.set<T>(i, t ? T(~T(0)) : T(0));
    }
    fp_commit(c, e.flags);
    vex_set<Bytes < 16 ? 16 : Bytes>(c, o.r0, d);
}
// VROUNDxx (SDM Vol. 2B ROUNDPS, as sse41_fp.cc): imm8[2] rounds by MXCSR.RC, else imm8[1:0];
// imm8[3] suppresses the precision exception.
template <typename T, unsigned Bytes, bool Mem>
void h_vround(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 d = Bytes < 16 ? ymm_get(c, o.r2) : s;
    sf::Env e = fp_env(c);
    const u8 mode = (o.imm & 4) ? e.round : static_cast<u8>(o.imm & 3);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) {
        if constexpr (sizeof(T) == 4) d.set<T>(i, sf::f32_round_int(s.get<T>(i), mode, e));
        else d.set<T>(i, sf::f64_round_int(s.get<T>(i), mode, e));
    }
    if (o.imm & 8) e.flags &= static_cast<u8>(~sf::kInexact);
    fp_commit(c, e.flags);
    vex_set<Bytes < 16 ? 16 : Bytes>(c, o.r0, d);
}

template <typename T>
VIREO_ALWAYS_INLINE T fp_add(T a, T b, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sf::f32_add(a, b, e);
    else return sf::f64_add(a, b, e);
}
template <typename T>
VIREO_ALWAYS_INLINE T fp_sub(T a, T b, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sf::f32_sub(a, b, e);
    else return sf::f64_sub(a, b, e);
}
template <typename T>
VIREO_ALWAYS_INLINE T fp_mul(T a, T b, sf::Env& e) {
    if constexpr (sizeof(T) == 4) return sf::f32_mul(a, b, e);
    else return sf::f64_mul(a, b, e);
}

// VADDSUBPx: r[i] = a[i] - s[i] for even i, + for odd (SDM Vol. 2A ADDSUBPS). VHADDPx/VHSUBPx:
// within each 128-bit lane of n elements, r[j] = a[2j] op a[2j+1] and r[n/2 + j] = s[2j] op
// s[2j+1] (SDM Vol. 2A HADDPS, the 256-bit form lane by lane).
enum class Hz : u8 { AddSub, HAdd, HSub };
template <typename T, Hz K, unsigned Bytes, bool Mem>
void h_vhoriz(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    V256 r;
    constexpr unsigned n = 16 / sizeof(T);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) {
        if constexpr (K == Hz::AddSub) {
            r.set<T>(i, i % 2 ? fp_add<T>(a.get<T>(i), s.get<T>(i), e) : fp_sub<T>(a.get<T>(i), s.get<T>(i), e));
        } else {
            const unsigned lane0 = i / n * n, j = i % n;
            const V256& x = j < n / 2 ? a : s;
            const unsigned k = lane0 + 2 * (j % (n / 2));
            const T p = x.get<T>(k), q = x.get<T>(k + 1);
            r.set<T>(i, K == Hz::HAdd ? fp_add<T>(p, q, e) : fp_sub<T>(p, q, e));
        }
    }
    fp_commit(c, e.flags);
    vex_set<Bytes>(c, o.r0, r);
}

// VDPPS (128/256: each 128-bit lane on its own) and VDPPD (128) as DPPS/DPPD (sse41_fp.cc):
// products, pairwise sums, the final sum, each step's exceptions checked before the next.
template <typename T, unsigned Bytes, bool Mem>
void h_vdp(CpuState& c, const Op& o) {
    vex_check(c);
    constexpr unsigned n = 16 / sizeof(T), lanes = Bytes / 16;
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 d = ymm_get(c, o.r2);
    sf::Env e = fp_env(c);
    u8 done = 0;
    T t[lanes][n], sum[lanes];
    for (unsigned l = 0; l < lanes; l++)
        for (unsigned i = 0; i < n; i++)
            t[l][i] = ((o.imm >> (4 + i)) & 1) ? fp_mul<T>(d.get<T>(l * n + i), s.get<T>(l * n + i), e) : T(0);
    fp_step(c, e, done);
    if constexpr (n == 4) {
        T lo[lanes], hi[lanes];
        for (unsigned l = 0; l < lanes; l++) {
            lo[l] = fp_add<T>(t[l][0], t[l][1], e);
            hi[l] = fp_add<T>(t[l][2], t[l][3], e);
        }
        fp_step(c, e, done);
        for (unsigned l = 0; l < lanes; l++) sum[l] = fp_add<T>(lo[l], hi[l], e);
    } else {
        for (unsigned l = 0; l < lanes; l++) sum[l] = fp_add<T>(t[l][0], t[l][1], e);
    }
    fp_step(c, e, done);
    V256 r;
    for (unsigned l = 0; l < lanes; l++)
        for (unsigned i = 0; i < n; i++) r.set<T>(l * n + i, ((o.imm >> i) & 1) ? sum[l] : T(0));
    c.mxcsr |= done;
    vex_set<Bytes>(c, o.r0, r);
}

// ---------------------------------------------------------------- bitwise, shuffles, blends
// dst = F(vvvv, r/m) lane by lane with a 128-bit lane helper (sse_common.h, as VecOp/VecOpI).
template <VecOp F, unsigned Bytes, bool Mem>
void h_vvec(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    V256 r;
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 x = a.half(h);
        F(x, s.half(h));
        r.set_half(h, x);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// ImmShift: the bits of imm8 each lane uses start at lane * ImmShift (VSHUFPD: 2 per lane).
template <VecOpI F, unsigned ImmShift, unsigned Bytes, bool Mem>
void h_vveci(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    V256 r;
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 x = a.half(h);
        F(x, s.half(h), static_cast<u8>(o.imm >> (h * ImmShift)));
        r.set_half(h, x);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// VBLENDPS/PD: element i from r/m where imm8[i] is set, else from vvvv. VBLENDVPS/PD: the
// same by the sign bit of element i of the is4 register (imm8[7:4]; bit 7 ignored outside
// 64-bit mode, SDM Vol. 2A 2.3.x "VEX.IS4").
template <typename T, bool Var, unsigned Bytes, bool Mem>
void h_vblend(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 r = ymm_get(c, o.r2);
    const V256 m = ymm_get(c, Var ? ((o.imm >> 4) & (c.long64 ? 15 : 7)) : 0);
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) {
        const bool take = Var ? (m.get<T>(i) >> (8 * sizeof(T) - 1)) : ((o.imm >> i) & 1);
        if (take) r.set<T>(i, s.get<T>(i));
    }
    vex_set<Bytes>(c, o.r0, r);
}

// VTESTPS/PD (sign bits only) and VPTEST (all bits), SDM Vol. 2C VTESTPS / Vol. 2B PTEST:
// ZF = ((r/m AND reg) masked) = 0, CF = ((r/m AND NOT reg) masked) = 0; AF, OF, PF, SF cleared.
template <typename T, unsigned Bytes, bool Mem>
void h_vtest(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 d = ymm_get(c, o.r0);
    constexpr u64 mask = sizeof(T) == 4 ? 0x8000000080000000ull : sizeof(T) == 8 ? 0x8000000000000000ull : ~0ull;
    u64 z = 0, cf = 0;
    for (unsigned i = 0; i < Bytes / 8; i++) {
        z |= s.get<u64>(i) & d.get<u64>(i) & mask;
        cf |= s.get<u64>(i) & ~d.get<u64>(i) & mask;
    }
    set_flags_eager(c, (z ? 0 : ZF) | (cf ? 0 : CF));
}

// VCOMISS/VUCOMISS/VCOMISD/VUCOMISD: as COMISS (sse_fp_arith.cc).
template <typename T, bool Signaling, bool Mem>
void h_vcomis(CpuState& c, const Op& o) {
    vex_check(c);
    const T b = vsrc<sizeof(T), Mem>(c, o).template get<T>(0);
    const T a = xmm_lane<T>(c, o.r0, 0);
    sf::Env e = fp_env(c);
    sf::Rel r;
    if constexpr (sizeof(T) == 4) r = sf::f32_compare(a, b, Signaling, e);
    else r = sf::f64_compare(a, b, Signaling, e);
    fp_commit(c, e.flags);
    static constexpr u64 kFlags[4] = {CF, ZF, 0, ZF | PF | CF};  // Less, Equal, Greater, Unordered
    set_flags_eager(c, kFlags[static_cast<unsigned>(r)]);
}

// ---------------------------------------------------------------- binders
// Packed: (VEX.L, memory) pick; scalar: VEX.L ignored (LIG), the element width from memory.
#define PACKED(H, ...)                                                                  \
    vex_pick(d, op, &H<__VA_ARGS__, 16, false>, &H<__VA_ARGS__, 16, true>, &H<__VA_ARGS__, 32, false>, \
             &H<__VA_ARGS__, 32, true>)
#define SCALAR(H, T, ...)                                                                    \
    vex_pick(d, op, &H<__VA_ARGS__, sizeof(T), false>, &H<__VA_ARGS__, sizeof(T), true>,     \
             &H<__VA_ARGS__, sizeof(T), false>, &H<__VA_ARGS__, sizeof(T), true>)

template <typename T, BinFn<T> F, bool Scalar>
Handler bind_vfp_bin(const DecodedInsn& d, Op& op) {
    if constexpr (Scalar) return SCALAR(h_vfp_bin, T, T, F);
    else return PACKED(h_vfp_bin, T, F);
}
template <typename T, UnFn<T> F, bool Scalar>
Handler bind_vfp_un(const DecodedInsn& d, Op& op) {
    if constexpr (Scalar) return SCALAR(h_vfp_un, T, T, F);
    else return PACKED(h_vfp_un, T, F);
}
template <typename T, bool Scalar>
Handler bind_vfp_cmp(const DecodedInsn& d, Op& op) {
    if constexpr (Scalar) return SCALAR(h_vfp_cmp, T, T);
    else return PACKED(h_vfp_cmp, T);
}
template <typename T, bool Scalar>
Handler bind_vround(const DecodedInsn& d, Op& op) {
    if constexpr (Scalar) return SCALAR(h_vround, T, T);
    else return PACKED(h_vround, T);
}
template <typename T, Hz K>
Handler bind_vhoriz(const DecodedInsn& d, Op& op) { return PACKED(h_vhoriz, T, K); }
template <typename T>
Handler bind_vdp(const DecodedInsn& d, Op& op) { return PACKED(h_vdp, T); }
template <VecOp F>
Handler bind_vvec(const DecodedInsn& d, Op& op) { return PACKED(h_vvec, F); }
template <VecOpI F, unsigned ImmShift>
Handler bind_vveci(const DecodedInsn& d, Op& op) { return PACKED(h_vveci, F, ImmShift); }
template <typename T, bool Var>
Handler bind_vblend(const DecodedInsn& d, Op& op) { return PACKED(h_vblend, T, Var); }
template <typename T>
Handler bind_vtest(const DecodedInsn& d, Op& op) { return PACKED(h_vtest, T); }
template <typename T, bool Signaling>
Handler bind_vcomis(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vcomis<T, Signaling, false>, &h_vcomis<T, Signaling, true>,
                    &h_vcomis<T, Signaling, false>, &h_vcomis<T, Signaling, true>);
}
#undef PACKED
#undef SCALAR

u32 rcp(u32 a, sf::Env&) { return sf::f32_rcp_approx(a); }
u32 rsqrt(u32 a, sf::Env&) { return sf::f32_rsqrt_approx(a); }

#define FP4(name, f32fn, f64fn)                                                                  \
    {"v" name "ps", bind_vfp_bin<u32, sf::f32fn, false>, false},                                 \
    {"v" name "ss", bind_vfp_bin<u32, sf::f32fn, true>, false},                                  \
    {"v" name "pd", bind_vfp_bin<u64, sf::f64fn, false>, false},                                 \
    {"v" name "sd", bind_vfp_bin<u64, sf::f64fn, true>, false}
constexpr SemEntry kEntries[] = {
    FP4("add", f32_add, f64_add), FP4("sub", f32_sub, f64_sub), FP4("mul", f32_mul, f64_mul),
    FP4("div", f32_div, f64_div), FP4("min", f32_min, f64_min), FP4("max", f32_max, f64_max),
    {"vsqrtps", bind_vfp_un<u32, sf::f32_sqrt, false>, false},
    {"vsqrtss", bind_vfp_un<u32, sf::f32_sqrt, true>, false},
    {"vsqrtpd", bind_vfp_un<u64, sf::f64_sqrt, false>, false},
    {"vsqrtsd", bind_vfp_un<u64, sf::f64_sqrt, true>, false},
    {"vrcpps", bind_vfp_un<u32, rcp, false>, false}, {"vrcpss", bind_vfp_un<u32, rcp, true>, false},
    {"vrsqrtps", bind_vfp_un<u32, rsqrt, false>, false}, {"vrsqrtss", bind_vfp_un<u32, rsqrt, true>, false},
    {"vcmpps", bind_vfp_cmp<u32, false>, false}, {"vcmpss", bind_vfp_cmp<u32, true>, false},
    {"vcmppd", bind_vfp_cmp<u64, false>, false}, {"vcmpsd", bind_vfp_cmp<u64, true>, false},
    {"vroundps", bind_vround<u32, false>, false}, {"vroundss", bind_vround<u32, true>, false},
    {"vroundpd", bind_vround<u64, false>, false}, {"vroundsd", bind_vround<u64, true>, false},
    {"vaddsubps", bind_vhoriz<u32, Hz::AddSub>, false}, {"vaddsubpd", bind_vhoriz<u64, Hz::AddSub>, false},
    {"vhaddps", bind_vhoriz<u32, Hz::HAdd>, false}, {"vhaddpd", bind_vhoriz<u64, Hz::HAdd>, false},
    {"vhsubps", bind_vhoriz<u32, Hz::HSub>, false}, {"vhsubpd", bind_vhoriz<u64, Hz::HSub>, false},
    {"vdpps", bind_vdp<u32>, false}, {"vdppd", bind_vdp<u64>, false},
    {"vandps", bind_vvec<v_and<16>>, false}, {"vandnps", bind_vvec<v_andn<16>>, false},
    {"vorps", bind_vvec<v_or<16>>, false}, {"vxorps", bind_vvec<v_xor<16>>, false},
    {"vandpd", bind_vvec<v_and<16>>, false}, {"vandnpd", bind_vvec<v_andn<16>>, false},
    {"vorpd", bind_vvec<v_or<16>>, false}, {"vxorpd", bind_vvec<v_xor<16>>, false},
    {"vunpcklps", bind_vvec<v_unpack<16, u32, 0>>, false}, {"vunpckhps", bind_vvec<v_unpack<16, u32, 1>>, false},
    {"vunpcklpd", bind_vvec<v_unpack<16, u64, 0>>, false}, {"vunpckhpd", bind_vvec<v_unpack<16, u64, 1>>, false},
    {"vshufps", bind_vveci<v_shufps, 0>, false}, {"vshufpd", bind_vveci<v_shufpd, 2>, false},
    {"vblendps", bind_vblend<u32, false>, false}, {"vblendpd", bind_vblend<u64, false>, false},
    {"vblendvps", bind_vblend<u32, true>, false}, {"vblendvpd", bind_vblend<u64, true>, false},
    {"vpblendvb", bind_vblend<u8, true>, false},  // VEX.256: AVX2 (the row is gated by F_AVX2)
    {"vtestps", bind_vtest<u32>, false}, {"vtestpd", bind_vtest<u64>, false}, {"vptest", bind_vtest<u8>, false},
    {"vcomiss", bind_vcomis<u32, true>, false}, {"vucomiss", bind_vcomis<u32, false>, false},
    {"vcomisd", bind_vcomis<u64, true>, false}, {"vucomisd", bind_vcomis<u64, false>, false},
};
#undef FP4

}  // namespace

std::span<const SemEntry> sem_avx_fp() { return kEntries; }

}  // namespace vireo::x86
