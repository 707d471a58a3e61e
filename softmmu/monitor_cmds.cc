// Monitor commands that inspect and drive the machine (monitor.h): info cpus/pci/irq/jit,
// cpu, x, xp, sendkey, screendump, gdbserver. Names, help lines and output as QEMU 7.2's
// hmp-commands.hx / hmp-commands-info.hx and monitor/hmp-cmds.c; what only the board knows
// comes through the Machine's hooks (describe_pci, key_event, screen) or device interfaces
// (IrqStatsProvider), so this file includes nothing from hw/.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include "softmmu/debug_memory.h"
#include "softmmu/gdbstub.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"
#include "softmmu/monitor_expr.h"
#include "softmmu/qcode.h"

namespace vireo {

namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

constexpr u64 kMs = 1'000'000;

}  // namespace

x86::CpuState* Monitor::current_cpu() {
    auto& cpus = m_.cpus();
    if (cpus.empty()) return nullptr;
    return cpus[cpu_index_ < cpus.size() ? cpu_index_ : 0].state.get();
}

void Monitor::add_machine_commands() {
    // ---- info ----
    add_info("cpus", "show infos for each CPU", [](Monitor& mon, const std::string&, std::string& out) {
        // QEMU hmp_info_cpus(): the monitor's CPU starred. Vireo runs every vCPU on the main
        // loop's thread.
        const x86::CpuState* cur = mon.current_cpu();
        for (const Vcpu& v : mon.m_.cpus()) {
            char line[64];
            std::snprintf(line, sizeof line, "%c CPU #%u: thread_id=%ld\n", v.state.get() == cur ? '*' : ' ',
                          v.state->cpu_index, static_cast<long>(::gettid()));
            out += line;
        }
    });
    add_info("pci", "show PCI info", [](Monitor& mon, const std::string&, std::string& out) {
        if (mon.m_.describe_pci) out += mon.m_.describe_pci();  // no PCI: nothing, as QEMU 7.2
    });
    add_info("irq", "show the interrupts statistics (if available)",
             [](Monitor& mon, const std::string&, std::string& out) {
                 // QEMU hmp_info_irq(): every InterruptStatsProvider in device order, the
                 // lines that saw an interrupt.
                 for (const auto& d : mon.m_.devices()) {
                     const auto* p = dynamic_cast<const IrqStatsProvider*>(d.get());
                     if (!p || p->irq_counts().empty()) continue;
                     out += std::string("IRQ statistics for ") + p->irq_stats_name() + ":\n";
                     const auto counts = p->irq_counts();
                     for (size_t i = 0; i < counts.size(); i++) {
                         if (!counts[i]) continue;
                         char line[48];
                         std::snprintf(line, sizeof line, "%2zu: %llu\n", i, static_cast<unsigned long long>(counts[i]));
                         out += line;
                     }
                 }
             });
    add_info("jit", "show dynamic compiler info", [](Monitor& mon, const std::string&, std::string& out) {
        // Vireo's own counters (QEMU's `info jit` describes TCG): "name value" lines.
        for (const auto& [name, value] : mon.m_.jit_stats()) out += name + " " + std::to_string(value) + "\n";
    });

    // ---- CPU and memory ----
    add_command("cpu", "index", "set the default CPU", [](Monitor& mon, const std::string& args, std::string& out) {
        std::string err;
        const auto idx = eval_monitor_expr(args, nullptr, err);
        if (!idx || *idx >= mon.m_.cpus().size()) {
            out += "invalid CPU index\n";
            return;
        }
        mon.cpu_index_ = static_cast<unsigned>(*idx);
    });
    auto dump = [](Monitor& mon, const std::string& args, std::string& out, bool physical) {
        std::string_view rest(args);
        DumpFormat f;
        std::string err;
        if (!parse_dump_format(rest, mon.dump_defaults_, f, err)) {
            out += err;
            return;
        }
        x86::CpuState* cpu = mon.current_cpu();
        if (!cpu && !physical) {
            out += "Can not dump without CPU\n";
            return;
        }
        if (f.format == 'i') {  // needs a disassembler that reports lengths; not in Vireo yet
            out += "format 'i' (disassembly) is not supported by this monitor\n";
            return;
        }
        const auto addr = eval_monitor_expr(rest, cpu, err);
        if (!addr) {
            out += err + "\n";
            return;
        }
        Machine& m = mon.m_;
        if (physical)
            out += memory_dump(f, *addr, [&m](u64 a, u8* b, size_t n) { return debug_physical_read(m, a, b, n); });
        else
            out += memory_dump(f, *addr, [&m, cpu](u64 a, u8* b, size_t n) { return debug_memory_rw(m, *cpu, a, b, n, false); });
    };
    add_command("x", "/fmt addr", "virtual memory dump starting at 'addr'",
                [dump](Monitor& mon, const std::string& args, std::string& out) { dump(mon, args, out, false); });
    add_command("xp", "/fmt addr", "physical memory dump starting at 'addr'",
                [dump](Monitor& mon, const std::string& args, std::string& out) { dump(mon, args, out, true); });

    // ---- keyboard and display ----
    held_keys_ = std::make_shared<std::vector<HeldKey>>();
    {
        auto held = held_keys_;
        Machine* m = &m_;
        m_.add_timer(
            [held] {
                u64 next = ~0ull;
                for (const HeldKey& k : *held) next = std::min(next, k.release_ns);
                return next;
            },
            [held, m](u64 now) {
                // Due releases in the order sendkey queued them (the reverse of the presses).
                std::vector<HeldKey> keep;
                for (const HeldKey& k : *held) {
                    if (k.release_ns > now) keep.push_back(k);
                    else if (m->key_event) m->key_event(k.set2, false);
                }
                *held = std::move(keep);
            });
    }
    add_command("sendkey", "keys [hold_ms]",
                "send keys to the VM (e.g. 'sendkey ctrl-alt-f1', default hold time=100 ms)",
                [](Monitor& mon, const std::string& args, std::string& out) {
                    // QEMU hmp_sendkey() / qmp_send_key(): press the keys in order, hold them,
                    // release them in reverse order.
                    const std::string a = trim(args);
                    const size_t sp = a.find_first_of(" \t");
                    const std::string keys = a.substr(0, sp);
                    u64 hold_ms = 100;
                    if (sp != std::string::npos) {
                        std::string err;
                        const auto v = eval_monitor_expr(a.substr(sp), nullptr, err);
                        if (!v) {
                            out += err + "\n";
                            return;
                        }
                        hold_ms = *v;
                    }
                    if (keys.empty()) {
                        out += "Parameter 'keys' is missing\n";
                        return;
                    }
                    std::vector<u16> codes;
                    size_t pos = 0;
                    while (pos <= keys.size()) {
                        size_t dash = keys.find('-', pos);
                        if (dash == std::string::npos) dash = keys.size();
                        const std::string name = keys.substr(pos, dash - pos);
                        const auto code = find_qcode(name);
                        if (!code) {
                            out += "invalid parameter: " + name + "\n";
                            return;
                        }
                        codes.push_back(*code);
                        pos = dash + 1;
                    }
                    if (!mon.m_.key_event) return;  // no keyboard: the keys go nowhere, as in QEMU
                    for (u16 c : codes) mon.m_.key_event(c, true);
                    const u64 at = mon.m_.clock_ns() + hold_ms * kMs;
                    for (size_t i = codes.size(); i-- > 0;) mon.held_keys_->push_back({at, codes[i]});
                });
    add_command("screendump", "filename [-f format]",
                "save screen as image 'filename' in format 'format' (only 'ppm' is supported)",
                [](Monitor& mon, const std::string& args, std::string& out) {
                    std::string a = trim(args), format = "ppm";
                    const size_t f = a.find(" -f ");
                    if (f != std::string::npos) {
                        format = trim(a.substr(f + 4));
                        a = trim(a.substr(0, f));
                    }
                    if (a.empty()) {
                        out += "Parameter 'filename' is missing\n";
                        return;
                    }
                    if (format != "ppm") {
                        out += "Error: '" + format + "' is not a supported format (only 'ppm')\n";
                        return;
                    }
                    RgbImage img;
                    std::string err;
                    if (!mon.m_.screen) {
                        out += "Error: There is no console to take a screendump from\n";  // QEMU's words
                        return;
                    }
                    if (!mon.m_.screen(img, err)) {
                        out += "Error: " + err + "\n";
                        return;
                    }
                    std::FILE* file = std::fopen(a.c_str(), "wb");
                    if (!file) {
                        out += "Error: failed to open file '" + a + "': " + std::strerror(errno) + "\n";
                        return;
                    }
                    const std::string ppm = encode_ppm(img);
                    const bool ok = std::fwrite(ppm.data(), 1, ppm.size(), file) == ppm.size();
                    if (std::fclose(file) != 0 || !ok) out += "Error: failed to write file '" + a + "'\n";
                });

    // ---- debugging ----
    add_command("gdbserver", "[device]",
                "start gdbserver on given device (default 'tcp::1234'), stop with 'none'",
                [](Monitor& mon, const std::string& args, std::string& out) {
                    std::string dev = trim(args);
                    if (dev.empty()) dev = "tcp::1234";
                    try {
                        start_gdbstub(mon.m_, dev, "gdbserver");
                    } catch (const std::exception&) {
                        out += "Could not open gdbserver on device '" + dev + "'\n";
                        return;
                    }
                    if (dev == "none") out += "Disabled gdbserver\n";
                    else out += "Waiting for gdb connection on device '" + dev + "'\n";
                });
}

}  // namespace vireo
