// Human monitor (monitor.h). Command names, the "(qemu) " prompt and output layouts follow
// QEMU 7.2's HMP (hmp-commands.hx, hmp-commands-info.hx); the code is Vireo's own.
#include "softmmu/monitor.h"

#include <cstdio>
#include "frontend-x86/cpu_dump.h"
#include "softmmu/machine.h"
#include "softmmu/qmp.h"

namespace vireo {

namespace {

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// "name rest" -> name, rest (trimmed).
std::pair<std::string, std::string> split_word(const std::string& s) {
    std::string t = trim(s);
    size_t sp = t.find_first_of(" \t");
    if (sp == std::string::npos) return {t, {}};
    return {t.substr(0, sp), trim(t.substr(sp))};
}

bool has_name(const std::string& names, const std::string& name) {
    size_t pos = 0;
    while (pos <= names.size()) {
        size_t bar = names.find('|', pos);
        if (names.compare(pos, bar == std::string::npos ? std::string::npos : bar - pos, name) == 0 &&
            (bar == std::string::npos ? names.size() - pos : bar - pos) == name.size())
            return true;
        if (bar == std::string::npos) break;
        pos = bar + 1;
    }
    return false;
}

}  // namespace

Monitor::Monitor(Machine& m, Chardev* chr) : m_(m), chr_(chr) {
    add_builtins();
    add_machine_commands();
    chr_->on_input = [this](const u8* d, size_t n) { input(d, n); };
    chr_->can_receive = nullptr;  // a line editor takes any amount
    chr_->on_event = [this](ChardevEvent e) { on_event(e); };
    if (chr_->is_open()) greet();
}

void Monitor::print(std::string_view s) {
    // QEMU's monitor_puts(): "\n" goes out as "\r\n" (raw terminals, telnet-like clients).
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    chr_->write(out);
}

void Monitor::greet() {
    greeted_ = true;
    line_.clear();
    print("Vireo 0.1.0 monitor - type 'help' for more information\n");
    print(kPrompt);
}

void Monitor::on_event(ChardevEvent e) {
    switch (e) {
    case ChardevEvent::Opened: greet(); break;  // a new client: banner and prompt (QEMU too)
    case ChardevEvent::FocusIn:
        if (!greeted_) greet();
        else print(std::string("\n") + kPrompt + line_);
        break;
    case ChardevEvent::Closed: line_.clear(); break;
    case ChardevEvent::FocusOut:
    case ChardevEvent::Break: break;
    }
}

void Monitor::input(const u8* data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        const u8 c = data[i];
        if (escape_state_ == 1) {  // after ESC: '[' or 'O' starts a sequence, else drop both
            escape_state_ = (c == '[' || c == 'O') ? 2 : 0;
            continue;
        }
        if (escape_state_ == 2) {  // CSI parameters until the final byte 0x40-0x7e
            if (c >= 0x40 && c <= 0x7e) escape_state_ = 0;
            continue;
        }
        const bool after_cr = last_cr_;
        last_cr_ = c == '\r';
        if (c == '\n' && after_cr) continue;  // "\r\n" is one Enter
        if (c == '\r' || c == '\n') {
            print("\n");
            const std::string line = line_;
            line_.clear();
            const std::string out = execute(line);
            print(out);
            if (m_.exit_pending()) return;  // quit: no prompt, ignore the rest
            print(kPrompt);
        } else if (c == 0x7f || c == 0x08) {  // backspace / DEL
            if (!line_.empty()) {
                line_.pop_back();
                print("\b \b");
            }
        } else if (c == 0x15) {  // Ctrl-U: kill the line
            for (size_t k = 0; k < line_.size(); k++) print("\b \b");
            line_.clear();
        } else if (c == 0x1b) {
            escape_state_ = 1;
        } else if (c >= 0x20 && c < 0x7f && line_.size() < 4096) {
            line_ += static_cast<char>(c);
            chr_->write(&c, 1);  // echo
        }
    }
}

