// The q35 MCH, 00:00.0 (hw/pci-host/q35_mch.{h,cc}), programmed the way SeaBIOS's
// src/fw/shadow.c and smm.c do, with every expectation from the Intel 3 Series Chipset Family
// datasheet (doc. 316966) chapter 5.1: PAM0-PAM6 (5.1.18-5.1.24), SMRAMC (5.1.25), ESMRAMC
// (5.1.26), TOLUD (5.1.31). All accesses go through the guest's own paths: configuration
// mechanism #1 and physical memory.
#include <gtest/gtest.h>

#include "tests/support/q35_machine.h"

#include <cstdio>
#include <map>
#include <vector>
#include "hw/boards.h"
#include "hw/pci-host/q35_mch.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;
using test::bios_image;
using test::find_device;
using test::load_state;

namespace {

std::unique_ptr<Machine> make_q35(VmConfig& cfg, u64 ram = 128ull << 20) {
    cfg.ram_size = ram;
    return test::make_q35(cfg);
}
u32 mch_read(Machine& m, unsigned reg, unsigned size) { return test::conf1_read(m, 0, reg, size); }
void mch_write(Machine& m, unsigned reg, u32 v, unsigned size) { test::conf1_write(m, 0, reg, v, size); }

constexpr unsigned kPam0 = 0x90, kSmramc = 0x9d, kEsmramc = 0x9e, kTolud = 0xb0;
// PAM attribute values (316966 5.1.18): 00 DRAM disabled (to DMI: the BIOS), 01 read only,
// 10 write only, 11 normal DRAM.
enum : u8 { kPci = 0, kRead = 1, kWrite = 2, kRw = 3 };

struct Q35MchTest : ::testing::Test {
    VmConfig cfg;
    std::unique_ptr<Machine> m = make_q35(cfg);
    std::vector<u8> bios = bios_image();
    u32 bios32(u64 addr) {  // the ROM's bytes at addr in the 0xe0000-0xfffff copy
        const size_t o = bios.size() - (0x100000 - addr);
        return bios[o] | bios[o + 1] << 8 | bios[o + 2] << 16 | static_cast<u32>(bios[o + 3]) << 24;
    }
    u32 rd(u64 a) { return static_cast<u32>(m->phys_read(a, 4)); }
    void wr(u64 a, u32 v) { m->phys_write(a, v, 4); }
    // Segment i: 0 = 0xf0000 (PAM0 high nibble), 1..12 = 16 KiB from 0xc0000 (PAM1 lo, PAM1 hi, ...).
    static u64 seg_base(unsigned i) { return i == 0 ? 0xf0000 : 0xc0000 + (i - 1) * 0x4000; }
    void set_seg(unsigned i, u8 mode) {
        const unsigned reg = i == 0 ? kPam0 : kPam0 + 1 + (i - 1) / 2;
        const unsigned shift = i == 0 || ((i - 1) & 1) ? 4 : 0;
        u8 v = static_cast<u8>(mch_read(*m, reg, 1));
        v = static_cast<u8>((v & ~(3u << shift)) | mode << shift);
        mch_write(*m, reg, v, 1);
    }
};

}  // namespace

TEST_F(Q35MchTest, ResetShowsTheBiosBelowOneMegabyte) {
    ASSERT_EQ(bios.size(), 256u * 1024);
    // PAM registers reset to 00h (5.1.18-5.1.24): 0xe0000-0xfffff go to DMI, where the last
    // 128 KiB of the flash image answer, the same bytes as at the top of 4 GiB.
    for (unsigned r = 0; r < 7; r++) EXPECT_EQ(mch_read(*m, kPam0 + r, 1), 0u);
    for (u64 off = 0; off < 0x10000; off += 4) ASSERT_EQ(rd(0xf0000 + off), rd(0xffff0000 + off)) << off;
    for (u64 off = 0; off < 0x20000; off += 0x1000) EXPECT_EQ(rd(0xe0000 + off), bios32(0xe0000 + off));
    EXPECT_EQ(rd(0xffff0), rd(0xfffffff0));
    // Writes to the ROM are dropped.
    const u32 before = rd(0xf0000);
    wr(0xf0000, ~before);
    EXPECT_EQ(rd(0xf0000), before);
}

