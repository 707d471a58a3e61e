// Character device backends (-chardev, -serial): stdio, file, null. A frontend (UART, monitor)
// writes bytes out and receives input through a callback fed by the main loop.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include "frontend-x86/types.h"
#include "softmmu/options.h"

namespace vireo {

class Chardev {
public:
    virtual ~Chardev() = default;
    virtual void write(const u8* data, size_t len) = 0;
    // File descriptor to poll for input, or -1.
    virtual int input_fd() const { return -1; }
    // Called by the main loop when input_fd() is readable.
    virtual void pump_input() {}
    std::function<void(const u8* data, size_t len)> on_input;
    // How many more bytes the frontend can take right now (flow control).
    std::function<size_t()> can_receive;
};

// Build a backend from the -serial shorthand ("stdio", "file:PATH", "null", "none") or a
// -chardev spec. Throws OptionError naming the option on bad input.
std::unique_ptr<Chardev> chardev_from_shorthand(const std::string& spec, const char* option);
std::unique_ptr<Chardev> chardev_from_spec(const ChardevSpec& spec);

}  // namespace vireo
