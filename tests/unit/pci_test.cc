// The PCI core (hw/pci/pci.{h,cc}) poked the way SeaBIOS and Linux do: configuration
// mechanism #1 at 0xcf8/0xcfc (PCI Local Bus Specification 3.0, 3.2.2.3.2), the header's
// RO/RW/RWC fields (PCI 3.0 6.1-6.2), BAR sizing and decoding (6.2.5.1), the expansion ROM BAR
// (6.2.5.2), INTx and the interrupt disable bit (6.2.2/6.2.3), and the ECAM window the q35
// MCH's PCIEXBAR places (PCIe Base 4.0 7.2.2; Intel 3 Series Chipset datasheet 316966 5.1.13).
#include <gtest/gtest.h>

#include "tests/support/q35_machine.h"

#include <cstdio>
#include <vector>
#include "hw/boards.h"
#include "hw/pci/pci.h"
#include "softmmu/machine.h"
#include "softmmu/memory.h"

using namespace vireo;
using test::bios_image;
using test::conf1_read;
using test::conf1_write;

namespace {

constexpr u32 kEnable = 0x80000000u;
constexpr unsigned kLpc = 0x1f << 3;

std::unique_ptr<Machine> make_q35(VmConfig& cfg, u64 ram = 128ull << 20) {
    cfg.machine_type = "q35";
    cfg.nodefaults = true;
    cfg.serials = {"null"};
    cfg.ram_size = ram;
    return create_q35(cfg);
}

// Mechanism #1, as SeaBIOS's pci_config_read*: the dword address, then data at 0xcfc + (reg & 3).
u64 ecam(u64 base, unsigned bus, unsigned devfn, unsigned reg) {
    return base + (static_cast<u64>(bus) << 20 | devfn << 12 | reg);  // PCIe 4.0 Table 7-1
}
u32 ones(unsigned size) { return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1; }


// A PCI function with every kind of BAR, status error bits pre-set (so RWC can be seen) and
// INTA#, on a bus of its own: what the q35 board does not plug yet.
class TestFunction : public PciDevice {
public:
    TestFunction(u8 devfn, Machine& m) : PciDevice(devfn, 0x1234, 0x5678, 0xff0000, 0x07) {
        set16(kPciStatus, 0xf900 | kPciStatusCapList);
        set8(kPciInterruptPin, 1);
        MemoryOps ops;
        ops.read = [](u64 off, unsigned) -> u64 { return 0xa0000000u | off; };
        ops.write = [this](u64 off, u64 v, unsigned) { last_write = off << 32 | (v & 0xffffffffu); };
        ops.min_access = 1;
        ops.max_access = 4;
        mem = m.own(MemoryRegion::io("test-bar0", 0x1000, ops));
        io = m.own(MemoryRegion::io("test-bar1", 0x20, ops));
        mem64 = m.own(MemoryRegion::io("test-bar2", 0x10000, ops));
        rom = m.own(MemoryRegion::rom("test-rom", 0x10000));
        rom->host()[0] = 0x55;
        rom->host()[1] = 0xaa;
        register_bar(0, PciBarType::Mem32, mem);
        register_bar(1, PciBarType::Io, io);
        register_bar(2, PciBarType::Mem64, mem64);
        register_rom(rom);
    }
    const char* type_name() const override { return "test-pci"; }
    MemoryRegion *mem, *io, *mem64, *rom;
    u64 last_write = 0;
};

struct PciBusTest : ::testing::Test {
    VmConfig cfg = [] {
        VmConfig c;
        c.ram_size = 1 << 20;
        return c;
    }();
    Machine m{cfg};
    PciBus bus{&m.system_memory(), &m.io_space()};
    PciConfigPorts ports{bus};
    TestFunction dev{0x18, m};  // 00:03.0
    std::vector<std::pair<unsigned, bool>> intx;
    void SetUp() override {
        ports.realize(m);
        bus.plug(&dev);
        dev.reset();  // as the board does once built: records the power-on configuration space
        bus.route_intx = [this](PciDevice&, unsigned pin, bool level) { intx.push_back({pin, level}); };
    }
    u32 rd(unsigned reg, unsigned size) { return conf1_read(m, 0x18, reg, size); }
    void wr(unsigned reg, u32 v, unsigned size) { conf1_write(m, 0x18, reg, v, size); }
};

}  // namespace