TEST_F(Q35MchTest, Pam0AttributesSteerTheFSegment) {
    const u32 rom = rd(0xf1000);
    // PAM0 bits 3:0 are reserved (5.1.18): only HIENABLE takes a write.
    mch_write(*m, kPam0, 0x33, 1);
    EXPECT_EQ(mch_read(*m, kPam0, 1), 0x30u);
    // 11b: normal DRAM, read and write (what SeaBIOS's make_bios_writable sets).
    wr(0xf1000, 0x12345678);
    EXPECT_EQ(rd(0xf1000), 0x12345678u);
    // 01b: reads from DRAM, writes dropped (make_bios_readonly).
    mch_write(*m, kPam0, 0x10, 1);
    wr(0xf1000, 0xdeadbeef);
    EXPECT_EQ(rd(0xf1000), 0x12345678u);
    // 10b: write only: reads go to DMI (the ROM), writes land in DRAM.
    mch_write(*m, kPam0, 0x20, 1);
    EXPECT_EQ(rd(0xf1000), rom);
    wr(0xf1000, 0xcafef00d);
    EXPECT_EQ(rd(0xf1000), rom);
    mch_write(*m, kPam0, 0x10, 1);
    EXPECT_EQ(rd(0xf1000), 0xcafef00du);
    // 00b: DRAM disabled, the ROM again; the DRAM keeps its contents underneath.
    mch_write(*m, kPam0, 0x00, 1);
    EXPECT_EQ(rd(0xf1000), rom);
    mch_write(*m, kPam0, 0x30, 1);
    EXPECT_EQ(rd(0xf1000), 0xcafef00du);
    // A byte/word write inside a dword lands where the attribute says (SeaBIOS copies with rep movsl).
    m->phys_write(0xf1001, 0xab, 1);
    EXPECT_EQ(rd(0xf1000), 0xcafeab0du);
    // The top-of-4GiB copy is never affected by PAM.
    EXPECT_EQ(rd(0xffff1000), bios32(0xf1000));
}

TEST_F(Q35MchTest, Pam1To6SegmentsAreIndependent) {
    // Bits 7:6 and 3:2 of PAM1-6 are reserved (5.1.19-5.1.24).
    mch_write(*m, kPam0 + 1, 0xff, 1);
    EXPECT_EQ(mch_read(*m, kPam0 + 1, 1), 0x33u);
    // Every piece normal DRAM, each with its own marker at both ends.
    for (unsigned r = 1; r <= 6; r++) mch_write(*m, kPam0 + r, 0x33, 1);
    auto marker = [](unsigned i) { return 0x5e600000u | i; };
    for (unsigned i = 1; i <= 12; i++) {
        wr(seg_base(i), marker(i));
        wr(seg_base(i) + 0x3ffc, marker(i));
    }
    for (unsigned i = 1; i <= 12; i++) {
        SCOPED_TRACE(i);
        // Everything read-only except piece i: a write at either edge of piece i lands, a
        // write just outside it (the neighbours' edges) is dropped.
        for (unsigned r = 1; r <= 6; r++) mch_write(*m, kPam0 + r, 0x11, 1);
        set_seg(i, kRw);
        wr(seg_base(i), 0xb0000000u | i);
        wr(seg_base(i) + 0x3ffc, 0xb0000000u | i);
        wr(seg_base(i) - 4, 0xdead0000u | i);
        if (i < 12) wr(seg_base(i) + 0x4000, 0xdead0000u | i);
        set_seg(i, kRead);
        EXPECT_EQ(rd(seg_base(i)), 0xb0000000u | i);
        EXPECT_EQ(rd(seg_base(i) + 0x3ffc), 0xb0000000u | i);
        if (i > 1) EXPECT_EQ(rd(seg_base(i) - 4), marker(i - 1));
        if (i < 12) EXPECT_EQ(rd(seg_base(i) + 0x4000), marker(i + 1));
        set_seg(i, kRw);
        wr(seg_base(i), marker(i));
        wr(seg_base(i) + 0x3ffc, marker(i));
    }
    // The 0xe0000-0xeffff pieces at 00b show the BIOS (its low 64 KiB of the 128 KiB copy),
    // each on its own.
    for (unsigned r = 1; r <= 6; r++) mch_write(*m, kPam0 + r, 0x11, 1);
    for (unsigned i = 9; i <= 12; i++) {
        SCOPED_TRACE(i);
        set_seg(i, kPci);
        EXPECT_EQ(rd(seg_base(i)), bios32(seg_base(i)));
        EXPECT_EQ(rd(seg_base(i) + 0x3ffc), bios32(seg_base(i) + 0x3ffc));
        if (i > 9) EXPECT_EQ(rd(seg_base(i) - 4), marker(i - 1));
        if (i < 12) EXPECT_EQ(rd(seg_base(i) + 0x4000), marker(i + 1));
        set_seg(i, kRead);
        EXPECT_EQ(rd(seg_base(i)), marker(i));
    }
    // Write-only on one piece: reads DMI (the ROM), writes DRAM.
    set_seg(9, kWrite);  // 0xe0000
    EXPECT_EQ(rd(0xe0000), bios32(0xe0000));
    wr(0xe0000, 0x77777777);
    EXPECT_EQ(rd(0xe0000), bios32(0xe0000));
    set_seg(9, kRead);
    EXPECT_EQ(rd(0xe0000), 0x77777777u);
}

