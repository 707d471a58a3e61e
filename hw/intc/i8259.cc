// 8259A PIC pair (i8259.h). Section names are those of the Intel 8259A datasheet (231468);
// ELCR is from the Intel ICH9 datasheet, "ELCR1/ELCR2 - Edge/Level Control Registers".
#include "hw/intc/i8259.h"

#include "softmmu/machine.h"

namespace vireo {

namespace {
constexpr unsigned kCascadeIr = 2;  // the slave's INT drives master IR2 on the PC
}  // namespace

I8259::I8259() : intr("intr") {
    // ICH9 ELCR: IRQ0, 1, 2, 8 and 13 are always edge-triggered (their bits are reserved).
    chips_[0].elcr_mask = 0xf8;
    chips_[1].elcr_mask = 0xde;
}

void I8259::realize(Machine& m) {
    m.io_space().add_subregion(m.own(make_region(0)), 0x20);
    m.io_space().add_subregion(m.own(make_region(1)), 0xa0);
    m.io_space().add_subregion(m.own(make_elcr_region()), 0x4d0);
    reset();
}

std::unique_ptr<MemoryRegion> I8259::make_region(unsigned chip) {
    MemoryOps ops;
    ops.read = [this, chip](u64 off, unsigned) -> u64 { return read(chip, static_cast<unsigned>(off)); };
    ops.write = [this, chip](u64 off, u64 v, unsigned) { write(chip, static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io(chip ? "pic-slave" : "pic-master", 2, ops);
}

std::unique_ptr<MemoryRegion> I8259::make_elcr_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned) -> u64 { return read_elcr(static_cast<unsigned>(off)); };
    ops.write = [this](u64 off, u64 v, unsigned) { write_elcr(static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("elcr", 2, ops);
}

void I8259::reset() {
    for (Chip& c : chips_) {
        u8 pins = c.pins, mask = c.elcr_mask;
        c = Chip{};
        c.pins = pins;  // device lines keep their level across a chipset reset
        c.elcr_mask = mask;
    }
    update();
}

void I8259::describe_state(StateVisitor& v) {
    for (Chip& c : chips_) {
        v.field("irr", &c.irr, 1); v.field("imr", &c.imr, 1); v.field("isr", &c.isr, 1);
        v.field("pins", &c.pins, 1); v.field("elcr", &c.elcr, 1);
        v.field("priority_add", &c.priority_add, 1); v.field("irq_base", &c.irq_base, 1);
        v.field("icw3", &c.icw3, 1); v.field("init_state", &c.init_state, 1);
        v.field("init4", &c.init4, 1); v.field("single", &c.single, 1); v.field("ltim", &c.ltim, 1);
        v.field("read_isr", &c.read_isr, 1); v.field("poll", &c.poll, 1);
        v.field("special_mask", &c.special_mask, 1); v.field("auto_eoi", &c.auto_eoi, 1);
        v.field("rotate_on_aeoi", &c.rotate_on_aeoi, 1); v.field("sfnm", &c.sfnm, 1);
    }
    v.field("intr", &intr_level_, sizeof intr_level_);
}

// "Priority Resolver": the position (0 = highest) of the first set bit of `mask` counting from
// the highest-priority IR, which rotation moves (priority_add); 8 when mask is empty.
int I8259::priority(const Chip& c, u8 mask) {
    if (!mask) return 8;
    int p = 0;
    while (!(mask & (1u << ((p + c.priority_add) & 7)))) p++;
    return p;
}

int I8259::pending(unsigned chip) const {
    const Chip& c = chips_[chip];
    int p = priority(c, c.irr & ~c.imr);
    if (p == 8) return -1;
    // "Fully Nested Mode": an in-service request blocks equal and lower priorities. In "Special
    // Mask Mode" masked IRs no longer block; in "Special Fully Nested Mode" (master) the cascade
    // IR does not block itself so higher-priority slave requests get through.
    u8 in_service = c.isr;
    if (c.special_mask) in_service &= ~c.imr;
    if (chip == 0 && c.sfnm) in_service &= ~(1u << kCascadeIr);
    if (p < priority(c, in_service)) return (p + c.priority_add) & 7;
    return -1;
}

void I8259::chip_set(unsigned chip, unsigned irq, bool level) {
    Chip& c = chips_[chip];
    const u8 bit = 1u << irq;
    if (c.level_mask() & bit) {
        // "Edge and Level Triggered Modes": in level mode IRR follows the input.
        if (level) c.irr |= bit;
        else c.irr &= ~bit;
    } else if (level && !(c.pins & bit)) {
        c.irr |= bit;  // edge mode: a low-to-high transition latches the request
    }
    // In edge mode a request that goes away before INTA stays latched in IRR; the real part then
    // answers INTA with IR7 (spurious). Here the IRR bit stays, which matches what drivers see
    // for ISA devices that pulse their line.
    if (level) c.pins |= bit;
    else c.pins &= ~bit;
}

void I8259::update() {
    // "Cascade Mode": the slave's INT output drives master IR2. It is taken as a level (the
    // request stays while the slave has one pending) so a slave request that is still pending
    // after an INTA is not lost for want of a new edge.
    const u8 bit = 1u << kCascadeIr;
    if (pending(1) >= 0) chips_[0].irr |= bit, chips_[0].pins |= bit;
    else chips_[0].irr &= ~bit, chips_[0].pins &= ~bit;
    bool level = pending(0) >= 0;
    if (level != intr_level_) {
        intr_level_ = level;
        intr.set(level);
    }
}

void I8259::set_irq(unsigned irq, bool level) {
    // Master IR2 is the cascade input; nothing else can drive it on the PC.
    if (irq >= 16 || irq == kCascadeIr) return;
    if (level && !(chips_[irq >> 3].pins >> (irq & 7) & 1)) irq_count_[irq]++;
    chip_set(irq >> 3, irq & 7, level);
    update();
}

IrqLine I8259::input(unsigned irq) {
    return IrqLine("pic-ir" + std::to_string(irq), [this, irq](bool level) { set_irq(irq, level); });
}

void I8259::intack(Chip& c, int irq) {
    const u8 bit = 1u << irq;
    if (c.auto_eoi) {
        // "Automatic End of Interrupt (AEOI) Mode" (+ "Automatic Rotation" when enabled by OCW2).
        if (c.rotate_on_aeoi) c.priority_add = (irq + 1) & 7;
    } else {
        c.isr |= bit;
    }
    // Edge requests are consumed by INTA; a level request stays while its input is high.
    if (!(c.level_mask() & bit)) c.irr &= ~bit;
}

int I8259::acknowledge() {
    int irq = pending(0);
    int vector;
    if (irq >= 0) {
        intack(chips_[0], irq);
        if (irq == static_cast<int>(kCascadeIr)) {
            // "Cascade Mode": the master puts the slave's ID on CAS0-2, the slave supplies the vector.
            int irq2 = pending(1);
            if (irq2 >= 0) intack(chips_[1], irq2);
            else irq2 = 7;  // spurious IRQ15: no ISR bit is set on the slave
            vector = chips_[1].irq_base + irq2;
        } else {
            vector = chips_[0].irq_base + irq;
        }
    } else {
        vector = chips_[0].irq_base + 7;  // spurious IRQ7: no ISR bit is set
    }
    update();
    return vector;
}

u8 I8259::read(unsigned chip, unsigned port) {
    Chip& c = chips_[chip & 1];
    if (port & 1) return c.imr;  // "Reading the 8259A Status": A0=1 reads the IMR
    if (c.poll) {
        // "The Poll Command": the read acts as INTA; bit 7 = interrupt, bits 2-0 = highest IR.
        c.poll = 0;
        int irq = pending(chip & 1);
        if (irq < 0) return 0;
        intack(c, irq);
        update();  // a polled slave request drops the slave's INT, and so master IR2
        return static_cast<u8>(0x80 | irq);
    }
    return c.read_isr ? c.isr : c.irr;  // OCW3 RR/RIS
}

void I8259::write(unsigned chip, unsigned port, u8 v) {
    Chip& c = chips_[chip & 1];
    if (!(port & 1)) {
        if (v & 0x10) {
            // ICW1 ("Initialization Command Words"): the IMR is cleared, IR7 gets the lowest
            // priority, special mask mode is cleared, status read selects the IRR, and the edge
            // sense circuit is reset so an edge input must go low-to-high again. IC4=0 clears
            // every ICW4 function.
            c.imr = c.isr = 0;
            c.priority_add = 0;
            c.special_mask = c.poll = c.read_isr = 0;
            c.auto_eoi = c.rotate_on_aeoi = c.sfnm = 0;
            c.init4 = v & 1;
            c.single = (v >> 1) & 1;
            c.ltim = (v >> 3) & 1;
            c.irr = c.pins & c.level_mask();
            c.init_state = 1;
        } else if (v & 0x08) {
            // OCW3: P (poll), RR/RIS (read register), ESMM/SMM (special mask mode).
            if (v & 0x04) c.poll = 1;
            if (v & 0x02) c.read_isr = v & 1;
            if (v & 0x40) c.special_mask = (v >> 5) & 1;
        } else {
            // OCW2: R, SL, EOI and L2-L0 ("End of Interrupt", "Automatic Rotation",
            // "Specific Rotation").
            const unsigned level = v & 7;
            switch (v >> 5) {
            case 0: c.rotate_on_aeoi = 0; break;  // rotate in AEOI mode (clear)
            case 4: c.rotate_on_aeoi = 1; break;  // rotate in AEOI mode (set)
            case 1:                               // non-specific EOI
            case 5: {                             // rotate on non-specific EOI
                int p = priority(c, c.isr);
                if (p != 8) {
                    int irq = (p + c.priority_add) & 7;
                    c.isr &= ~(1u << irq);
                    if ((v >> 5) == 5) c.priority_add = (irq + 1) & 7;
                }
                break;
            }
            case 3: c.isr &= ~(1u << level); break;  // specific EOI
            case 7:                                  // rotate on specific EOI
                c.isr &= ~(1u << level);
                c.priority_add = (level + 1) & 7;
                break;
            case 6: c.priority_add = (level + 1) & 7; break;  // set priority: L becomes lowest
            default: break;                                   // 2: no operation
            }
        }
    } else {
        switch (c.init_state) {
        case 0: c.imr = v; break;  // OCW1
        case 1:                    // ICW2: T7-T3 of the vector (8086 mode)
            c.irq_base = v & 0xf8;
            c.init_state = c.single ? (c.init4 ? 3 : 0) : 2;
            break;
        case 2:  // ICW3: slave mask (master) or slave ID (slave); the PC wiring is fixed
            c.icw3 = v;
            c.init_state = c.init4 ? 3 : 0;
            break;
        case 3:  // ICW4: uPM (8086 mode assumed), AEOI, BUF/M/S (ignored), SFNM
            c.auto_eoi = (v >> 1) & 1;
            c.sfnm = (v >> 4) & 1;
            c.init_state = 0;
            break;
        }
    }
    update();
}

void I8259::write_elcr(unsigned chip, u8 v) {
    Chip& c = chips_[chip & 1];
    c.elcr = v & c.elcr_mask;
    // Inputs that became level-triggered report their current level.
    const u8 lm = c.level_mask();
    c.irr = (c.irr & ~lm) | (c.pins & lm);
    update();
}

}  // namespace vireo
