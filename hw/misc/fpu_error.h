// The PC's x87 error logic for CR0.NE = 0 ("MS-DOS compatibility" mode, SDM Vol. 1 8.7 and
// D.2.1; ICH9 datasheet 5.12.1 "Coprocessor Error"): a CPU's FERR# output drives IRQ 13; the
// IRQ 13 handler writes any value to I/O port F0h, which takes IRQ 13 down and asserts the
// CPUs' IGNNE# input, so the x87 instructions of the handler (FNCLEX, ...) run. IGNNE# stays
// asserted until FERR# goes away (the error is cleared: x87_common.h).
#pragma once
#include "hw/core/irq.h"
#include "softmmu/device.h"

namespace vireo {

class FpuError : public Device {
public:
    const char* type_name() const override { return "fpu-error"; }
    void realize(Machine& m) override;
    void reset() override {}
    void describe_state(StateVisitor&) override {}  // the IRQ level lives in the PIC/IOAPIC
    // FERR# from a CPU (Machine::x87_ferr).
    void ferr() { irq13.raise(); }
    // A write to port F0h.
    void clear_busy(Machine& m);

    IrqLine irq13;
};

}  // namespace vireo
