// QMP server (softmmu/qmp.h): the greeting and negotiation, each command's reply shape as QEMU
// 7.2 sends it, errors (class + desc), events on run-state changes, the stream splitter
// (concatenated and split objects, garbage), and the -qmp wiring on a real socket.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "softmmu/chardev_socket.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"
#include "softmmu/qmp.h"
#include "tests/support/q35_machine.h"

using namespace vireo;

namespace {

// The client's end of the chardev: what the server wrote, one message per "\r\n" line.
class Wire : public Chardev {
public:
    void write(const u8* d, size_t n) override { out.append(reinterpret_cast<const char*>(d), n); }
    bool is_open() const override { return open; }
    void send(const std::string& s) { on_input(reinterpret_cast<const u8*>(s.data()), s.size()); }
    void connect() {
        open = true;
        on_event(ChardevEvent::Opened);
    }
    // Every complete message so far, parsed.
    std::vector<Json> take() {
        std::vector<Json> msgs;
        size_t pos;
        while ((pos = out.find("\r\n")) != std::string::npos) {
            msgs.push_back(Json::parse(out.substr(0, pos)));
            out.erase(0, pos + 2);
        }
        return msgs;
    }
    std::string out;
    bool open = true;
};

class QmpTest : public ::testing::Test {
protected:
    QmpTest() {
        cfg.ram_size = 1 << 20;
        m = std::make_unique<Machine>(cfg);
        m->add_cpu(x86::FeatureSet{});
        qmp = create_qmp(*m, &wire, false);
    }
    // Negotiated, greeting consumed.
    void negotiate() {
        wire.take();
        wire.send(R"({"execute": "qmp_capabilities"})");
        ASSERT_EQ(wire.take(), std::vector<Json>{Json::parse(R"({"return": {}})")});
    }
    // The one reply to `cmd` (events are checked separately).
    Json reply(const std::string& cmd) {
        wire.send(cmd);
        Json r;
        for (Json& j : wire.take()) {
            if (j.contains("event")) events.push_back(j);
            else {
                EXPECT_TRUE(r.is_null()) << "two replies to " << cmd;
                r = j;
            }
        }
        return r;
    }
    // One main-loop turn (a requested reset happens there), then run() returns.
    void run_one_turn() {
        int turns = 0;
        m->add_timer([] { return u64{0}; }, [&](u64) {
            if (++turns == 2) m->request_exit(0);
        });
        m->run();
    }
    std::vector<std::string> event_names() {
        std::vector<std::string> n;
        for (const Json& e : events) n.push_back(e["event"]);
        return n;
    }
    static Json error(const char* cls, const std::string& desc) {
        return Json{{"error", {{"class", cls}, {"desc", desc}}}};
    }
    VmConfig cfg;
    Wire wire;
    std::unique_ptr<Machine> m;
    QmpServer* qmp;
    std::vector<Json> events;
};

TEST_F(QmpTest, GreetingHasQemuShape) {
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 1u);
    const Json& g = msgs[0];
    ASSERT_TRUE(g.contains("QMP"));
    const Json& v = g["QMP"]["version"];
    EXPECT_EQ(v["qemu"], Json::parse(R"({"micro": 0, "minor": 2, "major": 7})"));
    EXPECT_EQ(v["package"], "vireo-0.1.0");
    EXPECT_EQ(g["QMP"]["capabilities"], Json::array({"oob"}));
    EXPECT_TRUE(wire.out.empty());
}

TEST_F(QmpTest, WireFormatAsQemu) {
    // One line per message, "\r\n" at the end, QEMU's ", " and ": " separators.
    EXPECT_EQ(wire.out.substr(wire.out.size() - 2), "\r\n");
    EXPECT_EQ(wire.out.find('\n'), wire.out.size() - 1);
    EXPECT_EQ(wire.out.rfind("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, ", 0), 0u);
    negotiate();
    wire.send(R"({"execute": "human-monitor-command", "arguments": {"command-line": "a:b, \"c\""}, "id": "x,y: z"})");
    EXPECT_EQ(wire.out, R"({"return": "unknown command: 'a:b,'\r\n", "id": "x,y: z"})" "\r\n");
}

TEST_F(QmpTest, CommandsBeforeNegotiationAreNotFound) {
    wire.take();
    EXPECT_EQ(reply(R"({"execute": "query-status"})"),
              error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'"));
    EXPECT_FALSE(qmp->negotiated());
    EXPECT_EQ(reply(R"({"execute": "qmp_capabilities", "id": [1, 2]})"), Json::parse(R"({"return": {}, "id": [1, 2]})"));
    EXPECT_TRUE(qmp->negotiated());
    EXPECT_EQ(reply(R"({"execute": "qmp_capabilities"})"),
              error("CommandNotFound", "Capabilities negotiation is already complete, command ignored"));
}

TEST_F(QmpTest, NegotiationAcceptsOobOnly) {
    wire.take();
    EXPECT_EQ(reply(R"({"execute": "qmp_capabilities", "arguments": {"enable": ["x"]}})")["error"]["class"], "GenericError");
    EXPECT_EQ(reply(R"({"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}})"), Json::parse(R"({"return": {}})"));
}

