// Shared pieces of the SSE/SSE2 semantics (sse_*.cc): the 128-bit value type, XMM register
// access, 128/64/32-bit memory operands with the alignment rule, and the exception checks
// every legacy-SSE form makes first (SDM Vol. 2A 2.8, Table 2-21 "Type 4"/"Type 5").
#pragma once
#include <algorithm>
#include <cstring>
#include <limits>
#include "frontend-x86/semantics/sem_common.h"
#include "frontend-x86/softfloat/softfloat.h"

namespace vireo::x86 {

// A 128-bit value with typed lane access (lanes little-endian, lane 0 in bytes 0..).
struct V128 {
    alignas(16) u8 b[16];
    template <typename T>
    VIREO_ALWAYS_INLINE T get(unsigned i) const {
        T v;
        std::memcpy(&v, b + i * sizeof(T), sizeof(T));
        return v;
    }
    template <typename T>
    VIREO_ALWAYS_INLINE void set(unsigned i, T v) {
        std::memcpy(b + i * sizeof(T), &v, sizeof(T));
    }
};

VIREO_ALWAYS_INLINE V128 xmm_get(const CpuState& c, unsigned r) {
    V128 v;
    std::memcpy(v.b, c.xmm[r].b, 16);
    return v;
}
// A legacy-SSE write: bytes 16-31 (the YMM upper half) are preserved (SDM Vol. 1 14.1.1).
VIREO_ALWAYS_INLINE void xmm_set(CpuState& c, unsigned r, const V128& v) { std::memcpy(c.xmm[r].b, v.b, 16); }
template <typename T>
VIREO_ALWAYS_INLINE T xmm_lane(const CpuState& c, unsigned r, unsigned i) {
    T v;
    std::memcpy(&v, c.xmm[r].b + i * sizeof(T), sizeof(T));
    return v;
}
template <typename T>
VIREO_ALWAYS_INLINE void xmm_set_lane(CpuState& c, unsigned r, unsigned i, T v) {
    std::memcpy(c.xmm[r].b + i * sizeof(T), &v, sizeof(T));
}

// SDM Vol. 2A Table 2-21 (legacy SSE, exception types 4 and 5), Vol. 3A 13.1.3/13.1.4:
// #UD when CR0.EM = 1 or CR4.OSFXSR = 0 (the CPUID check is the decoder's), then #NM when
// CR0.TS = 1 — before any memory operand is touched.
VIREO_ALWAYS_INLINE void sse_check(CpuState& c) {
    if (VIREO_UNLIKELY((c.cr0 & CR0_EM) || !(c.cr4 & CR4_OSFXSR))) raise_ud(c);
    if (VIREO_UNLIKELY(c.cr0 & CR0_TS)) raise_fault_noerr(c, NM);
}

// Linear address of a 16-byte memory operand; Aligned forms raise #GP(0) when it is not on a
// 16-byte boundary "regardless of segment" (SDM Vol. 2A 2.8 / Table 2-21, MOVAPS etc.).
template <Access A, bool Aligned>
VIREO_ALWAYS_INLINE u64 m128_linear(CpuState& c, const Op& o) {
    const u64 lin = seg_linear<A>(c, o.seg, op_ea(c, o), 16);
    if (Aligned && (lin & 15)) raise_gp0(c);
    return lin;
}
// 16-byte accesses are never #AC (Table 2-21: #AC only for references of 8 bytes or less);
// with alignment checking on, a misaligned one goes byte by byte so the 8-byte halves do not
// trip the slow path's #AC check.
template <bool Aligned>
VIREO_ALWAYS_INLINE V128 read_m128(CpuState& c, const Op& o) {
    const u64 lin = m128_linear<Access::Read, Aligned>(c, o);
    V128 v;
    if (VIREO_UNLIKELY(c.align_check && (lin & 7))) {
        for (unsigned i = 0; i < 16; i++) v.b[i] = mem_read_lin<u8>(c, lin + i, c.mmu_idx);
        return v;
    }
    v.set<u64>(0, mem_read_lin<u64>(c, lin, c.mmu_idx));
    v.set<u64>(1, mem_read_lin<u64>(c, lin + 8, c.mmu_idx));
    return v;
}
template <bool Aligned>
VIREO_ALWAYS_INLINE void write_m128(CpuState& c, const Op& o, const V128& v) {
    const u64 lin = m128_linear<Access::Write, Aligned>(c, o);
    tlb_probe_write(c, lin, 16, c.mmu_idx);  // both halves or neither (precise faults)
    if (VIREO_UNLIKELY(c.align_check && (lin & 7))) {
        for (unsigned i = 0; i < 16; i++) mem_write_lin<u8>(c, lin + i, v.b[i], c.mmu_idx);
        return;
    }
    mem_write_lin<u64>(c, lin, v.get<u64>(0), c.mmu_idx);
    mem_write_lin<u64>(c, lin + 8, v.get<u64>(1), c.mmu_idx);
}

// Binder helper: r0 = ModRM.reg register, r1 = ModRM.r/m register (register forms); memory
// fields when r/m is memory. Returns true for the memory form.
inline bool sse_fill(const DecodedInsn& d, Op& op) {
    op.r0 = d.reg & 15;
    op.r1 = d.rm & 15;
    if (d.mem) fill_mem(d, op);
    op.imm = d.imm;
    return d.mem;
}

// ---- integer lane helpers (sse_int.cc on XMM, mmx.cc on MMX) ----
// Each helper works on the low N bytes of a V128: N = 16 for the 128-bit SSE2 forms, N = 8 for
// the 64-bit MMX forms, which the SDM defines element for element the same way (Vol. 1 9.4, the
// PADDB etc. pages give both widths one Operation section). Bytes N..15 of the result are
// unspecified for N = 8.
namespace lane {
template <unsigned N, typename T, typename Fn>
VIREO_ALWAYS_INLINE void lanes(V128& d, const V128& s, Fn f) {
    for (unsigned i = 0; i < N / sizeof(T); i++) d.set<T>(i, f(d.get<T>(i), s.get<T>(i)));
}
template <typename T, typename W>
VIREO_ALWAYS_INLINE T sat(W v) {
    return static_cast<T>(std::clamp<W>(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

#define LANE_OP(name, T, expr)                                                     \
    template <unsigned N>                                                          \
    void name(V128& d, const V128& s) {                                            \
        lanes<N, T>(d, s, [](T a, T b) -> T { return static_cast<T>(expr); });    \
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
template <unsigned N>
void v_pmuludq(V128& d, const V128& s) {
    for (unsigned i = 0; i < N / 8; i++) d.set<u64>(i, u64(d.get<u32>(2 * i)) * s.get<u32>(2 * i));
}
// PMADDWD: signed word products, adjacent pairs added into doublewords (0x8000 * 0x8000 * 2
// wraps to 0x80000000, SDM Vol. 2B PMADDWD).
template <unsigned N>
void v_pmaddwd(V128& d, const V128& s) {
    V128 r{};
    for (unsigned i = 0; i < N / 4; i++) {
        const i64 p = i64(d.get<i16>(2 * i)) * s.get<i16>(2 * i) + i64(d.get<i16>(2 * i + 1)) * s.get<i16>(2 * i + 1);
        r.set<u32>(i, static_cast<u32>(p));
    }
    d = r;
}
// PSADBW: per 8-byte half, the sum of absolute byte differences in the low word, rest zero.
template <unsigned N>
void v_psadbw(V128& d, const V128& s) {
    for (unsigned h = 0; h < N / 8; h++) {
        u64 sum = 0;
        for (unsigned i = 0; i < 8; i++) {
            const int a = d.b[8 * h + i], b = s.b[8 * h + i];
            sum += static_cast<u64>(a > b ? a - b : b - a);
        }
        d.set<u64>(h, sum);
    }
}

// Logical shifts by a count above the element width give 0; arithmetic ones fill with the
// sign (SDM Vol. 2B PSLLW/PSRLW/PSRAW).
template <unsigned N, typename T, int Dir /* 0 left, 1 logical right, 2 arithmetic right */>
void v_shift(V128& d, u64 count) {
    constexpr unsigned bits = 8 * sizeof(T);
    for (unsigned i = 0; i < N / sizeof(T); i++) {
        const T a = d.get<T>(i);
        T r;
        if constexpr (Dir == 2) r = static_cast<T>(static_cast<SignedOf<T>>(a) >> (count > bits - 1 ? bits - 1 : count));
        else if (count > bits - 1) r = 0;
        else r = Dir == 0 ? static_cast<T>(a << count) : static_cast<T>(a >> count);
        d.set<T>(i, r);
    }
}
// PSHUFHW/PSHUFLW: shuffle the words of one half, copy the other half. PSHUFW (MMX) is the
// low half alone (N = 8, Half = 0).
template <unsigned N, unsigned Half>
void v_pshufw_half(V128& d, const V128& s, u8 imm) {
    d = s;
    for (unsigned i = 0; i < 4; i++) d.set<u16>(4 * Half + i, s.get<u16>(4 * Half + ((imm >> (2 * i)) & 3)));
}
// Unpacks: interleave the low (Hi = 0) or high halves' elements, destination first
// (PUNPCKL/H BW/WD/DQ/QDQ; UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD are the DQ/QDQ forms).
template <unsigned N, typename T, unsigned Hi>
void v_unpack(V128& d, const V128& s) {
    constexpr unsigned n = N / sizeof(T);
    V128 r{};
    for (unsigned i = 0; i < n / 2; i++) {
        r.set<T>(2 * i, d.get<T>(Hi * n / 2 + i));
        r.set<T>(2 * i + 1, s.get<T>(Hi * n / 2 + i));
    }
    d = r;
}
// Packs with saturation: destination elements first, then the source's (PACKSSWB/PACKSSDW
// signed, PACKUSWB signed words to unsigned bytes).
template <unsigned N, typename From, typename To>
void v_pack(V128& d, const V128& s) {
    constexpr unsigned n = N / sizeof(From);
    V128 r{};
    for (unsigned i = 0; i < n; i++) {
        r.set<To>(i, sat<To>(static_cast<i64>(d.get<From>(i))));
        r.set<To>(n + i, sat<To>(static_cast<i64>(s.get<From>(i))));
    }
    d = r;
}
// 128-bit only (the VEX.256 forms apply them to each 128-bit lane).
// PSLLDQ/PSRLDQ: whole-register byte shifts; counts above 15 clear the register.
template <bool Left>
void v_byteshift(V128& d, u64 count) {
    V128 r{};
    const unsigned n = count > 16 ? 16 : static_cast<unsigned>(count);
    if (Left) std::memcpy(r.b + n, d.b, 16 - n);
    else std::memcpy(r.b, d.b + n, 16 - n);
    d = r;
}

inline void v_pshufd(V128& d, const V128& s, u8 imm) {
    for (unsigned i = 0; i < 4; i++) d.set<u32>(i, s.get<u32>((imm >> (2 * i)) & 3));
}
inline void v_shufps(V128& d, const V128& s, u8 imm) {
    V128 r;
    r.set<u32>(0, d.get<u32>(imm & 3));
    r.set<u32>(1, d.get<u32>((imm >> 2) & 3));
    r.set<u32>(2, s.get<u32>((imm >> 4) & 3));
    r.set<u32>(3, s.get<u32>((imm >> 6) & 3));
    d = r;
}
inline void v_shufpd(V128& d, const V128& s, u8 imm) {
    V128 r;
    r.set<u64>(0, d.get<u64>(imm & 1));
    r.set<u64>(1, s.get<u64>((imm >> 1) & 1));
    d = r;
}
}  // namespace lane

// ---- SIMD floating point (sse_fp_*.cc) ----
// The softfloat environment for the current MXCSR.
VIREO_ALWAYS_INLINE softfloat::Env fp_env(const CpuState& c) { return softfloat::Env::from_mxcsr(c.mxcsr); }
// SDM Vol. 3A 6.15 (interrupt 19): an unmasked SIMD floating-point exception is #XM when
// CR4.OSXMMEXCPT = 1, #UD otherwise.
[[noreturn]] inline void raise_simd_fp(CpuState& c) {
    if (c.cr4 & CR4_OSXMMEXCPT) raise_fault_noerr(c, XM);
    raise_ud(c);
}
// After computing every element with the flags accumulated in `flags` (SDM Vol. 1 11.5.1): an
// unmasked pre-computation exception (IE, DE, ZE) in any element sets the pre-computation flags
// only and faults; otherwise an unmasked post-computation one (OE, UE, PE) sets all flags and
// faults; either way the destination is left unchanged. With none unmasked the flags are ORed
// into MXCSR and the caller writes the result.
VIREO_ALWAYS_INLINE void fp_commit(CpuState& c, u8 flags) {
    const u8 unmasked = flags & ~(c.mxcsr >> 7) & 0x3f;
    if (VIREO_UNLIKELY(unmasked)) {
        const u8 pre = flags & softfloat::kPreComputation;
        c.mxcsr |= (pre & unmasked) ? pre : flags;
        raise_simd_fp(c);
    }
    c.mxcsr |= flags;
}
// One step of a multi-step operation (DPPS/DPPD, sse41_fp.cc; VDPPS, avx_fp.cc): fault with
// this step's flags and the earlier steps' (done) when one is unmasked, else collect them.
VIREO_ALWAYS_INLINE void fp_step(CpuState& c, softfloat::Env& e, u8& done) {
    if (VIREO_UNLIKELY(e.flags & ~(c.mxcsr >> 7) & 0x3f)) {
        c.mxcsr |= done;
        fp_commit(c, e.flags);  // raises #XM/#UD
    }
    done |= e.flags;
    e.flags = 0;
}
// Element conversions with one signature, D F(S bits, Env&) (sse_fp_convert.cc, avx_convert.cc).
inline u64 cv_f32_f64(u32 a, softfloat::Env& e) { return softfloat::f32_to_f64(a, e); }
inline u32 cv_f64_f32(u64 a, softfloat::Env& e) { return softfloat::f64_to_f32(a, e); }
inline u32 cv_i32_f32(u32 a, softfloat::Env& e) { return softfloat::i32_to_f32(static_cast<i32>(a), e); }
inline u64 cv_i32_f64(u32 a, softfloat::Env& e) { return softfloat::i32_to_f64(static_cast<i32>(a), e); }
template <bool T>
inline u32 cv_f32_i32(u32 a, softfloat::Env& e) { return static_cast<u32>(softfloat::f32_to_i32(a, T, e)); }
template <bool T>
inline u32 cv_f64_i32(u64 a, softfloat::Env& e) { return static_cast<u32>(softfloat::f64_to_i32(a, T, e)); }

// A scalar memory operand (m32/m64) as the low element of a V128 (the rest zero).
template <typename T>
VIREO_ALWAYS_INLINE V128 read_scalar(CpuState& c, const Op& o) {
    V128 v{};
    v.set<T>(0, mem_read<T>(c, o.seg, op_ea(c, o)));
    return v;
}

// The FXSAVE memory image (SDM Vol. 1 10.5.1, Tables 10-2 and 10-3) of c's x87/SSE state:
// bytes 0-415 (bytes 416-511 are left alone by FXSAVE). wide: the REX.W layout with 64-bit
// FIP/FDP; otherwise 32-bit offsets with FCS/FDS. nxmm: 16 in 64-bit mode, else 8. sse: the
// MXCSR/XMM fields are written (CR4.OSFXSR).
void fxsave_image(const CpuState& c, u8 img[416], bool wide, unsigned nxmm, bool sse);
// Load c's x87/SSE state from an FXSAVE image (the caller has checked MXCSR's reserved bits).
void fxrstor_image(CpuState& c, const u8 img[416], bool wide, unsigned nxmm, bool sse);

// ---- The two common shapes of a legacy-SSE XMM instruction, for the files that list lane
// helpers (sse_int.cc, ssse3.cc, sse41_int.cc): xmm = F(xmm, xmm/m128) and
// xmm = F(xmm, xmm/m128, imm8), a memory source 16-byte aligned (SDM Vol. 2A 2.8, exception
// type 4).
using VecOp = void (*)(V128& d, const V128& s);
using VecOpI = void (*)(V128& d, const V128& s, u8 imm);
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

// Each SSE semantics file contributes a list to the registry.
std::span<const SemEntry> sem_sse_move();
std::span<const SemEntry> sem_sse_int();
std::span<const SemEntry> sem_sse_state();
std::span<const SemEntry> sem_xsave();  // xsave.cc: XGETBV/XSETBV and the XSAVE/XRSTOR family
std::span<const SemEntry> sem_sse_fp_arith();
std::span<const SemEntry> sem_sse_fp_convert();
std::span<const SemEntry> sem_sse3();
std::span<const SemEntry> sem_ssse3();
std::span<const SemEntry> sem_sse41_int();
std::span<const SemEntry> sem_sse41_fp();
std::span<const SemEntry> sem_sse42_string();
// PEXTRW r/m16, xmm, imm8 (66 0F 3A 15): the "pextrw" entry binds it through this.
Handler bind_pextrw_0f3a(const DecodedInsn& d, Op& op);
// The MMX-register forms (mmx.cc), under the same mnemonics as the XMM forms: the registry binds
// them to the rows with an MMX operand.
std::span<const SemEntry> sem_mmx();
std::span<const SemEntry> sem_ssse3_mmx();  // ssse3.cc: PSHUFB mm etc.

}  // namespace vireo::x86
