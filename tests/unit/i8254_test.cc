// 8254 PIT (hw/timer/i8254.h) against a manual clock, programmed through the I/O ports the
// way SeaBIOS (src/hw/timer.c) and Linux (arch/x86/kernel/i8253.c, tsc.c pit_calibrate_tsc)
// do. Expectations cite the Intel 8254 datasheet (231164) by section name.
#include <gtest/gtest.h>

#include <cstring>

#include "hw/intc/i8259.h"
#include "hw/timer/i8254.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

using SaveState = StateWriter;
using LoadState = StateReader;

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

// Tick <-> ns as the device converts them: tick(ns) = floor(ns * F / 1e9).
u64 tick_of(u64 ns) { return static_cast<u64>(static_cast<u128>(ns) * I8254::kFreqHz / 1000000000u); }
u64 ns_of(u64 tick) {
    return static_cast<u64>((static_cast<u128>(tick) * 1000000000u + I8254::kFreqHz - 1) / I8254::kFreqHz);
}

class Pit : public ::testing::Test {
protected:
    Pit() : m(small_cfg()) {
        clk.now_ns = 1000;
        pit = static_cast<I8254*>(m.add_device(std::make_unique<I8254>(clk.source())));
        pit->irq0.handler = [this](bool level) { edges.emplace_back(clk.now_ns, level); level_ = level; };
        pit->realize(m);
        edges.clear();
    }
    void outb(u16 port, u8 v) { m.io().write(port, v, 1); }
    u8 inb(u16 port) { return static_cast<u8>(m.io().read(port, 1)); }
    void load16(u16 port, u16 v) { outb(port, v & 0xff); outb(port, v >> 8); }
    u16 read16(u16 port) { u8 lo = inb(port); return static_cast<u16>(lo | inb(port) << 8); }
    // Run the board's loop: jump to each next event up to `until_ns`, then to `until_ns`.
    void run_until(u64 until_ns) {
        for (u64 e; (e = pit->next_event_ns()) <= until_ns;) {
            ASSERT_GE(e, clk.now_ns);
            clk.now_ns = e;
            pit->update(e);
        }
        clk.now_ns = until_ns;
        pit->update(until_ns);
    }
    std::vector<u64> rising() const {
        std::vector<u64> r;
        for (auto& [t, l] : edges) if (l) r.push_back(t);
        return r;
    }

    ManualClock clk;
    Machine m;
    I8254* pit;
    std::vector<std::pair<u64, bool>> edges;
    bool level_ = false;
};

TEST_F(Pit, Mode2PeriodicIrq0AtTheRightVirtualTimes) {
    // Linux setup_pit_timer / SeaBIOS timer_setup: ch0, LSB then MSB, mode 2, binary.
    outb(0x43, 0x34);
    const u16 n = 1193;  // ~1 ms
    load16(0x40, n);
    const u64 load = tick_of(clk.now_ns);
    run_until(clk.now_ns + 5'100'000);
    // "Mode 2: Rate Generator": OUT goes low for one CLK when the count reaches 1, then high and
    // the count reloads: a rising edge (an IRQ0 request) every N CLKs from the load.
    const std::vector<u64> r = rising();
    ASSERT_EQ(r.size(), 5u);
    for (unsigned k = 0; k < 5; k++) EXPECT_EQ(r[k], ns_of(load + (k + 1) * n)) << k;
    // The low pulse is exactly one CLK before each rising edge.
    ASSERT_GE(edges.size(), 2u);
    EXPECT_FALSE(edges[0].second);
    EXPECT_EQ(edges[0].first, ns_of(load + n - 1));
    EXPECT_EQ(pit->next_event_ns(), ns_of(load + 6 * n - 1));
}

