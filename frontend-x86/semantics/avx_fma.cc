// FMA3 (SDM Vol. 2A VFMADD132PS ... VFNMSUB231SD, VFMADDSUB132PS ..., VFMSUBADD231PD): one
// rounding of a * b + c (softfloat f32_fma / f64_fma). The three digits name which operands are
// multiplied and which is added, in instruction order (src1 = the destination, src2 =
// VEX.vvvv, src3 = r/m): 132: src1 * src3 + src2; 213: src2 * src1 + src3; 231: src2 * src3 +
// src1. VEX.W0 is PS/SS, W1 PD/SD; the scalar forms keep src1's bits 127:N (VLMAX-zeroed above).
// Exception type 2 (packed) / 3 (scalar), Vol. 2A 2.8: any alignment.
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {
namespace sf = softfloat;

// Operand roles (factor, factor, addend) per order (the digits minus one).
constexpr unsigned kRoles[3][3] = {{0, 2, 1}, {1, 0, 2}, {1, 2, 0}};
// What is negated: the product (VFNM*), the addend (VF*MSUB); the alternating forms subtract
// in even elements (VFMADDSUB) or odd ones (VFMSUBADD).
enum Kind : u8 { kMadd, kMsub, kNmadd, kNmsub, kMaddsub, kMsubadd };

template <typename T, Kind K>
VIREO_ALWAYS_INLINE T fma_elem(const T (&x)[3], unsigned order, unsigned i, sf::Env& e) {
    const bool neg_mul = K == kNmadd || K == kNmsub;
    const bool neg_add = K == kMsub || K == kNmsub || (K == kMaddsub && i % 2 == 0) || (K == kMsubadd && i % 2 == 1);
    const unsigned* r = kRoles[order];
    if constexpr (sizeof(T) == 4) return sf::f32_fma(x, r[0], r[1], r[2], neg_mul, neg_add, e);
    else return sf::f64_fma(x, r[0], r[1], r[2], neg_mul, neg_add, e);
}

template <typename T, unsigned Order, Kind K, bool Scalar, unsigned Bytes, bool Mem>
void h_vfma(CpuState& c, const Op& o) {
    vex_check(c);
    constexpr unsigned N = Scalar ? 1 : Bytes / sizeof(T);
    const V256 s3 = vsrc<Scalar ? sizeof(T) : Bytes, Mem>(c, o);
    const V256 s1 = ymm_get(c, o.r0), s2 = ymm_get(c, o.r2);
    V256 d = s1;
    sf::Env e = fp_env(c);
    for (unsigned i = 0; i < N; i++) {
        const T x[3] = {s1.get<T>(i), s2.get<T>(i), s3.get<T>(i)};
        d.set<T>(i, fma_elem<T, K>(x, Order, i, e));
    }
    fp_commit(c, e.flags);
    vex_set<Scalar ? 16 : Bytes>(c, o.r0, d);
}
template <typename T, unsigned Order, Kind K, bool Scalar>
Handler bind_vfma(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vfma<T, Order, K, Scalar, 16, false>, &h_vfma<T, Order, K, Scalar, 16, true>,
                    &h_vfma<T, Order, K, Scalar, 32, false>, &h_vfma<T, Order, K, Scalar, 32, true>);
}

// The three orders of one operation and element type.
#define FMA3(name, sfx, T, K, S)                                       \
    {"v" name "132" sfx, bind_vfma<T, 0, K, S>, false},                 \
    {"v" name "213" sfx, bind_vfma<T, 1, K, S>, false},                 \
    {"v" name "231" sfx, bind_vfma<T, 2, K, S>, false}
#define FMA_PS_PD(name, K) FMA3(name, "ps", u32, K, false), FMA3(name, "pd", u64, K, false)
#define FMA_SS_SD(name, K) FMA3(name, "ss", u32, K, true), FMA3(name, "sd", u64, K, true)

constexpr SemEntry kEntries[] = {
    FMA_PS_PD("fmadd", kMadd),       FMA_SS_SD("fmadd", kMadd),   FMA_PS_PD("fmsub", kMsub),
    FMA_SS_SD("fmsub", kMsub),       FMA_PS_PD("fnmadd", kNmadd), FMA_SS_SD("fnmadd", kNmadd),
    FMA_PS_PD("fnmsub", kNmsub),     FMA_SS_SD("fnmsub", kNmsub), FMA_PS_PD("fmaddsub", kMaddsub),
    FMA_PS_PD("fmsubadd", kMsubadd),
};
#undef FMA_SS_SD
#undef FMA_PS_PD
#undef FMA3

}  // namespace

std::span<const SemEntry> sem_avx_fma() { return kEntries; }

}  // namespace vireo::x86