// ---- Configuration mechanism #1 on the q35 machine ----

TEST(PciConf1, ConfigAddressLatchesOnlyDwordWrites) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    // PCI 3.0 3.2.2.3.2: "Anytime a host bridge sees a full DWORD I/O write from the host to
    // CONFIG_ADDRESS, the bridge must latch the data"; byte and word accesses pass through as
    // ordinary I/O.
    m->io_write(0xcf8, 0x80000000u, 4);
    EXPECT_EQ(m->io_read(0xcf8, 4), 0x80000000u);
    m->io_write(0xcf8, 0x12, 1);
    m->io_write(0xcfa, 0x34, 1);
    m->io_write(0xcf8, 0x5678, 2);
    m->io_write(0xcfa, 0x5678, 2);
    EXPECT_EQ(m->io_read(0xcf8, 4), 0x80000000u);
    // Bits 1:0 read 0 (3.2.2.3.2: the dword's register field is bits 7:2).
    m->io_write(0xcf8, 0x8000fa03u, 4);
    EXPECT_EQ(m->io_read(0xcf8, 4) & 3, 0u);
    // Bits 30:28 are reserved and read 0 (3.2.2.3.2). Bits 27:24 are kept on purpose: Vireo
    // extends mechanism #1 to the 4 KiB space (see ExtendedRegistersThroughEcam).
    m->io_write(0xcf8, 0xffffffffu, 4);
    EXPECT_EQ(m->io_read(0xcf8, 4) & 0x70000003u, 0u);
}

TEST(PciConf1, DataPortHonoursTheOffsetsLowBits) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    m->io_write(0xcf8, kEnable | 0x00, 4);  // 00:00.0 register 0
    // 3.2.2.3.2: CONFIG_DATA byte n is configuration byte (register | n). MCH D0:F0 VID/DID
    // (316966 5.1.1/5.1.2).
    EXPECT_EQ(m->io_read(0xcfc, 4), 0x29c08086u);
    EXPECT_EQ(m->io_read(0xcfc, 1), 0x86u);
    EXPECT_EQ(m->io_read(0xcfd, 1), 0x80u);
    EXPECT_EQ(m->io_read(0xcfe, 1), 0xc0u);
    EXPECT_EQ(m->io_read(0xcff, 1), 0x29u);
    EXPECT_EQ(m->io_read(0xcfc, 2), 0x8086u);
    EXPECT_EQ(m->io_read(0xcfe, 2), 0x29c0u);
    // Class code at 0x08: revision, prog-if, sub-class, base class (PCI 3.0 6.2.1).
    m->io_write(0xcf8, kEnable | 0x08, 4);
    EXPECT_EQ(m->io_read(0xcfe, 2), 0x0600u);  // host bridge
    EXPECT_EQ(m->io_read(0xcfd, 1), 0x00u);
}

TEST(PciConf1, EnableBitClearReadsAllOnesAndDropsWrites) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    // 3.2.2.3.2: with bit 31 clear the CONFIG_DATA accesses are plain I/O (nothing there).
    m->io_write(0xcf8, 0x00000000u, 4);
    EXPECT_EQ(m->io_read(0xcfc, 4), 0xffffffffu);
    EXPECT_EQ(m->io_read(0xcfd, 1), 0xffu);
    m->io_write(0xcf8, 0x0000f800u | 0x60, 4);  // LPC PIRQA_ROUT, enable bit off
    m->io_write(0xcfc, 0x0b, 1);
    EXPECT_EQ(conf1_read(*m, kLpc, 0x60, 1), 0x80u);  // 316972 13.1.17 default 80h
}

