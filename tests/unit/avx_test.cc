// AVX on tier 0, the parts the native-differential test (tests/cpu/native_diff_avx_test.cc)
// cannot reach from user mode, so they hold on non-x86 hosts too: the VEX #UD rules
// (CR4.OSXSAVE, XCR0[2:1], the CPUID gate) and #NM with CR0.TS (SDM Vol. 2A 2.8, Vol. 3A
// 13.3); VZEROUPPER/VZEROALL; the YMM upper halves under legacy SSE (kept, Vol. 1 14.5) and
// VEX.128 writes (zeroed); the aligned-move #GP(0); and XSAVE/XRSTOR of YMM_Hi128 (state
// component 2, Vol. 1 13.5.3) including XRSTOR's initialization when XSTATE_BV[2] = 0.
#include "tests/unit/sse_test_support.h"

#include "frontend-x86/cpu_model.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

struct Avx : test::SseCpu {
    void SetUp() override {
        SseCpu::SetUp();
        for (Feature f : {Feature::F_AVX, Feature::F_XSAVE}) set(c.features, f);
        c.cr4 |= CR4_OSXSAVE;
        c.xcr0 = 7;
    }
    void set_ymm(unsigned r, u64 q0, u64 q1, u64 q2, u64 q3) {
        const u64 q[4] = {q0, q1, q2, q3};
        std::memcpy(c.xmm[r].b, q, 32);
    }
    u64 ymm_q(unsigned r, unsigned i) const {
        u64 v;
        std::memcpy(&v, c.xmm[r].b + 8 * i, 8);
        return v;
    }
    void fill_all() {
        for (unsigned r = 0; r < 16; r++) set_ymm(r, 0x1111 * (r + 1), 0x2222 * (r + 1), 0x3333 * (r + 1), 0x4444 * (r + 1));
    }
};

// VADDPS ymm1, ymm2, ymm3 (C5 EC 58 CB) and VADDPS xmm1, xmm1, xmm2 (C5 F0 58 CA).
const std::vector<u8> kVaddpsY = {0xC5, 0xEC, 0x58, 0xCB}, kVaddpsX = {0xC5, 0xF0, 0x58, 0xCA};
const std::vector<u8> kAddps = {0x0F, 0x58, 0xCA};  // ADDPS xmm1, xmm2 (legacy SSE)

TEST_F(Avx, UdWithoutOsxsaveOrXcr0Avx) {
    c.cr4 &= ~CR4_OSXSAVE;
    EXPECT_EQ(run(kVaddpsY), UD);
    c.cr4 |= CR4_OSXSAVE;
    c.xcr0 = 3;  // XCR0[2:1] = 01b
    EXPECT_EQ(run(kVaddpsY), UD);
    EXPECT_EQ(run({0xC5, 0xF8, 0x77}), UD);  // VZEROUPPER too
    c.xcr0 = 7;
    EXPECT_EQ(run(kVaddpsY), -1);
}

TEST_F(Avx, UdWithoutTheCpuidFeature) {
    c.features.reset(static_cast<size_t>(Feature::F_AVX));
    EXPECT_EQ(run(kVaddpsY), UD);
}

TEST_F(Avx, NmWithTsAfterTheUdChecks) {
    c.cr0 |= CR0_TS;
    set_ymm(1, 1, 2, 3, 4);
    EXPECT_EQ(run(kVaddpsY), NM);
    EXPECT_EQ(ymm_q(1, 0), 1u);  // nothing written
    EXPECT_EQ(ymm_q(1, 3), 4u);
    c.xcr0 = 3;                   // #UD has priority over #NM (SDM Vol. 2A Table 2-21)
    EXPECT_EQ(run(kVaddpsY), UD);
    c.xcr0 = 7;
    c.cr0 &= ~CR0_TS;
    c.cr0 |= CR0_EM;              // CR0.EM does not apply to VEX forms (unlike legacy SSE)
    EXPECT_EQ(run(kVaddpsY), -1);
    EXPECT_EQ(run(kAddps), UD);
}

