// Page walker and soft TLB (frontend-x86/paging.cc, softmmu/tlb.cc) against SDM Vol. 3A
// chapter 4: translations, accessed/dirty bits (4.8), #PF error codes (4.7), rights (4.6),
// INVLPG (4.10.4.1).
#include <gtest/gtest.h>

#include "frontend-x86/fault.h"
#include "frontend-x86/paging.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

enum : u64 { P = 1, W = 2, U = 4, A = 0x20, D = 0x40, PS = 0x80, NX = 1ull << 63 };

// 4-level tables with 4 KiB pages for the low 2 MiB: PML4 0x10000, PDPT 0x11000, PD 0x12000,
// PT 0x13000. Page i maps to physical 0x100000 + i*4K.
struct PagedCpu : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    void SetUp() override {
        test::make_flat_long_mode(c, host);
        put(0x10000, 0x11000 | P | W | U);
        put(0x11000, 0x12000 | P | W | U);
        put(0x12000, 0x13000 | P | W | U);
        for (u64 i = 0; i < 512; i++) put(0x13000 + i * 8, (0x100000 + i * 0x1000) | P | W | U);
        c.cr3 = 0x10000;
        c.cr0 |= CR0_WP;
        update_mode(c);
        tlb_flush_all(c);
    }
    void put(u64 a, u64 v) { std::memcpy(host.ram() + a, &v, 8); }
    u64 get(u64 a) { u64 v; std::memcpy(&v, host.ram() + a, 8); return v; }
    u64 pte(unsigned i) const { return 0x13000 + i * 8; }
    // Run f and return the #PF error code it raised (or ~0u when it did not fault).
    template <class F> u32 pf(F f) {
        try { f(); } catch (const GuestFault& g) { return g.vector == PF_VEC ? g.error : 0xdead; }
        return ~0u;
    }
};

TEST_F(PagedCpu, TranslatesAndSetsAccessedThenDirty) {
    Translation t;
    page_translate(c, 0x3123, Access::Read, MMU_KERNEL, t);
    EXPECT_EQ(t.paddr, 0x103123u);
    EXPECT_TRUE(get(pte(3)) & A);
    EXPECT_FALSE(get(pte(3)) & D);   // a read does not set D
    EXPECT_FALSE(t.write);           // ... so writes must come back through the walker
    EXPECT_TRUE(get(0x10000) & A);   // A is set at every level
    EXPECT_TRUE(get(0x12000) & A);
    page_translate(c, 0x3123, Access::Write, MMU_KERNEL, t);
    EXPECT_TRUE(get(pte(3)) & D);
    EXPECT_TRUE(t.write);
}

TEST_F(PagedCpu, PageFaultErrorCodes) {
    Translation t;
    put(pte(5), 0);  // not present
    EXPECT_EQ(pf([&] { page_translate(c, 0x5000, Access::Read, MMU_KERNEL, t); }), 0u);
    EXPECT_EQ(c.cr2, 0x5000u);
    EXPECT_EQ(pf([&] { page_translate(c, 0x5008, Access::Write, MMU_USER, t); }), PFEC_W | PFEC_U);
    put(pte(6), 0x106000 | P | W);  // supervisor page
    EXPECT_EQ(pf([&] { page_translate(c, 0x6000, Access::Read, MMU_USER, t); }), PFEC_P | PFEC_U);
    put(pte(7), 0x107000 | P | U);  // read-only, WP=1
    EXPECT_EQ(pf([&] { page_translate(c, 0x7000, Access::Write, MMU_KERNEL, t); }), PFEC_P | PFEC_W);
    c.cr0 &= ~CR0_WP;  // WP=0: supervisor writes to read-only pages are allowed
    EXPECT_EQ(pf([&] { page_translate(c, 0x7000, Access::Write, MMU_KERNEL, t); }), ~0u);
    put(pte(8), 0x108000 | P | W | U | NX);
    EXPECT_EQ(pf([&] { page_translate(c, 0x8000, Access::Exec, MMU_KERNEL, t); }), PFEC_P | PFEC_I);
    put(pte(9), 0x109000 | P | W | U | (1ull << 45));  // reserved physical-address bit
    EXPECT_EQ(pf([&] { page_translate(c, 0x9000, Access::Read, MMU_KERNEL, t); }), PFEC_P | PFEC_RSVD);
}

