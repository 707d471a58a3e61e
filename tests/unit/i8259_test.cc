// 8259A PIC pair (hw/intc/i8259.h), driven through the I/O ports the way SeaBIOS
// (src/hw/pic.c) and Linux (arch/x86/kernel/i8259.c) program it. Expectations cite the Intel
// 8259A datasheet (231468) by section name; ELCR cites the ICH9 datasheet.
#include <gtest/gtest.h>

#include <cstring>

#include "hw/intc/i8259.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

using SaveState = StateWriter;
using LoadState = StateReader;

class Pic : public ::testing::Test {
protected:
    Pic() : m(cfg()) {
        pic = static_cast<I8259*>(m.add_device(std::make_unique<I8259>()));
        pic->intr.handler = [this](bool level) { intr_changes.push_back(level); };
        pic->realize(m);
    }
    static const VmConfig& cfg() {
        static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
        return c;
    }
    void outb(u16 port, u8 v) { m.io().write(port, v, 1); }
    u8 inb(u16 port) { return static_cast<u8>(m.io().read(port, 1)); }
    // SeaBIOS __pic_reset(0x08, 0x70): ICW1 edge+ICW4, ICW2 base, ICW3 cascade on IR2 / ID 2,
    // ICW4 8086 mode; then everything unmasked for the test.
    void init(u8 master_icw4 = 0x01) {
        outb(0x20, 0x11); outb(0xa0, 0x11);
        outb(0x21, 0x08); outb(0xa1, 0x70);
        outb(0x21, 0x04); outb(0xa1, 0x02);
        outb(0x21, master_icw4); outb(0xa1, 0x01);
        outb(0x21, 0x00); outb(0xa1, 0x00);
    }
    u8 read_isr(u16 base) { outb(base, 0x0b); return inb(base); }  // OCW3 RR=1 RIS=1
    u8 read_irr(u16 base) { outb(base, 0x0a); return inb(base); }  // OCW3 RR=1 RIS=0
    void edge(unsigned irq) { pic->set_irq(irq, true); pic->set_irq(irq, false); }

    Machine m;
    I8259* pic;
    std::vector<bool> intr_changes;
};

TEST_F(Pic, InitSequenceThenIrqRaisesIntrAndInta) {
    init();
    EXPECT_FALSE(pic->intr_level());
    IrqLine kbd = pic->input(1);
    kbd.pulse();
    // "Interrupt Sequence": an unmasked IR sets IRR and raises INT.
    EXPECT_TRUE(pic->intr_level());
    ASSERT_FALSE(intr_changes.empty());
    EXPECT_TRUE(intr_changes.back());
    EXPECT_EQ(read_irr(0x20), 0x02);
    // The vector is ICW2 T7-T3 plus the IR number; INTA sets ISR and clears the edge request.
    EXPECT_EQ(pic->acknowledge(), 0x09);
    EXPECT_FALSE(pic->intr_level());
    EXPECT_EQ(read_isr(0x20), 0x02);
    EXPECT_EQ(read_irr(0x20), 0x00);
    outb(0x20, 0x20);  // OCW2 non-specific EOI
    EXPECT_EQ(read_isr(0x20), 0x00);
}

TEST_F(Pic, MaskedIrqStaysInIrrUntilUnmasked) {
    init();
    outb(0x21, 0x02);  // OCW1: mask IR1
    EXPECT_EQ(inb(0x21), 0x02);  // "Reading the 8259A Status": A0=1 reads the IMR
    edge(1);
    EXPECT_FALSE(pic->intr_level());
    EXPECT_EQ(read_irr(0x20), 0x02);  // IRR latches masked requests
    outb(0x21, 0x00);
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x09);
}

TEST_F(Pic, FullyNestedPriorityAndNonSpecificEoi) {
    init();
    edge(3);
    edge(1);
    // "Fully Nested Mode": IR0 highest, IR7 lowest.
    EXPECT_EQ(pic->acknowledge(), 0x09);
    EXPECT_TRUE(pic->intr_level() == false);  // IR3 is blocked by IR1 in service
    edge(0);                                  // a higher priority interrupts the service routine
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x08);
    EXPECT_EQ(read_isr(0x20), 0x03);
    outb(0x20, 0x20);  // "End of Interrupt": non-specific EOI resets the highest ISR bit (IR0)
    EXPECT_EQ(read_isr(0x20), 0x02);
    EXPECT_FALSE(pic->intr_level());
    outb(0x20, 0x20);
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x0b);
}

