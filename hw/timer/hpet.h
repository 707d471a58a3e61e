// The High Precision Event Timer (IA-PC HPET Specification 1.0a, October 2004) as the ICH9 and
// QEMU's q35 present it: one timer block at 0xfed00000 (0x400 bytes of MMIO), a 64-bit main
// counter at 100 MHz (10 ns = 10,000,000 fs per tick), three comparators, all periodic-capable
// and 64-bit, no FSB (MSI) delivery.
//
// Time comes from an injected ClockSource: the main counter is computed from the clock, so reads
// need no host timer. Comparator matches are delivered by update(now), which the board calls at
// next_event_ns() (Machine::add_timer); a late call coalesces periodic matches long past into one
// interrupt, as the PIT does with lost ticks.
//
// Interrupt outputs (spec 2.3.5 LEG_RT_CNF, 2.3.8 Tn_INT_ROUTE_CNF):
//  - ioapic[n]: I/O APIC input pin n. A timer routed to n drives ioapic[n]. In legacy
//    replacement mode timer 0 drives ioapic[2] and timer 1 drives ioapic[8].
//  - pic_irq0 / pic_irq8: 8259 inputs IRQ0 / IRQ8, driven only in legacy replacement mode by
//    timers 0 / 1 (the spec's "IRQ0 in non-APIC, IRQ2 in the I/O APIC" routing: both at once).
//  - on_legacy_change(bool): LEG_RT_CNF changed. While it is set the board should disconnect the
//    PIT's OUT0 from IRQ0/pin 2 and the RTC's IRQ8 output, as the chipset does (QEMU does the
//    same on the LEG_RT_CNF bit alone, independent of ENABLE_CNF).
#pragma once
#include <array>
#include <functional>
#include <memory>
#include "hw/core/irq.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class Hpet : public Device {
public:
    static constexpr u64 kBase = 0xfed00000;
    static constexpr u64 kSize = 0x400;
    static constexpr unsigned kNumTimers = 3;
    static constexpr u64 kPeriodFs = 10'000'000;  // COUNTER_CLK_PERIOD: 10 ns
    static constexpr u64 kTickNs = 10;
    // Tn_INT_ROUTE_CAP: I/O APIC pins 2, 8 and 16..23, the value QEMU's q35 board gives every
    // timer ("hpet-intcap" 0xff0104).
    static constexpr u32 kDefaultRouteCap = 0x00ff0104;

    // Register offsets (spec 2.3.1, Table 2 "Memory-Mapped Registers").
    enum : u64 {
        kRegCap = 0x000,      // General Capabilities and ID (2.3.4)
        kRegConfig = 0x010,   // General Configuration (2.3.5)
        kRegStatus = 0x020,   // General Interrupt Status (2.3.6)
        kRegCounter = 0x0f0,  // Main Counter Value (2.3.7)
        kRegTimer0 = 0x100,   // Timer N at 0x100 + 0x20 * N:
        kTimerConfig = 0x00,  //   Configuration and Capabilities (2.3.8)
        kTimerCmp = 0x08,     //   Comparator Value (2.3.9)
        kTimerFsb = 0x10,     //   FSB Interrupt Route (2.3.10)
    };
    // General Configuration bits (2.3.5).
    enum : u64 { kEnableCnf = 1u << 0, kLegRtCnf = 1u << 1 };
    // Timer N Configuration and Capabilities bits (2.3.8).
    enum : u64 {
        kTnIntTypeCnf = 1u << 1,   // 1 = level-triggered
        kTnIntEnbCnf = 1u << 2,
        kTnTypeCnf = 1u << 3,      // 1 = periodic
        kTnPerIntCap = 1u << 4,    // RO
        kTnSizeCap = 1u << 5,      // RO, 1 = 64-bit comparator
        kTnValSetCnf = 1u << 6,
        kTn32ModeCnf = 1u << 8,
        kTnIntRouteShift = 9,      // bits 13:9
        kTnIntRouteMask = 0x1fu << 9,
        kTnFsbEnCnf = 1u << 14,
        kTnFsbIntDelCap = 1u << 15,  // RO
    };

    explicit Hpet(ClockSource clock, u32 route_cap = kDefaultRouteCap);
    const char* type_name() const override { return "hpet"; }
    // Maps the registers at kBase in m.system_memory().
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    std::array<IrqLine, 32> ioapic;  // I/O APIC input pin n
    IrqLine pic_irq0, pic_irq8;      // 8259 inputs, legacy replacement mode only
    std::function<void(bool legacy)> on_legacy_change;

    // Deliver every comparator match up to `now_ns`.
    void update(u64 now_ns);
    // When the next interrupt-enabled comparator matches, or ~0 if none.
    u64 next_event_ns() const;

    // Register access as the MMIO region does it: `size` 4 or 8, offset aligned to it.
    u64 read(u64 offset, unsigned size);
    void write(u64 offset, u64 value, unsigned size);
    std::unique_ptr<MemoryRegion> make_region();

    u64 counter_now() const;  // the main counter at the clock's current time
    bool legacy() const { return config_ & kLegRtCnf; }

private:
    struct Timer {
        u64 config = 0;  // writable bits only; capabilities are added on read
        u64 cmp = ~0ull;
        u64 period = 0;
        u64 fsb = 0;
    };
    u64 read_reg(u64 reg);                        // 8-byte register at `reg`
    void write_reg(u64 reg, u64 value, u64 mask); // bits in `mask` of `value`
    void write_timer_config(unsigned n, u64 v, u64 mask);
    void write_cmp(unsigned n, u64 v, u64 mask);
    u64 timer_caps(unsigned n) const;
    bool mode32(unsigned n) const;
    u64 counter_at(u64 now_ns) const;
    u64 tick_to_ns(u64 counter) const;
    u64 first_match_after(unsigned n, u64 counter) const;  // counter value of next match, or ~0
    void fire(unsigned n);
    void drive_lines();
    void sync();  // update() to the clock's now before a register changes the timing

    ClockSource clock_;
    u32 route_cap_;
    u64 config_ = 0;   // General Configuration
    u64 status_ = 0;   // General Interrupt Status
    // Main counter: while halted, `count_base_` is its value; while running it is
    // count_base_ + (now - ns_base_) / kTickNs.
    u64 count_base_ = 0;
    u64 ns_base_ = 0;
    u64 last_count_ = 0;  // matches are delivered up to this counter value
    std::array<Timer, kNumTimers> t_;
    u32 ioapic_level_ = 0;  // what each ioapic line was last driven to
    u8 pic_level_ = 0;      // bit 0: pic_irq0, bit 1: pic_irq8
};

}  // namespace vireo
