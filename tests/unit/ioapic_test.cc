// I/O APIC (hw/intc/ioapic.h) driven through its MMIO window at 0xfec00000 the way Linux
// (arch/x86/kernel/apic/io_apic.c) programs it, delivering to local APICs on an ApicBus.
// Expectations cite the Intel 82093AA datasheet (290566) by section, and the SDM Vol. 3A
// chapter 10 for the local APIC side.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "frontend-x86/cpu_state.h"
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

constexpr u64 kBase = 0xfec00000;
constexpr u32 kMasked = 0x10000, kLevel = 0x8000, kLow = 0x2000, kRemoteIrr = 0x4000, kLogical = 0x800;

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

class IoApicTest : public ::testing::Test {
protected:
    IoApicTest() : m(small_cfg()) {
        for (unsigned i = 0; i < 2; i++) {
            apics.push_back(std::make_unique<Apic>(i, clk.source(), bus));
            Apic* a = apics.back().get();
            a->cpu_signal = [this, i](u32 bits, bool set) { signals[i] = set ? signals[i] | bits : signals[i] & ~bits; };
            bus.add(a);
            a->reset();
            a->mmio_write(0xf0, 0x1ff);  // SVR: software-enabled
        }
        io = static_cast<IoApic*>(m.add_device(std::make_unique<IoApic>(bus)));
        io->realize(m);
    }
    u32 rd(u8 index) {
        m.memory().write(kBase, index, 4);  // IOREGSEL
        return static_cast<u32>(m.memory().read(kBase + 0x10, 4));  // IOWIN
    }
    void wr(u8 index, u32 v) {
        m.memory().write(kBase, index, 4);
        m.memory().write(kBase + 0x10, v, 4);
    }
    void route(unsigned pin, u32 lo, u8 dest = 0) {
        wr(0x11 + 2 * pin, static_cast<u32>(dest) << 24);
        wr(0x10 + 2 * pin, lo);
    }
    u32 entry_lo(unsigned pin) { return rd(0x10 + 2 * pin); }
    Apic& apic(unsigned i = 0) { return *apics[i]; }
    void local_eoi(unsigned i = 0) { apic(i).mmio_write(0xb0, 0); }

    ManualClock clk;
    Machine m;
    ApicBus bus;
    std::vector<std::unique_ptr<Apic>> apics;
    u32 signals[2] = {};
    IoApic* io;
};

TEST_F(IoApicTest, RegisterSelectAndWindow) {
    // 3.1: IOREGSEL (0x00) selects, IOWIN (0x10) reads/writes the selected register.
    m.memory().write(kBase, 0x01, 4);
    EXPECT_EQ(m.memory().read(kBase, 4), 0x01u);
    // 3.2.2: version 0x20 in 7:0, maximum redirection entry (23) in 23:16.
    EXPECT_EQ(m.memory().read(kBase + 0x10, 4), 0x00170020u);
    // Narrow reads see the bytes of the dword.
    EXPECT_EQ(m.memory().read(kBase + 0x12, 1), 0x17u);
    // Unimplemented indices read 0.
    EXPECT_EQ(rd(0x05), 0u);
    EXPECT_EQ(rd(0x40), 0u);
}

TEST_F(IoApicTest, IdVersionArbitration) {
    EXPECT_EQ(rd(0x00), 0u);
    // 3.2.1: the ID is in bits 27:24; 3.2.3: the arbitration ID follows it.
    wr(0x00, 0xff000000);
    EXPECT_EQ(rd(0x00), 0x0f000000u);
    EXPECT_EQ(rd(0x02), 0x0f000000u);
    // 3.2.2, 3.2.3: version and arbitration are read-only.
    wr(0x01, 0);
    EXPECT_EQ(rd(0x01), 0x00170020u);
    wr(0x02, 0);
    EXPECT_EQ(rd(0x02), 0x0f000000u);
}

