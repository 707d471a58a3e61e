// Local APIC (hw/intc/apic.h) programmed through its register page and x2APIC MSRs the way
// SeaBIOS (src/hw/apic... smp.c) and Linux (arch/x86/kernel/apic/) do, against a ManualClock.
// Expectations cite the Intel SDM Vol. 3A chapter 10 by section.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "frontend-x86/cpu_state.h"
#include "hw/intc/apic.h"
#include "softmmu/memory.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

// xAPIC register offsets (SDM Vol. 3A Table 10-1).
constexpr u32 kId = 0x20, kVer = 0x30, kTpr = 0x80, kApr = 0x90, kPpr = 0xa0, kEoi = 0xb0,
              kLdr = 0xd0, kDfr = 0xe0, kSvr = 0xf0, kIsr = 0x100, kTmr = 0x180, kIrr = 0x200,
              kEsr = 0x280, kIcrLo = 0x300, kIcrHi = 0x310, kLvtTimer = 0x320, kLvtThermal = 0x330,
              kLvtPerf = 0x340, kLvtLint0 = 0x350, kLvtLint1 = 0x360, kLvtError = 0x370,
              kInitCount = 0x380, kCurCount = 0x390, kDcr = 0x3e0;
constexpr u32 kMasked = 0x10000;

class ApicTest : public ::testing::Test {
protected:
    static constexpr unsigned kCpus = 4;
    ApicTest() {
        clk.now_ns = 1000;
        for (unsigned i = 0; i < kCpus; i++) {
            apics.push_back(std::make_unique<Apic>(i, clk.source(), bus));
            Apic* a = apics.back().get();
            a->cpu_signal = [this, i](u32 bits, bool set) {
                if (set) signals[i] |= bits;
                else signals[i] &= ~bits;
            };
            bus.add(a);
            a->reset();
        }
        bus.eoi_listener = [this](u8 v) { eois.push_back(v); };
    }
    Apic& a(unsigned i = 0) { return *apics[i]; }
    void enable(unsigned i) { a(i).mmio_write(kSvr, 0x1ff); }  // SVR: software enable, spurious 0xff
    void enable_all() {
        for (unsigned i = 0; i < kCpus; i++) enable(i);
    }
    bool irr(unsigned cpu, unsigned v) { return a(cpu).mmio_read(kIrr + 0x10 * (v / 32)) >> (v % 32) & 1; }
    bool isr(unsigned cpu, unsigned v) { return a(cpu).mmio_read(kIsr + 0x10 * (v / 32)) >> (v % 32) & 1; }
    bool tmr(unsigned cpu, unsigned v) { return a(cpu).mmio_read(kTmr + 0x10 * (v / 32)) >> (v % 32) & 1; }
    void ipi(unsigned from, u32 dest, u32 lo) {
        a(from).mmio_write(kIcrHi, dest << 24);
        a(from).mmio_write(kIcrLo, lo);
    }
    u32 esr(unsigned cpu) {
        a(cpu).mmio_write(kEsr, 0);  // 10.5.3: write before read to latch
        return a(cpu).mmio_read(kEsr);
    }
    void set_x2apic(unsigned i) {
        a(i).set_base(Apic::kDefaultBase | Apic::kBaseEnable | Apic::kBaseX2apic | (i == 0 ? Apic::kBaseBsp : 0));
    }
    // Drive the timer as the board's loop does: to each next event up to `until`, then `until`.
    void run_until(u64 until, unsigned cpu = 0) {
        for (u64 e; (e = a(cpu).next_event_ns()) <= until;) {
            clk.now_ns = e;
            a(cpu).update(e);
        }
        clk.now_ns = until;
        a(cpu).update(until);
    }

    ManualClock clk;
    ApicBus bus;
    std::vector<std::unique_ptr<Apic>> apics;
    u32 signals[kCpus] = {};
    std::vector<u8> eois;
};

TEST_F(ApicTest, ResetValues) {
    for (unsigned i = 0; i < kCpus; i++) {
        // 10.4.6: the ID register holds the APIC ID in bits 31:24.
        EXPECT_EQ(a(i).mmio_read(kId), i << 24);
        // 10.4.8: version 0x14 (integrated APIC), max LVT entry 5 in bits 23:16.
        EXPECT_EQ(a(i).mmio_read(kVer), 0x50014u);
        // 10.4.7.1: SVR 0xff, DFR all ones, TPR/LDR/ICR 0, LVTs masked.
        EXPECT_EQ(a(i).mmio_read(kSvr), 0xffu);
        EXPECT_EQ(a(i).mmio_read(kDfr), 0xffffffffu);
        EXPECT_EQ(a(i).mmio_read(kTpr), 0u);
        EXPECT_EQ(a(i).mmio_read(kPpr), 0u);
        EXPECT_EQ(a(i).mmio_read(kLdr), 0u);
        EXPECT_EQ(a(i).mmio_read(kIcrLo), 0u);
        EXPECT_EQ(a(i).mmio_read(kApr), 0u);
        for (u32 r : {kLvtTimer, kLvtThermal, kLvtPerf, kLvtLint1, kLvtError}) EXPECT_EQ(a(i).mmio_read(r), kMasked);
        EXPECT_EQ(a(i).mmio_read(kInitCount), 0u);
        EXPECT_EQ(a(i).mmio_read(kCurCount), 0u);
        EXPECT_EQ(a(i).mmio_read(kDcr), 0u);
        EXPECT_FALSE(a(i).sw_enabled());
    }
    // The BSP's LINT0 comes up as ExtINT (QEMU apic_reset_common, standing in for the BIOS);
    // the APs' is masked (10.4.7.1).
    EXPECT_EQ(a(0).mmio_read(kLvtLint0), 0x700u);
    EXPECT_EQ(a(1).mmio_read(kLvtLint0), kMasked);
    EXPECT_TRUE(a(0).base() & Apic::kBaseBsp);
    EXPECT_FALSE(a(1).base() & Apic::kBaseBsp);
}

