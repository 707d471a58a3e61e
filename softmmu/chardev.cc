// Chardev backends (chardev.h).
#include "softmmu/chardev.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace vireo {

namespace {

class NullChardev : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

class FdChardev : public Chardev {
public:
    FdChardev(int in_fd, int out_fd, bool owns) : in_(in_fd), out_(out_fd), owns_(owns) {}
    ~FdChardev() override {
        if (owns_ && out_ >= 0) close(out_);
    }
    void write(const u8* data, size_t len) override {
        while (len) {
            ssize_t n = ::write(out_, data, len);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // the reader went away: drop output, as QEMU does
            data += n;
            len -= static_cast<size_t>(n);
        }
    }
    int input_fd() const override { return in_; }
    void pump_input() override {
        if (in_ < 0) return;
        u8 buf[256];
        size_t room = can_receive ? can_receive() : sizeof buf;
        if (!room) return;
        ssize_t n = ::read(in_, buf, room < sizeof buf ? room : sizeof buf);
        if (n > 0 && on_input) on_input(buf, static_cast<size_t>(n));
        if (n == 0) in_ = -1;  // EOF: stop polling
    }

protected:
    int in_, out_;
    bool owns_;
};

// stdio in raw mode when it is a terminal (so the guest sees every key), restored on exit.
class StdioChardev : public FdChardev {
public:
    StdioChardev() : FdChardev(0, 1, false) {
        if (isatty(0) && tcgetattr(0, &saved_) == 0) {
            termios t = saved_;
            t.c_lflag &= ~(ICANON | ECHO | ISIG);
            t.c_iflag &= ~(ICRNL | IXON);
            t.c_cc[VMIN] = 1;
            t.c_cc[VTIME] = 0;
            tcsetattr(0, TCSANOW, &t);
            raw_ = true;
        }
    }
    ~StdioChardev() override {
        if (raw_) tcsetattr(0, TCSANOW, &saved_);
    }

private:
    termios saved_{};
    bool raw_ = false;
};

std::unique_ptr<Chardev> open_file(const std::string& path, const char* option) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw OptionError(std::string(option) + ": cannot open '" + path + "': " + std::strerror(errno));
    return std::make_unique<FdChardev>(-1, fd, true);
}

}  // namespace

std::unique_ptr<Chardev> chardev_from_shorthand(const std::string& spec, const char* option) {
    if (spec == "stdio" || spec == "mon:stdio") return std::make_unique<StdioChardev>();
    if (spec == "null" || spec == "none") return std::make_unique<NullChardev>();
    if (spec.rfind("file:", 0) == 0) return open_file(spec.substr(5), option);
    throw OptionError(std::string(option) + ": character device '" + spec + "' not supported yet");
}

std::unique_ptr<Chardev> chardev_from_spec(const ChardevSpec& spec) {
    if (spec.backend == "stdio") return std::make_unique<StdioChardev>();
    if (spec.backend == "null") return std::make_unique<NullChardev>();
    if (spec.backend == "file") {
        auto path = spec.props.get("path");
        if (!path) throw OptionError("-chardev: file: missing 'path'");
        return open_file(*path, "-chardev");
    }
    throw OptionError("-chardev: backend '" + spec.backend + "' not supported yet");
}

}  // namespace vireo
