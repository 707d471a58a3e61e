// SSE/SSE2 integer and bitwise operations on XMM registers (SDM Vol. 2 instruction pages):
// PAND/PANDN/POR/PXOR and ANDPS/ANDNPS/ORPS/XORPS (+PD), PADD/PSUB B/W/D/Q with the saturating
// forms, PCMPEQ/PCMPGT B/W/D, PMIN/PMAX UB/SW, PAVGB/PAVGW, PMULLW/PMULHW/PMULHUW/PMULUDQ,
// PMADDWD, PSADBW, the shifts (by imm8 and by xmm), PSLLDQ/PSRLDQ, PSHUFD/PSHUFHW/PSHUFLW,
// SHUFPS/SHUFPD, the unpacks and packs, PINSRW/PEXTRW, PMOVMSKB.
#include <algorithm>
#include <limits>
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {

using VecOp = void (*)(V128& d, const V128& s);
using VecOpI = void (*)(V128& d, const V128& s, u8 imm);
using VecShift = void (*)(V128& d, u64 count);

// dst = F(dst, src); a 128-bit memory source must be 16-byte aligned (legacy SSE, SDM Vol. 2A
// 2.8 exception type 4).
template <VecOp F, bool Mem>
void h_vec(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s);
    xmm_set(c, o.r0, d);
}
template <VecOp F>
Handler bind_vec(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_vec<F, true> : &h_vec<F, false>; }

template <VecOpI F, bool Mem>
void h_veci(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s, static_cast<u8>(o.imm));
    xmm_set(c, o.r0, d);
}
template <VecOpI F>
Handler bind_veci(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_veci<F, true> : &h_veci<F, false>; }

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

