// vireo: the emulator's entry point. Parses QEMU's command line, builds the machine, runs it.
// Every user error is one line "vireo: ..." on stderr and exit status 1, before the guest
// starts and before any output of its own.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_model.h"
#include "hw/boards.h"
#include "softmmu/gdbstub.h"
#include "softmmu/options.h"

using namespace vireo;

namespace {

// SIGINT/SIGTERM/SIGHUP end the run cleanly (QMP SHUTDOWN "host-signal", status 0), as QEMU.
Machine* g_signal_machine = nullptr;

void on_termination_signal(int sig) {
    std::signal(sig, SIG_DFL);  // a second one kills at once, should the clean exit get stuck
    if (g_signal_machine) g_signal_machine->signal_shutdown();
}

void catch_termination_signals(Machine& m) {
    g_signal_machine = &m;
    struct sigaction sa {};
    sa.sa_handler = on_termination_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
}

Capabilities capabilities() {
    Capabilities caps;
    for (const MachineType& t : machine_types()) caps.machine_types.insert(t.name);
    for (const std::string& n : x86::cpu_model_names()) caps.cpu_models.insert(n);
    caps.accelerators = {"tcg"};
    for (const DeviceType& t : device_types()) caps.device_types.insert(t.name);
    caps.chardev_backends = {"stdio", "file", "null", "none", "socket", "pty", "ringbuf", "memory", "pipe"};
    caps.monitor = true;
    caps.gdb = true;  // -gdb DEV, -s (softmmu/gdbstub.h)
    caps.qmp = true;
    caps.start_paused = true;  // -S: cont (QMP or HMP) starts the machine
    caps.display_types = {"none"};
    caps.vga_types = {"std"};
    caps.serial_ports = 4;
    caps.kernel_boot = true;
    caps.no_reboot = true;
    caps.no_shutdown = true;
    caps.bios_file = true;
    caps.boot_options = true;
    caps.globals = true;
    caps.debugcon = true;
    return caps;
}

unsigned log_mask(const std::vector<std::string>& items) {
    static const std::pair<const char*, unsigned> kMap[] = {
        {"in_asm", x86::LOG_IN_ASM}, {"exec", x86::LOG_EXEC}, {"int", x86::LOG_INT},
        {"cpu", x86::LOG_CPU}, {"mmu", x86::LOG_MMU}, {"guest_errors", x86::LOG_GUEST_ERRORS},
        {"unimp", x86::LOG_UNIMP}, {"nochain", x86::LOG_NOCHAIN}};
    unsigned m = 0;
    for (const std::string& i : items)
        for (auto& [n, bit] : kMap)
            if (i == n) m |= bit;
    return m;
}

int print_help(const VmConfig& cfg) {
    if (cfg.version) { std::cout << version_text(); return 0; }
    if (cfg.help) { std::cout << help_text(); return 0; }
    if (cfg.machine_help) {
        std::cout << "Supported machines are:\n";
        for (const MachineType& t : machine_types())
            std::printf("%-20s %s\n", t.name, t.desc);
        return 0;
    }
    if (cfg.d_help) { std::cout << log_items_help(); return 1; }
    if (cfg.cpu_help) {
        std::cout << "Available CPUs:\n";
        for (const std::string& n : x86::cpu_model_names()) std::printf("  %s\n", n.c_str());
        return 0;
    }
    if (cfg.device_help) {
        std::cout << "Misc devices:\n";
        for (const DeviceType& t : device_types()) std::printf("name \"%s\", desc \"%s\"\n", t.name, t.desc);
        return 0;
    }
    if (!cfg.device_props_help.empty()) {
        const DeviceType* t = find_device_type(cfg.device_props_help);
        if (!t) throw OptionError("-device " + cfg.device_props_help + ": device '" + cfg.device_props_help + "' is unknown or not supported yet");
        std::printf("%s options:\n", t->name);
        for (const PropertyInfo& p : t->props) std::printf("  %s=<%s> - %s\n", p.name, p.type, p.desc);
        return 0;
    }
    for (const std::string& o : cfg.option_help) {
        std::string h = suboption_help(o);
        if (h.empty()) throw OptionError(o + ": no help available");
        std::cout << h;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    FILE* log = nullptr;
    try {
        VmConfig cfg = parse_command_line(argc, argv);
        if (cfg.wants_help()) return print_help(cfg);
        for (const std::string& w : cfg.warnings) std::fprintf(stderr, "vireo: warning: %s\n", w.c_str());
        reject_unsupported(cfg, capabilities());
        const MachineType* mt = find_machine_type(cfg.machine_type);
        if (!mt) throw OptionError("-machine: unsupported machine type '" + cfg.machine_type + "'");
        std::unique_ptr<Machine> m = mt->create(cfg);
        create_gdbstub(*m, cfg);
        if (!cfg.log_file.empty()) {
            log = std::fopen(cfg.log_file.c_str(), "w");
            if (!log) throw OptionError("-D: cannot open '" + cfg.log_file + "': " + std::strerror(errno));
        }
        m->set_log(log_mask(cfg.log_items), log);
        catch_termination_signals(*m);
        int status = m->run();
        g_signal_machine = nullptr;
        m.reset();
        if (log) std::fclose(log);
        return status;
    } catch (const OptionError& e) {
        std::fprintf(stderr, "vireo: %s\n", e.what());
        if (log) std::fclose(log);
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "vireo: cannot allocate guest memory\n");
        return 1;
    }
}
