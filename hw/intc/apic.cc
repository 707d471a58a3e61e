// Local APIC and APIC bus (apic.h). Section numbers are those of the Intel SDM Vol. 3A chapter
// 10, "Advanced Programmable Interrupt Controller (APIC)"; x2APIC details also follow the
// Intel x2APIC specification (order 318148).
#include "hw/intc/apic.h"

#include <bit>

#include "frontend-x86/cpu_state.h"
#include "softmmu/memory.h"

namespace vireo {

namespace {
constexpr u64 kNever = ~0ull;

// Register indices: MMIO offset >> 4, and x2APIC MSR - 0x800 (Table 10-1, Table 10-6).
enum Reg : unsigned {
    kId = 0x02, kVer = 0x03, kTpr = 0x08, kApr = 0x09, kPpr = 0x0a, kEoi = 0x0b, kRrd = 0x0c,
    kLdr = 0x0d, kDfr = 0x0e, kSvr = 0x0f, kIsr = 0x10, kTmr = 0x18, kIrr = 0x20, kEsr = 0x28,
    kCmci = 0x2f, kIcrLo = 0x30, kIcrHi = 0x31, kLvtFirst = 0x32, kLvtLast = 0x37,
    kInitCount = 0x38, kCurCount = 0x39, kDcr = 0x3e, kSelfIpi = 0x3f,
};

// ESR bits (10.5.3, Figure 10-9).
constexpr u32 kEsrSendIllegalVector = 1u << 5;
constexpr u32 kEsrReceiveIllegalVector = 1u << 6;
constexpr u32 kEsrIllegalRegister = 1u << 7;

// Writable bits of each LVT (10.5.1, Figure 10-8): timer = vector, mask, mode (bits 17-18);
// thermal/perfmon = vector, delivery mode, mask; LINT = + polarity, trigger; error = vector, mask.
constexpr u32 kLvtWritable[] = {0x700ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff};
constexpr u32 kLvtRemoteIrr = 1u << 14;
constexpr u32 kLvtPolarity = 1u << 13;
constexpr u32 kLvtLevel = 1u << 15;

// ICR low writable bits (10.6.1, Figure 10-12): vector, delivery mode, destination mode, level,
// trigger mode, shorthand. Delivery status (bit 12) reads 0: delivery is instant here.
constexpr u32 kIcrWritable = 0xccfff;

enum TimerMode : unsigned { kOneShot = 0, kPeriodic = 1, kTscDeadline = 2 };

bool test_bit(const std::array<u32, 8>& b, unsigned v) { return b[v >> 5] >> (v & 31) & 1; }
void set_bit(std::array<u32, 8>& b, unsigned v, bool on) {
    if (on) b[v >> 5] |= 1u << (v & 31);
    else b[v >> 5] &= ~(1u << (v & 31));
}
int highest_bit(const std::array<u32, 8>& b) {
    for (int i = 7; i >= 0; i--)
        if (b[i]) return i * 32 + 31 - std::countl_zero(b[i]);
    return -1;
}
}  // namespace

// ---- ApicBus ----

void ApicBus::send(const ApicMessage& m) {
    // 10.6.1: INIT level de-assert only synchronizes arbitration IDs; nothing is delivered.
    if (m.mode == DeliveryMode::Init && m.level_triggered && !m.assert_level) return;
    if (m.mode == DeliveryMode::LowestPriority && m.shorthand == Shorthand::None) {
        // 10.6.2.4: the target with the lowest processor priority wins; ties go to the lowest
        // APIC ID (the rotating arbitration priority is not modelled).
        Apic* best = nullptr;
        for (Apic* a : apics_)
            if (a->matches(m) && (!best || a->ppr() < best->ppr() || (a->ppr() == best->ppr() && a->id() < best->id())))
                best = a;
        if (best) best->deliver(m.vector, m.mode, m.level_triggered);
        return;
    }
    for (Apic* a : apics_)
        if (a->matches(m)) a->deliver(m.vector, m.mode, m.level_triggered);
}

// ---- Apic ----

Apic::Apic(u32 apic_id, ClockSource clock, ApicBus& bus)
    : initial_id_(apic_id), clock_(std::move(clock)), bus_(bus),
      base_(kDefaultBase | kBaseEnable | (apic_id == 0 ? kBaseBsp : 0)), id_(apic_id) {
    power_up_state();
}

std::unique_ptr<MemoryRegion> Apic::make_region(std::function<Apic*()> current) {
    MemoryOps ops;
    ops.read = [current](u64 off, unsigned) -> u64 {
        Apic* a = current();
        return a ? a->mmio_read(static_cast<u32>(off)) : 0;
    };
    ops.write = [current](u64 off, u64 v, unsigned) {
        if (Apic* a = current()) a->mmio_write(static_cast<u32>(off), static_cast<u32>(v));
    };
    ops.min_access = ops.max_access = 4;
    return MemoryRegion::io("apic", 0x1000, ops);
}

void Apic::power_up_state() {
    // 10.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, timer counts and DCR are 0; DFR all ones; every LVT
    // masked; SVR 0xff (APIC software-disabled).
    tpr_ = 0;
    ldr_ = 0;
    dfr_ = 0xffffffff;
    svr_ = 0xff;
    isr_ = {};
    tmr_ = {};
    irr_ = {};
    esr_ = esr_pending_ = 0;
    icr_lo_ = icr_hi_ = 0;
    lvt_.fill(kLvtMasked);
    initial_count_ = dcr_ = 0;
    timer_start_ = 0;
    timer_next_ = kNever;
    tsc_deadline_ = 0;
    extint_msg_ = 0;
}

void Apic::reset() {
    // 10.4.4: after RESET IA32_APIC_BASE is 0xfee00000, enabled, xAPIC mode, BSP flag on the
    // bootstrap processor (as Machine::reset_cpu sets CpuState::apic_base).
    base_ = kDefaultBase | kBaseEnable | (initial_id_ == 0 ? kBaseBsp : 0);
    id_ = initial_id_;
    sipi_vector_ = 0;
    power_up_state();
    // As QEMU's apic_reset_common: the BSP's LINT0 starts as ExtINT, which is what every BIOS
    // programs (FIRMWARE.md §4), so the 8259 works before the firmware touches the APIC.
    if (base_ & kBaseBsp) lvt_[kLvtLint0] = static_cast<u32>(DeliveryMode::ExtInt) << 8;
    update_irq();
}

void Apic::init_reset() {
    // 10.4.7.3: like power-up, except the APIC ID (and arbitration ID) and IA32_APIC_BASE.
    // x2APIC spec 2.7.2: INIT leaves x2APIC mode as it was.
    power_up_state();
    update_irq();
}

void Apic::describe_state(StateVisitor& v) {
    v.field("base", &base_, sizeof base_);
    v.field("id", &id_, sizeof id_);
    v.field("tpr", &tpr_, 1);
    v.field("ldr", &ldr_, sizeof ldr_);
    v.field("dfr", &dfr_, sizeof dfr_);
    v.field("svr", &svr_, sizeof svr_);
    v.field("isr", isr_.data(), sizeof isr_);
    v.field("tmr", tmr_.data(), sizeof tmr_);
    v.field("irr", irr_.data(), sizeof irr_);
    v.field("esr", &esr_, sizeof esr_);
    v.field("esr_pending", &esr_pending_, sizeof esr_pending_);
    v.field("icr_lo", &icr_lo_, sizeof icr_lo_);
    v.field("icr_hi", &icr_hi_, sizeof icr_hi_);
    v.field("lvt", lvt_.data(), sizeof lvt_);
    v.field("initial_count", &initial_count_, sizeof initial_count_);
    v.field("dcr", &dcr_, sizeof dcr_);
    v.field("timer_start", &timer_start_, sizeof timer_start_);
    v.field("timer_next", &timer_next_, sizeof timer_next_);
    v.field("tsc_deadline", &tsc_deadline_, sizeof tsc_deadline_);
    v.field("lint_level", lint_level_.data(), sizeof lint_level_);
    v.field("extint_msg", &extint_msg_, 1);
    v.field("sipi_vector", &sipi_vector_, 1);
}

// ---- registers ----

u32 Apic::ldr() const {
    // x2APIC spec 2.4.2: the logical ID is derived from the x2APIC ID: cluster in 31:16, one bit
    // of the low 16 for the position within the cluster.
    if (x2apic_mode()) return ((initial_id_ >> 4) << 16) | (1u << (initial_id_ & 0xf));
    return ldr_;
}

u8 Apic::ppr() const {
    // 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with a zero sub-class.
    const int isrv = highest_bit(isr_);
    const u8 isr_class = isrv < 0 ? 0 : static_cast<u8>(isrv & 0xf0);
    return (tpr_ & 0xf0) >= isr_class ? tpr_ : isr_class;
}

unsigned Apic::timer_shift() const {
    // 10.5.4, Figure 10-10: DCR bits 3,1:0 = 000 divide by 2 ... 110 by 128, 111 by 1.
    const unsigned v = (dcr_ & 3) | ((dcr_ >> 1) & 4);
    return (v + 1) & 7;
}

bool Apic::read_reg(unsigned idx, u64& v) {
    const bool x2 = x2apic_mode();
    switch (idx) {
    case kId: v = x2 ? initial_id_ : id_ << 24; return true;  // x2APIC: 32-bit ID, read-only
    case kVer: v = kVersion; return true;
    case kTpr: v = tpr_; return true;
    case kApr:
        if (x2) return false;  // x2APIC spec Table 2-2: no APR
        v = 0;  // 10.6.2.4: not present on Pentium 4 / Xeon and later
        return true;
    case kPpr: v = ppr(); return true;
    case kLdr: v = ldr(); return true;
    case kDfr:
        if (x2) return false;  // x2APIC spec 2.4.1: no DFR
        v = dfr_;
        return true;
    case kSvr: v = svr_; return true;
    case kEsr: v = esr_; return true;
    case kIcrLo:
        if (x2) {  // x2APIC spec 2.4.3: one 64-bit ICR
            v = (static_cast<u64>(icr_hi_) << 32) | icr_lo_;
            return true;
        }
        v = icr_lo_;
        return true;
    case kIcrHi:
        if (x2) return false;
        v = icr_hi_;
        return true;
    case kInitCount: v = initial_count_; return true;
    case kCurCount: v = current_count(now()); return true;
    case kDcr: v = dcr_; return true;
    case kEoi:
    case kSelfIpi:
        if (x2) return false;  // write-only in x2APIC mode
        v = 0;
        return idx == kEoi;
    default: break;
    }
    if (idx >= kIsr && idx < kIsr + 8) { v = isr_[idx - kIsr]; return true; }
    if (idx >= kTmr && idx < kTmr + 8) { v = tmr_[idx - kTmr]; return true; }
    if (idx >= kIrr && idx < kIrr + 8) { v = irr_[idx - kIrr]; return true; }
    if (idx >= kLvtFirst && idx <= kLvtLast) { v = lvt_[idx - kLvtFirst]; return true; }
    return false;  // reserved, CMCI (not implemented: max LVT entry 5), RRD
}

bool Apic::write_reg(unsigned idx, u64 v, bool x2) {
    // x2APIC spec 2.4: WRMSR with reserved bits set #GPs; in xAPIC mode they are just ignored.
    auto reserved = [&](u64 valid) { return x2 && (v & ~valid); };
    const u32 lo = static_cast<u32>(v);
    switch (idx) {
    case kId:
        if (x2) return false;  // read-only in x2APIC mode
        id_ = lo >> 24;        // xAPIC: software may change the ID (10.4.6)
        return true;
    case kTpr:
        if (reserved(0xff)) return false;
        tpr_ = static_cast<u8>(lo);
        update_irq();
        return true;
    case kEoi:
        if (x2 && v) return false;  // x2APIC spec 2.4.5: EOI must be written with 0
        eoi();
        return true;
    case kLdr:
        if (x2) return false;  // derived from the ID in x2APIC mode
        ldr_ = lo & 0xff000000;
        return true;
    case kDfr:
        if (x2) return false;
        dfr_ = lo | 0x0fffffff;  // 10.6.2.2: only the model bits 31:28 are writable
        return true;
    case kSvr:
        if (reserved(0x3ff)) return false;
        write_svr(lo);
        return true;
    case kEsr:
        if (x2 && v) return false;
        // 10.5.3: a write latches the errors seen since the last write and clears them.
        esr_ = esr_pending_;
        esr_pending_ = 0;
        return true;
    case kIcrLo:
        if (x2) {
            if (reserved(0xffffffff00000000ull | kIcrWritable)) return false;
            icr_hi_ = static_cast<u32>(v >> 32);
            icr_lo_ = lo & kIcrWritable;
            send_ipi(icr_lo_, icr_hi_);
        } else {
            icr_lo_ = lo & kIcrWritable;
            send_ipi(icr_lo_, icr_hi_ >> 24);
        }
        return true;
    case kIcrHi:
        if (x2) return false;
        icr_hi_ = lo & 0xff000000;
        return true;
    case kInitCount:
        if (reserved(0xffffffff)) return false;
        // 10.5.4.1: writes are ignored in TSC-deadline mode.
        if (timer_mode() == kTscDeadline) return true;
        initial_count_ = lo;
        timer_start_ = now();
        rearm_timer(timer_start_);
        return true;
    case kDcr: {
        if (reserved(0xb)) return false;
        const u64 t = now();
        // Keep the count where it is and continue it at the new rate.
        const u32 cur = current_count(t);
        dcr_ = lo & 0xb;
        if (initial_count_ && cur && timer_mode() != kTscDeadline)
            timer_start_ = t - (static_cast<u64>(initial_count_ - cur) << timer_shift());
        rearm_timer(t);
        return true;
    }
    case kSelfIpi:
        if (!x2 || reserved(0xff)) return false;  // x2APIC spec 2.4.5: x2APIC mode only
        accept_fixed(static_cast<u8>(lo), false);
        return true;
    default: break;
    }
    if (idx >= kLvtFirst && idx <= kLvtLast) {
        const unsigned l = idx - kLvtFirst;
        // Read-only bits (delivery status 12, remote IRR 14) may be written back as read.
        if (reserved(kLvtWritable[l] | (1u << 12) | kLvtRemoteIrr)) return false;
        write_lvt(l, lo);
        return true;
    }
    // Read-only registers: ignored in xAPIC mode, #GP in x2APIC mode.
    if (idx == kVer || idx == kApr || idx == kPpr || idx == kCurCount || (idx >= kIsr && idx < kIrr + 8)) return !x2;
    return false;
}

u32 Apic::mmio_read(u32 offset) {
    if (!hw_enabled() || x2apic_mode()) return 0;  // 10.12.2: no MMIO interface in x2APIC mode
    if (offset & 0xf) return 0;  // the other dwords of a 16-byte slot are reserved
    u64 v = 0;
    if (!read_reg((offset >> 4) & 0xff, v)) {
        signal_error(kEsrIllegalRegister);
        return 0;
    }
    return static_cast<u32>(v);
}

void Apic::mmio_write(u32 offset, u32 value) {
    if (!hw_enabled() || x2apic_mode()) return;
    if (offset & 0xf) return;
    const unsigned idx = (offset >> 4) & 0xff;
    if (idx == kSelfIpi || idx == kCmci || !write_reg(idx, value, false)) signal_error(kEsrIllegalRegister);
}

bool Apic::msr_read(u32 index, u64& value) {
    if (index == kMsrTscDeadline) {
        // 10.5.4.1: reads 0 outside TSC-deadline mode.
        value = hw_enabled() && timer_mode() == kTscDeadline ? tsc_deadline_ : 0;
        return true;
    }
    if (index < kMsrX2apicFirst || index > kMsrX2apicLast || !x2apic_mode()) return false;  // 10.12.1.2
    return read_reg(index - kMsrX2apicFirst, value);
}

bool Apic::msr_write(u32 index, u64 value) {
    if (index == kMsrTscDeadline) {
        // 10.5.4.1: writes are ignored outside TSC-deadline mode; 0 disarms; a deadline already
        // past fires at once.
        if (!hw_enabled() || timer_mode() != kTscDeadline) return true;
        tsc_deadline_ = value;
        rearm_timer(now());
        return true;
    }
    if (index < kMsrX2apicFirst || index > kMsrX2apicLast || !x2apic_mode()) return false;
    return write_reg(index - kMsrX2apicFirst, value, true);
}

void Apic::set_base(u64 apic_base) {
    const bool was_enabled = hw_enabled(), was_x2 = x2apic_mode();
    base_ = apic_base;
    if (!hw_enabled()) {
        // 10.4.3: a globally disabled APIC may lose its state and return to power-up state.
        if (was_enabled) {
            id_ = initial_id_;
            power_up_state();
        }
    } else if (x2apic_mode() && !was_x2) {
        // 10.12.5.1: xAPIC -> x2APIC: the ID becomes the x2APIC ID (the initial APIC ID); the
        // logical ID is derived from it; everything else carries over.
        id_ = initial_id_;
    }
    update_irq();
}

void Apic::write_svr(u32 v) {
    svr_ = v & 0x3ff;  // vector, APIC software enable (8), focus checking (9); no EOI suppression
    if (!sw_enabled()) {
        // 10.4.7.2: software-disabling sets every LVT mask bit.
        for (u32& l : lvt_) l |= kLvtMasked;
    }
    update_irq();
}

void Apic::write_lvt(unsigned l, u32 v) {
    // 10.4.7.2: while software-disabled, the mask bits cannot be cleared.
    if (!sw_enabled()) v |= kLvtMasked;
    const u32 old = lvt_[l];
    lvt_[l] = (old & kLvtRemoteIrr) | (v & kLvtWritable[l]);
    if (l == kLvtTimer) {
        const unsigned old_mode = (old >> 17) & 3, mode = timer_mode();
        if (old_mode != mode && (old_mode == kTscDeadline || mode == kTscDeadline)) {
            // 10.5.4.1: switching to or from TSC-deadline mode disarms the timer.
            initial_count_ = 0;
            tsc_deadline_ = 0;
        }
        rearm_timer(now());
    } else if (l == kLvtLint0 || l == kLvtLint1) {
        const unsigned pin = l - kLvtLint0;
        if (!(lvt_[l] & kLvtLevel)) lvt_[l] &= ~kLvtRemoteIrr;
        // A level-sensitive input that is already asserted is seen once unmasked (no new edge).
        eval_lint(pin, (lint_level_[pin] != 0) != ((lvt_[l] & kLvtPolarity) != 0));
        update_irq();
    }
}

// ---- interrupt acceptance ----

void Apic::signal_error(u32 bit) {
    esr_pending_ |= bit;
    // 10.5.3: an error raises the error LVT (if its vector is itself legal).
    const u32 l = lvt_[kLvtError];
    if (!(l & kLvtMasked) && (l & 0xff) >= 16) {
        set_bit(irr_, l & 0xff, true);
        set_bit(tmr_, l & 0xff, false);
        update_irq();
    }
}

void Apic::accept_fixed(u8 vector, bool level) {
    // 10.5.2: vectors 0-15 are illegal: the APIC sets "received illegal vector" and drops them.
    if (vector < 16) {
        signal_error(kEsrReceiveIllegalVector);
        return;
    }
    // 10.8.4: accepted into IRR; TMR records the trigger mode (1 = level) for the EOI.
    set_bit(irr_, vector, true);
    set_bit(tmr_, vector, level);
    update_irq();
}

void Apic::deliver(u8 vector, DeliveryMode mode, bool level_triggered) {
    if (!hw_enabled()) return;  // 10.4.3: a disabled APIC takes no part in the bus
    // 10.4.7.2: a software-disabled APIC still accepts INIT, NMI, SMI and SIPI; fixed
    // interrupts are held in IRR until it is enabled.
    switch (mode) {
    case DeliveryMode::Fixed:
    case DeliveryMode::LowestPriority: accept_fixed(vector, level_triggered); break;
    case DeliveryMode::Smi: signal(x86::IRQ_SMI, true); break;
    case DeliveryMode::Nmi: signal(x86::IRQ_NMI, true); break;
    case DeliveryMode::Init:
        // 10.4.7.3: the APIC itself resets on accepting the INIT; the CPU does its part when it
        // takes IRQ_INIT.
        init_reset();
        signal(x86::IRQ_INIT, true);
        break;
    case DeliveryMode::StartUp:
        sipi_vector_ = vector;
        signal(x86::IRQ_SIPI, true);
        break;
    case DeliveryMode::ExtInt:
        extint_msg_ = 1;
        update_irq();
        break;
    }
}

void Apic::set_lint(unsigned pin, bool level) {
    pin &= 1;
    const bool prev = lint_level_[pin];
    lint_level_[pin] = level;
    if (!hw_enabled()) {
        // 10.4.3 / 10.1: with the APIC disabled LINT0 is INTR and LINT1 is NMI.
        if (pin == 0) update_irq();
        else if (level && !prev) signal(x86::IRQ_NMI, true);
        return;
    }
    const bool pol = lvt_[kLvtLint0 + pin] & kLvtPolarity;
    eval_lint(pin, prev != pol);
}

IrqLine Apic::lint(unsigned pin) {
    return IrqLine(pin ? "lint1" : "lint0", [this, pin](bool level) { set_lint(pin, level); });
}

void Apic::eval_lint(unsigned pin, bool prev_active) {
    if (!hw_enabled()) return;
    u32& l = lvt_[kLvtLint0 + pin];
    const bool active = (lint_level_[pin] != 0) != ((l & kLvtPolarity) != 0);
    const auto mode = static_cast<DeliveryMode>((l >> 8) & 7);
    if (mode == DeliveryMode::ExtInt) {  // 10.5.1: ExtINT is always level-sensitive
        update_irq();
        return;
    }
    if (l & kLvtMasked) return;
    if (mode == DeliveryMode::Fixed) {
        // 10.5.1: level-triggered only for LINT0 ("level-sensitive interrupts are not supported
        // for LINT1"); remote IRR is set on acceptance and cleared by the EOI.
        if (pin == 0 && (l & kLvtLevel)) {
            if (active && !(l & kLvtRemoteIrr)) {
                l |= kLvtRemoteIrr;
                accept_fixed(static_cast<u8>(l), true);
            }
        } else if (active && !prev_active) {
            accept_fixed(static_cast<u8>(l), false);
        }
        return;
    }
    // NMI, SMI, INIT: always edge-sensitive (10.5.1).
    if (active && !prev_active) deliver(static_cast<u8>(l), mode, false);
}

// ---- CPU side ----

int Apic::pending_vector() const {
    if (!hw_enabled() || !sw_enabled()) return -1;
    const int v = highest_bit(irr_);
    // 10.8.3.1: delivered only if its priority class is above the PPR's.
    if (v < 0 || (v & 0xf0) <= (ppr() & 0xf0)) return -1;
    return v;
}

bool Apic::has_extint() const {
    if (!hw_enabled()) return lint_level_[0];  // 10.4.3: LINT0 is the INTR pin
    if (extint_msg_) return true;
    const u32 l = lvt_[kLvtLint0];
    if ((l & kLvtMasked) || static_cast<DeliveryMode>((l >> 8) & 7) != DeliveryMode::ExtInt) return false;
    return (lint_level_[0] != 0) != ((l & kLvtPolarity) != 0);
}

void Apic::update_irq() { signal(x86::IRQ_HARD, pending_vector() >= 0 || has_extint()); }

int Apic::acknowledge() {
    const int v = pending_vector();
    if (v >= 0) {
        // 10.8.4: INTA moves the vector from IRR to ISR.
        set_bit(irr_, v, false);
        set_bit(isr_, v, true);
        update_irq();
        return v;
    }
    if (has_extint()) {
        // The 8259 supplies the vector (10.5.1: ExtINT); nothing enters IRR/ISR.
        extint_msg_ = 0;
        update_irq();
        return kExtInt;
    }
    if (!hw_enabled()) return -1;
    // 10.9: the interrupt went away (e.g. TPR raised) between signal and INTA: spurious vector,
    // no ISR bit, no EOI expected.
    update_irq();
    return svr_ & 0xff;
}

void Apic::eoi() {
    // 10.8.5: the EOI retires the highest-priority ISR bit; level-triggered vectors (TMR set)
    // are broadcast to the IO APICs.
    const int v = highest_bit(isr_);
    if (v < 0) return;
    set_bit(isr_, v, false);
    const bool level = test_bit(tmr_, v);
    for (unsigned pin = 0; pin < 2; pin++) {
        u32& l = lvt_[kLvtLint0 + pin];
        if ((l & kLvtRemoteIrr) && (l & 0xff) == static_cast<u32>(v)) {
            l &= ~kLvtRemoteIrr;
            const bool active = (lint_level_[pin] != 0) != ((l & kLvtPolarity) != 0);
            eval_lint(pin, active);  // still asserted: delivered again
        }
    }
    if (level) bus_.eoi(static_cast<u8>(v));
    update_irq();
}

// ---- IPIs and destinations ----

void Apic::send_ipi(u32 lo, u32 dest) {
    const unsigned dm = (lo >> 8) & 7;
    if (dm == 3 || dm == 7) return;  // 10.6.1: reserved delivery modes for the ICR
    ApicMessage m;
    m.vector = static_cast<u8>(lo);
    m.mode = static_cast<DeliveryMode>(dm);
    m.logical = lo & 0x800;
    m.assert_level = lo & 0x4000;
    m.level_triggered = lo & 0x8000;
    m.shorthand = static_cast<Shorthand>((lo >> 18) & 3);
    m.dest = dest;
    m.x2apic = x2apic_mode();
    m.source = this;
    // 10.5.3: fixed/lowest-priority IPIs with vectors 0-15 are not sent ("send illegal vector").
    if ((m.mode == DeliveryMode::Fixed || m.mode == DeliveryMode::LowestPriority) && m.vector < 16) {
        signal_error(kEsrSendIllegalVector);
        return;
    }
    bus_.send(m);
}

bool Apic::matches(const ApicMessage& m) const {
    if (!hw_enabled()) return false;
    switch (m.shorthand) {
    case Shorthand::Self: return m.source == this;
    case Shorthand::AllIncludingSelf: return true;
    case Shorthand::AllExcludingSelf: return m.source != this;
    case Shorthand::None: break;
    }
    const u32 broadcast = m.x2apic ? 0xffffffffu : 0xffu;
    if (m.dest == broadcast) return true;  // 10.6.2.1 / 10.6.2.2: broadcast in both modes
    if (!m.logical) return m.dest == id();  // 10.6.2.1: physical destination mode
    // Logical destination mode (10.6.2.2): the MDA is matched against the LDR.
    const u32 l = ldr();
    if (x2apic_mode()) {
        // x2APIC spec 2.4.2: cluster ID in 31:16 must match, then any common bit in 15:0.
        return (m.dest >> 16) == (l >> 16) && (m.dest & l & 0xffff);
    }
    const u32 mda = m.dest & 0xff, lid = l >> 24;
    if ((dfr_ >> 28) == 0xf) return mda & lid;  // flat model: any common bit of 8
    // Cluster model: cluster in 7:4 (15 = all clusters), up to 4 members in 3:0.
    return ((mda >> 4) == 0xf || (mda >> 4) == (lid >> 4)) && (mda & lid & 0xf);
}

// ---- timer (10.5.4) ----

u32 Apic::current_count(u64 t) const {
    if (initial_count_ == 0 || timer_mode() == kTscDeadline) return 0;
    const u64 ticks = (t > timer_start_ ? t - timer_start_ : 0) >> timer_shift();
    if (timer_mode() == kPeriodic) return static_cast<u32>(initial_count_ - ticks % initial_count_);
    return ticks >= initial_count_ ? 0 : static_cast<u32>(initial_count_ - ticks);
}

void Apic::rearm_timer(u64 t) {
    timer_next_ = kNever;
    if (!hw_enabled()) return;
    if (timer_mode() == kTscDeadline) {
        if (tsc_deadline_ == 0) return;
        const u64 tsc_t = tsc_now();
        if (tsc_deadline_ <= tsc_t) {
            timer_next_ = t;  // already due: fire now
        } else {
            const u64 delta = tsc_deadline_ - tsc_t;
            timer_next_ = t + static_cast<u64>((static_cast<u128>(delta) * 1'000'000'000u + tsc_hz - 1) / tsc_hz);
        }
        if (timer_next_ <= t) update(t);
        return;
    }
    if (initial_count_ == 0) return;
    const u64 period = static_cast<u64>(initial_count_) << timer_shift();
    if (timer_mode() == kPeriodic) {
        const u64 elapsed = t > timer_start_ ? t - timer_start_ : 0;
        timer_next_ = timer_start_ + (elapsed / period + 1) * period;
    } else {
        const u64 end = timer_start_ + period;
        if (end > t) timer_next_ = end;  // a one-shot already counted out stays at 0
    }
}

void Apic::timer_expired() {
    // 10.5.4: at zero the timer raises its LVT interrupt (always edge, fixed delivery).
    const u32 l = lvt_[kLvtTimer];
    if (!(l & kLvtMasked)) accept_fixed(static_cast<u8>(l), false);
}

void Apic::update(u64 t) {
    if (timer_next_ == kNever || t < timer_next_) return;
    switch (timer_mode()) {
    case kTscDeadline:
        // 10.5.4.1: the timer fires once and disarms by clearing IA32_TSC_DEADLINE.
        tsc_deadline_ = 0;
        timer_next_ = kNever;
        break;
    case kPeriodic: {
        // Periods long past coalesce into one interrupt (only one IRR bit anyway).
        const u64 period = static_cast<u64>(initial_count_) << timer_shift();
        timer_next_ = timer_start_ + ((t - timer_start_) / period + 1) * period;
        break;
    }
    default: timer_next_ = kNever; break;
    }
    timer_expired();
}

}  // namespace vireo
