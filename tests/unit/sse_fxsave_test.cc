// The x87/SSE state: reset/INIT values (SDM Vol. 3A Table 9-1) and the FXSAVE/FXRSTOR image
// (SDM Vol. 1 10.5.1, Tables 10-2 (32-bit offsets) and 10-3 (REX.W, 64-bit offsets)).
#include "tests/unit/sse_test_support.h"

using namespace vireo;
using namespace vireo::x86;
using vireo::test::SseCpu;

namespace {

const std::vector<u8> kFxsave = {0x0F, 0xAE, 0x00};            // fxsave [rax]
const std::vector<u8> kFxsave64 = {0x48, 0x0F, 0xAE, 0x00};    // fxsave64 [rax]
const std::vector<u8> kFxrstor = {0x0F, 0xAE, 0x08};           // fxrstor [rax]
const std::vector<u8> kFxrstor64 = {0x48, 0x0F, 0xAE, 0x08};   // fxrstor64 [rax]

TEST(SseState, ResetAndInit) {
    CpuState c;
    cpu_reset(c);
    // Table 9-1 (power up / RESET).
    EXPECT_EQ(c.mxcsr, 0x1F80u);
    EXPECT_EQ(c.x87.fcw, 0x0040u);
    EXPECT_EQ(c.x87.fsw, 0u);
    EXPECT_EQ(c.x87.ftw, 0xFFu) << "tag word 5555H: every register valid (zero)";
    EXPECT_EQ(c.x87.fip, 0u);
    EXPECT_EQ(c.x87.fdp, 0u);
    EXPECT_EQ(c.x87.fop, 0u);
    for (auto& r : c.x87.r)
        for (u8 b : r) EXPECT_EQ(b, 0);
    for (auto& x : c.xmm)
        for (u8 b : x.b) EXPECT_EQ(b, 0);
    // INIT keeps x87 and SSE state (Table 9-1 INIT column).
    c.mxcsr = 0x1234;
    c.xmm[7].b[3] = 0x99;
    c.xmm[7].b[20] = 0x77;  // YMM upper half too
    c.x87.fcw = 0x037F;
    c.x87.r[2][9] = 0x40;
    cpu_init(c);
    EXPECT_EQ(c.mxcsr, 0x1234u);
    EXPECT_EQ(c.xmm[7].b[3], 0x99);
    EXPECT_EQ(c.xmm[7].b[20], 0x77);
    EXPECT_EQ(c.x87.fcw, 0x037Fu);
    EXPECT_EQ(c.x87.r[2][9], 0x40);
    // RESET clears it again.
    cpu_reset(c);
    EXPECT_EQ(c.mxcsr, 0x1F80u);
    EXPECT_EQ(c.xmm[7].b[20], 0);
}

struct Fx : SseCpu {
    void SetUp() override {
        SseCpu::SetUp();
        X87State& x = c.x87;
        x.fcw = 0x037F;
        x.fsw = 3 << 11 | 0x4100;  // TOP = 3, C3, C0
        x.ftw = 0xA5;
        x.fop = 0x7DB;
        x.fip = 0x0000123456789ABCull;
        x.fdp = 0x0000FEDCBA987654ull;
        x.fcs = 0x33;
        x.fds = 0x2B;
        for (unsigned i = 0; i < 8; i++)
            for (unsigned k = 0; k < 10; k++) x.r[i][k] = static_cast<u8>(0x10 * i + k);
        c.mxcsr = 0x1F80 | MXCSR_PE | MXCSR_DAZ;
        for (unsigned i = 0; i < 16; i++) set_xmm(i, 0x0101010101010101ull * i, ~(0x0101010101010101ull * i));
        std::memset(ram(kData), 0xCC, 512);
        c.gpr[RAX] = kData;
    }
    void check_common() {
        EXPECT_EQ(get<u16>(kData + 0), 0x037Fu);
        EXPECT_EQ(get<u16>(kData + 2), 3 << 11 | 0x4100);
        EXPECT_EQ(ram(kData)[4], 0xA5) << "abridged tag word";
        EXPECT_EQ(ram(kData)[5], 0) << "reserved";
        EXPECT_EQ(get<u16>(kData + 6), 0x7DBu);
        EXPECT_EQ(get<u32>(kData + 24), 0x1F80u | MXCSR_PE | MXCSR_DAZ);
        EXPECT_EQ(get<u32>(kData + 28), kMxcsrMask);
        // ST(i) is physical register (TOP + i) mod 8, 10 bytes and 6 bytes of zeros.
        for (unsigned i = 0; i < 8; i++) {
            EXPECT_EQ(std::memcmp(ram(kData + 32 + 16 * i), c.x87.r[(3 + i) & 7], 10), 0) << "ST" << i;
            for (unsigned k = 10; k < 16; k++) EXPECT_EQ(ram(kData + 32 + 16 * i)[k], 0);
        }
        for (unsigned i = 0; i < 16; i++) EXPECT_EQ(std::memcmp(ram(kData + 160 + 16 * i), c.xmm[i].b, 16), 0) << "XMM" << i;
        // Bytes 416-511 are not written (416-463 reserved, 464-511 available to software).
        for (unsigned i = 416; i < 512; i++) EXPECT_EQ(ram(kData)[i], 0xCC) << i;
    }
};

TEST_F(Fx, Fxsave64Layout) {
    EXPECT_EQ(run(kFxsave64), -1);
    check_common();
    EXPECT_EQ(get<u64>(kData + 8), 0x0000123456789ABCull);
    EXPECT_EQ(get<u64>(kData + 16), 0x0000FEDCBA987654ull);
}

TEST_F(Fx, FxsaveLayout32BitOffsets) {
    EXPECT_EQ(run(kFxsave), -1);
    check_common();
    EXPECT_EQ(get<u32>(kData + 8), 0x56789ABCu);
    EXPECT_EQ(get<u16>(kData + 12), 0x33u);
    EXPECT_EQ(get<u16>(kData + 14), 0u);
    EXPECT_EQ(get<u32>(kData + 16), 0xBA987654u);
    EXPECT_EQ(get<u16>(kData + 20), 0x2Bu);
    EXPECT_EQ(get<u16>(kData + 22), 0u);
}

TEST_F(Fx, RoundTrip) {
    for (auto [save, restore] : {std::pair{kFxsave64, kFxrstor64}, std::pair{kFxsave, kFxrstor}}) {
        SetUp();
        struct {
            X87State x87;
            u32 mxcsr;
            VecReg xmm[16];
        } saved{c.x87, c.mxcsr, {}};
        std::memcpy(saved.xmm, c.xmm, sizeof saved.xmm);
        ASSERT_EQ(run(save), -1);
        // Clobber everything FXRSTOR loads.
        c.x87 = X87State{};
        c.mxcsr = kMxcsrReset;
        for (auto& x : c.xmm) std::memset(x.b, 0xEE, 16);
        ASSERT_EQ(run(restore), -1);
        EXPECT_EQ(c.x87.fcw, saved.x87.fcw);
        EXPECT_EQ(c.x87.fsw, saved.x87.fsw);
        EXPECT_EQ(c.x87.ftw, saved.x87.ftw);
        EXPECT_EQ(c.x87.fop, saved.x87.fop);
        EXPECT_EQ(std::memcmp(c.x87.r, saved.x87.r, sizeof c.x87.r), 0);
        EXPECT_EQ(c.mxcsr, saved.mxcsr);
        for (unsigned i = 0; i < 16; i++) EXPECT_EQ(std::memcmp(c.xmm[i].b, saved.xmm[i].b, 16), 0) << i;
        if (save == kFxsave64) {
            EXPECT_EQ(c.x87.fip, saved.x87.fip);
            EXPECT_EQ(c.x87.fdp, saved.x87.fdp);
        } else {
            EXPECT_EQ(c.x87.fip, static_cast<u32>(saved.x87.fip));
            EXPECT_EQ(c.x87.fcs, saved.x87.fcs);
            EXPECT_EQ(c.x87.fds, saved.x87.fds);
        }
        // FXRSTOR leaves the YMM upper halves alone.
        EXPECT_EQ(c.xmm[0].b[16], saved.xmm[0].b[16]);
    }
}

TEST_F(Fx, FxrstorNormalizesControlAndStatus) {
    // FCW bit 6 reads as 1, bits 7 and 13-15 as 0 (SDM Vol. 1 Figure 8-6); FSW.ES and FSW.B
    // follow the unmasked exception flags (8.1.3): the host CPU does the same (native diff).
    std::memset(ram(kData), 0, 512);
    put<u16>(kData + 0, 0xFFBF);        // every bit but 6: reserved bits set, IM set
    put<u16>(kData + 2, 0x0001);        // IE, masked by IM
    put<u32>(kData + 24, 0x1F80);
    ASSERT_EQ(run(kFxrstor64), -1);
    EXPECT_EQ(c.x87.fcw, 0x1F7Fu);
    EXPECT_EQ(c.x87.fsw, 0x0001u) << "IE masked: no ES/B";
    put<u16>(kData + 0, 0x037E);        // IM clear
    put<u16>(kData + 2, 0x0001);
    ASSERT_EQ(run(kFxrstor64), -1);
    EXPECT_EQ(c.x87.fsw, 0x8081u) << "IE unmasked: ES and B set";
    put<u16>(kData + 0, 0x037F);
    put<u16>(kData + 2, 0x8080);        // ES/B without a flag: cleared
    ASSERT_EQ(run(kFxrstor64), -1);
    EXPECT_EQ(c.x87.fsw, 0u);
}

TEST_F(Fx, CompatibilityModeSavesEightXmm) {
    // Outside 64-bit mode FXSAVE covers XMM0-7 only (Table 10-2: bytes 288-511 reserved).
    c.gpr[RAX] = kData;
    std::memcpy(host.ram() + kCode, kFxsave.data(), kFxsave.size());
    host.ram()[kCode + kFxsave.size()] = 0xF4;
    cache.invalidate_all();
    test::set_code_segment(c, /*compat32=*/true);
    c.rip = kCode;
    c.halted = false;
    eng->run(100);
    ASSERT_TRUE(c.halted);
    ASSERT_EQ(c.rip, kCode + kFxsave.size() + 1);
    EXPECT_EQ(std::memcmp(ram(kData + 160 + 16 * 7), c.xmm[7].b, 16), 0);
    for (unsigned i = 288; i < 512; i++) EXPECT_EQ(ram(kData)[i], 0xCC) << i;
}

}  // namespace
