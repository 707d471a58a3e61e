// HPET (hpet.h). Section numbers are those of the IA-PC HPET Specification 1.0a:
// 2.3.4 General Capabilities and ID, 2.3.5 General Configuration, 2.3.6 General Interrupt
// Status, 2.3.7 Main Counter Value, 2.3.8 Timer N Configuration and Capabilities, 2.3.9 Timer N
// Comparator Value, 2.3.10 Timer N FSB Interrupt Route.
//
// Model: the main counter is "count_base_ + ticks since ns_base_" while ENABLE_CNF is set. Each
// comparator's next match is computed from the counter value up to which matches were already
// delivered (last_count_), so nothing is stored per tick and a late update() coalesces.
// Choices where the spec is silent, all as QEMU's hw/timer/hpet.c: a comparator write with
// Tn_VAL_SET_CNF on a periodic timer sets both the accumulator and the period; every timer is
// periodic-capable and 64-bit; writing the main counter while it runs is allowed.
#include "hw/timer/hpet.h"

#include <algorithm>
#include <string>

#include "softmmu/machine.h"

namespace vireo {

namespace {
constexpr u64 kNever = ~0ull;
constexpr u64 kLow32 = 0xffffffffull;
}  // namespace

Hpet::Hpet(ClockSource clock, u32 route_cap) : clock_(std::move(clock)), route_cap_(route_cap) {
    for (unsigned i = 0; i < ioapic.size(); i++) ioapic[i].name = "hpet.ioapic" + std::to_string(i);
    pic_irq0.name = "hpet.pic0";
    pic_irq8.name = "hpet.pic8";
}

void Hpet::realize(Machine& m) {
    m.system_memory().add_subregion(m.own(make_region()), kBase);
    reset();
}

std::unique_ptr<MemoryRegion> Hpet::make_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) -> u64 { return read(off, size); };
    ops.write = [this](u64 off, u64 v, unsigned size) { write(off, v, size); };
    // 2.3.1: "32-bit or 64-bit accesses"; narrower ones are widened by the memory core.
    ops.min_access = 4;
    ops.max_access = 8;
    return MemoryRegion::io("hpet", kSize, ops);
}

void Hpet::reset() {
    const bool was_legacy = legacy();
    config_ = 0;
    status_ = 0;
    count_base_ = 0;
    ns_base_ = clock_();
    last_count_ = 0;
    for (Timer& t : t_) t = Timer{};  // 2.3.9: comparators reset to all ones
    drive_lines();
    if (was_legacy && on_legacy_change) on_legacy_change(false);
}

void Hpet::describe_state(StateVisitor& v) {
    v.field("config", &config_, sizeof config_);
    v.field("status", &status_, sizeof status_);
    v.field("count_base", &count_base_, sizeof count_base_);
    v.field("ns_base", &ns_base_, sizeof ns_base_);
    v.field("last_count", &last_count_, sizeof last_count_);
    for (Timer& t : t_) {
        v.field("t.config", &t.config, sizeof t.config);
        v.field("t.cmp", &t.cmp, sizeof t.cmp);
        v.field("t.period", &t.period, sizeof t.period);
        v.field("t.fsb", &t.fsb, sizeof t.fsb);
    }
    v.field("ioapic_level", &ioapic_level_, sizeof ioapic_level_);
    v.field("pic_level", &pic_level_, sizeof pic_level_);
}

// ---- time ------------------------------------------------------------------------------------

u64 Hpet::counter_at(u64 now_ns) const {
    if (!(config_ & kEnableCnf) || now_ns < ns_base_) return count_base_;
    return count_base_ + (now_ns - ns_base_) / kTickNs;
}

u64 Hpet::counter_now() const { return counter_at(clock_()); }

// The first nanosecond at which the running counter reads `counter`.
u64 Hpet::tick_to_ns(u64 counter) const {
    const u128 ns = static_cast<u128>(ns_base_) + static_cast<u128>(counter - count_base_) * kTickNs;
    return ns >= kNever ? kNever : static_cast<u64>(ns);
}

