// CPU models and CPUID (frontend-x86/cpuid.cc): CPUID reports exactly what a model
// implements (SDM Vol. 2A CPUID Tables 3-8, 3-10, 3-11), and what it reports matches the
// checks that depend on it (CR4 reserved bits, EFER, MSRs).
#include <gtest/gtest.h>
#include <cstring>
#include <string>

#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/msr.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

struct Model : ::testing::Test {
    FlatRamHost host{1 << 20};
    CpuState c;
    void use(const char* name) {
        const CpuModel* m = find_cpu_model(name);
        ASSERT_NE(m, nullptr) << name;
        c.host = &host;
        cpu_apply_model(c, *m);
    }
    static bool bit(u32 reg, unsigned b) { return (reg >> b) & 1; }
};

TEST_F(Model, NamesAndLookup) {
    const auto names = cpu_model_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "qemu64"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "max"), names.end());
    EXPECT_EQ(find_cpu_model("host"), find_cpu_model("max"));
    EXPECT_EQ(find_cpu_model("pentium9000"), nullptr);
    EXPECT_EQ(&default_cpu_model(), find_cpu_model("qemu64"));
}

TEST_F(Model, VendorSignatureAndResetEdx) {
    use("qemu64");
    CpuidResult r = cpuid(c, 0, 0);
    char vendor[13] = {};
    std::memcpy(vendor, &r.ebx, 4);
    std::memcpy(vendor + 4, &r.edx, 4);
    std::memcpy(vendor + 8, &r.ecx, 4);
    EXPECT_STREQ(vendor, "AuthenticAMD");
    EXPECT_GE(r.eax, 7u);
    // Family 15, model 107, stepping 1 -> 0x00060fb1 (SDM Vol. 2A Figure 3-6).
    EXPECT_EQ(cpuid(c, 1, 0).eax, 0x00060fb1u);
    EXPECT_EQ(c.gpr[RDX], 0x00060fb1u);  // SDM Vol. 3A 9.1.4
    use("max");
    EXPECT_EQ(cpuid(c, 1, 0).eax, 0x663u);
}

TEST_F(Model, Leaf1AdvertisesOnlyWhatIsImplemented) {
    for (const char* name : {"qemu64", "max"}) {
        use(name);
        const CpuidResult r = cpuid(c, 1, 0);
        // Implemented: TSC MSR PAE CX8 APIC SEP MTRR PGE CMOV PAT PSE PSE36 CLFLUSH, and the
        // FPU, MMX, FXSR, SSE, SSE2 (as QEMU's qemu64; Linux x86-64 needs FPU/FXSR/SSE/SSE2).
        for (unsigned b : {4u, 5u, 6u, 8u, 9u, 11u, 12u, 13u, 15u, 16u, 3u, 17u, 19u, 0u, 23u, 24u, 25u, 26u})
            EXPECT_TRUE(bit(r.edx, b)) << name << " edx " << b;
        // Not implemented: VME, DE, MCE.
        for (unsigned b : {1u, 2u, 7u}) EXPECT_FALSE(bit(r.edx, b)) << name << " edx " << b;
        // ECX: SSE3 (PNI), CX16 yes; MONITOR, VMX, OSXSAVE (CR4.OSXSAVE = 0 here) no. SSSE3,
        // SSE4.1, SSE4.2, PCLMULQDQ, AES, AVX, F16C, FMA: "max" only (as QEMU's qemu64 has none
        // of them).
        for (unsigned b : {0u, 13u}) EXPECT_TRUE(bit(r.ecx, b)) << name << " ecx " << b;
        // POPCNT, MOVBE, RDRAND: "max" only too (QEMU 7.2's qemu64 has popcnt, movbe and rdrand
        // off: query-cpu-model-expansion).
        for (unsigned b : {23u, 22u, 30u}) EXPECT_EQ(bit(r.ecx, b), std::string(name) == "max") << name << " ecx " << b;
        for (unsigned b : {3u, 5u, 27u}) EXPECT_FALSE(bit(r.ecx, b)) << name << " ecx " << b;
        const bool max = std::string(name) == "max";
        for (unsigned b : {9u, 19u, 20u, 1u, 25u, 28u, 29u, 12u}) EXPECT_EQ(bit(r.ecx, b), max) << name << " ecx " << b;
        EXPECT_EQ((r.ebx >> 8) & 0xff, 8u);  // CLFLUSH line size: 64 bytes
    }
}

