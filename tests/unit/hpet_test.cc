// HPET (hw/timer/hpet.h) against a manual clock, programmed through MMIO at 0xfed00000 the way
// Linux (arch/x86/kernel/hpet.c: hpet_enable, hpet_clkevt_set_state_periodic, hpet_clkevt_set_
// next_event) does. Expectations cite the IA-PC HPET Specification 1.0a by section.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "hw/timer/hpet.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

constexpr u64 B = Hpet::kBase;
constexpr u64 kCfg = 0x10, kSts = 0x20, kCnt = 0xf0;
constexpr u64 tcfg(unsigned n) { return 0x100 + 0x20 * n; }
constexpr u64 tcmp(unsigned n) { return 0x108 + 0x20 * n; }
constexpr u64 tfsb(unsigned n) { return 0x110 + 0x20 * n; }

struct Edge {
    u64 t;
    std::string line;
    bool level;
};

class HpetTest : public ::testing::Test {
protected:
    HpetTest() : m(small_cfg()) {
        clk.now_ns = 5000;
        hpet = static_cast<Hpet*>(m.add_device(std::make_unique<Hpet>(clk.source())));
        for (unsigned i = 0; i < 32; i++) wire(hpet->ioapic[i], "io" + std::to_string(i));
        wire(hpet->pic_irq0, "pic0");
        wire(hpet->pic_irq8, "pic8");
        hpet->on_legacy_change = [this](bool l) { legacy_calls.push_back(l); };
        hpet->realize(m);
    }
    void wire(IrqLine& l, std::string name) {
        l.handler = [this, name](bool level) {
            edges.push_back({clk.now_ns, name, level});
            levels[name] = level;
        };
    }
    u64 rd(u64 off, unsigned size = 8) { return m.memory().read(B + off, size); }
    void wr(u64 off, u64 v, unsigned size = 8) { m.memory().write(B + off, v, size); }
    // The board's loop: jump to each next event up to `until`, then to `until`.
    void run_until(u64 until) {
        for (u64 e; (e = hpet->next_event_ns()) <= until;) {
            ASSERT_GE(e, clk.now_ns);
            clk.now_ns = e;
            hpet->update(e);
        }
        clk.now_ns = until;
        hpet->update(until);
    }
    std::vector<u64> rises(const std::string& line) const {
        std::vector<u64> r;
        for (const Edge& e : edges)
            if (e.line == line && e.level) r.push_back(e.t);
        return r;
    }

    ManualClock clk;
    Machine m;
    Hpet* hpet;
    std::vector<Edge> edges;
    std::map<std::string, bool> levels;
    std::vector<bool> legacy_calls;
};

