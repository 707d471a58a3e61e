// Chardev backends (chardev.h): null, stdio, file, pipe, ringbuf; socket and pty live in
// chardev_socket.cc, the mux in chardev_mux.cc. Also the console wiring of frontends.
#include "softmmu/chardev.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include "softmmu/chardev_mux.h"
#include "softmmu/chardev_socket.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

namespace vireo {

Chardev* Chardev::attach(const std::string& who) {
    // QEMU: a chardev without mux=on takes a single frontend.
    if (attached_) throw OptionError(who + ": device '" + label + "' is in use");
    attached_ = true;
    return this;
}

size_t Chardev::room(size_t max) const {
    if (!can_receive) return max;
    const size_t r = can_receive();
    return r < max ? r : max;
}

namespace {

class NullChardev : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

class FdChardev : public Chardev {
public:
    FdChardev(int in_fd, int out_fd, bool owns) : in_(in_fd), out_(out_fd), owns_(owns) {
        // A reader that went away must not kill the emulator (QEMU ignores SIGPIPE too).
        std::signal(SIGPIPE, SIG_IGN);
    }
    ~FdChardev() override {
        if (owns_ && out_ >= 0) close(out_);
        if (owns_ && in_ >= 0 && in_ != out_) close(in_);
    }
    void write(const u8* data, size_t len) override {
        while (len && out_ >= 0) {
            ssize_t n = ::write(out_, data, len);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // the reader went away: drop output, as QEMU does
            data += n;
            len -= static_cast<size_t>(n);
        }
    }
    int input_fd() const override { return room(1) ? in_ : -1; }
    void pump_input() override {
        if (in_ < 0) return;
        u8 buf[256];
        const size_t n_room = room(sizeof buf);
        if (!n_room) return;
        ssize_t n = ::read(in_, buf, n_room);
        if (n > 0) deliver(buf, static_cast<size_t>(n));
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            if (owns_ && in_ != out_) close(in_);
            in_ = -1;  // EOF: stop polling
        }
    }

protected:
    int in_, out_;
    bool owns_;
};

// stdio in raw mode when it is a terminal (so the guest sees every key, Ctrl-C included),
// restored on exit. Output processing (OPOST) stays on, as in QEMU. Works the same with stdin
// from a pipe or a file: bytes as they come, EOF stops input.
class StdioChardev : public FdChardev {
public:
    StdioChardev() : FdChardev(0, 1, false) {
        if (isatty(0) && tcgetattr(0, &saved_) == 0) {
            termios t = saved_;
            t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
            t.c_iflag &= ~(ICRNL | INLCR | IXON);
            t.c_cc[VMIN] = 1;
            t.c_cc[VTIME] = 0;
            tcsetattr(0, TCSANOW, &t);
            raw_ = true;
        }
    }
    ~StdioChardev() override {
        if (raw_) tcsetattr(0, TCSANOW, &saved_);
    }
    bool is_stdio() const override { return true; }

private:
    termios saved_{};
    bool raw_ = false;
};

std::string errno_text() { return std::strerror(errno); }

std::unique_ptr<Chardev> open_file(const std::string& path, const std::string& where) {
    if (path.empty()) throw OptionError(where + ": file: missing path");
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw OptionError(where + ": cannot open '" + path + "': " + errno_text());
    return std::make_unique<FdChardev>(-1, fd, true);
}

// QEMU's pipe backend: PATH.in and PATH.out when both exist, else PATH both ways. Opened
// read-write so that opening a FIFO does not wait for the other end.
std::unique_ptr<Chardev> open_pipe(const std::string& path, const std::string& where) {
    if (path.empty()) throw OptionError(where + ": pipe: missing path");
    int in = open((path + ".in").c_str(), O_RDWR | O_CLOEXEC);
    int out = open((path + ".out").c_str(), O_RDWR | O_CLOEXEC);
    if (in < 0 || out < 0) {
        if (in >= 0) close(in);
        if (out >= 0) close(out);
        in = out = open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (in < 0) throw OptionError(where + ": cannot open pipe '" + path + "': " + errno_text());
    }
    return std::make_unique<FdChardev>(in, out, true);
}

std::unique_ptr<Chardev> make_ringbuf(const KeyValues& kv, const std::string& where) {
    const u64 size = kv.get_size("size", 65536);
    if (size == 0 || (size & (size - 1)))
        throw OptionError(where + ": ringbuf size must be power of 2");
    if (size > (u64{1} << 30)) throw OptionError(where + ": ringbuf size too large");
    return std::make_unique<RingbufChardev>(static_cast<size_t>(size));
}

// Socket options shared by -chardev socket and the tcp:/unix: shorthands.
std::unique_ptr<Chardev> make_socket(SocketAddress addr, const KeyValues& kv, const std::string& where) {
    for (const char* k : {"telnet", "tn3270", "websocket", "tls-creds", "reconnect"})
        if (kv.has(k) && (std::string_view(k) == "reconnect" ? kv.get_number(k, 0) != 0 : kv.get_bool(k, true)))
            throw OptionError(where + ": socket option '" + k + "' is not supported yet");
    const bool server = kv.get_bool("server", false);
    const bool wait = kv.get_bool("wait", true);
    if (!server && kv.has("wait")) throw OptionError(where + ": 'wait' option is incompatible with socket in client connect mode");
    if (!addr.unix_path && addr.port.empty()) throw OptionError(where + ": socket: missing port ('host:port' or port=)");
    if (addr.unix_path && addr.path.empty()) throw OptionError(where + ": socket: missing path");
    return std::make_unique<SocketChardev>(addr, server, server && wait, where);
}

// "HOST:PORT[,opts]" or "PATH[,opts]": the address and the option list after it.
KeyValues split_options(const std::string& target, std::string& first, const std::string& where) {
    const size_t comma = target.find(',');
    first = target.substr(0, comma);
    if (comma == std::string::npos) return {};
    try {
        return parse_keyvalues(std::string_view(target).substr(comma + 1));
    } catch (const OptionError& e) {
        throw OptionError(where + ": " + e.what());
    }
}

}  // namespace