// AVX2 forms stay #UD without F_AVX2: the VEX.256 integer forms and the register-source
// broadcasts (the table's "(avx)" placeholders).
TEST_F(Avx, Avx2FormsAreUd) {
    EXPECT_EQ(run({0xC5, 0xF9, 0xFC, 0xC2}), -1);                 // VPADDB xmm0, xmm0, xmm2
    EXPECT_EQ(run({0xC5, 0xFD, 0xFC, 0xC2}), UD);                 // VPADDB ymm0, ymm0, ymm2
    EXPECT_EQ(run({0xC5, 0xFD, 0xD7, 0xC1}), UD);                 // VPMOVMSKB eax, ymm1
    EXPECT_EQ(run({0xC4, 0xE2, 0x7D, 0x18, 0xC1}), UD);           // VBROADCASTSS ymm0, xmm1
    EXPECT_EQ(run({0xC4, 0xE3, 0x7D, 0x16, 0xC0, 0x01}), UD);     // VPEXTRD with VEX.L = 1
}

// The per-lane VEX.256 integer forms (AVX2, semantics/avx_int.cc): #UD without F_AVX2 (no
// current CPU model has it; SDM: "#UD If ... CPUID.(EAX=07H, ECX=0):EBX.AVX2[bit 5] = 0"),
// run with it; the cross-lane AVX2 forms are not implemented and stay #UD either way.
TEST_F(Avx, Avx2PerLaneIntegerFormsNeedAvx2) {
    const std::vector<std::vector<u8>> per_lane = {
        {0xC5, 0xFD, 0xFC, 0xC2},                    // VPADDB ymm0, ymm0, ymm2
        {0xC5, 0xFD, 0xEF, 0x03},                    // VPXOR ymm0, ymm0, [rbx]
        {0xC5, 0xFD, 0xD7, 0xC1},                    // VPMOVMSKB eax, ymm1
        {0xC5, 0xFD, 0x70, 0xC1, 0x1B},              // VPSHUFD ymm0, ymm1, 1Bh
        {0xC5, 0xFD, 0x71, 0xF1, 0x03},              // VPSLLW ymm0, ymm1, 3
        {0xC5, 0xFD, 0xF1, 0xC2},                    // VPSLLW ymm0, ymm0, xmm2
        {0xC5, 0xFD, 0x73, 0xF9, 0x03},              // VPSLLDQ ymm0, ymm1, 3
        {0xC4, 0xE2, 0x7D, 0x00, 0xC2},              // VPSHUFB ymm0, ymm0, ymm2
        {0xC4, 0xE2, 0x7D, 0x1C, 0xC1},              // VPABSB ymm0, ymm1
        {0xC4, 0xE2, 0x7D, 0x40, 0xC2},              // VPMULLD ymm0, ymm0, ymm2
        {0xC4, 0xE3, 0x7D, 0x0F, 0xC2, 0x05},        // VPALIGNR ymm0, ymm0, ymm2, 5
        {0xC4, 0xE3, 0x7D, 0x42, 0xC2, 0x2D},        // VMPSADBW ymm0, ymm0, ymm2, 2Dh
        {0xC4, 0xE3, 0x7D, 0x4C, 0xC2, 0x30},        // VPBLENDVB ymm0, ymm0, ymm2, ymm3
    };
    const std::vector<std::vector<u8>> cross_lane = {
        {0xC4, 0xE2, 0x7D, 0x20, 0xC1},              // VPMOVSXBW ymm0, xmm1
        {0xC4, 0xE2, 0x7D, 0x36, 0xC1},              // VPERMD ymm0, ymm0, ymm1
        {0xC4, 0xE2, 0x7D, 0x78, 0xC1},              // VPBROADCASTB ymm0, xmm1
        {0xC4, 0xE2, 0x7D, 0x47, 0xC2},              // VPSLLVD ymm0, ymm0, ymm2
        {0xC4, 0xE3, 0x7D, 0x38, 0xC1, 0x01},        // VINSERTI128 ymm0, ymm0, xmm1, 1
        {0xC4, 0xE3, 0x7D, 0x16, 0xC0, 0x01},        // VPEXTRD with VEX.L = 1
    };
    c.gpr[RBX] = kData;
    for (const auto& code : per_lane) EXPECT_EQ(run(code), UD) << ::testing::PrintToString(code);
    for (const auto& code : cross_lane) EXPECT_EQ(run(code), UD) << ::testing::PrintToString(code);
    set(c.features, Feature::F_AVX2);
    for (const auto& code : per_lane) EXPECT_EQ(run(code), -1) << ::testing::PrintToString(code);
    for (const auto& code : cross_lane) EXPECT_EQ(run(code), UD) << ::testing::PrintToString(code);
    // Each lane on its own: VPADDB ymm0, ymm0, ymm2 carries nothing from bit 127 to 128, and
    // VPSLLDQ ymm0, ymm1, 3 shifts each lane's bytes (zeros into byte 16, nothing from byte 15).
    set_ymm(0, 0, 0xFF00000000000000ull, 0x01, 0xFF00000000000000ull);
    set_ymm(2, 0, 0x0100000000000000ull, 0x02, 0x0200000000000000ull);
    EXPECT_EQ(run({0xC5, 0xFD, 0xFC, 0xC2}), -1);
    EXPECT_EQ(ymm_q(0, 0), 0u);
    EXPECT_EQ(ymm_q(0, 1), 0u);
    EXPECT_EQ(ymm_q(0, 2), 3u);
    EXPECT_EQ(ymm_q(0, 3), 0x0100000000000000ull);
    set_ymm(1, 0x0807060504030201ull, 0x100F0E0D0C0B0A09ull, 0x1817161514131211ull, 0x201F1E1D1C1B1A19ull);
    EXPECT_EQ(run({0xC5, 0xFD, 0x73, 0xF9, 0x03}), -1);
    EXPECT_EQ(ymm_q(0, 0), 0x0504030201000000ull);
    EXPECT_EQ(ymm_q(0, 1), 0x0D0C0B0A09080706ull);
    EXPECT_EQ(ymm_q(0, 2), 0x1514131211000000ull);
    EXPECT_EQ(ymm_q(0, 3), 0x1D1C1B1A19181716ull);
}