TEST_F(Pic, SpecificEoiClearsTheNamedLevel) {
    init();
    edge(1);
    EXPECT_EQ(pic->acknowledge(), 0x09);
    edge(0);
    EXPECT_EQ(pic->acknowledge(), 0x08);
    outb(0x20, 0x61);  // OCW2 SL=1 EOI=1 L=1: specific EOI for IR1
    EXPECT_EQ(read_isr(0x20), 0x01);
}

TEST_F(Pic, CascadeDeliversSlaveIrqsThroughIr2) {
    init();
    IrqLine rtc = pic->input(8), nic = pic->input(10);
    nic.pulse();
    // "Cascade Mode": the slave's INT drives master IR2, the slave supplies the vector.
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x72);
    EXPECT_EQ(read_isr(0x20), 0x04);
    EXPECT_EQ(read_isr(0xa0), 0x04);
    rtc.pulse();  // IR8 is higher than IR10 on the slave but master IR2 is still in service
    EXPECT_FALSE(pic->intr_level());
    outb(0xa0, 0x20);  // EOI to the slave, then the master (Linux mask_and_ack_8259A)
    outb(0x20, 0x20);
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x70);
    // Masking IR2 on the master masks the whole slave.
    outb(0xa0, 0x20); outb(0x20, 0x20);
    outb(0x21, 0x04);
    edge(15);
    EXPECT_FALSE(pic->intr_level());
    outb(0x21, 0x00);
    EXPECT_EQ(pic->acknowledge(), 0x77);
}

TEST_F(Pic, ElcrLevelModeReassertsUntilTheLineDrops) {
    init();
    // SeaBIOS (FIRMWARE.md 3) writes ELCR 0x00/0x0c: IRQ10 and 11 level-triggered.
    outb(0x4d0, 0x00);
    outb(0x4d1, 0x0c);
    EXPECT_EQ(inb(0x4d1), 0x0c);
    outb(0x4d0, 0xff);
    EXPECT_EQ(inb(0x4d0), 0xf8);  // ICH9 ELCR1: IRQ0-2 are edge-only (reserved bits)
    outb(0x4d0, 0x00);
    outb(0xa1, 0x00);
    pic->set_irq(11, true);
    EXPECT_EQ(pic->acknowledge(), 0x73);
    outb(0xa0, 0x20); outb(0x20, 0x20);
    // "Edge and Level Triggered Modes": a level request stays while the input is high.
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x73);
    pic->set_irq(11, false);
    outb(0xa0, 0x20); outb(0x20, 0x20);
    EXPECT_FALSE(pic->intr_level());
    // An edge input held high requests once only.
    pic->set_irq(4, true);
    EXPECT_EQ(pic->acknowledge(), 0x0c);
    outb(0x20, 0x20);
    EXPECT_FALSE(pic->intr_level());
}

TEST_F(Pic, RequestGoneBeforeIntaIsSpuriousIrq7) {
    init();
    outb(0x4d0, 0x20);  // IRQ5 level-triggered
    pic->set_irq(5, true);
    EXPECT_TRUE(pic->intr_level());
    pic->set_irq(5, false);  // the device drops the request before the CPU's INTA
    // "Interrupt Sequence": with no request left at INTA the 8259A answers with IR7, and no ISR
    // bit is set (so the handler must not send an EOI).
    EXPECT_EQ(pic->acknowledge(), 0x0f);
    EXPECT_EQ(read_isr(0x20), 0x00);
}

TEST_F(Pic, PollCommandActsAsInta) {
    init();
    outb(0x21, 0xff);  // polled mode works with the INT output masked off
    outb(0x21, 0x00);
    edge(3);
    outb(0x20, 0x0c);  // OCW3 P=1
    // "The Poll Command": bit 7 = request, bits 2-0 = highest-priority IR; the read is the INTA.
    EXPECT_EQ(inb(0x20), 0x83);
    EXPECT_EQ(read_isr(0x20), 0x08);
    outb(0x20, 0x20);
    outb(0x20, 0x0c);
    EXPECT_EQ(inb(0x20), 0x00);
    // After the poll read, A0=0 reads return to the OCW3-selected register.
    EXPECT_EQ(inb(0x20), 0x00);
}

