// System control port A at I/O 0x92 (ICH9 datasheet 13.7.1 "Port 92h"; IBM PS/2 "fast A20 and
// reset"): bit 1 = ALT_A20_GATE (kept; Vireo's address bus has no A20 mask), bit 0 = INIT_NOW,
// whose 0->1 transition resets the CPUs.
#pragma once
#include <functional>
#include "softmmu/device.h"

namespace vireo {

class Port92 : public Device {
public:
    const char* type_name() const override { return "port92"; }
    void realize(Machine& m) override;
    void reset() override { value_ = 0; }
    void describe_state(StateVisitor& v) override { v.field("value", &value_, sizeof value_); }
    u8 read() const { return value_; }
    void write(u8 v);
    std::function<void()> on_reset_request;

private:
    u8 value_ = 0;
};

}  // namespace vireo
