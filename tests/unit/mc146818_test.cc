// MC146818A RTC (hw/timer/mc146818.h) against a manual clock, through ports 0x70/0x71 the way
// SeaBIOS (src/hw/rtc.c) and Linux (drivers/rtc/rtc-mc146818-lib.c) drive it. Expectations cite
// the Motorola MC146818A datasheet by section name.
#include <gtest/gtest.h>

#include "hw/timer/mc146818.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

constexpr u64 kStart = 1000;               // clock at construction: the divider's phase origin
constexpr u64 kEpoch = 1795614330;         // 2026-11-25 13:45:30 UTC, a Wednesday
constexpr u64 kSec = 1'000'000'000;

// 32.768 kHz tick -> first ns at which the device sees it (origin kStart).
u64 ns_of_tick(u64 t) { return kStart + (t * kSec + 32767) / 32768; }

class Rtc : public ::testing::Test {
protected:
    explicit Rtc(u64 epoch = kEpoch) : m(small_cfg()) {
        clk.now_ns = kStart;
        rtc = static_cast<Mc146818*>(m.add_device(std::make_unique<Mc146818>(clk.source(), epoch)));
        rtc->irq.handler = [this](bool level) { edges.emplace_back(clk.now_ns, level); level_ = level; };
        rtc->realize(m);
    }
    u8 cmos_read(u8 index) {
        m.io().write(0x70, index, 1);
        return static_cast<u8>(m.io().read(0x71, 1));
    }
    void cmos_write(u8 index, u8 v) {
        m.io().write(0x70, index, 1);
        m.io().write(0x71, v, 1);
    }
    // The board's loop, with an interrupt handler that reads register C (as Linux rtc_interrupt)
    // whenever the line is up; returns the times at which the line rose.
    std::vector<u64> run_until(u64 until_ns) {
        std::vector<u64> irqs;
        for (u64 e; (e = rtc->next_event_ns()) <= until_ns;) {
            EXPECT_GE(e, clk.now_ns);
            clk.now_ns = e;
            rtc->update(e);
            if (level_) {
                irqs.push_back(e);
                cmos_read(0x0c);
            }
        }
        clk.now_ns = until_ns;
        rtc->update(until_ns);
        return irqs;
    }

    ManualClock clk;
    Machine m;
    Mc146818* rtc;
    std::vector<std::pair<u64, bool>> edges;
    bool level_ = false;
};

TEST_F(Rtc, ReadsTheTimeInBcdAndBinary) {
    // "Time, Calendar and Alarm Locations", BCD (DM = 0, the PC's setting): 24-hour power-on.
    EXPECT_EQ(cmos_read(0x00), 0x30);
    EXPECT_EQ(cmos_read(0x02), 0x45);
    EXPECT_EQ(cmos_read(0x04), 0x13);
    EXPECT_EQ(cmos_read(0x06), 4);  // day of week, Sunday = 1
    EXPECT_EQ(cmos_read(0x07), 0x25);
    EXPECT_EQ(cmos_read(0x08), 0x11);
    EXPECT_EQ(cmos_read(0x09), 0x26);
    EXPECT_EQ(cmos_read(0x32), 0x20);  // the PC's century byte
    // "Register B", DM = 1: binary.
    cmos_write(0x0b, 0x06);
    EXPECT_EQ(cmos_read(0x00), 30);
    EXPECT_EQ(cmos_read(0x02), 45);
    EXPECT_EQ(cmos_read(0x04), 13);
    EXPECT_EQ(cmos_read(0x07), 25);
    EXPECT_EQ(cmos_read(0x08), 11);
    EXPECT_EQ(cmos_read(0x09), 26);
    EXPECT_EQ(cmos_read(0x32), 20);
}

TEST_F(Rtc, TwelveHourModeSetsPmInBit7) {
    // "Register B", 24/12 = 0: hours 1-12, bit 7 = PM.
    cmos_write(0x0b, 0x00);
    EXPECT_EQ(cmos_read(0x04), 0x81);  // 13h = 1 PM, BCD
    cmos_write(0x0b, 0x04);
    EXPECT_EQ(cmos_read(0x04), 0x81);  // binary
    // Midnight is 12 AM: set 00:xx in 24-hour mode, then read in 12-hour mode.
    cmos_write(0x0b, 0x82);
    cmos_write(0x04, 0x00);
    cmos_write(0x0b, 0x02);
    cmos_write(0x0b, 0x00);
    EXPECT_EQ(cmos_read(0x04), 0x12);
    // Noon is 12 PM; a 12-hour write is decoded in 12-hour mode.
    cmos_write(0x0b, 0x80);
    cmos_write(0x04, 0x92);
    cmos_write(0x0b, 0x00);
    EXPECT_EQ(cmos_read(0x04), 0x92);
    cmos_write(0x0b, 0x02);  // switching to 24-hour mode while running converts the reading
    EXPECT_EQ(cmos_read(0x04), 0x12);
}