TEST_F(Model, Leaf7AndExtendedLeaves) {
    use("qemu64");
    CpuidResult r = cpuid(c, 7, 0);
    EXPECT_EQ(r.ebx, 0u);
    EXPECT_EQ(r.ecx, 0u);
    CpuidResult e = cpuid(c, 0x80000001, 0);
    EXPECT_TRUE(bit(e.edx, 11));   // SYSCALL
    EXPECT_TRUE(bit(e.edx, 20));   // NX
    EXPECT_TRUE(bit(e.edx, 29));   // LM
    EXPECT_FALSE(bit(e.edx, 27));  // RDTSCP: max only
    EXPECT_FALSE(bit(e.edx, 26));  // 1-GiB pages: not advertised
    EXPECT_FALSE(bit(e.edx, 31));  // 3DNow!
    EXPECT_TRUE(bit(e.ecx, 0));    // LAHF/SAHF in 64-bit mode
    EXPECT_FALSE(bit(e.ecx, 5));   // LZCNT: max only

    use("max");
    r = cpuid(c, 7, 0);
    // FSGSBASE BMI1 SMEP BMI2 INVPCID RDSEED ADX SMAP SHA; RDPID in ECX.
    for (unsigned b : {0u, 3u, 7u, 8u, 10u, 18u, 19u, 20u, 29u}) EXPECT_TRUE(bit(r.ebx, b)) << b;
    for (unsigned b : {2u, 4u, 5u, 11u, 16u}) EXPECT_FALSE(bit(r.ebx, b)) << b;  // SGX HLE AVX2 RTM AVX512
    EXPECT_TRUE(bit(r.ecx, 22));
    EXPECT_TRUE(bit(r.ecx, 3));    // PKU
    EXPECT_FALSE(bit(r.ecx, 4));   // OSPKE: CR4.PKE is clear
    EXPECT_TRUE(bit(r.ecx, 16));   // LA57
    // 5-level paging: 57 linear-address bits, as QEMU reports them with la57.
    EXPECT_EQ(cpuid(c, 0x80000008, 0).eax & 0xffff, 40u | (57u << 8));
    e = cpuid(c, 0x80000001, 0);
    EXPECT_TRUE(bit(e.edx, 27));
    EXPECT_TRUE(bit(e.ecx, 5));
    EXPECT_TRUE(bit(cpuid(c, 1, 0).ecx, 17));  // PCID
}

TEST_F(Model, BrandAndAddressSizes) {
    use("qemu64");
    std::string brand;
    for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
        const CpuidResult r = cpuid(c, leaf, 0);
        const u32 regs[4] = {r.eax, r.ebx, r.ecx, r.edx};
        brand.append(reinterpret_cast<const char*>(regs), 16);
    }
    EXPECT_EQ(std::string(brand.c_str()), "QEMU Virtual CPU version 2.5+");
    EXPECT_EQ(cpuid(c, 0x80000000, 0).eax, 0x80000008u);
    EXPECT_EQ(cpuid(c, 0x80000008, 0).eax & 0xffff, 40u | (48u << 8));
    EXPECT_EQ(cpuid(c, 0x80000009, 0).eax, 0u);
}

TEST_F(Model, FeaturesMatchTheDecoderSet) {
    // What the decoder accepts (c.features) is what CPUID says.
    use("qemu64");
    EXPECT_FALSE(has(c.features, Feature::F_POPCNT));
    EXPECT_FALSE(has(c.features, Feature::F_BMI1));
    EXPECT_TRUE(has(c.features, Feature::F_X87));
    EXPECT_TRUE(has(c.features, Feature::F_SSE2));
    EXPECT_TRUE(has(c.features, Feature::F_SSE3));
    EXPECT_FALSE(has(c.features, Feature::F_SSSE3));
    use("max");
    for (Feature f : {Feature::F_SSE3, Feature::F_SSSE3, Feature::F_SSE41, Feature::F_SSE42})
        EXPECT_TRUE(has(c.features, f)) << feature_name(f);
    EXPECT_TRUE(has(c.features, Feature::F_BMI1));
    EXPECT_TRUE(has(c.features, Feature::F_RDSEED));
    EXPECT_TRUE(has(c.features, Feature::F_AVX));
    EXPECT_FALSE(has(c.features, Feature::F_AVX2));
    EXPECT_FALSE(has(c.features, Feature::F_MONITOR));
}

