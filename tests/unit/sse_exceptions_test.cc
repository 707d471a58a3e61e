// Exception conditions of the legacy SSE forms and of LDMXCSR/FXSAVE/FXRSTOR (SDM Vol. 2A
// 2.8 Table 2-21 exception types 4/5; Vol. 3A 13.1.3-13.1.5 and 2.5; the FXSAVE/FXRSTOR/
// LDMXCSR pages): #UD for CR0.EM or !CR4.OSFXSR, then #NM for CR0.TS, then memory (#GP(0) for
// a misaligned 16-byte operand, #PF), and faults leave the state as it was.
#include "tests/unit/sse_test_support.h"
#include "frontend-x86/op.h"

using namespace vireo;
using namespace vireo::x86;
using vireo::test::SseCpu;

namespace {

const std::vector<u8> kPxor = {0x66, 0x0F, 0xEF, 0xCA};          // pxor xmm1, xmm2
const std::vector<u8> kMovdqaLoad = {0x66, 0x0F, 0x6F, 0x08};    // movdqa xmm1, [rax]
const std::vector<u8> kMovdquLoad = {0xF3, 0x0F, 0x6F, 0x08};    // movdqu xmm1, [rax]
const std::vector<u8> kMovdquStore = {0xF3, 0x0F, 0x7F, 0x08};   // movdqu [rax], xmm1
const std::vector<u8> kLdmxcsr = {0x0F, 0xAE, 0x10};              // ldmxcsr [rax]
const std::vector<u8> kStmxcsr = {0x0F, 0xAE, 0x18};              // stmxcsr [rax]
const std::vector<u8> kFxsave = {0x0F, 0xAE, 0x00};               // fxsave [rax]
const std::vector<u8> kFxrstor64 = {0x48, 0x0F, 0xAE, 0x08};      // fxrstor64 [rax]
const std::vector<u8> kPaddb = {0x66, 0x0F, 0xFC, 0xCA};          // paddb xmm1, xmm2 (SSE2)
const std::vector<u8> kMovaps = {0x0F, 0x28, 0xCA};               // movaps xmm1, xmm2 (SSE)

TEST_F(SseCpu, RunsWhenEnabled) {
    set_xmm(1, 0x1111, 0x2222);
    set_xmm(2, 0x0101, 0x0202);
    EXPECT_EQ(run(kPxor), -1);
    EXPECT_EQ(xmm_q(1, 0), 0x1010u);
    EXPECT_EQ(xmm_q(1, 1), 0x2020u);
}

TEST_F(SseCpu, Cr0EmIsUd) {
    // SDM Vol. 3A 13.1.3 / Table 2-21: CR0.EM = 1 makes SSE instructions #UD (not #NM);
    // FXSAVE/FXRSTOR are #NM instead (FXSAVE page, "#NM If CR0.TS = 1 or CR0.EM = 1").
    c.cr0 |= CR0_EM;
    c.gpr[RAX] = kData;
    EXPECT_EQ(run(kPxor), UD);
    EXPECT_EQ(run(kMovdqaLoad), UD);
    EXPECT_EQ(run(kLdmxcsr), UD);
    EXPECT_EQ(run(kFxsave), NM);
    c.cr0 |= CR0_TS;
    EXPECT_EQ(run(kPxor), UD) << "#UD has priority over #NM";
}

TEST_F(SseCpu, NoOsfxsrIsUd) {
    // SDM Vol. 3A 13.1.4: with CR4.OSFXSR = 0 SSE instructions other than the state
    // instructions are #UD.
    c.cr4 &= ~CR4_OSFXSR;
    c.gpr[RAX] = kData;
    EXPECT_EQ(run(kPxor), UD);
    EXPECT_EQ(run(kMovdquLoad), UD);
    EXPECT_EQ(run(kStmxcsr), UD);
    // FXSAVE still works; Vireo leaves MXCSR/XMM out then (implementation dependent, FXSAVE).
    std::memset(ram(kData), 0xCC, 512);
    EXPECT_EQ(run(kFxsave), -1);
    EXPECT_EQ(get<u16>(kData), c.x87.fcw);
    EXPECT_EQ(get<u32>(kData + 24), 0xCCCCCCCCu);
    EXPECT_EQ(get<u64>(kData + 160), 0xCCCCCCCCCCCCCCCCull);
}

TEST_F(SseCpu, Cr0TsIsNm) {
    // SDM Vol. 3A 13.1.5 / 2.5: CR0.TS = 1 gives #NM for SSE instructions, LDMXCSR/STMXCSR and
    // FXSAVE/FXRSTOR, before any memory access.
    c.cr0 |= CR0_TS;
    c.gpr[RAX] = kData + 1;  // misaligned too: #NM comes first
    EXPECT_EQ(run(kPxor), NM);
    EXPECT_EQ(run(kMovdqaLoad), NM);
    EXPECT_EQ(run(kLdmxcsr), NM);
    EXPECT_EQ(run(kStmxcsr), NM);
    EXPECT_EQ(run(kFxsave), NM);
    EXPECT_EQ(run(kFxrstor64), NM);
    c.cr0 &= ~CR0_TS;  // CLTS: then they run
    set_xmm(1, 5, 6);
    EXPECT_EQ(run(kPxor), -1);
}

TEST_F(SseCpu, MisalignedAlignedFormIsGp) {
    // MOVDQA: "#GP(0) If a memory operand is not aligned on a 16-byte boundary"; MOVDQU is not.
    for (unsigned i = 0; i < 16; i++) ram(kData + 8)[i] = static_cast<u8>(i + 1);
    set_xmm(1, 0xAAAA, 0xBBBB);
    c.gpr[RAX] = kData + 8;
    EXPECT_EQ(run(kMovdqaLoad), GP);
    EXPECT_EQ(xmm_q(1, 0), 0xAAAAu);
    EXPECT_EQ(xmm_q(1, 1), 0xBBBBu);
    EXPECT_EQ(run(kMovdquLoad), -1);
    EXPECT_EQ(xmm_q(1, 0), 0x0807060504030201ull);
    EXPECT_EQ(xmm_q(1, 1), 0x100F0E0D0C0B0A09ull);
}

TEST_F(SseCpu, PageCrossingStoreFaultWritesNothing) {
    // RAM is 8 MiB, mapped by 2 MiB pages; 0x800000 is not present. A 16-byte store across
    // the boundary faults on the second page and must not have written the first part.
    const u64 at = 0x7FFFF8;
    put<u64>(at, 0x1122334455667788ull);
    set_xmm(1, ~0ull, ~0ull);
    c.gpr[RAX] = at;
    EXPECT_EQ(run(kMovdquStore), PF_VEC);
    EXPECT_EQ(c.cr2, 0x800000u);
    EXPECT_EQ(get<u64>(at), 0x1122334455667788ull);
}

TEST_F(SseCpu, LdmxcsrReservedBitsAreGp) {
    // LDMXCSR: #GP(0) for a 1 in a reserved bit (bits 16-31, MXCSR_MASK = FFFFH).
    c.gpr[RAX] = kData;
    put<u32>(kData, 0x0001FFFF);
    EXPECT_EQ(run(kLdmxcsr), GP);
    EXPECT_EQ(c.mxcsr, kMxcsrReset);
    put<u32>(kData, 0x0000FFFF);
    EXPECT_EQ(run(kLdmxcsr), -1);
    EXPECT_EQ(c.mxcsr, 0xFFFFu);
    EXPECT_EQ(run(kStmxcsr), -1);
    EXPECT_EQ(get<u32>(kData), 0xFFFFu);
}

TEST_F(SseCpu, FxrstorReservedMxcsrIsGpAndLoadsNothing) {
    // FXRSTOR: #GP(0) when the image sets reserved MXCSR bits; nothing is loaded.
    std::memset(ram(kData), 0x5A, 512);
    put<u32>(kData + 24, 0x00010000);
    c.gpr[RAX] = kData;
    const X87State before = c.x87;
    EXPECT_EQ(run(kFxrstor64), GP);
    EXPECT_EQ(c.x87.fcw, before.fcw);
    EXPECT_EQ(c.mxcsr, kMxcsrReset);
    EXPECT_EQ(xmm_q(0, 0), 0u);
    // Misaligned (8 mod 16): #GP(0) as well.
    put<u32>(kData + 8 + 24, 0x1F80);
    c.gpr[RAX] = kData + 8;
    EXPECT_EQ(run(kFxrstor64), GP);
}

TEST_F(SseCpu, MisalignedFxsaveIsGpAndWritesNothing) {
    std::memset(ram(kData), 0xCC, 1024);
    c.gpr[RAX] = kData + 4;
    EXPECT_EQ(run(kFxsave), GP);
    for (unsigned i = 0; i < 1024; i++) ASSERT_EQ(ram(kData)[i], 0xCC) << i;
}

TEST_F(SseCpu, CpuidFeatureGatesDecode) {
    // SDM Table 2-21: #UD when the CPUID feature flag is 0 (the decoder checks the feature set).
    c.features.reset();
    set(c.features, Feature::F_SSE);
    EXPECT_EQ(run(kPaddb), UD);
    EXPECT_EQ(run(kMovaps), -1);
    set(c.features, Feature::F_SSE2);
    EXPECT_EQ(run(kPaddb), -1);
}

// Runs one instruction's handler directly (no exception delivery): the vector it raises, or -1.
int exec_direct(CpuState& c, const std::vector<u8>& code) {
    DecodedInsn d;
    if (decode(code.data(), code.size(), DecodeMode{64}, c.features, d) != DecodeStatus::Ok) return UD;
    Op op;
    op.next_rip = SseCpu::kCode + d.length;
    if (!bind_op(d, c, op)) return UD;
    try {
        op.fn(c, op);
    } catch (const GuestFault& f) {
        return f.vector;
    }
    return -1;
}

TEST_F(SseCpu, SixteenByteAccessesAreNeverAc) {
    // Table 2-21: #AC(0) only for an unaligned reference of 8 bytes or less at CPL 3 with
    // CR0.AM and EFLAGS.AC. MOVDQU of 16 bytes at an odd address is no #AC; MOVSD (8) is.
    c.cr0 |= CR0_AM;
    c.eflags |= AC;
    c.cpl = 3;
    update_mode(c);
    ASSERT_TRUE(c.align_check);
    for (unsigned i = 0; i < 16; i++) ram(kData + 3)[i] = static_cast<u8>(0xA0 + i);
    c.gpr[RAX] = kData + 3;
    EXPECT_EQ(exec_direct(c, kMovdquLoad), -1);
    EXPECT_EQ(xmm_q(1, 0), 0xA7A6A5A4A3A2A1A0ull);
    EXPECT_EQ(exec_direct(c, kMovdquStore), -1);
    EXPECT_EQ(exec_direct(c, {0xF2, 0x0F, 0x10, 0x08}), AC_VEC);  // movsd xmm1, [rax]
    c.gpr[RAX] = kData + 8;
    EXPECT_EQ(exec_direct(c, {0xF2, 0x0F, 0x10, 0x08}), -1);
}

TEST_F(SseCpu, LockPrefixIsUd) {
    // LOCK on a non-lockable form: #UD (SDM Vol. 2A LOCK).
    EXPECT_EQ(run({0xF0, 0x66, 0x0F, 0xEF, 0xCA}), UD);
}

}  // namespace
