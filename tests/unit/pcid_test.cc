// PCIDs and INVPCID for the `max` model: the CR4.PCIDE rules (SDM Vol. 2B MOV CR4/CR0), MOV CR3
// with bit 63 (Vol. 3A 4.10.4.1) and INVPCID end to end on tier 0 with its #GP checks
// (Vol. 2A INVPCID "64-Bit Mode Exceptions").
#include <gtest/gtest.h>
#include <memory>

#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/fault.h"
#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

template <class F> bool gp_of(F f) {
    try { f(); } catch (const GuestFault& g) { return g.vector == GP && g.error == 0; }
    return false;
}

TEST(PcidControl, PcideRules) {
    FlatRamHost host{4 << 20};
    CpuState c;
    cpu_apply_model(c, *find_cpu_model("qemu64"));
    test::make_flat_long_mode(c, host);
    EXPECT_TRUE(gp_of([&] { write_cr4(c, c.cr4 | CR4_PCIDE); }));  // not advertised

    cpu_apply_model(c, *find_cpu_model("max"));
    const u64 cr4 = CR4_PAE;  // (flat_cpu.h also sets OSFXSR, which `max` does not offer)
    write_cr4(c, cr4);
    // Setting PCIDE needs CR3[11:0] = 0.
    c.cr3 = test::kPml4 | 0x8;  // PWT
    EXPECT_TRUE(gp_of([&] { write_cr4(c, cr4 | CR4_PCIDE); }));
    write_cr3(c, test::kPml4);
    write_cr4(c, cr4 | CR4_PCIDE);
    // CR3[11:0] is the PCID now; bit 63 asks to keep the TLB and is not stored.
    write_cr3(c, (1ull << 63) | test::kPml4 | 0x123);
    EXPECT_EQ(c.cr3, test::kPml4 | 0x123);
    write_cr3(c, test::kPml4);
    // CR0.PG cannot be cleared while PCIDE = 1 (compatibility mode, where it could otherwise).
    test::set_code_segment(c, true);
    EXPECT_TRUE(gp_of([&] { write_cr0(c, c.cr0 & ~static_cast<u64>(CR0_PG)); }));
    test::set_code_segment(c, false);
    write_cr4(c, cr4);
    // Without PCIDE, bit 63 of CR3 is reserved (above MAXPHYADDR).
    EXPECT_TRUE(gp_of([&] { write_cr3(c, (1ull << 63) | test::kPml4); }));

    // Outside IA-32e mode PCIDE cannot be set.
    CpuState pm;
    cpu_apply_model(pm, *find_cpu_model("max"));
    test::make_flat_protected_mode(pm, host);
    EXPECT_TRUE(gp_of([&] { write_cr4(pm, CR4_PAE | CR4_PCIDE); }));
}