RingbufChardev::RingbufChardev(size_t size) : buf_(size, '\0') {}

void RingbufChardev::write(const u8* data, size_t len) {
    // QEMU's ringbuf keeps the newest bytes: when full, the oldest are overwritten.
    const size_t n = buf_.size();
    for (size_t i = 0; i < len; i++) {
        buf_[(head_ + count_) % n] = static_cast<char>(data[i]);
        if (count_ < n) count_++;
        else head_ = (head_ + 1) % n;
    }
}

std::string RingbufChardev::read(size_t max) {
    std::string out;
    while (count_ && out.size() < max) {
        out += buf_[head_];
        head_ = (head_ + 1) % buf_.size();
        count_--;
    }
    return out;
}

std::unique_ptr<Chardev> chardev_from_shorthand(const std::string& spec, const char* option,
                                                const std::string& label) {
    const std::string where = std::string(option) + " " + spec;
    CharShorthand c = parse_char_shorthand(spec);  // throws "'x' is not a valid char driver"
    if (c.mux_monitor) throw OptionError(where + ": mon: needs the console wiring (frontend_chardev)");
    if (!c.chardev_id.empty()) throw OptionError(where + ": chardev: needs the console wiring (frontend_chardev)");
    std::unique_ptr<Chardev> chr;
    if (c.none || c.backend == "null") chr = std::make_unique<NullChardev>();
    else if (c.backend == "stdio") chr = std::make_unique<StdioChardev>();
    else if (c.backend == "file") chr = open_file(c.target, where);
    else if (c.backend == "pipe") chr = open_pipe(c.target, where);
    else if (c.backend == "pty") chr = std::make_unique<PtyChardev>(label, where);
    else if (c.backend == "socket" && (spec.rfind("tcp:", 0) == 0 || spec.rfind("unix:", 0) == 0)) {
        SocketAddress a;
        std::string addr;
        KeyValues kv = split_options(c.target, addr, where);
        if (spec.rfind("unix:", 0) == 0) {
            a.unix_path = true;
            a.path = addr;
        } else {
            const size_t colon = addr.rfind(':');
            if (colon == std::string::npos) throw OptionError(where + ": socket: missing port ('host:port')");
            a.host = addr.substr(0, colon);
            a.port = addr.substr(colon + 1);
        }
        chr = make_socket(a, kv, where);
    } else {
        throw OptionError(where + ": character device '" + spec + "' not supported yet");
    }
    chr->label = label;
    return chr;
}

