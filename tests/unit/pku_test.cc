// Protection keys (SDM Vol. 3A 4.6.2) for the `max` model: the walker's AD/WD checks with the
// PK bit of the #PF error code (4.7), what the soft TLB may cache under a key, CR4.PKE and
// CPUID.07H:ECX.OSPKE, and RDPKRU/WRPKRU end to end on tier 0 (SDM Vol. 2B).
#include <gtest/gtest.h>
#include <memory>

#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/paging.h"
#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

enum : u64 { P = 1, W = 2, U = 4, PS = 0x80 };
constexpr u64 key(u64 k) { return k << 59; }  // bits 62:59 of the leaf entry
// PKRU for key k: AD in bit 2k, WD in bit 2k+1.
constexpr u32 ad(unsigned k) { return 1u << (2 * k); }
constexpr u32 wd(unsigned k) { return 2u << (2 * k); }

// Run f and return the #PF error code it raised (0xdead for another fault, ~0u for none).
template <class F> u32 pf_of(F f) {
    try { f(); } catch (const GuestFault& g) { return g.vector == PF_VEC ? g.error : 0xdead; }
    return ~0u;
}
constexpr u32 kNoFault = ~0u;

// 4-level tables with 4 KiB pages for the low 2 MiB (PML4 0x10000, PDPT 0x11000, PD 0x12000,
// PT 0x13000); page i maps to 0x100000 + i*4K, user, writable, key 0. CR0.WP=1, CR4.PKE=1.
struct PkWalk : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    void SetUp() override {
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        put(0x10000, 0x11000 | P | W | U);
        put(0x11000, 0x12000 | P | W | U);
        put(0x12000, 0x13000 | P | W | U);
        for (u64 i = 0; i < 512; i++) put(pte(i), (0x100000 + i * 0x1000) | P | W | U);
        c.cr3 = 0x10000;
        c.cr0 |= CR0_WP;
        c.cr4 |= CR4_PKE;
        update_mode(c);
        tlb_flush_all(c);
    }
    void put(u64 a, u64 v) { std::memcpy(host.ram() + a, &v, 8); }
    static u64 pte(u64 i) { return 0x13000 + i * 8; }
    u32 pf(u64 lin, Access a, u8 idx) {
        Translation t;
        return pf_of([&] { page_translate(c, lin, a, idx, t); });
    }
    void set_pkru(u32 v) {  // what WRPKRU does (semantics/system.cc)
        c.pkru = v;
        tlb_flush_all(c);
    }
};

TEST_F(PkWalk, KeyIsIgnoredWithoutPke) {
    put(pte(1), 0x101000 | P | W | U | key(1));
    set_pkru(ad(1));
    c.cr4 &= ~static_cast<u64>(CR4_PKE);
    update_mode(c);
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_USER), kNoFault);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_KERNEL), kNoFault);
}

TEST_F(PkWalk, AccessDisableBlocksDataAccessesButNotFetches) {
    put(pte(1), 0x101000 | P | W | U | key(1));
    set_pkru(ad(1));
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_USER), PFEC_P | PFEC_U | PFEC_PK);
    EXPECT_EQ(c.cr2, 0x1000u);
    EXPECT_EQ(pf(0x1008, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U | PFEC_PK);
    // Supervisor accesses to user-mode addresses obey AD too, implicit or explicit.
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_KERNEL), PFEC_P | PFEC_PK);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_KERNEL), PFEC_P | PFEC_W | PFEC_PK);
    // Keys do not apply to instruction fetches.
    EXPECT_EQ(pf(0x1000, Access::Exec, MMU_USER), kNoFault);
    EXPECT_EQ(pf(0x1000, Access::Exec, MMU_KERNEL_AC), kNoFault);
    // Other keys are unaffected.
    EXPECT_EQ(pf(0x2000, Access::Write, MMU_USER), kNoFault);
}

TEST_F(PkWalk, WriteDisableBindsSupervisorWritesOnlyWithWp) {
    put(pte(1), 0x101000 | P | W | U | key(7));
    set_pkru(wd(7));
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_USER), kNoFault);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U | PFEC_PK);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_KERNEL), PFEC_P | PFEC_W | PFEC_PK);
    c.cr0 &= ~static_cast<u64>(CR0_WP);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_KERNEL), kNoFault);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U | PFEC_PK);
}

