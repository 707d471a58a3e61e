// Chardev backends (softmmu/chardev.h, chardev_socket.h, chardev_mux.h): sockets as server
// and client, Unix sockets, pty, ringbuf, the -nographic mux and its Ctrl-A keys, and the
// one-line errors for bad specs. The main loop is played by pump(): poll input_fd(), then
// pump_input(), as Machine::poll_io does.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "softmmu/chardev.h"
#include "softmmu/chardev_mux.h"
#include "softmmu/chardev_socket.h"
#include "softmmu/machine.h"

using namespace vireo;

namespace {

// One main-loop turn: wait up to ms for input on c, then let it read.
bool pump(Chardev& c, int ms = 200) {
    int fd = c.input_fd();
    if (fd < 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    c.pump_input();
    return true;
}

struct Sink {
    std::string in;
    std::vector<ChardevEvent> events;
    void attach(Chardev& c) {
        c.on_input = [this](const u8* d, size_t n) { in.append(reinterpret_cast<const char*>(d), n); };
        c.on_event = [this](ChardevEvent e) { events.push_back(e); };
    }
};

int tcp_connect(unsigned port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<u16>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

std::string recv_some(int fd, size_t want, int ms = 1000) {
    std::string out;
    while (out.size() < want) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, ms) <= 0) break;
        char buf[256];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

void send_str(int fd, const std::string& s) { ASSERT_EQ(::write(fd, s.data(), s.size()), ssize_t(s.size())); }

ChardevSpec spec_of(const std::string& text) {
    // -chardev BACKEND,id=ID,... as the command line parser produces it.
    KeyValues kv = parse_keyvalues(text, "backend");
    ChardevSpec s;
    s.backend = *kv.get("backend");
    s.id = kv.get_or("id", "c0");
    kv.erase("backend");
    kv.erase("id");
    s.props = kv;
    s.raw = text;
    return s;
}

std::string temp_dir() {
    char tmpl[] = "/tmp/vireo-chardev-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return d ? d : "/tmp";
}

TEST(ChardevSocket, TcpServerWaitOffClientComesAndGoes) {
    auto c = chardev_from_shorthand("tcp:127.0.0.1:0,server=on,wait=off", "-serial", "serial0");
    auto* s = dynamic_cast<SocketChardev*>(c.get());
    ASSERT_NE(s, nullptr);
    Sink sink;
    sink.attach(*c);
    EXPECT_FALSE(s->connected());
    c->write(std::string_view("dropped, nobody there"));  // must not block or crash
    const unsigned port = s->local_port();
    ASSERT_NE(port, 0u);

    for (int round = 0; round < 2; round++) {  // connect, talk, disconnect; then once more
        int cl = tcp_connect(port);
        ASSERT_GE(cl, 0);
        ASSERT_TRUE(pump(*c));  // the listen fd is polled: accept
        EXPECT_TRUE(s->connected());
        EXPECT_EQ(sink.events.back(), ChardevEvent::Opened);
        send_str(cl, "ping");
        while (sink.in.size() < 4 && pump(*c)) {}
        EXPECT_EQ(sink.in, "ping");
        c->write(std::string_view("pong"));
        EXPECT_EQ(recv_some(cl, 4), "pong");
        close(cl);
        ASSERT_TRUE(pump(*c));  // EOF: back to listening
        EXPECT_FALSE(s->connected());
        EXPECT_EQ(sink.events.back(), ChardevEvent::Closed);
        c->write(std::string_view("into the void"));
        sink.in.clear();
    }
}

TEST(ChardevSocket, WriteToVanishedClientIsDropped) {
    ChardevSpec sp = spec_of("socket,id=s0,host=127.0.0.1,port=0,server=on,wait=off");
    auto c = chardev_from_spec(sp);
    auto* s = dynamic_cast<SocketChardev*>(c.get());
    ASSERT_NE(s, nullptr);
    int cl = tcp_connect(s->local_port());
    ASSERT_TRUE(pump(*c));
    close(cl);
    // The peer is gone but the chardev has not noticed yet: writes get EPIPE/ECONNRESET and
    // must neither raise SIGPIPE nor throw.
    for (int i = 0; i < 50; i++) c->write(std::string_view("data after the peer left\n"));
    SUCCEED();
}

TEST(ChardevSocket, UnixServerAndClient) {
    const std::string dir = temp_dir();
    const std::string path = dir + "/con.sock";
    auto srv = chardev_from_shorthand("unix:" + path + ",server=on,wait=off", "-serial", "serial0");
    Sink sink;
    sink.attach(*srv);
    // A second chardev in client mode talks to the first.
    auto cli = chardev_from_spec(spec_of("socket,id=u1,path=" + path));
    Sink csink;
    csink.attach(*cli);
    ASSERT_TRUE(pump(*srv));
    cli->write(std::string_view("hello"));
    while (sink.in.size() < 5 && pump(*srv)) {}
    EXPECT_EQ(sink.in, "hello");
    srv->write(std::string_view("back"));
    while (csink.in.size() < 4 && pump(*cli)) {}
    EXPECT_EQ(csink.in, "back");
    // The server goes away: the client sees EOF and then drops output.
    srv.reset();
    EXPECT_TRUE(pump(*cli));
    EXPECT_FALSE(cli->is_open());
    cli->write(std::string_view("nobody"));
    cli.reset();
    rmdir(dir.c_str());
}

TEST(ChardevSocket, ClientConnectsOut) {
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(lfd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    ASSERT_EQ(listen(lfd, 1), 0);
    socklen_t len = sizeof sa;
    getsockname(lfd, reinterpret_cast<sockaddr*>(&sa), &len);
    const std::string port = std::to_string(ntohs(sa.sin_port));
    auto c = chardev_from_shorthand("tcp:127.0.0.1:" + port, "-serial", "serial0");
    int peer = accept(lfd, nullptr, nullptr);
    ASSERT_GE(peer, 0);
    Sink sink;
    sink.attach(*c);
    c->write(std::string_view("out"));
    EXPECT_EQ(recv_some(peer, 3), "out");
    send_str(peer, "in");
    while (sink.in.size() < 2 && pump(*c)) {}
    EXPECT_EQ(sink.in, "in");
    close(peer);
    close(lfd);
    EXPECT_TRUE(pump(*c));
    EXPECT_FALSE(c->is_open());
    EXPECT_EQ(c->input_fd(), -1) << "no reconnect: nothing to poll";
}

TEST(ChardevSocket, FlowControlStopsPolling) {
    auto c = chardev_from_shorthand("tcp:127.0.0.1:0,server=on,wait=off", "-serial", "serial0");
    auto* s = dynamic_cast<SocketChardev*>(c.get());
    int cl = tcp_connect(s->local_port());
    ASSERT_TRUE(pump(*c));
    size_t room = 0;
    std::string got;
    c->can_receive = [&] { return room; };
    c->on_input = [&](const u8* d, size_t n) { got.append(reinterpret_cast<const char*>(d), n); room -= n; };
    send_str(cl, "abcdef");
    EXPECT_EQ(c->input_fd(), -1) << "a full frontend is not polled (no busy loop)";
    room = 4;
    ASSERT_TRUE(pump(*c));
    EXPECT_EQ(got, "abcd");
    room = 10;
    ASSERT_TRUE(pump(*c));
    EXPECT_EQ(got, "abcdef");
    close(cl);
}

TEST(ChardevRingbuf, KeepsTheNewestBytes) {
    auto c = chardev_from_spec(spec_of("ringbuf,id=r0,size=8"));
    auto* r = dynamic_cast<RingbufChardev*>(c.get());
    ASSERT_NE(r, nullptr);
    c->write(std::string_view("0123456789"));
    EXPECT_EQ(r->count(), 8u);
    EXPECT_EQ(r->read(3), "234");
    c->write(std::string_view("ab"));
    EXPECT_EQ(r->read(), "56789ab");
    EXPECT_EQ(r->read(), "");
    auto d = chardev_from_spec(spec_of("ringbuf,id=r1"));
    EXPECT_EQ(dynamic_cast<RingbufChardev*>(d.get())->size(), 65536u) << "QEMU's default: 64 KiB";
}

TEST(ChardevPty, OpensAndPassesData) {
    testing::internal::CaptureStderr();
    auto c = chardev_from_shorthand("pty", "-serial", "serial0");
    const std::string err = testing::internal::GetCapturedStderr();
    auto* p = dynamic_cast<PtyChardev*>(c.get());
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->slave_path().rfind("/dev/pts/", 0), 0u);
    EXPECT_EQ(err, "vireo: char device redirected to " + p->slave_path() + " (label serial0)\n");
    int fd = open(p->slave_path().c_str(), O_RDWR | O_NOCTTY);
    ASSERT_GE(fd, 0);
    Sink sink;
    sink.attach(*c);
    send_str(fd, "k\n");
    while (sink.in.size() < 2 && pump(*c)) {}
    EXPECT_EQ(sink.in, "k\n") << "raw: no line discipline in between";
    c->write(std::string_view("out"));
    EXPECT_EQ(recv_some(fd, 3), "out");
    close(fd);
}

TEST(ChardevErrors, BadSpecsGiveOneLine) {
    auto expect_error = [](auto&& make, const std::string& needle) {
        try {
            make();
            ADD_FAILURE() << "no error for " << needle;
        } catch (const OptionError& e) {
            std::string what = e.what();
            EXPECT_NE(what.find(needle), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
        }
    };
    expect_error([] { chardev_from_shorthand("tcp:localhost", "-serial", "serial0"); }, "missing port");
    expect_error([] { chardev_from_shorthand("tcp:127.0.0.1:", "-serial", "serial0"); }, "missing port");
    expect_error([] { chardev_from_shorthand("unix:/nonexistent-dir/x.sock,server=on,wait=off", "-serial", "s"); },
                 "-serial unix:/nonexistent-dir/x.sock");
    expect_error([] { chardev_from_shorthand("unix:/nonexistent-dir/x.sock", "-monitor", "m"); },
                 "Failed to connect");
    expect_error([] { chardev_from_spec(spec_of("socket,id=s")); }, "-chardev socket,id=s");
    expect_error([] { chardev_from_spec(spec_of("ringbuf,id=r,size=1000")); }, "power of 2");
    expect_error([] { chardev_from_spec(spec_of("socket,id=s,host=127.0.0.1,port=1,telnet=on,server=on")); },
                 "not supported yet");
    expect_error([] { chardev_from_shorthand("tcp:127.0.0.1:1,wait=off", "-serial", "s"); }, "client");
    expect_error([] { chardev_from_shorthand("bogus", "-serial", "s"); }, "not a valid char driver");
    expect_error([] { chardev_from_spec(spec_of("file,id=f")); }, "missing path");
}

// ---- mux ----

class TestBackend : public Chardev {
public:
    void write(const u8* d, size_t n) override { out.append(reinterpret_cast<const char*>(d), n); }
    void type(const std::string& s) { on_input(reinterpret_cast<const u8*>(s.data()), s.size()); }
    std::string out;
};

struct MuxFixture {
    MuxFixture() {
        auto b = std::make_unique<TestBackend>();
        backend = b.get();
        mux = std::make_unique<MuxChardev>(std::move(b));
        mon = mux->attach("-monitor");  // QEMU's mon:DEV order: monitor, then the serial port
        ser = mux->attach("-serial");
        sink_mon.attach(*mon);
        sink_ser.attach(*ser);
        mux->on_terminate = [this] { terminated = true; };
    }
    TestBackend* backend;
    std::unique_ptr<MuxChardev> mux;
    Chardev* mon;
    Chardev* ser;
    Sink sink_mon, sink_ser;
    bool terminated = false;
};

TEST(ChardevMux, InputGoesToTheFocusedFrontendOutputFromAll) {
    MuxFixture f;
    EXPECT_EQ(f.mux->focus(), 1u) << "the frontend attached last has the focus";
    EXPECT_TRUE(f.ser->is_open());
    EXPECT_FALSE(f.mon->is_open());
    f.backend->type("ls\r");
    EXPECT_EQ(f.sink_ser.in, "ls\r");
    EXPECT_EQ(f.sink_mon.in, "");
    f.ser->write(std::string_view("guest "));
    f.mon->write(std::string_view("monitor"));
    EXPECT_EQ(f.backend->out, "guest monitor");
}

TEST(ChardevMux, CtrlAcSwitchesFocus) {
    MuxFixture f;
    f.backend->type("\x01" "c" "info\r");
    EXPECT_EQ(f.sink_mon.in, "info\r");
    ASSERT_EQ(f.sink_mon.events.size(), 1u);
    EXPECT_EQ(f.sink_mon.events[0], ChardevEvent::FocusIn);
    EXPECT_EQ(f.sink_ser.events.back(), ChardevEvent::FocusOut);
    f.backend->type("\x01" "c" "x");
    EXPECT_EQ(f.sink_ser.in, "x");
}

TEST(ChardevMux, CtrlACtrlASendsOneCtrlA) {
    MuxFixture f;
    f.backend->type("a\x01\x01" "b");
    EXPECT_EQ(f.sink_ser.in, "a\x01" "b");
}

TEST(ChardevMux, CtrlAxTerminates) {
    MuxFixture f;
    f.backend->type("\x01x" "more");
    EXPECT_TRUE(f.terminated);
    EXPECT_NE(f.backend->out.find("Terminated"), std::string::npos);
    EXPECT_EQ(f.sink_ser.in, "") << "input after C-a x is dropped";
}

TEST(ChardevMux, HelpBreakTimestampsAndUnknownKeys) {
    MuxFixture f;
    f.backend->type("\x01h");
    for (const char* row : {"C-a h", "C-a x", "C-a s", "C-a t", "C-a b", "C-a c", "C-a C-a"})
        EXPECT_NE(f.backend->out.find(row), std::string::npos) << row;
    f.backend->type("\x01" "b");
    EXPECT_EQ(f.sink_ser.events.back(), ChardevEvent::Break);
    f.backend->type("\x01z");  // unknown: swallowed
    EXPECT_EQ(f.sink_ser.in, "");
    f.backend->type("\x01s");
    EXPECT_NE(f.backend->out.find("not supported"), std::string::npos);
    u64 now = 1000;
    f.mux->clock_ms = [&] { return now; };
    f.backend->out.clear();
    f.backend->type("\x01t");
    now += 61234;
    f.ser->write(std::string_view("one\ntwo"));
    EXPECT_EQ(f.backend->out, "[00:01:01.234] one\n[00:01:01.234] two");
}

TEST(ChardevMux, HoldsInputWhileTheFrontendIsFull) {
    MuxFixture f;
    size_t room = 0;
    f.ser->can_receive = [&] { return room; };
    f.ser->on_input = [&](const u8* d, size_t n) { f.sink_ser.in.append(reinterpret_cast<const char*>(d), n); room -= n; };
    f.backend->type("abc");
    EXPECT_EQ(f.sink_ser.in, "");
    room = 2;
    f.ser->accept_input();  // the UART read its FIFO
    EXPECT_EQ(f.sink_ser.in, "ab");
    room = 5;
    f.ser->accept_input();
    EXPECT_EQ(f.sink_ser.in, "abc");
    // Escapes are handled even while the frontend is full.
    room = 0;
    f.backend->type("\x01x");
    EXPECT_TRUE(f.terminated);
}

// ---- wiring into a machine ----

VmConfig small_cfg() {
    VmConfig v;
    v.ram_size = 1 << 20;
    return v;
}

TEST(ChardevWiring, MuxOnChardevSharesBetweenFrontends) {
    VmConfig cfg = small_cfg();
    cfg.chardevs.push_back(spec_of("ringbuf,id=c0,mux=on"));
    cfg.chardevs.push_back(spec_of("ringbuf,id=c1"));
    Machine m(cfg);
    create_chardevs(m, cfg);
    Chardev* a = frontend_chardev(m, "chardev:c0", "-serial", "serial0");
    Chardev* b = frontend_chardev(m, "chardev:c0", "-serial", "serial1");
    EXPECT_NE(a, b) << "mux=on: one port per frontend";
    frontend_chardev(m, "chardev:c1", "-serial", "serial2");
    EXPECT_THROW(frontend_chardev(m, "chardev:c1", "-serial", "serial3"), OptionError) << "in use";
    EXPECT_THROW(frontend_chardev(m, "chardev:nope", "-serial", "serial3"), OptionError);
}

TEST(ChardevWiring, TwoMachinesKeepTheirOwnChardevs) {
    VmConfig cfg = small_cfg();
    cfg.chardevs.push_back(spec_of("ringbuf,id=c0"));
    Machine m1(cfg), m2(cfg);
    create_chardevs(m1, cfg);
    create_chardevs(m2, cfg);
    EXPECT_NE(m1.find_chardev("c0"), m2.find_chardev("c0"));
    m1.find_chardev("c0")->write(std::string_view("one"));
    EXPECT_EQ(dynamic_cast<RingbufChardev*>(m2.find_chardev("c0"))->count(), 0u);
}

}  // namespace