TEST_F(HpetTest, CapabilitiesRegister) {
    // 2.3.4: REV_ID (7:0) = 1, NUM_TIM_CAP (12:8) = 2 (three timers), COUNT_SIZE_CAP (13) = 1,
    // LEG_RT_CAP (15) = 1, VENDOR_ID (31:16) = 8086h; COUNTER_CLK_PERIOD (63:32) = 10^7 fs.
    EXPECT_EQ(rd(0, 4), 0x8086a201u);
    EXPECT_EQ(rd(4, 4), 10'000'000u);
    EXPECT_EQ(rd(0), 0x00989680'8086a201ull);
    // Read-only (2.3.4): a write changes nothing.
    wr(0, 0);
    EXPECT_EQ(rd(0, 4), 0x8086a201u);
    // 2.3.8: every timer is periodic-capable (bit 4) and 64-bit (bit 5), no FSB (bit 15), and
    // advertises I/O APIC pins 2, 8 and 16-23 in Tn_INT_ROUTE_CAP.
    for (unsigned n = 0; n < 3; n++) {
        EXPECT_EQ(rd(tcfg(n)), 0x00ff0104'00000030ull) << n;
        // 2.3.9: comparators reset to all ones.
        EXPECT_EQ(rd(tcmp(n)), ~0ull) << n;
    }
}

TEST_F(HpetTest, CounterRunsOnlyWhenEnabledAtTheAdvertisedPeriod) {
    EXPECT_EQ(rd(kCnt), 0u);
    clk.advance(1'000'000);
    EXPECT_EQ(rd(kCnt), 0u) << "2.3.5 ENABLE_CNF = 0 halts the main counter";
    wr(kCfg, 1);
    clk.advance(1'000'000);  // 1 ms at 10 ns/tick (2.3.4 COUNTER_CLK_PERIOD)
    EXPECT_EQ(rd(kCnt), 100'000u);
    clk.advance(15);
    EXPECT_EQ(rd(kCnt), 100'001u);
    wr(kCfg, 0);
    const u64 halted = rd(kCnt);
    clk.advance(1'000'000);
    EXPECT_EQ(rd(kCnt), halted) << "halting keeps the value";
    wr(kCfg, 1);
    clk.advance(100);
    EXPECT_EQ(rd(kCnt), halted + 10) << "and counting resumes from it";
}

TEST_F(HpetTest, CounterWriteWhileHaltedAndDwordHalves) {
    // 2.3.7: software writes the main counter while halted (Linux hpet_reset_counter writes
    // both dwords with 0).
    wr(kCnt, 0x12345678, 4);
    wr(kCnt + 4, 0x9abcdef0, 4);
    EXPECT_EQ(rd(kCnt), 0x9abcdef0'12345678ull);
    EXPECT_EQ(rd(kCnt, 4), 0x12345678u);
    EXPECT_EQ(rd(kCnt + 4, 4), 0x9abcdef0u);
    wr(kCnt, 0xffff'fff0ull);
    wr(kCfg, 1);
    clk.advance(200);  // 20 ticks: the low dword carries into the high one (64-bit counter)
    EXPECT_EQ(rd(kCnt), 0x1'0000'0004ull);
}

TEST_F(HpetTest, OneShotComparatorFiresOnceAtTheMatch) {
    // Linux hpet_clkevt_set_next_event: edge, one-shot, cmp = counter + delta.
    wr(tcfg(2), Hpet::kTnIntEnbCnf | (20u << 9));  // edge, route I/O APIC pin 20
    wr(kCfg, 1);
    const u64 t0 = clk.now_ns;
    wr(tcmp(2), rd(kCnt) + 1000);
    EXPECT_EQ(hpet->next_event_ns(), t0 + 1000 * 10);
    run_until(t0 + 100'000'000);
    // 2.3.9: one interrupt when the counter equals the comparator, and (64-bit) no more.
    EXPECT_EQ(rises("io20"), std::vector<u64>{t0 + 10'000});
    EXPECT_FALSE(levels["io20"]) << "edge mode pulses";
    EXPECT_EQ(rd(kSts), 0u) << "2.3.6: no status bit in edge mode";
}

TEST_F(HpetTest, PeriodicComparatorWithValSet) {
    // Linux hpet_clkevt_set_state_periodic: halt, cfg |= ENABLE|PERIODIC|SETVAL, write
    // cmp = counter + delta, write delta (period only: Tn_VAL_SET_CNF has cleared), restart.
    const u64 delta = 100'000;  // 1 ms
    wr(tcfg(0), Hpet::kTnIntEnbCnf | Hpet::kTnTypeCnf | Hpet::kTnValSetCnf | (2u << 9));
    EXPECT_TRUE(rd(tcfg(0)) & Hpet::kTnValSetCnf);
    wr(tcmp(0), rd(kCnt) + delta);
    EXPECT_FALSE(rd(tcfg(0)) & Hpet::kTnValSetCnf) << "2.3.8: Tn_VAL_SET_CNF clears itself";
    wr(tcmp(0), delta);
    EXPECT_EQ(rd(tcmp(0)), delta) << "the accumulator kept the first write";
    const u64 t0 = clk.now_ns;
    wr(kCfg, 1);
    run_until(t0 + 5 * 1'000'000 + 500);
    const std::vector<u64> r = rises("io2");
    ASSERT_EQ(r.size(), 5u);
    for (unsigned k = 0; k < 5; k++) EXPECT_EQ(r[k], t0 + (k + 1) * 1'000'000) << k;
    // 2.3.9 periodic: the comparator reads as the next match.
    EXPECT_EQ(rd(tcmp(0)), 6 * delta);
    // A late update coalesces: 3.5 periods later, one interrupt, and the phase is kept.
    clk.now_ns = t0 + 9'500'000;
    hpet->update(clk.now_ns);
    EXPECT_EQ(rises("io2").size(), 6u);
    EXPECT_EQ(hpet->next_event_ns(), t0 + 10'000'000);
}

TEST_F(HpetTest, ThirtyTwoBitTimerWraps) {
    // 2.3.8 Tn_32MODE_CNF: the comparator is 32 bits and compared with the low half of the
    // counter, so it matches across the 2^32 boundary and again every 2^32 ticks.
    wr(tcfg(1), Hpet::kTnIntEnbCnf | Hpet::kTn32ModeCnf | (21u << 9));
    wr(tcmp(1), 0x1'0000'0010ull);  // upper half ignored in 32-bit mode (2.3.9)
    EXPECT_EQ(rd(tcmp(1)), 0x10u);
    wr(kCnt, 0x7'ffff'ff00ull);
    const u64 t0 = clk.now_ns;
    wr(kCfg, 1);
    EXPECT_EQ(hpet->next_event_ns(), t0 + (0x100 + 0x10) * 10);
    run_until(t0 + (0x110 + 5) * 10);
    EXPECT_EQ(rises("io21"), std::vector<u64>{t0 + 0x110 * 10});
    EXPECT_EQ(hpet->next_event_ns(), t0 + (0x110 + (1ull << 32)) * 10);
    // Periodic 32-bit: the accumulator wraps modulo 2^32.
    wr(tcfg(1), Hpet::kTnIntEnbCnf | Hpet::kTn32ModeCnf | Hpet::kTnTypeCnf | Hpet::kTnValSetCnf |
                    (21u << 9));
    wr(tcmp(1), 0xffff'ff00u, 4);
    wr(tcmp(1), 0x200, 4);
    wr(kCnt, 0xffff'fe00ull);  // while running: allowed, no matches for the skipped range
    const u64 t1 = clk.now_ns;
    run_until(t1 + 0x300 * 10);
    EXPECT_EQ(rises("io21").size(), 3u);  // at 0xffffff00 and 0x1'00000100
    EXPECT_EQ(rd(tcmp(1), 4), 0x300u);
}

TEST_F(HpetTest, LevelInterruptStatusIsWriteOneToClear) {
    wr(tcfg(2), Hpet::kTnIntEnbCnf | Hpet::kTnIntTypeCnf | (22u << 9));
    wr(tcmp(2), 50);
    wr(kCfg, 1);
    run_until(clk.now_ns + 1000);
    // 2.3.6: level mode — Tn_INT_STS set by the match, the line held active.
    EXPECT_EQ(rd(kSts), 1u << 2);
    EXPECT_TRUE(levels["io22"]);
    wr(kSts, 0);
    EXPECT_EQ(rd(kSts), 1u << 2) << "writing 0 has no effect";
    wr(kSts, 1u << 2, 4);
    EXPECT_EQ(rd(kSts), 0u);
    EXPECT_FALSE(levels["io22"]) << "clearing the status bit releases the line";
    // ENABLE_CNF = 0 disables all timer interrupts (2.3.5) but the latched status stays.
    wr(tcmp(2), rd(kCnt) + 10);
    run_until(clk.now_ns + 1000);
    EXPECT_TRUE(levels["io22"]);
    wr(kCfg, 0);
    EXPECT_FALSE(levels["io22"]);
    wr(kCfg, 1);
    EXPECT_TRUE(levels["io22"]);
}

TEST_F(HpetTest, EdgeInterruptsPulseOncePerMatch) {
    wr(tcfg(0), Hpet::kTnIntEnbCnf | Hpet::kTnTypeCnf | Hpet::kTnValSetCnf | (23u << 9));
    wr(tcmp(0), 100);
    wr(kCfg, 1);
    const u64 t0 = clk.now_ns;
    run_until(t0 + 3000);
    // Three pulses: up then down at each match (1000, 2000, 3000 ns).
    std::vector<Edge> io;
    for (const Edge& e : edges) if (e.line == "io23") io.push_back(e);
    ASSERT_EQ(io.size(), 6u);
    for (unsigned k = 0; k < 3; k++) {
        EXPECT_EQ(io[2 * k].t, t0 + (k + 1) * 1000);
        EXPECT_TRUE(io[2 * k].level);
        EXPECT_FALSE(io[2 * k + 1].level);
    }
    // Tn_INT_ENB_CNF = 0: the comparator still advances but nothing is signalled (2.3.8).
    wr(tcfg(0), Hpet::kTnTypeCnf | (23u << 9));
    EXPECT_EQ(hpet->next_event_ns(), ~0ull);
    clk.advance(5000);
    EXPECT_EQ(rd(tcmp(0)), 900u);
    EXPECT_EQ(rises("io23").size(), 3u);
}

TEST_F(HpetTest, LegacyReplacementRouting) {
    // 2.3.5 LEG_RT_CNF: timer 0 -> 8259 IRQ0 and I/O APIC IRQ2; timer 1 -> IRQ8 and IRQ8; the
    // route fields of timers 0 and 1 are ignored; timer 2 keeps its own route.
    wr(tcfg(0), Hpet::kTnIntEnbCnf | (20u << 9));
    wr(tcfg(1), Hpet::kTnIntEnbCnf | (21u << 9));
    wr(tcfg(2), Hpet::kTnIntEnbCnf | (22u << 9));
    wr(tcmp(0), 10);
    wr(tcmp(1), 20);
    wr(tcmp(2), 30);
    wr(kCfg, Hpet::kEnableCnf | Hpet::kLegRtCnf);
    EXPECT_EQ(legacy_calls, std::vector<bool>{true}) << "the board disconnects PIT IRQ0 and RTC IRQ8";
    const u64 t0 = clk.now_ns;
    run_until(t0 + 1000);
    EXPECT_EQ(rises("pic0"), std::vector<u64>{t0 + 100});
    EXPECT_EQ(rises("io2"), std::vector<u64>{t0 + 100});
    EXPECT_EQ(rises("pic8"), std::vector<u64>{t0 + 200});
    EXPECT_EQ(rises("io8"), std::vector<u64>{t0 + 200});
    EXPECT_EQ(rises("io22"), std::vector<u64>{t0 + 300});
    EXPECT_TRUE(rises("io20").empty());
    EXPECT_TRUE(rises("io21").empty());
    // Leaving legacy mode: timers 0/1 use their own routes again.
    wr(kCfg, Hpet::kEnableCnf);
    EXPECT_EQ(legacy_calls, (std::vector<bool>{true, false}));
    wr(tcmp(0), rd(kCnt) + 10);
    run_until(clk.now_ns + 1000);
    EXPECT_EQ(rises("io20").size(), 1u);
    EXPECT_EQ(rises("pic0").size(), 1u);
}

TEST_F(HpetTest, InvalidRouteIsIgnored) {
    // 2.3.8 Tn_INT_ROUTE_CNF: only routes set in Tn_INT_ROUTE_CAP are accepted; "the value read
    // back will not match what is written" otherwise.
    wr(tcfg(0), 20u << 9, 4);
    EXPECT_EQ((rd(tcfg(0), 4) >> 9) & 0x1f, 20u);
    wr(tcfg(0), 5u << 9, 4);  // IRQ5: not in 0x00ff0104
    EXPECT_EQ((rd(tcfg(0), 4) >> 9) & 0x1f, 20u);
    wr(tcfg(0), 8u << 9, 4);
    EXPECT_EQ((rd(tcfg(0), 4) >> 9) & 0x1f, 8u);
    // Read-only capability bits and the unsupported FSB enable cannot be written (2.3.8).
    wr(tcfg(0), ~0ull);
    EXPECT_EQ(rd(tcfg(0)) & (Hpet::kTnFsbEnCnf | Hpet::kTnFsbIntDelCap), 0u);
    EXPECT_EQ(rd(tcfg(0) + 4, 4), 0x00ff0104u);
    // The FSB route register (2.3.10) holds what is written.
    wr(tfsb(1), 0xfee00000'00000041ull);
    EXPECT_EQ(rd(tfsb(1)), 0xfee00000'00000041ull);
}

TEST_F(HpetTest, DwordHalvesOfSixtyFourBitComparator) {
    // 2.3.1 / 2.3.9: 32-bit software writes a 64-bit comparator as two dwords.
    wr(tcmp(0), 0x89abcdefu, 4);
    wr(tcmp(0) + 4, 0x01234567u, 4);
    EXPECT_EQ(rd(tcmp(0)), 0x01234567'89abcdefull);
    EXPECT_EQ(rd(tcmp(0) + 4, 4), 0x01234567u);
    // General configuration: a write to the upper (reserved) dword leaves ENABLE_CNF alone.
    wr(kCfg, 1, 4);
    wr(kCfg + 4, 0xffffffffu, 4);
    EXPECT_EQ(rd(kCfg), 1u);
}

TEST_F(HpetTest, SaveRestoreMidPeriod) {
    wr(tcfg(0), Hpet::kTnIntEnbCnf | Hpet::kTnTypeCnf | Hpet::kTnValSetCnf | (2u << 9));
    wr(tcmp(0), 1000);  // 10 us period
    wr(kCfg, 1);
    const u64 t0 = clk.now_ns;
    run_until(t0 + 25'000);  // mid-way through the third period
    ASSERT_EQ(rises("io2").size(), 2u);
    StateWriter w;
    hpet->describe_state(w);

    // Run on, then restore into a second machine's HPET (same clock) and compare.
    run_until(t0 + 45'000);
    const std::vector<u64> all = rises("io2");
    const std::vector<u64> want(all.begin() + 2, all.end());
    ASSERT_EQ(want, (std::vector<u64>{t0 + 30'000, t0 + 40'000}));

    Machine m2(small_cfg());
    auto* h2 = static_cast<Hpet*>(m2.add_device(std::make_unique<Hpet>(clk.source())));
    h2->realize(m2);
    std::vector<u64> got;
    h2->ioapic[2].handler = [&](bool l) { if (l) got.push_back(clk.now_ns); };
    StateReader r(w.buf);
    h2->describe_state(r);
    EXPECT_TRUE(r.consumed());
    clk.now_ns = t0 + 25'000;
    for (u64 e; (e = h2->next_event_ns()) <= t0 + 45'000;) {
        clk.now_ns = e;
        h2->update(e);
    }
    EXPECT_EQ(got, want);
    clk.now_ns = t0 + 45'000;
    EXPECT_EQ(h2->read(0xf0, 8), 4500u);
}

}  // namespace