TEST(PciConf1, AbsentFunctionsReadAllOnes) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    // PCI 3.0 6.1: a read of a non-existent function ends in master abort, all ones (the
    // vendor ID FFFFh is how enumeration sees "nothing here").
    for (unsigned size : {1u, 2u, 4u}) {
        EXPECT_EQ(conf1_read(*m, 5 << 3, 0, size), ones(size));
        EXPECT_EQ(conf1_read(*m, 0, 0, size, /*bus=*/1), ones(size));
        EXPECT_EQ(conf1_read(*m, (0x1f << 3) | 6, 0, size), ones(size));
    }
    conf1_write(*m, 5 << 3, 0x3c, 0x0a, 1);  // dropped, no crash
    EXPECT_EQ(conf1_read(*m, 5 << 3, 0x3c, 1), 0xffu);
}

TEST(PciConf1, HostBridgeAndLpcIdentify) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    // 316966 5.1.1-5.1.2: MCH D0:F0 is 8086:29C0; 316972 13.1.1-13.1.2: the ICH9 LPC D31:F0
    // is 8086:2918 (ICH9DO/R family ID QEMU models), class 060100h ISA bridge.
    EXPECT_EQ(conf1_read(*m, 0, 0, 4), 0x29c08086u);
    EXPECT_EQ(conf1_read(*m, kLpc, 0, 4), 0x29188086u);
    EXPECT_EQ(conf1_read(*m, kLpc, 0x0a, 2), 0x0601u);
    EXPECT_EQ(conf1_read(*m, kLpc, 0x0e, 1) & 0x80, 0x80u);  // multi-function header (13.1.9)
    // Subsystem IDs QEMU's q35 presents (FIRMWARE.md 3).
    EXPECT_EQ(conf1_read(*m, 0, 0x2c, 4), 0x11001af4u);
}

TEST(PciConf1, ReadOnlyFieldsStay) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    for (unsigned devfn : {0u, kLpc}) {
        const u32 id = conf1_read(*m, devfn, 0, 4), cls = conf1_read(*m, devfn, 8, 4);
        const u32 sub = conf1_read(*m, devfn, 0x2c, 4), hdr = conf1_read(*m, devfn, 0x0e, 1);
        // PCI 3.0 6.2.1 (IDs, revision, class, header type) and 6.2.4 (subsystem IDs): RO.
        conf1_write(*m, devfn, 0, 0xffffffffu, 4);
        conf1_write(*m, devfn, 0, 0, 4);
        conf1_write(*m, devfn, 8, 0xffffffffu, 4);
        conf1_write(*m, devfn, 0x0e, 0x00, 1);
        conf1_write(*m, devfn, 0x2c, 0, 4);
        EXPECT_EQ(conf1_read(*m, devfn, 0, 4), id);
        EXPECT_EQ(conf1_read(*m, devfn, 8, 4), cls);
        EXPECT_EQ(conf1_read(*m, devfn, 0x0e, 1), hdr);
        EXPECT_EQ(conf1_read(*m, devfn, 0x2c, 4), sub);
    }
    // Interrupt line is RW scratch for software (6.2.4).
    conf1_write(*m, kLpc, 0x3c, 0x0b, 1);
    EXPECT_EQ(conf1_read(*m, kLpc, 0x3c, 1), 0x0bu);
}

// ---- Header semantics, BARs and INTx on a bus of the test's own ----

