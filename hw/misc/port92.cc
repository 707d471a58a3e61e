#include "hw/misc/port92.h"

#include "softmmu/machine.h"

namespace vireo {

void Port92::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64, unsigned) -> u64 { return read(); };
    ops.write = [this](u64, u64 v, unsigned) { write(static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("port92", 1, ops)), 0x92);
}

void Port92::write(u8 v) {
    const bool init_now = (v & 1) && !(value_ & 1);
    value_ = v & 0x03;  // the other bits are reserved and read 0
    if (init_now && on_reset_request) on_reset_request();
}

}  // namespace vireo