TEST_F(Q35MchTest, PamDisabledSegmentsNeverReachDram) {
    // 5.1.19 PAM attribute 00b, "DRAM Disabled: all accesses are directed to DMI". Where
    // nothing on the PCI side answers (0xc0000-0xdffff without option ROMs), reads must not
    // return the DRAM underneath and writes must not reach it.
    set_seg(1, kRw);
    wr(0xc0000, 0xd7a40001);
    set_seg(1, kPci);
    EXPECT_NE(rd(0xc0000), 0xd7a40001u) << "PAM 00b at 0xc0000 still reads DRAM";
    wr(0xc0000, 0xd7a40002);
    set_seg(1, kRead);
    EXPECT_EQ(rd(0xc0000), 0xd7a40001u) << "a write with PAM 00b reached DRAM";
}

TEST_F(Q35MchTest, ClosedSmramWithoutVgaDoesNotShowDram) {
    // 5.1.25: with SMRAM closed (D_OPEN = 0) non-SMM accesses to A0000h-BFFFFh go to the
    // PCI side (DMI). With no VGA there, they must still not reach the SMRAM DRAM - that is
    // the point of SMRAM.
    mch_write(*m, kSmramc, 0x4a, 1);
    wr(0xa0000, 0x5a5a0003);
    mch_write(*m, kSmramc, 0x0a, 1);
    EXPECT_NE(rd(0xa0000), 0x5a5a0003u) << "closed SMRAM readable at 0xa0000";
    wr(0xa0000, 0x5a5a0004);
    mch_write(*m, kSmramc, 0x4a, 1);
    EXPECT_EQ(rd(0xa0000), 0x5a5a0003u) << "write to closed SMRAM reached DRAM";
}

namespace {
// The same machine with the standard VGA (00:01.0), whose legacy window answers at 0xa0000
// when SMRAM is closed.
struct Q35MchVgaTest : Q35MchTest {
    void SetUp() override {
        cfg2.vga = "std";
        cfg2.nographic = true;
        m = make_q35(cfg2);
    }
    void TearDown() override { m.reset(); }  // the machine keeps a reference to cfg2
    VmConfig cfg2;
};
}  // namespace

