// SSE/SSE2 integer and bitwise operations on XMM registers (SDM Vol. 2 instruction pages):
// PAND/PANDN/POR/PXOR and ANDPS/ANDNPS/ORPS/XORPS (+PD), PADD/PSUB B/W/D/Q with the saturating
// forms, PCMPEQ/PCMPGT B/W/D, PMIN/PMAX UB/SW, PAVGB/PAVGW, PMULLW/PMULHW/PMULHUW/PMULUDQ,
// PMADDWD, PSADBW, the shifts (by imm8 and by xmm), PSLLDQ/PSRLDQ, PSHUFD/PSHUFHW/PSHUFLW,
// SHUFPS/SHUFPD, the unpacks and packs, PINSRW/PEXTRW, PMOVMSKB.
// The element-wise lane helpers are shared with the MMX forms (sse_common.h, namespace lane).
#include <algorithm>
#include <limits>
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {
using namespace lane;

using VecShift = void (*)(V128& d, u64 count);
// xmm = F(xmm, xmm/m128[, imm8]): h_vec/bind_vec and h_veci/bind_veci (sse_common.h).

// Shift by the low quadword of an xmm/m128 (the whole 64 bits are the count, SDM PSLLW etc.).
template <VecShift F, bool Mem>
void h_shift(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s.get<u64>(0));
    xmm_set(c, o.r0, d);
}
// Shift by imm8 (66 0F 71-73 /digit ib): the register is ModRM.r/m.
template <VecShift F>
void h_shift_imm(CpuState& c, const Op& o) {
    sse_check(c);
    V128 d = xmm_get(c, o.r1);
    F(d, o.imm & 0xff);
    xmm_set(c, o.r1, d);
}
template <VecShift F>
Handler bind_shift_imm(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_shift_imm<F>; }
// PSLLW etc. have two rows under one mnemonic: by xmm/m128 (66 0F D1-F3 /r) and by imm8
// (66 0F 71-73 /digit ib).
template <VecShift F>
Handler bind_shift(const DecodedInsn& d, Op& op) {
    if (d.opcode >= 0x71 && d.opcode <= 0x73) return bind_shift_imm<F>(d, op);
    return sse_fill(d, op) ? &h_shift<F, true> : &h_shift<F, false>;
}

// PSLLDQ/PSRLDQ, PSHUFD, SHUFPS/SHUFPD: sse_common.h (shared with the VEX forms, avx_*.cc).
// ---------------------------------------------------------------- PINSRW / PEXTRW / PMOVMSKB
// PINSRW xmm, r32/m16, imm8: word imm8[2:0] <- the low word of the source.
template <bool Mem>
void h_pinsrw(CpuState& c, const Op& o) {
    sse_check(c);
    const u16 v = Mem ? mem_read<u16>(c, o.seg, op_ea(c, o)) : static_cast<u16>(c.gpr[o.r1]);
    xmm_set_lane<u16>(c, o.r0, o.imm & 7, v);
}
Handler bind_pinsrw(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_pinsrw<true> : &h_pinsrw<false>; }
// PEXTRW r32, xmm, imm8: the word zero-extended into the GPR (all 64 bits in 64-bit mode).
void h_pextrw(CpuState& c, const Op& o) {
    sse_check(c);
    c.gpr[o.r0] = xmm_lane<u16>(c, o.r1, o.imm & 7);
}
// 66 0F 3A 15 (SSE4.1) is PEXTRW r/m16, xmm, imm8: sse41_int.cc.
Handler bind_pextrw(const DecodedInsn& d, Op& op) {
    if (d.map == Map::M0F3A) return bind_pextrw_0f3a(d, op);
    sse_fill(d, op);
    return &h_pextrw;
}
// PMOVMSKB r32, xmm: the 16 byte sign bits, zero-extended.
void h_pmovmskb(CpuState& c, const Op& o) {
    sse_check(c);
    u64 m = 0;
    for (unsigned i = 0; i < 16; i++) m |= static_cast<u64>(c.xmm[o.r1].b[i] >> 7) << i;
    c.gpr[o.r0] = m;
}
Handler bind_pmovmskb(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_pmovmskb; }