TEST_F(ApicTest, LvtWritableBits) {
    enable(0);
    // 10.5.1, Figure 10-8: timer = vector, mask, mode; thermal/perfmon add delivery mode;
    // LINT adds polarity and trigger mode; error = vector and mask. Delivery status and remote
    // IRR are read-only.
    const struct { u32 reg, mask; } rows[] = {{kLvtTimer, 0x700ff}, {kLvtThermal, 0x107ff}, {kLvtPerf, 0x107ff},
                                              {kLvtLint0, 0x1a7ff}, {kLvtLint1, 0x1a7ff}, {kLvtError, 0x100ff}};
    for (const auto& r : rows) {
        a().mmio_write(r.reg, 0xffffffff);
        EXPECT_EQ(a().mmio_read(r.reg), r.mask) << std::hex << r.reg;
        a().mmio_write(r.reg, kMasked);
    }
    // 10.6.2.2: only DFR bits 31:28 and LDR bits 31:24 are writable; ID bits 31:24 (10.4.6).
    a().mmio_write(kDfr, 0);
    EXPECT_EQ(a().mmio_read(kDfr), 0x0fffffffu);
    a().mmio_write(kLdr, 0xffffffff);
    EXPECT_EQ(a().mmio_read(kLdr), 0xff000000u);
    a().mmio_write(kId, 0xffffffff);
    EXPECT_EQ(a().mmio_read(kId), 0xff000000u);
    // The other dwords of a 16-byte register slot are reserved (10.4.1).
    EXPECT_EQ(a().mmio_read(kVer + 4), 0u);
}

TEST_F(ApicTest, MmioRegionDispatchesToCurrentCpu) {
    // The board maps one page at 0xfee00000 for all CPUs; each access reaches the APIC of the
    // CPU making it.
    unsigned current = 2;
    auto region = Apic::make_region([&] { return &a(current); });
    EXPECT_EQ(region->size(), 0x1000u);
    EXPECT_EQ(region->ops().read(kId, 4), 2u << 24);
    current = 3;
    EXPECT_EQ(region->ops().read(kId, 4), 3u << 24);
    region->ops().write(kTpr, 0x40, 4);
    EXPECT_EQ(a(3).mmio_read(kTpr), 0x40u);
    EXPECT_EQ(a(2).mmio_read(kTpr), 0u);
}

TEST_F(ApicTest, X2apicTransitionKeepsStateAndDerivesIds) {
    enable(2);
    a(2).mmio_write(kId, 0x09000000);  // xAPIC software-written ID
    a(2).mmio_write(kTpr, 0x30);
    a(2).mmio_write(kLvtTimer, 0x45);
    set_x2apic(2);
    u64 v = 0;
    // 10.12.5.1: the ID reverts to the initial APIC ID; other registers carry over.
    EXPECT_TRUE(a(2).msr_read(0x802, v));
    EXPECT_EQ(v, 2u);
    EXPECT_TRUE(a(2).msr_read(0x808, v));
    EXPECT_EQ(v, 0x30u);
    EXPECT_TRUE(a(2).msr_read(0x832, v));
    EXPECT_EQ(v, 0x45u);
    EXPECT_TRUE(a(2).msr_read(0x80f, v));
    EXPECT_EQ(v, 0x1ffu);
    // INIT keeps x2APIC mode (x2APIC spec 2.7.2) and the ID.
    a(2).init_reset();
    EXPECT_TRUE(a(2).x2apic_mode());
    EXPECT_TRUE(a(2).msr_read(0x802, v));
    EXPECT_EQ(v, 2u);
    // An x2APIC ID above 255 (x2APIC spec 2.4.2): cluster = ID >> 4, bit = ID & 15.
    Apic big(0x123, clk.source(), bus);
    big.set_base(Apic::kDefaultBase | Apic::kBaseEnable | Apic::kBaseX2apic);
    EXPECT_TRUE(big.msr_read(0x80d, v));
    EXPECT_EQ(v, (0x12u << 16) | (1u << 3));
}

TEST_F(ApicTest, TprAndPpr) {
    enable(0);
    // 10.8.3.1: with no ISR bit, PPR = TPR.
    a().mmio_write(kTpr, 0x35);
    EXPECT_EQ(a().mmio_read(kTpr), 0x35u);
    EXPECT_EQ(a().mmio_read(kPpr), 0x35u);
    // 10.8.3.1: an IRR vector is delivered only if its class is above PPR[7:4].
    a().deliver(0x3f, DeliveryMode::Fixed, false);
    EXPECT_EQ(a().pending_vector(), -1);
    EXPECT_FALSE(signals[0] & x86::IRQ_HARD);
    a().deliver(0x41, DeliveryMode::Fixed, false);
    EXPECT_EQ(a().pending_vector(), 0x41);
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    EXPECT_EQ(a().acknowledge(), 0x41);
    // 10.8.3.1: ISRV class 4 > TPR class 3: PPR = 0x40.
    EXPECT_EQ(a().mmio_read(kPpr), 0x40u);
    a().mmio_write(kTpr, 0x52);
    EXPECT_EQ(a().mmio_read(kPpr), 0x52u);
    a().mmio_write(kEoi, 0);
    a().mmio_write(kTpr, 0);
    EXPECT_EQ(a().mmio_read(kPpr), 0u);
    EXPECT_EQ(a().pending_vector(), 0x3f);  // lowering TPR releases the held vector
}

