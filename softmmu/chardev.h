// Character device backends (-chardev, -serial, -monitor): stdio, file, null, socket (TCP and
// Unix, server or client), pty, ringbuf, pipe, and the mux that lets a serial port and the
// monitor share one backend (chardev_mux.h). A frontend (UART, monitor) writes bytes out and
// receives input through callbacks the main loop drives.
//
// Main-loop contract (Machine::poll_io stays generic): poll input_fd() for POLLIN when it is
// >= 0, then call pump_input(). A backend returns -1 while its frontend cannot take input (flow
// control; no busy polling), and a listening socket returns its listen fd while no client is
// connected, pump_input() then accepts.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include "frontend-x86/types.h"
#include "softmmu/options.h"

namespace vireo {

class Machine;

enum class ChardevEvent {
    Opened,    // a peer is there now (socket client connected); the monitor greets it
    Closed,    // the peer went away
    FocusIn,   // mux: this frontend now gets the input (Ctrl-A c)
    FocusOut,  // mux: it lost the input
    Break,     // a break condition (mux Ctrl-A b)
};

class Chardev {
public:
    virtual ~Chardev() = default;
    // Output. Never blocks for long and never fails: without a peer the bytes are dropped.
    virtual void write(const u8* data, size_t len) = 0;
    void write(std::string_view s) { write(reinterpret_cast<const u8*>(s.data()), s.size()); }
    // File descriptor to poll for input, or -1 (see the contract above).
    virtual int input_fd() const { return -1; }
    // Called by the main loop when input_fd() is readable (or hung up).
    virtual void pump_input() {}
    // Is a peer there (a socket client connected, a mux frontend focused)?
    virtual bool is_open() const { return true; }
    // The frontend has room again (it read its FIFO): a buffering backend may deliver now.
    virtual void accept_input() {}
    // Attach a frontend named `who` (for the error message). A plain chardev takes one; a mux
    // hands out a new port per frontend. Throws OptionError when already in use.
    virtual Chardev* attach(const std::string& who);
    // Does this backend use the process's stdin/stdout (only one may, as in QEMU)?
    virtual bool is_stdio() const { return false; }

    std::string label;  // the -chardev id, or "serial0", "compat_monitor0", ... as QEMU names them

    // Frontend side.
    std::function<void(const u8* data, size_t len)> on_input;
    // How many more bytes the frontend can take right now (flow control); unset = any number.
    std::function<size_t()> can_receive;
    std::function<void(ChardevEvent)> on_event;

protected:
    // Room the frontend has, clamped to `max`.
    size_t room(size_t max) const;
    void deliver(const u8* data, size_t len) {
        if (on_input && len) on_input(data, len);
    }
    void event(ChardevEvent e) {
        if (on_event) on_event(e);
    }
    bool attached_ = false;
};

// A ring buffer backend (-chardev ringbuf,size=N): keeps the last N bytes written.
class RingbufChardev : public Chardev {
public:
    explicit RingbufChardev(size_t size);  // size: a power of two
    void write(const u8* data, size_t len) override;
    // Removes and returns up to max bytes, oldest first (QMP ringbuf-read).
    std::string read(size_t max = ~size_t{0});
    size_t size() const { return buf_.size(); }
    size_t count() const { return count_; }

private:
    std::string buf_;
    size_t head_ = 0, count_ = 0;
};

// Build a backend from a shorthand ("stdio", "file:PATH", "null", "none", "pty", "pipe:PATH",
// "tcp:[HOST]:PORT[,server=on|off][,wait=on|off]", "unix:PATH[,server=..][,wait=..]") or a
// -chardev spec. `option` names the option for errors; `label` is the chardev's label. Throws
// OptionError with one line naming the option on bad input.
std::unique_ptr<Chardev> chardev_from_shorthand(const std::string& spec, const char* option,
                                                const std::string& label = {});
std::unique_ptr<Chardev> chardev_from_spec(const ChardevSpec& spec);

// ---- Machine-level console wiring (what QEMU's vl.c does for -chardev/-serial/-monitor) ----

// Creates every -chardev of cfg in m (call before the frontends). Idempotent.
void create_chardevs(Machine& m, const VmConfig& cfg);
// The chardev a frontend option names: "chardev:ID" (an existing -chardev), or a shorthand
// created now with `label`. For "mon:DEV" the monitor is created too (monitor.h) and the mux's
// port for this frontend is returned. Never returns nullptr; "none" gives a null chardev.
Chardev* frontend_chardev(Machine& m, const std::string& spec, const char* option, const std::string& label);

}  // namespace vireo
