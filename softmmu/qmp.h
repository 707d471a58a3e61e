// QMP, the QEMU Machine Protocol (QEMU 7.2's docs/interop/qmp-spec.txt) on a chardev: -qmp DEV,
// -qmp-pretty DEV, -mon chardev=ID,mode=control[,pretty=on]. JSON objects in both directions:
// the server greets, the client negotiates with qmp_capabilities, then sends
// {"execute": NAME[, "arguments": {...}][, "id": ANY]} and gets {"return": ...} or
// {"error": {"class", "desc"}} (with the same "id"); events ({"event", "data", "timestamp"})
// arrive at any time after negotiation.
//
// Version: the greeting and query-version report qemu 7.2.0 — the command-line and QMP dialect
// Vireo speaks, which is what clients (libvirt, scripts) gate features on — and Vireo's own
// version in "package" ("vireo-0.1.0").
//
// JSON is nlohmann-json; only this header's users see it (json_fwd.hpp here, json.hpp in .cc).
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <vector>
#include "softmmu/chardev.h"

namespace vireo {

class Machine;
class Monitor;
using Json = nlohmann::ordered_json;  // keeps members in QEMU's order on the wire

// A command's failure: QMP's ErrorClass name ("GenericError", "CommandNotFound", ...) and text.
struct QmpError : std::runtime_error {
    QmpError(std::string cls, const std::string& desc) : std::runtime_error(desc), error_class(std::move(cls)) {}
    std::string error_class;
};

// Splits a byte stream into top-level JSON texts as QEMU's json-streamer does: objects and
// arrays by bracket depth (strings and escapes respected), bare tokens at whitespace.
// Several values in one chunk and values split across chunks both work. A lexical error (a
// control character inside a string, a 0xff byte, too deep or too big) is reported, and input
// is skipped up to the next structural or control character or 0xff byte (QEMU's recovery;
// qmp-spec.txt: a client may send 0xff, answered by an error, to get the parser back into a
// known state).
class JsonSplitter {
public:
    static constexpr unsigned kMaxNesting = 1024;         // QEMU's MAX_NESTING
    static constexpr size_t kMaxSize = size_t{64} << 20;  // QEMU's MAX_TOKEN_SIZE
    std::function<void(const std::string& text)> on_value;
    std::function<void(const std::string& desc)> on_error;  // desc as QEMU: "JSON parse error, ..."
    void feed(const u8* data, size_t len);
    void reset();

private:
    void flush();
    void fail(const std::string& why);
    std::string buf_;
    unsigned depth_ = 0;
    bool in_string_ = false, escape_ = false;
    bool recovering_ = false;
};

class QmpServer {
public:
    // Attaches to chr (input and events); greets at once when chr is open.
    QmpServer(Machine& m, Chardev* chr, bool pretty);
    ~QmpServer();
    QmpServer(const QmpServer&) = delete;
    QmpServer& operator=(const QmpServer&) = delete;

    // Bytes from the client.
    void input(const u8* data, size_t len);
    // Sends an event to the client; dropped before negotiation (QEMU too). data may be null.
    void emit_event(const std::string& name, const Json* data);

    // The argument table of a command: QEMU's checks and messages ("Parameter 'x' is missing",
    // "... is unexpected", "Invalid parameter type for 'x', expected: string").
    struct Param {
        enum Type { String, Bool, Int, Array, Any };
        const char* name;
        Type type;
        bool optional = false;
    };
    // A handler fills ret (left as {} for commands that return nothing) or throws QmpError.
    using Handler = std::function<void(QmpServer&, const Json& args, Json& ret)>;
    void add_command(const std::string& name, std::vector<Param> params, Handler h);
    bool negotiated() const { return negotiated_; }
    Machine& machine() { return m_; }

private:
    struct Command {
        std::string name;
        std::vector<Param> params;
        Handler handler;
    };
    void greet();
    void on_event(ChardevEvent e);
    void handle_text(const std::string& text);
    void dispatch(const Json& req, Json& reply);
    void send(const Json& msg);
    void add_builtins();
    static Json version();

    Machine& m_;
    Chardev* chr_;
    bool pretty_;
    bool negotiated_ = false;
    bool oob_ = false;  // the client enabled the "oob" capability
    bool greeted_ = false;
    JsonSplitter splitter_;
    std::vector<Command> commands_;
    std::unique_ptr<Chardev> hmp_chr_;  // a sink: human-monitor-command reads execute()'s result
    std::unique_ptr<Monitor> hmp_;
};

// A QMP server on chr, owned by m; it reports m's run-state changes as events.
QmpServer* create_qmp(Machine& m, Chardev* chr, bool pretty);

}  // namespace vireo