// INVPCID on tier 0, 64-bit mode. Program (nasm -f bin, org 0x10000):
//           mov rax, [0x200000]      ; fills the TLB for the 2 MiB page at 2 MiB
//           mov rcx, [0x400000]
//           mov [0x11000], rax
//           mov [0x11008], rcx
//           mov [0x3008], rdx        ; PD[1] := RDX (the test passes PD[2]: now 2 MiB -> 4 MiB)
//           invpcid rsi, [rbx]       ; type RSI, descriptor at RBX
//           mov rax, [0x200000]
//           mov [0x11010], rax
//           hlt
struct Invpcid : ::testing::Test {
    FlatRamHost host{8 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    static constexpr u64 kDesc = 0x12000, kInvpcidRip = 0x10028;
    void SetUp() override {
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
        const u8 code[] = {
            0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x20, 0x00, 0x48, 0x8b, 0x0c, 0x25,
            0x00, 0x00, 0x40, 0x00, 0x48, 0x89, 0x04, 0x25, 0x00, 0x10, 0x01, 0x00,
            0x48, 0x89, 0x0c, 0x25, 0x08, 0x10, 0x01, 0x00, 0x48, 0x89, 0x14, 0x25,
            0x08, 0x30, 0x00, 0x00, 0x66, 0x48, 0x0f, 0x38, 0x82, 0x33, 0x48, 0x8b,
            0x04, 0x25, 0x00, 0x00, 0x20, 0x00, 0x48, 0x89, 0x04, 0x25, 0x10, 0x10,
            0x01, 0x00, 0xf4};
        std::copy(std::begin(code), std::end(code), host.ram() + 0x10000);
        put(0x200000, 0x2222);
        put(0x400000, 0x4444);
    }
    void put(u64 a, u64 v) { test::put_u64(host, a, v); }
    u64 get(u64 a) { u64 v; std::memcpy(&v, host.ram() + a, 8); return v; }
    // Run INVPCID type with descriptor {pcid, addr}; the vector it stopped on (-1: none).
    int run(u64 type, u64 pcid, u64 addr) {
        put(test::kPd + 8, (1ull << 21) | 0xE7);  // PD[1] back to identity
        tlb_flush_all(c);
        put(kDesc, pcid);
        put(kDesc + 8, addr);
        c.gpr[RSI] = type;
        c.gpr[RBX] = kDesc;
        c.gpr[RDX] = get(test::kPd + 16);
        c.gpr[RSP] = 0x70000;
        c.rip = 0x10000;
        c.halted = false;
        eng->run(100000);
        return test::fault_vector(c);
    }
    u64 error_code() { return get(c.gpr[RSP]); }
    u64 fault_rip() { return get(c.gpr[RSP] + 8); }
};

TEST_F(Invpcid, EveryTypeDropsTheStaleTranslation) {
    for (u64 type = 0; type <= 3; type++) {
        ASSERT_EQ(run(type, 0, 0x200000), -1) << "type " << type;
        EXPECT_EQ(get(0x11000), 0x2222u);
        EXPECT_EQ(get(0x11008), 0x4444u);
        EXPECT_EQ(get(0x11010), 0x4444u) << "type " << type;  // the new PD[1] is used
    }
}

TEST_F(Invpcid, GeneralProtectionChecks) {
    struct Case { u64 type, pcid, addr; bool pcide; bool gp; const char* what; };
    const Case cases[] = {
        {4, 0, 0, false, true, "type > 3"},
        {1ull << 32, 0, 0, false, true, "type is all 64 bits of the register"},
        {2, 0x1000, 0, false, true, "descriptor bits 63:12"},
        {0, 0, 0x0000800000000000ull, false, true, "type 0, non-canonical address"},
        {1, 0, 0x0000800000000000ull, false, false, "type 1 ignores the address"},
        {0, 1, 0x200000, false, true, "type 0, PCID 1 with PCIDE=0"},
        {1, 1, 0, false, true, "type 1, PCID 1 with PCIDE=0"},
        {2, 1, 0, false, false, "type 2 ignores the PCID"},
        {3, 0xfff, 0, false, false, "type 3 ignores the PCID"},
        {0, 1, 0x200000, true, false, "type 0, PCID 1 with PCIDE=1"},
        {1, 0xfff, 0, true, false, "type 1, PCID 0xfff with PCIDE=1"},
    };
    const u64 cr4 = CR4_PAE;
    for (const Case& k : cases) {
        write_cr4(c, k.pcide ? cr4 | CR4_PCIDE : cr4);
        const int v = run(k.type, k.pcid, k.addr);
        if (k.gp) {
            EXPECT_EQ(v, GP) << k.what;
            EXPECT_EQ(error_code(), 0u) << k.what;
            EXPECT_EQ(fault_rip(), kInvpcidRip) << k.what;
        } else {
            EXPECT_EQ(v, -1) << k.what;
        }
    }
}

TEST_F(Invpcid, AbsentFromQemu64) {
    // (CPL 3 #GP(0) is checked by tests/guest/paging_ext.asm.)
    FlatRamHost h2{8 << 20};
    CpuState q;
    cpu_apply_model(q, *find_cpu_model("qemu64"));
    test::make_flat_long_mode(q, h2);
    jit::BlockCache cache2;
    h2.tracker().on_invalidate = [&](u64 p) { cache2.invalidate_page(p); };
    jit::Tier0Engine e2(q, cache2, h2.tracker());
    const u8 code[] = {0x66, 0x0f, 0x38, 0x82, 0x33, 0xf4};  // invpcid esi, [rbx]; hlt
    std::copy(std::begin(code), std::end(code), h2.ram() + 0x10000);
    q.gpr[RBX] = 0x12000;
    q.gpr[RSP] = 0x70000;
    q.rip = 0x10000;
    e2.run(1000);
    EXPECT_EQ(test::fault_vector(q), UD);
}

}  // namespace