TEST_F(Rtc, SecondsAdvanceWithTheClock) {
    clk.now_ns = kStart + kSec - 1;
    EXPECT_EQ(cmos_read(0x00), 0x30);
    clk.now_ns = kStart + kSec;
    EXPECT_EQ(cmos_read(0x00), 0x31);
    clk.now_ns = kStart + 30 * kSec;  // 13:46:00
    EXPECT_EQ(cmos_read(0x00), 0x00);
    EXPECT_EQ(cmos_read(0x02), 0x46);
    clk.now_ns = kStart + (30 + 60 * 14 + 3600 * 10) * kSec;  // 2026-11-26 00:00:00, Thursday
    EXPECT_EQ(cmos_read(0x04), 0x00);
    EXPECT_EQ(cmos_read(0x07), 0x26);
    EXPECT_EQ(cmos_read(0x06), 5);
}

class RtcCentury : public Rtc {
protected:
    RtcCentury() : Rtc(4102444799) {}  // 2099-12-31 23:59:59
};

TEST_F(RtcCentury, RollsIntoTheNextCentury) {
    EXPECT_EQ(cmos_read(0x09), 0x99);
    clk.now_ns = kStart + kSec;
    EXPECT_EQ(cmos_read(0x00), 0x00);
    EXPECT_EQ(cmos_read(0x04), 0x00);
    EXPECT_EQ(cmos_read(0x07), 0x01);
    EXPECT_EQ(cmos_read(0x08), 0x01);
    EXPECT_EQ(cmos_read(0x09), 0x00);
    EXPECT_EQ(cmos_read(0x32), 0x21);
    EXPECT_EQ(cmos_read(0x06), 6);  // 2100-01-01 is a Friday
}

TEST_F(Rtc, UipIsSetFor244usBeforeEachUpdate) {
    // "Update Cycle": UIP rises t_BUC = 244 us (8 ticks of 32.768 kHz) before the update.
    clk.now_ns = ns_of_tick(32760) - 1;
    EXPECT_EQ(cmos_read(0x0a), 0x26);
    clk.now_ns = ns_of_tick(32760);
    EXPECT_EQ(cmos_read(0x0a), 0xa6);
    EXPECT_EQ(cmos_read(0x00), 0x30);  // still the old second
    clk.now_ns = kStart + kSec - 1;
    EXPECT_EQ(cmos_read(0x0a), 0xa6);
    clk.now_ns = kStart + kSec;
    EXPECT_EQ(cmos_read(0x0a), 0x26);
    EXPECT_EQ(cmos_read(0x00), 0x31);
    // "Register B", SET: writing 1 clears UIP.
    clk.now_ns = ns_of_tick(2 * 32768 - 4);
    EXPECT_EQ(cmos_read(0x0a) & 0x80, 0x80);
    cmos_write(0x0b, 0x82);
    EXPECT_EQ(cmos_read(0x0a) & 0x80, 0);
    // UIP is read-only.
    cmos_write(0x0b, 0x02);
    cmos_write(0x0a, 0xa6);
    clk.now_ns = kStart + 2 * kSec + 1000;
    EXPECT_EQ(cmos_read(0x0a), 0x26);
}

TEST_F(Rtc, SetBitFreezesTheTimeAndKeepsTheDividerPhase) {
    clk.now_ns = kStart + kSec / 4;
    cmos_write(0x0b, 0x82);  // "Register B", SET = 1: no updates; the time may be written
    clk.now_ns += 5 * kSec;
    EXPECT_EQ(cmos_read(0x00), 0x30);
    cmos_write(0x00, 0x59);
    cmos_write(0x02, 0x59);
    cmos_write(0x04, 0x23);
    cmos_write(0x07, 0x31);
    cmos_write(0x08, 0x12);
    cmos_write(0x09, 0x99);
    cmos_write(0x32, 0x19);
    clk.now_ns += 3 * kSec;
    EXPECT_EQ(cmos_read(0x00), 0x59);  // held while SET
    cmos_write(0x0b, 0x02);
    // The divider chain was not reset, so the next update is at the old phase, not a second
    // after SET was cleared.
    const u64 k = (clk.now_ns - kStart) / kSec;
    clk.now_ns = kStart + (k + 1) * kSec - 1;
    EXPECT_EQ(cmos_read(0x00), 0x59);
    clk.now_ns = kStart + (k + 1) * kSec;
    EXPECT_EQ(cmos_read(0x00), 0x00);
    EXPECT_EQ(cmos_read(0x04), 0x00);
    EXPECT_EQ(cmos_read(0x07), 0x01);
    EXPECT_EQ(cmos_read(0x08), 0x01);
    EXPECT_EQ(cmos_read(0x09), 0x00);
    EXPECT_EQ(cmos_read(0x32), 0x20);
}