// VAESENC (VEX.128) needs AES as well as AVX (the row is gated by AVX, the handler checks AES).
TEST_F(Avx, VexAesNeedsBothFlags) {
    const std::vector<u8> vaesenc = {0xC4, 0xE2, 0x69, 0xDC, 0xCB};  // VAESENC xmm1, xmm2, xmm3
    EXPECT_EQ(run(vaesenc), UD);
    set(c.features, Feature::F_AES);
    EXPECT_EQ(run(vaesenc), -1);
}

TEST_F(Avx, ReservedVvvvIsUd) {
    // VMOVAPS xmm1, xmm2 with VEX.vvvv = 0011b (must be 1111b): C5 E0 28 CA.
    EXPECT_EQ(run({0xC5, 0xE0, 0x28, 0xCA}), UD);
    EXPECT_EQ(run({0xC5, 0xF8, 0x28, 0xCA}), -1);
}

TEST_F(Avx, VzeroupperAndVzeroall) {
    fill_all();
    EXPECT_EQ(run({0xC5, 0xF8, 0x77}), -1);  // VZEROUPPER
    for (unsigned r = 0; r < 16; r++) {
        EXPECT_EQ(ymm_q(r, 0), 0x1111u * (r + 1)) << r;
        EXPECT_EQ(ymm_q(r, 1), 0x2222u * (r + 1)) << r;
        EXPECT_EQ(ymm_q(r, 2) | ymm_q(r, 3), 0u) << r;
    }
    fill_all();
    EXPECT_EQ(run({0xC5, 0xFC, 0x77}), -1);  // VZEROALL
    for (unsigned r = 0; r < 16; r++)
        for (unsigned i = 0; i < 4; i++) EXPECT_EQ(ymm_q(r, i), 0u) << r;
}

TEST_F(Avx, LegacySseKeepsTheUpperHalfVex128ZeroesIt) {
    fill_all();
    set_ymm(2, 0, 0, 0x5555, 0x6666);
    EXPECT_EQ(run(kAddps), -1);
    EXPECT_EQ(ymm_q(1, 2), 0x3333u * 2);  // SDM Vol. 1 14.5: legacy SSE leaves 255:128 alone
    EXPECT_EQ(ymm_q(1, 3), 0x4444u * 2);
    EXPECT_EQ(run(kVaddpsX), -1);
    EXPECT_EQ(ymm_q(1, 2) | ymm_q(1, 3), 0u);  // VEX.128: 255:128 zeroed
    // A VEX.256 move writes all 256 bits: VMOVAPS ymm3, ymm2 (C5 FC 28 DA).
    EXPECT_EQ(run({0xC5, 0xFC, 0x28, 0xDA}), -1);
    EXPECT_EQ(ymm_q(3, 2), 0x5555u);
    EXPECT_EQ(ymm_q(3, 3), 0x6666u);
}

