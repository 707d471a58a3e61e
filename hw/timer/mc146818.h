// The Motorola MC146818A real-time clock plus RAM (the PC's "RTC/CMOS") at 0x70/0x71
// (FIRMWARE.md section 4). Port 0x70 selects one of 128 bytes (bits 6-0) and holds the PC's
// NMI mask in bit 7, which the board reads back through nmi_masked(); port 0x71 is the data.
//
// Time comes from an injected ClockSource, the date from a base epoch given at construction (UTC
// seconds since 1970), so tests are deterministic. Nothing ticks: the time registers, UIP and the
// register C flags are computed from the clock, and update(now) / next_event_ns() raise `irq`
// (IRQ8 on the PC) at the right virtual times, as the PIT does.
#pragma once
#include <array>
#include "hw/core/irq.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class Mc146818 : public Device {
public:
    // Register indices ("Address Map") and the PC's century byte (not a chip register).
    enum : u8 {
        kSeconds = 0x00, kSecondsAlarm = 0x01, kMinutes = 0x02, kMinutesAlarm = 0x03,
        kHours = 0x04, kHoursAlarm = 0x05, kDayOfWeek = 0x06, kDayOfMonth = 0x07,
        kMonth = 0x08, kYear = 0x09, kRegA = 0x0a, kRegB = 0x0b, kRegC = 0x0c, kRegD = 0x0d,
        kCentury = 0x32,
    };
    static constexpr u64 kTimeBaseHz = 32768;  // the PC's crystal; DV2-0 = 010

    Mc146818(ClockSource clock, u64 epoch_seconds);
    const char* type_name() const override { return "mc146818rtc"; }
    void realize(Machine& m) override;
    void reset() override;  // the RESET pin ("Pin Description", RESET)
    void describe_state(StateVisitor& v) override;

    // IRQ output: high while register C's IRQF is set (IRQ8 on the PC).
    IrqLine irq;
    // Set the register C flags for every periodic edge, update and alarm up to `now_ns`.
    void update(u64 now_ns);
    // When `irq` will next rise after the last update(), or ~0 if it cannot without a guest write
    // (no interrupt enabled, or IRQF already set and waiting for a register C read).
    u64 next_event_ns() const;

    bool nmi_masked() const { return nmi_mask_; }  // port 0x70 bit 7 as last written
    // For the board to fill the memory-size and boot-order bytes before the guest runs.
    void set_cmos(unsigned index, u8 value) { write_reg(index & 0x7f, value); }
    u8 cmos(unsigned index) { return read_reg(index & 0x7f); }

    u8 read(unsigned port);           // 0x70 + port
    void write(unsigned port, u8 v);  // 0x70 + port
    std::unique_ptr<MemoryRegion> make_region();

private:
    u8 read_reg(unsigned index);
    void write_reg(unsigned index, u8 v);
    bool chain_running() const;  // the divider passes the 32.768 kHz time base
    bool clock_running() const;  // and SET does not hold the time
    u64 tick(u64 ns) const;      // 32.768 kHz divider ticks since the chain origin
    u64 ns_of_tick(u64 t) const;
    u64 seconds_at(u64 ns) const;  // the time of day counters, UTC seconds since 1970
    u8 encode(unsigned v) const;   // binary or BCD per register B DM
    unsigned decode(u8 v) const;
    u8 encode_hours(unsigned h) const;
    void encode_time(u64 secs, std::array<u8, 128>& out) const;  // the time bytes only
    void store_time(u64 secs);     // into the time bytes of cmos_ (the counters stop)
    void load_time(u64 now_ns);    // from the time bytes of cmos_ (the counters restart)
    bool alarm_matches(u64 secs) const;
    u64 period_ticks() const;      // periodic interrupt period, 0 if none
    void drive_irq();

    std::array<u8, 128> cmos_{};
    u8 index_ = 0;
    u8 nmi_mask_ = 0;
    u8 irq_level_ = 0;
    u8 dow_adj_ = 0;     // day of week as written minus the computed one, mod 7
    i64 origin_ns_ = 0;  // clock time at which the divider chain was at a one-second boundary
    u64 base_sec_ = 0;   // time of day at one-second boundary base_k_
    u64 base_k_ = 0;
    u64 last_ns_ = 0;    // register C flags processed up to this time
    ClockSource clock_;
};

}  // namespace vireo