TEST_F(ApicTest, IrrToIsrPriorityAndNesting) {
    enable(0);
    a().deliver(0x31, DeliveryMode::Fixed, false);
    a().deliver(0x81, DeliveryMode::Fixed, false);
    a().deliver(0x51, DeliveryMode::Fixed, false);
    // 10.8.3: the highest vector is the highest priority; INTA moves it IRR -> ISR (10.8.4).
    EXPECT_EQ(a().acknowledge(), 0x81);
    EXPECT_FALSE(irr(0, 0x81));
    EXPECT_TRUE(isr(0, 0x81));
    // Lower classes wait for the EOI (10.8.3.1: PPR = 0x80 now).
    EXPECT_EQ(a().pending_vector(), -1);
    EXPECT_FALSE(signals[0] & x86::IRQ_HARD);
    // A higher class nests (10.8.3).
    a().deliver(0x91, DeliveryMode::Fixed, false);
    EXPECT_EQ(a().acknowledge(), 0x91);
    EXPECT_TRUE(isr(0, 0x91));
    EXPECT_TRUE(isr(0, 0x81));
    // 10.8.5: EOI retires the highest ISR bit first.
    a().mmio_write(kEoi, 0);
    EXPECT_FALSE(isr(0, 0x91));
    EXPECT_TRUE(isr(0, 0x81));
    EXPECT_EQ(a().pending_vector(), -1);
    a().mmio_write(kEoi, 0);
    EXPECT_FALSE(isr(0, 0x81));
    EXPECT_EQ(a().acknowledge(), 0x51);
    a().mmio_write(kEoi, 0);
    EXPECT_EQ(a().acknowledge(), 0x31);
    a().mmio_write(kEoi, 0);
    EXPECT_EQ(a().pending_vector(), -1);
    // Edge-triggered vectors send no EOI message (10.8.5).
    EXPECT_TRUE(eois.empty());
    // An EOI with an empty ISR is ignored.
    a().mmio_write(kEoi, 0);
    EXPECT_TRUE(eois.empty());
}

TEST_F(ApicTest, LevelTriggeredEoiIsBroadcast) {
    enable(0);
    a().deliver(0x61, DeliveryMode::Fixed, true);
    // 10.8.4: TMR set for a level-triggered acceptance.
    EXPECT_TRUE(tmr(0, 0x61));
    EXPECT_EQ(a().acknowledge(), 0x61);
    a().mmio_write(kEoi, 0);
    // 10.8.5: the EOI of a level-triggered vector goes to the IO APICs.
    ASSERT_EQ(eois.size(), 1u);
    EXPECT_EQ(eois[0], 0x61);
    // A later edge acceptance of the vector clears TMR.
    a().deliver(0x61, DeliveryMode::Fixed, false);
    EXPECT_FALSE(tmr(0, 0x61));
}

TEST_F(ApicTest, SpuriousVectorWhenInterruptWentAway) {
    a().mmio_write(kSvr, 0x1ef);
    a().deliver(0x41, DeliveryMode::Fixed, false);
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    a().mmio_write(kTpr, 0x50);
    // 10.9: INTA with nothing deliverable gives the spurious vector and sets no ISR bit.
    EXPECT_EQ(a().acknowledge(), 0xef);
    EXPECT_FALSE(isr(0, 0xef));
    EXPECT_TRUE(irr(0, 0x41));
}

TEST_F(ApicTest, SoftwareDisabledMasksLvtsAndHoldsInterrupts) {
    // 10.4.7.2: while software-disabled the LVT mask bits cannot be cleared.
    a(1).mmio_write(kLvtTimer, 0x30);
    EXPECT_EQ(a(1).mmio_read(kLvtTimer), kMasked | 0x30);
    // Fixed interrupts are held, not dispatched (as QEMU's apic_irq_pending)...
    a(1).deliver(0x40, DeliveryMode::Fixed, false);
    EXPECT_TRUE(irr(1, 0x40));
    EXPECT_EQ(a(1).pending_vector(), -1);
    EXPECT_FALSE(signals[1] & x86::IRQ_HARD);
    // ...but NMI, INIT and SIPI are still taken.
    a(1).deliver(0, DeliveryMode::Nmi, false);
    EXPECT_TRUE(signals[1] & x86::IRQ_NMI);
    // Enabling lets the held vector through and LVTs can be unmasked.
    enable(1);
    EXPECT_EQ(a(1).pending_vector(), 0x40);
    a(1).mmio_write(kLvtTimer, 0x30);
    EXPECT_EQ(a(1).mmio_read(kLvtTimer), 0x30u);
    a(1).mmio_write(kLvtLint1, 0x400);
    // 10.4.7.2: software-disabling sets every LVT mask bit.
    a(1).mmio_write(kSvr, 0xff);
    EXPECT_EQ(a(1).mmio_read(kLvtTimer), kMasked | 0x30);
    EXPECT_EQ(a(1).mmio_read(kLvtLint1), kMasked | 0x400);
}