bool Hpet::mode32(unsigned n) const { return t_[n].config & kTn32ModeCnf; }

// 2.3.9: an interrupt is generated when the main counter equals the comparator. A 32-bit
// comparator (Tn_32MODE_CNF) is compared with the low 32 bits only, so it matches again every
// 2^32 ticks; a 64-bit comparator behind the counter does not match until the counter wraps.
u64 Hpet::first_match_after(unsigned n, u64 counter) const {
    const Timer& t = t_[n];
    if (mode32(n)) {
        u64 d = static_cast<u32>(t.cmp - counter);
        if (d == 0) d = 1ull << 32;
        return counter + d;
    }
    return t.cmp > counter ? t.cmp : kNever;
}

void Hpet::sync() { update(clock_()); }

void Hpet::update(u64 now_ns) {
    if (!(config_ & kEnableCnf)) return;
    const u64 c = counter_at(now_ns);
    if (c <= last_count_) return;
    for (unsigned n = 0; n < kNumTimers; n++) {
        const u64 m = first_match_after(n, last_count_);
        if (m > c) continue;
        Timer& t = t_[n];
        // 2.3.9 periodic mode: at each match the hardware adds the last value written to the
        // comparator (the period) to it. k matches since `m` coalesce into one interrupt.
        const u64 p = mode32(n) ? (t.period & kLow32) : t.period;
        if ((t.config & kTnTypeCnf) && p != 0) {
            const u64 k = 1 + (c - m) / p;
            t.cmp += k * p;
            if (mode32(n)) t.cmp &= kLow32;
        }
        fire(n);
    }
    last_count_ = c;
}

u64 Hpet::next_event_ns() const {
    if (!(config_ & kEnableCnf)) return kNever;
    u64 best = kNever;
    for (unsigned n = 0; n < kNumTimers; n++) {
        if (!(t_[n].config & kTnIntEnbCnf)) continue;
        const u64 m = first_match_after(n, last_count_);
        if (m != kNever) best = std::min(best, tick_to_ns(m));
    }
    return best;
}

// ---- interrupts ------------------------------------------------------------------------------

// Where timer n's interrupt goes: 2.3.5 LEG_RT_CNF — with legacy replacement, timer 0 goes to
// IRQ0 (8259) / IRQ2 (I/O APIC) and timer 1 to IRQ8 / IRQ8, whatever their route fields say;
// otherwise 2.3.8 Tn_INT_ROUTE_CNF names the I/O APIC input.
namespace {
struct Dest {
    u32 ioapic_mask;
    u8 pic_mask;
};
}  // namespace

static Dest dest_of(bool legacy, unsigned n, u64 tconfig) {
    if (legacy && n == 0) return {1u << 2, 1};
    if (legacy && n == 1) return {1u << 8, 2};
    return {1u << ((tconfig & Hpet::kTnIntRouteMask) >> Hpet::kTnIntRouteShift), 0};
}

void Hpet::fire(unsigned n) {
    const Timer& t = t_[n];
    if (!(t.config & kTnIntEnbCnf)) return;  // 2.3.8 Tn_INT_ENB_CNF: the comparator still runs
    if (t.config & kTnIntTypeCnf) {
        // 2.3.6: level-triggered — the status bit is set and the line held until software
        // writes 1 to it.
        status_ |= 1ull << n;
        drive_lines();
        return;
    }
    // Edge-triggered: one pulse; the status bit is not used (2.3.6: "ignored" in edge mode).
    const Dest d = dest_of(legacy(), n, t.config);
    for (unsigned pin = 0; pin < 32; pin++)
        if ((d.ioapic_mask >> pin & 1) && !(ioapic_level_ >> pin & 1)) ioapic[pin].pulse();
    if ((d.pic_mask & 1) && !(pic_level_ & 1)) pic_irq0.pulse();
    if ((d.pic_mask & 2) && !(pic_level_ & 2)) pic_irq8.pulse();
}

