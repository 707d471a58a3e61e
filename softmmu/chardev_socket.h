// Socket chardev (-chardev socket, -serial tcp:/unix:): a TCP or Unix stream, as a server
// (listening; one client at a time, a new one is accepted after the last disconnects) or a
// client (connects at creation; no reconnect). Writes without a peer are dropped; a peer that
// stops reading cannot stall the emulator (writes give up after a short wait).
#pragma once
#include <string>
#include "softmmu/chardev.h"

namespace vireo {

struct SocketAddress {
    bool unix_path = false;
    std::string host;  // TCP: "" = any (server) / localhost (client)
    std::string port;  // TCP port (decimal or service name)
    std::string path;  // Unix socket path
    std::string describe() const;  // "tcp:HOST:PORT" or "unix:PATH" as QEMU prints it
};

class SocketChardev : public Chardev {
public:
    // Listens (server) or connects (client); throws OptionError("<where>: ...") on failure.
    // A server with wait=true blocks here until the first client connects, as QEMU does.
    SocketChardev(const SocketAddress& addr, bool server, bool wait, const std::string& where);
    ~SocketChardev() override;
    void write(const u8* data, size_t len) override;
    int input_fd() const override;
    void pump_input() override;
    bool is_open() const override { return conn_fd_ >= 0; }

    bool connected() const { return conn_fd_ >= 0; }
    // TCP server: the port actually bound (useful with port 0).
    unsigned local_port() const;

private:
    void accept_client();
    void disconnect();
    SocketAddress addr_;
    int listen_fd_ = -1;
    int conn_fd_ = -1;
    bool stalled_ = false;
};

// Pseudo-terminal (-serial pty, -chardev pty): prints "char device redirected to /dev/pts/N
// (label ID)" on stderr as QEMU does. The slave side stays open here, so output written before
// anyone attaches waits in the pty (up to its buffer; the rest is dropped).
class PtyChardev : public Chardev {
public:
    explicit PtyChardev(const std::string& label, const std::string& where);
    ~PtyChardev() override;
    void write(const u8* data, size_t len) override;
    int input_fd() const override;
    void pump_input() override;
    const std::string& slave_path() const { return path_; }

private:
    int master_ = -1, slave_ = -1;
    std::string path_;
};

}  // namespace vireo