TEST_F(PciBusTest, StatusErrorBitsAreWriteOneToClear) {
    // PCI 3.0 6.2.3: bits 15-11 and 8 of Status are RWC; bit 4 (capabilities list) and bit 3
    // (interrupt status) are RO.
    EXPECT_EQ(rd(kPciStatus, 2), 0xf910u);
    wr(kPciStatus, 0x0000, 2);
    EXPECT_EQ(rd(kPciStatus, 2), 0xf910u);
    wr(kPciStatus, 0x8100, 2);  // clear detected parity error and master data parity error
    EXPECT_EQ(rd(kPciStatus, 2), 0x7810u);
    // A driver's dword write of command | status << 16 clears what it writes back.
    wr(kPciCommand, 0x78100000u | kPciCmdMemory, 4);
    EXPECT_EQ(rd(kPciStatus, 2), 0x0010u);
    EXPECT_EQ(rd(kPciCommand, 2), kPciCmdMemory);
    // Interrupt status is RO (software cannot set it).
    wr(kPciStatus, kPciStatusIntx, 2);
    EXPECT_EQ(rd(kPciStatus, 2) & kPciStatusIntx, 0u);
}

TEST_F(PciBusTest, CommandKeepsOnlyImplementedBits) {
    // PCI 3.0 6.2.2: I/O, memory, bus master, SERR#, interrupt disable; the rest read 0 here.
    wr(kPciCommand, 0xffff, 2);
    EXPECT_EQ(rd(kPciCommand, 2), 0x0507u);
}

TEST_F(PciBusTest, BarSizingReturnsTheSizeMaskAndTypeBits) {
    // PCI 3.0 6.2.5.1: write all ones, read back; the low bits give the type.
    wr(kPciBar0, 0xffffffffu, 4);
    EXPECT_EQ(rd(kPciBar0, 4), 0xfffff000u);  // 4 KiB, 32-bit, non-prefetchable memory
    wr(kPciBar0 + 4, 0xffffffffu, 4);
    EXPECT_EQ(rd(kPciBar0 + 4, 4) & 0xffffu, 0xffe1u);  // 32 bytes of I/O, bit 0 = 1
    wr(kPciBar0 + 8, 0xffffffffu, 4);
    wr(kPciBar0 + 12, 0xffffffffu, 4);
    EXPECT_EQ(rd(kPciBar0 + 8, 4), 0xffff0004u);  // 64 KiB, type 10b = 64-bit
    EXPECT_EQ(rd(kPciBar0 + 12, 4), 0xffffffffu);
    // Unimplemented BARs read 0 (6.2.5.1: "hardwired to zero").
    wr(kPciBar0 + 16, 0xffffffffu, 4);
    EXPECT_EQ(rd(kPciBar0 + 16, 4), 0u);
    // Expansion ROM (6.2.5.2): address bits 31:11, enable bit 0, bits 10:1 read 0.
    wr(kPciRomAddress, 0xfffff800u, 4);
    EXPECT_EQ(rd(kPciRomAddress, 4), 0xffff0000u);
    wr(kPciRomAddress, 0xffffffffu, 4);
    EXPECT_EQ(rd(kPciRomAddress, 4), 0xffff0001u);
}

TEST_F(PciBusTest, BarsDecodeOnlyWithTheirCommandBit) {
    wr(kPciBar0, 0xe0001000u, 4);
    wr(kPciBar0 + 4, 0xc040u, 4);
    wr(kPciBar0 + 8, 0x00000000u, 4);
    wr(kPciBar0 + 12, 0x1u, 4);  // 64-bit BAR at 4 GiB
    EXPECT_EQ(m.phys_read(0xe0001004, 4), 0u);  // memory space off: nothing (unassigned)
    EXPECT_EQ(m.io_read(0xc044, 4), 0xffffffffu);
    // 6.2.2: Memory Space enables the memory BARs, I/O Space the I/O BARs.
    wr(kPciCommand, kPciCmdMemory, 2);
    EXPECT_EQ(m.phys_read(0xe0001004, 4), 0xa0000004u);
    EXPECT_EQ(m.phys_read(0x100000010, 4), 0xa0000010u);
    EXPECT_EQ(m.io_read(0xc044, 4), 0xffffffffu);
    wr(kPciCommand, kPciCmdMemory | kPciCmdIo, 2);
    EXPECT_EQ(m.io_read(0xc044, 4), 0xa0000004u);
    m.phys_write(0xe0001008, 0x1234, 4);
    EXPECT_EQ(dev.last_write, 0x0000000800001234ull);
    // Moving a BAR moves the decode.
    wr(kPciBar0, 0xe0002000u, 4);
    EXPECT_EQ(m.phys_read(0xe0001004, 4), 0u);
    EXPECT_EQ(m.phys_read(0xe0002004, 4), 0xa0000004u);
    // Address 0 means unassigned: not decoded.
    wr(kPciBar0, 0, 4);
    EXPECT_EQ(m.phys_read(0x4, 4), 0u);
    wr(kPciCommand, 0, 2);
    EXPECT_EQ(m.phys_read(0x100000010, 4), 0u);
    EXPECT_EQ(m.io_read(0xc044, 4), 0xffffffffu);
}