TEST_F(Model, DynamicBitsFollowState) {
    use("max");
    c.cpu_index = 3;
    EXPECT_EQ(cpuid(c, 1, 0).ebx >> 24, 3u);   // initial APIC ID
    EXPECT_EQ(cpuid(c, 0xb, 0).edx, 3u);        // x2APIC ID
    EXPECT_EQ((cpuid(c, 0xb, 1).ecx >> 8) & 0xff, 2u);  // level type: core
}

template <typename F>
bool faults(F&& f) {
    try {
        f();
    } catch (const GuestFault&) {
        return true;
    }
    return false;
}

TEST_F(Model, Cr4ReservedBitsFollowCpuid) {
    use("qemu64");
    test::make_flat_protected_mode(c, host);
    EXPECT_TRUE(faults([&] { write_cr4(c, CR4_SMEP); }));       // not advertised by qemu64
    EXPECT_TRUE(faults([&] { write_cr4(c, CR4_OSXSAVE); }));
    EXPECT_TRUE(faults([&] { write_cr4(c, CR4_VME); }));
    EXPECT_FALSE(faults([&] { write_cr4(c, CR4_PAE | CR4_PGE | CR4_PSE | CR4_TSD); }));
    use("max");
    EXPECT_FALSE(faults([&] { write_cr4(c, CR4_PAE | CR4_SMEP | CR4_SMAP | CR4_FSGSBASE); }));
    // PCIDE needs IA-32e mode.
    EXPECT_TRUE(faults([&] { write_cr4(c, CR4_PAE | CR4_PCIDE); }));
}

TEST_F(Model, Cr0Rules) {
    use("qemu64");
    test::make_flat_protected_mode(c, host);
    EXPECT_TRUE(faults([&] { write_cr0(c, CR0_PG); }));                    // PG without PE
    EXPECT_TRUE(faults([&] { write_cr0(c, CR0_PE | CR0_NW); }));           // NW without CD
    EXPECT_TRUE(faults([&] { write_cr0(c, (1ull << 32) | CR0_PE); }));    // bits 63:32
    // Paging on with LME and no PAE: #GP (SDM Vol. 3A 9.8.5).
    c.efer = EFER_LME;
    EXPECT_TRUE(faults([&] { write_cr0(c, CR0_PE | CR0_PG); }));
    c.cr4 = CR4_PAE;
    write_cr0(c, CR0_PE | CR0_PG);
    EXPECT_TRUE(c.efer & EFER_LMA);
    EXPECT_EQ(c.cr0 & CR0_ET, CR0_ET);  // ET reads as 1
    EXPECT_EQ(c.paging_mode, 4);
    write_cr0(c, CR0_PE);  // from compatibility mode: leaves IA-32e mode
    EXPECT_FALSE(c.efer & EFER_LMA);
}

TEST_F(Model, MsrBasics) {
    use("qemu64");
    test::make_flat_protected_mode(c, host);
    u64 v;
    ASSERT_TRUE(msr_read(c, MSR_MTRRCAP, v));
    EXPECT_EQ(v & 0xff, 8u);           // 8 variable ranges
    EXPECT_TRUE(v & (1u << 8));        // fixed ranges
    EXPECT_TRUE(v & (1u << 10));       // write combining
    ASSERT_TRUE(msr_read(c, MSR_FEATURE_CONTROL, v));
    EXPECT_EQ(v, 1u);                  // locked, no VMX
    EXPECT_FALSE(msr_write(c, MSR_FEATURE_CONTROL, 5));
    EXPECT_FALSE(msr_read(c, 0x12345678, v));  // unknown: #GP
    // EFER: reserved bits #GP, LME cannot change under paging.
    EXPECT_FALSE(msr_write(c, MSR_EFER, 1ull << 2));
    EXPECT_TRUE(msr_write(c, MSR_EFER, EFER_SCE | EFER_NXE | EFER_LME));
    EXPECT_EQ(c.efer, u64(EFER_SCE | EFER_NXE | EFER_LME));
    c.cr0 |= CR0_PG;
    EXPECT_FALSE(msr_write(c, MSR_EFER, EFER_SCE));
    // PAT: 2 and 3 are reserved memory types.
    EXPECT_FALSE(msr_write(c, MSR_PAT, 0x0007040600070402ull));
    EXPECT_TRUE(msr_write(c, MSR_PAT, 0x0007010600070406ull));
    // Canonical bases.
    EXPECT_FALSE(msr_write(c, MSR_LSTAR, 0x0000800000000000ull));
    EXPECT_TRUE(msr_write(c, MSR_FS_BASE, 0xffff800000001000ull));
    EXPECT_EQ(c.seg[FS].base, 0xffff800000001000ull);
    // TSC writes set an offset against the host counter.
    ASSERT_TRUE(msr_write(c, MSR_TSC, 1000000));
    ASSERT_TRUE(msr_read(c, MSR_TSC, v));
    EXPECT_GE(v, 1000000u);
    EXPECT_LT(v, 1000000u + 10000);
    // TSC_AUX exists only with RDTSCP (max).
    EXPECT_FALSE(msr_write(c, MSR_TSC_AUX, 1));
    use("max");
    EXPECT_TRUE(msr_write(c, MSR_TSC_AUX, 7));
    EXPECT_FALSE(msr_write(c, MSR_TSC_AUX, 1ull << 32));
    // Variable MTRR: type 2 is reserved, mask bits 10:0 reserved.
    EXPECT_FALSE(msr_write(c, MSR_MTRR_PHYSBASE0, 2));
    EXPECT_TRUE(msr_write(c, MSR_MTRR_PHYSBASE0, 0x80000006));
    EXPECT_FALSE(msr_write(c, MSR_MTRR_PHYSBASE0 + 1, 0x1));
}

}  // namespace

