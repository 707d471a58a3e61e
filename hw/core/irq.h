// Named IRQ lines (ARCHITECTURE.md "Devices and boards"): a device owns its output lines, the
// board file connects each to the input of another device. No globals: a line is a value that
// holds its handler, so two machines in one process never share one.
#pragma once
#include <functional>
#include <string>
#include <utility>

namespace vireo {

struct IrqLine {
    IrqLine() = default;
    explicit IrqLine(std::string n, std::function<void(bool level)> h = {})
        : name(std::move(n)), handler(std::move(h)) {}

    std::string name;                          // for logs and `info irq`-style listings
    std::function<void(bool level)> handler;   // the input this line is wired to; unwired = no-op

    void set(bool level) const {
        if (handler) handler(level);
    }
    void raise() const { set(true); }
    void lower() const { set(false); }
    // One edge for edge-triggered inputs (ISA devices that signal by a short pulse).
    void pulse() const {
        set(true);
        set(false);
    }
    bool connected() const { return static_cast<bool>(handler); }
};

}  // namespace vireo
