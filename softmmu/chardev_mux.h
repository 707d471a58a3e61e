// Mux chardev: several frontends (serial port, monitor) share one backend, as QEMU's
// chardev/char-mux.c does for -nographic, -serial mon:DEV and -chardev ...,mux=on.
// Every frontend's output goes to the backend; input goes to the focused frontend only.
// Ctrl-A (the escape character) followed by:
//   h or ?  print the key list          x    terminate the emulator ("Vireo: Terminated")
//   c       focus the next frontend     b    send a break to the focused frontend
//   t       toggle output timestamps    s    save disk data (not supported: says so)
//   Ctrl-A  send one Ctrl-A to the frontend; anything else is swallowed.
// As in QEMU, the focus starts on the frontend attached last (the serial port: the monitor of
// mon:DEV attaches first) and moves only with Ctrl-A c (or set_focus).
#pragma once
#include <memory>
#include <string>
#include <vector>
#include "softmmu/chardev.h"

namespace vireo {

class MuxChardev : public Chardev {
public:
    static constexpr u8 kEscape = 0x01;        // Ctrl-A
    static constexpr size_t kBufferSize = 32;  // input held per frontend while it is full

    explicit MuxChardev(std::unique_ptr<Chardev> backend);
    ~MuxChardev() override;

    // Output of any frontend (also what the mux itself prints).
    void write(const u8* data, size_t len) override;
    int input_fd() const override;
    void pump_input() override { backend_->pump_input(); }
    bool is_stdio() const override { return backend_->is_stdio(); }
    // A new port for one more frontend.
    Chardev* attach(const std::string& who) override;

    // Bytes as they come from the backend (escape processing, then the focused frontend).
    void input(const u8* data, size_t len);
    void set_focus(unsigned port);
    unsigned focus() const { return focus_; }
    size_t port_count() const { return ports_.size(); }
    Chardev& backend() { return *backend_; }
    // Ctrl-A x; the creator makes it end the machine (Machine::request_exit(0)).
    std::function<void()> on_terminate;
    // Time source for Ctrl-A t timestamps (ms); defaults to the host's monotonic clock.
    std::function<u64()> clock_ms;

private:
    class Port;
    friend class Port;
    void flush(unsigned port);
    void print_help();
    std::unique_ptr<Chardev> backend_;
    std::vector<std::unique_ptr<Port>> ports_;
    unsigned focus_ = 0;
    bool got_escape_ = false;
    bool timestamps_ = false;
    bool line_start_ = true;
    u64 timestamps_start_ = 0;
};

}  // namespace vireo