TEST_F(ApicTest, IllegalVectorsSetEsr) {
    enable(0);
    a().mmio_write(kLvtError, 0xfe);
    // 10.5.3: a received vector 0-15 sets "received illegal vector" (bit 6) and is dropped.
    a().deliver(0x05, DeliveryMode::Fixed, false);
    EXPECT_FALSE(irr(0, 0x05));
    // The error LVT fires.
    EXPECT_EQ(a().pending_vector(), 0xfe);
    EXPECT_EQ(esr(0), 0x40u);
    // 10.5.3: a fixed IPI with vector 0-15 is not sent and sets "send illegal vector" (bit 5).
    ipi(0, 1, 0x0c);
    EXPECT_FALSE(irr(1, 0x0c));
    EXPECT_EQ(esr(0), 0x20u);
    // The next write clears what was latched.
    EXPECT_EQ(esr(0), 0u);
}

TEST_F(ApicTest, TimerOneShot) {
    enable(0);
    a().mmio_write(kDcr, 0xb);  // 10.5.4 Figure 10-10: divide by 1
    a().mmio_write(kLvtTimer, 0x40);
    a().mmio_write(kInitCount, 1000);
    // 1 GHz bus clock: one count per ns at divide by 1.
    EXPECT_EQ(a().mmio_read(kCurCount), 1000u);
    EXPECT_EQ(a().next_event_ns(), 2000u);
    clk.advance(300);
    EXPECT_EQ(a().mmio_read(kCurCount), 700u);
    run_until(1999);
    EXPECT_EQ(a().pending_vector(), -1);
    run_until(2000);
    // 10.5.4: at zero the timer raises its LVT vector; one-shot stays at 0.
    EXPECT_EQ(a().pending_vector(), 0x40);
    EXPECT_EQ(a().mmio_read(kCurCount), 0u);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    // 10.5.4: writing 0 to the initial count stops the timer.
    a().mmio_write(kInitCount, 500);
    a().mmio_write(kInitCount, 0);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    EXPECT_EQ(a().mmio_read(kCurCount), 0u);
}

TEST_F(ApicTest, TimerPeriodicAndDivide) {
    enable(0);
    a().mmio_write(kDcr, 0x3);  // divide by 16
    a().mmio_write(kLvtTimer, 0x20000 | 0x41);  // periodic (10.5.4.1 bits 18:17 = 01)
    a().mmio_write(kInitCount, 100);
    EXPECT_EQ(a().next_event_ns(), 1000u + 1600);
    clk.advance(800);
    EXPECT_EQ(a().mmio_read(kCurCount), 50u);
    run_until(2600);
    EXPECT_EQ(a().acknowledge(), 0x41);
    a().mmio_write(kEoi, 0);
    // 10.5.4: periodic mode reloads the initial count.
    EXPECT_EQ(a().next_event_ns(), 1000u + 3200);
    EXPECT_EQ(a().mmio_read(kCurCount), 100u);
    // A late update coalesces the missed periods into one interrupt.
    clk.now_ns = 20000;
    a().update(20000);
    EXPECT_EQ(a().acknowledge(), 0x41);
    a().mmio_write(kEoi, 0);
    EXPECT_EQ(a().pending_vector(), -1);
    EXPECT_EQ(a().next_event_ns(), 1000u + 12 * 1600);
    // A masked timer still counts but delivers nothing (10.5.1 mask bit).
    a().mmio_write(kLvtTimer, kMasked | 0x20000 | 0x41);
    run_until(40000);
    EXPECT_EQ(a().pending_vector(), -1);
}

TEST_F(ApicTest, TimerDivideConfigurationTable) {
    enable(0);
    // 10.5.4, Figure 10-10: DCR bits 3,1:0.
    const struct { u32 dcr, div; } rows[] = {{0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16},
                                             {0x8, 32}, {0x9, 64}, {0xa, 128}, {0xb, 1}};
    for (const auto& r : rows) {
        a().mmio_write(kDcr, r.dcr);
        EXPECT_EQ(a().mmio_read(kDcr), r.dcr);
        a().mmio_write(kInitCount, 1000);
        clk.advance(10 * r.div);
        EXPECT_EQ(a().mmio_read(kCurCount), 990u) << "DCR " << r.dcr;
        EXPECT_EQ(a().next_event_ns(), clk.now_ns - 10 * r.div + 1000ull * r.div);
    }
}

