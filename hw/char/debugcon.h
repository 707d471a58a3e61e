// The ISA debug console (QEMU's "isa-debugcon", Bochs' port 0xe9 hack): bytes written to the
// port go to a chardev; reads return the configured read-back value (0xe9), which is how
// SeaBIOS detects it on port 0x402 (FIRMWARE.md 4).
#pragma once
#include "softmmu/chardev.h"
#include "softmmu/device.h"

namespace vireo {

class DebugCon : public Device {
public:
    DebugCon(u16 iobase, u8 readback, Chardev* chr) : iobase_(iobase), readback_(readback), chr_(chr) {}
    const char* type_name() const override { return "isa-debugcon"; }
    void realize(Machine& m) override;

private:
    u16 iobase_;
    u8 readback_;
    Chardev* chr_;
};

}  // namespace vireo