void Hpet::drive_lines() {
    u32 io = 0;
    u8 pic = 0;
    if (config_ & kEnableCnf) {  // 2.3.5 ENABLE_CNF = 0: "disable all timer interrupts"
        for (unsigned n = 0; n < kNumTimers; n++) {
            const u64 c = t_[n].config;
            if (!(status_ >> n & 1) || !(c & kTnIntEnbCnf) || !(c & kTnIntTypeCnf)) continue;
            const Dest d = dest_of(legacy(), n, c);
            io |= d.ioapic_mask;
            pic |= d.pic_mask;
        }
    }
    for (unsigned pin = 0; pin < 32; pin++)
        if ((io ^ ioapic_level_) >> pin & 1) ioapic[pin].set(io >> pin & 1);
    if ((pic ^ pic_level_) & 1) pic_irq0.set(pic & 1);
    if ((pic ^ pic_level_) & 2) pic_irq8.set(pic & 2);
    ioapic_level_ = io;
    pic_level_ = pic;
}

// ---- registers -------------------------------------------------------------------------------

u64 Hpet::timer_caps(unsigned) const {
    // 2.3.8: Tn_INT_ROUTE_CAP in 63:32, Tn_SIZE_CAP, Tn_PER_INT_CAP; Tn_FSB_INT_DEL_CAP = 0.
    return static_cast<u64>(route_cap_) << 32 | kTnSizeCap | kTnPerIntCap;
}

u64 Hpet::read(u64 offset, unsigned size) {
    const u64 v = read_reg(offset & ~7ull);
    if (size == 8) return v;
    return v >> ((offset & 4) * 8) & kLow32;
}

void Hpet::write(u64 offset, u64 value, unsigned size) {
    if (size == 8) return write_reg(offset & ~7ull, value, ~0ull);
    // A 32-bit write changes one half of a 64-bit register (2.3.1: 32-bit software may access
    // every register as two dwords).
    const unsigned shift = (offset & 4) * 8;
    write_reg(offset & ~7ull, (value & kLow32) << shift, kLow32 << shift);
}

u64 Hpet::read_reg(u64 reg) {
    switch (reg) {
    case kRegCap:
        // 2.3.4: REV_ID 1, NUM_TIM_CAP = timers - 1, COUNT_SIZE_CAP (64-bit), LEG_RT_CAP,
        // VENDOR_ID 8086h, COUNTER_CLK_PERIOD in femtoseconds.
        return kPeriodFs << 32 | 0x8086ull << 16 | 1u << 15 | 1u << 13 | (kNumTimers - 1) << 8 | 1;
    case kRegConfig: return config_;
    case kRegStatus: return status_;
    case kRegCounter: return counter_now();
    default: break;
    }
    if (reg >= kRegTimer0 && reg < kRegTimer0 + 0x20 * kNumTimers) {
        const unsigned n = static_cast<unsigned>((reg - kRegTimer0) / 0x20);
        switch ((reg - kRegTimer0) % 0x20) {
        case kTimerConfig: return t_[n].config | timer_caps(n);
        case kTimerCmp:
            sync();  // a periodic comparator reads as the next match: bring it up to date
            return mode32(n) ? t_[n].cmp & kLow32 : t_[n].cmp;
        case kTimerFsb: return t_[n].fsb;
        default: return 0;
        }
    }
    return 0;  // reserved
}