TEST_F(ApicTest, TscDeadline) {
    enable(0);
    u64 tsc_value = 50000;
    a().tsc = [&] { return tsc_value; };
    // 10.5.4.1: outside TSC-deadline mode the MSR reads 0 and writes are ignored.
    u64 v = 1;
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, 60000));
    EXPECT_TRUE(a().msr_read(Apic::kMsrTscDeadline, v));
    EXPECT_EQ(v, 0u);
    a().mmio_write(kLvtTimer, 0x40000 | 0x50);  // bits 18:17 = 10: TSC-deadline
    // 10.5.4.1: the initial count is ignored in TSC-deadline mode; current count reads 0.
    a().mmio_write(kInitCount, 100);
    EXPECT_EQ(a().mmio_read(kInitCount), 0u);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, 50500));
    EXPECT_TRUE(a().msr_read(Apic::kMsrTscDeadline, v));
    EXPECT_EQ(v, 50500u);
    EXPECT_EQ(a().next_event_ns(), 1000u + 500);  // TSC at 1 GHz: 500 ticks = 500 ns
    EXPECT_EQ(a().mmio_read(kCurCount), 0u);
    clk.now_ns += 500;
    tsc_value += 500;
    a().update(clk.now_ns);
    // 10.5.4.1: the timer fires once and clears IA32_TSC_DEADLINE.
    EXPECT_EQ(a().pending_vector(), 0x50);
    EXPECT_TRUE(a().msr_read(Apic::kMsrTscDeadline, v));
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    EXPECT_EQ(a().acknowledge(), 0x50);
    a().mmio_write(kEoi, 0);
    // A 2 GHz TSC: 1000 ticks = 500 ns.
    a().tsc_hz = 2'000'000'000;
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, tsc_value + 1000));
    EXPECT_EQ(a().next_event_ns(), clk.now_ns + 500);
    // Writing 0 disarms (10.5.4.1).
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, 0));
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    // A deadline already past fires at once.
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, tsc_value - 1));
    EXPECT_EQ(a().pending_vector(), 0x50);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
    // Leaving TSC-deadline mode disarms it (10.5.4.1).
    EXPECT_EQ(a().acknowledge(), 0x50);
    a().mmio_write(kEoi, 0);
    EXPECT_TRUE(a().msr_write(Apic::kMsrTscDeadline, tsc_value + 100));
    a().mmio_write(kLvtTimer, 0x50);
    EXPECT_EQ(a().next_event_ns(), ~0ull);
}

TEST_F(ApicTest, Lint0ExtIntPassThrough) {
    enable(0);
    a().mmio_write(kLvtLint0, 0x8700);  // SeaBIOS: ExtINT, level (FIRMWARE.md §4)
    EXPECT_FALSE(a().has_extint());
    // 10.5.1: ExtINT makes the 8259's INTR on LINT0 an interrupt request; the vector comes from
    // the 8259's INTA.
    a().set_lint(0, true);
    EXPECT_TRUE(a().has_extint());
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    EXPECT_EQ(a().acknowledge(), Apic::kExtInt);
    EXPECT_EQ(a().mmio_read(kIsr + 0x10), 0u);  // nothing enters ISR
    a().set_lint(0, false);
    EXPECT_FALSE(signals[0] & x86::IRQ_HARD);
    // Masked LINT0: INTR does not get through.
    a().mmio_write(kLvtLint0, kMasked | 0x8700);
    a().set_lint(0, true);
    EXPECT_FALSE(a().has_extint());
    EXPECT_FALSE(signals[0] & x86::IRQ_HARD);
    // Unmasking with INTR already high passes it (level-sensitive).
    a().mmio_write(kLvtLint0, 0x8700);
    EXPECT_TRUE(signals[0] & x86::IRQ_HARD);
    // 10.4.3: a hardware-disabled APIC leaves LINT0 as the plain INTR pin, LINT1 as NMI.
    a().set_base(Apic::kDefaultBase | Apic::kBaseBsp);
    EXPECT_TRUE(a().has_extint());
    EXPECT_EQ(a().acknowledge(), Apic::kExtInt);
    a().set_lint(1, true);
    EXPECT_TRUE(signals[0] & x86::IRQ_NMI);
    a().set_lint(0, false);
    EXPECT_FALSE(signals[0] & x86::IRQ_HARD);
    EXPECT_EQ(a().acknowledge(), -1);
}

TEST_F(ApicTest, FixedInterruptWinsOverExtInt) {
    enable(0);
    a().mmio_write(kLvtLint0, 0x700);
    a().set_lint(0, true);
    a().deliver(0x70, DeliveryMode::Fixed, false);
    // As QEMU's cpu_get_pic_interrupt: the APIC's own vector first, then the 8259.
    EXPECT_EQ(a().acknowledge(), 0x70);
    EXPECT_EQ(a().acknowledge(), Apic::kExtInt);
    // An ExtINT message from the bus (IO APIC pin in ExtINT mode) is consumed by INTA.
    a().set_lint(0, false);
    a().deliver(0, DeliveryMode::ExtInt, false);
    EXPECT_TRUE(a().has_extint());
    EXPECT_EQ(a().acknowledge(), Apic::kExtInt);
    EXPECT_FALSE(a().has_extint());
}

TEST_F(ApicTest, Lint1NmiAndLint0LevelFixed) {
    enable(0);
    // LINT1 as NMI (Linux, SeaBIOS: 0x400): edge-sensitive (10.5.1).
    a().mmio_write(kLvtLint1, 0x400);
    a().set_lint(1, true);
    EXPECT_TRUE(signals[0] & x86::IRQ_NMI);
    signals[0] &= ~x86::IRQ_NMI;  // the CPU takes the NMI
    a().set_lint(1, true);
    EXPECT_FALSE(signals[0] & x86::IRQ_NMI);  // no new edge
    // LINT0 fixed, level, active low: remote IRR set on acceptance, cleared by EOI (10.5.1).
    a().set_lint(0, true);
    a().mmio_write(kLvtLint0, 0x8000 | 0x2000 | 0x66);
    EXPECT_EQ(a().pending_vector(), -1);
    a().set_lint(0, false);  // asserted (active low)
    EXPECT_TRUE(a().mmio_read(kLvtLint0) & 0x4000);
    EXPECT_EQ(a().acknowledge(), 0x66);
    EXPECT_TRUE(tmr(0, 0x66));
    a().mmio_write(kEoi, 0);
    // Still asserted after the EOI: accepted again.
    EXPECT_EQ(a().acknowledge(), 0x66);
    a().set_lint(0, true);  // deasserted
    a().mmio_write(kEoi, 0);
    EXPECT_FALSE(a().mmio_read(kLvtLint0) & 0x4000);
    EXPECT_EQ(a().pending_vector(), -1);
}

