// The monitor's gdbserver (softmmu/monitor_cmds.cc, softmmu/gdbstub.h start_gdbstub): starts
// the stub at run time on a device, replaces it, and stops it with "none", with QEMU's lines.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "softmmu/gdbstub.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

using namespace vireo;

namespace {

class NullTerm : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

bool can_connect(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

TEST(GdbserverCommand, StartsReplacesAndStops) {
    VmConfig cfg;
    cfg.ram_size = 1 << 20;
    Machine m(cfg);
    m.add_cpu({});
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    const std::string sock = "/tmp/vireo-gdbserver-" + std::to_string(::getpid()) + ".sock";
    EXPECT_EQ(mon->execute("gdbserver unix:" + sock), "Waiting for gdb connection on device 'unix:" + sock + "'\n");
    ASSERT_NE(m.gdbstub, nullptr);
    EXPECT_NE(m.find_chardev("gdb"), nullptr);
    EXPECT_TRUE(can_connect(sock));
    GdbStub* first = m.gdbstub;
    mon->execute("gdbserver unix:" + sock + "2");
    EXPECT_NE(m.gdbstub, first);
    EXPECT_EQ(mon->execute("gdbserver none"), "Disabled gdbserver\n");
    EXPECT_EQ(m.gdbstub, nullptr);
    EXPECT_EQ(m.find_chardev("gdb"), nullptr);
    EXPECT_EQ(mon->execute("gdbserver nosuchbackend:x"), "Could not open gdbserver on device 'nosuchbackend:x'\n");
    ::unlink(sock.c_str());
    ::unlink((sock + "2").c_str());
}

}  // namespace