TEST_F(Rtc, DividerResetHoldsTheTimeAndRestartsHalfASecondLater) {
    cmos_write(0x0a, 0x70);  // "Divider Stages": DV = 11x holds the divider in reset
    clk.now_ns += 10 * kSec;
    EXPECT_EQ(cmos_read(0x00), 0x30);
    cmos_write(0x0a, 0x26);
    const u64 go = clk.now_ns;
    clk.now_ns = go + kSec / 2 - 1;
    EXPECT_EQ(cmos_read(0x00), 0x30);
    clk.now_ns = go + kSec / 2;  // the first update cycle begins one half second later
    EXPECT_EQ(cmos_read(0x00), 0x31);
}

TEST_F(Rtc, RegisterCReadClearsAndLowersIrq) {
    // "Register C": flags are set whether or not their interrupt is enabled.
    clk.now_ns = kStart + 2'000'000;  // two 1024 Hz periods, no update yet
    EXPECT_EQ(cmos_read(0x0c), 0x40);  // PF, no IRQF
    EXPECT_EQ(cmos_read(0x0c), 0x00);
    EXPECT_TRUE(edges.empty());
    cmos_write(0x0b, 0x12);  // UIE
    clk.now_ns = kStart + kSec;
    rtc->update(clk.now_ns);
    EXPECT_TRUE(level_);
    EXPECT_EQ(edges.back(), std::make_pair(kStart + kSec, true));
    EXPECT_EQ(cmos_read(0x0c), 0xd0);  // IRQF, PF, UF
    EXPECT_FALSE(level_);
    EXPECT_EQ(cmos_read(0x0c), 0x00);
    // Writes to C are ignored.
    cmos_write(0x0c, 0xff);
    EXPECT_EQ(cmos_read(0x0c), 0x00);
    // Enabling an interrupt whose flag is already set raises IRQ at once.
    cmos_write(0x0b, 0x02);
    clk.now_ns += 3'000'000;
    cmos_write(0x0b, 0x42);
    EXPECT_TRUE(level_);
    EXPECT_EQ(cmos_read(0x0c), 0xc0);
}

TEST_F(Rtc, PeriodicInterruptAtRate6Is1024Hz) {
    // "Periodic Interrupt Rate" table: RS = 0110 with a 32.768 kHz base is 976.5625 us (32 ticks).
    clk.now_ns = ns_of_tick(100);
    rtc->update(clk.now_ns);
    cmos_write(0x0c, 0);
    (void)cmos_read(0x0c);
    cmos_write(0x0b, 0x42);  // PIE
    const std::vector<u64> irqs = run_until(ns_of_tick(100 + 32 * 10));
    ASSERT_EQ(irqs.size(), 10u);
    for (unsigned i = 0; i < 10; i++) EXPECT_EQ(irqs[i], ns_of_tick(128 + 32 * i)) << i;
    // Rate 15 is 500 ms; rate 0 disables it.
    cmos_write(0x0a, 0x2f);
    const u64 t = (clk.now_ns - kStart) * 32768 / kSec;
    EXPECT_EQ(rtc->next_event_ns(), ns_of_tick((t / 16384 + 1) * 16384));
    cmos_write(0x0a, 0x20);
    EXPECT_EQ(rtc->next_event_ns(), ~0ull);
}

TEST_F(Rtc, AlarmInterrupt) {
    // "Interrupts", alarm: AF when seconds, minutes and hours match their alarm bytes.
    cmos_write(0x01, 0x33);
    cmos_write(0x03, 0x45);
    cmos_write(0x05, 0x13);
    cmos_write(0x0b, 0x22);  // AIE
    EXPECT_EQ(rtc->next_event_ns(), kStart + 3 * kSec);
    std::vector<u64> irqs = run_until(kStart + 10 * kSec);
    ASSERT_EQ(irqs.size(), 1u);
    EXPECT_EQ(irqs[0], kStart + 3 * kSec);
    // "Don't care" bytes (11xxxxxx): hours and minutes ignored, so once a minute at :05.
    cmos_write(0x01, 0x05);
    cmos_write(0x03, 0xc0);
    cmos_write(0x05, 0xff);
    irqs = run_until(kStart + 150 * kSec);
    ASSERT_EQ(irqs.size(), 2u);
    EXPECT_EQ(irqs[0], kStart + 35 * kSec);   // 13:46:05
    EXPECT_EQ(irqs[1], kStart + 95 * kSec);   // 13:47:05
    // A late update still finds an alarm that matched in between, without enabling it.
    cmos_write(0x0b, 0x02);
    (void)cmos_read(0x0c);
    clk.now_ns = kStart + 300 * kSec;
    EXPECT_EQ(cmos_read(0x0c) & 0x20, 0x20);
}