TEST_F(ApicTest, IpiPhysicalBroadcastShorthands) {
    enable_all();
    // 10.6.2.1: physical destination = APIC ID.
    ipi(0, 2, 0x4041);  // fixed, assert
    EXPECT_TRUE(irr(2, 0x41));
    EXPECT_FALSE(irr(1, 0x41));
    EXPECT_TRUE(signals[2] & x86::IRQ_HARD);
    // 10.6.1: delivery status (bit 12) reads idle: delivery is instant.
    EXPECT_EQ(a(0).mmio_read(kIcrLo), 0x4041u);
    EXPECT_EQ(a(0).mmio_read(kIcrHi), 2u << 24);
    // 10.6.2.1: 0xff is the broadcast ID.
    ipi(1, 0xff, 0x42);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_TRUE(irr(i, 0x42));
    // 10.6.1 shorthands: self (01), all including self (10), all excluding self (11).
    ipi(3, 0, 0x40000 | 0x43);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x43), i == 3);
    ipi(1, 0, 0x80000 | 0x44);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_TRUE(irr(i, 0x44));
    ipi(1, 0, 0xc0000 | 0x45);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x45), i != 1);
    // A physical ID nobody has: nothing.
    ipi(0, 7, 0x46);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_FALSE(irr(i, 0x46));
}

TEST_F(ApicTest, IpiLogicalFlatAndCluster) {
    enable_all();
    // 10.6.2.2 flat model (DFR 0xffffffff): one LDR bit per CPU, any common bit matches.
    for (unsigned i = 0; i < kCpus; i++) a(i).mmio_write(kLdr, (1u << i) << 24);
    EXPECT_EQ(a(2).mmio_read(kLdr), 0x04000000u);
    ipi(0, 0x06, 0x800 | 0x51);  // logical, CPUs 1 and 2
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x51), i == 1 || i == 2);
    // Cluster model (DFR model 0000): cluster in MDA 7:4, members in 3:0.
    for (unsigned i = 0; i < kCpus; i++) {
        a(i).mmio_write(kDfr, 0x0fffffff);
        a(i).mmio_write(kLdr, (((i / 2 + 1) << 4) | (1u << (i % 2))) << 24);  // clusters 1, 2
    }
    EXPECT_EQ(a(0).mmio_read(kDfr), 0x0fffffffu);
    ipi(0, 0x23, 0x800 | 0x52);  // cluster 2, members 0 and 1: CPUs 2 and 3
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x52), i >= 2);
    ipi(0, 0x12, 0x800 | 0x53);  // cluster 1, member 1: CPU 1
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x53), i == 1);
    ipi(0, 0xff, 0x800 | 0x54);  // logical broadcast
    for (unsigned i = 0; i < kCpus; i++) EXPECT_TRUE(irr(i, 0x54));
}

TEST_F(ApicTest, IpiLowestPriority) {
    enable_all();
    for (unsigned i = 0; i < kCpus; i++) a(i).mmio_write(kLdr, 0x01000000u << i);
    a(0).mmio_write(kTpr, 0x20);
    a(1).mmio_write(kTpr, 0x10);
    a(2).mmio_write(kTpr, 0x10);
    a(3).mmio_write(kTpr, 0x30);
    // 10.6.2.4: one target, the one with the lowest processor priority (tie: lowest ID here).
    ipi(0, 0x0f, 0x800 | 0x100 | 0x61);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x61), i == 1);
    a(1).mmio_write(kTpr, 0x40);
    ipi(0, 0x0f, 0x800 | 0x100 | 0x62);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(irr(i, 0x62), i == 2);
}

