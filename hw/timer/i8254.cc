// 8254 PIT (i8254.h). Section names are those of the Intel 8254 datasheet (231164):
// "Control Word Format", "Read Operations" (counter latch, read-back), "Mode Definitions",
// "Gate" table (Figure "Gate Pin Operations Summary").
//
// Simplifications, on purpose: a count is loaded at the write (the real part loads on the next
// CLK, one tick later), and a new count in modes 2/3 restarts the period at once instead of at
// the end of the current one. Neither changes what SeaBIOS or Linux measure.
#include "hw/timer/i8254.h"

#include "softmmu/machine.h"

namespace vireo {

namespace {
constexpr u64 kNever = ~0ull;

u32 bcd_to_bin(u32 v) {
    return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}
u32 bin_to_bcd(u32 v) {
    return (v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000 % 10) << 12);
}
}  // namespace

void I8254::realize(Machine& m) {
    m.io_space().add_subregion(m.own(make_region()), 0x40);
    m.io_space().add_subregion(m.own(make_port61_region()), 0x61);
    reset();
}

std::unique_ptr<MemoryRegion> I8254::make_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned) -> u64 { return read(static_cast<unsigned>(off)); };
    ops.write = [this](u64 off, u64 v, unsigned) { write(static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("pit", 4, ops);
}

std::unique_ptr<MemoryRegion> I8254::make_port61_region() {
    MemoryOps ops;
    ops.read = [this](u64, unsigned) -> u64 { return read_port61(); };
    ops.write = [this](u64, u64 v, unsigned) { write_port61(static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("port61", 1, ops);
}

u64 I8254::ticks(u64 ns) const { return static_cast<u64>(static_cast<u128>(ns) * kFreqHz / 1000000000u); }

// The first nanosecond at which ticks() reaches `tick`.
u64 I8254::tick_to_ns(u64 tick) const {
    return static_cast<u64>((static_cast<u128>(tick) * 1000000000u + kFreqHz - 1) / kFreqHz);
}

void I8254::reset() {
    // As QEMU's pit_reset: every channel in mode 3 with count 0x10000; gates 0 and 1 are tied high,
    // gate 2 is port 0x61 bit 0 (cleared).
    const u64 t = ticks(clock_());
    for (unsigned i = 0; i < 3; i++) {
        Channel& c = ch_[i];
        c = Channel{};
        c.mode = 3;
        c.gate = i != 2;
        c.has_count = c.armed = 1;
        c.null_count = 0;
        c.load_tick = t;
        c.frozen = !c.gate;
    }
    port61_ = 0;
    last_tick_ = t;
    irq_level_ = out_at(ch_[0], t);
    irq0.set(irq_level_);
}

void I8254::describe_state(StateVisitor& v) {
    for (Channel& c : ch_) {
        v.field("count", &c.count, sizeof c.count);
        v.field("load_tick", &c.load_tick, sizeof c.load_tick);
        v.field("frozen_d", &c.frozen_d, sizeof c.frozen_d);
        v.field("latched_count", &c.latched_count, sizeof c.latched_count);
        v.field("write_latch", &c.write_latch, sizeof c.write_latch);
        v.field("mode", &c.mode, 1); v.field("bcd", &c.bcd, 1); v.field("rw", &c.rw, 1);
        v.field("gate", &c.gate, 1); v.field("armed", &c.armed, 1); v.field("has_count", &c.has_count, 1);
        v.field("frozen", &c.frozen, 1); v.field("null_count", &c.null_count, 1);
        v.field("count_latched", &c.count_latched, 1); v.field("status_latched", &c.status_latched, 1);
        v.field("status", &c.status, 1); v.field("read_msb", &c.read_msb, 1); v.field("write_msb", &c.write_msb, 1);
    }
    v.field("last_tick", &last_tick_, sizeof last_tick_);
    v.field("irq_level", &irq_level_, 1);
    v.field("port61", &port61_, 1);
}

u64 I8254::elapsed(const Channel& c, u64 tick) const {
    if (!c.armed) return 0;
    if (c.frozen) return c.frozen_d;
    return tick >= c.load_tick ? tick - c.load_tick : 0;
}

// OUT per "Mode Definitions".
bool I8254::out_at(const Channel& c, u64 tick) const {
    if (!c.armed) return c.mode != 0;  // a mode 0 control word sets OUT low; the others high
    const u64 d = elapsed(c, tick);
    switch (c.mode) {
    case 0:  // interrupt on terminal count: low until the count reaches 0, then high
    case 1:  // one-shot: low from the trigger until terminal count
        return d >= c.count;
    case 2:  // rate generator: low for one CLK when the count reaches 1; a low gate forces OUT high
        if (!c.gate || c.count < 2) return true;
        return d % c.count != c.count - 1;
    case 3:  // square wave: high for ceil(N/2), low for floor(N/2); a low gate forces OUT high
        if (!c.gate) return true;
        return d % c.count < (c.count + 1) / 2;
    default:  // 4, 5: strobe: low for one CLK at terminal count
        return d != c.count;
    }
}

u64 I8254::next_transition(const Channel& c, u64 tick) const {
    if (!c.armed || c.frozen) return kNever;
    const u64 d = elapsed(c, tick), base = c.load_tick;
    switch (c.mode) {
    case 0:
    case 1: return d < c.count ? base + c.count : kNever;
    case 2: {
        if (c.count < 2) return kNever;
        const u64 p = d % c.count;
        return p < c.count - 1 ? base + d + (c.count - 1 - p) : base + d + 1;
    }
    case 3: {
        if (c.count < 2) return kNever;
        const u64 p = d % c.count, half = (c.count + 1) / 2;
        return p < half ? base + d + (half - p) : base + d + (c.count - p);
    }
    default:
        if (d < c.count) return base + c.count;
        if (d == c.count) return base + c.count + 1;
        return kNever;
    }
}

// The counting element as a read returns it (binary or BCD).
u32 I8254::counter_value(const Channel& c, u64 tick) const {
    const u32 modulus = c.bcd ? 10000 : 0x10000;
    u64 v;
    if (!c.armed) {
        v = c.count;
    } else {
        const u64 d = elapsed(c, tick);
        switch (c.mode) {
        case 2: v = c.count - d % c.count; break;
        case 3: v = c.count - (2 * d) % c.count; break;  // mode 3 counts down by two
        default: v = (c.count + modulus - d % modulus) % modulus; break;
        }
    }
    v %= modulus;
    return c.bcd ? bin_to_bcd(static_cast<u32>(v)) : static_cast<u32>(v);
}

void I8254::latch_count(Channel& c) {
    // "Counter Latch Command": a second latch before the first is read is ignored.
    if (c.count_latched) return;
    c.latched_count = static_cast<u16>(counter_value(c, ticks(clock_())));
    c.count_latched = c.rw;
}

void I8254::update(u64 now_ns) {
    const u64 target = ticks(now_ns);
    if (target < last_tick_) return;
    Channel& c = ch_[0];
    // Periods long past are lost ticks: keep only the last two so the loop stays short.
    if ((c.mode == 2 || c.mode == 3) && c.armed && !c.frozen && c.count >= 2 &&
        target - last_tick_ > 2ull * c.count)
        last_tick_ = target - 2ull * c.count;
    auto drive = [this](bool level) {
        if (level != static_cast<bool>(irq_level_)) {
            irq_level_ = level;
            irq0.set(level);
        }
    };
    for (int i = 0; i < 8; i++) {
        const u64 t = next_transition(c, last_tick_);
        if (t == kNever || t > target) break;
        last_tick_ = t;
        drive(out_at(c, t));
    }
    last_tick_ = target;
    drive(out_at(c, target));
}

u64 I8254::next_event_ns() const {
    const u64 t = next_transition(ch_[0], last_tick_);
    return t == kNever ? kNever : tick_to_ns(t);
}

void I8254::sync0(u64 now_tick) {
    // After channel 0 is reprogrammed its OUT may change at once (e.g. a mode 0 control word).
    last_tick_ = now_tick;
    const bool level = out_at(ch_[0], now_tick);
    if (level != static_cast<bool>(irq_level_)) {
        irq_level_ = level;
        irq0.set(level);
    }
}

bool I8254::out(unsigned ch) const { return out_at(ch_[ch % 3], ticks(clock_())); }

void I8254::load_count(unsigned ch, u32 value) {
    Channel& c = ch_[ch];
    const u64 now = clock_(), t = ticks(now);
    if (ch == 0) update(now);
    if (c.bcd) value = bcd_to_bin(value);
    c.count = value ? value : (c.bcd ? 10000 : 0x10000);  // 0 is the largest count
    c.has_count = 1;
    c.null_count = 0;
    if (c.mode != 1 && c.mode != 5) {
        // Modes 0, 2, 3, 4 start counting; with the gate low they wait ("Gate" table).
        c.armed = 1;
        c.load_tick = t;
        c.frozen = !c.gate;
        c.frozen_d = 0;
    }  // modes 1 and 5 wait for a gate trigger
    if (ch == 0) sync0(t);
}

void I8254::set_gate(unsigned ch, bool level) {
    Channel& c = ch_[ch % 3];
    const u64 now = clock_(), t = ticks(now);
    if (ch == 0) update(now);
    if (level && !c.gate) {
        switch (c.mode) {
        case 0:
        case 4:  // counting resumes where it stopped
            if (c.armed && c.frozen) {
                c.load_tick = t - c.frozen_d;
                c.frozen = 0;
            }
            break;
        case 1:
        case 5:  // the rising edge triggers (or retriggers) the count
            if (c.has_count) {
                c.armed = 1;
                c.load_tick = t;
                c.frozen = 0;
            }
            break;
        default:  // 2, 3: the rising edge reloads the count
            if (c.armed) {
                c.load_tick = t;
                c.frozen = 0;
            }
            break;
        }
    } else if (!level && c.gate) {
        // Modes 0, 2, 3, 4 stop counting while the gate is low; 1 and 5 ignore a low gate.
        if (c.mode != 1 && c.mode != 5 && c.armed && !c.frozen) {
            c.frozen_d = elapsed(c, t);
            c.frozen = 1;
        }
    }
    c.gate = level;
    if (ch == 0) sync0(t);
}

u8 I8254::read(unsigned port) {
    if (port >= 3) return 0xff;  // the control word register cannot be read
    Channel& c = ch_[port];
    // "Read-Back Command": if both were latched, the status byte comes first.
    if (c.status_latched) {
        c.status_latched = 0;
        return c.status;
    }
    if (c.count_latched) {
        u8 v;
        switch (c.count_latched) {
        case 1: v = c.latched_count & 0xff; c.count_latched = 0; break;
        case 2: v = c.latched_count >> 8; c.count_latched = 0; break;
        default: v = c.latched_count & 0xff; c.count_latched = 2; break;  // LSB then MSB
        }
        return v;
    }
    const u32 v = counter_value(c, ticks(clock_()));
    switch (c.rw) {
    case 1: return v & 0xff;
    case 2: return (v >> 8) & 0xff;
    default:
        c.read_msb ^= 1;
        return c.read_msb ? v & 0xff : (v >> 8) & 0xff;
    }
}

void I8254::write(unsigned port, u8 v) {
    if (port < 3) {
        Channel& c = ch_[port];
        switch (c.rw) {
        case 1: load_count(port, v); break;
        case 2: load_count(port, static_cast<u32>(v) << 8); break;
        default:
            if (!c.write_msb) {
                c.write_latch = v;
                c.write_msb = 1;
                // Mode 0: "writing the first byte disables counting; OUT is set low immediately".
                if (c.mode == 0) {
                    const u64 now = clock_();
                    if (port == 0) update(now);
                    c.armed = 0;
                    if (port == 0) sync0(ticks(now));
                }
            } else {
                c.write_msb = 0;
                load_count(port, c.write_latch | (static_cast<u32>(v) << 8));
            }
            break;
        }
        return;
    }
    // "Control Word Format": SC1-SC0, RW1-RW0, M2-M0, BCD.
    const unsigned sel = v >> 6;
    if (sel == 3) {
        // "Read-Back Command": bit 5 = /COUNT, bit 4 = /STATUS, bits 3-1 select counters 2-0.
        for (unsigned i = 0; i < 3; i++) {
            if (!(v & (2u << i))) continue;
            Channel& c = ch_[i];
            if (!(v & 0x20)) latch_count(c);
            if (!(v & 0x10) && !c.status_latched) {
                // Status byte: OUT, NULL COUNT, RW1-0, M2-0, BCD.
                c.status = static_cast<u8>((out(i) << 7) | (c.null_count << 6) | (c.rw << 4) | (c.mode << 1) | c.bcd);
                c.status_latched = 1;
            }
        }
        return;
    }
    Channel& c = ch_[sel];
    const unsigned rw = (v >> 4) & 3;
    if (rw == 0) {
        latch_count(c);
        return;
    }
    const u64 now = clock_();
    if (sel == 0) update(now);
    c.rw = static_cast<u8>(rw);
    c.mode = (v >> 1) & 7;
    if (c.mode > 5) c.mode -= 4;  // 110 and 111 are modes 2 and 3
    c.bcd = v & 1;
    // A control word resets the counter's control logic: no count, no pending latched count.
    c.armed = c.has_count = c.frozen = 0;
    c.count_latched = 0;
    c.null_count = 1;
    c.read_msb = c.write_msb = 0;
    if (sel == 0) sync0(ticks(now));
}

u8 I8254::read_port61() {
    const u64 now = clock_();
    // Bit 4 toggles with every DRAM refresh request (15.085 us, as QEMU's pcspk); bit 5 is
    // channel 2's OUT; bits 6/7 (IOCHK/SERR NMI sources) are never set here.
    const u8 refresh = static_cast<u8>((now / 15085) & 1);
    return static_cast<u8>((port61_ & 0x0f) | (refresh << 4) | (out_at(ch_[2], ticks(now)) << 5));
}

void I8254::write_port61(u8 v) {
    port61_ = v & 0x0f;
    set_gate(2, v & 1);
}

}  // namespace vireo
