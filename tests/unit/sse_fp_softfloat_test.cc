// The software floating point (frontend-x86/softfloat/) on values whose x86 results the SDM
// fixes and where a non-x86 host FPU would differ: NaN propagation (SDM Vol. 1 4.8.3.5
// Table 4-7), tininess after rounding (4.9.1.5), FTZ/DAZ (10.2.3.3/10.2.3.4), integer
// indefinite (4.8.3.7), MINPS/MAXPS operand order (Vol. 2B MINPS). Host-independent: these run
// on any host; the bit-for-bit comparison with an x86 CPU is tests/cpu (NativeDiff.SseFp*).
#include <gtest/gtest.h>
#include <cstdint>
#include "frontend-x86/softfloat/softfloat.h"

namespace vireo::softfloat {
namespace {

constexpr u32 kOne = 0x3F800000, kHalf = 0x3F000000, kMinNormal = 0x00800000;
constexpr u32 kSNaN = 0x7F800001, kQNaN = 0xFFC12345;

Env env(u8 round = kRoundNearest, bool daz = false, bool ftz = false, u8 masks = 0x3f) {
    Env e;
    e.round = round, e.daz = daz, e.ftz = ftz, e.masks = masks;
    return e;
}

TEST(SoftFloat, RoundingModesOnAHalfUlpAddend) {
    const u32 half_ulp = 0x33800000;  // 2^-24: 1 + 2^-24 is halfway between 1 and 1 + 2^-23
    Env e = env();
    EXPECT_EQ(f32_add(kOne, half_ulp, e), kOne);  // ties to even
    EXPECT_EQ(e.flags, kInexact);
    e = env(kRoundUp);
    EXPECT_EQ(f32_add(kOne, half_ulp, e), kOne + 1);
    e = env(kRoundDown);
    EXPECT_EQ(f32_sub(kOne, half_ulp, e), 0x3F7FFFFFu);
    e = env(kRoundZero);
    EXPECT_EQ(f32_sub(kOne, half_ulp, e), 0x3F7FFFFFu);
}

TEST(SoftFloat, ExactZeroSign) {
    Env e = env();
    EXPECT_EQ(f64_sub(0x3FF0000000000000ull, 0x3FF0000000000000ull, e), 0u);
    e = env(kRoundDown);
    EXPECT_EQ(f64_sub(0x3FF0000000000000ull, 0x3FF0000000000000ull, e), 0x8000000000000000ull);
    EXPECT_EQ(e.flags, 0);
}

TEST(SoftFloat, FirstSourceNaNWinsAndIsQuieted) {
    Env e = env();
    EXPECT_EQ(f32_add(kSNaN, kQNaN, e), 0x7FC00001u);  // the first operand's, quieted
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f32_mul(kQNaN, kSNaN, e), kQNaN);
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f32_div(kOne, kSNaN, e), 0x7FC00001u);
    e = env();
    EXPECT_EQ(f32_sub(0x7F800000, 0x7F800000, e), kF32DefaultNaN);  // inf - inf: real indefinite
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f64_sqrt(0xBFF0000000000000ull, e), kF64DefaultNaN);
}

TEST(SoftFloat, TininessIsDetectedAfterRounding) {
    // (2 - 2^-29) * 2^-127 rounds to 2^-126 with a 24-bit significand: not tiny on x86, so no
    // underflow and no flush (a before-rounding host, e.g. ARM, would say underflow).
    const u64 v = (u64(1023 - 127) << 52) | (((u64(1) << 29) - 1) << 23);
    Env e = env();
    EXPECT_EQ(f64_to_f32(v, e), kMinNormal);
    EXPECT_EQ(e.flags, kInexact);
    e = env(kRoundNearest, false, /*ftz=*/true);
    EXPECT_EQ(f64_to_f32(v, e), kMinNormal);
    EXPECT_EQ(e.flags, kInexact);
    // Rounded toward zero it stays below 2^-126: tiny and inexact.
    e = env(kRoundZero);
    EXPECT_EQ(f64_to_f32(v, e), kMinNormal - 1);
    EXPECT_EQ(e.flags, kUnderflow | kInexact);
}

TEST(SoftFloat, FlushToZeroAndDenormalsAreZero) {
    Env e = env();
    EXPECT_EQ(f32_mul(kMinNormal, kHalf, e), 0x00400000u);  // exact denormal: no flags
    EXPECT_EQ(e.flags, 0);
    e = env(kRoundNearest, false, true);
    EXPECT_EQ(f32_mul(kMinNormal | 0x80000000u, kHalf, e), 0x80000000u);  // FTZ: signed zero
    EXPECT_EQ(e.flags, kUnderflow | kInexact);
    // Underflow unmasked: FTZ is ignored, UE is raised for the exact tiny result.
    e = env(kRoundNearest, false, true, 0x3f & ~kUnderflow);
    f32_mul(kMinNormal, kHalf, e);
    EXPECT_EQ(e.flags, kUnderflow);
    // A denormal operand: DE without DAZ; read as a zero of its sign with DAZ.
    e = env();
    EXPECT_EQ(f32_add(0x80000001u, 0x80000000u, e), 0x80000001u);
    EXPECT_EQ(e.flags, kDenormal);
    e = env(kRoundNearest, true);
    EXPECT_EQ(f32_add(0x80000001u, 0x80000000u, e), 0x80000000u);
    EXPECT_EQ(e.flags, 0);
}