TEST_F(Pit, Irq0ReachesThePicAndCpu) {
    I8259 pic;
    pic.realize(m);
    pit->irq0 = pic.input(0);
    outb(0x20, 0x11); outb(0x21, 0x08); outb(0x21, 0x04); outb(0x21, 0x01); outb(0x21, 0xfe);
    outb(0x43, 0x34);
    load16(0x40, 100);
    run_until(clk.now_ns + ns_of(99) - 1);
    EXPECT_FALSE(pic.intr_level());
    run_until(clk.now_ns + 2000);  // past the first period
    EXPECT_TRUE(pic.intr_level());
    EXPECT_EQ(pic.acknowledge(), 0x08);
    outb(0x20, 0x20);
    EXPECT_FALSE(pic.intr_level());
}

TEST_F(Pit, LateUpdateCoalescesLostTicks) {
    outb(0x43, 0x34);
    load16(0x40, 1000);
    clk.now_ns += 100'000'000;  // ~119 periods with no update in between
    pit->update(clk.now_ns);
    EXPECT_LE(rising().size(), 2u);  // lost ticks are dropped, not replayed
    EXPECT_GE(rising().size(), 1u);
    EXPECT_GT(pit->next_event_ns(), clk.now_ns);
}

TEST_F(Pit, Mode0OneShotInterruptOnTerminalCount) {
    outb(0x43, 0x30);  // ch0, LSB/MSB, mode 0
    // "Mode 0": OUT goes low when the control word is written.
    ASSERT_FALSE(edges.empty());
    EXPECT_FALSE(edges.back().second);
    load16(0x40, 100);
    const u64 load = tick_of(clk.now_ns);
    EXPECT_EQ(pit->next_event_ns(), ns_of(load + 100));
    run_until(ns_of(load + 100) - 1);
    EXPECT_FALSE(level_);
    run_until(ns_of(load + 100));
    EXPECT_TRUE(level_);  // high at terminal count ...
    EXPECT_EQ(pit->next_event_ns(), ~0ull);
    run_until(clk.now_ns + 10'000'000);
    EXPECT_TRUE(level_);  // ... and stays high until a new count or control word
    EXPECT_EQ(rising().size(), 1u);
}

TEST_F(Pit, Mode0FirstByteStopsCountingAndSecondReloads) {
    outb(0x43, 0x30);
    load16(0x40, 50);
    run_until(ns_of(tick_of(clk.now_ns) + 60));
    EXPECT_TRUE(level_);
    // "Mode 0": writing the first byte of a new count sets OUT low and disables counting.
    outb(0x40, 0x20);
    EXPECT_FALSE(level_);
    clk.now_ns += 1'000'000;
    pit->update(clk.now_ns);
    EXPECT_FALSE(level_);
    outb(0x40, 0x00);  // count 0x0020
    const u64 load = tick_of(clk.now_ns);
    run_until(ns_of(load + 0x20));
    EXPECT_TRUE(level_);
}

TEST_F(Pit, CounterLatchHoldsTheValueUntilRead) {
    outb(0x43, 0x34);
    load16(0x40, 1000);
    const u64 load = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load + 250);
    outb(0x43, 0x00);  // "Counter Latch Command" for ch0
    clk.now_ns = ns_of(load + 400);
    outb(0x43, 0x00);  // a second latch before reading is ignored
    EXPECT_EQ(read16(0x40), 750);
    // Without a latch the counter is read live (mode 2 counts N..1).
    EXPECT_EQ(read16(0x40), 600);
}

