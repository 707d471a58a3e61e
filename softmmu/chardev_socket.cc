// Socket and pty chardevs (chardev_socket.h).
#include "softmmu/chardev_socket.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace vireo {

namespace {

std::string errno_text() { return std::strerror(errno); }

void set_cloexec_nonblock(int fd, bool nonblock) {
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (nonblock) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

sockaddr_un unix_address(const std::string& path, const std::string& where) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path)
        throw OptionError(where + ": UNIX socket path '" + path + "' is too long");
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    return sa;
}

enum class WriteResult { Ok, Dropped, Gone };

// Writes everything, waiting at most max_wait_ms in total for a peer that does not read; what
// does not fit then is dropped (the guest must never stall on a slow socket or terminal).
WriteResult write_some(int fd, const u8* data, size_t len, bool is_socket, int max_wait_ms) {
    int waited_ms = 0;
    while (len) {
        ssize_t n = is_socket ? ::send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT) : ::write(fd, data, len);
        if (n > 0) {
            data += n;
            len -= static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (waited_ms >= max_wait_ms) return WriteResult::Dropped;
            pollfd p{fd, POLLOUT, 0};
            ::poll(&p, 1, 10);
            waited_ms += 10;
            continue;
        }
        return WriteResult::Gone;  // EPIPE, ECONNRESET, EIO: the peer is gone
    }
    return WriteResult::Ok;
}

}  // namespace

std::string SocketAddress::describe() const {
    return unix_path ? "unix:" + path : "tcp:" + host + ":" + port;
}

SocketChardev::SocketChardev(const SocketAddress& addr, bool server, bool wait, const std::string& where)
    : addr_(addr) {
    std::signal(SIGPIPE, SIG_IGN);  // belt and braces: sends use MSG_NOSIGNAL
    if (addr.unix_path) {
        sockaddr_un sa = unix_address(addr.path, where);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) throw OptionError(where + ": socket: " + errno_text());
        if (server) {
            unlink(addr.path.c_str());  // a stale socket from an earlier run (QEMU does this too)
            if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 || listen(fd, 1) < 0) {
                std::string e = errno_text();
                close(fd);
                throw OptionError(where + ": Failed to bind socket to " + addr.path + ": " + e);
            }
            listen_fd_ = fd;
        } else {
            if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
                std::string e = errno_text();
                close(fd);
                throw OptionError(where + ": Failed to connect to '" + addr.path + "': " + e);
            }
            conn_fd_ = fd;
        }
    } else {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = server ? AI_PASSIVE : 0;
        addrinfo* res = nullptr;
        const char* host = addr.host.empty() ? (server ? nullptr : "localhost") : addr.host.c_str();
        if (server && host == nullptr) hints.ai_family = AF_INET;  // "tcp::4444": 0.0.0.0 as QEMU
        int rc = getaddrinfo(host, addr.port.c_str(), &hints, &res);
        if (rc != 0)
            throw OptionError(where + ": address resolution failed for " + (host ? host : "") + ":" + addr.port +
                              ": " + gai_strerror(rc));
        std::string err = "no address";
        for (addrinfo* ai = res; ai; ai = ai->ai_next) {
            int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (fd < 0) { err = errno_text(); continue; }
            if (server) {
                int one = 1;
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
                if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0) { listen_fd_ = fd; break; }
            } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                conn_fd_ = fd;
                break;
            }
            err = errno_text();
            close(fd);
        }
        freeaddrinfo(res);
        const std::string hp = (host ? std::string(host) : std::string()) + ":" + addr.port;
        if (server && listen_fd_ < 0) throw OptionError(where + ": Failed to bind socket to " + hp + ": " + err);
        if (!server && conn_fd_ < 0) throw OptionError(where + ": Failed to connect to '" + hp + "': " + err);
    }
    if (listen_fd_ >= 0) set_cloexec_nonblock(listen_fd_, false);
    if (conn_fd_ >= 0) set_cloexec_nonblock(conn_fd_, true);
    if (server && wait) {
        // QEMU 7.2: a server with wait=on (the default) blocks until a client connects.
        std::fprintf(stderr, "vireo: info: waiting for connection on: disconnected:%s,server=on\n",
                     addr_.describe().c_str());
        accept_client();
    }
}