TEST_F(PkWalk, OnlyUserModeAddressesAndTheLeafKeyCount) {
    set_pkru(ad(1) | ad(2));
    // A supervisor-mode address (U/S=0) is not checked against PKRU.
    put(pte(1), 0x101000 | P | W | key(1));
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_KERNEL), kNoFault);
    // U/S=0 in a non-leaf entry makes the address supervisor-mode too.
    put(0x12000, 0x13000 | P | W);
    put(pte(2), 0x102000 | P | W | U | key(1));
    EXPECT_EQ(pf(0x2000, Access::Read, MMU_KERNEL), kNoFault);
    put(0x12000, 0x13000 | P | W | U);
    // Bits 62:59 of a non-leaf entry are not a key.
    put(0x12000, 0x13000 | P | W | U | key(2));
    put(pte(3), 0x103000 | P | W | U);
    EXPECT_EQ(pf(0x3000, Access::Read, MMU_USER), kNoFault);
    // The key of a 2 MiB page is in its PDE.
    put(0x12000 + 8, 0x200000 | P | W | U | PS | key(2));
    EXPECT_EQ(pf(0x200000, Access::Read, MMU_USER), PFEC_P | PFEC_U | PFEC_PK);
}

TEST_F(PkWalk, PkJoinsOtherViolations) {
    // SDM 4.7: PK reports the key's verdict even when the access also breaks R/W or SMAP.
    put(pte(1), 0x101000 | P | U | key(1));  // read-only
    set_pkru(wd(1));
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U | PFEC_PK);
    set_pkru(0);
    EXPECT_EQ(pf(0x1000, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U);
    c.cr4 |= CR4_SMAP;
    set_pkru(ad(1));
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_KERNEL), PFEC_P | PFEC_PK);
    set_pkru(0);
    EXPECT_EQ(pf(0x1000, Access::Read, MMU_KERNEL), PFEC_P);
    // A not-present page is not a key violation.
    put(pte(4), key(1));
    set_pkru(ad(1));
    EXPECT_EQ(pf(0x4000, Access::Read, MMU_USER), PFEC_U);
}

TEST_F(PkWalk, TlbKeepsOnlyTheRightsTheKeyAllows) {
    put(pte(1), 0x101000 | P | W | U | key(1));
    host.ram()[0x101000] = 0xc3;
    c.cpl = 3;
    update_mode(c);
    // A fetch fills the entry for the user index; a later read must still fault (AD).
    set_pkru(ad(1));
    u64 ppage;
    EXPECT_NE(tlb_code_page(c, 0x1000, &ppage), nullptr);
    EXPECT_EQ(pf_of([&] { mem_read_lin<u8>(c, 0x1000, MMU_USER); }), PFEC_P | PFEC_U | PFEC_PK);
    // A read with WD fills the entry; a later write must still fault.
    set_pkru(wd(1));
    EXPECT_EQ(mem_read_lin<u8>(c, 0x1000, MMU_USER), 0xc3);
    EXPECT_EQ(pf_of([&] { mem_write_lin<u8>(c, 0x1000, 1, MMU_USER); }),
              PFEC_P | PFEC_W | PFEC_U | PFEC_PK);
    EXPECT_EQ(host.ram()[0x101000], 0xc3);
}

TEST(PkControl, Cr4PkeFollowsTheModelAndOspkeMirrorsIt) {
    FlatRamHost host{1 << 20};
    CpuState c;
    auto faults = [&](u64 cr4) {
        try { write_cr4(c, cr4); } catch (const GuestFault& g) { return g.vector == GP; }
        return false;
    };
    cpu_apply_model(c, *find_cpu_model("qemu64"));
    test::make_flat_protected_mode(c, host);
    EXPECT_TRUE(faults(CR4_PKE));
    EXPECT_FALSE((cpuid(c, 7, 0).ecx >> 3) & 1);
    cpu_apply_model(c, *find_cpu_model("max"));
    EXPECT_FALSE(faults(CR4_PKE));
    EXPECT_TRUE((cpuid(c, 7, 0).ecx >> 3) & 1);  // PKU
    EXPECT_TRUE((cpuid(c, 7, 0).ecx >> 4) & 1);  // OSPKE = CR4.PKE
    EXPECT_FALSE(faults(0));
    EXPECT_FALSE((cpuid(c, 7, 0).ecx >> 4) & 1);
}