TEST_F(QmpTest, QueryStatus) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "query-status", "id": "x"})"),
              Json::parse(R"({"return": {"status": "running", "singlestep": false, "running": true}, "id": "x"})"));
}

TEST_F(QmpTest, QueryVersion) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "query-version"})"),
              Json::parse(R"({"return": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "vireo-0.1.0"}})"));
}

TEST_F(QmpTest, QueryCpusFast) {
    m->add_cpu(x86::FeatureSet{});
    negotiate();
    Json r = reply(R"({"execute": "query-cpus-fast"})")["return"];
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1]["cpu-index"], 1);
    EXPECT_EQ(r[0]["qom-path"], "/machine/unattached/device[0]");
    EXPECT_EQ(r[1]["qom-path"], "/machine/unattached/device[2]");  // QEMU: device[1] is the kvmvapic
    EXPECT_EQ(r[1]["target"], "x86_64");
    EXPECT_TRUE(r[1]["thread-id"].is_number_integer());
    EXPECT_EQ(r[0]["props"], Json::parse(R"({"core-id": 0, "thread-id": 0, "socket-id": 0})"));
    // -smp 1 topology: the second CPU is socket 1 (sockets default to the CPU count).
    EXPECT_EQ(r[1]["props"]["socket-id"], 1);
}

TEST_F(QmpTest, QueryCommandsListsEveryCommand) {
    negotiate();
    Json r = reply(R"({"execute": "query-commands"})")["return"];
    std::set<std::string> names;
    for (const Json& c : r) {
        EXPECT_EQ(c.size(), 1u);
        names.insert(c["name"]);
    }
    for (const char* n : {"qmp_capabilities", "query-status", "query-cpus-fast", "query-version", "query-commands",
                          "stop", "cont", "system_reset", "system_powerdown", "quit", "human-monitor-command"})
        EXPECT_TRUE(names.count(n)) << n;
}

TEST_F(QmpTest, StopAndContSendEventsOnce) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "stop"})"), Json::parse(R"({"return": {}})"));
    EXPECT_TRUE(m->paused());
    EXPECT_EQ(reply(R"({"execute": "stop"})"), Json::parse(R"({"return": {}})"));  // no second STOP
    EXPECT_EQ(reply(R"({"execute": "query-status"})")["return"],
              Json::parse(R"({"status": "paused", "singlestep": false, "running": false})"));
    EXPECT_EQ(reply(R"({"execute": "cont"})"), Json::parse(R"({"return": {}})"));
    EXPECT_EQ(reply(R"({"execute": "cont"})"), Json::parse(R"({"return": {}})"));
    EXPECT_FALSE(m->paused());
    EXPECT_EQ(event_names(), (std::vector<std::string>{"STOP", "RESUME"}));
    // No "data" for STOP/RESUME; the timestamp is wall-clock seconds + microseconds.
    const Json& e = events[0];
    EXPECT_EQ(e.size(), 2u);
    EXPECT_GT(e["timestamp"]["seconds"].get<long>(), 1600000000);
    EXPECT_LT(e["timestamp"]["microseconds"].get<long>(), 1000000);
}

TEST_F(QmpTest, EventsWaitForNegotiation) {
    wire.take();
    m->pause("paused");
    EXPECT_TRUE(wire.out.empty());
}

TEST_F(QmpTest, SystemResetWhilePausedStaysInPrelaunch) {
    negotiate();
    reply(R"({"execute": "stop"})");
    EXPECT_EQ(reply(R"({"execute": "system_reset"})"), Json::parse(R"({"return": {}})"));
    run_one_turn();  // the machine is paused: no CPU runs
    for (Json& j : wire.take()) events.push_back(j);
    EXPECT_EQ(event_names(), (std::vector<std::string>{"STOP", "RESET"}));
    EXPECT_EQ(events[1]["data"], Json::parse(R"({"guest": false, "reason": "host-qmp-system-reset"})"));
    EXPECT_STREQ(m->run_state(), "prelaunch");
}

