// 5-level paging (SDM Vol. 3A 4.5, CR4.LA57) for the `max` model: the PML5 walk, 57-bit
// canonical addresses (3.3.7.1), the CR4.LA57 rules (2.5: changes only outside IA-32e mode)
// and what CPUID reports (07H:ECX[16], 80000008H linear-address width).
#include <gtest/gtest.h>

#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/paging.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

enum : u64 { P = 1, W = 2, U = 4, A = 0x20, PS = 0x80 };

template <class F> u32 pf_of(F f) {
    try { f(); } catch (const GuestFault& g) { return g.vector == PF_VEC ? g.error : 0xdead; }
    return ~0u;
}
template <class F> bool gp_of(F f) {
    try { f(); } catch (const GuestFault& g) { return g.vector == GP && g.error == 0; }
    return false;
}

constexpr u64 kHigh = 0x0001000000003123ull;  // PML5 index 1: above 2^48, not 48-bit canonical
constexpr u64 kUpper = 0xff00000000003123ull;  // PML5 index 256: the lowest upper-half address

// PML5 0x20000: [0] -> the flat identity PML4 (flat_cpu.h), [1] and [256] -> PML4 0x21000 ->
// PDPT 0x22000 -> PD 0x23000 -> PT 0x24000, whose entry 3 maps 0x105000.
struct FiveLevel : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    void SetUp() override {
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        put(0x20000, test::kPml4 | P | W | U);
        put(0x20000 + 8 * 1, 0x21000 | P | W | U);
        put(0x20000 + 8 * 256, 0x21000 | P | W | U);
        put(0x21000, 0x22000 | P | W | U);
        put(0x22000, 0x23000 | P | W | U);
        put(0x23000, 0x24000 | P | W | U);
        put(0x24000 + 8 * 3, 0x105000 | P | W | U);
        c.cr3 = 0x20000;
        c.cr4 |= CR4_LA57;
        update_mode(c);
        tlb_flush_all(c);
    }
    void put(u64 a, u64 v) { std::memcpy(host.ram() + a, &v, 8); }
    u64 get(u64 a) { u64 v; std::memcpy(&v, host.ram() + a, 8); return v; }
    u32 pf(u64 lin, Access a, u8 idx) {
        Translation t;
        return pf_of([&] { page_translate(c, lin, a, idx, t); });
    }
};

TEST_F(FiveLevel, WalksThePml5) {
    EXPECT_EQ(c.paging_mode, 5);
    Translation t;
    page_translate(c, kHigh, Access::Read, MMU_KERNEL, t);
    EXPECT_EQ(t.paddr, 0x105123u);
    EXPECT_TRUE(get(0x20000 + 8) & A);  // A is set in the PML5E too (SDM 4.8)
    page_translate(c, kUpper, Access::Write, MMU_USER, t);
    EXPECT_EQ(t.paddr, 0x105123u);
    // PML5E 0 keeps the identity map of the low addresses.
    page_translate(c, 0x123456, Access::Read, MMU_KERNEL, t);
    EXPECT_EQ(t.paddr, 0x123456u);
    // Through the soft TLB as well.
    host.ram()[0x105123] = 0x5a;
    EXPECT_EQ(mem_read_lin<u8>(c, kHigh, MMU_KERNEL), 0x5a);
    mem_write_lin<u8>(c, kUpper, 0xa5, MMU_KERNEL);
    EXPECT_EQ(host.ram()[0x105123], 0xa5);
}

TEST_F(FiveLevel, FaultsAtThePml5Level) {
    const u64 absent = 2ull << 48;  // PML5E 2 is not present
    EXPECT_EQ(pf(absent | 0x10, Access::Write, MMU_KERNEL), PFEC_W);
    EXPECT_EQ(c.cr2, absent | 0x10);  // CR2 holds all 57 bits
    put(0x20000 + 8 * 2, 0x21000 | P | W | U | PS);  // PS is reserved in a PML5E
    EXPECT_EQ(pf(absent, Access::Read, MMU_KERNEL), PFEC_P | PFEC_RSVD);
    put(0x20000 + 8 * 2, 0x21000 | P | W);  // U/S=0 at the PML5E: supervisor only
    EXPECT_EQ(pf(absent + 0x3000, Access::Read, MMU_USER), PFEC_P | PFEC_U);
    EXPECT_EQ(pf(absent + 0x3000, Access::Read, MMU_KERNEL), ~0u);
    put(0x20000 + 8 * 2, 0x21000 | P | U);  // R/W=0 at the PML5E
    EXPECT_EQ(pf(absent + 0x3000, Access::Write, MMU_USER), PFEC_P | PFEC_W | PFEC_U);
}