TEST_F(Avx, AlignedMovesFaultOnMisalignedOperands) {
    for (unsigned i = 0; i < 64; i++) ram(kData)[i] = static_cast<u8>(i);
    c.gpr[RDI] = kData + 16;  // 16-byte but not 32-byte aligned
    EXPECT_EQ(run({0xC5, 0xFC, 0x28, 0x07}), GP);   // VMOVAPS ymm0, [rdi]
    EXPECT_EQ(run({0xC5, 0xF8, 0x28, 0x07}), -1);   // VMOVAPS xmm0, [rdi]: 16 is enough
    c.gpr[RDI] = kData + 1;
    EXPECT_EQ(run({0xC5, 0xFC, 0x10, 0x07}), -1);   // VMOVUPS ymm0, [rdi]: any alignment
    EXPECT_EQ(ymm_q(0, 0), 0x0807060504030201u);
    EXPECT_EQ(ymm_q(0, 3), 0x201f1e1d1c1b1a19u);
    EXPECT_EQ(run({0xC5, 0xFC, 0x58, 0x07}), -1);   // VADDPS ymm0, ymm0, [rdi]: no alignment rule
}

// XSAVE/XRSTOR with RFBM = 7: YMM_Hi128 at offset 576, 16 bytes per register, XSTATE_BV[2].
TEST_F(Avx, XsaveXrstorRoundTripYmmHi128) {
    constexpr u64 kArea = 0x30000;
    const std::vector<u8> xsave = {0x0F, 0xAE, 0x27}, xrstor = {0x0F, 0xAE, 0x2F};
    fill_all();
    std::memset(ram(kArea), 0xCC, 1024);
    std::memset(ram(kArea + 512), 0, 64);  // the header: XSAVE writes XSTATE_BV only
    c.gpr[RDI] = kArea;
    c.gpr[RAX] = 7;
    c.gpr[RDX] = 0;
    ASSERT_EQ(run(xsave), -1);
    EXPECT_EQ(get<u64>(kArea + 512) & 7, 7u);  // XSTATE_BV
    for (unsigned r = 0; r < 16; r++) {
        EXPECT_EQ(get<u64>(kArea + 576 + 16 * r), 0x3333u * (r + 1)) << r;
        EXPECT_EQ(get<u64>(kArea + 576 + 16 * r + 8), 0x4444u * (r + 1)) << r;
        EXPECT_EQ(get<u64>(kArea + 160 + 16 * r), 0x1111u * (r + 1)) << r;  // XMM in the legacy region
    }
    for (unsigned r = 0; r < 16; r++) set_ymm(r, 0, 0, 0, 0);
    ASSERT_EQ(run(xrstor), -1);
    for (unsigned r = 0; r < 16; r++) {
        EXPECT_EQ(ymm_q(r, 0), 0x1111u * (r + 1)) << r;
        EXPECT_EQ(ymm_q(r, 2), 0x3333u * (r + 1)) << r;
        EXPECT_EQ(ymm_q(r, 3), 0x4444u * (r + 1)) << r;
    }
    // RFBM without bit 2: the upper halves are neither saved nor restored.
    c.gpr[RAX] = 3;
    set_ymm(5, 1, 2, 0xAAAA, 0xBBBB);
    ASSERT_EQ(run(xrstor), -1);
    EXPECT_EQ(ymm_q(5, 2), 0xAAAAu);
    EXPECT_EQ(ymm_q(5, 0), 0x1111u * 6);
    // XSTATE_BV[2] = 0 with RFBM[2] = 1: XRSTOR puts YMM_Hi128 in its initial state (zero).
    put<u64>(kArea + 512, 3);
    c.gpr[RAX] = 7;
    ASSERT_EQ(run(xrstor), -1);
    for (unsigned r = 0; r < 16; r++) EXPECT_EQ(ymm_q(r, 2) | ymm_q(r, 3), 0u) << r;
    EXPECT_EQ(ymm_q(5, 0), 0x1111u * 6);  // the XMM part came from the SSE component
}

TEST_F(Avx, MaxModelAdvertisesAvx) {
    CpuState m;
    cpu_apply_model(m, *find_cpu_model("max"));
    EXPECT_TRUE(has(m.features, Feature::F_AVX));
    CpuState q;
    cpu_apply_model(q, *find_cpu_model("qemu64"));
    EXPECT_FALSE(has(q.features, Feature::F_AVX));
}

}  // namespace
