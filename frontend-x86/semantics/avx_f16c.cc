// F16C (SDM Vol. 2C VCVTPH2PS, VCVTPS2PH; Vol. 1 14.4.1): packed binary16 <-> binary32. The
// element conversions are softfloat's f16_to_f32 / f32_to_f16; here the operand widths:
// VCVTPH2PS xmm1, xmm2/m64 (VEX.256: ymm1, xmm2/m128) and VCVTPS2PH xmm1/m64, xmm2, imm8
// (VEX.256: xmm1/m128, ymm2, imm8), whose register destination is zeroed above the result to
// VLMAX. Both are exception type 11 (Vol. 2A 2.8): the memory operand takes any alignment.
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

// VCVTPH2PS: N halves from the low 2N bytes of r/m.
template <unsigned N, bool Mem>
void h_vcvtph2ps(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<2 * N, Mem>(c, o);
    V256 d{};
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < N; i++) d.set<u32>(i, sf::f16_to_f32(s.get<u16>(i), e));
    fp_commit(c, e.flags);
    vex_set<4 * N>(c, o.r0, d);
}

// VCVTPS2PH: imm8[2] = 1 rounds by MXCSR.RC, else by imm8[1:0] (SDM Vol. 2C VCVTPS2PH Table
// 5-3); imm8[7:3] are ignored. An unmasked exception (#XM) leaves the destination, register or
// memory, unchanged: every element is converted before anything is written.
template <unsigned N, bool Mem>
void h_vcvtps2ph(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = ymm_get(c, o.r0);
    V256 d{};
    sf::Env e = fp_env(c);
    const u8 mode = (o.imm & 4) ? e.round : static_cast<u8>(o.imm & 3);
    for (unsigned i = 0; i < N; i++) d.set<u16>(i, sf::f32_to_f16(s.get<u32>(i), mode, e));
    fp_commit(c, e.flags);
    if constexpr (Mem) write_vmem<2 * N, false>(c, o, d);
    else vex_set<2 * N>(c, o.r1, d);
}

// VEX.L selects 4 or 8 elements.
template <template <unsigned, bool> class H>
Handler bind(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &H<4, false>::run, &H<4, true>::run, &H<8, false>::run, &H<8, true>::run);
}
template <unsigned N, bool Mem>
struct Ph2ps { static void run(CpuState& c, const Op& o) { h_vcvtph2ps<N, Mem>(c, o); } };
template <unsigned N, bool Mem>
struct Ps2ph { static void run(CpuState& c, const Op& o) { h_vcvtps2ph<N, Mem>(c, o); } };

constexpr SemEntry kEntries[] = {
    {"vcvtph2ps", bind<Ph2ps>, false},
    {"vcvtps2ph", bind<Ps2ph>, false},
};

}  // namespace

std::span<const SemEntry> sem_avx_f16c() { return kEntries; }

}  // namespace vireo::x86
