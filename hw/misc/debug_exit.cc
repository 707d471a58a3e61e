#include "hw/misc/debug_exit.h"

#include "softmmu/machine.h"

namespace vireo {

void DebugExit::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [](u64, unsigned) -> u64 { return 0; };
    ops.write = [&m](u64, u64 v, unsigned size) {
        u64 mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
        m.request_exit(static_cast<int>(((v & mask) << 1) | 1));
    };
    ops.min_access = 1;
    ops.max_access = 4;
    m.io_space().add_subregion(m.own(MemoryRegion::io("isa-debug-exit", iosize_ ? iosize_ : 1, ops)), iobase_);
}

}  // namespace vireo
