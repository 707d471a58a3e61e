// The VEX.128 forms of the SSE2..SSE4.1 integer instructions (AVX) and the VEX.256 forms of
// those whose AVX2 form is the 128-bit operation on each 128-bit lane (gated by F_AVX2 in the
// table; the cross-lane AVX2 forms and VPMOVSX/ZX stay #UD: the "(avx)" placeholders take
// VEX.L = 1). Three operands:
// xmm1 = op(xmm2 = VEX.vvvv, xmm3/m128), bits 255:128 zeroed; memory operands unaligned (SDM
// Vol. 2A 2.5). The element arithmetic is the legacy forms' lane helpers (sse_common.h,
// sse_int_lanes.h). Shifts by imm8 are "VEX.NDD": the destination is VEX.vvvv, the source
// ModRM.r/m (SDM Vol. 2B PSLLW, VEX.128.66.0F 71 /6 ib).
#include "frontend-x86/semantics/avx_common.h"
#include "frontend-x86/semantics/sse_int_lanes.h"

namespace vireo::x86 {
namespace {
using namespace lane;

using VecShift = void (*)(V128& d, u64 count);  // (VecOp, VecOpI: sse_common.h)

// VEX.128: xmm1 = F(vvvv, xmm3/m128). VEX.256 (AVX2, the rows gated by F_AVX2): the same
// 128-bit operation on each 128-bit lane, ymm1[255:128] = F(vvvv[255:128], ymm3/m256[255:128])
// (SDM Vol. 2B/2C: "VEX.256 encoded version: ... for each 128-bit lane"). Only the mnemonics
// with a VEX.256 row reach the Bytes = 32 specializations; the cross-lane AVX2 forms have none.
template <VecOp F, unsigned Bytes, bool Mem>
void h_vi(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d = a.half(h);
        F(d, s.half(h));
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// With an imm8; the upper lane takes imm8 >> HiShift (VMPSADBW: imm8[5:3] for the upper lane,
// SDM Vol. 2B MPSADBW "VMPSADBW (VEX.256 encoded version)"; the others use the same imm8).
template <VecOpI F, unsigned HiShift, unsigned Bytes, bool Mem>
void h_vii(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d = a.half(h);
        F(d, s.half(h), static_cast<u8>(o.imm >> (h * HiShift)));
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// Two operands (vvvv reserved): xmm1 = F(-, xmm2/m128) for the helpers that read only s
// (PABS*, PHMINPOSUW, PSHUFD/HW/LW).
template <VecOp F, unsigned Bytes, bool Mem>
void h_vi_un(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d{};
        F(d, s.half(h));
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r0, r);
}
template <VecOpI F, unsigned Bytes, bool Mem>
void h_vii_un(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d{};
        F(d, s.half(h), static_cast<u8>(o.imm));
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// VPSLLW etc. x/ymm1, x/ymm2, xmm3/m128: the count is the whole low quadword of xmm3/m128 (a
// 128-bit operand for VEX.256 too, SDM Vol. 2B PSLLW "VEX.256.66.0F.WIG F1 /r ... ymm2, xmm3/m128"),
// applied to each lane.
template <VecShift F, unsigned Bytes, bool Mem>
void h_vshift(CpuState& c, const Op& o) {
    vex_check(c);
    const u64 count = vsrc<16, Mem>(c, o).template get<u64>(0);
    const V256 a = ymm_get(c, o.r2);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d = a.half(h);
        F(d, count);
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r0, r);
}
// VPSLLW etc. x/ymm1 (vvvv), x/ymm2 (r/m), imm8; VPSLLDQ/VPSRLDQ shift each lane's bytes.
template <VecShift F, unsigned Bytes>
void h_vshift_imm(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 a = ymm_get(c, o.r1);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 d = a.half(h);
        F(d, o.imm & 0xff);
        r.set_half(h, d);
    }
    vex_set<Bytes>(c, o.r2, r);
}

// VEX.L = 0 and, for the mnemonics with a VEX.256 (AVX2) row, VEX.L = 1.
template <VecOp F>
Handler bind_vi(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vi<F, 16, false>, &h_vi<F, 16, true>, &h_vi<F, 32, false>, &h_vi<F, 32, true>);
}
template <VecOpI F, unsigned HiShift = 0>
Handler bind_vii(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vii<F, HiShift, 16, false>, &h_vii<F, HiShift, 16, true>,
                    &h_vii<F, HiShift, 32, false>, &h_vii<F, HiShift, 32, true>);
}
template <VecOp F>
Handler bind_vi_un(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vi_un<F, 16, false>, &h_vi_un<F, 16, true>, &h_vi_un<F, 32, false>,
                    &h_vi_un<F, 32, true>);
}
template <VecOpI F>
Handler bind_vii_un(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vii_un<F, 16, false>, &h_vii_un<F, 16, true>, &h_vii_un<F, 32, false>,
                    &h_vii_un<F, 32, true>);
}
// By xmm/m128 (66 0F D1-F3) or by imm8 (66 0F 71-73 /digit): one mnemonic, two rows.
template <VecShift F>
Handler bind_vshift(const DecodedInsn& d, Op& op) {
    if (d.opcode >= 0x71 && d.opcode <= 0x73) {
        vex_fill(d, op);
        return d.vex_l ? &h_vshift_imm<F, 32> : &h_vshift_imm<F, 16>;
    }
    return vex_pick(d, op, &h_vshift<F, 16, false>, &h_vshift<F, 16, true>, &h_vshift<F, 32, false>,
                    &h_vshift<F, 32, true>);
}

