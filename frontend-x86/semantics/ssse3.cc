// SSSE3 (SDM Vol. 1 5.8, 12.9; Vol. 2 instruction pages), the MMX (NP 0F 38/0F 3A) and XMM (66)
// forms: PSHUFB, PHADDW/PHADDD/PHADDSW, PHSUBW/PHSUBD/PHSUBSW, PMADDUBSW, PMULHRSW, PSIGNB/W/D,
// PABSB/W/D, PALIGNR. Each operation is one lane helper over the low N bytes (N = 8 for mm,
// 16 for xmm): the SDM gives both widths one Operation section. The MMX forms register under
// the same mnemonics through sem_ssse3_mmx() (the registry binds them to the P/Q/N rows).
#include "frontend-x86/semantics/mmx_common.h"

namespace vireo::x86 {
namespace {
using lane::sat;

// PSHUFB: byte i = 0 if the control byte's bit 7 is set, else d[ctl & (N - 1)].
template <unsigned N>
void v_pshufb(V128& d, const V128& s) {
    V128 r{};
    for (unsigned i = 0; i < N; i++) r.b[i] = (s.b[i] & 0x80) ? 0 : d.b[s.b[i] & (N - 1)];
    d = r;
}
// PHADD/PHSUB (Sub: d[2i] - d[2i+1]), saturating for the SW forms: the destination's pairs
// fill the low half of the result, the source's the high half.
template <unsigned N, typename T, bool Sub, bool Sat>
void v_phorizontal(V128& d, const V128& s) {
    constexpr unsigned n = N / sizeof(T);
    V128 r{};
    for (unsigned i = 0; i < n; i++) {
        const V128& x = i < n / 2 ? d : s;
        const unsigned j = 2 * (i % (n / 2));
        const i64 a = x.get<T>(j), b = x.get<T>(j + 1);
        const i64 v = Sub ? a - b : a + b;
        r.set<T>(i, Sat ? static_cast<T>(sat<T>(v)) : static_cast<T>(v));
    }
    d = r;
}
// PMADDUBSW: unsigned destination bytes times signed source bytes, adjacent products added
// into signed words with saturation.
template <unsigned N>
void v_pmaddubsw(V128& d, const V128& s) {
    for (unsigned i = 0; i < N / 2; i++) {
        const int v = int(d.b[2 * i]) * int(s.get<i8>(2 * i)) + int(d.b[2 * i + 1]) * int(s.get<i8>(2 * i + 1));
        d.set<i16>(i, sat<i16>(v));
    }
}
// PMULHRSW: ((d * s >> 14) + 1) >> 1, bits 16:1 of the rounded product.
template <unsigned N>
void v_pmulhrsw(V128& d, const V128& s) {
    for (unsigned i = 0; i < N / 2; i++) {
        const i32 p = i32(d.get<i16>(i)) * i32(s.get<i16>(i));
        d.set<u16>(i, static_cast<u16>(static_cast<u32>((p >> 14) + 1) >> 1));
    }
}
// PSIGN: negate, zero or keep each destination element by the source element's sign.
template <unsigned N, typename T>
void v_psign(V128& d, const V128& s) {
    using S = SignedOf<T>;
    for (unsigned i = 0; i < N / sizeof(T); i++) {
        const S b = s.get<S>(i);
        const T a = d.get<T>(i);
        d.set<T>(i, b < 0 ? static_cast<T>(T(0) - a) : b == 0 ? T(0) : a);
    }
}
// PABS: the unsigned absolute value of each source element (-128 -> 0x80).
template <unsigned N, typename T>
void v_pabs(V128& d, const V128& s) {
    using S = SignedOf<T>;
    for (unsigned i = 0; i < N / sizeof(T); i++) {
        const T a = s.get<T>(i);
        d.set<T>(i, static_cast<S>(a) < 0 ? static_cast<T>(T(0) - a) : a);
    }
}
// PALIGNR: the 2N-byte concatenation destination:source shifted right by imm8 bytes, the low N
// bytes kept (bytes beyond the concatenation are zero, so imm8 >= 2N gives zero).
template <unsigned N>
void v_palignr(V128& d, const V128& s, u8 imm) {
    u8 cat[2 * N];
    std::memcpy(cat, s.b, N);
    std::memcpy(cat + N, d.b, N);
    for (unsigned i = 0; i < N; i++) d.b[i] = imm + i < 2 * N ? cat[imm + i] : 0;
}

// ---- XMM forms: xmm = F(xmm, xmm/m128), the m128 16-byte aligned (exception type 4).
using VecOp = void (*)(V128& d, const V128& s);
using VecOpI = void (*)(V128& d, const V128& s, u8 imm);
template <VecOp F, bool Mem>
void h_xmm(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s);
    xmm_set(c, o.r0, d);
}
template <VecOp F>
Handler bind_xmm(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_xmm<F, true> : &h_xmm<F, false>; }
template <VecOpI F, bool Mem>
void h_xmmi(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<true>(c, o) : xmm_get(c, o.r1);
    V128 d = xmm_get(c, o.r0);
    F(d, s, static_cast<u8>(o.imm));
    xmm_set(c, o.r0, d);
}
template <VecOpI F>
Handler bind_xmmi(const DecodedInsn& d, Op& op) { return sse_fill(d, op) ? &h_xmmi<F, true> : &h_xmmi<F, false>; }

// ---- MMX forms: mm = F(mm, mm/m64) (mmx_common.h); PALIGNR mm, mm/m64, imm8.
template <bool Mem>
void h_mm_palignr(CpuState& c, const Op& o) {
    mmx_check(c);
    const V128 s = v64(mm_src<Mem, 8>(c, o));
    V128 d = v64(mm_get(c, o.r0));
    v_palignr<8>(d, s, static_cast<u8>(o.imm));
    mmx_state(c);
    mm_set(c, o.r0, d.get<u64>(0));
}
Handler bind_mm_palignr(const DecodedInsn& d, Op& op) {
    return mmx_fill(d, op) ? &h_mm_palignr<true> : &h_mm_palignr<false>;
}

// One table for both widths: the mnemonic and the lane helper at N.
#define SSSE3_OPS(X, N)                                                                            \
    X("pshufb", v_pshufb<N>) X("phaddw", (v_phorizontal<N, i16, false, false>))                   \
    X("phaddd", (v_phorizontal<N, i32, false, false>)) X("phaddsw", (v_phorizontal<N, i16, false, true>)) \
    X("phsubw", (v_phorizontal<N, i16, true, false>)) X("phsubd", (v_phorizontal<N, i32, true, false>))   \
    X("phsubsw", (v_phorizontal<N, i16, true, true>)) X("pmaddubsw", v_pmaddubsw<N>)              \
    X("pmulhrsw", v_pmulhrsw<N>) X("psignb", (v_psign<N, u8>)) X("psignw", (v_psign<N, u16>))      \
    X("psignd", (v_psign<N, u32>)) X("pabsb", (v_pabs<N, u8>)) X("pabsw", (v_pabs<N, u16>))        \
    X("pabsd", (v_pabs<N, u32>))
#define XMM_ENTRY(name, fn) {name, bind_xmm<fn>, false},
#define MM_ENTRY(name, fn) {name, bind_mm<fn>, false},
constexpr SemEntry kXmmEntries[] = {SSSE3_OPS(XMM_ENTRY, 16){"palignr", bind_xmmi<v_palignr<16>>, false}};
constexpr SemEntry kMmEntries[] = {SSSE3_OPS(MM_ENTRY, 8){"palignr", bind_mm_palignr, false}};
#undef XMM_ENTRY
#undef MM_ENTRY
#undef SSSE3_OPS

}  // namespace

std::span<const SemEntry> sem_ssse3() { return kXmmEntries; }
std::span<const SemEntry> sem_ssse3_mmx() { return kMmEntries; }

}  // namespace vireo::x86
