// Bad input from the guest: random port I/O on every device of the mini board (PIC pair, PIT
// and port 0x61, UART, unassigned ports) never crashes the host, and the devices keep
// answering afterwards (a smaller cousin of issue 5's device fuzz test).
#include <gtest/gtest.h>

#include "hw/boards.h"

using namespace vireo;

TEST(PioFuzz, RandomPortIoNeverCrashesTheHost) {
    VmConfig cfg;
    cfg.nodefaults = true;
    cfg.serials = {"null"};
    std::unique_ptr<Machine> m = create_mini(cfg);
    static constexpr u16 kPorts[] = {0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x41, 0x42, 0x43, 0x61,
                                     0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff, 0x80, 0xcf8};
    u64 seed = 0x2545F4914F6CDD1Dull;
    auto rnd = [&] {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        return seed;
    };
    for (int i = 0; i < 200000; i++) {
        const u64 r = rnd();
        const u16 port = (r & 3) ? kPorts[(r >> 8) % std::size(kPorts)] : static_cast<u16>(r >> 16);
        const unsigned size = 1u << ((r >> 40) % 3);
        if ((r >> 44) & 1) m->io_write(port, static_cast<u32>(r >> 32), size);
        else (void)m->io_read(port, size);
        if ((i & 1023) == 0) (void)m->irq_ack();  // INTA cycles in between, as a CPU would
    }
    // Still alive and answering: re-initialise the master PIC and read its IMR back
    // (8259A datasheet: OCW1 reads back through the data port).
    m->io_write(0x20, 0x11, 1);
    m->io_write(0x21, 0x20, 1);
    m->io_write(0x21, 0x04, 1);
    m->io_write(0x21, 0x01, 1);
    m->io_write(0x21, 0xa5, 1);
    EXPECT_EQ(m->io_read(0x21, 1), 0xa5u);
    // Unassigned ports read all-ones.
    EXPECT_EQ(m->io_read(0x2e0, 1), 0xffu);
}