TEST_F(QmpTest, PowerdownWithoutPowerButtonIsAnError) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "system_powerdown"})"), error("GenericError", "this machine has no power button"));
    bool pressed = false;
    m->on_powerdown = [&] { pressed = true; };
    EXPECT_EQ(reply(R"({"execute": "system_powerdown"})"), Json::parse(R"({"return": {}})"));
    EXPECT_TRUE(pressed);
    EXPECT_EQ(event_names(), std::vector<std::string>{"POWERDOWN"});
    EXPECT_EQ(events[0].count("data"), 0u);
}

TEST_F(QmpTest, QuitSendsShutdownThenReplyAndIgnoresTheRest) {
    negotiate();
    wire.send(R"({"execute": "quit"}{"execute": "query-status"})");
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0]["event"], "SHUTDOWN");
    EXPECT_EQ(msgs[0]["data"], Json::parse(R"({"guest": false, "reason": "host-qmp-quit"})"));
    EXPECT_EQ(msgs[1], Json::parse(R"({"return": {}})"));
    EXPECT_TRUE(m->exit_pending());
    EXPECT_EQ(m->run(), 0);
}

TEST_F(QmpTest, GuestShutdownWithNoShutdownSendsShutdownThenStop) {
    cfg.no_shutdown = true;
    negotiate();
    m->guest_shutdown();
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0]["event"], "SHUTDOWN");
    EXPECT_EQ(msgs[0]["data"], Json::parse(R"({"guest": true, "reason": "guest-shutdown"})"));
    EXPECT_EQ(msgs[1]["event"], "STOP");
    EXPECT_EQ(reply(R"({"execute": "query-status"})")["return"]["status"], "shutdown");
    EXPECT_EQ(reply(R"({"execute": "cont"})"), error("GenericError", "Resetting the Virtual Machine is required"));
}

TEST_F(QmpTest, GuestResetEvent) {
    m->pause("paused");  // before negotiation: no event; and no guest code runs
    negotiate();
    m->request_reset();
    run_one_turn();
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0]["event"], "RESET");
    EXPECT_EQ(msgs[0]["data"], Json::parse(R"({"guest": true, "reason": "guest-reset"})"));
}

TEST_F(QmpTest, HumanMonitorCommand) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "human-monitor-command", "arguments": {"command-line": "info status"}})"),
              Json::parse(R"({"return": "VM status: running\r\n"})"));
    EXPECT_EQ(reply(R"({"execute": "human-monitor-command", "arguments": {"command-line": "xyz"}})"),
              Json::parse(R"({"return": "unknown command: 'xyz'\r\n"})"));
    // HMP stop goes through the same run control: a STOP event here too.
    reply(R"({"execute": "human-monitor-command", "arguments": {"command-line": "stop"}})");
    EXPECT_EQ(reply(R"({"execute": "human-monitor-command", "arguments": {"command-line": "info status"}})")["return"],
              "VM status: paused\r\n");
    EXPECT_EQ(event_names(), std::vector<std::string>{"STOP"});
}

TEST_F(QmpTest, ArgumentErrorsAsQemu) {
    negotiate();
    EXPECT_EQ(reply(R"({"execute": "human-monitor-command"})"), error("GenericError", "Parameter 'command-line' is missing"));
    EXPECT_EQ(reply(R"({"execute": "human-monitor-command", "arguments": {"command-line": 1}})"),
              error("GenericError", "Invalid parameter type for 'command-line', expected: string"));
    EXPECT_EQ(reply(R"({"execute": "cont", "arguments": {"a": 1}})"), error("GenericError", "Parameter 'a' is unexpected"));
    EXPECT_EQ(reply(R"({"execute": "nosuch", "id": 7})"),
              Json::parse(R"({"error": {"class": "CommandNotFound", "desc": "The command nosuch has not been found"}, "id": 7})"));
}

TEST_F(QmpTest, MalformedRequestsAsQemu) {
    negotiate();
    EXPECT_EQ(reply("42\n"), error("GenericError", "QMP input must be a JSON object"));
    EXPECT_EQ(reply("[1]"), error("GenericError", "QMP input must be a JSON object"));
    EXPECT_EQ(reply(R"({"foo": 1})"), error("GenericError", "QMP input member 'foo' is unexpected"));
    EXPECT_EQ(reply(R"({"id": 1})"), Json::parse(R"({"error": {"class": "GenericError", "desc": "QMP input lacks member 'execute'"}, "id": 1})"));
    EXPECT_EQ(reply(R"({"execute": 1})"), error("GenericError", "QMP input member 'execute' must be a string"));
    EXPECT_EQ(reply(R"({"execute": "stop", "arguments": []})"),
              error("GenericError", "QMP input member 'arguments' must be an object"));
}