constexpr SemEntry kEntries[] = {
    {"pand", bind_vec<v_and<16>>, false}, {"pandn", bind_vec<v_andn<16>>, false},
    {"por", bind_vec<v_or<16>>, false}, {"pxor", bind_vec<v_xor<16>>, false},
    {"andps", bind_vec<v_and<16>>, false}, {"andnps", bind_vec<v_andn<16>>, false},
    {"orps", bind_vec<v_or<16>>, false}, {"xorps", bind_vec<v_xor<16>>, false},
    {"andpd", bind_vec<v_and<16>>, false}, {"andnpd", bind_vec<v_andn<16>>, false},
    {"orpd", bind_vec<v_or<16>>, false}, {"xorpd", bind_vec<v_xor<16>>, false},
    {"paddb", bind_vec<v_paddb<16>>, false}, {"paddw", bind_vec<v_paddw<16>>, false},
    {"paddd", bind_vec<v_paddd<16>>, false}, {"paddq", bind_vec<v_paddq<16>>, false},
    {"psubb", bind_vec<v_psubb<16>>, false}, {"psubw", bind_vec<v_psubw<16>>, false},
    {"psubd", bind_vec<v_psubd<16>>, false}, {"psubq", bind_vec<v_psubq<16>>, false},
    {"paddsb", bind_vec<v_paddsb<16>>, false}, {"paddsw", bind_vec<v_paddsw<16>>, false},
    {"psubsb", bind_vec<v_psubsb<16>>, false}, {"psubsw", bind_vec<v_psubsw<16>>, false},
    {"paddusb", bind_vec<v_paddusb<16>>, false}, {"paddusw", bind_vec<v_paddusw<16>>, false},
    {"psubusb", bind_vec<v_psubusb<16>>, false}, {"psubusw", bind_vec<v_psubusw<16>>, false},
    {"pcmpeqb", bind_vec<v_pcmpeqb<16>>, false}, {"pcmpeqw", bind_vec<v_pcmpeqw<16>>, false},
    {"pcmpeqd", bind_vec<v_pcmpeqd<16>>, false},
    {"pcmpgtb", bind_vec<v_pcmpgtb<16>>, false}, {"pcmpgtw", bind_vec<v_pcmpgtw<16>>, false},
    {"pcmpgtd", bind_vec<v_pcmpgtd<16>>, false},
    {"pminub", bind_vec<v_pminub<16>>, false}, {"pmaxub", bind_vec<v_pmaxub<16>>, false},
    {"pminsw", bind_vec<v_pminsw<16>>, false}, {"pmaxsw", bind_vec<v_pmaxsw<16>>, false},
    {"pavgb", bind_vec<v_pavgb<16>>, false}, {"pavgw", bind_vec<v_pavgw<16>>, false},
    {"pmullw", bind_vec<v_pmullw<16>>, false}, {"pmulhw", bind_vec<v_pmulhw<16>>, false},
    {"pmulhuw", bind_vec<v_pmulhuw<16>>, false}, {"pmuludq", bind_vec<v_pmuludq<16>>, false},
    {"pmaddwd", bind_vec<v_pmaddwd<16>>, false}, {"psadbw", bind_vec<v_psadbw<16>>, false},
    {"psllw", bind_shift<v_shift<16, u16, 0>>, false}, {"pslld", bind_shift<v_shift<16, u32, 0>>, false},
    {"psllq", bind_shift<v_shift<16, u64, 0>>, false},
    {"psrlw", bind_shift<v_shift<16, u16, 1>>, false}, {"psrld", bind_shift<v_shift<16, u32, 1>>, false},
    {"psrlq", bind_shift<v_shift<16, u64, 1>>, false},
    {"psraw", bind_shift<v_shift<16, u16, 2>>, false}, {"psrad", bind_shift<v_shift<16, u32, 2>>, false},
    {"pslldq", bind_shift_imm<v_byteshift<true>>, false}, {"psrldq", bind_shift_imm<v_byteshift<false>>, false},
    {"pshufd", bind_veci<v_pshufd>, false}, {"pshufhw", bind_veci<v_pshufw_half<16, 1>>, false},
    {"pshuflw", bind_veci<v_pshufw_half<16, 0>>, false},
    {"shufps", bind_veci<v_shufps>, false}, {"shufpd", bind_veci<v_shufpd>, false},
    {"punpcklbw", bind_vec<v_unpack<16, u8, 0>>, false}, {"punpcklwd", bind_vec<v_unpack<16, u16, 0>>, false},
    {"punpckldq", bind_vec<v_unpack<16, u32, 0>>, false}, {"punpcklqdq", bind_vec<v_unpack<16, u64, 0>>, false},
    {"punpckhbw", bind_vec<v_unpack<16, u8, 1>>, false}, {"punpckhwd", bind_vec<v_unpack<16, u16, 1>>, false},
    {"punpckhdq", bind_vec<v_unpack<16, u32, 1>>, false}, {"punpckhqdq", bind_vec<v_unpack<16, u64, 1>>, false},
    {"unpcklps", bind_vec<v_unpack<16, u32, 0>>, false}, {"unpckhps", bind_vec<v_unpack<16, u32, 1>>, false},
    {"unpcklpd", bind_vec<v_unpack<16, u64, 0>>, false}, {"unpckhpd", bind_vec<v_unpack<16, u64, 1>>, false},
    {"packsswb", bind_vec<v_pack<16, i16, i8>>, false}, {"packssdw", bind_vec<v_pack<16, i32, i16>>, false},
    {"packuswb", bind_vec<v_pack<16, i16, u8>>, false},
    {"pinsrw", bind_pinsrw, false}, {"pextrw", bind_pextrw, false}, {"pmovmskb", bind_pmovmskb, false},
};

}  // namespace

std::span<const SemEntry> sem_sse_int() { return kEntries; }

}  // namespace vireo::x86
