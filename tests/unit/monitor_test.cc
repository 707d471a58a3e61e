// Human monitor (softmmu/monitor.h): commands and their QEMU-style output, line editing, the
// mux hand-over of -nographic (Ctrl-A c), monitors on sockets, and the option wiring.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "softmmu/chardev_mux.h"
#include "softmmu/chardev_socket.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

using namespace vireo;

namespace {

VmConfig small_cfg() {
    VmConfig v;
    v.ram_size = 1 << 20;
    return v;
}

class Terminal : public Chardev {
public:
    void write(const u8* d, size_t n) override { out.append(reinterpret_cast<const char*>(d), n); }
    void type(const std::string& s) { on_input(reinterpret_cast<const u8*>(s.data()), s.size()); }
    bool is_open() const override { return open; }
    std::string take() { return std::exchange(out, {}); }
    std::string out;
    bool open = true;
};

class MonitorTest : public ::testing::Test {
protected:
    MonitorTest() : cfg(small_cfg()), m(cfg) { mon = create_monitor(m, &term); }
    VmConfig cfg;
    Machine m;
    Terminal term;
    Monitor* mon;
};

TEST_F(MonitorTest, GreetsWithBannerAndQemuPrompt) {
    EXPECT_NE(term.out.find("monitor - type 'help' for more information\r\n"), std::string::npos);
    EXPECT_EQ(term.out.substr(term.out.size() - 7), "(qemu) ");
}

TEST_F(MonitorTest, InfoStatus) {
    term.take();
    term.type("info status\r");
    // QEMU: "VM status: running"; the monitor sends "\r\n" line ends, then a new prompt.
    EXPECT_EQ(term.take(), "info status\r\nVM status: running\r\n(qemu) ");
}

TEST_F(MonitorTest, UnknownCommand) {
    EXPECT_EQ(mon->execute("xyz"), "unknown command: 'xyz'\n");
    EXPECT_EQ(mon->execute("info nosuch"), "unknown command: 'info nosuch'\n");
    EXPECT_EQ(mon->execute(""), "");
}

TEST_F(MonitorTest, HelpListsCommands) {
    const std::string h = mon->execute("help");
    for (const char* c : {"help|? [cmd] -- show the help\n", "info [subcommand] --", "quit|q -- quit the emulator\n",
                          "system_reset -- reset the system\n", "system_powerdown --"})
        EXPECT_NE(h.find(c), std::string::npos) << c << " in\n" << h;
    const std::string i = mon->execute("info");
    for (const char* c : {"info status --", "info registers --", "info qtree --", "info mtree --"})
        EXPECT_NE(i.find(c), std::string::npos) << c;
    EXPECT_EQ(mon->execute("help quit"), "quit|q -- quit the emulator\n");
}

TEST_F(MonitorTest, BackspaceAndEscapeSequences) {
    term.take();
    // "infx" BS "o st" left-arrow (ESC [ D, ignored) "atus" Enter
    term.type("infx\x7fo st\x1b[Datus\n");
    EXPECT_NE(term.out.find("VM status: running"), std::string::npos) << term.out;
    term.take();
    term.type("junk\x15" "info status\r\n");  // Ctrl-U kills the line; \r\n is one Enter
    EXPECT_NE(term.out.find("VM status: running"), std::string::npos);
    EXPECT_EQ(term.out.find("unknown"), std::string::npos);
}

TEST_F(MonitorTest, QuitRequestsExitWithoutPrompt) {
    term.take();
    term.type("quit\r");
    EXPECT_TRUE(m.exit_pending());
    EXPECT_EQ(term.take(), "quit\r\n");
}

TEST_F(MonitorTest, ShortQuit) {
    mon->execute("q");
    EXPECT_TRUE(m.exit_pending());
}

TEST_F(MonitorTest, SystemResetResetsTheMachine) {
    bool reset = false;
    m.on_reset = [&] {
        reset = true;
        m.request_exit(0);
    };
    mon->execute("system_reset");
    EXPECT_EQ(m.run(), 0);  // the main loop performs the reset
    EXPECT_TRUE(reset);
}

TEST_F(MonitorTest, SystemPowerdownPressesThePowerButton) {
    EXPECT_NE(mon->execute("system_powerdown").find("no power button"), std::string::npos);
    int presses = 0;
    m.on_powerdown = [&] { presses++; };
    EXPECT_EQ(mon->execute("system_powerdown"), "");
    EXPECT_EQ(presses, 1);
}

TEST_F(MonitorTest, InfoRegistersUsesTheQemuDump) {
    EXPECT_EQ(mon->execute("info registers"), "No CPU available\n");
    m.add_cpu({});
    m.add_cpu({});
    const std::string r = mon->execute("info registers");
    EXPECT_NE(r.find("EIP=0000fff0"), std::string::npos) << r;  // reset state, QEMU's layout
    const std::string all = mon->execute("info registers -a");
    EXPECT_NE(all.find("\nCPU#0\n"), std::string::npos);
    EXPECT_NE(all.find("\nCPU#1\n"), std::string::npos);
}

TEST_F(MonitorTest, InfoMtreeAndQtree) {
    const std::string mt = mon->execute("info mtree");
    EXPECT_EQ(mt.rfind("address-space: memory\n", 0), 0u);
    EXPECT_NE(mt.find("address-space: I/O\n"), std::string::npos);
    EXPECT_NE(mt.find(": ram"), std::string::npos) << mt;
    const std::string qt = mon->execute("info qtree");
    EXPECT_EQ(qt.rfind("bus: main-system-bus\n  type System\n", 0), 0u);
}

// -nographic: serial and monitor on one mux; the monitor greets on the first Ctrl-A c.
TEST(MonitorMux, CtrlAcGivesTheMonitorAndBack) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    auto t = std::make_unique<Terminal>();
    Terminal* term = t.get();
    MuxChardev mux(std::move(t));
    Chardev* mon_port = mux.attach("-monitor");
    Chardev* ser_port = mux.attach("-serial");
    create_monitor(m, mon_port);
    std::string guest;
    ser_port->on_input = [&](const u8* d, size_t n) { guest.append(reinterpret_cast<const char*>(d), n); };
    EXPECT_EQ(term->out, "") << "no banner while the serial port has the focus";
    term->type("\x01" "c");
    const std::string banner = term->take();
    EXPECT_NE(banner.find("monitor - type 'help'"), std::string::npos);
    EXPECT_EQ(banner.substr(banner.size() - 7), "(qemu) ");
    term->type("info status\r");
    EXPECT_NE(term->take().find("VM status: running"), std::string::npos);
    term->type("\x01" "c" "root\r");
    EXPECT_EQ(guest, "root\r");
    term->type("\x01" "c");
    EXPECT_EQ(term->take(), "\r\n(qemu) ") << "back again: prompt only";
    EXPECT_EQ(guest, "root\r");
}