const Monitor::Command* Monitor::find(const std::vector<Command>& list, const std::string& name) const {
    for (const Command& c : list)
        if (has_name(c.names, name)) return &c;
    return nullptr;
}

void Monitor::add_command(const std::string& names, const std::string& params, const std::string& help, Handler h) {
    commands_.push_back({names, params, help, std::move(h)});
}

void Monitor::add_info(const std::string& name, const std::string& help, Handler h) {
    infos_.push_back({name, "", help, std::move(h)});
}

std::string Monitor::execute(const std::string& line) {
    auto [name, args] = split_word(line);
    std::string out;
    if (name.empty()) return out;
    const Command* c = find(commands_, name);
    if (!c) return "unknown command: '" + name + "'\n";
    c->handler(*this, args, out);
    return out;
}

void Monitor::add_builtins() {
    auto list = [](const std::vector<Command>& cmds, const std::string& prefix, std::string& out) {
        for (const Command& c : cmds)
            out += prefix + c.names + " " + c.params + (c.params.empty() ? "" : " ") + "-- " + c.help + "\n";
    };
    add_command("help|?", "[cmd]", "show the help", [list](Monitor& mon, const std::string& args, std::string& out) {
        if (args.empty()) {
            list(mon.commands_, "", out);
            return;
        }
        auto [what, rest] = split_word(args);
        if (what == "info") {
            list(mon.infos_, "info ", out);
            return;
        }
        const Command* c = mon.find(mon.commands_, what);
        if (!c) {
            out += "unknown command: '" + what + "'\n";
            return;
        }
        out += c->names + " " + c->params + (c->params.empty() ? "" : " ") + "-- " + c->help + "\n";
    });
    add_command("info", "[subcommand]", "show various information about the system state",
                [list](Monitor& mon, const std::string& args, std::string& out) {
                    auto [what, rest] = split_word(args);
                    if (what.empty()) {
                        list(mon.infos_, "info ", out);
                        return;
                    }
                    const Command* c = mon.find(mon.infos_, what);
                    if (!c) {
                        out += "unknown command: 'info " + what + "'\n";
                        return;
                    }
                    c->handler(mon, rest, out);
                });
    add_command("quit|q", "", "quit the emulator", [](Monitor& mon, const std::string&, std::string&) {
        mon.m_.quit("host-qmp-quit");  // QEMU's hmp_quit() is qmp_quit()
    });
    add_command("system_reset", "", "reset the system", [](Monitor& mon, const std::string&, std::string&) {
        mon.m_.request_reset(false, "host-qmp-system-reset");
    });
    add_command("system_powerdown", "", "send system power down event",
                [](Monitor& mon, const std::string&, std::string& out) {
                    if (!mon.m_.powerdown()) out += "Error: this machine has no power button\n";
                });
    add_command("stop", "", "stop emulation", [](Monitor& mon, const std::string&, std::string&) {
        if (!mon.m_.paused()) mon.m_.pause("paused");
    });
    add_command("cont|c", "", "resume emulation", [](Monitor& mon, const std::string&, std::string& out) {
        if (std::string_view(mon.m_.run_state()) == "shutdown") out += "Error: Resetting the Virtual Machine is required\n";
        else mon.m_.resume();
    });

    add_info("status", "show the current VM status (running|paused)",
             [](Monitor& mon, const std::string&, std::string& out) {
                 // QEMU's hmp_info_status(): "paused (REASON)" unless stopped by stop, e.g. a
                 // -no-shutdown guest that powered off is "paused (shutdown)".
                 const std::string state = mon.m_.run_state();
                 if (!mon.m_.paused()) out += "VM status: running\n";
                 else if (state == "paused") out += "VM status: paused\n";
                 else out += "VM status: paused (" + state + ")\n";
             });
    add_info("version", "show the version of QEMU",
             [](Monitor&, const std::string&, std::string& out) { out += "7.2.0 (Vireo 0.1.0)\n"; });
    add_info("registers", "[-a] show the cpu registers (-a: all CPUs)",
             [](Monitor& mon, const std::string& args, std::string& out) {
                 auto& cpus = mon.m_.cpus();
                 if (cpus.empty()) {
                     out += "No CPU available\n";
                     return;
                 }
                 if (args == "-a") {
                     for (auto& v : cpus) {
                         out += "\nCPU#" + std::to_string(v.state->cpu_index) + "\n";
                         out += x86::dump_cpu_state(*v.state);
                     }
                     return;
                 }
                 out += x86::dump_cpu_state(*mon.current_cpu());  // the monitor's CPU (`cpu N`)
             });
    add_info("mtree", "show memory tree", [](Monitor& mon, const std::string&, std::string& out) {
        out += "address-space: memory\n" + describe_tree(mon.m_.system_memory(), 0, 1) + "\n";
        out += "address-space: I/O\n" + describe_tree(mon.m_.io_space(), 0, 1);
    });
    add_info("qtree", "show device tree", [](Monitor& mon, const std::string&, std::string& out) {
        out += "bus: main-system-bus\n  type System\n";
        for (const auto& d : mon.m_.devices()) {
            out += "  dev: " + std::string(d->type_name()) + ", id \"" + d->id + "\"\n";
            if (mon.m_.device_props) {
                std::string props = mon.m_.device_props(*d);
                size_t pos = 0;
                while (pos < props.size()) {
                    size_t nl = props.find('\n', pos);
                    out += "    " + props.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos) + "\n";
                    if (nl == std::string::npos) break;
                    pos = nl + 1;
                }
            }
        }
    });
}

