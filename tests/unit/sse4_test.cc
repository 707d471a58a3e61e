// SSE3..SSE4.2 on any host: the values the SDM fixes for ROUNDPS/ROUNDPD (softfloat round to
// integral, Vol. 2B ROUNDPD Table 4-18), and a few instructions end to end on tier 0 whose
// results are worked out by hand from the SDM pages (PSHUFB, PTEST, PCMPISTRI, ROUNDSS imm8,
// DPPS exceptions). The bit-for-bit comparison with an x86 CPU is tests/cpu
// (native_diff_sse4_test.cc); these guard the same behaviour where that cannot run.
#include <gtest/gtest.h>
#include <cstring>

#include "frontend-x86/flags.h"
#include "frontend-x86/softfloat/softfloat.h"
#include "tests/unit/sse_test_support.h"

namespace vireo {
namespace {

namespace sf = softfloat;

u32 round32(u32 a, u8 mode, u8* flags = nullptr, bool daz = false) {
    sf::Env e;
    e.daz = daz;
    const u32 r = sf::f32_round_int(a, mode, e);
    if (flags) *flags = e.flags;
    return r;
}
u64 round64(u64 a, u8 mode, u8* flags = nullptr) {
    sf::Env e;
    const u64 r = sf::f64_round_int(a, mode, e);
    if (flags) *flags = e.flags;
    return r;
}

TEST(RoundToIntegral, EachModeOnHalves) {
    u8 f;
    EXPECT_EQ(round32(0x40200000, sf::kRoundNearest, &f), 0x40000000u);  // 2.5 -> 2 (ties to even)
    EXPECT_EQ(f, sf::kInexact);
    EXPECT_EQ(round32(0x40600000, sf::kRoundNearest), 0x40800000u);      // 3.5 -> 4
    EXPECT_EQ(round32(0x40200000, sf::kRoundUp), 0x40400000u);           // 2.5 -> 3
    EXPECT_EQ(round32(0x40200000, sf::kRoundDown), 0x40000000u);
    EXPECT_EQ(round32(0x40200000, sf::kRoundZero), 0x40000000u);
    EXPECT_EQ(round32(0xC0200000, sf::kRoundDown), 0xC0400000u);         // -2.5 -> -3
    EXPECT_EQ(round32(0xC0200000, sf::kRoundUp), 0xC0000000u);           // -2.5 -> -2
    EXPECT_EQ(round32(0xC0200000, sf::kRoundZero), 0xC0000000u);
}

TEST(RoundToIntegral, BelowOneKeepsTheSign) {
    EXPECT_EQ(round32(0xBE99999A, sf::kRoundNearest), 0x80000000u);  // -0.3 -> -0
    EXPECT_EQ(round32(0x3F000000, sf::kRoundNearest), 0x00000000u);  // 0.5 -> +0 (even)
    EXPECT_EQ(round32(0x3F333333, sf::kRoundNearest), 0x3F800000u);  // 0.7 -> 1
    EXPECT_EQ(round32(0x3F000000, sf::kRoundUp), 0x3F800000u);       // 0.5 -> 1
    EXPECT_EQ(round32(0xBF000000, sf::kRoundDown), 0xBF800000u);     // -0.5 -> -1
    EXPECT_EQ(round32(0xBF000000, sf::kRoundUp), 0x80000000u);       // -0.5 -> -0
}

TEST(RoundToIntegral, SpecialsAndDenormals) {
    u8 f;
    EXPECT_EQ(round32(0x7F800001, sf::kRoundNearest, &f), 0x7FC00001u);  // SNaN: quieted, invalid
    EXPECT_EQ(f, sf::kInvalid);
    EXPECT_EQ(round32(0xFFC12345, sf::kRoundNearest, &f), 0xFFC12345u);  // QNaN as is
    EXPECT_EQ(f, 0);
    EXPECT_EQ(round32(0xFF800000, sf::kRoundUp, &f), 0xFF800000u);
    EXPECT_EQ(f, 0);
    EXPECT_EQ(round32(0x80000000, sf::kRoundUp, &f), 0x80000000u);
    EXPECT_EQ(f, 0);
    EXPECT_EQ(round32(0x4B000001, sf::kRoundNearest, &f), 0x4B000001u);  // 2^23 + 1: integral
    EXPECT_EQ(f, 0);
    // The smallest denormal: no denormal exception, rounded like any other value; with DAZ a
    // zero (no flags).
    EXPECT_EQ(round32(0x00000001, sf::kRoundUp, &f), 0x3F800000u);
    EXPECT_EQ(f, sf::kInexact);
    EXPECT_EQ(round32(0x80000001, sf::kRoundNearest, &f), 0x80000000u);
    EXPECT_EQ(f, sf::kInexact);
    EXPECT_EQ(round32(0x00000001, sf::kRoundUp, &f, true), 0x00000000u);
    EXPECT_EQ(f, 0);
}

TEST(RoundToIntegral, Binary64CarryIntoTheNextBinade) {
    // 2^52 - 0.5 (the largest value with a fraction bit): a tie between 2^52 - 1 (odd) and 2^52.
    EXPECT_EQ(round64(0x432FFFFFFFFFFFFFull, sf::kRoundNearest), 0x4330000000000000ull);
    EXPECT_EQ(round64(0x432FFFFFFFFFFFFFull, sf::kRoundUp), 0x4330000000000000ull);
    EXPECT_EQ(round64(0x432FFFFFFFFFFFFFull, sf::kRoundDown), 0x432FFFFFFFFFFFFEull);
    EXPECT_EQ(round64(0x3FF8000000000000ull, sf::kRoundNearest), 0x4000000000000000ull);  // 1.5 -> 2
    EXPECT_EQ(round64(0x7FEFFFFFFFFFFFFFull, sf::kRoundNearest), 0x7FEFFFFFFFFFFFFFull);  // max finite
}

// ---------------------------------------------------------------------------------------------
struct Sse4Cpu : test::SseCpu {
    void SetUp() override {
        SseCpu::SetUp();
        using x86::Feature;
        for (Feature f : {Feature::F_SSE3, Feature::F_SSSE3, Feature::F_SSE41, Feature::F_SSE42})
            set(c.features, f);
        c.cr4 |= x86::CR4_OSXMMEXCPT;
    }
    void set_bytes(unsigned r, const char* s) {
        std::memset(c.xmm[r].b, 0, 16);
        std::memcpy(c.xmm[r].b, s, std::strlen(s));
    }
};

// PSHUFB (SDM Vol. 2B): byte i = dst[ctl[i] & 15], or 0 when ctl[i] bit 7 is set.
TEST_F(Sse4Cpu, PshufbReversesAndZeroes) {
    for (u8 i = 0; i < 16; i++) c.xmm[1].b[i] = i, c.xmm[2].b[i] = static_cast<u8>(15 - i);
    c.xmm[2].b[0] = 0x80;
    ASSERT_EQ(run({0x66, 0x0F, 0x38, 0x00, 0xCA}), -1);  // pshufb xmm1, xmm2
    EXPECT_EQ(xmm_q(1, 0), 0x08090A0B0C0D0E00ull);
    EXPECT_EQ(xmm_q(1, 1), 0x0001020304050607ull);
}

// PTEST: ZF = (dst AND src) == 0, CF = (NOT dst AND src) == 0, the other flags cleared.
TEST_F(Sse4Cpu, PtestFlags) {
    set_xmm(1, ~0ull, ~0ull);
    set_xmm(2, 0, 0);
    ASSERT_EQ(run({0x66, 0x0F, 0x38, 0x17, 0xCA}), -1);  // ptest xmm1, xmm2
    EXPECT_EQ(x86::compute_arith_flags(c), x86::ZF | x86::CF);
    set_xmm(2, 0x10, 0);
    ASSERT_EQ(run({0x66, 0x0F, 0x38, 0x17, 0xCA}), -1);
    EXPECT_EQ(x86::compute_arith_flags(c), x86::CF);
}

// PCMPISTRI imm8 0CH (unsigned bytes, equal ordered, least significant index): the index of
// "lo" in "hello world" (SDM Vol. 2B 4.1.5, 4.1.6). CF: a match; ZF: a null in operand 2; SF:
// a null in operand 1; OF: IntRes2[0].
TEST_F(Sse4Cpu, PcmpistriFindsASubstring) {
    set_bytes(1, "lo");
    set_bytes(2, "hello world");
    c.gpr[x86::RCX] = ~0ull;
    ASSERT_EQ(run({0x66, 0x0F, 0x3A, 0x63, 0xCA, 0x0C}), -1);  // pcmpistri xmm1, xmm2, 0x0c
    EXPECT_EQ(c.gpr[x86::RCX], 3u);
    EXPECT_EQ(x86::compute_arith_flags(c), x86::CF | x86::ZF | x86::SF);
    set_bytes(1, "xyz");
    ASSERT_EQ(run({0x66, 0x0F, 0x3A, 0x63, 0xCA, 0x0C}), -1);
    EXPECT_EQ(c.gpr[x86::RCX], 16u);  // no match: the element count
    EXPECT_EQ(x86::compute_arith_flags(c), x86::ZF | x86::SF);
}

// ROUNDSS imm8: bit 2 takes the mode from MXCSR.RC, bit 3 suppresses the precision exception;
// elements 1-3 of the destination are kept.
TEST_F(Sse4Cpu, RoundssImmediateBits) {
    const std::vector<u8> roundss_0c = {0x66, 0x0F, 0x3A, 0x0A, 0xCA, 0x0C};  // roundss xmm1, xmm2, 0x0c
    const std::vector<u8> roundss_04 = {0x66, 0x0F, 0x3A, 0x0A, 0xCA, 0x04};
    c.mxcsr = 0x1F80 | (sf::kRoundDown << 13);
    set_xmm(1, 0x1111111122222222ull, 0x3333333344444444ull);
    set_xmm(2, 0x40200000, 0);  // 2.5
    ASSERT_EQ(run(roundss_0c), -1);
    EXPECT_EQ(xmm_q(1, 0), 0x1111111140000000ull);  // 2.0, rounded down
    EXPECT_EQ(xmm_q(1, 1), 0x3333333344444444ull);
    EXPECT_EQ(c.mxcsr, 0x1F80u | (sf::kRoundDown << 13));  // no PE
    ASSERT_EQ(run(roundss_04), -1);
    EXPECT_EQ(c.mxcsr, 0x1F80u | (sf::kRoundDown << 13) | sf::kInexact);
    c.mxcsr = 0x1F80 & ~(sf::kInexact << 7);  // PM clear: suppressed PE does not fault
    ASSERT_EQ(run(roundss_0c), -1);
    EXPECT_EQ(run(roundss_04), x86::XM);
}

// DPPS: an unmasked exception in the products faults there; the sums' exceptions are not
// raised (as the hardware: an overflowing product beside an infinite one of the other sign
// reports OE, not the invalid of inf + -inf). The destination is unchanged.
TEST_F(Sse4Cpu, DppsFaultsAtTheProducts) {
    c.mxcsr = 0x1F80 & ~(sf::kOverflow << 7);
    set_xmm(1, 0x7E800000FF800000ull, 0);  // {-inf, 2^126, 0, 0}
    set_xmm(2, 0x7E8000003F800000ull, 0);  // {1, 2^126, 0, 0}
    EXPECT_EQ(run({0x66, 0x0F, 0x3A, 0x40, 0xCA, 0x33}), x86::XM);  // dpps xmm1, xmm2, 0x33
    EXPECT_EQ(c.mxcsr, (0x1F80u & ~(sf::kOverflow << 7)) | sf::kOverflow);  // exact: no PE
    EXPECT_EQ(xmm_q(1, 0), 0x7E800000FF800000ull);
    // Masked: the product is +inf and the sum -inf + inf is the default NaN, invalid.
    c.mxcsr = 0x1F80;
    ASSERT_EQ(run({0x66, 0x0F, 0x3A, 0x40, 0xCA, 0x33}), -1);
    EXPECT_EQ(xmm_q(1, 0), 0xFFC00000FFC00000ull);
    EXPECT_EQ(c.mxcsr, 0x1F80u | sf::kInvalid | sf::kOverflow | sf::kInexact);
}

}  // namespace
}  // namespace vireo