// ---------------------------------------------------------------- lane helpers
template <typename T, typename Fn>
VIREO_ALWAYS_INLINE void lanes(V128& d, const V128& s, Fn f) {
    for (unsigned i = 0; i < 16 / sizeof(T); i++) d.set<T>(i, f(d.get<T>(i), s.get<T>(i)));
}
template <typename T, typename W>
VIREO_ALWAYS_INLINE T sat(W v) {
    return static_cast<T>(std::clamp<W>(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

#define LANE_OP(name, T, expr)                                                     \
    void name(V128& d, const V128& s) {                                            \
        lanes<T>(d, s, [](T a, T b) -> T { return static_cast<T>(expr); });       \
    }
// Bitwise (SDM PAND etc.; ANDPS/ANDPD are the same bits).
LANE_OP(v_and, u64, a & b)
LANE_OP(v_andn, u64, ~a & b)
LANE_OP(v_or, u64, a | b)
LANE_OP(v_xor, u64, a ^ b)
// Wrapping add/subtract.
LANE_OP(v_paddb, u8, a + b) LANE_OP(v_paddw, u16, a + b) LANE_OP(v_paddd, u32, a + b) LANE_OP(v_paddq, u64, a + b)
LANE_OP(v_psubb, u8, a - b) LANE_OP(v_psubw, u16, a - b) LANE_OP(v_psubd, u32, a - b) LANE_OP(v_psubq, u64, a - b)
// Saturating add/subtract (signed and unsigned).
LANE_OP(v_paddsb, i8, sat<i8>(int(a) + int(b))) LANE_OP(v_paddsw, i16, sat<i16>(int(a) + int(b)))
LANE_OP(v_psubsb, i8, sat<i8>(int(a) - int(b))) LANE_OP(v_psubsw, i16, sat<i16>(int(a) - int(b)))
LANE_OP(v_paddusb, u8, sat<u8>(int(a) + int(b))) LANE_OP(v_paddusw, u16, sat<u16>(int(a) + int(b)))
LANE_OP(v_psubusb, u8, sat<u8>(int(a) - int(b))) LANE_OP(v_psubusw, u16, sat<u16>(int(a) - int(b)))
// Compares: all ones where true.
LANE_OP(v_pcmpeqb, u8, a == b ? 0xff : 0) LANE_OP(v_pcmpeqw, u16, a == b ? 0xffff : 0)
LANE_OP(v_pcmpeqd, u32, a == b ? ~0u : 0)
LANE_OP(v_pcmpgtb, i8, a > b ? -1 : 0) LANE_OP(v_pcmpgtw, i16, a > b ? -1 : 0)
LANE_OP(v_pcmpgtd, i32, a > b ? -1 : 0)
// Min/max, averages (rounded up: (a + b + 1) >> 1), multiplies.
LANE_OP(v_pminub, u8, std::min(a, b)) LANE_OP(v_pmaxub, u8, std::max(a, b))
LANE_OP(v_pminsw, i16, std::min(a, b)) LANE_OP(v_pmaxsw, i16, std::max(a, b))
LANE_OP(v_pavgb, u8, (unsigned(a) + b + 1) >> 1) LANE_OP(v_pavgw, u16, (unsigned(a) + b + 1) >> 1)
LANE_OP(v_pmullw, u16, unsigned(a) * b)
LANE_OP(v_pmulhw, i16, (int(a) * int(b)) >> 16)
LANE_OP(v_pmulhuw, u16, (unsigned(a) * unsigned(b)) >> 16)
#undef LANE_OP

// PMULUDQ: the unsigned product of the even doublewords into each quadword.
void v_pmuludq(V128& d, const V128& s) {
    for (unsigned i = 0; i < 2; i++) d.set<u64>(i, u64(d.get<u32>(2 * i)) * s.get<u32>(2 * i));
}
// PMADDWD: signed word products, adjacent pairs added into doublewords (0x8000 * 0x8000 * 2
// wraps to 0x80000000, SDM Vol. 2B PMADDWD).
void v_pmaddwd(V128& d, const V128& s) {
    V128 r;
    for (unsigned i = 0; i < 4; i++) {
        const i64 p = i64(d.get<i16>(2 * i)) * s.get<i16>(2 * i) + i64(d.get<i16>(2 * i + 1)) * s.get<i16>(2 * i + 1);
        r.set<u32>(i, static_cast<u32>(p));
    }
    d = r;
}
// PSADBW: per 8-byte half, the sum of absolute byte differences in the low word, rest zero.
void v_psadbw(V128& d, const V128& s) {
    for (unsigned h = 0; h < 2; h++) {
        u64 sum = 0;
        for (unsigned i = 0; i < 8; i++) {
            const int a = d.b[8 * h + i], b = s.b[8 * h + i];
            sum += static_cast<u64>(a > b ? a - b : b - a);
        }
        d.set<u64>(h, sum);
    }
}

// ---------------------------------------------------------------- shifts
// Logical shifts by a count above the element width give 0; arithmetic ones fill with the
// sign (SDM Vol. 2B PSLLW/PSRLW/PSRAW).
template <typename T, int Dir /* 0 left, 1 logical right, 2 arithmetic right */>
void v_shift(V128& d, u64 count) {
    constexpr unsigned bits = 8 * sizeof(T);
    for (unsigned i = 0; i < 16 / sizeof(T); i++) {
        const T a = d.get<T>(i);
        T r;
        if constexpr (Dir == 2) r = static_cast<T>(static_cast<SignedOf<T>>(a) >> (count > bits - 1 ? bits - 1 : count));
        else if (count > bits - 1) r = 0;
        else r = Dir == 0 ? static_cast<T>(a << count) : static_cast<T>(a >> count);
        d.set<T>(i, r);
    }
}
// PSLLDQ/PSRLDQ: whole-register byte shifts; counts above 15 clear the register.
template <bool Left>
void v_byteshift(V128& d, u64 count) {
    V128 r{};
    const unsigned n = count > 16 ? 16 : static_cast<unsigned>(count);
    if (Left) std::memcpy(r.b + n, d.b, 16 - n);
    else std::memcpy(r.b, d.b + n, 16 - n);
    d = r;
}

// ---------------------------------------------------------------- shuffles
void v_pshufd(V128& d, const V128& s, u8 imm) {
    for (unsigned i = 0; i < 4; i++) d.set<u32>(i, s.get<u32>((imm >> (2 * i)) & 3));
}
// PSHUFHW/PSHUFLW: shuffle the words of one half, copy the other half.
template <unsigned Half>
void v_pshufw_half(V128& d, const V128& s, u8 imm) {
    d = s;
    for (unsigned i = 0; i < 4; i++) d.set<u16>(4 * Half + i, s.get<u16>(4 * Half + ((imm >> (2 * i)) & 3)));
}
void v_shufps(V128& d, const V128& s, u8 imm) {
    V128 r;
    r.set<u32>(0, d.get<u32>(imm & 3));
    r.set<u32>(1, d.get<u32>((imm >> 2) & 3));
    r.set<u32>(2, s.get<u32>((imm >> 4) & 3));
    r.set<u32>(3, s.get<u32>((imm >> 6) & 3));
    d = r;
}
void v_shufpd(V128& d, const V128& s, u8 imm) {
    V128 r;
    r.set<u64>(0, d.get<u64>(imm & 1));
    r.set<u64>(1, s.get<u64>((imm >> 1) & 1));
    d = r;
}
// Unpacks: interleave the low (Hi = 0) or high halves' elements, destination first
// (PUNPCKL/H BW/WD/DQ/QDQ; UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD are the DQ/QDQ forms).
template <typename T, unsigned Hi>
void v_unpack(V128& d, const V128& s) {
    constexpr unsigned n = 16 / sizeof(T);
    V128 r;
    for (unsigned i = 0; i < n / 2; i++) {
        r.set<T>(2 * i, d.get<T>(Hi * n / 2 + i));
        r.set<T>(2 * i + 1, s.get<T>(Hi * n / 2 + i));
    }
    d = r;
}
// Packs with saturation: destination elements first, then the source's (PACKSSWB/PACKSSDW
// signed, PACKUSWB signed words to unsigned bytes).
template <typename From, typename To>
void v_pack(V128& d, const V128& s) {
    constexpr unsigned n = 16 / sizeof(From);
    V128 r;
    for (unsigned i = 0; i < n; i++) {
        r.set<To>(i, sat<To>(static_cast<i64>(d.get<From>(i))));
        r.set<To>(n + i, sat<To>(static_cast<i64>(s.get<From>(i))));
    }
    d = r;
}

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
Handler bind_pextrw(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_pextrw; }
// PMOVMSKB r32, xmm: the 16 byte sign bits, zero-extended.
void h_pmovmskb(CpuState& c, const Op& o) {
    sse_check(c);
    u64 m = 0;
    for (unsigned i = 0; i < 16; i++) m |= static_cast<u64>(c.xmm[o.r1].b[i] >> 7) << i;
    c.gpr[o.r0] = m;
}
Handler bind_pmovmskb(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_pmovmskb; }

constexpr SemEntry kEntries[] = {
    {"pand", bind_vec<v_and>, false}, {"pandn", bind_vec<v_andn>, false},
    {"por", bind_vec<v_or>, false}, {"pxor", bind_vec<v_xor>, false},
    {"andps", bind_vec<v_and>, false}, {"andnps", bind_vec<v_andn>, false},
    {"orps", bind_vec<v_or>, false}, {"xorps", bind_vec<v_xor>, false},
    {"andpd", bind_vec<v_and>, false}, {"andnpd", bind_vec<v_andn>, false},
    {"orpd", bind_vec<v_or>, false}, {"xorpd", bind_vec<v_xor>, false},
    {"paddb", bind_vec<v_paddb>, false}, {"paddw", bind_vec<v_paddw>, false},
    {"paddd", bind_vec<v_paddd>, false}, {"paddq", bind_vec<v_paddq>, false},
    {"psubb", bind_vec<v_psubb>, false}, {"psubw", bind_vec<v_psubw>, false},
    {"psubd", bind_vec<v_psubd>, false}, {"psubq", bind_vec<v_psubq>, false},
    {"paddsb", bind_vec<v_paddsb>, false}, {"paddsw", bind_vec<v_paddsw>, false},
    {"psubsb", bind_vec<v_psubsb>, false}, {"psubsw", bind_vec<v_psubsw>, false},
    {"paddusb", bind_vec<v_paddusb>, false}, {"paddusw", bind_vec<v_paddusw>, false},
    {"psubusb", bind_vec<v_psubusb>, false}, {"psubusw", bind_vec<v_psubusw>, false},
    {"pcmpeqb", bind_vec<v_pcmpeqb>, false}, {"pcmpeqw", bind_vec<v_pcmpeqw>, false},
    {"pcmpeqd", bind_vec<v_pcmpeqd>, false},
    {"pcmpgtb", bind_vec<v_pcmpgtb>, false}, {"pcmpgtw", bind_vec<v_pcmpgtw>, false},
    {"pcmpgtd", bind_vec<v_pcmpgtd>, false},
    {"pminub", bind_vec<v_pminub>, false}, {"pmaxub", bind_vec<v_pmaxub>, false},
    {"pminsw", bind_vec<v_pminsw>, false}, {"pmaxsw", bind_vec<v_pmaxsw>, false},
    {"pavgb", bind_vec<v_pavgb>, false}, {"pavgw", bind_vec<v_pavgw>, false},
    {"pmullw", bind_vec<v_pmullw>, false}, {"pmulhw", bind_vec<v_pmulhw>, false},
    {"pmulhuw", bind_vec<v_pmulhuw>, false}, {"pmuludq", bind_vec<v_pmuludq>, false},
    {"pmaddwd", bind_vec<v_pmaddwd>, false}, {"psadbw", bind_vec<v_psadbw>, false},
    {"psllw", bind_shift<v_shift<u16, 0>>, false}, {"pslld", bind_shift<v_shift<u32, 0>>, false},
    {"psllq", bind_shift<v_shift<u64, 0>>, false},
    {"psrlw", bind_shift<v_shift<u16, 1>>, false}, {"psrld", bind_shift<v_shift<u32, 1>>, false},
    {"psrlq", bind_shift<v_shift<u64, 1>>, false},
    {"psraw", bind_shift<v_shift<u16, 2>>, false}, {"psrad", bind_shift<v_shift<u32, 2>>, false},
    {"pslldq", bind_shift_imm<v_byteshift<true>>, false}, {"psrldq", bind_shift_imm<v_byteshift<false>>, false},
    {"pshufd", bind_veci<v_pshufd>, false}, {"pshufhw", bind_veci<v_pshufw_half<1>>, false},
    {"pshuflw", bind_veci<v_pshufw_half<0>>, false},
    {"shufps", bind_veci<v_shufps>, false}, {"shufpd", bind_veci<v_shufpd>, false},
    {"punpcklbw", bind_vec<v_unpack<u8, 0>>, false}, {"punpcklwd", bind_vec<v_unpack<u16, 0>>, false},
    {"punpckldq", bind_vec<v_unpack<u32, 0>>, false}, {"punpcklqdq", bind_vec<v_unpack<u64, 0>>, false},
    {"punpckhbw", bind_vec<v_unpack<u8, 1>>, false}, {"punpckhwd", bind_vec<v_unpack<u16, 1>>, false},
    {"punpckhdq", bind_vec<v_unpack<u32, 1>>, false}, {"punpckhqdq", bind_vec<v_unpack<u64, 1>>, false},
    {"unpcklps", bind_vec<v_unpack<u32, 0>>, false}, {"unpckhps", bind_vec<v_unpack<u32, 1>>, false},
    {"unpcklpd", bind_vec<v_unpack<u64, 0>>, false}, {"unpckhpd", bind_vec<v_unpack<u64, 1>>, false},
    {"packsswb", bind_vec<v_pack<i16, i8>>, false}, {"packssdw", bind_vec<v_pack<i32, i16>>, false},
    {"packuswb", bind_vec<v_pack<i16, u8>>, false},
    {"pinsrw", bind_pinsrw, false}, {"pextrw", bind_pextrw, false}, {"pmovmskb", bind_pmovmskb, false},
};

}  // namespace

std::span<const SemEntry> sem_sse_int() { return kEntries; }

}  // namespace vireo::x86
