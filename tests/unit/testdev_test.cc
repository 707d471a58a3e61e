// QEMU's test devices as kvm-unit-tests use them (hw/misc/pc_testdev.*, pci_testdev.*), on a
// q35 machine built with -device, through port I/O, MMIO and PCI configuration space.
// The reference is QEMU's behaviour (hw/misc/pc-testdev.c, pci-testdev.c) and kvm-unit-tests'
// lib/x86 usage: 0xe0 scratch, 0xe8 byte-wise scratch, 0x2000+n IRQ lines, 0xff000000 memory;
// pci-testdev 1b36:0005 with a header per test and a counting register.
#include <gtest/gtest.h>

#include "hw/boards.h"
#include "tests/support/q35_machine.h"
#include "hw/intc/i8259.h"
#include "softmmu/machine.h"

using namespace vireo;
using test::config;

namespace {


u32 cfg_read(Machine& m, unsigned devfn, unsigned off, unsigned size) { return test::conf1_read(m, devfn, off, size); }
void cfg_write(Machine& m, unsigned devfn, unsigned off, u32 v, unsigned size) {
    test::conf1_write(m, devfn, off, v, size);
}

}  // namespace

TEST(PcTestdev, ScratchPortsIrqLinesAndMemory) {
    VmConfig cfg = config({"-nodefaults", "-device", "pc-testdev"});
    auto m = create_q35(cfg);
    // 0xe0: a 32-bit register reachable with any access size at its byte offset.
    m->io_write(0xe0, 0x12345678, 4);
    EXPECT_EQ(m->io_read(0xe0, 4), 0x12345678u);
    EXPECT_EQ(m->io_read(0xe2, 2), 0x1234u);
    m->io_write(0xe1, 0xab, 1);
    EXPECT_EQ(m->io_read(0xe0, 4), 0x1234ab78u);
    // 0xe8: the same register, accessed a byte at a time whatever the width.
    EXPECT_EQ(m->io_read(0xe8, 4), 0x1234ab78u);
    m->io_write(0xe8, 0xdeadbeef, 4);
    EXPECT_EQ(m->io_read(0xe0, 4), 0xdeadbeefu);
    // 0x2000 + n: ISA IRQ n's level; IRQ 3 (unmasked on the master 8259) raises INTR.
    I8259* pic = nullptr;
    for (auto& d : m->devices())
        if (auto* p = dynamic_cast<I8259*>(d.get())) pic = p;
    ASSERT_NE(pic, nullptr);
    for (u8 v : {0x11, 0x08, 0x04, 0x01}) m->io_write(0x20 + (v == 0x11 ? 0 : 1), v, 1);  // ICW1-4
    m->io_write(0x21, 0xf7, 1);  // OCW1: only IR3 unmasked
    EXPECT_FALSE(pic->intr_level());
    m->io_write(0x2003, 1, 1);
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x08 + 3);
    m->io_write(0x2003, 0, 1);
    // 64 KiB of scratch memory at 0xff000000.
    m->phys_write(0xff000010, 0x1122334455667788ull, 8);
    EXPECT_EQ(m->phys_read(0xff000010, 8), 0x1122334455667788ull);
    EXPECT_EQ(m->phys_read(0xff000014, 2), 0x3344u);
}

TEST(PciTestdev, HeadersAndCountingRegisters) {
    VmConfig cfg = config({"-nodefaults", "-device", "pci-testdev,addr=5"});
    auto m = create_q35(cfg);
    const unsigned devfn = 5 << 3;
    EXPECT_EQ(cfg_read(*m, devfn, 0x00, 4), 0x00051b36u);  // 1b36:0005
    EXPECT_EQ(cfg_read(*m, devfn, 0x0a, 2), 0x00ffu);      // class 00h, sub-class ffh
    // BAR sizes (PCI 3.0 6.2.5.1): BAR0 4 KiB memory, BAR1 256 bytes I/O.
    cfg_write(*m, devfn, 0x10, 0xffffffff, 4);
    EXPECT_EQ(cfg_read(*m, devfn, 0x10, 4), 0xfffff000u);
    cfg_write(*m, devfn, 0x14, 0xffffffff, 4);
    EXPECT_EQ(cfg_read(*m, devfn, 0x14, 4), 0xffffff01u);
    cfg_write(*m, devfn, 0x10, 0xfe000000, 4);
    cfg_write(*m, devfn, 0x14, 0xc000, 4);
    cfg_write(*m, devfn, 0x04, 0x3, 2);  // I/O and memory decoding on

    // MMIO tests: select 2 ("datamatch"), read its header, hit its register.
    m->phys_write(0xfe000000, 2, 1);
    EXPECT_EQ(m->phys_read(0xfe000000, 1), 2u);          // test
    EXPECT_EQ(m->phys_read(0xfe000001, 1), 1u);          // width
    const u64 off = m->phys_read(0xfe000004, 1) | m->phys_read(0xfe000005, 1) << 8;
    EXPECT_EQ(off, 2048u + 2);                            // IOTEST_MEMSIZE + test index
    EXPECT_EQ(m->phys_read(0xfe000008, 1), 0xfau);       // the data to match
    std::string name;
    for (u64 a = 0xfe000010; m->phys_read(a, 1); a++) name += static_cast<char>(m->phys_read(a, 1));
    EXPECT_EQ(name, "mmio-datamatch-eventfd");
    m->phys_write(0xfe000000 + off, 0xfa, 1);  // counts
    m->phys_write(0xfe000000 + off, 0x11, 1);  // wrong data: does not
    m->phys_write(0xfe000000 + off, 0xfa, 1);
    EXPECT_EQ(m->phys_read(0xfe00000c, 1), 2u);           // count
    // Port I/O tests: select 1 ("wildcard"): any data counts.
    m->io_write(0xc000, 1, 1);
    name.clear();
    for (u16 p = 0xc010; m->io_read(p, 1); p++) name += static_cast<char>(m->io_read(p, 1));
    EXPECT_EQ(name, "portio-wildcard-eventfd");
    const u16 port = static_cast<u16>(0xc000 + m->io_read(0xc004, 1));
    EXPECT_EQ(port, 0xc000 + 128 + 4);  // IOTEST_IOSIZE + 3 + 1
    m->io_write(port, 0x00, 1);
    m->io_write(port, 0x55, 1);
    EXPECT_EQ(m->io_read(0xc00c, 1), 2u);
    // A number past the tests deselects: reads give 0.
    m->io_write(0xc000, 9, 1);
    EXPECT_EQ(m->io_read(0xc010, 1), 0u);
}

TEST(PciTestdev, AddrInUseIsOneClearError) {
    VmConfig cfg = config({"-nodefaults", "-device", "pci-testdev,addr=1f"});
    EXPECT_THROW(create_q35(cfg), OptionError);  // 00:1f.0 is the LPC bridge
}
