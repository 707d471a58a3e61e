// MMX technology (SDM Vol. 1 chapter 9) and the SSE/SSE2 instructions on MMX registers: the
// 64-bit forms (NP 0F xx) of the integer operations, MOVD/MOVQ, the SSE integer extensions
// (PSHUFW, PINSRW/PEXTRW, PMOVMSKB, PAVG*, PMIN/PMAX, PSADBW, PMULHUW, MOVNTQ, MASKMOVQ), SSE2's
// PADDQ/PSUBQ/PMULUDQ on mm, MOVQ2DQ/MOVDQ2Q and the MMX<->XMM conversions CVTPI2PS/CVT(T)PS2PI/
// CVTPI2PD/CVT(T)PD2PI.
//
// The element arithmetic is the SSE integer lane helpers (sse_common.h) at N = 8 bytes. These
// entries are registered under the same mnemonics as the XMM forms; the registry binds them to
// the rows with an MMX operand (P/Q/N). The MMX register access, state transition, checks and
// the mm = F(mm, mm/m64) handler are mmx_common.h (shared with the SSSE3 forms, ssse3.cc).
#include "frontend-x86/semantics/mmx_common.h"

namespace vireo::x86 {
namespace {
using namespace lane;
namespace sf = softfloat;

using VecShift = void (*)(V128& d, u64 count);

// PSHUFW mm, mm/m64, imm8.
template <VecOpI F, bool Mem>
void h_mmi(CpuState& c, const Op& o) {
    mmx_check(c);
    const V128 s = v64(mm_src<Mem, 8>(c, o));
    V128 d{};
    F(d, s, static_cast<u8>(o.imm));
    mmx_state(c);
    mm_set(c, o.r0, d.get<u64>(0));
}
template <VecOpI F>
Handler bind_mmi(const DecodedInsn& d, Op& op) { return mmx_fill(d, op) ? &h_mmi<F, true> : &h_mmi<F, false>; }

// Shifts by mm/m64 (NP 0F D1-F3: the whole quadword is the count) and by imm8 (NP 0F 71-73
// /digit ib, the register is ModRM.r/m).
template <VecShift F, bool Mem>
void h_mm_shift(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 count = mm_src<Mem, 8>(c, o);
    V128 d = v64(mm_get(c, o.r0));
    F(d, count);
    mmx_state(c);
    mm_set(c, o.r0, d.get<u64>(0));
}
template <VecShift F>
void h_mm_shift_imm(CpuState& c, const Op& o) {
    mmx_check(c);
    V128 d = v64(mm_get(c, o.r1));
    F(d, o.imm & 0xff);
    mmx_state(c);
    mm_set(c, o.r1, d.get<u64>(0));
}
template <VecShift F>
Handler bind_mm_shift(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    if (d.opcode >= 0x71 && d.opcode <= 0x73) return &h_mm_shift_imm<F>;
    return m ? &h_mm_shift<F, true> : &h_mm_shift<F, false>;
}

// ---------------------------------------------------------------- moves
// MOVD mm, r/m32 / MOVQ mm, r/m64 (NP 0F 6E, REX.W): zero-extended into the register.
template <bool Wide, bool Mem>
void h_movd_to_mm(CpuState& c, const Op& o) {
    mmx_check(c);
    u64 v;
    if constexpr (Mem) v = Wide ? mem_read<u64>(c, o.seg, op_ea(c, o)) : mem_read<u32>(c, o.seg, op_ea(c, o));
    else v = Wide ? c.gpr[o.r1] : static_cast<u32>(c.gpr[o.r1]);
    mmx_state(c);
    mm_set(c, o.r0, v);
}
// MOVD r/m32, mm / MOVQ r/m64, mm (NP 0F 7E): a 32-bit register destination is zero-extended
// (Vol. 1 3.4.1.1).
template <bool Wide, bool Mem>
void h_movd_from_mm(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 v = mm_get(c, o.r0);
    if constexpr (Mem) {
        if (Wide) mem_write<u64>(c, o.seg, op_ea(c, o), v);
        else mem_write<u32>(c, o.seg, op_ea(c, o), static_cast<u32>(v));
    } else {
        c.gpr[o.r1] = Wide ? v : static_cast<u32>(v);
    }
    mmx_state(c);
}
// The GPR operand keeps REX.B; the MMX one does not.
Handler bind_movd(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    op.r1 = d.rm & 15;
    if (d.opcode == 0x6E) return d.rex_w ? (m ? &h_movd_to_mm<true, true> : &h_movd_to_mm<true, false>)
                           : (m ? &h_movd_to_mm<false, true> : &h_movd_to_mm<false, false>);
    return d.rex_w ? (m ? &h_movd_from_mm<true, true> : &h_movd_from_mm<true, false>)
                   : (m ? &h_movd_from_mm<false, true> : &h_movd_from_mm<false, false>);
}

// MOVQ mm, mm/m64 (NP 0F 6F) and MOVQ mm/m64, mm (NP 0F 7F); MOVNTQ m64, mm (NP 0F E7, the
// non-temporal hint has no architectural effect here).
template <bool Mem>
void h_movq_load(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 v = mm_src<Mem, 8>(c, o);
    mmx_state(c);
    mm_set(c, o.r0, v);
}
template <bool Mem>
void h_movq_store(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 v = mm_get(c, o.r0);
    if constexpr (Mem) mem_write<u64>(c, o.seg, op_ea(c, o), v);
    mmx_state(c);
    if constexpr (!Mem) mm_set(c, o.r1, v);
}
Handler bind_movq(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    if (d.opcode == 0x6F) return m ? &h_movq_load<true> : &h_movq_load<false>;
    return m ? &h_movq_store<true> : &h_movq_store<false>;
}
Handler bind_movntq(const DecodedInsn& d, Op& op) { mmx_fill(d, op); return &h_movq_store<true>; }

// MASKMOVQ mm1, mm2: the bytes of mm1 whose mask byte in mm2 has bit 7 set are stored at
// DS:rDI (segment overridable); every selected byte is checked before the first store so a
// fault is precise (SDM Vol. 2B MASKMOVQ).
void h_maskmovq(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 v = mm_get(c, o.r0), m = mm_get(c, o.r1);
    const u64 di = o.addrsize == 8 ? c.gpr[RDI] : o.addrsize == 4 ? static_cast<u32>(c.gpr[RDI])
                                                                   : static_cast<u16>(c.gpr[RDI]);
    for (unsigned i = 0; i < 8; i++)
        if ((m >> (8 * i + 7)) & 1) mem_probe_write(c, o.seg, di + i, 1);
    for (unsigned i = 0; i < 8; i++)
        if ((m >> (8 * i + 7)) & 1) mem_write<u8>(c, o.seg, di + i, static_cast<u8>(v >> (8 * i)));
    mmx_state(c);
}
Handler bind_maskmovq(const DecodedInsn& d, Op& op) {
    mmx_fill(d, op);
    op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
    op.addrsize = d.addrsize;
    return &h_maskmovq;
}

// MOVQ2DQ xmm, mm (F3 0F D6): xmm[63:0] = mm, xmm[127:64] = 0. MOVDQ2Q mm, xmm (F2 0F D6).
void h_movq2dq(CpuState& c, const Op& o) {
    mmx_sse_check<true>(c);
    const V128 v = v64(mm_get(c, o.r1));
    mmx_state(c);
    xmm_set(c, o.r0, v);
}
Handler bind_movq2dq(const DecodedInsn& d, Op& op) {
    mmx_fill(d, op);
    op.r0 = d.reg & 15;
    return &h_movq2dq;
}
void h_movdq2q(CpuState& c, const Op& o) {
    mmx_sse_check<true>(c);
    const u64 v = xmm_lane<u64>(c, o.r1, 0);
    mmx_state(c);
    mm_set(c, o.r0, v);
}
Handler bind_movdq2q(const DecodedInsn& d, Op& op) {
    mmx_fill(d, op);
    op.r1 = d.rm & 15;
    return &h_movdq2q;
}

// ---------------------------------------------------------------- PINSRW / PEXTRW / PMOVMSKB
// PINSRW mm, r32/m16, imm8: word imm8[1:0] <- the low word of the source (SDM Vol. 2B PINSRW).
template <bool Mem>
void h_pinsrw(CpuState& c, const Op& o) {
    mmx_check(c);
    const u16 w = Mem ? mem_read<u16>(c, o.seg, op_ea(c, o)) : static_cast<u16>(c.gpr[o.r1]);
    const unsigned sh = 16 * (o.imm & 3);
    const u64 v = (mm_get(c, o.r0) & ~(0xffffull << sh)) | (u64(w) << sh);
    mmx_state(c);
    mm_set(c, o.r0, v);
}
Handler bind_pinsrw(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    op.r1 = d.rm & 15;
    return m ? &h_pinsrw<true> : &h_pinsrw<false>;
}
// PEXTRW r32, mm, imm8: word imm8[1:0] zero-extended into the GPR (all 64 bits in 64-bit mode).
void h_pextrw(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 v = (mm_get(c, o.r1) >> (16 * (o.imm & 3))) & 0xffff;
    mmx_state(c);
    c.gpr[o.r0] = v;
}
// PMOVMSKB r32, mm: the 8 byte sign bits, zero-extended.
void h_pmovmskb(CpuState& c, const Op& o) {
    mmx_check(c);
    const u64 s = mm_get(c, o.r1);
    u64 m = 0;
    for (unsigned i = 0; i < 8; i++) m |= ((s >> (8 * i + 7)) & 1) << i;
    mmx_state(c);
    c.gpr[o.r0] = m;
}
template <Handler H>
Handler bind_to_gpr(const DecodedInsn& d, Op& op) {
    mmx_fill(d, op);
    op.r0 = d.reg & 15;
    return H;
}

// ---------------------------------------------------------------- conversions
// CVTPI2PS xmm, mm/m64: two int32 to float32 in xmm[63:0], xmm[127:64] kept; rounding per
// MXCSR. Transitions to MMX state for either source (SDM Vol. 2A CVTPI2PS).
template <bool Mem>
void h_cvtpi2ps(CpuState& c, const Op& o) {
    mmx_sse_check<true>(c);
    const u64 s = mm_src<Mem, 8>(c, o);
    sf::Env e = fp_env(c);
    const u32 lo = sf::i32_to_f32(static_cast<i32>(s), e), hi = sf::i32_to_f32(static_cast<i32>(s >> 32), e);
    fp_commit(c, e.flags);
    mmx_state(c);
    xmm_set_lane<u32>(c, o.r0, 0, lo);
    xmm_set_lane<u32>(c, o.r0, 1, hi);
}
// CVTPI2PD xmm, mm/m64: exact. Only the register form transitions to MMX state and takes a
// pending x87 exception; with a memory source neither happens (SDM Vol. 2A CVTPI2PD).
template <bool Mem>
void h_cvtpi2pd(CpuState& c, const Op& o) {
    mmx_sse_check<!Mem>(c);
    const u64 s = mm_src<Mem, 8>(c, o);
    sf::Env e = fp_env(c);
    V128 d;
    d.set<u64>(0, sf::i32_to_f64(static_cast<i32>(s), e));
    d.set<u64>(1, sf::i32_to_f64(static_cast<i32>(s >> 32), e));
    if (!Mem) mmx_state(c);
    xmm_set(c, o.r0, d);
}
template <void (*R)(CpuState&, const Op&), void (*M)(CpuState&, const Op&)>
Handler bind_cvt_to_xmm(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    op.r0 = d.reg & 15;
    return m ? M : R;
}

// CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128 (aligned): two float32/float64 to int32
// (the integer indefinite 80000000H when invalid). Both transition to MMX state.
template <typename T, bool Trunc, bool Mem>
void h_cvt2pi(CpuState& c, const Op& o) {
    mmx_sse_check<true>(c);
    V128 s;
    if constexpr (!Mem) s = xmm_get(c, o.r1);
    else if constexpr (sizeof(T) == 8) s = read_m128<true>(c, o);
    else s = read_scalar<u64>(c, o);
    sf::Env e = fp_env(c);
    u32 r[2];
    for (unsigned i = 0; i < 2; i++) {
        if constexpr (sizeof(T) == 4) r[i] = static_cast<u32>(sf::f32_to_i32(s.get<u32>(i), Trunc, e));
        else r[i] = static_cast<u32>(sf::f64_to_i32(s.get<u64>(i), Trunc, e));
    }
    fp_commit(c, e.flags);
    mmx_state(c);
    mm_set(c, o.r0, u64(r[0]) | u64(r[1]) << 32);
}
template <typename T, bool Trunc>
Handler bind_cvt2pi(const DecodedInsn& d, Op& op) {
    const bool m = mmx_fill(d, op);
    op.r1 = d.rm & 15;
    return m ? &h_cvt2pi<T, Trunc, true> : &h_cvt2pi<T, Trunc, false>;
}

constexpr SemEntry kEntries[] = {
    {"pand", bind_mm<v_and<8>>, false}, {"pandn", bind_mm<v_andn<8>>, false},
    {"por", bind_mm<v_or<8>>, false}, {"pxor", bind_mm<v_xor<8>>, false},
    {"paddb", bind_mm<v_paddb<8>>, false}, {"paddw", bind_mm<v_paddw<8>>, false},
    {"paddd", bind_mm<v_paddd<8>>, false}, {"paddq", bind_mm<v_paddq<8>>, false},
    {"psubb", bind_mm<v_psubb<8>>, false}, {"psubw", bind_mm<v_psubw<8>>, false},
    {"psubd", bind_mm<v_psubd<8>>, false}, {"psubq", bind_mm<v_psubq<8>>, false},
    {"paddsb", bind_mm<v_paddsb<8>>, false}, {"paddsw", bind_mm<v_paddsw<8>>, false},
    {"psubsb", bind_mm<v_psubsb<8>>, false}, {"psubsw", bind_mm<v_psubsw<8>>, false},
    {"paddusb", bind_mm<v_paddusb<8>>, false}, {"paddusw", bind_mm<v_paddusw<8>>, false},
    {"psubusb", bind_mm<v_psubusb<8>>, false}, {"psubusw", bind_mm<v_psubusw<8>>, false},
    {"pcmpeqb", bind_mm<v_pcmpeqb<8>>, false}, {"pcmpeqw", bind_mm<v_pcmpeqw<8>>, false},
    {"pcmpeqd", bind_mm<v_pcmpeqd<8>>, false},
    {"pcmpgtb", bind_mm<v_pcmpgtb<8>>, false}, {"pcmpgtw", bind_mm<v_pcmpgtw<8>>, false},
    {"pcmpgtd", bind_mm<v_pcmpgtd<8>>, false},
    {"pminub", bind_mm<v_pminub<8>>, false}, {"pmaxub", bind_mm<v_pmaxub<8>>, false},
    {"pminsw", bind_mm<v_pminsw<8>>, false}, {"pmaxsw", bind_mm<v_pmaxsw<8>>, false},
    {"pavgb", bind_mm<v_pavgb<8>>, false}, {"pavgw", bind_mm<v_pavgw<8>>, false},
    {"pmullw", bind_mm<v_pmullw<8>>, false}, {"pmulhw", bind_mm<v_pmulhw<8>>, false},
    {"pmulhuw", bind_mm<v_pmulhuw<8>>, false}, {"pmuludq", bind_mm<v_pmuludq<8>>, false},
    {"pmaddwd", bind_mm<v_pmaddwd<8>>, false}, {"psadbw", bind_mm<v_psadbw<8>>, false},
    {"psllw", bind_mm_shift<v_shift<8, u16, 0>>, false}, {"pslld", bind_mm_shift<v_shift<8, u32, 0>>, false},
    {"psllq", bind_mm_shift<v_shift<8, u64, 0>>, false},
    {"psrlw", bind_mm_shift<v_shift<8, u16, 1>>, false}, {"psrld", bind_mm_shift<v_shift<8, u32, 1>>, false},
    {"psrlq", bind_mm_shift<v_shift<8, u64, 1>>, false},
    {"psraw", bind_mm_shift<v_shift<8, u16, 2>>, false}, {"psrad", bind_mm_shift<v_shift<8, u32, 2>>, false},
    {"pshufw", bind_mmi<v_pshufw_half<8, 0>>, false},
    {"punpcklbw", bind_mm<v_unpack<8, u8, 0>, 4>, false}, {"punpcklwd", bind_mm<v_unpack<8, u16, 0>, 4>, false},
    {"punpckldq", bind_mm<v_unpack<8, u32, 0>, 4>, false},
    {"punpckhbw", bind_mm<v_unpack<8, u8, 1>>, false}, {"punpckhwd", bind_mm<v_unpack<8, u16, 1>>, false},
    {"punpckhdq", bind_mm<v_unpack<8, u32, 1>>, false},
    {"packsswb", bind_mm<v_pack<8, i16, i8>>, false}, {"packssdw", bind_mm<v_pack<8, i32, i16>>, false},
    {"packuswb", bind_mm<v_pack<8, i16, u8>>, false},
    {"movd|movd|movq", bind_movd, false},
    {"movq", bind_movq, false}, {"movntq", bind_movntq, false}, {"maskmovq", bind_maskmovq, false},
    {"movq2dq", bind_movq2dq, false}, {"movdq2q", bind_movdq2q, false},
    {"pinsrw", bind_pinsrw, false}, {"pextrw", bind_to_gpr<&h_pextrw>, false},
    {"pmovmskb", bind_to_gpr<&h_pmovmskb>, false},
    {"cvtpi2ps", bind_cvt_to_xmm<&h_cvtpi2ps<false>, &h_cvtpi2ps<true>>, false},
    {"cvtpi2pd", bind_cvt_to_xmm<&h_cvtpi2pd<false>, &h_cvtpi2pd<true>>, false},
    {"cvtps2pi", bind_cvt2pi<u32, false>, false}, {"cvttps2pi", bind_cvt2pi<u32, true>, false},
    {"cvtpd2pi", bind_cvt2pi<u64, false>, false}, {"cvttpd2pi", bind_cvt2pi<u64, true>, false},
};

}  // namespace

std::span<const SemEntry> sem_mmx() { return kEntries; }

}  // namespace vireo::x86