TEST_F(ApicTest, InitSipiSequence) {
    enable_all();
    // An AP with some state, to see INIT clear it.
    a(2).mmio_write(kTpr, 0x20);
    a(2).mmio_write(kLvtTimer, 0x31);
    a(2).mmio_write(kId, 0x07000000);
    a(2).deliver(0x80, DeliveryMode::Fixed, false);
    // SeaBIOS/Linux AP start: INIT assert to all excluding self (10.6.1 delivery mode 101).
    ipi(0, 0, 0xc0000 | 0x4500);
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ((signals[i] & x86::IRQ_INIT) != 0, i != 0);
    // INIT level de-assert (level 0, trigger level) delivers nothing (10.6.1).
    signals[1] = 0;
    ipi(0, 1, 0x8500);
    EXPECT_FALSE(signals[1] & x86::IRQ_INIT);
    // 10.4.7.3: the APIC resets on accepting INIT, keeping the ID and the base.
    EXPECT_EQ(a(2).mmio_read(kId), 0x07000000u);
    EXPECT_TRUE(a(2).hw_enabled());
    EXPECT_EQ(a(2).mmio_read(kTpr), 0u);
    EXPECT_EQ(a(2).mmio_read(kSvr), 0xffu);
    EXPECT_EQ(a(2).mmio_read(kLvtTimer), kMasked);
    EXPECT_FALSE(irr(2, 0x80));
    EXPECT_FALSE(signals[2] & x86::IRQ_HARD);
    // The CPU calling init_reset() again when it takes IRQ_INIT changes nothing.
    a(2).init_reset();
    EXPECT_EQ(a(2).mmio_read(kId), 0x07000000u);
    // SIPI (110) with vector 0x9f: the AP starts at 0x9f000 (10.6.1, 8.4.4.1).
    ipi(0, 0, 0xc0000 | 0x4600 | 0x9f);
    for (unsigned i = 1; i < kCpus; i++) {
        EXPECT_TRUE(signals[i] & x86::IRQ_SIPI);
        EXPECT_EQ(a(i).sipi_vector(), 0x9f);
    }
    EXPECT_FALSE(signals[0] & x86::IRQ_SIPI);
    // INIT physical to one CPU, NMI and SMI IPIs.
    for (u32& s : signals) s = 0;
    ipi(0, 3, 0x4500);
    EXPECT_EQ(signals[3], u32{x86::IRQ_INIT});
    ipi(0, 7, 0x400);  // ID 7 is CPU 2 now (its ID register was written)
    EXPECT_TRUE(signals[2] & x86::IRQ_NMI);
    ipi(0, 1, 0x200);
    EXPECT_TRUE(signals[1] & x86::IRQ_SMI);
}

TEST_F(ApicTest, X2apicMsrs) {
    u64 v = 0;
    // 10.12.1.2: the x2APIC MSRs #GP unless x2APIC mode is on.
    EXPECT_FALSE(a(1).msr_read(0x802, v));
    EXPECT_FALSE(a(1).msr_write(0x808, 0));
    set_x2apic(1);
    EXPECT_TRUE(a(1).x2apic_mode());
    // 10.12.5.1 / x2APIC spec 2.4.1: 32-bit ID = initial APIC ID; LDR derived from it.
    EXPECT_TRUE(a(1).msr_read(0x802, v));
    EXPECT_EQ(v, 1u);
    EXPECT_TRUE(a(1).msr_read(0x803, v));
    EXPECT_EQ(v, 0x50014u);
    EXPECT_TRUE(a(1).msr_read(0x80d, v));
    EXPECT_EQ(v, 0x2u);  // cluster 0, bit 1
    // 10.12.1.2, x2APIC spec Table 2-2: read-only registers #GP on write...
    EXPECT_FALSE(a(1).msr_write(0x802, 5));   // ID
    EXPECT_FALSE(a(1).msr_write(0x803, 0));   // version
    EXPECT_FALSE(a(1).msr_write(0x80a, 0));   // PPR
    EXPECT_FALSE(a(1).msr_write(0x80d, 0));   // LDR
    EXPECT_FALSE(a(1).msr_write(0x810, 0));   // ISR
    EXPECT_FALSE(a(1).msr_write(0x839, 0));   // current count
    // ...write-only ones on read, and the registers x2APIC dropped on both.
    EXPECT_FALSE(a(1).msr_read(0x80b, v));    // EOI
    EXPECT_FALSE(a(1).msr_read(0x83f, v));    // SELF IPI
    EXPECT_FALSE(a(1).msr_read(0x80e, v));    // DFR
    EXPECT_FALSE(a(1).msr_write(0x80e, 0));
    EXPECT_FALSE(a(1).msr_read(0x831, v));    // ICR high (folded into 0x830)
    EXPECT_FALSE(a(1).msr_read(0x809, v));    // APR
    EXPECT_FALSE(a(1).msr_read(0x8ff, v));    // reserved
    // Reserved bits #GP (x2APIC spec 2.4).
    EXPECT_FALSE(a(1).msr_write(0x808, 0x100));  // TPR
    EXPECT_FALSE(a(1).msr_write(0x80b, 1));      // EOI must be 0
    EXPECT_FALSE(a(1).msr_write(0x828, 1));      // ESR must be 0
    EXPECT_FALSE(a(1).msr_write(0x83f, 0x100));  // SELF IPI
    EXPECT_FALSE(a(1).msr_write(0x83e, 0x4));    // DCR
    EXPECT_FALSE(a(1).msr_write(0x830, 1u << 12));  // ICR delivery status
    // Normal registers work.
    EXPECT_TRUE(a(1).msr_write(0x80f, 0x1ff));
    EXPECT_TRUE(a(1).msr_write(0x808, 0x20));
    EXPECT_TRUE(a(1).msr_read(0x80a, v));
    EXPECT_EQ(v, 0x20u);
    EXPECT_TRUE(a(1).msr_write(0x808, 0));
    // SELF IPI (x2APIC spec 2.4.5).
    EXPECT_TRUE(a(1).msr_write(0x83f, 0x77));
    EXPECT_EQ(a(1).pending_vector(), 0x77);
    EXPECT_EQ(a(1).acknowledge(), 0x77);
    EXPECT_TRUE(a(1).msr_read(0x813, v));  // ISR bits 96-127
    EXPECT_EQ(v, 1u << (0x77 - 0x60));
    EXPECT_TRUE(a(1).msr_write(0x80b, 0));
    EXPECT_TRUE(a(1).msr_read(0x813, v));
    EXPECT_EQ(v, 0u);
    // 10.12.2: the MMIO page is gone in x2APIC mode.
    EXPECT_EQ(a(1).mmio_read(kVer), 0u);
    // IA32_TSC_DEADLINE works in either mode.
    EXPECT_TRUE(a(0).msr_read(Apic::kMsrTscDeadline, v));
    // Indices the APIC does not own are not its business.
    EXPECT_FALSE(a(1).msr_read(0x1b, v));
}

