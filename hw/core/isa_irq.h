// ISA interrupt lines as a board offers them to pluggable (-device) ISA devices: IRQ n of the
// board (on q35 the 8259 input n and IOAPIC pin n, IRQ0 on pin 2).
#pragma once
#include <functional>
#include "hw/core/irq.h"

namespace vireo {

using IsaIrqs = std::function<IrqLine(unsigned irq)>;

// A -device that wants ISA IRQ lines implements this; the board calls it before realize().
class IsaIrqUser {
public:
    virtual ~IsaIrqUser() = default;
    virtual void connect_isa_irqs(const IsaIrqs& irqs) = 0;
};

}  // namespace vireo