void Hpet::write_reg(u64 reg, u64 value, u64 mask) {
    switch (reg) {
    case kRegConfig: {
        sync();
        const u64 old = config_;
        const u64 nv = ((old & ~mask) | (value & mask)) & (kEnableCnf | kLegRtCnf);
        const u64 now = clock_();
        if ((nv & kEnableCnf) && !(old & kEnableCnf)) {
            // 2.3.5 ENABLE_CNF 0 -> 1: the main counter runs from its current value.
            ns_base_ = now;
            last_count_ = count_base_;
        } else if (!(nv & kEnableCnf) && (old & kEnableCnf)) {
            count_base_ = counter_at(now);  // halt: the counter keeps its value
            last_count_ = count_base_;
        }
        config_ = nv;
        drive_lines();
        if (((old ^ nv) & kLegRtCnf) && on_legacy_change) on_legacy_change(nv & kLegRtCnf);
        return;
    }
    case kRegStatus:
        // 2.3.6: writing 1 clears a level-triggered status bit; writing 0 has no effect.
        status_ &= ~(value & mask & ((1ull << kNumTimers) - 1));
        drive_lines();
        return;
    case kRegCounter: {
        // 2.3.7: software should write only while halted; a write while running (allowed, as
        // on QEMU) restarts counting from the new value with no matches for the skipped range.
        sync();
        const u64 now = clock_();
        const u64 nv = (counter_at(now) & ~mask) | (value & mask);
        count_base_ = nv;
        ns_base_ = now;
        last_count_ = nv;
        return;
    }
    default: break;
    }
    if (reg >= kRegTimer0 && reg < kRegTimer0 + 0x20 * kNumTimers) {
        const unsigned n = static_cast<unsigned>((reg - kRegTimer0) / 0x20);
        switch ((reg - kRegTimer0) % 0x20) {
        case kTimerConfig: return write_timer_config(n, value, mask);
        case kTimerCmp: return write_cmp(n, value, mask);
        case kTimerFsb: t_[n].fsb = (t_[n].fsb & ~mask) | (value & mask); return;
        default: return;
        }
    }
}

void Hpet::write_timer_config(unsigned n, u64 value, u64 mask) {
    sync();
    Timer& t = t_[n];
    // FSB delivery is not implemented, so Tn_FSB_EN_CNF is read-only 0 (2.3.8: it may be set
    // only when Tn_FSB_INT_DEL_CAP is 1).
    constexpr u64 kWritable =
        kTnIntTypeCnf | kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | kTn32ModeCnf | kTnIntRouteMask;
    u64 nv = ((t.config & ~mask) | (value & mask)) & kWritable;
    // 2.3.8 Tn_INT_ROUTE_CNF: a route not set in Tn_INT_ROUTE_CAP is not accepted ("the value
    // read back will not match what is written"): keep the previous one.
    const unsigned route = static_cast<unsigned>((nv & kTnIntRouteMask) >> kTnIntRouteShift);
    if (!(route_cap_ >> route & 1)) nv = (nv & ~kTnIntRouteMask) | (t.config & kTnIntRouteMask);
    // Edge mode has no status bit (2.3.6).
    if (!(nv & kTnIntTypeCnf)) status_ &= ~(1ull << n);
    t.config = nv;
    if (nv & kTn32ModeCnf) {
        // 2.3.8 Tn_32MODE_CNF: the timer behaves as a 32-bit one; its upper comparator bits read 0.
        t.cmp &= kLow32;
        t.period &= kLow32;
    }
    drive_lines();
}

void Hpet::write_cmp(unsigned n, u64 value, u64 mask) {
    sync();
    Timer& t = t_[n];
    if (mode32(n)) mask &= kLow32;  // 2.3.9: in 32-bit mode the upper half is not writable
    const bool periodic = t.config & kTnTypeCnf;
    // 2.3.8 Tn_VAL_SET_CNF / 2.3.9 periodic mode: a write sets the period (the value added at
    // each match); the accumulator itself is set only if Tn_VAL_SET_CNF is 1 or the timer is
    // non-periodic. Tn_VAL_SET_CNF clears itself after the (low dword of the) write.
    if (!periodic || (t.config & kTnValSetCnf)) t.cmp = (t.cmp & ~mask) | (value & mask);
    t.period = (t.period & ~mask) | (value & mask);
    if (mask & kLow32) t.config &= ~kTnValSetCnf;
}

}  // namespace vireo