TEST_F(Rtc, RegisterDReportsValidRam) {
    // "Register D": VRT = 1; the register is read-only.
    EXPECT_EQ(cmos_read(0x0d), 0x80);
    cmos_write(0x0d, 0x00);
    EXPECT_EQ(cmos_read(0x0d), 0x80);
}

TEST_F(Rtc, NmiMaskBitDoesNotAffectDataAccess) {
    EXPECT_FALSE(rtc->nmi_masked());
    m.io().write(0x70, 0x80 | 0x00, 1);  // Linux CMOS_READ with NMI disabled
    EXPECT_TRUE(rtc->nmi_masked());
    EXPECT_EQ(m.io().read(0x71, 1), 0x30u);
    m.io().write(0x70, 0x80 | 0x0d, 1);
    EXPECT_EQ(m.io().read(0x71, 1), 0x80u);
    m.io().write(0x70, 0x80 | 0x40, 1);
    m.io().write(0x71, 0x5a, 1);
    m.io().write(0x70, 0x40, 1);
    EXPECT_FALSE(rtc->nmi_masked());
    EXPECT_EQ(m.io().read(0x71, 1), 0x5au);
}

TEST_F(Rtc, BoardFillsTheMemoryBytes) {
    // FIRMWARE.md section 4 (pc_cmos_init): 0x15/0x16 base memory in KB, 0x30/0x31 extended.
    rtc->set_cmos(0x15, 0x80);
    rtc->set_cmos(0x16, 0x02);
    rtc->set_cmos(0x30, 0x00);
    rtc->set_cmos(0x31, 0xfc);
    EXPECT_EQ(cmos_read(0x15), 0x80);
    EXPECT_EQ(cmos_read(0x16), 0x02);
    EXPECT_EQ(cmos_read(0x31), 0xfc);
    EXPECT_EQ(rtc->cmos(0x31), 0xfc);
    EXPECT_EQ(cmos_read(0x08), 0x11);  // the month never reads 0xff
}

TEST_F(Rtc, ResetClearsEnablesAndFlagsButNotTheTime) {
    cmos_write(0x0b, 0x72);
    clk.now_ns += 2 * kSec;
    rtc->update(clk.now_ns);
    EXPECT_TRUE(level_);
    rtc->reset();  // "Pin Description", RESET
    EXPECT_FALSE(level_);
    EXPECT_EQ(cmos_read(0x0b), 0x02);
    EXPECT_EQ(cmos_read(0x0c), 0x00);
    EXPECT_EQ(cmos_read(0x00), 0x32);
}

TEST_F(Rtc, SaveRestoreMidTestContinuesIdentically) {
    cmos_write(0x0a, 0x2c);  // RS = 12: 16 Hz
    cmos_write(0x01, 0xc0);
    cmos_write(0x03, 0xc0);
    cmos_write(0x05, 0xc0);  // alarm every second
    cmos_write(0x0b, 0x42);  // PIE
    cmos_write(0x40, 0x77);
    run_until(kStart + 2 * kSec + kSec / 3);
    cmos_write(0x0b, 0x66);  // PIE, AIE, binary
    m.io().write(0x70, 0x80 | 0x40, 1);
    StateWriter save;
    rtc->describe_state(save);

    ManualClock clk2;
    clk2.now_ns = 5;  // a different clock at construction: the state carries the phase
    Machine m2(small_cfg());
    auto* rtc2 = static_cast<Mc146818*>(m2.add_device(std::make_unique<Mc146818>(clk2.source(), 0)));
    rtc2->realize(m2);
    std::vector<std::pair<u64, bool>> edges2;
    rtc2->irq.handler = [&](bool level) { edges2.emplace_back(clk2.now_ns, level); };
    clk2.now_ns = clk.now_ns;
    StateReader load(save.buf);
    rtc2->describe_state(load);
    EXPECT_TRUE(load.consumed());
    EXPECT_TRUE(rtc2->nmi_masked());
    EXPECT_EQ(m2.io().read(0x71, 1), 0x77u);

    edges.clear();
    std::vector<u64> a, b;
    for (int i = 0; i < 40; i++) {
        const u64 e1 = rtc->next_event_ns(), e2 = rtc2->next_event_ns();
        ASSERT_EQ(e1, e2);
        clk.now_ns = clk2.now_ns = e1;
        rtc->update(e1);
        rtc2->update(e2);
        for (u8 idx : {0x00, 0x02, 0x04, 0x0a, 0x0c}) {
            a.push_back(cmos_read(idx));
            m2.io().write(0x70, idx, 1);
            b.push_back(m2.io().read(0x71, 1));
        }
    }
    EXPECT_EQ(a, b);
    EXPECT_EQ(edges, edges2);
    EXPECT_EQ(edges.size(), 80u);
}

}  // namespace
