// isa-debug-exit: a write of V to its port ends the process with status (V << 1) | 1,
// exactly as QEMU's device (hw/misc/debugexit.c behaviour), so test kernels can report.
#pragma once
#include "softmmu/device.h"

namespace vireo {

class DebugExit : public Device {
public:
    DebugExit(u16 iobase, u16 iosize) : iobase_(iobase), iosize_(iosize) {}
    const char* type_name() const override { return "isa-debug-exit"; }
    void realize(Machine& m) override;

private:
    u16 iobase_, iosize_;
};

}  // namespace vireo
