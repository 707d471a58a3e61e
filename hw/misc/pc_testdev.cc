#include "hw/misc/pc_testdev.h"

#include <cstring>
#include "softmmu/machine.h"

namespace vireo {

u64 PcTestdev::ioport_read(unsigned offset, unsigned size) const {
    const unsigned shift = (offset & 3) * 8;
    const u64 mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
    return (ioport_data_ >> shift) & mask;
}

void PcTestdev::ioport_write(unsigned offset, u64 value, unsigned size) {
    const unsigned shift = (offset & 3) * 8;
    const u64 mask = (size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1) << shift;
    ioport_data_ = static_cast<u32>((ioport_data_ & ~mask) | ((value << shift) & mask));
}

void PcTestdev::realize(Machine& m) {
    MemoryOps data;
    data.read = [this](u64 off, unsigned size) -> u64 { return ioport_read(static_cast<unsigned>(off), size); };
    data.write = [this](u64 off, u64 v, unsigned size) { ioport_write(static_cast<unsigned>(off), v, size); };
    data.min_access = 1;
    data.max_access = 4;
    m.io_space().add_subregion(m.own(MemoryRegion::io("pc-testdev-ioport", 4, data)), 0xe0);
    MemoryOps bytes = data;
    bytes.max_access = 1;  // wider accesses are split into bytes
    m.io_space().add_subregion(m.own(MemoryRegion::io("pc-testdev-ioport-byte", 4, bytes)), 0xe8);
    MemoryOps flush;
    flush.write = [&m](u64, u64 v, unsigned) { m.memory().write_hook ? m.memory().write_hook(v & ~0xfffull, 4096) : void(); };
    flush.min_access = flush.max_access = 4;
    m.io_space().add_subregion(m.own(MemoryRegion::io("pc-testdev-flush-page", 4, flush)), 0xe4);
    MemoryOps irq;
    irq.write = [this](u64 off, u64 v, unsigned) {
        if (irqs_) irqs_(static_cast<unsigned>(off)).set(v != 0);
    };
    irq.min_access = irq.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("pc-testdev-irq-line", 24, irq)), 0x2000);
    MemoryOps mem;
    mem.read = [this](u64 off, unsigned size) -> u64 {
        u64 v = 0;
        std::memcpy(&v, iomem_.data() + off, size);
        return v;
    };
    mem.write = [this](u64 off, u64 v, unsigned size) { std::memcpy(iomem_.data() + off, &v, size); };
    mem.min_access = 1;
    mem.max_access = 8;
    m.system_memory().add_subregion(m.own(MemoryRegion::io("pc-testdev-iomem", kIomemSize, mem)), kIomemBase, 1);
}

void PcTestdev::describe_state(StateVisitor& v) {
    v.field("ioport_data", &ioport_data_, sizeof ioport_data_);
    v.field("iomem", iomem_.data(), iomem_.size());
}

}  // namespace vireo