TEST_F(Pit, ReadBackLatchesStatusThenCount) {
    outb(0x43, 0x34);
    // Status before the count is written: NULL COUNT set (status bit 6).
    outb(0x43, 0xe2);  // read-back: /COUNT=1 /STATUS=0, counter 0
    EXPECT_EQ(inb(0x40), 0x80 | 0x40 | 0x30 | 0x04);  // OUT high, null count, LSB/MSB, mode 2
    load16(0x40, 500);
    const u64 load = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load + 100);
    // "Read-Back Command": both latched; the status byte is read first, then the count.
    outb(0x43, 0xc2);
    clk.now_ns = ns_of(load + 300);
    EXPECT_EQ(inb(0x40), 0x80 | 0x30 | 0x04);
    EXPECT_EQ(read16(0x40), 400);
    // Read-back of several counters at once (SeaBIOS/Linux use only ch0; the command takes a mask).
    outb(0x43, 0x36);  // ch0 mode 3
    load16(0x40, 0);   // 0 = 65536
    outb(0x43, 0xd6);  // count-only read-back of ch0 and ch1 (bits 1 and 2)
    EXPECT_EQ(read16(0x40), 0);  // 65536 reads as 0
}

TEST_F(Pit, Channel2GateAndOutputThroughPort61) {
    // Linux pit_calibrate_tsc: gate high, speaker off; ch2 mode 0; wait for port 0x61 bit 5.
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    EXPECT_EQ(inb(0x61) & 0x03, 0x01);
    outb(0x43, 0xb0);
    EXPECT_EQ(inb(0x61) & 0x20, 0);  // mode 0 OUT low
    load16(0x42, 1000);
    const u64 load = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load + 999);
    EXPECT_EQ(inb(0x61) & 0x20, 0);
    clk.now_ns = ns_of(load + 1000);
    EXPECT_EQ(inb(0x61) & 0x20, 0x20);
    EXPECT_TRUE(edges.empty());  // channel 2 is not IRQ0

    // "Gate" table: in mode 0 a low gate stops counting; it resumes where it stopped.
    outb(0x43, 0xb0);
    load16(0x42, 1000);
    const u64 load2 = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load2 + 300);
    outb(0x61, 0x00);
    clk.now_ns += 5'000'000;
    outb(0x43, 0x80);
    EXPECT_EQ(read16(0x42), 700);
    outb(0x61, 0x01);
    const u64 resume = tick_of(clk.now_ns);
    clk.now_ns = ns_of(resume + 699);
    EXPECT_EQ(inb(0x61) & 0x20, 0);
    clk.now_ns = ns_of(resume + 700);
    EXPECT_EQ(inb(0x61) & 0x20, 0x20);
}

TEST_F(Pit, Mode1OneShotTriggeredByGateOnChannel2) {
    outb(0x61, 0x00);
    outb(0x43, 0xb2);  // ch2, LSB/MSB, mode 1
    load16(0x42, 50);
    EXPECT_EQ(inb(0x61) & 0x20, 0x20);  // "Mode 1": OUT high until triggered
    clk.now_ns += 1'000'000;
    EXPECT_EQ(inb(0x61) & 0x20, 0x20);
    outb(0x61, 0x01);  // gate rising edge triggers
    const u64 trig = tick_of(clk.now_ns);
    clk.now_ns = ns_of(trig + 1);
    EXPECT_EQ(inb(0x61) & 0x20, 0);
    clk.now_ns = ns_of(trig + 50);
    EXPECT_EQ(inb(0x61) & 0x20, 0x20);
}

TEST_F(Pit, Mode3SquareWaveAndMode4Strobe) {
    outb(0x43, 0x36);  // ch0 mode 3
    load16(0x40, 10);
    const u64 load = tick_of(clk.now_ns);
    run_until(ns_of(load + 20));
    // "Mode 3": high for N/2, low for N/2, repeating.
    ASSERT_EQ(edges.size(), 4u);
    EXPECT_EQ(edges[0], std::make_pair(ns_of(load + 5), false));
    EXPECT_EQ(edges[1], std::make_pair(ns_of(load + 10), true));
    EXPECT_EQ(edges[3], std::make_pair(ns_of(load + 20), true));

    edges.clear();
    outb(0x43, 0x38);  // ch0 mode 4
    load16(0x40, 20);
    const u64 load4 = tick_of(clk.now_ns);
    run_until(ns_of(load4 + 100));
    // "Mode 4": OUT low for one CLK when the count expires, once.
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_EQ(edges[0], std::make_pair(ns_of(load4 + 20), false));
    EXPECT_EQ(edges[1], std::make_pair(ns_of(load4 + 21), true));
}