Monitor* create_monitor(Machine& m, Chardev* chr) {
    return m.keep(std::make_unique<Monitor>(m, chr));
}

std::vector<std::string> default_serial_specs(const VmConfig& cfg) {
    if (!cfg.serials.empty() || cfg.nodefaults) return cfg.serials;
    if (!cfg.nographic) return {"null"};  // QEMU's default is a "vc" on the display
    return {cfg.monitor_given ? "stdio" : "mon:stdio"};
}

std::vector<Chardev*> create_serial_chardevs(Machine& m, const VmConfig& cfg) {
    create_chardevs(m, cfg);
    std::vector<Chardev*> out;
    for (const std::string& s : default_serial_specs(cfg)) {
        if (s == "none") continue;
        const std::string label = "serial" + std::to_string(out.size());
        out.push_back(frontend_chardev(m, s, "-serial", label));
    }
    return out;
}

void create_monitors(Machine& m, const VmConfig& cfg) {
    create_chardevs(m, cfg);
    unsigned n = 0;
    for (const MonitorSpec& s : cfg.monitors) {
        const std::string where = s.option + " " + s.raw;
        Chardev* chr = nullptr;
        if (!s.chardev.empty()) {
            chr = m.find_chardev(s.chardev);
            if (!chr) throw OptionError(where + ": chardev \"" + s.chardev + "\" not found");
            chr = chr->attach(where);
        } else {
            chr = frontend_chardev(m, s.device, s.option.c_str(), "compat_monitor" + std::to_string(n++));
        }
        if (s.mode == "control") create_qmp(m, chr, s.pretty);
        else create_monitor(m, chr);
    }
    // QEMU vl.c: with -nographic, the default monitor goes to stdio unless the default serial
    // port took it (mon:stdio, see default_serial_specs); a "-serial mon:DEV" has its own.
    bool serial_has_monitor = false;
    for (const std::string& s : cfg.serials) serial_has_monitor |= s.rfind("mon:", 0) == 0;
    if (cfg.nographic && !cfg.monitor_given && !cfg.nodefaults && !cfg.serials.empty() && !serial_has_monitor)
        create_monitor(m, frontend_chardev(m, "stdio", "-monitor", "compat_monitor0"));
}

}  // namespace vireo