// IA32_APIC_BASE EXTD (bit 10): only with CPUID.01H:ECX.x2APIC[21], and only along the legal
// transitions of SDM Vol. 3A 10.12.5 (Figure 10-27).
TEST_F(Model, X2apicEnableFollowsCpuidAndTheLegalTransitions) {
    use("qemu64");
    c.apic_base = 0xfee00900;
    EXPECT_FALSE(bit(cpuid(c, 1, 0).ecx, 21));
    EXPECT_FALSE(msr_write(c, MSR_APIC_BASE, 0xfee00d00));  // no x2APIC on qemu64: reserved bit
    use("max");
    c.apic_base = 0xfee00900;
    EXPECT_TRUE(bit(cpuid(c, 1, 0).ecx, 21));
    EXPECT_TRUE(bit(cpuid(c, 1, 0).ecx, 24));                 // TSC-deadline
    EXPECT_FALSE(msr_write(c, MSR_APIC_BASE, 0xfee00500));  // EXTD without EN: invalid
    EXPECT_TRUE(msr_write(c, MSR_APIC_BASE, 0xfee00d00));   // xAPIC -> x2APIC
    EXPECT_FALSE(msr_write(c, MSR_APIC_BASE, 0xfee00900));  // x2APIC -> xAPIC: #GP
    EXPECT_TRUE(msr_write(c, MSR_APIC_BASE, 0xfee00100));   // x2APIC -> disabled
    EXPECT_FALSE(msr_write(c, MSR_APIC_BASE, 0xfee00d00));  // disabled -> x2APIC: #GP
    EXPECT_TRUE(msr_write(c, MSR_APIC_BASE, 0xfee00900));   // disabled -> xAPIC
    EXPECT_EQ(c.apic_base, 0xfee00900u);
}

// AMD SYSCFG (AMD APM Vol. 2 7.9.1) exists on the AMD-vendor models (qemu64 is one, as QEMU's):
// Linux reads it on AMD CPUs when it sets up MTRRs, and a #GP there gives an "unchecked MSR
// access error" trace in its log.
TEST_F(Model, AmdSyscfgOnAmdModels) {
    use("qemu64");
    u64 v = ~0ull;
    EXPECT_TRUE(msr_read(c, MSR_AMD_SYSCFG, v));
    EXPECT_EQ(v, 0u);
    EXPECT_TRUE(msr_write(c, MSR_AMD_SYSCFG, 1ull << 18));  // MtrrFixDramEn
    EXPECT_TRUE(msr_read(c, MSR_AMD_SYSCFG, v));
    EXPECT_EQ(v, 1ull << 18);
    EXPECT_FALSE(msr_write(c, MSR_AMD_SYSCFG, 1ull << 40));  // reserved
    EXPECT_TRUE(msr_read(c, MSR_AMD_INT_PENDING, v));         // family 0Fh: no C1E message bits
    EXPECT_EQ(v, 0u);
}
