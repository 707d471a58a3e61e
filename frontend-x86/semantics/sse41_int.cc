// SSE4.1 integer, blend and insert/extract instructions (SDM Vol. 1 5.10, 12.10; Vol. 2
// instruction pages), plus SSE4.2's PCMPGTQ: PMOVSX*/PMOVZX*, PMINSB/SD/UW/UD, PMAXSB/SD/UW/UD,
// PMULLD, PMULDQ, PCMPEQQ, PCMPGTQ, PACKUSDW, PHMINPOSUW, MPSADBW, PTEST, MOVNTDQA, PBLENDW,
// BLENDPS/BLENDPD, PBLENDVB/BLENDVPS/BLENDVPD (mask in XMM0), PEXTRB/W/D/Q, EXTRACTPS,
// PINSRB/D/Q, INSERTPS. None of these raise SIMD floating-point exceptions (BLENDPS, INSERTPS
// and EXTRACTPS move bits). m128 operands are 16-byte aligned (exception type 4) unless noted.
#include "frontend-x86/semantics/sse_int_lanes.h"

namespace vireo::x86 {
namespace {
using namespace lane;

// xmm = F(xmm, xmm/m128[, imm8]): h_vec/bind_vec and h_veci/bind_veci (sse_common.h).

// The element-wise helpers, PMOVSX/ZX, MPSADBW and the imm8 blends are in sse_int_lanes.h
// (shared with avx_int.cc).

// PMOVSX/PMOVZX read only the bytes they extend (m64/m32/m16, no alignment rule).
template <typename From, typename To, bool Mem>
void h_pmovx(CpuState& c, const Op& o) {
    sse_check(c);
    constexpr unsigned bytes = 16 / sizeof(To) * sizeof(From);
    V128 s;
    if constexpr (Mem) {
        using M = typename UIntOf<bytes>::type;
        s.set<M>(0, mem_read<M>(c, o.seg, op_ea(c, o)));
    } else {
        s = xmm_get(c, o.r1);
    }
    V128 d;
    v_pmovx<From, To>(d, s);
    xmm_set(c, o.r0, d);
}
template <typename From, typename To>
Handler bind_pmovx(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_pmovx<From, To, true> : &h_pmovx<From, To, false>;
}

// PBLENDVB/BLENDVPS/BLENDVPD xmm1, xmm2/m128, <XMM0>: element i from the source where the sign
// bit of XMM0's element i is set.
template <typename T, bool Mem>
void h_blendv(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    const V128 m = xmm_get(c, 0);
    V128 d = xmm_get(c, o.r0);
    for (unsigned i = 0; i < 16 / sizeof(T); i++)
        if (m.get<T>(i) >> (8 * sizeof(T) - 1)) d.set<T>(i, s.get<T>(i));
    xmm_set(c, o.r0, d);
}
template <typename T>
Handler bind_blendv(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_blendv<T, true> : &h_blendv<T, false>; }

// ---------------------------------------------------------------- PTEST / MOVNTDQA
// PTEST: ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0; AF, OF, PF, SF cleared.
template <bool Mem>
void h_ptest(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    const V128 d = xmm_get(c, o.r0);
    u64 a = 0, n = 0;
    for (unsigned i = 0; i < 2; i++) {
        a |= d.get<u64>(i) & s.get<u64>(i);
        n |= ~d.get<u64>(i) & s.get<u64>(i);
    }
    set_flags_eager(c, (a ? 0 : ZF) | (n ? 0 : CF));
}
Handler bind_ptest(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_ptest<true> : &h_ptest<false>; }
// MOVNTDQA xmm, m128: an aligned load (the non-temporal hint has no architectural effect on
// ordinary write-back memory).
void h_movntdqa(CpuState& c, const Op& o) {
    sse_check(c);
    xmm_set(c, o.r0, read_m128<true>(c, o));
}
Handler bind_movntdqa(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_movntdqa; }

// ---------------------------------------------------------------- extract / insert
// PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS r/m, xmm, imm8 (ModRM.reg is the xmm): element
// imm8 mod count to memory (its own size, no alignment rule) or zero-extended into the whole
// GPR. T is the element type.
template <typename T, bool Mem>
void h_pextr(CpuState& c, const Op& o) {
    sse_check(c);
    const T v = xmm_lane<T>(c, o.r0, o.imm & (16 / sizeof(T) - 1));
    if constexpr (Mem) mem_write<T>(c, o.seg, op_ea(c, o), v);
    else c.gpr[o.r1] = v;
}
template <typename T>
Handler bind_pextr(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_pextr<T, true> : &h_pextr<T, false>; }
// PEXTRD/PEXTRQ by REX.W.
Handler bind_pextrdq(const DecodedInsn& d, Op& op) { return d.rex_w ? bind_pextr<u64>(d, op) : bind_pextr<u32>(d, op); }

// PINSRB/PINSRD/PINSRQ xmm, r/m, imm8: element imm8 mod count <- the low bits of the GPR or
// the memory element.
template <typename T, bool Mem>
void h_pinsr(CpuState& c, const Op& o) {
    sse_check(c);
    const T v = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : static_cast<T>(c.gpr[o.r1]);
    xmm_set_lane<T>(c, o.r0, o.imm & (16 / sizeof(T) - 1), v);
}
template <typename T>
Handler bind_pinsr(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_pinsr<T, true> : &h_pinsr<T, false>; }
Handler bind_pinsrdq(const DecodedInsn& d, Op& op) { return d.rex_w ? bind_pinsr<u64>(d, op) : bind_pinsr<u32>(d, op); }

// INSERTPS xmm1, xmm2/m32, imm8: the source element imm8[7:6] (a register source; memory is
// the single m32) into element imm8[5:4], then the elements in imm8[3:0] zeroed.
template <bool Mem>
void h_insertps(CpuState& c, const Op& o) {
    sse_check(c);
    const u32 v = Mem ? mem_read<u32>(c, o.seg, op_ea(c, o)) : xmm_lane<u32>(c, o.r1, (o.imm >> 6) & 3);
    V128 d = xmm_get(c, o.r0);
    d.set<u32>((o.imm >> 4) & 3, v);
    for (unsigned i = 0; i < 4; i++)
        if ((o.imm >> i) & 1) d.set<u32>(i, 0);
    xmm_set(c, o.r0, d);
}
Handler bind_insertps(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_insertps<true> : &h_insertps<false>; }

constexpr SemEntry kEntries[] = {
    {"pminsb", bind_vec<v_pminsb>, false}, {"pmaxsb", bind_vec<v_pmaxsb>, false},
    {"pminsd", bind_vec<v_pminsd>, false}, {"pmaxsd", bind_vec<v_pmaxsd>, false},
    {"pminuw", bind_vec<v_pminuw>, false}, {"pmaxuw", bind_vec<v_pmaxuw>, false},
    {"pminud", bind_vec<v_pminud>, false}, {"pmaxud", bind_vec<v_pmaxud>, false},
    {"pmulld", bind_vec<v_pmulld>, false}, {"pmuldq", bind_vec<v_pmuldq>, false},
    {"pcmpeqq", bind_vec<v_pcmpeqq>, false}, {"pcmpgtq", bind_vec<v_pcmpgtq>, false},
    {"packusdw", bind_vec<v_packusdw>, false}, {"phminposuw", bind_vec<v_phminposuw>, false},
    {"pmovsxbw", bind_pmovx<i8, i16>, false}, {"pmovsxbd", bind_pmovx<i8, i32>, false},
    {"pmovsxbq", bind_pmovx<i8, i64>, false}, {"pmovsxwd", bind_pmovx<i16, i32>, false},
    {"pmovsxwq", bind_pmovx<i16, i64>, false}, {"pmovsxdq", bind_pmovx<i32, i64>, false},
    {"pmovzxbw", bind_pmovx<u8, u16>, false}, {"pmovzxbd", bind_pmovx<u8, u32>, false},
    {"pmovzxbq", bind_pmovx<u8, u64>, false}, {"pmovzxwd", bind_pmovx<u16, u32>, false},
    {"pmovzxwq", bind_pmovx<u16, u64>, false}, {"pmovzxdq", bind_pmovx<u32, u64>, false},
    {"mpsadbw", bind_veci<v_mpsadbw>, false},
    {"pblendw", bind_veci<v_blend_imm<u16>>, false}, {"blendps", bind_veci<v_blend_imm<u32>>, false},
    {"blendpd", bind_veci<v_blend_imm<u64>>, false},
    {"pblendvb", bind_blendv<u8>, false}, {"blendvps", bind_blendv<u32>, false},
    {"blendvpd", bind_blendv<u64>, false},
    {"ptest", bind_ptest, false}, {"movntdqa", bind_movntdqa, false},
    {"pextrb", bind_pextr<u8>, false}, {"pextrd|pextrd|pextrq", bind_pextrdq, false},
    {"extractps", bind_pextr<u32>, false},
    {"pinsrb", bind_pinsr<u8>, false}, {"pinsrd|pinsrd|pinsrq", bind_pinsrdq, false},
    {"insertps", bind_insertps, false},
};

}  // namespace

// PEXTRW r/m16, xmm, imm8 (66 0F 3A 15, SSE4.1): the memory form of PEXTRW, bound from the
// "pextrw" entry of sse_int.cc when the row is in map 0F 3A (ModRM.reg is the xmm there).
Handler bind_pextrw_0f3a(const DecodedInsn& d, Op& op) { return bind_pextr<u16>(d, op); }

std::span<const SemEntry> sem_sse41_int() { return kEntries; }

}  // namespace vireo::x86
