#include "hw/misc/fpu_error.h"

#include "frontend-x86/cpu_state.h"
#include "softmmu/machine.h"

namespace vireo {

void FpuError::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [](u64, unsigned) -> u64 { return 0xff; };  // nothing to read (open bus)
    ops.write = [this, &m](u64, u64, unsigned) { clear_busy(m); };
    ops.min_access = ops.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("fpu-error", 1, ops)), 0xf0);
    m.x87_ferr_hook = [this] { ferr(); };
}

void FpuError::clear_busy(Machine& m) {
    irq13.lower();
    // IGNNE# reaches every CPU on a PC; only one with a pending error cares.
    for (Vcpu& v : m.cpus()) v.state->ignne = true;
}

}  // namespace vireo