TEST_F(Pit, BcdCounting) {
    outb(0x43, 0x35);  // ch0, LSB/MSB, mode 2, BCD
    load16(0x40, 0x1000);  // 1000 decimal
    const u64 load = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load + 1);
    outb(0x43, 0x00);
    EXPECT_EQ(read16(0x40), 0x0999);
    run_until(ns_of(load + 2000));
    const std::vector<u64> r = rising();
    ASSERT_EQ(r.size(), 2u);  // period 1000, not 0x1000
    EXPECT_EQ(r[0], ns_of(load + 1000));
    // Count 0 in BCD is 10000: reads 0000, then 9999 ("Control Word Format", BCD).
    outb(0x43, 0x31);
    load16(0x40, 0);
    const u64 load0 = tick_of(clk.now_ns);
    outb(0x43, 0x00);
    EXPECT_EQ(read16(0x40), 0x0000);
    clk.now_ns = ns_of(load0 + 1);
    outb(0x43, 0x00);
    EXPECT_EQ(read16(0x40), 0x9999);
}

TEST_F(Pit, LsbOnlyAndMsbOnlyAccess) {
    outb(0x43, 0x14);  // ch0, LSB only, mode 2
    outb(0x40, 200);
    const u64 load = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load + 50);
    EXPECT_EQ(inb(0x40), 150);
    EXPECT_EQ(inb(0x40), 150);  // no byte toggle in LSB-only mode
    outb(0x43, 0x24);  // MSB only: count 0x0200
    outb(0x40, 0x02);
    const u64 load2 = tick_of(clk.now_ns);
    clk.now_ns = ns_of(load2 + 0x100);
    EXPECT_EQ(inb(0x40), 0x01);
}

TEST_F(Pit, SaveRestoreMidCountContinuesIdentically) {
    outb(0x43, 0x34);
    load16(0x40, 1193);
    outb(0x61, 0x01);
    outb(0x43, 0xb6);  // ch2 mode 3 (the speaker tone setup)
    load16(0x42, 0x533);
    run_until(clk.now_ns + 2'500'000);
    outb(0x43, 0x00);  // a latched ch0 count, half read, is part of the state
    (void)inb(0x40);
    SaveState save;
    pit->describe_state(save);

    ManualClock clk2;
    clk2.now_ns = clk.now_ns;
    Machine m2(small_cfg());
    auto* pit2 = static_cast<I8254*>(m2.add_device(std::make_unique<I8254>(clk2.source())));
    pit2->realize(m2);
    std::vector<std::pair<u64, bool>> edges2;
    pit2->irq0.handler = [&](bool level) { edges2.emplace_back(clk2.now_ns, level); };
    LoadState load(save.buf);
    pit2->describe_state(load);
    EXPECT_TRUE(load.consumed());

    edges.clear();
    std::vector<u64> a, b;
    a.push_back(inb(0x40));
    b.push_back(m2.io().read(0x40, 1));
    for (int i = 0; i < 20; i++) {
        const u64 e1 = pit->next_event_ns(), e2 = pit2->next_event_ns();
        ASSERT_EQ(e1, e2);
        clk.now_ns = clk2.now_ns = e1;
        pit->update(e1);
        pit2->update(e2);
        a.push_back(inb(0x61) & 0x30);
        b.push_back(m2.io().read(0x61, 1) & 0x30);
        a.push_back(read16(0x40));
        b.push_back(m2.io().read(0x40, 1) | m2.io().read(0x40, 1) << 8);
    }
    EXPECT_EQ(a, b);
    EXPECT_EQ(edges, edges2);
    EXPECT_EQ(edges.size(), 20u);
}

}  // namespace