TEST(SoftFloat, OverflowByRoundingDirection) {
    Env e = env();
    EXPECT_EQ(f32_mul(0x7F7FFFFF, 0x40000000, e), 0x7F800000u);
    EXPECT_EQ(e.flags, kOverflow | kInexact);
    e = env(kRoundZero);
    EXPECT_EQ(f32_mul(0x7F7FFFFF, 0x40000000, e), 0x7F7FFFFFu);
    e = env(kRoundUp);
    EXPECT_EQ(f32_mul(0xFF7FFFFF, 0x40000000, e), 0xFF7FFFFFu);
}

TEST(SoftFloat, DivideByZeroAndSqrt) {
    Env e = env();
    EXPECT_EQ(f64_div(0xBFF0000000000000ull, 0, e), 0xFFF0000000000000ull);
    EXPECT_EQ(e.flags, kDivZero);
    e = env();
    EXPECT_EQ(f64_sqrt(0x4010000000000000ull, e), 0x4000000000000000ull);  // sqrt 4 = 2, exact
    EXPECT_EQ(e.flags, 0);
    e = env();
    EXPECT_EQ(f32_sqrt(0x40000000, e), 0x3FB504F3u);  // sqrt 2, inexact
    EXPECT_EQ(e.flags, kInexact);
    e = env();
    EXPECT_EQ(f32_sqrt(0x80000000, e), 0x80000000u);  // sqrt(-0) = -0
}

TEST(SoftFloat, IntegerConversions) {
    Env e = env();
    EXPECT_EQ(f32_to_i32(kQNaN, false, e), INT32_MIN);
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f64_to_i64(0x43E0000000000000ull, false, e), INT64_MIN);  // 2^63: out of range
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f64_to_i64(0xC3E0000000000000ull, false, e), INT64_MIN);  // -2^63 fits
    EXPECT_EQ(e.flags, 0);
    e = env();
    EXPECT_EQ(f32_to_i32(0xC0200000, false, e), -2);  // -2.5 to nearest even
    EXPECT_EQ(e.flags, kInexact);
    e = env();
    EXPECT_EQ(f32_to_i32(0xC0200000, true, e), -2);  // truncated
    e = env(kRoundDown);
    EXPECT_EQ(f32_to_i32(0xC0200000, false, e), -3);
    e = env();
    EXPECT_EQ(i64_to_f32(-1, e), 0xBF800000u);
    EXPECT_EQ(i64_to_f64(INT64_MIN, e), 0xC3E0000000000000ull);
    EXPECT_EQ(e.flags, 0);
    EXPECT_EQ(i32_to_f32(0x7FFFFFFF, e), 0x4F000000u);  // 2^31 - 1 rounds to 2^31
    EXPECT_EQ(e.flags, kInexact);
}

TEST(SoftFloat, MinMaxReturnTheSecondOperand) {
    Env e = env();
    EXPECT_EQ(f32_min(kQNaN, kOne, e), kOne);  // a NaN: the second operand, invalid
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_EQ(f32_max(kOne, kSNaN, e), kSNaN);  // not quieted
    e = env();
    EXPECT_EQ(f32_max(0x00000000, 0x80000000, e), 0x80000000u);  // zeros: the second
    EXPECT_EQ(f32_min(0x80000000, 0x00000000, e), 0x00000000u);
    EXPECT_EQ(e.flags, 0);
    e = env(kRoundNearest, /*daz=*/true);
    EXPECT_EQ(f32_min(kQNaN, 0x80000001u, e), 0x80000000u);  // the second, as DAZ read it
}

TEST(SoftFloat, ComparePredicates) {
    Env e = env();
    EXPECT_EQ(f64_compare(kF64DefaultNaN, 0, false, e), Rel::Unordered);
    EXPECT_EQ(e.flags, 0);  // quiet compare of a QNaN
    EXPECT_TRUE(f32_cmp_predicate(kQNaN, kOne, 4, e));   // NEQ_UQ
    EXPECT_EQ(e.flags, 0);
    EXPECT_FALSE(f32_cmp_predicate(kQNaN, kOne, 1, e));  // LT_OS signals on a QNaN
    EXPECT_EQ(e.flags, kInvalid);
    e = env();
    EXPECT_TRUE(f32_cmp_predicate(0x80000000, 0, 0, e));  // -0 == +0
}

TEST(SoftFloat, ApproximationsSpecialCases) {
    EXPECT_EQ(f32_rcp_approx(0x00000001), 0x7F800000u);   // a denormal reads as zero
    EXPECT_EQ(f32_rcp_approx(0xFF800000), 0x80000000u);
    EXPECT_EQ(f32_rcp_approx(0x7F7FFFFF), 0x00000000u);   // tiny reciprocal flushed
    EXPECT_EQ(f32_rcp_approx(0x40000000), 0x3F000000u);
    EXPECT_EQ(f32_rsqrt_approx(0xBF800000), kF32DefaultNaN);
    EXPECT_EQ(f32_rsqrt_approx(0x80000000), 0xFF800000u);
    EXPECT_EQ(f32_rsqrt_approx(0x40800000), 0x3F000000u);  // 1/sqrt(4)
}

}  // namespace
}  // namespace vireo::softfloat
