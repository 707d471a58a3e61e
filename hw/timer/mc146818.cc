// MC146818A RTC (mc146818.h). Section names are those of the Motorola MC146818A datasheet:
// "Address Map", "Time, Calendar and Alarm Locations", "Register A" .. "Register D",
// "Update Cycle", "Interrupts" (periodic, alarm, update-ended), "Divider Stages",
// "Periodic Interrupt Rate" table, and "Pin Description" (RESET).
//
// Simplifications, on purpose: the update cycle is instantaneous at the one-second boundary
// (UIP is set for the 244 us before it, as the datasheet's t_BUC, but not for the 1984 us the
// real part spends updating), and only the 32.768 kHz time base (DV2-0 = 010) counts; the
// other divider settings stop the chain. The date is kept in UTC seconds from 1970: earlier
// dates written by the guest read back as 1970-01-01.
#include "hw/timer/mc146818.h"

#include <algorithm>

#include "softmmu/machine.h"

namespace vireo {

namespace {
constexpr u64 kNever = ~0ull;
constexpr u64 kNsPerSec = 1'000'000'000;
constexpr u64 kSecPerDay = 86400;
constexpr u64 kTicksPerSec = Mc146818::kTimeBaseHz;
constexpr u64 kUipTicks = 8;  // "Update Cycle": UIP goes high 244 us (8 ticks) before the update

// Register A ("Register A"): UIP, DV2-0, RS3-0.
constexpr u8 kUip = 0x80, kDvMask = 0x70, kDv32k = 0x20, kRsMask = 0x0f;
// Register B ("Register B"): SET, PIE, AIE, UIE, SQWE, DM, 24/12, DSE.
constexpr u8 kSet = 0x80, kPie = 0x40, kAie = 0x20, kUie = 0x10, kSqwe = 0x08, kDm = 0x04, k24h = 0x02;
// Register C ("Register C"): IRQF, PF, AF, UF; each flag sits on the bit of its enable in B.
constexpr u8 kIrqf = 0x80, kPf = 0x40, kAf = 0x20, kUf = 0x10;
// Register D ("Register D"): VRT, the battery is always good.
constexpr u8 kVrt = 0x80;

// Proleptic Gregorian calendar <-> days since 1970-01-01 (H. Hinnant's algorithms).
i64 days_from_civil(i64 y, unsigned m, unsigned d) {
    y -= m <= 2;
    const i64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<i64>(doe) - 719468;
}
struct Civil {
    unsigned year, month, day;
};
Civil civil_from_days(u64 days) {
    const u64 z = days + 719468;
    const u64 era = z / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<unsigned>(yoe + era * 400 + (m <= 2)), m, d};
}
unsigned weekday0(u64 days) { return static_cast<unsigned>((days + 4) % 7); }  // 0 = Sunday

bool is_time_byte(unsigned i) {
    return i == Mc146818::kSeconds || i == Mc146818::kMinutes || i == Mc146818::kHours ||
           (i >= Mc146818::kDayOfWeek && i <= Mc146818::kYear) || i == Mc146818::kCentury;
}
}  // namespace

Mc146818::Mc146818(ClockSource clock, u64 epoch_seconds) : irq("irq8"), clock_(std::move(clock)) {
    // Power-on state as the PC BIOS leaves it: 32.768 kHz time base, 1024 Hz rate, BCD, 24-hour.
    cmos_[kRegA] = kDv32k | 0x06;
    cmos_[kRegB] = k24h;
    cmos_[kRegD] = kVrt;
    const u64 now = clock_();
    origin_ns_ = static_cast<i64>(now);
    base_sec_ = epoch_seconds;
    base_k_ = 0;
    last_ns_ = now;
}

void Mc146818::realize(Machine& m) {
    // No reset here: the clock and the RAM keep their contents across power-on of the board.
    m.io_space().add_subregion(m.own(make_region()), 0x70);
}

