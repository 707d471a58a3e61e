// QEMU's "pc-testdev" (hw/misc/pc-testdev.c; used by kvm-unit-tests): a 32-bit scratch
// register at I/O 0xe0 (any access size) and again at 0xe8 (accessed a byte at a time), a
// "flush page" port at 0xe4 (a dword write of a physical address; here it drops translations
// of that page), ISA IRQ lines at I/O 0x2000 + n (a byte write sets IRQ n's level), and 64 KiB
// of scratch memory-mapped I/O at 0xff000000.
#pragma once
#include <array>
#include <vector>
#include "hw/core/isa_irq.h"
#include "softmmu/device.h"

namespace vireo {

class PcTestdev : public Device, public IsaIrqUser {
public:
    static constexpr u64 kIomemBase = 0xff000000, kIomemSize = 0x10000;
    PcTestdev() : iomem_(kIomemSize, 0) {}
    const char* type_name() const override { return "pc-testdev"; }
    void realize(Machine& m) override;
    void reset() override {}
    void describe_state(StateVisitor& v) override;
    void connect_isa_irqs(const IsaIrqs& irqs) override { irqs_ = irqs; }

    u64 ioport_read(unsigned offset, unsigned size) const;
    void ioport_write(unsigned offset, u64 value, unsigned size);

private:
    IsaIrqs irqs_;
    u32 ioport_data_ = 0;
    std::vector<u8> iomem_;
};

}  // namespace vireo
