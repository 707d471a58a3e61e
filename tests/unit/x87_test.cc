// The 80-bit softfloat (frontend-x86/softfloat/f80.h) on values whose results the SDM or simple
// arithmetic fixes, and the x87 exception rules the native-differential test cannot reach from
// user mode: #NM from CR0.EM/TS/MP (SDM Vol. 3A Table 2-2), #MF for a pending unmasked exception
// with CR0.NE = 1 (Vol. 1 8.7), the CR0.NE = 0 behaviour Vireo picked, and the last-instruction
// pointers (Vol. 1 8.1.8). The bit-exact agreement with a real x87 is native_diff_x87.h's job.
#include <gtest/gtest.h>
#include "frontend-x86/softfloat/f80.h"
#include "tests/unit/sse_test_support.h"

using namespace vireo;
using namespace vireo::f80;

namespace {

constexpr F80 kOne{0x8000000000000000ull, 0x3fff};
constexpr F80 kTwo{0x8000000000000000ull, 0x4000};
constexpr F80 kThree{0xC000000000000000ull, 0x4000};
constexpr F80 kMax{~0ull, 0x7ffe};

Env80 env(u8 round = kNearest, u8 prec = kPrec64, u8 masks = 0x3f) {
    Env80 e;
    e.round = round;
    e.prec = prec;
    e.masks = masks;
    return e;
}

TEST(F80, OneThirdInEachPrecision) {
    // SDM Vol. 1 8.1.5.2: PC rounds the significand to 24/53/64 bits, exponent range unchanged.
    Env80 e = env();
    F80 r = div(kOne, kThree, e);
    EXPECT_EQ(r.se, 0x3ffd);
    EXPECT_EQ(r.sig, 0xAAAAAAAAAAAAAAABull);
    EXPECT_EQ(e.flags, kPE);
    EXPECT_TRUE(e.c1) << "rounded up";
    e = env(kZero);
    EXPECT_EQ(div(kOne, kThree, e).sig, 0xAAAAAAAAAAAAAAAAull);
    EXPECT_FALSE(e.c1);
    e = env(kNearest, kPrec24);
    EXPECT_EQ(div(kOne, kThree, e).sig, 0xAAAAAB0000000000ull);
    e = env(kNearest, kPrec53);
    EXPECT_EQ(div(kOne, kThree, e).sig, 0xAAAAAAAAAAAAA800ull);
}

TEST(F80, SqrtTwoAndExactSquares) {
    Env80 e = env();
    const F80 r = sqrt(kTwo, e);
    EXPECT_EQ(r.se, 0x3fff);
    EXPECT_EQ(r.sig, 0xB504F333F9DE6484ull);
    EXPECT_EQ(e.flags, kPE);
    e = env();
    const F80 nine{0x9000000000000000ull, 0x4002};
    EXPECT_EQ(sqrt(nine, e), kThree);
    EXPECT_EQ(e.flags, 0);
    e = env();
    EXPECT_EQ(sqrt(F80{kOne.sig, 0xbfff}, e), kIndefinite);
    EXPECT_EQ(e.flags, kIE);
}

TEST(F80, MaskedAndUnmaskedOverflow) {
    // Masked: infinity or the largest finite number by RC (SDM Vol. 1 4.9.1.4 Table 4-10).
    Env80 e = env();
    EXPECT_EQ(mul(kMax, kMax, e), make(false, 0x7fff, 1ull << 63));
    EXPECT_EQ(e.flags, kOE | kPE);
    e = env(kZero);
    EXPECT_EQ(mul(kMax, kMax, e), kMax);
    // Unmasked, register destination: the exponent is wrapped by 24576 (8.5.4).
    e = env(kNearest, kPrec64, 0x3f & ~kOE);
    const F80 r = mul(kMax, kMax, e);
    EXPECT_EQ(r.exp(), 0x7ffe + 0x7ffe - 0x3fff + 1 - 24576);
    EXPECT_TRUE(e.flags & kOE);
}

TEST(F80, UnderflowAndDenormals) {
    const F80 tiny{1ull << 63, 0x0001};  // smallest normal
    Env80 e = env();
    const F80 half = make(false, 0x3ffe, 1ull << 63);
    EXPECT_EQ(mul(tiny, half, e), make(false, 0, 1ull << 62)) << "exact denormal";
    EXPECT_EQ(e.flags, 0) << "masked underflow needs inexact (SDM Vol. 1 4.9.1.5)";
    e = env(kNearest, kPrec64, 0x3f & ~kUE);
    const F80 r = mul(tiny, half, e);
    EXPECT_EQ(e.flags, kUE) << "unmasked: tiny is enough";
    EXPECT_EQ(r.exp(), 24576u) << "bias-adjusted (8.5.5)";
    // A denormal operand raises DE (8.5.2), a pseudo-denormal too.
    e = env();
    add(make(false, 0, 1), kOne, e);
    EXPECT_TRUE(e.flags & kDE);
    e = env();
    EXPECT_EQ(classify(make(false, 0, 1ull << 63)), Class::Denormal);
}

TEST(F80, NaNsAndUnsupportedEncodings) {
    // SDM Vol. 1 4.8.3.5 Table 4-7 (x87): the QNaN of an SNaN/QNaN pair; the larger significand.
    const F80 q1 = make(false, 0x7fff, 0xC000000000000001ull), q2 = make(true, 0x7fff, 0xC000000000000002ull);
    const F80 s1 = make(false, 0x7fff, 0x8000000000000005ull);
    Env80 e = env();
    EXPECT_EQ(add(q1, q2, e), q2);
    EXPECT_EQ(e.flags, 0);
    EXPECT_EQ(add(s1, q1, e), q1);
    EXPECT_EQ(e.flags, kIE);
    e = env();
    EXPECT_EQ(mul(s1, kOne, e).sig, 0xC000000000000005ull) << "SNaN quieted";
    // Unnormal, pseudo-NaN, pseudo-infinity: invalid operands (SDM Vol. 1 8.2.2).
    for (F80 bad : {make(false, 0x3fff, 0x4000000000000000ull), make(false, 0x7fff, 0x0000000000000001ull),
                    make(false, 0x7fff, 0)}) {
        e = env();
        EXPECT_EQ(classify(bad), Class::Unsupported);
        EXPECT_EQ(add(bad, kOne, e), kIndefinite);
        EXPECT_EQ(e.flags, kIE);
    }
    e = env();
    EXPECT_EQ(sub(make(false, 0x7fff, 1ull << 63), make(false, 0x7fff, 1ull << 63), e), kIndefinite);
}

TEST(F80, IntegerConversions) {
    const F80 two_and_half = make(false, 0x4000, 0xA000000000000000ull);
    Env80 e = env();
    EXPECT_EQ(to_int(two_and_half, 32, false, e), 2) << "ties to even";
    e = env(kUp);
    EXPECT_EQ(to_int(two_and_half, 32, false, e), 3);
    EXPECT_TRUE(e.c1);
    e = env(kUp);
    EXPECT_EQ(to_int(two_and_half, 32, true, e), 2) << "FISTTP truncates";
    e = env();
    EXPECT_EQ(to_int(make(false, 0x400e, 1ull << 63), 16, false, e), -32768) << "32768: out of range";
    EXPECT_EQ(e.flags, kIE);
    e = env();
    EXPECT_EQ(to_int(make(true, 0x400e, 1ull << 63), 16, false, e), -32768) << "-32768 fits";
    EXPECT_EQ(e.flags, 0);
    EXPECT_EQ(from_int(-5), make(true, 0x4001, 0xA000000000000000ull));
    e = env();
    EXPECT_EQ(round_to_int(make(true, 0x3ffe, 1ull << 63), e), make(true, 0, 0)) << "-0.5 -> -0";
}

TEST(F80, BinaryFormats) {
    Env80 e = env();
    EXPECT_EQ(from_f64(0x3FF8000000000000ull, e), make(false, 0x3fff, 0xC000000000000000ull));
    EXPECT_FALSE(e.denormal_src);
    from_f64(1, e);
    EXPECT_TRUE(e.denormal_src);
    e = env();
    EXPECT_EQ(to_f32(div(kOne, kThree, e), e), 0x3EAAAAABu);
    e = env();
    EXPECT_EQ(to_f64(kMax, e), 0x7FF0000000000000ull);
    EXPECT_EQ(e.flags, kOE | kPE);
    e = env();
    EXPECT_EQ(to_f64(kIndefinite, e), 0xFFF8000000000000ull);
    EXPECT_EQ(e.flags, 0) << "a QNaN stores without IE";
}

TEST(F80, ConstantsFollowRoundingControl) {
    // SDM Vol. 1 8.3.8: FLDPI etc. round their internal 66-bit constants by RC.
    EXPECT_EQ(load_constant(3, kNearest).sig, 0xC90FDAA22168C235ull);
    EXPECT_EQ(load_constant(3, kDown).sig, 0xC90FDAA22168C234ull);
    EXPECT_EQ(load_constant(3, kZero).sig, 0xC90FDAA22168C234ull);
    EXPECT_EQ(load_constant(1, kNearest).sig, 0xD49A784BCD1B8AFEull);
    EXPECT_EQ(load_constant(1, kUp).sig, 0xD49A784BCD1B8AFFull);
}

// ---- engine: #NM, #MF and the pointers ----
struct X87Cpu : vireo::test::SseCpu {
    void SetUp() override {
        SseCpu::SetUp();
        set(c.features, x86::Feature::F_X87);
        c.x87.fcw = 0x037F;
        c.x87.ftw = 0;
    }
};
using namespace vireo::x86;

const std::vector<u8> kFld1 = {0xD9, 0xE8};
const std::vector<u8> kFaddp = {0xDE, 0xC1};
const std::vector<u8> kFwait = {0x9B};
const std::vector<u8> kFnstswAx = {0xDF, 0xE0};
const std::vector<u8> kFdivZero = {0xD8, 0x30};  // fdiv dword [rax]

TEST_F(X87Cpu, EmOrTsIsNm) {
    c.cr0 |= CR0_EM;
    EXPECT_EQ(run(kFld1), NM);
    c.cr0 &= ~CR0_EM;
    c.cr0 |= CR0_TS;
    EXPECT_EQ(run(kFld1), NM);
    EXPECT_EQ(c.x87.ftw, 0) << "nothing pushed";
    // WAIT/FWAIT: #NM only when MP and TS are both set (SDM Vol. 3A Table 2-2).
    c.cr0 &= ~CR0_MP;
    EXPECT_EQ(run(kFwait), -1);
    c.cr0 |= CR0_MP;
    EXPECT_EQ(run(kFwait), NM);
}

TEST_F(X87Cpu, PendingUnmaskedExceptionIsMfAtTheNextWaitingInstruction) {
    c.x87.fcw = 0x037F & ~4;  // ZE unmasked
    c.gpr[RAX] = kData;
    std::memset(ram(kData), 0, 4);
    ASSERT_EQ(run(kFld1), -1);
    EXPECT_EQ(run(kFdivZero), -1) << "the faulting operation itself completes (SDM Vol. 1 8.7)";
    EXPECT_EQ(c.x87.fsw & 0x8085, 0x8084) << "ZE, ES and B set";
    EXPECT_EQ(c.x87.fop, 0x030u) << "FOP: D8 /6 with ModRM 30";
    EXPECT_EQ(c.x87.fdp, kData);
    EXPECT_EQ(c.x87.fip, kCode);
    const u16 fsw = c.x87.fsw;
    EXPECT_EQ(run(kFnstswAx), -1) << "non-waiting";
    EXPECT_EQ(static_cast<u16>(c.gpr[RAX]), fsw);
    EXPECT_EQ(run(kFwait), MF);
    EXPECT_EQ(run(kFaddp), MF);
    // CR0.NE = 0: the PC's FERR#/IRQ 13 path is not modelled; the instruction runs.
    c.cr0 &= ~CR0_NE;
    EXPECT_EQ(run(kFwait), -1);
}

TEST_F(X87Cpu, FnsaveFrstorRoundTrip) {
    c.gpr[RAX] = kData;
    ASSERT_EQ(run(kFld1), -1);
    ASSERT_EQ(run({0xD9, 0xEB}), -1);  // fldpi
    const X87State before = c.x87;
    ASSERT_EQ(run({0xDD, 0x30}), -1);  // fnsave [rax]
    EXPECT_EQ(c.x87.fcw, 0x037F);
    EXPECT_EQ(c.x87.ftw, 0) << "FNSAVE reinitializes";
    EXPECT_EQ(get<u16>(kData + 8), 0x0FFF) << "full tag word: ST0/ST1 valid, the rest empty";
    ASSERT_EQ(run({0xDD, 0x20}), -1);  // frstor [rax]
    EXPECT_EQ(c.x87.fsw, before.fsw);
    EXPECT_EQ(c.x87.ftw, before.ftw);
    EXPECT_EQ(std::memcmp(c.x87.r, before.r, sizeof before.r), 0);
}

TEST_F(X87Cpu, StackOverflowAndUnderflow) {
    // SDM Vol. 1 8.5.1.1: IE + SF, C1 = 1 overflow / 0 underflow; masked: the QNaN indefinite.
    c.x87.ftw = 0xff;
    ASSERT_EQ(run(kFld1), -1);
    EXPECT_EQ(c.x87.fsw & 0x0241, 0x0241);
    c.x87.fsw = 0;
    c.x87.ftw = 0;
    ASSERT_EQ(run(kFaddp), -1);
    EXPECT_EQ(c.x87.fsw & 0x0241, 0x0041);
}

}  // namespace