std::unique_ptr<MemoryRegion> Mc146818::make_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned) -> u64 { return read(static_cast<unsigned>(off)); };
    ops.write = [this](u64 off, u64 v, unsigned) { write(static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("rtc", 2, ops);
}

void Mc146818::reset() {
    // "Pin Description", RESET: clears PIE, AIE, UIE, SQWE and IRQF, PF, AF, UF (so IRQ goes
    // inactive); the time, calendar, register A and the RAM are not affected.
    update(clock_());
    cmos_[kRegB] &= static_cast<u8>(~(kPie | kAie | kUie | kSqwe));
    cmos_[kRegC] = 0;
    drive_irq();
}

void Mc146818::describe_state(StateVisitor& v) {
    v.field("cmos", cmos_.data(), cmos_.size());
    v.field("index", &index_, 1);
    v.field("nmi_mask", &nmi_mask_, 1);
    v.field("irq_level", &irq_level_, 1);
    v.field("dow_adj", &dow_adj_, 1);
    v.field("origin_ns", &origin_ns_, sizeof origin_ns_);
    v.field("base_sec", &base_sec_, sizeof base_sec_);
    v.field("base_k", &base_k_, sizeof base_k_);
    v.field("last_ns", &last_ns_, sizeof last_ns_);
}

bool Mc146818::chain_running() const { return (cmos_[kRegA] & kDvMask) == kDv32k; }
bool Mc146818::clock_running() const { return chain_running() && !(cmos_[kRegB] & kSet); }

u64 Mc146818::tick(u64 ns) const {
    const i64 rel = static_cast<i64>(ns) - origin_ns_;
    if (rel <= 0) return 0;
    return static_cast<u64>(static_cast<u128>(rel) * kTimeBaseHz / kNsPerSec);
}

// The first nanosecond at which tick() reaches `t`.
u64 Mc146818::ns_of_tick(u64 t) const {
    const u64 rel = static_cast<u64>((static_cast<u128>(t) * kNsPerSec + kTimeBaseHz - 1) / kTimeBaseHz);
    return static_cast<u64>(origin_ns_ + static_cast<i64>(rel));
}

u64 Mc146818::seconds_at(u64 ns) const { return base_sec_ + (tick(ns) / kTicksPerSec - base_k_); }

// "Time, Calendar and Alarm Locations": DM = 1 binary, DM = 0 BCD.
u8 Mc146818::encode(unsigned v) const {
    v %= 100;
    return static_cast<u8>(cmos_[kRegB] & kDm ? v : ((v / 10) << 4) | (v % 10));
}
unsigned Mc146818::decode(u8 v) const { return cmos_[kRegB] & kDm ? v : (v >> 4) * 10 + (v & 0xf); }

// 12-hour mode: 1-12 with bit 7 set for PM.
u8 Mc146818::encode_hours(unsigned h) const {
    if (cmos_[kRegB] & k24h) return encode(h);
    const unsigned h12 = h % 12 ? h % 12 : 12;
    return static_cast<u8>(encode(h12) | (h >= 12 ? 0x80 : 0));
}

void Mc146818::store_time(u64 secs) { encode_time(secs, cmos_); }

void Mc146818::encode_time(u64 secs, std::array<u8, 128>& out) const {
    const u64 days = secs / kSecPerDay, sod = secs % kSecPerDay;
    const Civil c = civil_from_days(days);
    out[kSeconds] = encode(static_cast<unsigned>(sod % 60));
    out[kMinutes] = encode(static_cast<unsigned>(sod / 60 % 60));
    out[kHours] = encode_hours(static_cast<unsigned>(sod / 3600));
    out[kDayOfWeek] = encode((weekday0(days) + dow_adj_) % 7 + 1);
    out[kDayOfMonth] = encode(c.day);
    out[kMonth] = encode(c.month);
    out[kYear] = encode(c.year % 100);
    out[kCentury] = encode(c.year / 100);
}

void Mc146818::load_time(u64 now_ns) {
    const unsigned s = decode(cmos_[kSeconds]), mi = decode(cmos_[kMinutes]);
    const u8 hb = cmos_[kHours];
    unsigned h;
    if (cmos_[kRegB] & k24h) {
        h = decode(hb);
    } else {
        h = decode(hb & 0x7f) % 12 + (hb & 0x80 ? 12 : 0);
    }
    const unsigned month = std::clamp(decode(cmos_[kMonth]), 1u, 12u);
    const unsigned day = std::max(decode(cmos_[kDayOfMonth]), 1u);
    const i64 year = static_cast<i64>(decode(cmos_[kCentury])) * 100 + decode(cmos_[kYear]);
    i64 days = days_from_civil(year, month, day);
    i64 secs = days * static_cast<i64>(kSecPerDay) + static_cast<i64>(h) * 3600 + mi * 60 + s;
    if (secs < 0) secs = days = 0;
    days = secs / static_cast<i64>(kSecPerDay);
    // The day of week is a counter of its own on the chip: keep what the guest wrote.
    const unsigned written = (decode(cmos_[kDayOfWeek]) + 6) % 7;
    dow_adj_ = static_cast<u8>((written + 7 - weekday0(static_cast<u64>(days))) % 7);
    base_sec_ = static_cast<u64>(secs);
    base_k_ = tick(now_ns) / kTicksPerSec;
}

// "Interrupts", alarm: each alarm byte matches its counter, or is "don't care" (11xxxxxx).
bool Mc146818::alarm_matches(u64 secs) const {
    const u64 sod = secs % kSecPerDay;
    auto match = [](u8 alarm, u8 value) { return (alarm & 0xc0) == 0xc0 || alarm == value; };
    return match(cmos_[kSecondsAlarm], encode(static_cast<unsigned>(sod % 60))) &&
           match(cmos_[kMinutesAlarm], encode(static_cast<unsigned>(sod / 60 % 60))) &&
           match(cmos_[kHoursAlarm], encode_hours(static_cast<unsigned>(sod / 3600)));
}

// "Periodic Interrupt Rate" table (32.768 kHz time base): RS 1 and 2 are 256 and 128 Hz like
// 8 and 9; RS 3..15 divide by 2^(RS-1): 3 is 8192 Hz (122.070 us), 6 is 1024 Hz, 15 is 2 Hz.
u64 Mc146818::period_ticks() const {
    const unsigned rs = cmos_[kRegA] & kRsMask;
    if (rs == 0) return 0;
    if (rs <= 2) return 64u << rs;
    return 1u << (rs - 1);
}

void Mc146818::drive_irq() {
    // "Register C": IRQF = PF & PIE | AF & AIE | UF & UIE.
    u8& c = cmos_[kRegC];
    if (c & cmos_[kRegB] & (kPf | kAf | kUf)) c |= kIrqf;
    const u8 level = (c & kIrqf) ? 1 : 0;
    if (level != irq_level_) {
        irq_level_ = level;
        irq.set(level);
    }
}

void Mc146818::update(u64 now_ns) {
    if (now_ns < last_ns_) return;
    if (chain_running()) {
        const u64 t0 = tick(last_ns_), t1 = tick(now_ns);
        u8& c = cmos_[kRegC];
        // The flags are set whether or not their interrupt is enabled ("Register C").
        if (const u64 p = period_ticks(); p && t1 / p > t0 / p) c |= kPf;
        const u64 k0 = t0 / kTicksPerSec, k1 = t1 / kTicksPerSec;
        if (!(cmos_[kRegB] & kSet) && k1 > k0) {
            c |= kUf;  // "Update Cycle": UF at the end of every update
            // Past a day every alarm with valid bytes has matched at least once.
            const u64 n = std::min<u64>(k1 - k0, kSecPerDay);
            for (u64 i = 0; i < n && !(c & kAf); i++)
                if (alarm_matches(base_sec_ + (k1 - i - base_k_))) c |= kAf;
        }
    }
    last_ns_ = now_ns;
    drive_irq();
}

u64 Mc146818::next_event_ns() const {
    if ((cmos_[kRegC] & kIrqf) || !chain_running()) return kNever;
    const u8 b = cmos_[kRegB];
    const u64 t = tick(last_ns_);
    u64 best = kNever;
    if (const u64 p = period_ticks(); (b & kPie) && p) best = ns_of_tick((t / p + 1) * p);
    if (!(b & kSet)) {
        const u64 k = t / kTicksPerSec;
        if (b & kUie) best = std::min(best, ns_of_tick((k + 1) * kTicksPerSec));
        if (b & kAie) {
            for (u64 i = 1; i <= kSecPerDay; i++) {
                if (alarm_matches(base_sec_ + (k + i - base_k_))) {
                    best = std::min(best, ns_of_tick((k + i) * kTicksPerSec));
                    break;
                }
            }
        }
    }
    return best;
}

u8 Mc146818::read_reg(unsigned index) {
    const u64 now = clock_();
    if (is_time_byte(index)) {
        if (!clock_running()) return cmos_[index];
        // The counters run: compute the byte the chip would hold now.
        std::array<u8, 128> bytes{};
        encode_time(seconds_at(now), bytes);
        return bytes[index];
    }
    switch (index) {
    case kRegA: {
        // "Register A", UIP: 1 from 244 us before an update until it ends; 0 while SET holds.
        const bool uip = clock_running() && tick(now) % kTicksPerSec >= kTicksPerSec - kUipTicks;
        return static_cast<u8>((cmos_[kRegA] & ~kUip) | (uip ? kUip : 0));
    }
    case kRegC: {
        // "Register C": reading clears every flag and makes IRQ inactive.
        update(now);
        const u8 v = cmos_[kRegC];
        cmos_[kRegC] = 0;
        drive_irq();
        return v;
    }
    case kRegD: return kVrt;  // "Register D": VRT reads 1, bits 6-0 read 0
    default: return cmos_[index];
    }
}

void Mc146818::write_reg(unsigned index, u8 v) {
    if (index == kRegC || index == kRegD) return;  // read-only
    const u64 now = clock_();
    update(now);
    const bool timed = is_time_byte(index) || index == kRegA || index == kRegB;
    if (!timed) {
        cmos_[index] = v;
        return;
    }
    const bool was_running = clock_running(), chain_was = chain_running();
    const u64 secs = was_running ? seconds_at(now) : 0;
    switch (index) {
    case kRegA:
        cmos_[kRegA] = v & ~kUip;  // UIP is read-only
        // "Divider Stages": leaving divider reset, the first update comes one half second later.
        if (!chain_was && chain_running()) {
            origin_ns_ = static_cast<i64>(now) - static_cast<i64>(kNsPerSec / 2);
            last_ns_ = now;
        }
        break;
    case kRegB:
        // "Register B", SET: a 1 aborts the update cycle and clears UIE.
        if (v & kSet) v &= ~kUie;
        cmos_[kRegB] = v;
        break;
    default:
        // A time byte written while the counters run: stop them into the bytes (in the current
        // mode), set the byte, restart them from the bytes. The divider keeps its phase.
        if (was_running) store_time(secs);
        cmos_[index] = v;
        if (was_running) load_time(now);
        drive_irq();
        return;
    }
    if (was_running && clock_running()) {
        // A change of DM or 24/12 alone: the counters keep counting; reads use the new format.
        base_sec_ = secs;
        base_k_ = tick(now) / kTicksPerSec;
    } else if (was_running) {
        store_time(secs);  // SET or the divider stops the counters: hold them in the bytes
    } else if (clock_running()) {
        load_time(now);  // restart from the bytes as the guest left them
    }
    drive_irq();
}

u8 Mc146818::read(unsigned port) {
    if (port == 0) return 0xff;  // the index register cannot be read back on the PC
    return read_reg(index_);
}

void Mc146818::write(unsigned port, u8 v) {
    if (port == 0) {
        index_ = v & 0x7f;
        nmi_mask_ = v >> 7;
        return;
    }
    write_reg(index_, v);
}

}  // namespace vireo
