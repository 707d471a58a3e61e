// QMP server (qmp.h). Message shapes, error classes and texts follow QEMU 7.2 (qapi/qmp-dispatch.c,
// monitor/qmp.c, qapi/run-state.json, qapi/machine.json); the code is Vireo's own.
#include "softmmu/qmp.h"

#include <algorithm>
#include <string_view>
#include <sys/time.h>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

namespace vireo {

namespace {

// QEMU's JSON lexer treats these as token separators at the top level.
bool is_space(u8 c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Output never throws on bad UTF-8 from a client (echoed ids, HMP output): U+FFFD instead.
// The compact form gets QEMU's separators, ", " and ": " (scripts grep for '"return": {}').
std::string dump(const Json& j, bool pretty) {
    std::string text = j.dump(pretty ? 4 : -1, ' ', false, Json::error_handler_t::replace);
    if (pretty) return text;
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    bool in_string = false, escape = false;
    for (char c : text) {
        out += c;
        if (in_string) {
            if (escape) escape = false;
            else if (c == '\\') escape = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ':' || c == ',') {
            out += ' ';
        }
    }
    return out;
}

const char* type_name(QmpServer::Param::Type t) {
    switch (t) {
    case QmpServer::Param::String: return "string";
    case QmpServer::Param::Bool: return "boolean";
    case QmpServer::Param::Int: return "integer";
    case QmpServer::Param::Array: return "array";
    case QmpServer::Param::Any: return "any";
    }
    return "any";
}

bool has_type(const Json& v, QmpServer::Param::Type t) {
    switch (t) {
    case QmpServer::Param::String: return v.is_string();
    case QmpServer::Param::Bool: return v.is_boolean();
    case QmpServer::Param::Int: return v.is_number_integer();
    case QmpServer::Param::Array: return v.is_array();
    case QmpServer::Param::Any: return true;
    }
    return true;
}

// human-monitor-command's HMP instance writes nowhere: execute() returns the output.
class SinkChardev : public Chardev {
public:
    void write(const u8*, size_t) override {}
    bool is_open() const override { return false; }  // no banner
};

QmpError generic(const std::string& desc) { return QmpError("GenericError", desc); }

}  // namespace

// ---- JsonSplitter ----

void JsonSplitter::reset() {
    buf_.clear();
    depth_ = 0;
    in_string_ = escape_ = recovering_ = false;
}

void JsonSplitter::flush() {
    std::string text = std::move(buf_);
    reset();
    if (on_value) on_value(text);
}

void JsonSplitter::fail(const std::string& why) {
    reset();
    recovering_ = true;
    if (on_error) on_error("JSON parse error, " + why);
}

void JsonSplitter::feed(const u8* data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        const u8 c = data[i];
        if (recovering_) {
            // After a lexical error QEMU's lexer skips to a resynchronisation point, which is
            // then lexed afresh: a structural or control character, or 0xfe/0xff.
            const bool sync = (c < 0x20 && c != '\t') || c >= 0xfe || c == '[' || c == ']' || c == '{' || c == '}' ||
                              c == ':' || c == ',';
            if (!sync) continue;
            recovering_ = false;
        }
        if (c == 0xff) {  // never valid UTF-8: QEMU's lexer rejects it too (a client's reset)
            fail("stray '" + buf_ + "\xff'");
            continue;
        }
        if (buf_.size() >= kMaxSize) {
            fail("token too big");
            continue;
        }
        if (in_string_) {
            // JSON forbids raw control characters in strings; failing here also means an
            // unterminated string cannot swallow the rest of the session.
            if (c < 0x20) {
                fail("stray '" + buf_ + static_cast<char>(c) + "'");
                continue;
            }
            buf_ += static_cast<char>(c);
            if (escape_) escape_ = false;
            else if (c == '\\') escape_ = true;
            else if (c == '"') {
                in_string_ = false;
                if (depth_ == 0) flush();  // a bare string at the top level
            }
            continue;
        }
        // A bare token (number, keyword, garbage) at the top level ends at whitespace or at the
        // start of the next value.
        if (depth_ == 0 && !buf_.empty() && (is_space(c) || c == '{' || c == '[' || c == '"')) flush();
        if (depth_ == 0 && buf_.empty() && is_space(c)) continue;
        if (c == '"') {
            in_string_ = true;
            buf_ += static_cast<char>(c);
        } else if (c == '{' || c == '[') {
            if (++depth_ > kMaxNesting) {
                fail("nesting too deep");
                continue;
            }
            buf_ += static_cast<char>(c);
        } else if (c == '}' || c == ']') {
            buf_ += static_cast<char>(c);
            if (depth_ == 0 || --depth_ == 0) flush();  // a stray closer is a value that fails to parse
        } else {
            buf_ += static_cast<char>(c);
        }
    }
}

// ---- QmpServer ----

QmpServer::QmpServer(Machine& m, Chardev* chr, bool pretty)
    : m_(m), chr_(chr), pretty_(pretty), hmp_chr_(std::make_unique<SinkChardev>()) {
    hmp_ = std::make_unique<Monitor>(m, hmp_chr_.get());
    add_builtins();
    splitter_.on_value = [this](const std::string& text) { handle_text(text); };
    splitter_.on_error = [this](const std::string& desc) {
        send(Json{{"error", {{"class", "GenericError"}, {"desc", desc}}}});
    };
    chr_->on_input = [this](const u8* d, size_t n) { input(d, n); };
    chr_->can_receive = nullptr;
    chr_->on_event = [this](ChardevEvent e) { on_event(e); };
    m_.add_run_listener([this](const Machine::RunChange& c) {
        switch (c.event) {
        case Machine::RunEvent::Stop: emit_event("STOP", nullptr); break;
        case Machine::RunEvent::Resume: emit_event("RESUME", nullptr); break;
        case Machine::RunEvent::Powerdown: emit_event("POWERDOWN", nullptr); break;
        case Machine::RunEvent::Reset:
        case Machine::RunEvent::Shutdown: {
            // qapi/run-state.json: RESET and SHUTDOWN carry {guest, reason}.
            const Json data = {{"guest", c.guest}, {"reason", c.reason}};
            emit_event(c.event == Machine::RunEvent::Reset ? "RESET" : "SHUTDOWN", &data);
            break;
        }
        }
    });
    if (chr_->is_open()) greet();
}

QmpServer::~QmpServer() = default;

Json QmpServer::version() {
    return {{"qemu", {{"micro", 0}, {"minor", 2}, {"major", 7}}}, {"package", "vireo-0.1.0"}};
}

void QmpServer::send(const Json& msg) {
    // QEMU's monitor_puts(): every "\n" goes out as "\r\n", and each message ends with one.
    const std::string text = dump(msg, pretty_) + "\n";
    std::string out;
    out.reserve(text.size() + 8);
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    chr_->write(out);
}

void QmpServer::greet() {
    greeted_ = true;
    negotiated_ = false;
    oob_ = false;
    splitter_.reset();
    send(Json{{"QMP", {{"version", version()}, {"capabilities", Json::array({"oob"})}}}});
}

void QmpServer::on_event(ChardevEvent e) {
    switch (e) {
    case ChardevEvent::Opened: greet(); break;  // each new client starts in negotiation mode
    case ChardevEvent::FocusIn:
        if (!greeted_) greet();
        break;
    case ChardevEvent::Closed:
        negotiated_ = false;
        oob_ = false;
        splitter_.reset();
        break;
    case ChardevEvent::FocusOut:
    case ChardevEvent::Break: break;
    }
}

void QmpServer::input(const u8* data, size_t len) {
    // After quit the reply is out; what follows is not executed (the run is ending).
    if (m_.exit_pending()) return;
    splitter_.feed(data, len);
}

void QmpServer::emit_event(const std::string& name, const Json* data) {
    if (!negotiated_ || !chr_->is_open()) return;
    timeval tv{};
    gettimeofday(&tv, nullptr);  // QEMU: wall-clock time of the event
    Json ev = {{"timestamp", {{"seconds", tv.tv_sec}, {"microseconds", tv.tv_usec}}}, {"event", name}};
    if (data) ev["data"] = *data;
    send(ev);
}

void QmpServer::handle_text(const std::string& text) {
    if (m_.exit_pending()) return;
    Json req;
    try {
        req = Json::parse(text);
    } catch (const Json::parse_error& e) {
        // nlohmann's text starts "[json.exception.parse_error.101] parse error at ...".
        std::string why = e.what();
        if (size_t p = why.find("] "); p != std::string::npos) why = why.substr(p + 2);
        send(Json{{"error", {{"class", "GenericError"}, {"desc", "JSON parse error, " + why}}}});
        return;
    }
    Json reply;
    try {
        dispatch(req, reply);
    } catch (const QmpError& e) {
        reply = Json{{"error", {{"class", e.error_class}, {"desc", e.what()}}}};
    }
    if (req.is_object() && req.contains("id")) reply["id"] = req["id"];
    send(reply);
}

void QmpServer::dispatch(const Json& req, Json& reply) {
    // qapi/qmp-dispatch.c's checks, in its order.
    if (!req.is_object()) throw generic("QMP input must be a JSON object");
    // "exec-oob" (out-of-band execution, qmp-spec.txt 2.3.1) is a member only once the "oob"
    // capability is enabled.
    for (const auto& [key, value] : req.items()) {
        if (key == "execute" || (key == "exec-oob" && oob_)) {
            if (!value.is_string()) throw generic("QMP input member '" + key + "' must be a string");
        } else if (key == "arguments") {
            if (!value.is_object()) throw generic("QMP input member 'arguments' must be an object");
        } else if (key != "id") {
            throw generic("QMP input member '" + key + "' is unexpected");
        }
    }
    const bool oob = req.contains("exec-oob");
    if (oob && req.contains("execute")) throw generic("QMP input member 'execute' clashes with 'exec-oob'");
    if (!oob && !req.contains("execute")) throw generic("QMP input lacks member 'execute'");
    const std::string name = req[oob ? "exec-oob" : "execute"].get<std::string>();
    static const Json kNoArgs = Json::object();
    const Json* args = req.contains("arguments") ? &req["arguments"] : &kNoArgs;
    // Capabilities negotiation (qmp-spec.txt 4): only qmp_capabilities until it succeeds.
    if (!negotiated_ && name != "qmp_capabilities")
        throw QmpError("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
    if (negotiated_ && name == "qmp_capabilities")
        throw QmpError("CommandNotFound", "Capabilities negotiation is already complete, command ignored");
    const Command* cmd = nullptr;
    for (const Command& c : commands_)
        if (c.name == name) cmd = &c;
    if (!cmd) throw QmpError("CommandNotFound", "The command " + name + " has not been found");
    // No Vireo command runs out of band (QEMU's that do are migration and test commands).
    if (oob) throw generic("The command " + name + " does not support OOB");

    for (const auto& [key, value] : args->items()) {
        const Param* p = nullptr;
        for (const Param& q : cmd->params)
            if (key == q.name) p = &q;
        if (!p) throw generic("Parameter '" + key + "' is unexpected");
        if (!has_type(value, p->type))
            throw generic("Invalid parameter type for '" + key + "', expected: " + type_name(p->type));
    }
    for (const Param& p : cmd->params)
        if (!p.optional && !args->contains(p.name)) throw generic(std::string("Parameter '") + p.name + "' is missing");

    Json ret = Json::object();
    cmd->handler(*this, *args, ret);
    reply = Json{{"return", std::move(ret)}};
}

void QmpServer::add_command(const std::string& name, std::vector<Param> params, Handler h) {
    commands_.push_back({name, std::move(params), std::move(h)});
}

void QmpServer::add_builtins() {
    using P = Param;
    add_command("qmp_capabilities", {{"enable", P::Array, true}}, [](QmpServer& s, const Json& args, Json&) {
        // "oob" is offered as QEMU does (on a monitor that is not on a mux); enabling it makes
        // "exec-oob" a valid member, for commands that allow it (none here). An unknown
        // capability gets QEMU 7.2's message, parameter name included ('null').
        bool oob = false;
        if (args.contains("enable"))
            for (const Json& cap : args["enable"]) {
                if (!cap.is_string() || cap.get<std::string>() != "oob")
                    throw generic("Parameter 'null' does not accept value '" +
                                  (cap.is_string() ? cap.get<std::string>() : dump(cap, false)) + "'");
                oob = true;
            }
        s.negotiated_ = true;
        s.oob_ = oob;
    });
    add_command("query-version", {}, [](QmpServer&, const Json&, Json& ret) { ret = version(); });
    add_command("query-commands", {}, [](QmpServer& s, const Json&, Json& ret) {
        ret = Json::array();
        for (const Command& c : s.commands_) ret.push_back({{"name", c.name}});
    });
    add_command("query-status", {}, [](QmpServer& s, const Json&, Json& ret) {
        // qapi/run-state.json StatusInfo; "singlestep" is still there in 7.2.
        ret = {{"status", s.m_.run_state()}, {"singlestep", false}, {"running", !s.m_.paused()}};
    });
    add_command("query-cpus-fast", {}, [](QmpServer& s, const Json&, Json& ret) {
        // qapi/machine.json CpuInfoFast. The vCPUs run on the main loop's thread. The topology
        // ids follow x86's apic-id split (thread, core, die, socket); "die-id" only with dies > 1
        // as QEMU 7.2's x86_possible_cpu_arch_ids(). QOM paths: CPUs are the board's first
        // unattached devices, and realizing CPU 0's APIC creates QEMU's "kvmvapic" device in
        // between (apic_common_realize), so CPU N>0 is device[N+1] as in QEMU.
        const SmpConfig& smp = s.m_.config().smp;
        const unsigned threads = std::max(1u, smp.threads), cores = std::max(1u, smp.cores),
                       dies = std::max(1u, smp.dies);
        ret = Json::array();
        for (const Vcpu& v : s.m_.cpus()) {
            const unsigned i = v.state->cpu_index;
            Json props = {{"core-id", (i / threads) % cores}, {"thread-id", i % threads}};
            if (dies > 1) props["die-id"] = (i / (threads * cores)) % dies;
            props["socket-id"] = i / (threads * cores * dies);
            ret.push_back({{"thread-id", static_cast<long>(::gettid())},
                           {"props", props},
                           {"qom-path", "/machine/unattached/device[" + std::to_string(i ? i + 1 : 0) + "]"},
                           {"cpu-index", i},
                           {"target", "x86_64"}});
        }
    });
    add_command("stop", {}, [](QmpServer& s, const Json&, Json&) {
        if (!s.m_.paused()) s.m_.pause("paused");
    });
    add_command("cont", {}, [](QmpServer& s, const Json&, Json&) {
        // QEMU's runstate_needs_reset(): a powered-off (-no-shutdown) guest needs system_reset.
        if (std::string_view(s.m_.run_state()) == "shutdown")
            throw generic("Resetting the Virtual Machine is required");
        s.m_.resume();
    });
    add_command("system_reset", {}, [](QmpServer& s, const Json&, Json&) {
        s.m_.request_reset(false, "host-qmp-system-reset");
    });
    add_command("system_powerdown", {}, [](QmpServer& s, const Json&, Json&) {
        if (!s.m_.powerdown()) throw generic("this machine has no power button");
    });
    add_command("quit", {}, [](QmpServer& s, const Json&, Json&) { s.m_.quit("host-qmp-quit"); });
    add_command("human-monitor-command", {{"command-line", P::String}, {"cpu-index", P::Int, true}},
                [](QmpServer& s, const Json& args, Json& ret) {
                    const std::string out = s.hmp_->execute(args["command-line"].get<std::string>());
                    std::string crlf;  // HMP output as a terminal gets it (QEMU: "\r\n")
                    for (char c : out) {
                        if (c == '\n') crlf += '\r';
                        crlf += c;
                    }
                    ret = crlf;
                });
}

QmpServer* create_qmp(Machine& m, Chardev* chr, bool pretty) {
    return m.keep(std::make_unique<QmpServer>(m, chr, pretty));
}

}  // namespace vireo