TEST_F(PciBusTest, BarBeingSizedIsNotDecoded) {
    // pci.cc bar_address(): "all-ones (sizing in progress) ... not decoded", as QEMU's
    // pci_bar_address() (a 32-bit BAR whose last byte is 0xffffffff is unmapped). A driver
    // that sizes with Memory Space on must not map the BAR over the reset vector page.
    wr(kPciCommand, kPciCmdMemory, 2);
    wr(kPciBar0, 0xffffffffu, 4);
    EXPECT_EQ(m.phys_read(0xfffff004, 4), 0u) << "BAR0 decoded at 0xfffff000 while being sized";
}

TEST_F(PciBusTest, ExpansionRomNeedsEnableBitAndMemorySpace) {
    // PCI 3.0 6.2.5.2: the ROM decodes when its address-decode enable (bit 0) and the command
    // register's Memory Space are both set.
    wr(kPciRomAddress, 0xfebe0000u, 4);
    wr(kPciCommand, kPciCmdMemory, 2);
    EXPECT_EQ(m.phys_read(0xfebe0000, 2), 0u);
    wr(kPciRomAddress, 0xfebe0001u, 4);
    EXPECT_EQ(m.phys_read(0xfebe0000, 2), 0xaa55u);
    m.phys_write(0xfebe0000, 0, 2);  // ROM: writes dropped
    EXPECT_EQ(m.phys_read(0xfebe0000, 2), 0xaa55u);
    wr(kPciCommand, 0, 2);
    EXPECT_EQ(m.phys_read(0xfebe0000, 2), 0u);
}

TEST_F(PciBusTest, IntxFollowsInterruptDisable) {
    // 6.2.3 status bit 3 shows the function's interrupt whatever the disable bit; 6.2.2 bit 10
    // stops the function driving INTx#.
    dev.set_irq(true);
    ASSERT_EQ(intx.size(), 1u);
    EXPECT_EQ(intx.back(), std::make_pair(1u, true));
    EXPECT_TRUE(rd(kPciStatus, 2) & kPciStatusIntx);
    wr(kPciCommand, kPciCmdIntxDisable, 2);
    EXPECT_EQ(intx.back(), std::make_pair(1u, false));
    EXPECT_TRUE(rd(kPciStatus, 2) & kPciStatusIntx);
    wr(kPciCommand, 0, 2);
    EXPECT_EQ(intx.back(), std::make_pair(1u, true));
    dev.set_irq(false);
    EXPECT_EQ(intx.back(), std::make_pair(1u, false));
    EXPECT_FALSE(rd(kPciStatus, 2) & kPciStatusIntx);
}

TEST_F(PciBusTest, ResetRestoresThePluggedState) {
    wr(kPciBar0, 0xe0001000u, 4);
    wr(kPciCommand, kPciCmdMemory, 2);
    wr(kPciInterruptLine, 0x0b, 1);
    ASSERT_EQ(m.phys_read(0xe0001000, 4), 0xa0000000u);
    dev.reset();  // PCI 3.0 6.2.2: command = 0 after RST#, so nothing decodes
    EXPECT_EQ(rd(kPciCommand, 2), 0u);
    EXPECT_EQ(rd(kPciBar0, 4), 0u);
    EXPECT_EQ(rd(kPciInterruptLine, 1), 0u);
    EXPECT_EQ(m.phys_read(0xe0001000, 4), 0u);
}

