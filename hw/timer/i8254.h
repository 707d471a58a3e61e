// The 8254 programmable interval timer (Intel 8254 datasheet, order no. 231164) at 0x40-0x43,
// with the PC's port 0x61 ("NMI status and control": channel 2 gate in bit 0, speaker data
// enable in bit 1, refresh toggle in bit 4, channel 2 OUT in bit 5). Input clock 1.193182 MHz.
//
// Time comes from an injected ClockSource. Counters are kept as "ticks since load", so reads
// are computed from the clock and need no host timer. Channel 0's OUT drives `irq0`; its edges
// are produced by update(now), which the board calls at next_event_ns() (or whenever it polls).
#pragma once
#include <array>
#include "hw/core/irq.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class I8254 : public Device {
public:
    static constexpr u64 kFreqHz = 1193182;

    explicit I8254(ClockSource clock) : irq0("irq0"), clock_(std::move(clock)) {}
    const char* type_name() const override { return "i8254"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    // Output of channel 0 (IRQ0 on the PC). Set by update() only (and by reprogramming ch0).
    IrqLine irq0;
    // Bring channel 0's OUT (and so irq0) up to `now_ns`, producing every edge in between
    // (a late call coalesces periods long past into one, as lost timer ticks do).
    void update(u64 now_ns);
    // The time of channel 0's next OUT transition after the last update, or ~0 if none.
    u64 next_event_ns() const;

    // Gate inputs (channel 2's is port 0x61 bit 0; 0 and 1 are tied high on the PC).
    void set_gate(unsigned ch, bool level);
    bool out(unsigned ch) const;  // OUT pin of a channel now

    u8 read(unsigned port);           // 0x40 + port
    void write(unsigned port, u8 v);  // 0x40 + port
    u8 read_port61();
    void write_port61(u8 v);

    std::unique_ptr<MemoryRegion> make_region();
    std::unique_ptr<MemoryRegion> make_port61_region();

private:
    struct Channel {
        u32 count = 0x10000;   // initial count, 1..0x10000 (1..10000 in BCD)
        u64 load_tick = 0;     // absolute tick at which counting (re)started
        u64 frozen_d = 0;      // elapsed ticks held while the gate stops counting
        u16 latched_count = 0;
        u16 write_latch = 0;
        u8 mode = 0, bcd = 0, rw = 3;  // control word fields
        u8 gate = 1;
        u8 armed = 0;          // counting (count written and, in modes 1/5, triggered)
        u8 has_count = 0;
        u8 frozen = 0;
        u8 null_count = 1;     // status bit 6
        u8 count_latched = 0;  // rw mode of a pending latched read, or 0
        u8 status_latched = 0, status = 0;
        u8 read_msb = 0, write_msb = 0;  // byte toggles for rw mode 3
    };
    u64 ticks(u64 ns) const;
    u64 tick_to_ns(u64 tick) const;
    u64 elapsed(const Channel& c, u64 tick) const;
    bool out_at(const Channel& c, u64 tick) const;
    u64 next_transition(const Channel& c, u64 tick) const;  // absolute tick, or ~0
    u32 counter_value(const Channel& c, u64 tick) const;
    void latch_count(Channel& c);
    void load_count(unsigned ch, u32 value);
    void sync0(u64 now_tick);  // update(), then resynchronize after ch0 is reprogrammed

    std::array<Channel, 3> ch_;
    u64 last_tick_ = 0;  // channel 0 processed up to this tick
    u8 irq_level_ = 0;   // what irq0 was last driven to
    u8 port61_ = 0;      // bits 0-3 as written
    ClockSource clock_;
};

}  // namespace vireo
