// The Machine object (softmmu/machine.h): no globals, so two live in one process; APs park.
#include <gtest/gtest.h>

#include "softmmu/machine.h"

using namespace vireo;

TEST(MachineObject, ApplicationProcessorsWaitForSipi) {
    VmConfig cfg;
    Machine m(cfg);
    x86::CpuState& bsp = m.add_cpu({});
    x86::CpuState& ap = m.add_cpu({});
    EXPECT_FALSE(bsp.halted);
    EXPECT_TRUE(ap.halted);  // SDM Vol. 3A 10.4: an AP after RESET waits for SIPI
    EXPECT_TRUE(ap.wait_for_sipi);
    ap.interrupt_request.fetch_or(x86::IRQ_HARD);  // an interrupt does not wake it
    EXPECT_EQ(m.cpus()[1].engine->run(1000), jit::RunExit::Halted);
    EXPECT_TRUE(ap.halted);
    m.reset_cpu(ap);
    EXPECT_TRUE(ap.wait_for_sipi);
}

TEST(MachineObject, TwoMachinesInOneProcessKeepTheirOwnRam) {
    VmConfig cfg;
    cfg.ram_size = 1 << 20;
    Machine a(cfg), b(cfg);
    a.phys_write(0x1000, 0x11, 1);
    b.phys_write(0x1000, 0x22, 1);
    EXPECT_EQ(a.phys_read(0x1000, 1), 0x11u);
    EXPECT_EQ(b.phys_read(0x1000, 1), 0x22u);
}