// RDPKRU/WRPKRU on tier 0, in 64-bit mode at CPL 0. Program (nasm -f bin, org 0x10000):
//           xor ecx, ecx
//           rdpkru
//           mov [0x11000], eax
//           mov [0x11004], edx
//           mov al, [0x200000]       ; fills the TLB: the 2 MiB page at 2 MiB has key 1
//           mov eax, 4               ; AD for key 1
//           xor edx, edx
//           wrpkru
//           rdpkru
//           mov [0x11008], eax
//           mov al, [0x200000]       ; #PF(P|PK): the TLB entry must not survive WRPKRU
//           hlt
struct PkEngine : ::testing::Test {
    FlatRamHost host{8 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    void SetUp() override {
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        test::put_u64(host, test::kPd + 8, (1ull << 21) | 0xE7 | key(1));
        c.cr4 |= CR4_PKE;
        update_mode(c);
        tlb_flush_all(c);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }
    void load(std::initializer_list<u8> code) {
        std::copy(code.begin(), code.end(), host.ram() + 0x10000);
    }
    void run() {
        c.rip = 0x10000;
        c.gpr[RSP] = 0x70000;
        c.halted = false;
        eng->run(100000);
    }
    u32 ram32(u64 a) { u32 v; std::memcpy(&v, host.ram() + a, 4); return v; }
    u64 ram64(u64 a) { u64 v; std::memcpy(&v, host.ram() + a, 8); return v; }
    u64 error_code() { return ram64(c.gpr[RSP]); }
    u64 fault_rip() { return ram64(c.gpr[RSP] + 8); }
};

TEST_F(PkEngine, WrpkruTakesEffectOnTheNextAccess) {
    load({0x31, 0xc9, 0x0f, 0x01, 0xee, 0x89, 0x04, 0x25, 0x00, 0x10, 0x01, 0x00,
          0x89, 0x14, 0x25, 0x04, 0x10, 0x01, 0x00, 0x8a, 0x04, 0x25, 0x00, 0x00,
          0x20, 0x00, 0xb8, 0x04, 0x00, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x01, 0xef,
          0x0f, 0x01, 0xee, 0x89, 0x04, 0x25, 0x08, 0x10, 0x01, 0x00, 0x8a, 0x04,
          0x25, 0x00, 0x00, 0x20, 0x00, 0xf4});
    c.gpr[RDX] = 0xdeadbeef;
    run();
    ASSERT_EQ(test::fault_vector(c), PF_VEC) << std::hex << c.rip;
    EXPECT_EQ(error_code(), PFEC_P | PFEC_PK);
    EXPECT_EQ(c.cr2, 0x200000u);
    EXPECT_EQ(fault_rip(), 0x1002Eu);
    EXPECT_EQ(ram32(0x11000), 0u);  // PKRU resets to 0
    EXPECT_EQ(ram32(0x11004), 0u);  // RDPKRU clears EDX
    EXPECT_EQ(ram32(0x11008), 4u);
    EXPECT_EQ(c.pkru, 4u);
}

TEST_F(PkEngine, FaultsOfRdpkruAndWrpkru) {
    struct Case { u8 op; u64 rcx, rdx; bool pke; int vector; };
    const Case cases[] = {
        {0xee, 0, 0, false, UD},      // CR4.PKE=0
        {0xef, 0, 0, false, UD},
        {0xee, 1, 0, true, GP},       // ECX != 0
        {0xef, 1, 0, true, GP},
        {0xef, 0, 1, true, GP},       // EDX != 0
        {0xee, 1ull << 32, 5, true, -1},  // only ECX counts; RDPKRU ignores EDX
        {0xef, 1ull << 32, 1ull << 32, true, -1},
    };
    for (const Case& k : cases) {
        load({0x0f, 0x01, k.op, 0xf4});
        cache.invalidate_page(0x10000);
        c.cr4 = k.pke ? (c.cr4 | CR4_PKE) : (c.cr4 & ~static_cast<u64>(CR4_PKE));
        update_mode(c);
        c.gpr[RCX] = k.rcx;
        c.gpr[RDX] = k.rdx;
        c.gpr[RAX] = 0x55;
        run();
        EXPECT_EQ(test::fault_vector(c), k.vector) << "op " << int(k.op) << " rcx " << k.rcx;
        if (k.vector == GP) EXPECT_EQ(error_code(), 0u);
        if (k.vector < 0) EXPECT_EQ(c.rip, 0x10004u);
    }
    EXPECT_EQ(c.pkru, 0x55u);
}

TEST(PkModel, Qemu64HasNoRdpkru) {
    FlatRamHost host{8 << 20};
    CpuState c;
    cpu_apply_model(c, *find_cpu_model("qemu64"));
    test::make_flat_long_mode(c, host);
    jit::BlockCache cache;
    host.tracker().on_invalidate = [&](u64 p) { cache.invalidate_page(p); };
    jit::Tier0Engine eng(c, cache, host.tracker());
    const u8 code[] = {0x0f, 0x01, 0xee, 0xf4};
    std::copy(std::begin(code), std::end(code), host.ram() + 0x10000);
    c.rip = 0x10000;
    c.gpr[RSP] = 0x70000;
    eng.run(1000);
    EXPECT_EQ(test::fault_vector(c), UD);
}

}  // namespace