// VPMOVSX/VPMOVZX xmm1, xmm2/m: the memory form reads only the bytes it extends.
template <typename From, typename To, bool Mem>
void h_vpmovx(CpuState& c, const Op& o) {
    vex_check(c);
    constexpr unsigned bytes = 16 / sizeof(To) * sizeof(From);
    V128 s{};
    if constexpr (Mem) {
        using M = typename UIntOf<bytes>::type;
        s.set<M>(0, mem_read<M>(c, o.seg, op_ea(c, o)));
    } else {
        s = xmm_get(c, o.r1);
    }
    V128 d;
    v_pmovx<From, To>(d, s);
    vex_set<16>(c, o.r0, d);
}
template <typename From, typename To>
Handler bind_vpmovx(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vpmovx<From, To, false>, &h_vpmovx<From, To, true>, nullptr, nullptr);
}

// VPEXTRB/W/D/Q, VEXTRACTPS r/m, xmm2, imm8 (ModRM.reg is the xmm; vvvv reserved): element
// imm8 mod count to memory or zero-extended into the GPR.
template <typename T, bool Mem>
void h_vpextr(CpuState& c, const Op& o) {
    vex_check(c);
    const T v = xmm_lane<T>(c, o.r0, o.imm & (16 / sizeof(T) - 1));
    if constexpr (Mem) mem_write<T>(c, o.seg, op_ea(c, o), v);
    else c.gpr[o.r1] = v;
}
template <typename T>
Handler bind_vpextr(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vpextr<T, false>, &h_vpextr<T, true>, nullptr, nullptr);
}
// VEX.W1 selects the quadword in 64-bit mode only (SDM: "VEX.W in non-64 bit is ignored").
Handler bind_vpextrdq(const DecodedInsn& d, Op& op) {
    return d.opsize == 8 ? bind_vpextr<u64>(d, op) : bind_vpextr<u32>(d, op);
}
// VPEXTRW: 66 0F C5 /r ib is r32, xmm (ModRM.reg the GPR); 66 0F 3A 15 is r/m16, xmm.
void h_vpextrw_c5(CpuState& c, const Op& o) {
    vex_check(c);
    c.gpr[o.r0] = xmm_lane<u16>(c, o.r1, o.imm & 7);
}
Handler bind_vpextrw(const DecodedInsn& d, Op& op) {
    if (d.map == Map::M0F3A) return bind_vpextr<u16>(d, op);
    return vex_pick(d, op, &h_vpextrw_c5, nullptr, nullptr, nullptr);
}
// VPINSRB/W/D/Q xmm1, xmm2, r/m, imm8: xmm2 with element imm8 mod count replaced.
template <typename T, bool Mem>
void h_vpinsr(CpuState& c, const Op& o) {
    vex_check(c);
    const T v = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : static_cast<T>(c.gpr[o.r1]);
    V128 d = xmm_get(c, o.r2);
    d.set<T>(o.imm & (16 / sizeof(T) - 1), v);
    vex_set<16>(c, o.r0, d);
}
template <typename T>
Handler bind_vpinsr(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vpinsr<T, false>, &h_vpinsr<T, true>, nullptr, nullptr);
}
Handler bind_vpinsrdq(const DecodedInsn& d, Op& op) {
    return d.opsize == 8 ? bind_vpinsr<u64>(d, op) : bind_vpinsr<u32>(d, op);
}
// VINSERTPS xmm1, xmm2, xmm3/m32, imm8 (as INSERTPS, the rest from xmm2).
template <bool Mem>
void h_vinsertps(CpuState& c, const Op& o) {
    vex_check(c);
    const u32 v = Mem ? mem_read<u32>(c, o.seg, op_ea(c, o)) : xmm_lane<u32>(c, o.r1, (o.imm >> 6) & 3);
    V128 d = xmm_get(c, o.r2);
    d.set<u32>((o.imm >> 4) & 3, v);
    for (unsigned i = 0; i < 4; i++)
        if ((o.imm >> i) & 1) d.set<u32>(i, 0);
    vex_set<16>(c, o.r0, d);
}
Handler bind_vinsertps(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vinsertps<false>, &h_vinsertps<true>, nullptr, nullptr);
}

