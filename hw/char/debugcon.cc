#include "hw/char/debugcon.h"

#include "softmmu/machine.h"

namespace vireo {

void DebugCon::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64, unsigned) -> u64 { return readback_; };
    ops.write = [this](u64, u64 v, unsigned) {
        const u8 b = static_cast<u8>(v);
        if (chr_) chr_->write(&b, 1);
    };
    ops.min_access = ops.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("isa-debugcon", 1, ops)), iobase_);
}

}  // namespace vireo