TEST_F(Q35MchVgaTest, SmramcOpensTheVgaWindowToDram) {
    // 5.1.25: default 02h (C_BASE_SEG = 010b, compatible SMRAM at A0000h, read-only field).
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x02u);
    mch_write(*m, kSmramc, 0x00, 1);
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x02u);
    // G_SMRAME + D_OPEN: non-SMM accesses reach the SMRAM DRAM (SeaBIOS smm.c writes 0x4a).
    mch_write(*m, kSmramc, 0x4a, 1);
    wr(0xa0000, 0x5a5a0001);
    wr(0xbfffc, 0x5a5a0002);
    EXPECT_EQ(rd(0xa0000), 0x5a5a0001u);
    EXPECT_EQ(rd(0xbfffc), 0x5a5a0002u);
    // Closed: the window is the VGA again; the DRAM keeps its contents.
    mch_write(*m, kSmramc, 0x0a, 1);
    EXPECT_NE(rd(0xa0000), 0x5a5a0001u);
    // D_OPEN without G_SMRAME: no compatible SMRAM at all, so nothing opens.
    mch_write(*m, kSmramc, 0x42, 1);
    EXPECT_NE(rd(0xa0000), 0x5a5a0001u);
    mch_write(*m, kSmramc, 0x4a, 1);
    EXPECT_EQ(rd(0xa0000), 0x5a5a0001u);
}

TEST_F(Q35MchVgaTest, SmramcLockHoldsUntilReset) {
    mch_write(*m, kEsmramc, 0x81, 1);  // H_SMRAME + T_EN before locking
    EXPECT_EQ(mch_read(*m, kEsmramc, 1), 0xb9u);  // 5.1.26: SM_CACHE/SM_L1/SM_L2 read 1
    mch_write(*m, kSmramc, 0x4a, 1);
    wr(0xa0000, 0x10c4ed00);
    // 5.1.25 D_LCK: "When D_LCK is set to 1 then D_OPEN is reset to 0 and D_LCK, D_OPEN,
    // C_BASE_SEG, H_SMRAM_EN, GMS, TSEG_SZ and TSEG_EN become read only" (SeaBIOS writes
    // 0x1a to lock).
    mch_write(*m, kSmramc, 0x5a, 1);
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x1au);
    EXPECT_NE(rd(0xa0000), 0x10c4ed00u);  // D_OPEN went to 0: the window closed
    mch_write(*m, kSmramc, 0x4a, 1);       // cannot reopen
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x1au);
    mch_write(*m, kSmramc, 0x02, 1);  // cannot unlock
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x1au);
    EXPECT_NE(rd(0xa0000), 0x10c4ed00u);
    // Only a reset (platform reset of the MCH) clears D_LCK.
    for (auto& d : m->devices()) d->reset();
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x02u);
    EXPECT_EQ(mch_read(*m, kEsmramc, 1), 0x38u);
    mch_write(*m, kSmramc, 0x4a, 1);
    EXPECT_EQ(rd(0xa0000), 0x10c4ed00u);
}

TEST_F(Q35MchTest, SmramcLockLeavesDClsWritable) {
    // 5.1.25: D_CLS (bit 5) is plain RW, not covered by D_LCK (QEMU's q35 likewise keeps
    // SMRAM_D_CLS in the locked write mask).
    mch_write(*m, kSmramc, 0x1a, 1);
    ASSERT_EQ(mch_read(*m, kSmramc, 1), 0x1au);
    mch_write(*m, kSmramc, 0x3a, 1);
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x3au);
    mch_write(*m, kSmramc, 0x1a, 1);
    EXPECT_EQ(mch_read(*m, kSmramc, 1), 0x1au);
}

TEST_F(Q35MchTest, SmramcLockMakesEsmramcReadOnly) {
    // 5.1.26: H_SMRAME, TSEG_SZ and T_EN are RW/L, locked by SMRAMC.D_LCK.
    mch_write(*m, kEsmramc, 0x81, 1);
    mch_write(*m, kSmramc, 0x1a, 1);
    mch_write(*m, kEsmramc, 0x00, 1);
    EXPECT_EQ(mch_read(*m, kEsmramc, 1), 0xb9u);
}