#define VI(name, fn) {"v" name, bind_vi<fn>, false}
constexpr SemEntry kEntries[] = {
    // SSE2 (sse_int.cc).
    VI("pand", v_and<16>), VI("pandn", v_andn<16>), VI("por", v_or<16>), VI("pxor", v_xor<16>),
    VI("paddb", v_paddb<16>), VI("paddw", v_paddw<16>), VI("paddd", v_paddd<16>), VI("paddq", v_paddq<16>),
    VI("psubb", v_psubb<16>), VI("psubw", v_psubw<16>), VI("psubd", v_psubd<16>), VI("psubq", v_psubq<16>),
    VI("paddsb", v_paddsb<16>), VI("paddsw", v_paddsw<16>), VI("psubsb", v_psubsb<16>), VI("psubsw", v_psubsw<16>),
    VI("paddusb", v_paddusb<16>), VI("paddusw", v_paddusw<16>), VI("psubusb", v_psubusb<16>),
    VI("psubusw", v_psubusw<16>),
    VI("pcmpeqb", v_pcmpeqb<16>), VI("pcmpeqw", v_pcmpeqw<16>), VI("pcmpeqd", v_pcmpeqd<16>),
    VI("pcmpgtb", v_pcmpgtb<16>), VI("pcmpgtw", v_pcmpgtw<16>), VI("pcmpgtd", v_pcmpgtd<16>),
    VI("pminub", v_pminub<16>), VI("pmaxub", v_pmaxub<16>), VI("pminsw", v_pminsw<16>), VI("pmaxsw", v_pmaxsw<16>),
    VI("pavgb", v_pavgb<16>), VI("pavgw", v_pavgw<16>), VI("pmullw", v_pmullw<16>), VI("pmulhw", v_pmulhw<16>),
    VI("pmulhuw", v_pmulhuw<16>), VI("pmuludq", v_pmuludq<16>), VI("pmaddwd", v_pmaddwd<16>),
    VI("psadbw", v_psadbw<16>),
    VI("punpcklbw", (v_unpack<16, u8, 0>)), VI("punpcklwd", (v_unpack<16, u16, 0>)),
    VI("punpckldq", (v_unpack<16, u32, 0>)), VI("punpcklqdq", (v_unpack<16, u64, 0>)),
    VI("punpckhbw", (v_unpack<16, u8, 1>)), VI("punpckhwd", (v_unpack<16, u16, 1>)),
    VI("punpckhdq", (v_unpack<16, u32, 1>)), VI("punpckhqdq", (v_unpack<16, u64, 1>)),
    VI("packsswb", (v_pack<16, i16, i8>)), VI("packssdw", (v_pack<16, i32, i16>)),
    VI("packuswb", (v_pack<16, i16, u8>)),
    {"vpsllw", bind_vshift<v_shift<16, u16, 0>>, false}, {"vpslld", bind_vshift<v_shift<16, u32, 0>>, false},
    {"vpsllq", bind_vshift<v_shift<16, u64, 0>>, false}, {"vpsrlw", bind_vshift<v_shift<16, u16, 1>>, false},
    {"vpsrld", bind_vshift<v_shift<16, u32, 1>>, false}, {"vpsrlq", bind_vshift<v_shift<16, u64, 1>>, false},
    {"vpsraw", bind_vshift<v_shift<16, u16, 2>>, false}, {"vpsrad", bind_vshift<v_shift<16, u32, 2>>, false},
    {"vpslldq", bind_vshift<v_byteshift<true>>, false}, {"vpsrldq", bind_vshift<v_byteshift<false>>, false},
    {"vpshufd", bind_vii_un<v_pshufd>, false}, {"vpshufhw", bind_vii_un<v_pshufw_half<16, 1>>, false},
    {"vpshuflw", bind_vii_un<v_pshufw_half<16, 0>>, false},
    {"vpinsrw", bind_vpinsr<u16>, false}, {"vpextrw", bind_vpextrw, false},
    // SSSE3 (ssse3.cc).
    VI("pshufb", v_pshufb<16>), VI("phaddw", (v_phorizontal<16, i16, false, false>)),
    VI("phaddd", (v_phorizontal<16, i32, false, false>)), VI("phaddsw", (v_phorizontal<16, i16, false, true>)),
    VI("phsubw", (v_phorizontal<16, i16, true, false>)), VI("phsubd", (v_phorizontal<16, i32, true, false>)),
    VI("phsubsw", (v_phorizontal<16, i16, true, true>)), VI("pmaddubsw", v_pmaddubsw<16>),
    VI("pmulhrsw", v_pmulhrsw<16>), VI("psignb", (v_psign<16, u8>)), VI("psignw", (v_psign<16, u16>)),
    VI("psignd", (v_psign<16, u32>)),
    {"vpabsb", bind_vi_un<v_pabs<16, u8>>, false}, {"vpabsw", bind_vi_un<v_pabs<16, u16>>, false},
    {"vpabsd", bind_vi_un<v_pabs<16, u32>>, false}, {"vpalignr", bind_vii<v_palignr<16>>, false},
    // SSE4.1 / SSE4.2 (sse41_int.cc).
    VI("pminsb", v_pminsb), VI("pmaxsb", v_pmaxsb), VI("pminsd", v_pminsd), VI("pmaxsd", v_pmaxsd),
    VI("pminuw", v_pminuw), VI("pmaxuw", v_pmaxuw), VI("pminud", v_pminud), VI("pmaxud", v_pmaxud),
    VI("pmulld", v_pmulld), VI("pmuldq", v_pmuldq), VI("pcmpeqq", v_pcmpeqq), VI("pcmpgtq", v_pcmpgtq),
    VI("packusdw", v_packusdw), {"vphminposuw", bind_vi_un<v_phminposuw>, false},
    {"vpmovsxbw", bind_vpmovx<i8, i16>, false}, {"vpmovsxbd", bind_vpmovx<i8, i32>, false},
    {"vpmovsxbq", bind_vpmovx<i8, i64>, false}, {"vpmovsxwd", bind_vpmovx<i16, i32>, false},
    {"vpmovsxwq", bind_vpmovx<i16, i64>, false}, {"vpmovsxdq", bind_vpmovx<i32, i64>, false},
    {"vpmovzxbw", bind_vpmovx<u8, u16>, false}, {"vpmovzxbd", bind_vpmovx<u8, u32>, false},
    {"vpmovzxbq", bind_vpmovx<u8, u64>, false}, {"vpmovzxwd", bind_vpmovx<u16, u32>, false},
    {"vpmovzxwq", bind_vpmovx<u16, u64>, false}, {"vpmovzxdq", bind_vpmovx<u32, u64>, false},
    {"vmpsadbw", bind_vii<v_mpsadbw, 3>, false}, {"vpblendw", bind_vii<v_blend_imm<u16>>, false},
    {"vpextrb", bind_vpextr<u8>, false}, {"vpextrd|vpextrd|vpextrq", bind_vpextrdq, false},
    {"vextractps", bind_vpextr<u32>, false},
    {"vpinsrb", bind_vpinsr<u8>, false}, {"vpinsrd|vpinsrd|vpinsrq", bind_vpinsrdq, false},
    {"vinsertps", bind_vinsertps, false},
};
#undef VI

}  // namespace

std::span<const SemEntry> sem_avx_int() { return kEntries; }

}  // namespace vireo::x86
