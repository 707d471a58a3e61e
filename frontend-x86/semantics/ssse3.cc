// SSSE3 (SDM Vol. 1 5.8, 12.9; Vol. 2 instruction pages), the MMX (NP 0F 38/0F 3A) and XMM (66)
// forms: PSHUFB, PHADDW/PHADDD/PHADDSW, PHSUBW/PHSUBD/PHSUBSW, PMADDUBSW, PMULHRSW, PSIGNB/W/D,
// PABSB/W/D, PALIGNR. Each operation is one lane helper over the low N bytes (N = 8 for mm,
// 16 for xmm): the SDM gives both widths one Operation section. The MMX forms register under
// the same mnemonics through sem_ssse3_mmx() (the registry binds them to the P/Q/N rows).
#include "frontend-x86/semantics/mmx_common.h"
#include "frontend-x86/semantics/sse_int_lanes.h"

namespace vireo::x86 {
namespace {
using namespace lane;

// The lane helpers (v_pshufb ... v_palignr) are in sse_int_lanes.h (shared with avx_int.cc).

// ---- XMM forms: xmm = F(xmm, xmm/m128[, imm8]), bind_vec/bind_veci (sse_common.h).

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
#define XMM_ENTRY(name, fn) {name, bind_vec<fn>, false},
#define MM_ENTRY(name, fn) {name, bind_mm<fn>, false},
constexpr SemEntry kXmmEntries[] = {SSSE3_OPS(XMM_ENTRY, 16){"palignr", bind_veci<v_palignr<16>>, false}};
constexpr SemEntry kMmEntries[] = {SSSE3_OPS(MM_ENTRY, 8){"palignr", bind_mm_palignr, false}};
#undef XMM_ENTRY
#undef MM_ENTRY
#undef SSSE3_OPS

}  // namespace

std::span<const SemEntry> sem_ssse3() { return kXmmEntries; }
std::span<const SemEntry> sem_ssse3_mmx() { return kMmEntries; }

}  // namespace vireo::x86