SocketChardev::~SocketChardev() {
    if (conn_fd_ >= 0) close(conn_fd_);
    if (listen_fd_ >= 0) {
        close(listen_fd_);
        if (addr_.unix_path) unlink(addr_.path.c_str());
    }
}

unsigned SocketChardev::local_port() const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd = listen_fd_ >= 0 ? listen_fd_ : conn_fd_;
    if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return 0;
    if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return 0;
}

void SocketChardev::accept_client() {
    int fd;
    do fd = ::accept(listen_fd_, nullptr, nullptr);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return;
    if (conn_fd_ >= 0) {  // one client at a time, as QEMU: a second one is turned away
        close(fd);
        return;
    }
    set_cloexec_nonblock(fd, true);
    if (!addr_.unix_path) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    conn_fd_ = fd;
    stalled_ = false;
    event(ChardevEvent::Opened);
}

void SocketChardev::disconnect() {
    if (conn_fd_ < 0) return;
    close(conn_fd_);
    conn_fd_ = -1;
    event(ChardevEvent::Closed);
}

void SocketChardev::write(const u8* data, size_t len) {
    if (conn_fd_ < 0) return;  // nobody there: dropped
    // A client that stopped reading costs one 100 ms wait, then its output is dropped until
    // its socket takes data again.
    switch (write_some(conn_fd_, data, len, true, stalled_ ? 0 : 100)) {
    case WriteResult::Ok: stalled_ = false; break;
    case WriteResult::Dropped: stalled_ = true; break;
    case WriteResult::Gone: disconnect(); break;
    }
}

int SocketChardev::input_fd() const {
    if (conn_fd_ >= 0) return room(1) ? conn_fd_ : -1;
    return listen_fd_;  // a server waiting for its (next) client: pump_input accepts
}

void SocketChardev::pump_input() {
    if (conn_fd_ < 0) {
        if (listen_fd_ >= 0) accept_client();
        return;
    }
    u8 buf[512];
    const size_t n_room = room(sizeof buf);
    if (!n_room) return;
    ssize_t n = ::recv(conn_fd_, buf, n_room, 0);
    if (n > 0) deliver(buf, static_cast<size_t>(n));
    else if (n == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) disconnect();
}

// ---- pty ----

PtyChardev::PtyChardev(const std::string& label, const std::string& where) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || grantpt(master_) < 0 || unlockpt(master_) < 0)
        throw OptionError(where + ": cannot open a pty: " + errno_text());
    const char* name = ptsname(master_);
    if (!name) throw OptionError(where + ": cannot open a pty: " + errno_text());
    path_ = name;
    slave_ = open(path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave_ < 0) throw OptionError(where + ": cannot open " + path_ + ": " + errno_text());
    // Raw both ways, as QEMU sets it: no echo, no line editing, no CR/LF translation.
    termios t{};
    if (tcgetattr(slave_, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(slave_, TCSANOW, &t);
    }
    set_cloexec_nonblock(master_, true);
    std::fprintf(stderr, "vireo: char device redirected to %s (label %s)\n", path_.c_str(), label.c_str());
}

PtyChardev::~PtyChardev() {
    if (slave_ >= 0) close(slave_);
    if (master_ >= 0) close(master_);
}

void PtyChardev::write(const u8* data, size_t len) {
    // Nobody reading the slave and its buffer full: drop at once.
    if (master_ >= 0) write_some(master_, data, len, false, 0);
}

int PtyChardev::input_fd() const { return room(1) ? master_ : -1; }

void PtyChardev::pump_input() {
    u8 buf[256];
    const size_t n_room = room(sizeof buf);
    if (!n_room) return;
    ssize_t n = ::read(master_, buf, n_room);
    if (n > 0) deliver(buf, static_cast<size_t>(n));
}

}  // namespace vireo