// ---- ECAM (PCIe 4.0 7.2.2) through the MCH's PCIEXBAR (316966 5.1.13) ----

TEST(PciEcam, MatchesMechanism1AfterPciexbarIsProgrammed) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    // PCIEXBAR resets disabled (bit 0 = 0): nothing at 0xb0000000 yet.
    EXPECT_EQ(conf1_read(*m, 0, 0x60, 4) & 1, 0u);
    EXPECT_NE(m->phys_read(0xb0000000, 4), 0x29c08086u);
    // SeaBIOS (FIRMWARE.md 3): PCIEXBAR <- 0xb0000001, 256 MiB (length 00b).
    conf1_write(*m, 0, 0x64, 0, 4);
    conf1_write(*m, 0, 0x60, 0xb0000001u, 4);
    EXPECT_EQ(conf1_read(*m, 0, 0x60, 4), 0xb0000001u);
    const u64 base = 0xb0000000;
    EXPECT_EQ(m->phys_read(ecam(base, 0, 0, 0), 4), 0x29c08086u);
    EXPECT_EQ(m->phys_read(ecam(base, 0, kLpc, 0), 4), 0x29188086u);
    // Every byte, word and dword of the 256-byte header of both functions, both ways.
    for (unsigned devfn : {0u, kLpc, 8u})
        for (unsigned size : {1u, 2u, 4u})
            for (unsigned reg = 0; reg < 256; reg += size)
                ASSERT_EQ(m->phys_read(ecam(base, 0, devfn, reg), size), conf1_read(*m, devfn, reg, size))
                    << "devfn " << devfn << " reg " << reg << " size " << size;
    // A write through ECAM is seen through mechanism #1 and the other way round.
    m->phys_write(ecam(base, 0, kLpc, 0x60), 0x0b0a0b0au, 4);
    EXPECT_EQ(conf1_read(*m, kLpc, 0x60, 4), 0x0b0a0b0au);
    conf1_write(*m, kLpc, 0x68, 0x0a, 1);
    EXPECT_EQ(m->phys_read(ecam(base, 0, kLpc, 0x68), 1), 0x0au);
    // Absent functions and other buses read all ones through ECAM too.
    EXPECT_EQ(m->phys_read(ecam(base, 0, 5 << 3, 0), 4), 0xffffffffu);
    EXPECT_EQ(m->phys_read(ecam(base, 1, 0, 0), 2), 0xffffu);
    EXPECT_EQ(m->phys_read(ecam(base, 255, 0xff, 0xffc), 4), 0xffffffffu);
}

TEST(PciEcam, ExtendedRegistersThroughEcam) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    conf1_write(*m, 0, 0x60, 0xb0000001u, 4);
    // PCIe 4.0 7.2.2: ECAM reaches the 4 KiB space; 7.6.3 an extended capability header of 0
    // at 100h means "no extended capabilities". The MCH and LPC have none.
    for (unsigned devfn : {0u, kLpc}) {
        for (unsigned reg = 0x100; reg < 0x1000; reg += 4) {
            ASSERT_EQ(m->phys_read(ecam(0xb0000000, 0, devfn, reg), 4), 0u) << reg;
        }
        m->phys_write(ecam(0xb0000000, 0, devfn, 0x100), 0xffffffffu, 4);
        EXPECT_EQ(m->phys_read(ecam(0xb0000000, 0, devfn, 0x100), 4), 0u);
    }
    // Offsets above 0xff must not alias the 256-byte header.
    EXPECT_EQ(m->phys_read(ecam(0xb0000000, 0, 0, 0x100), 4), 0u);
    // Vireo's mechanism #1 extension (CONFIG_ADDRESS bits 27:24 = register bits 11:8) sees the
    // same extended space.
    EXPECT_EQ(conf1_read(*m, 0, 0x100, 4), m->phys_read(ecam(0xb0000000, 0, 0, 0x100), 4));
}