TEST_F(Pic, AutoEoiLeavesIsrClear) {
    init(0x03);  // ICW4 AEOI=1 (Linux's auto_eoi option)
    edge(1);
    EXPECT_EQ(pic->acknowledge(), 0x09);
    EXPECT_EQ(read_isr(0x20), 0x00);  // "Automatic End of Interrupt (AEOI) Mode"
    edge(3);
    EXPECT_EQ(pic->acknowledge(), 0x0b);  // nothing blocks a lower priority
}

TEST_F(Pic, RotateOnEoiMakesTheServicedLevelLowest) {
    init();
    edge(1);
    EXPECT_EQ(pic->acknowledge(), 0x09);
    outb(0x20, 0xa0);  // OCW2 R=1 EOI=1: rotate on non-specific EOI ("Automatic Rotation")
    edge(0);
    edge(3);
    // IR1 is now lowest, so IR2 is highest: IR3 beats IR0.
    EXPECT_EQ(pic->acknowledge(), 0x0b);
    outb(0x20, 0x20);
    outb(0x20, 0xc7);  // OCW2 set priority: IR7 lowest again ("Specific Rotation")
    edge(7);
    EXPECT_EQ(pic->acknowledge(), 0x08);
}

TEST_F(Pic, SpecialMaskModeLetsLowerPrioritiesThrough) {
    init();
    edge(1);
    EXPECT_EQ(pic->acknowledge(), 0x09);
    edge(3);
    EXPECT_FALSE(pic->intr_level());
    // "Special Mask Mode": masking the in-service level enables all other levels.
    outb(0x21, 0x02);
    outb(0x20, 0x68);  // OCW3 ESMM=1 SMM=1
    EXPECT_TRUE(pic->intr_level());
    EXPECT_EQ(pic->acknowledge(), 0x0b);
    outb(0x20, 0x48);  // reset special mask mode
    EXPECT_EQ(read_isr(0x20), 0x0a);
}

TEST_F(Pic, Icw1ClearsMaskAndResetsEdgeSense) {
    init();
    outb(0x21, 0xf0);
    pic->set_irq(4, true);  // line high across re-initialization
    outb(0x20, 0x11);
    EXPECT_EQ(inb(0x21), 0x00);  // ICW1 clears the IMR
    init();
    // ICW1: "the edge sense circuit is reset": the high input must go low-to-high again.
    EXPECT_FALSE(pic->intr_level());
    pic->set_irq(4, false);
    pic->set_irq(4, true);
    EXPECT_EQ(pic->acknowledge(), 0x0c);
    EXPECT_EQ(inb(0x20), 0x00);  // ICW1 selected IRR for A0=0 reads
}

TEST_F(Pic, SaveRestoreMidServiceContinuesIdentically) {
    init();
    outb(0x4d1, 0x08);  // IRQ11 level
    edge(3);
    edge(1);
    pic->set_irq(11, true);
    EXPECT_EQ(pic->acknowledge(), 0x09);
    outb(0x20, 0x0b);  // leave OCW3 "read ISR" selected in the saved state
    SaveState save;
    pic->describe_state(save);

    Machine m2(cfg());
    auto* pic2 = static_cast<I8259*>(m2.add_device(std::make_unique<I8259>()));
    pic2->realize(m2);
    LoadState load(save.buf);
    pic2->describe_state(load);
    EXPECT_TRUE(load.consumed());

    auto run = [](I8259& p, AddressSpace& io) {
        std::vector<int> seen;
        seen.push_back(static_cast<int>(io.read(0x20, 1)));  // ISR, by the saved OCW3
        seen.push_back(static_cast<int>(io.read(0x21, 1)));
        for (int i = 0; i < 3; i++) {
            seen.push_back(p.intr_level());
            io.write(0x20, 0x20, 1);
            io.write(0xa0, 0x20, 1);
            seen.push_back(p.acknowledge());
        }
        return seen;
    };
    const std::vector<int> a = run(*pic, m.io()), b = run(*pic2, m2.io());
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0], 0x02);
    // After the EOI of IR1, IR2 (level IRQ11 on the slave) outranks IR3 and, being level,
    // comes back after every EOI.
    EXPECT_EQ(a[3], 0x73);
    EXPECT_EQ(a[5], 0x73);
}

}  // namespace