TEST_F(QmpTest, ConcatenatedAndSplitObjects) {
    negotiate();
    wire.send(R"({"execute": "query-version", "id": 1}{"execute":"query-status","id":2}  {"execute": "query-status", "id": 3})");
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 3u);
    for (int i = 0; i < 3; i++) EXPECT_EQ(msgs[i]["id"], i + 1);
    // One byte at a time, with braces and quotes inside a string.
    const std::string req = R"({"execute": "human-monitor-command", "arguments": {"command-line": "x}\"{"}, "id": "a"})";
    for (char c : req) wire.send(std::string(1, c));
    msgs = wire.take();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0]["return"], "unknown command: 'x}\"{'\r\n");
    EXPECT_EQ(msgs[0]["id"], "a");
}

TEST_F(QmpTest, GarbageGetsParseErrorsAndTheSessionGoesOn) {
    negotiate();
    for (const std::string& bad : {std::string("garbage\n"), std::string("}\n"), std::string("{\"execute\": }"),
                                  std::string("\"abc\n"), std::string("\xff"), std::string("{\"a\": \"\x01\"}")}) {
        wire.send(bad);
        auto msgs = wire.take();
        ASSERT_GE(msgs.size(), 1u) << bad;
        for (const Json& j : msgs) {
            EXPECT_EQ(j["error"]["class"], "GenericError") << bad;
            EXPECT_EQ(j["error"]["desc"].get<std::string>().rfind("JSON parse error, ", 0), 0u) << j.dump();
        }
        EXPECT_EQ(reply(R"({"execute": "query-status"})")["return"]["status"], "running") << bad;
    }
    // Too deep: an error, and the closing brackets that follow are errors too; then all is well.
    wire.send(std::string(2000, '[') + std::string(2000, ']') + "\n");
    EXPECT_FALSE(wire.take().empty());
    EXPECT_EQ(reply(R"({"execute": "query-status"})")["return"]["status"], "running");
    // Random bytes never crash and the session still answers.
    std::string noise;
    u32 x = 12345;
    for (int i = 0; i < 20000; i++) noise += static_cast<char>((x = x * 1103515245 + 12345) >> 16);
    wire.send(noise + "\xff\n");
    wire.out.clear();
    EXPECT_EQ(reply(R"({"execute": "query-status"})")["return"]["status"], "running");
}

TEST_F(QmpTest, ReconnectStartsOverWithGreeting) {
    negotiate();
    wire.send(R"({"execute": )");  // half a command, then the client goes away
    wire.open = false;
    wire.on_event(ChardevEvent::Closed);
    wire.connect();
    auto msgs = wire.take();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_TRUE(msgs[0].contains("QMP"));
    EXPECT_FALSE(qmp->negotiated());
    EXPECT_EQ(reply(R"({"execute": "qmp_capabilities"})"), Json::parse(R"({"return": {}})"));
}

TEST(QmpPretty, FourSpaceIndentAndCrLf) {
    VmConfig cfg;
    cfg.ram_size = 1 << 20;
    Machine m(cfg);
    Wire wire;
    create_qmp(m, &wire, true);
    EXPECT_EQ(wire.out.rfind("{\r\n    \"QMP\": {\r\n        \"version\": {\r\n", 0), 0u) << wire.out;
    EXPECT_EQ(wire.out.substr(wire.out.size() - 3), "}\r\n");
}

// -qmp unix:PATH,server=on,wait=off through create_monitors, spoken to from a real socket.
TEST(QmpWiring, UnixSocketServer) {
    const std::string path = "/tmp/vireo-qmp-test-" + std::to_string(getpid()) + ".sock";
    VmConfig cfg = test::config({"-nodefaults", "-m", "16", "-qmp", "unix:" + path + ",server=on,wait=off"});
    cfg.ram_size = 1 << 20;
    Machine m(cfg);
    create_monitors(m, cfg);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path.c_str());
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    Chardev* chr = m.find_chardev("compat_monitor0");
    ASSERT_NE(chr, nullptr);
    auto pump = [&] {
        for (int i = 0; i < 5; i++) {
            pollfd p{chr->input_fd(), POLLIN, 0};
            if (p.fd >= 0 && poll(&p, 1, 50) > 0) chr->pump_input();
        }
    };
    auto read_all = [&] {
        std::string s;
        char buf[4096];
        pollfd p{fd, POLLIN, 0};
        while (poll(&p, 1, 100) > 0) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) break;
            s.append(buf, n);
        }
        return s;
    };
    pump();  // accept, greet
    EXPECT_EQ(read_all().rfind("{\"QMP\":", 0), 0u);
    const std::string req = R"({"execute": "qmp_capabilities"})";
    ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    pump();
    EXPECT_EQ(read_all(), "{\"return\": {}}\r\n");
    close(fd);
    pump();  // the server notices the hang-up
    unlink(path.c_str());
}

}  // namespace