TEST(PciEcam, LengthFieldSizesTheWindow) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    const std::vector<u8> bios = bios_image();
    ASSERT_EQ(bios.size(), 256u * 1024);
    const u32 reset_vector = bios[bios.size() - 16] | bios[bios.size() - 15] << 8 | bios[bios.size() - 14] << 16 |
                             static_cast<u32>(bios[bios.size() - 13]) << 24;
    ASSERT_EQ(m->phys_read(0xfffffff0, 4), reset_vector);
    // The ECAM window sits above the BIOS ROM in the PCI address space, so whether it covers
    // 0xfffffff0 shows its size. 316966 5.1.13 LENGTH: 00b 256 MiB, 01b 128 MiB, 10b 64 MiB.
    struct Case {
        u32 bar;
        bool covers_top;
    } cases[] = {
        {0xf0000001u, true},   // 256 MiB at 0xf0000000: up to 4 GiB
        {0xf0000003u, false},  // 128 MiB at 0xf0000000: ends at 0xf8000000
        {0xf8000003u, true},   // 128 MiB at 0xf8000000
        {0xf8000005u, false},  // 64 MiB at 0xf8000000: ends at 0xfc000000
        {0xfc000005u, true},   // 64 MiB at 0xfc000000
        {0xfc000007u, false},  // 11b is reserved: not decoded
    };
    for (const Case& c : cases) {
        conf1_write(*m, 0, 0x60, c.bar, 4);
        const u64 base = c.bar & 0xfc000000u;
        if ((c.bar & 6) != 6) EXPECT_EQ(m->phys_read(base, 4), 0x29c08086u) << std::hex << c.bar;
        if (c.covers_top) EXPECT_EQ(m->phys_read(0xfffffff0, 4), 0xffffffffu) << std::hex << c.bar;
        else EXPECT_EQ(m->phys_read(0xfffffff0, 4), reset_vector) << std::hex << c.bar;
    }
    // With 128 MiB the bus number is address bits 26:20 (buses 0-127), with 64 MiB 25:20.
    conf1_write(*m, 0, 0x60, 0xf0000003u, 4);
    EXPECT_EQ(m->phys_read(0xf0000000 + (1ull << 20), 4), 0xffffffffu);  // bus 1, absent
    conf1_write(*m, 0, 0x60, 0xb0000001u, 4);  // back where SeaBIOS puts it
    EXPECT_EQ(m->phys_read(0xfffffff0, 4), reset_vector);
}

TEST(PciEcam, ClearingTheEnableBitUnmapsIt) {
    VmConfig cfg;
    auto m = make_q35(cfg);
    conf1_write(*m, 0, 0x60, 0xb0000001u, 4);
    ASSERT_EQ(m->phys_read(0xb0000000, 4), 0x29c08086u);
    // 316966 5.1.13 PCIEXBAREN: 0 = the PCIEXBAR range is not decoded.
    m->phys_write(0xb0000060, 0xb0000000u, 4);  // through ECAM itself, as a driver might
    EXPECT_EQ(conf1_read(*m, 0, 0x60, 4), 0xb0000000u);
    EXPECT_NE(m->phys_read(0xb0000000, 4), 0x29c08086u);
    EXPECT_NE(m->phys_read(0xb00f8000, 4), 0x29188086u);
    // Re-enabling at another base moves the window.
    conf1_write(*m, 0, 0x60, 0xe0000001u, 4);
    EXPECT_EQ(m->phys_read(0xe0000000, 4), 0x29c08086u);
    EXPECT_NE(m->phys_read(0xb0000000, 4), 0x29c08086u);
}
