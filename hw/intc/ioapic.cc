// I/O APIC (ioapic.h). Section numbers are those of the Intel 82093AA datasheet (290566):
// 3.0 "Register Description" (3.1 direct registers, 3.2 indirect: 3.2.1 IOAPICID, 3.2.2
// IOAPICVER, 3.2.3 IOAPICARB, 3.2.4 IOREDTBL). The EOI register is that of later IO(x)APICs
// (version 0x20, as in QEMU and the ICH9).
#include "hw/intc/ioapic.h"

#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

namespace {
// Redirection entry bits (3.2.4, Table "IOREDTBL").
constexpr u64 kDestModeLogical = 1ull << 11;
constexpr u64 kDeliveryStatus = 1ull << 12;
constexpr u64 kPolarityLow = 1ull << 13;
constexpr u64 kRemoteIrr = 1ull << 14;
constexpr u64 kLevel = 1ull << 15;
constexpr u64 kMasked = 1ull << 16;
// Writable: vector, delivery mode, destination mode, polarity, trigger mode, mask, destination.
// Delivery status and remote IRR are read-only.
constexpr u64 kWritable = 0xff000000'0001afffull;

constexpr u8 kRegId = 0x00, kRegVer = 0x01, kRegArb = 0x02, kRegRedirFirst = 0x10;
}  // namespace

IoApic::IoApic(ApicBus& bus) : bus_(bus) {
    bus_.eoi_listener = [this](u8 vector) { eoi(vector); };
    reset();
}

void IoApic::realize(Machine& m) {
    m.system_memory().add_subregion(m.own(make_region()), kDefaultAddress);
    reset();
}

std::unique_ptr<MemoryRegion> IoApic::make_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) -> u64 {
        // Narrow reads see the addressed bytes of the dword.
        const u64 v = read(off & ~3ull);
        return (v >> (8 * (off & 3))) & (size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1);
    };
    ops.write = [this](u64 off, u64 v, unsigned size) { write(off, static_cast<u32>(v), size); };
    ops.min_access = 1;
    ops.max_access = 4;
    return MemoryRegion::io("ioapic", 0x1000, ops);
}

void IoApic::reset() {
    // 3.2.4: every redirection entry comes up masked; ID 0 (3.2.1).
    regsel_ = 0;
    id_ = arb_ = 0;
    redir_.fill(kMasked);
}

void IoApic::describe_state(StateVisitor& v) {
    v.field("regsel", &regsel_, 1);
    v.field("id", &id_, 1);
    v.field("arb", &arb_, 1);
    v.field("pins", &pins_, sizeof pins_);
    v.field("redir", redir_.data(), sizeof redir_);
}

IrqLine IoApic::input(unsigned pin) {
    return IrqLine("ioapic.gsi" + std::to_string(pin), [this, pin](bool level) { set_irq(pin, level); });
}

bool IoApic::active(unsigned pin) const {
    // 3.2.4 bit 13: interrupt input pin polarity, 1 = active low.
    const bool level = pins_ >> pin & 1;
    return level != ((redir_[pin] & kPolarityLow) != 0);
}

void IoApic::send(unsigned pin) {
    const u64 e = redir_[pin];
    ApicMessage m;
    m.vector = static_cast<u8>(e);
    m.mode = static_cast<DeliveryMode>((e >> 8) & 7);
    m.logical = e & kDestModeLogical;
    m.level_triggered = e & kLevel;
    m.dest = static_cast<u32>(e >> 56);  // 3.2.4 bits 63:56
    bus_.send(m);
}

void IoApic::service(unsigned pin) {
    u64& e = redir_[pin];
    if ((e & kMasked) || !(e & kLevel) || !active(pin)) return;
    const auto mode = static_cast<DeliveryMode>((e >> 8) & 7);
    const bool fixed = mode == DeliveryMode::Fixed || mode == DeliveryMode::LowestPriority;
    // 3.2.4 bit 14: for level-triggered fixed/lowest-priority interrupts, remote IRR is set when
    // the local APIC accepts it and cleared by the EOI; no new message until then.
    if (fixed) {
        if (e & kRemoteIrr) return;
        e |= kRemoteIrr;
    }
    send(pin);
}

void IoApic::set_irq(unsigned pin, bool level) {
    if (pin >= kPins) return;
    if (level && !(pins_ >> pin & 1)) irq_count_[pin]++;
    const bool was = active(pin);
    pins_ = level ? pins_ | (1u << pin) : pins_ & ~(1u << pin);
    const bool now = active(pin);
    const u64 e = redir_[pin];
    if (e & kLevel) {
        if (now) service(pin);
        return;
    }
    // Edge: the inactive-to-active transition; edges on a masked pin are lost (3.2.4 bit 16).
    if (now && !was && !(e & kMasked)) send(pin);
}

void IoApic::eoi(u8 vector) {
    for (unsigned pin = 0; pin < kPins; pin++) {
        u64& e = redir_[pin];
        if ((e & kRemoteIrr) && static_cast<u8>(e) == vector) {
            e &= ~kRemoteIrr;
            service(pin);  // still asserted: interrupt again
        }
    }
}

u32 IoApic::read_indirect(u8 index) const {
    switch (index) {
    case kRegId: return static_cast<u32>(id_) << 24;  // 3.2.1: ID in bits 27:24
    case kRegVer: return ((kPins - 1) << 16) | kVersion;  // 3.2.2: max redirection entry 23:16
    case kRegArb: return static_cast<u32>(arb_) << 24;    // 3.2.3
    default: break;
    }
    if (index >= kRegRedirFirst && index < kRegRedirFirst + 2 * kPins) {
        const u64 e = redir_[(index - kRegRedirFirst) / 2];
        return static_cast<u32>(index & 1 ? e >> 32 : e);
    }
    return 0;
}

void IoApic::write_indirect(u8 index, u32 v) {
    if (index == kRegId) {
        // 3.2.1: bits 27:24 are the ID; 3.2.3: the arbitration ID is loaded with it.
        id_ = (v >> 24) & 0xf;
        arb_ = id_;
        return;
    }
    if (index < kRegRedirFirst || index >= kRegRedirFirst + 2 * kPins) return;  // VER, ARB: read-only
    const unsigned pin = (index - kRegRedirFirst) / 2;
    u64& e = redir_[pin];
    const u64 ro = e & (kDeliveryStatus | kRemoteIrr);
    u64 nv = index & 1 ? (static_cast<u64>(v) << 32) | (e & 0xffffffffull)
                       : (e & 0xffffffff00000000ull) | v;
    nv = (nv & kWritable) | ro;
    if (!(nv & kLevel)) nv &= ~kRemoteIrr;  // an edge-triggered entry has no remote IRR
    e = nv;
    // Unmasking (or switching to level) an asserted level-triggered pin delivers it.
    service(pin);
}

u32 IoApic::read(u64 offset) {
    switch (offset) {
    case 0x00: return regsel_;  // IOREGSEL (3.1)
    case 0x10: return read_indirect(regsel_);  // IOWIN
    default: return 0;
    }
}

void IoApic::write(u64 offset, u32 value, unsigned size) {
    switch (offset) {
    case 0x00: regsel_ = static_cast<u8>(value); break;  // IOREGSEL: bits 7:0 select
    case 0x10:
        if (size == 4) write_indirect(regsel_, value);  // IOWIN is a dword register
        break;
    case 0x40: eoi(static_cast<u8>(value)); break;  // EOI register (version 0x20)
    default: break;
    }
}

}  // namespace vireo
