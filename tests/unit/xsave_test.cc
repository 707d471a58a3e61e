// The XSAVE feature set on the Vireo side alone (the parts a user-mode native-differential
// test cannot reach: tests/cpu/native_diff_xsave_test.cc has XSAVE/XSAVEOPT/XSAVEC/XRSTOR):
// CPUID leaf 0DH against the layout (SDM Vol. 1 13.2), XGETBV/XSETBV and their faults,
// XSAVES/XRSTORS (CPL 0) with IA32_XSS, XRSTOR's initialization of requested components that
// XSTATE_BV leaves out, and the #UD/#NM rules (CR4.OSXSAVE, CR0.TS).
#include <gtest/gtest.h>
#include <cstring>
#include <vector>

#include "frontend-x86/cpu_model.h"
#include "frontend-x86/msr.h"
#include "frontend-x86/xsave_layout.h"
#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

constexpr u64 kCode = 0x10000, kArea = 0x20000;  // code; a 64-byte aligned XSAVE area (RDI)

struct Xsave : ::testing::Test {
    FlatRamHost host{1 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> engine;
    void SetUp() override {
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        c.cr4 |= CR4_OSXSAVE;
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        engine = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }
    // Runs bytes (then HLT) from kCode with RDI = kArea; returns the fault vector or -1.
    int run(std::vector<u8> code) {
        code.push_back(0xF4);
        std::memcpy(host.ram() + kCode, code.data(), code.size());
        cache.invalidate_all();
        c.rip = kCode;
        c.gpr[RDI] = kArea;
        c.gpr[RSP] = 0xF000;  // for the exception frame
        c.halted = false;
        engine->run(1000);
        return test::fault_vector(c);
    }
    void mask(u64 m) {
        c.gpr[RAX] = static_cast<u32>(m);
        c.gpr[RDX] = m >> 32;
    }
    u64 get64(u64 a) {
        u64 v;
        std::memcpy(&v, host.ram() + a, 8);
        return v;
    }
    void put64(u64 a, u64 v) { std::memcpy(host.ram() + a, &v, 8); }
};

const std::vector<u8> kXsetbv = {0x0F, 0x01, 0xD1}, kXgetbv = {0x0F, 0x01, 0xD0};
const std::vector<u8> kXsave = {0x0F, 0xAE, 0x27}, kXrstor = {0x0F, 0xAE, 0x2F};
const std::vector<u8> kXsavec = {0x0F, 0xC7, 0x27}, kXsaves = {0x0F, 0xC7, 0x2F};
const std::vector<u8> kXrstors = {0x0F, 0xC7, 0x1F}, kWrmsr = {0x0F, 0x30}, kRdmsr = {0x0F, 0x32};

TEST_F(Xsave, CpuidLeafDDescribesTheLayout) {
    EXPECT_TRUE(cpuid(c, 1, 0).ecx >> 26 & 1);   // XSAVE
    EXPECT_TRUE(cpuid(c, 1, 0).ecx >> 27 & 1);   // OSXSAVE follows CR4
    c.cr4 &= ~CR4_OSXSAVE;
    EXPECT_FALSE(cpuid(c, 1, 0).ecx >> 27 & 1);
    EXPECT_GE(cpuid(c, 0, 0).eax, 0xdu);
    const CpuidResult l0 = cpuid(c, 0xd, 0);
    EXPECT_EQ(l0.eax, xsave_supported_xcr0(c.features));
    EXPECT_EQ(l0.eax & 3, 3u);                   // x87 and SSE always
    EXPECT_EQ(l0.eax, 7u);                       // and AVX (YMM_Hi128) on "max"
    EXPECT_EQ(l0.ecx, 832u);                     // 512 + 64 + 256 (SDM Vol. 1 13.4, Table 13-1)
    EXPECT_EQ(l0.edx, 0u);
    EXPECT_EQ(l0.ebx, 576u);                     // XCR0 = 1 after reset: legacy region + header
    EXPECT_EQ(l0.ecx, xsave_area_size(l0.eax, false));
    const CpuidResult l1 = cpuid(c, 0xd, 1);
    EXPECT_EQ(l1.eax, 0xfu);                     // XSAVEOPT, XSAVEC, XGETBV(1), XSAVES
    EXPECT_EQ(l1.ebx, 576u);
    EXPECT_EQ(l1.ecx | l1.edx, 0u);              // no supervisor components
    for (u32 i = 2; i < 64; i++) {               // one sub-leaf per supported component
        const CpuidResult r = cpuid(c, 0xd, i);
        if (!(l0.eax >> (i & 31) & 1) || i >= 32) {
            EXPECT_EQ(r.eax | r.ebx | r.ecx | r.edx, 0u) << i;
            continue;
        }
        EXPECT_GT(r.eax, 0u);
        EXPECT_GE(r.ebx, 576u);
    }
    const CpuidResult l2 = cpuid(c, 0xd, 2);     // YMM_Hi128: 256 bytes at offset 576
    EXPECT_EQ(l2.eax, 256u);
    EXPECT_EQ(l2.ebx, 576u);
    // qemu64 has no XSAVE: leaf 1 says so and leaf 0DH is beyond the maximum.
    CpuState q;
    cpu_apply_model(q, *find_cpu_model("qemu64"));
    EXPECT_FALSE(cpuid(q, 1, 0).ecx >> 26 & 1);
    EXPECT_LT(cpuid(q, 0, 0).eax, 0xdu);
}

TEST_F(Xsave, XsetbvAndXgetbv) {
    mask(3);
    c.gpr[RCX] = 0;
    EXPECT_EQ(run(kXsetbv), -1);
    EXPECT_EQ(c.xcr0, 3u);
    EXPECT_EQ(cpuid(c, 0xd, 0).ebx, 576u);
    c.gpr[RCX] = 0;
    c.gpr[RAX] = c.gpr[RDX] = ~0ull;
    EXPECT_EQ(run(kXgetbv), -1);
    EXPECT_EQ(c.gpr[RAX], 3u);   // upper halves cleared
    EXPECT_EQ(c.gpr[RDX], 0u);
    c.gpr[RCX] = 1;              // XCR0 AND XINUSE
    EXPECT_EQ(run(kXgetbv), -1);
    EXPECT_EQ(c.gpr[RAX], 3u);
    c.gpr[RCX] = 2;
    EXPECT_EQ(run(kXgetbv), GP);
    // #GP(0): x87 off, SSE-less AVX, unsupported components (AVX-512's opmask, bit 5; bit 62),
    // XCR index 1.
    for (u64 bad : {0ull, 2ull, 5ull, 6ull, 0x27ull, 1ull << 62, 1ull << 32 | 3}) {
        c.xcr0 = 3;
        mask(bad);
        c.gpr[RCX] = 0;
        EXPECT_EQ(run(kXsetbv), GP) << bad;
        EXPECT_EQ(c.xcr0, 3u);
    }
    // x87 | SSE | AVX: the XSAVE area then includes YMM_Hi128 (CPUID.(0DH,0).EBX follows XCR0).
    mask(7);
    c.gpr[RCX] = 0;
    EXPECT_EQ(run(kXsetbv), -1);
    EXPECT_EQ(c.xcr0, 7u);
    EXPECT_EQ(cpuid(c, 0xd, 0).ebx, 832u);
    mask(1);
    c.gpr[RCX] = 1;
    EXPECT_EQ(run(kXsetbv), GP);
    // CR4.OSXSAVE clear: #UD for both.
    c.cr4 &= ~CR4_OSXSAVE;
    c.gpr[RCX] = 0;
    EXPECT_EQ(run(kXgetbv), UD);
    EXPECT_EQ(run(kXsetbv), UD);
}

TEST_F(Xsave, FaultsBeforeAnyAccess) {
    c.xcr0 = 3;
    mask(3);
    c.cr0 |= CR0_TS;
    EXPECT_EQ(run(kXsave), NM);
    EXPECT_EQ(run(kXrstor), NM);
    c.cr0 &= ~CR0_TS;
    c.cr4 &= ~CR4_OSXSAVE;
    EXPECT_EQ(run(kXsave), UD);
    EXPECT_EQ(run(kXsavec), UD);
    c.cr4 |= CR4_OSXSAVE;
    std::memset(host.ram() + kArea, 0xAB, 1024);
    EXPECT_EQ(run({0x0F, 0xAE, 0x67, 0x10}), GP);  // xsave [rdi+16]
    EXPECT_EQ(get64(kArea + 16 + 512), 0xABABABABABABABABull);  // nothing written
}

TEST_F(Xsave, XsavesXrstorsRoundTripAtCpl0) {
    c.xcr0 = 3;
    for (unsigned i = 0; i < 16; i++)
        for (unsigned b = 0; b < 16; b++) c.xmm[i].b[b] = static_cast<u8>(i * 16 + b);
    c.mxcsr = 0x3F80;  // round down
    c.x87.fcw = 0x0272;
    std::memset(host.ram() + kArea, 0xCC, 1024);
    std::memset(host.ram() + kArea + 512, 0, 64);  // XSAVES writes only XSTATE_BV and XCOMP_BV
    mask(~0ull);
    EXPECT_EQ(run(kXsaves), -1);
    EXPECT_EQ(get64(kArea + kXstateBvOff), 3u);
    EXPECT_EQ(get64(kArea + kXcompBvOff), kXcompBvCompacted | 3);
    EXPECT_EQ(get64(kArea + 160), 0x0706050403020100ull);  // XMM0
    // Clobber, then restore.
    VecReg before[16];
    std::memcpy(before, c.xmm, sizeof before);
    for (auto& x : c.xmm) std::memset(x.b, 0x55, 16);
    c.mxcsr = 0x1F80;
    c.x87.fcw = 0x037F;
    EXPECT_EQ(run(kXrstors), -1);
    EXPECT_EQ(std::memcmp(c.xmm, before, sizeof before), 0);
    EXPECT_EQ(c.mxcsr, 0x3F80u);
    EXPECT_EQ(c.x87.fcw, 0x0272u);
    // XRSTORS has no standard form: #GP(0) with XCOMP_BV[63] = 0.
    put64(kArea + kXcompBvOff, 3);
    EXPECT_EQ(run(kXrstors), GP);
    // IA32_XSS: no supervisor component exists, so only 0 is written.
    c.gpr[RCX] = MSR_XSS;
    mask(0);
    EXPECT_EQ(run(kWrmsr), -1);
    mask(1ull << 8);
    c.gpr[RCX] = MSR_XSS;
    EXPECT_EQ(run(kWrmsr), GP);
    c.gpr[RCX] = MSR_XSS;
    c.gpr[RAX] = c.gpr[RDX] = 7;
    EXPECT_EQ(run(kRdmsr), -1);
    EXPECT_EQ(c.gpr[RAX] | c.gpr[RDX], 0u);
}

TEST_F(Xsave, XrstorInitializesWhatXstateBvLeavesOut) {
    c.xcr0 = 3;
    std::memset(host.ram() + kArea, 0, 1024);
    put64(kArea + 24, 0x0000FFFF00001F00ull);  // MXCSR 1F00H (all but PM masked: still valid)
    for (auto& x : c.xmm) std::memset(x.b, 0x77, 16);
    c.x87.fcw = 0x0040;
    c.x87.ftw = 0xff;
    mask(3);
    // Standard form, XSTATE_BV = 0: both components to their initial state; MXCSR still comes
    // from memory (13.8.1).
    EXPECT_EQ(run(kXrstor), -1);
    EXPECT_EQ(c.x87.fcw, 0x037Fu);
    EXPECT_EQ(c.x87.ftw, 0u);  // all empty
    for (auto& x : c.xmm) EXPECT_EQ(x.b[0] | x.b[15], 0);
    EXPECT_EQ(c.mxcsr, 0x1F00u);
    // Compacted form, XSTATE_BV = 0: MXCSR is initialized to 1F80H (13.8.2).
    put64(kArea + kXcompBvOff, kXcompBvCompacted | 3);
    EXPECT_EQ(run(kXrstor), -1);
    EXPECT_EQ(c.mxcsr, 0x1F80u);
    // Only x87 requested: SSE state and MXCSR are left alone.
    for (auto& x : c.xmm) std::memset(x.b, 0x77, 16);
    c.mxcsr = 0x1F81;
    mask(1);
    put64(kArea + kXcompBvOff, 0);
    EXPECT_EQ(run(kXrstor), -1);
    EXPECT_EQ(c.xmm[3].b[7], 0x77);
    EXPECT_EQ(c.mxcsr, 0x1F81u);
}

}  // namespace