TEST_F(IoApicTest, RedirectionEntriesAndReadOnlyBits) {
    // 3.2.4: every entry comes up masked.
    for (unsigned pin = 0; pin < IoApic::kPins; pin++) {
        EXPECT_EQ(entry_lo(pin), kMasked);
        EXPECT_EQ(rd(0x11 + 2 * pin), 0u);
    }
    // Delivery status (12) and remote IRR (14) are read-only; bits 17-31 and 32-55 reserved.
    wr(0x10 + 2 * 5, 0xffffffff);
    EXPECT_EQ(entry_lo(5), 0x1afffu);
    wr(0x11 + 2 * 5, 0xffffffff);
    EXPECT_EQ(rd(0x11 + 2 * 5), 0xff000000u);
    EXPECT_EQ(io->redirection(5), 0xff000000'0001afffull);
    // The two halves are independent.
    wr(0x10 + 2 * 5, kMasked | 0x33);
    EXPECT_EQ(rd(0x11 + 2 * 5), 0xff000000u);
    EXPECT_EQ(entry_lo(5), kMasked | 0x33);
}

TEST_F(IoApicTest, EdgeDelivery) {
    route(1, 0x31);  // fixed, physical, edge, active high, unmasked, to APIC 0
    IrqLine line = io->input(1);
    line.raise();
    // 3.2.4 trigger mode 0: the rising edge sends one message; SDM 10.8.4: into IRR, TMR clear.
    EXPECT_EQ(apic().pending_vector(), 0x31);
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    EXPECT_EQ(apic().acknowledge(), 0x31);
    local_eoi();
    line.raise();  // no new edge while held high
    EXPECT_EQ(apic().pending_vector(), -1);
    line.lower();
    line.raise();
    EXPECT_EQ(apic().acknowledge(), 0x31);
    local_eoi();
    // Edge-triggered: no remote IRR, and no EOI bookkeeping.
    EXPECT_EQ(entry_lo(1), 0x31u);
    // 3.2.4 bit 16: edges on a masked pin are lost.
    line.lower();
    route(1, kMasked | 0x31);
    line.raise();
    route(1, 0x31);
    EXPECT_EQ(apic().pending_vector(), -1);
    // Destination: APIC 1 only.
    line.lower();
    route(1, 0x32, 1);
    line.raise();
    EXPECT_EQ(apic(0).pending_vector(), -1);
    EXPECT_EQ(apic(1).pending_vector(), 0x32);
}

TEST_F(IoApicTest, LevelDeliveryRemoteIrrAndBusEoi) {
    route(10, kLevel | 0x40);
    io->set_irq(10, true);
    // 3.2.4 bit 14: remote IRR set when the level interrupt is accepted.
    EXPECT_TRUE(entry_lo(10) & kRemoteIrr);
    EXPECT_EQ(apic().acknowledge(), 0x40);
    // No second message while remote IRR is set, even on a new assertion.
    io->set_irq(10, false);
    io->set_irq(10, true);
    EXPECT_EQ(apic().pending_vector(), -1);
    // The local APIC's EOI of a level vector (SDM 10.8.5) clears remote IRR; still asserted:
    // the IO APIC sends again.
    local_eoi();
    EXPECT_TRUE(entry_lo(10) & kRemoteIrr);
    EXPECT_EQ(apic().acknowledge(), 0x40);
    io->set_irq(10, false);
    local_eoi();
    EXPECT_FALSE(entry_lo(10) & kRemoteIrr);
    EXPECT_EQ(apic().pending_vector(), -1);
}

TEST_F(IoApicTest, EoiRegisterClearsRemoteIrr) {
    route(11, kLevel | 0x41);
    io->set_irq(11, true);
    EXPECT_TRUE(entry_lo(11) & kRemoteIrr);
    // A different vector leaves it alone.
    m.memory().write(kBase + 0x40, 0x42, 4);
    EXPECT_TRUE(entry_lo(11) & kRemoteIrr);
    io->set_irq(11, false);
    // EOI register (IOAPIC version 0x20): write the vector to clear remote IRR.
    m.memory().write(kBase + 0x40, 0x41, 4);
    EXPECT_FALSE(entry_lo(11) & kRemoteIrr);
}

TEST_F(IoApicTest, UnmaskingAssertedLevelPinDelivers) {
    route(9, kMasked | kLevel | 0x49);
    io->set_irq(9, true);
    EXPECT_EQ(apic().pending_vector(), -1);
    EXPECT_FALSE(entry_lo(9) & kRemoteIrr);
    // 3.2.4 bit 16: a masked level interrupt is held by the line, and sent on unmask.
    route(9, kLevel | 0x49);
    EXPECT_EQ(apic().pending_vector(), 0x49);
    EXPECT_TRUE(entry_lo(9) & kRemoteIrr);
    // Re-writing the entry does not clear remote IRR (read-only) nor send again.
    EXPECT_EQ(apic().acknowledge(), 0x49);
    route(9, kLevel | 0x49);
    EXPECT_TRUE(entry_lo(9) & kRemoteIrr);
    EXPECT_EQ(apic().pending_vector(), -1);
}

TEST_F(IoApicTest, PolarityActiveLow) {
    // 3.2.4 bit 13: polarity 1 = active low (PCI INTx lines in Linux's MP table / ACPI setup).
    io->set_irq(16, true);  // deasserted for an active-low line
    route(16, kLevel | kLow | 0x51);
    EXPECT_EQ(apic().pending_vector(), -1);
    io->set_irq(16, false);  // asserted
    EXPECT_EQ(apic().acknowledge(), 0x51);
    io->set_irq(16, true);
    local_eoi();
    EXPECT_FALSE(entry_lo(16) & kRemoteIrr);
    EXPECT_EQ(apic().pending_vector(), -1);
    // Edge, active low: the falling electrical edge is the interrupt.
    route(17, kLow | 0x52);
    io->set_irq(17, true);
    EXPECT_EQ(apic().pending_vector(), -1);
    io->set_irq(17, false);
    EXPECT_EQ(apic().pending_vector(), 0x52);
}

TEST_F(IoApicTest, LogicalBroadcastAndNmi) {
    apic(0).mmio_write(0xd0, 0x01000000);  // flat logical IDs 1, 2
    apic(1).mmio_write(0xd0, 0x02000000);
    route(3, kLogical | 0x61, 0x02);
    io->input(3).pulse();
    EXPECT_EQ(apic(0).pending_vector(), -1);
    EXPECT_EQ(apic(1).pending_vector(), 0x61);
    // Physical broadcast 0xff (SDM 10.6.2.1).
    route(4, 0x62, 0xff);
    io->input(4).pulse();
    EXPECT_EQ(apic(0).pending_vector(), 0x62);
    EXPECT_EQ(apic(1).pending_vector(), 0x62);
    // Lowest priority to both: one of them (SDM 10.6.2.4).
    apic(0).mmio_write(0x80, 0x70);
    route(6, kLogical | 0x100 | 0x63, 0x03);
    io->input(6).pulse();
    EXPECT_FALSE(apic(0).mmio_read(0x230) & 0x8);  // IRR bit 0x63
    EXPECT_TRUE(apic(1).mmio_read(0x230) & 0x8);
    // Delivery mode NMI (3.2.4 bits 10:8 = 100).
    route(5, 0x400, 0);
    io->input(5).pulse();
    EXPECT_TRUE(signals[0] & x86::IRQ_NMI);
    EXPECT_FALSE(signals[1] & x86::IRQ_NMI);
}

TEST_F(IoApicTest, ExtIntModeAsksThe8259) {
    // 3.2.4 delivery mode 111 (ExtINT): the local APIC gets the vector from the 8259's INTA
    // (Linux check_timer's "through 8259A" route).
    route(0, 0x700, 0);
    io->input(0).raise();
    EXPECT_TRUE(apic(0).has_extint());
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    EXPECT_EQ(apic(0).acknowledge(), Apic::kExtInt);
    EXPECT_FALSE(apic(0).has_extint());
}

TEST_F(IoApicTest, EndToEndLevelInterrupt) {
    // Linux's pattern for a level-triggered PCI interrupt: IO APIC -> bus -> local APIC ->
    // INTA -> handler -> device deasserts -> EOI -> bus EOI -> remote IRR cleared.
    route(20, kLevel | kLow | 0xa0, 1);
    io->set_irq(20, true);   // idle (active low)
    io->set_irq(20, false);  // device asserts
    EXPECT_TRUE(signals[1] & x86::IRQ_HARD);
    EXPECT_TRUE(apic(1).mmio_read(0x180 + 0x50) & 1);  // TMR bit 0xa0 (SDM 10.8.4)
    EXPECT_EQ(apic(1).acknowledge(), 0xa0);
    EXPECT_FALSE(signals[1] & x86::IRQ_HARD);
    EXPECT_TRUE(entry_lo(20) & kRemoteIrr);
    io->set_irq(20, true);  // the handler quiets the device
    local_eoi(1);
    EXPECT_FALSE(entry_lo(20) & kRemoteIrr);
    EXPECT_EQ(apic(1).mmio_read(0x100 + 0x50), 0u);  // ISR empty
    // The next assertion is delivered again.
    io->set_irq(20, false);
    EXPECT_EQ(apic(1).pending_vector(), 0xa0);
}

TEST_F(IoApicTest, SaveRestore) {
    wr(0x00, 0x03000000);
    route(10, kLevel | 0x40);
    io->set_irq(10, true);
    m.memory().write(kBase, 0x21, 4);
    StateWriter w;
    io->describe_state(w);
    ApicBus bus2;
    IoApic copy(bus2);
    StateReader r(w.buf);
    copy.describe_state(r);
    EXPECT_TRUE(r.consumed());
    EXPECT_EQ(copy.read(0x00), 0x21u);
    copy.write(0x00, 0x00);
    EXPECT_EQ(copy.read(0x10), 0x03000000u);
    EXPECT_EQ(copy.redirection(10), io->redirection(10));
    EXPECT_TRUE(copy.redirection(10) & kRemoteIrr);
    // The copy keeps the pin level: its EOI re-sends on its own bus.
    Apic a(0, clk.source(), bus2);
    bus2.add(&a);
    a.mmio_write(0xf0, 0x1ff);
    copy.eoi(0x40);
    EXPECT_EQ(a.pending_vector(), 0x40);
}

}  // namespace
