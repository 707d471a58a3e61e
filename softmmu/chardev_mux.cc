// Mux chardev (chardev_mux.h). Behaviour follows QEMU's chardev/char-mux.c (escape keys, help
// text, focus cycling, "Terminated" line); the code is Vireo's own.
#include "softmmu/chardev_mux.h"

#include <chrono>
#include <cstdio>
#include <deque>

namespace vireo {

// What one frontend sees: its writes go to the mux's backend; its input comes from the mux.
class MuxChardev::Port : public Chardev {
public:
    Port(MuxChardev& mux, unsigned index) : mux_(mux), index_(index) {}
    void write(const u8* data, size_t len) override { mux_.write(data, len); }
    bool is_open() const override { return mux_.focus_ == index_; }
    void accept_input() override { mux_.flush(index_); }
    bool is_stdio() const override { return mux_.is_stdio(); }
    // Input held while the frontend is full (QEMU's MUX_BUFFER_SIZE).
    std::deque<u8> pending;
    using Chardev::deliver;
    using Chardev::event;
    using Chardev::room;

private:
    MuxChardev& mux_;
    unsigned index_;
};

MuxChardev::MuxChardev(std::unique_ptr<Chardev> backend) : backend_(std::move(backend)) {
    backend_->on_input = [this](const u8* d, size_t n) { input(d, n); };
    backend_->can_receive = [this]() -> size_t {
        if (ports_.empty()) return kBufferSize;
        const size_t held = ports_[focus_]->pending.size();
        return held < kBufferSize ? kBufferSize - held : 0;
    };
    clock_ms = [] {
        using namespace std::chrono;
        return static_cast<u64>(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
    };
}

MuxChardev::~MuxChardev() = default;

Chardev* MuxChardev::attach(const std::string&) {
    ports_.push_back(std::make_unique<Port>(*this, static_cast<unsigned>(ports_.size())));
    ports_.back()->label = label;
    // QEMU: the frontend attached last has the focus (no focus events before the machine runs).
    focus_ = static_cast<unsigned>(ports_.size() - 1);
    return ports_.back().get();
}

int MuxChardev::input_fd() const {
    // The backend asks our can_receive: it keeps reading while the focused frontend's hold
    // buffer has room, so Ctrl-A x still works for a while when the guest does not read.
    return backend_->input_fd();
}

void MuxChardev::write(const u8* data, size_t len) {
    if (!timestamps_) {
        backend_->write(data, len);
        return;
    }
    // Ctrl-A t: each output line starts with the time since timestamps were turned on.
    for (size_t i = 0; i < len; i++) {
        if (line_start_) {
            const u64 ms = clock_ms() - timestamps_start_;
            char ts[40];
            std::snprintf(ts, sizeof ts, "[%02u:%02u:%02u.%03u] ", static_cast<unsigned>(ms / 3600000),
                          static_cast<unsigned>(ms / 60000 % 60), static_cast<unsigned>(ms / 1000 % 60),
                          static_cast<unsigned>(ms % 1000));
            backend_->write(std::string_view(ts));
            line_start_ = false;
        }
        backend_->write(&data[i], 1);
        if (data[i] == '\n') line_start_ = true;
    }
}

void MuxChardev::print_help() {
    // QEMU's list, in its order; "\n\r" line ends because the terminal is raw.
    static constexpr const char* kRows[][2] = {
        {"h", "print this help"},
        {"x", "exit emulator"},
        {"s", "save disk data back to file (if -snapshot) [not supported by Vireo]"},
        {"t", "toggle console timestamps"},
        {"b", "send break (magic sysrq)"},
        {"c", "switch between console and monitor"},
        {"C-a", "sends C-a"},
    };
    std::string out = "\n\r";
    for (auto& r : kRows) {
        std::string key = std::string("C-a ") + r[0];
        key.resize(9, ' ');
        out += key + r[1] + std::string("\n\r");
    }
    backend_->write(std::string_view(out));
}

void MuxChardev::set_focus(unsigned port) {
    if (port >= ports_.size() || port == focus_) return;
    ports_[focus_]->event(ChardevEvent::FocusOut);
    focus_ = port;
    ports_[focus_]->event(ChardevEvent::FocusIn);
    flush(focus_);
}

void MuxChardev::flush(unsigned index) {
    if (index >= ports_.size()) return;
    Port& p = *ports_[index];
    while (!p.pending.empty()) {
        size_t n = p.room(p.pending.size());
        if (!n) break;
        u8 buf[kBufferSize];
        for (size_t i = 0; i < n && i < sizeof buf; i++) {
            buf[i] = p.pending.front();
            p.pending.pop_front();
        }
        p.deliver(buf, n < sizeof buf ? n : sizeof buf);
    }
}

void MuxChardev::input(const u8* data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        const u8 ch = data[i];
        if (got_escape_) {
            got_escape_ = false;
            if (ch != kEscape) {
                switch (ch) {
                case 'h': case '?': print_help(); break;
                case 'x':
                    backend_->write(std::string_view("Vireo: Terminated\n\r"));
                    if (on_terminate) on_terminate();
                    return;
                case 's':
                    backend_->write(std::string_view("\n\rVireo: C-a s: saving disk data is not supported\n\r"));
                    break;
                case 'b':
                    if (!ports_.empty()) ports_[focus_]->event(ChardevEvent::Break);
                    break;
                case 'c':
                    if (!ports_.empty()) set_focus(static_cast<unsigned>((focus_ + 1) % ports_.size()));
                    break;
                case 't':
                    timestamps_ = !timestamps_;
                    timestamps_start_ = clock_ms();
                    line_start_ = true;
                    break;
                default: break;  // unknown: swallowed, as QEMU does
                }
                continue;
            }
            // Ctrl-A Ctrl-A: one literal Ctrl-A for the frontend (falls through).
        } else if (ch == kEscape) {
            got_escape_ = true;
            continue;
        }
        if (ports_.empty()) continue;
        Port& p = *ports_[focus_];
        if (p.pending.size() < kBufferSize) p.pending.push_back(ch);
    }
    flush(focus_);
}

}  // namespace vireo