TEST_F(FiveLevel, ProtectionKeysUseTheLeafOfTheFiveLevelWalk) {
    put(0x24000 + 8 * 3, 0x105000 | P | W | U | (3ull << 59));
    c.cr4 |= CR4_PKE;
    c.pkru = 1u << 6;  // AD for key 3
    EXPECT_EQ(pf(kHigh, Access::Read, MMU_USER), PFEC_P | PFEC_U | PFEC_PK);
}

TEST_F(FiveLevel, CanonicalAddressesHave57Bits) {
    EXPECT_TRUE(is_canonical(c, kHigh));
    EXPECT_TRUE(is_canonical(c, kUpper));
    EXPECT_TRUE(is_canonical(c, 0x00ffffffffffffffull));
    EXPECT_FALSE(is_canonical(c, 0x0100000000000000ull));
    EXPECT_FALSE(is_canonical(c, 0xfeffffffffffffffull));
    // A non-canonical access is #GP(0) before any walk (SDM Vol. 3A 6.15, "Interrupt 13").
    EXPECT_TRUE(gp_of([&] { seg_linear<Access::Read>(c, DS, 0x0100000000000000ull, 1); }));
    EXPECT_EQ(seg_linear<Access::Read>(c, DS, kHigh, 1), kHigh);
    // 4-level paging: 48 bits.
    CpuState four;
    FlatRamHost h2{4 << 20};
    cpu_apply_model(four, *find_cpu_model("max"));
    test::make_flat_long_mode(four, h2);
    EXPECT_EQ(four.paging_mode, 4);
    EXPECT_FALSE(is_canonical(four, kHigh));
    EXPECT_FALSE(is_canonical(four, kUpper));
    EXPECT_TRUE(is_canonical(four, 0xffff800000000000ull));
}

TEST(La57Control, Cr4La57ChangesOnlyOutsideIa32eMode) {
    FlatRamHost host{1 << 20};
    CpuState c;
    cpu_apply_model(c, *find_cpu_model("qemu64"));
    test::make_flat_protected_mode(c, host);
    EXPECT_TRUE(gp_of([&] { write_cr4(c, CR4_LA57); }));  // not advertised by qemu64
    EXPECT_FALSE((cpuid(c, 7, 0).ecx >> 16) & 1);
    EXPECT_EQ((cpuid(c, 0x80000008, 0).eax >> 8) & 0xff, 48u);

    cpu_apply_model(c, *find_cpu_model("max"));
    EXPECT_TRUE((cpuid(c, 7, 0).ecx >> 16) & 1);
    EXPECT_EQ((cpuid(c, 0x80000008, 0).eax >> 8) & 0xff, 57u);
    // Outside IA-32e mode LA57 may be set (it has no effect there) ...
    write_cr4(c, CR4_PAE | CR4_LA57);
    EXPECT_EQ(c.cr4, u64(CR4_PAE | CR4_LA57));
    c.cr3 = 0x10000;
    write_cr0(c, c.cr0 | CR0_PG);
    EXPECT_EQ(c.paging_mode, 3);  // PAE: LA57 is ignored outside IA-32e mode
    write_cr0(c, c.cr0 & ~static_cast<u64>(CR0_PG));
    // ... and IA-32e mode then starts with 5-level paging (SDM Vol. 3A 9.8.5).
    c.efer = EFER_LME;
    write_cr0(c, c.cr0 | CR0_PG);
    EXPECT_TRUE(c.efer & EFER_LMA);
    EXPECT_EQ(c.paging_mode, 5);
    // Changing LA57 with EFER.LMA=1 is #GP(0), in both directions.
    EXPECT_TRUE(gp_of([&] { write_cr4(c, CR4_PAE); }));
    EXPECT_EQ(c.paging_mode, 5);
    write_cr0(c, c.cr0 & ~static_cast<u64>(CR0_PG));  // compatibility mode: leave IA-32e mode
    write_cr4(c, CR4_PAE);
    write_cr0(c, c.cr0 | CR0_PG);
    EXPECT_EQ(c.paging_mode, 4);
    EXPECT_TRUE(gp_of([&] { write_cr4(c, CR4_PAE | CR4_LA57); }));
}

}  // namespace