std::unique_ptr<Chardev> chardev_from_spec(const ChardevSpec& spec) {
    const std::string where = "-chardev " + spec.raw;
    const KeyValues& kv = spec.props;
    std::unique_ptr<Chardev> chr;
    if (spec.backend == "stdio") chr = std::make_unique<StdioChardev>();
    else if (spec.backend == "null") chr = std::make_unique<NullChardev>();
    else if (spec.backend == "file") chr = open_file(kv.get_or("path", ""), where);
    else if (spec.backend == "pipe") chr = open_pipe(kv.get_or("path", ""), where);
    else if (spec.backend == "ringbuf" || spec.backend == "memory") chr = make_ringbuf(kv, where);
    else if (spec.backend == "pty") chr = std::make_unique<PtyChardev>(spec.id, where);
    else if (spec.backend == "socket") {
        SocketAddress a;
        if (kv.has("path")) {
            if (kv.has("host") || kv.has("port")) throw OptionError(where + ": socket: give either path= or host=/port=");
            a.unix_path = true;
            a.path = *kv.get("path");
        } else {
            if (!kv.has("host") && !kv.has("port")) throw OptionError(where + ": socket: give path= or host= and port=");
            a.host = kv.get_or("host", "");
            a.port = kv.get_or("port", "");
        }
        chr = make_socket(a, kv, where);
    } else {
        throw OptionError(where + ": backend '" + spec.backend + "' not supported yet");
    }
    chr->label = spec.id;
    return chr;
}

// ---- Console wiring ----

namespace {

void check_stdio(Machine& m, const Chardev& c, const std::string& where) {
    if (!c.is_stdio()) return;
    for (const auto& other : m.chardevs())
        if (other.get() != &c && other->is_stdio())
            throw OptionError(where + ": cannot use stdio by multiple character devices");
}

Chardev* add_checked(Machine& m, std::unique_ptr<Chardev> c, const std::string& where) {
    Chardev* raw = m.add_chardev(std::move(c));
    check_stdio(m, *raw, where);
    return raw;
}

MuxChardev* make_mux(Machine& m, std::unique_ptr<Chardev> backend, const std::string& label,
                     const std::string& where) {
    auto mux = std::make_unique<MuxChardev>(std::move(backend));
    mux->label = label;
    mux->on_terminate = [&m] { m.request_exit(0); };
    return static_cast<MuxChardev*>(add_checked(m, std::move(mux), where));
}

}  // namespace

void create_chardevs(Machine& m, const VmConfig& cfg) {
    for (const ChardevSpec& s : cfg.chardevs) {
        if (m.find_chardev(s.id)) continue;  // already created
        const std::string where = "-chardev " + s.raw;
        std::unique_ptr<Chardev> c = chardev_from_spec(s);
        if (s.props.get_bool("mux", false)) make_mux(m, std::move(c), s.id, where);
        else add_checked(m, std::move(c), where);
    }
}

Chardev* frontend_chardev(Machine& m, const std::string& spec, const char* option, const std::string& label) {
    const std::string where = std::string(option) + " " + spec;
    CharShorthand c = parse_char_shorthand(spec);
    if (!c.chardev_id.empty()) {
        create_chardevs(m, m.config());
        Chardev* chr = m.find_chardev(c.chardev_id);
        if (!chr) throw OptionError(where + ": chardev \"" + c.chardev_id + "\" not found");
        return chr->attach(where);
    }
    if (c.mux_monitor) {
        // QEMU's qemu_chr_new_mux_mon(): DEV behind a mux, an HMP monitor on it first, then the
        // frontend (which therefore has the focus).
        MuxChardev* mux = make_mux(m, chardev_from_shorthand(spec.substr(4), option, label), label, where);
        Chardev* mon_port = mux->attach(where);
        Chardev* port = mux->attach(where);  // attached last: has the focus
        create_monitor(m, mon_port);          // greets on its first Ctrl-A c
        return port;
    }
    return add_checked(m, chardev_from_shorthand(spec, option, label), where)->attach(where);
}

}  // namespace vireo