TEST_F(ApicTest, X2apicIpis) {
    for (unsigned i = 0; i < kCpus; i++) {
        set_x2apic(i);
        EXPECT_TRUE(a(i).msr_write(0x80f, 0x1ff));
    }
    // x2APIC spec 2.4.3: ICR is one 64-bit MSR, destination in 63:32.
    EXPECT_TRUE(a(0).msr_write(0x830, (3ull << 32) | 0x4055));
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(a(i).pending_vector() == 0x55, i == 3);
    u64 v = 0;
    EXPECT_TRUE(a(0).msr_read(0x830, v));
    EXPECT_EQ(v, (3ull << 32) | 0x4055);
    // Logical: cluster 0 (IDs 0-15), bits 1 and 2 -> CPUs 1 and 2 (x2APIC spec 2.4.2).
    EXPECT_TRUE(a(0).msr_write(0x830, (0x6ull << 32) | 0x800 | 0x56));
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(a(i).pending_vector() == 0x56, i == 1 || i == 2);
    // Another cluster: nobody.
    EXPECT_TRUE(a(0).msr_write(0x830, (0x10006ull << 32) | 0x800 | 0x57));
    for (unsigned i = 0; i < kCpus; i++) EXPECT_NE(a(i).pending_vector(), 0x57);
    // Broadcast is 0xffffffff in x2APIC mode.
    EXPECT_TRUE(a(0).msr_write(0x830, (0xffffffffull << 32) | 0x58));
    for (unsigned i = 0; i < kCpus; i++) EXPECT_EQ(a(i).pending_vector(), 0x58);
}

TEST_F(ApicTest, HardwareDisableReturnsToPowerUpState) {
    enable(1);
    a(1).mmio_write(kTpr, 0x40);
    a(1).deliver(0x90, DeliveryMode::Fixed, false);
    // 10.4.3: clearing IA32_APIC_BASE[11] disables the APIC; its state returns to power-up.
    a(1).set_base(Apic::kDefaultBase);
    EXPECT_FALSE(a(1).hw_enabled());
    EXPECT_FALSE(signals[1] & x86::IRQ_HARD);
    // A disabled APIC takes no part in bus messages.
    ipi(0, 1, 0x4091);
    a(1).set_base(Apic::kDefaultBase | Apic::kBaseEnable);
    EXPECT_EQ(a(1).mmio_read(kTpr), 0u);
    EXPECT_EQ(a(1).mmio_read(kSvr), 0xffu);
    EXPECT_FALSE(irr(1, 0x90));
    EXPECT_FALSE(irr(1, 0x91));
    // RESET brings IA32_APIC_BASE back (10.4.4), as Machine::reset_cpu does for the CPU side.
    a(1).set_base(Apic::kDefaultBase);
    a(1).reset();
    EXPECT_EQ(a(1).base(), Apic::kDefaultBase | Apic::kBaseEnable);
    a(0).set_base(Apic::kDefaultBase | Apic::kBaseEnable | Apic::kBaseX2apic | Apic::kBaseBsp);
    a(0).reset();
    EXPECT_EQ(a(0).base(), Apic::kDefaultBase | Apic::kBaseEnable | Apic::kBaseBsp);
    EXPECT_FALSE(a(0).x2apic_mode());
}

TEST_F(ApicTest, SaveRestoreMidTimer) {
    enable(0);
    a().mmio_write(kDcr, 0x1);  // divide by 4
    a().mmio_write(kLvtTimer, 0x20000 | 0x42);
    a().mmio_write(kInitCount, 250);  // period 1000 ns
    a().mmio_write(kTpr, 0x10);
    a().deliver(0x99, DeliveryMode::Fixed, false);
    clk.advance(400);
    StateWriter w;
    a().describe_state(w);
    // A fresh APIC on another bus takes the state over.
    ApicBus bus2;
    Apic b(0, clk.source(), bus2);
    u32 sig = 0;
    b.cpu_signal = [&](u32 bits, bool set) { sig = set ? sig | bits : sig & ~bits; };
    StateReader r(w.buf);
    b.describe_state(r);
    EXPECT_TRUE(r.consumed());
    EXPECT_EQ(b.mmio_read(kCurCount), 150u);
    EXPECT_EQ(b.mmio_read(kTpr), 0x10u);
    EXPECT_EQ(b.mmio_read(kLvtTimer), 0x20042u);
    EXPECT_EQ(b.next_event_ns(), 2000u);
    EXPECT_EQ(b.acknowledge(), 0x99);
    b.mmio_write(kEoi, 0);
    clk.now_ns = 2000;
    b.update(2000);
    EXPECT_EQ(b.pending_vector(), 0x42);
    EXPECT_TRUE(sig & x86::IRQ_HARD);
    EXPECT_EQ(b.next_event_ns(), 3000u);
}

}  // namespace
