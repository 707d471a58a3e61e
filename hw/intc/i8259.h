// The 8259A programmable interrupt controller pair of the PC (Intel 8259A datasheet, order
// no. 231468): master at 0x20/0x21, slave at 0xa0/0xa1 cascaded on master IR2, and the ICH9
// edge/level control registers ELCR1/ELCR2 at 0x4d0/0x4d1. The board wires device IRQ lines to
// input(n) (n = 0..15) and the output `intr` to the CPU; the CPU's INTA cycle is acknowledge().
#pragma once
#include <array>
#include "hw/core/irq.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class I8259 : public Device, public IrqStatsProvider {
public:
    I8259();
    const char* type_name() const override { return "i8259"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    // Drive input pin `irq` (0..15) to `level`.
    void set_irq(unsigned irq, bool level);
    // A line a board can hand to a device: setting it drives input pin `irq`.
    IrqLine input(unsigned irq);
    // INTA (datasheet "Interrupt Sequence"): the vector for the CPU; sets the ISR bit and
    // drops INTR. Spurious requests give IR7 of the chip concerned (datasheet "Interrupt
    // Sequence", note on IR7 default).
    int acknowledge();
    // Output to the CPU (INT pin of the master).
    IrqLine intr;
    bool intr_level() const { return intr_level_; }

    // Register access for boards/tests that map the ports themselves: chip 0 = master.
    u8 read(unsigned chip, unsigned port);
    void write(unsigned chip, unsigned port, u8 v);
    u8 read_elcr(unsigned chip) const { return chips_[chip].elcr; }
    void write_elcr(unsigned chip, u8 v);

    // The regions realize() maps (0x20, 0xa0, 0x4d0); exposed so a board or test can place them.
    std::unique_ptr<MemoryRegion> make_region(unsigned chip);
    std::unique_ptr<MemoryRegion> make_elcr_region();

    // Rising edges per input, 0-7 master and 8-15 slave, under QEMU's name for the pair.
    const char* irq_stats_name() const override { return "isa-i8259"; }
    std::span<const u64> irq_counts() const override { return irq_count_; }

private:
    struct Chip {
        u8 irr = 0, imr = 0, isr = 0;
        u8 pins = 0;           // levels at the IR inputs (external, survives ICW1)
        u8 elcr = 0, elcr_mask = 0;
        u8 priority_add = 0;   // rotation: the IR with the highest priority
        u8 irq_base = 0;       // ICW2 T7-T3
        u8 icw3 = 0;
        u8 init_state = 0;     // 0 ready; 1/2/3 expecting ICW2/ICW3/ICW4
        u8 init4 = 0, single = 0, ltim = 0;
        u8 read_isr = 0, poll = 0, special_mask = 0;
        u8 auto_eoi = 0, rotate_on_aeoi = 0, sfnm = 0;
        u8 level_mask() const { return ltim ? 0xff : elcr; }
    };
    static int priority(const Chip& c, u8 mask);
    int pending(unsigned chip) const;  // highest-priority IR that would be delivered, or -1
    void intack(Chip& c, int irq);
    void chip_set(unsigned chip, unsigned irq, bool level);
    void update();
    std::array<Chip, 2> chips_;
    bool intr_level_ = false;
    std::array<u64, 16> irq_count_{};
};

}  // namespace vireo