TEST(MonitorWiring, DefaultSerialSpecs) {
    VmConfig c = small_cfg();
    EXPECT_EQ(default_serial_specs(c), std::vector<std::string>{"null"});
    c.nographic = true;
    EXPECT_EQ(default_serial_specs(c), std::vector<std::string>{"mon:stdio"});
    c.monitor_given = true;
    EXPECT_EQ(default_serial_specs(c), std::vector<std::string>{"stdio"});
    c.nodefaults = true;
    EXPECT_TRUE(default_serial_specs(c).empty());
    c.serials = {"file:/dev/null"};
    EXPECT_EQ(default_serial_specs(c), c.serials);
}

TEST(MonitorWiring, ModeControlIsQmp) {  // the protocol itself: qmp_test.cc
    VmConfig c = small_cfg();
    c.chardevs.push_back({"ringbuf", "c0", {}, "ringbuf,id=c0"});
    c.monitors.push_back({"-mon", "c0", "", "control", false, "chardev=c0,mode=control"});
    Machine m(c);
    create_monitors(m, c);
    auto* rb = dynamic_cast<RingbufChardev*>(m.find_chardev("c0"));
    ASSERT_NE(rb, nullptr);
    EXPECT_EQ(rb->read().rfind("{\"QMP\": {\"version\": ", 0), 0u);
}

TEST(MonitorWiring, MonOnAChardev) {
    VmConfig c = small_cfg();
    c.chardevs.push_back({"ringbuf", "c0", {}, "ringbuf,id=c0"});
    c.monitors.push_back({"-mon", "c0", "", "readline", false, "chardev=c0"});
    Machine m(c);
    create_monitors(m, c);
    auto* rb = dynamic_cast<RingbufChardev*>(m.find_chardev("c0"));
    ASSERT_NE(rb, nullptr);
    EXPECT_NE(rb->read().find("(qemu) "), std::string::npos);
}

TEST(MonitorWiring, MonitorOnTcpServerGreetsEachClient) {
    VmConfig c = small_cfg();
    c.monitors.push_back({"-monitor", "", "tcp:127.0.0.1:0,server=on,wait=off", "readline", false,
                          "tcp:127.0.0.1:0,server=on,wait=off"});
    Machine m(c);
    create_monitors(m, c);
    auto* s = dynamic_cast<SocketChardev*>(m.find_chardev("compat_monitor0"));
    ASSERT_NE(s, nullptr);
    for (int round = 0; round < 2; round++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(static_cast<u16>(s->local_port()));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
        pollfd p{s->input_fd(), POLLIN, 0};
        ASSERT_EQ(poll(&p, 1, 1000), 1);
        s->pump_input();
        std::string got;
        auto read_until = [&](const std::string& what) {
            while (got.find(what) == std::string::npos) {
                pollfd q{fd, POLLIN, 0};
                if (poll(&q, 1, 1000) <= 0) break;
                char buf[512];
                ssize_t n = read(fd, buf, sizeof buf);
                if (n <= 0) break;
                got.append(buf, static_cast<size_t>(n));
            }
        };
        read_until("(qemu) ");
        EXPECT_NE(got.find("monitor - type 'help'"), std::string::npos);
        ASSERT_EQ(write(fd, "info status\r\n", 13), 13);
        pollfd p2{s->input_fd(), POLLIN, 0};
        ASSERT_EQ(poll(&p2, 1, 1000), 1);
        s->pump_input();
        read_until("VM status: running");
        EXPECT_NE(got.find("VM status: running"), std::string::npos);
        close(fd);
        pollfd p3{s->input_fd(), POLLIN, 0};
        ASSERT_EQ(poll(&p3, 1, 1000), 1);
        s->pump_input();  // EOF: listening again
        EXPECT_FALSE(s->is_open());
    }
}

}  // namespace