TEST(Q35MchTolud, FollowsTheRamSize) {
    // 5.1.31 TOLUD bits 15:4 = address bits 31:20 of the top of low usable DRAM. The board
    // splits RAM as QEMU's pc_q35_init: below 4 GiB up to 2.75 GiB, or 2 GiB when there is
    // at least 2.75 GiB (the rest above 4 GiB).
    struct Case {
        u64 ram, below, above;
    } cases[] = {
        {128ull << 20, 128ull << 20, 0},        {1ull << 30, 1ull << 30, 0},
        {2ull << 30, 2ull << 30, 0},            {0xa0000000ull, 0xa0000000ull, 0},
        {0xb0000000ull, 0x80000000ull, 0x30000000ull}, {4ull << 30, 2ull << 30, 2ull << 30},
        {8ull << 30, 2ull << 30, 6ull << 30},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.ram);
        VmConfig cfg;
        auto m = make_q35(cfg, c.ram);
        EXPECT_EQ(mch_read(*m, kTolud, 2), (c.below >> 20) << 4);
        // TOLUD is what the guest sees as the end of low RAM: the last dword below it is RAM.
        m->phys_write(c.below - 4, 0x70101d00, 4);
        EXPECT_EQ(m->phys_read(c.below - 4, 4), 0x70101d00u);
        m->phys_write(c.below + 0x1000, 0x70101d01, 4);
        EXPECT_NE(m->phys_read(c.below + 0x1000, 4), 0x70101d01u);
        if (c.above) {
            m->phys_write(0x100000000ull, 0x4a, 4);
            m->phys_write(0x100000000ull + c.above - 4, 0x4b, 4);
            EXPECT_EQ(m->phys_read(0x100000000ull, 4), 0x4au);
            EXPECT_EQ(m->phys_read(0x100000000ull + c.above - 4, 4), 0x4bu);
            // Above-4G RAM is the RAM after the low part, not an alias of it.
            EXPECT_NE(m->phys_read(c.below - 4, 4), 0x4bu);
        }
        // Read-only to software (SeaBIOS never writes it, FIRMWARE.md 3).
        mch_write(*m, kTolud, 0, 2);
        EXPECT_EQ(mch_read(*m, kTolud, 2), (c.below >> 20) << 4);
    }
}

TEST_F(Q35MchTest, SaveRestoreKeepsTheRegisters) {
    Q35Mch* mch = find_device<Q35Mch>(*m);
    ASSERT_NE(mch, nullptr);
    mch_write(*m, kPam0, 0x30, 1);
    mch_write(*m, kPam0 + 1, 0x31, 1);
    mch_write(*m, kSmramc, 0x4a, 1);
    mch_write(*m, 0x60, 0xb0000001u, 4);
    std::vector<u32> before;
    for (unsigned r = 0; r < 256; r += 4) before.push_back(mch_read(*m, r, 4));
    StateWriter w;
    mch->describe_state(w);

    mch_write(*m, kPam0, 0x00, 1);
    mch_write(*m, kPam0 + 1, 0x00, 1);
    mch_write(*m, kSmramc, 0x1a, 1);  // even locked
    mch_write(*m, 0x60, 0, 4);
    load_state(*mch, w.buf);
    for (unsigned i = 0; i < before.size(); i++) EXPECT_EQ(mch_read(*m, i * 4, 4), before[i]) << i * 4;
}

TEST_F(Q35MchTest, RestoredStateDrivesTheMemoryMap) {
    Q35Mch* mch = find_device<Q35Mch>(*m);
    ASSERT_NE(mch, nullptr);
    mch_write(*m, kPam0, 0x30, 1);
    wr(0xf0000, 0x5a7e0001);
    mch_write(*m, 0x60, 0xb0000001u, 4);
    StateWriter w;
    mch->describe_state(w);
    mch_write(*m, kPam0, 0x00, 1);
    mch_write(*m, 0x60, 0, 4);
    load_state(*mch, w.buf);
    // What the registers say must be what the guest sees: PAM0 = 30h is DRAM at 0xf0000 and
    // PCIEXBAR = b0000001h decodes ECAM (a snapshot restored mid-boot relies on both).
    EXPECT_EQ(rd(0xf0000), 0x5a7e0001u) << "PAM mapping not re-applied after restore";
    EXPECT_EQ(rd(0xb0000000), 0x29c08086u) << "PCIEXBAR mapping not re-applied after restore";
}