TEST_F(PagedCpu, SmepAndSmap) {
    Translation t;
    c.cr4 |= CR4_SMEP | CR4_SMAP;
    update_mode(c);
    EXPECT_EQ(pf([&] { page_translate(c, 0x1000, Access::Exec, MMU_KERNEL, t); }), PFEC_P | PFEC_I);
    EXPECT_EQ(pf([&] { page_translate(c, 0x1000, Access::Read, MMU_KERNEL, t); }), PFEC_P);
    EXPECT_EQ(pf([&] { page_translate(c, 0x1000, Access::Read, MMU_KERNEL_AC, t); }), ~0u);  // EFLAGS.AC=1
}

TEST_F(PagedCpu, TlbUsesNewMappingAfterInvlpg) {
    host.ram()[0x104000] = 0x11;
    host.ram()[0x105000] = 0x22;
    EXPECT_EQ(mem_read_lin<u8>(c, 0x4000, MMU_KERNEL), 0x11);
    put(pte(4), 0x105000 | P | W | U);
    tlb_flush_page(c, 0x4000);
    EXPECT_EQ(mem_read_lin<u8>(c, 0x4000, MMU_KERNEL), 0x22);
}

TEST_F(PagedCpu, PageCrossingWriteChecksBothPagesFirst) {
    put(pte(2), 0x102000 | P | U);  // read-only second page
    std::memset(host.ram() + 0x101ff0, 0xaa, 0x20);
    u32 e = pf([&] { mem_write_lin<u32>(c, 0x1ffe, 0x12345678, MMU_USER); });
    EXPECT_EQ(e, PFEC_P | PFEC_W | PFEC_U);
    EXPECT_EQ(c.cr2, 0x2000u);
    // Nothing was written to the first page either.
    EXPECT_EQ(host.ram()[0x101ffe], 0xaa);
    EXPECT_EQ(host.ram()[0x101fff], 0xaa);
}

TEST_F(PagedCpu, PageCrossingReadCombinesBothPages) {
    host.ram()[0x101fff] = 0x34;
    host.ram()[0x102000] = 0x12;
    EXPECT_EQ(mem_read_lin<u16>(c, 0x1fff, MMU_KERNEL), 0x1234);
}

TEST_F(PagedCpu, LargePagesAndPae) {
    Translation t;
    put(0x12000 + 8, 0x400000 | P | W | PS);  // 2 MiB page at 2 MiB
    page_translate(c, 0x212345, Access::Read, MMU_KERNEL, t);
    EXPECT_EQ(t.paddr, 0x412345u);
    put(0x12000 + 16, 0x402000 | P | W | PS);  // bit 13 of a 2 MiB PDE is reserved (bit 12 is PAT)
    EXPECT_EQ(pf([&] { page_translate(c, 0x400000, Access::Read, MMU_KERNEL, t); }), PFEC_P | PFEC_RSVD);
}

TEST_F(PagedCpu, ThirtyTwoBitPagingWithPse36) {
    // 32-bit paging: page directory at 0x20000, a 4 MiB page with PSE-36 high bits.
    c.efer = 0;
    c.cr4 = CR4_PSE;
    c.cr3 = 0x20000;
    c.seg[CS].attr &= ~SEG_ATTR_L;
    c.seg[CS].attr |= SEG_ATTR_DB;
    update_mode(c);
    tlb_flush_all(c);
    u32 pde = 0x00400000 | P | W | PS | (1u << 13);  // bits 20:13 = 1 -> physical bit 32
    std::memcpy(host.ram() + 0x20000 + 4 * 1, &pde, 4);
    Translation t;
    page_translate(c, 0x00412345, Access::Read, MMU_KERNEL, t);
    EXPECT_EQ(t.paddr, 0x100412345ull);
    u32 bad = pde | (1u << 21);  // bit 21 reserved
    std::memcpy(host.ram() + 0x20000 + 4 * 1, &bad, 4);
    EXPECT_EQ(pf([&] { page_translate(c, 0x00400000, Access::Read, MMU_KERNEL, t); }), PFEC_P | PFEC_RSVD);
}

}  // namespace
