// The I/O APIC (Intel 82093AA I/O Advanced Programmable Interrupt Controller datasheet, order
// 290566), version 0x20 as QEMU's (adds the EOI register at 0x40), 24 input pins, at 0xfec00000.
// Interrupts leave as messages on the ApicBus; the EOI broadcast of the local APICs comes back
// through ApicBus::eoi_listener, which the constructor subscribes to.
#pragma once
#include <array>
#include <memory>
#include "hw/core/irq.h"
#include "hw/intc/apic.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class IoApic : public Device, public IrqStatsProvider {
public:
    static constexpr unsigned kPins = 24;
    static constexpr u64 kDefaultAddress = 0xfec00000;
    static constexpr u32 kVersion = 0x20;

    // Subscribes to bus.eoi_listener (the bus must outlive nothing it calls: the board owns both).
    explicit IoApic(ApicBus& bus);
    const char* type_name() const override { return "ioapic"; }
    // Maps the 4 KiB register window at kDefaultAddress in m.system_memory().
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    // Drive input pin `pin` (0..23) to the electrical `level` (polarity is applied here).
    void set_irq(unsigned pin, bool level);
    IrqLine input(unsigned pin);
    // A level-triggered vector was EOId (bus broadcast or the EOI register): clear remote IRR of
    // the entries with that vector and deliver again those still asserted.
    void eoi(u8 vector);

    // The MMIO window: IOREGSEL at 0x00, IOWIN at 0x10, EOI at 0x40 (datasheet 3.1).
    u32 read(u64 offset);
    void write(u64 offset, u32 value, unsigned size = 4);
    std::unique_ptr<MemoryRegion> make_region();

    u64 redirection(unsigned pin) const { return redir_[pin % kPins]; }
    // Rising edges per input pin. Unlike QEMU, which counts ISA IRQ0 under 0 before moving it
    // to pin 2, the board's IRQ0 shows here under pin 2, where it arrives.
    const char* irq_stats_name() const override { return "ioapic"; }
    std::span<const u64> irq_counts() const override { return irq_count_; }

private:
    bool active(unsigned pin) const;
    void service(unsigned pin);  // deliver a level-triggered pin if it may be
    void send(unsigned pin);
    u32 read_indirect(u8 index) const;
    void write_indirect(u8 index, u32 v);

    ApicBus& bus_;
    u8 regsel_ = 0;
    u8 id_ = 0, arb_ = 0;
    u32 pins_ = 0;  // electrical levels at the inputs (survive reset like the wires do)
    std::array<u64, kPins> redir_{};
    std::array<u64, kPins> irq_count_{};
};

}  // namespace vireo
