// PCLMULQDQ, legacy-SSE and VEX.128 forms (SDM Vol. 2B PCLMULQDQ): the carry-less (GF(2)[x]) product of one
// quadword of xmm1 and one of xmm2/m128 into all 128 bits of xmm1. imm8[0] selects xmm1's
// quadword, imm8[4] the source's; the other imm8 bits are ignored. Shifts and XORs only (no
// host carry-less multiply), so it runs on any host.
#include "frontend-x86/semantics/crypto_common.h"

namespace vireo::x86 {
namespace {

// SDM PCLMULQDQ "Operation": TEMP1 = a, TEMP2 = b; bit i of the product is the XOR over j of
// a[j] AND b[i - j]. Here: for each set bit j of b, XOR a shifted left by j into the 128 bits.
void clmul64(u64 a, u64 b, u64& lo, u64& hi) {
    lo = hi = 0;
    for (unsigned j = 0; j < 64; j++) {
        const u64 m = 0 - ((b >> j) & 1);  // all ones when b[j] is set
        lo ^= (a << j) & m;
        if (j) hi ^= (a >> (64 - j)) & m;
    }
}

void v_pclmulqdq(V128& d, const V128& s, u8 imm) {
    u64 lo, hi;
    clmul64(d.get<u64>(imm & 1), s.get<u64>((imm >> 4) & 1), lo, hi);
    d.set<u64>(0, lo);
    d.set<u64>(1, hi);
}

constexpr SemEntry kEntries[] = {
    {"pclmulqdq", xmm_form::bind_i<v_pclmulqdq>, false},
    {"vpclmulqdq", xmm_form::bind_vex_i<Feature::F_PCLMUL, v_pclmulqdq>, false},  // VEX.128 (+ AVX)
};

}  // namespace

std::span<const SemEntry> sem_clmul() { return kEntries; }

}  // namespace vireo::x86
