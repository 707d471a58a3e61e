// The human monitor (HMP, QEMU's "(qemu) " prompt) on a chardev: -monitor DEV, -mon
// chardev=ID,mode=readline, -serial mon:DEV and -nographic's Ctrl-A c. Minimal line editing
// (printable characters, backspace, Ctrl-U, Enter; escape sequences are ignored).
// Commands: help/?, info {status,registers [-a],qtree,mtree,version,cpus,pci,irq,jit},
// system_reset, system_powerdown, stop, cont/c, quit/q (monitor.cc); cpu, x, xp, sendkey,
// screendump, gdbserver (monitor_cmds.cc). Output follows QEMU 7.2's where practical.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "softmmu/chardev.h"
#include "softmmu/memory_dump.h"

namespace vireo {

namespace x86 {
struct CpuState;
}
class Machine;

class Monitor {
public:
    static constexpr const char* kPrompt = "(qemu) ";  // kept for scripts written for QEMU

    // Attaches to chr (its input and events). Greets at once when chr is open and not a mux
    // port waiting for the focus.
    Monitor(Machine& m, Chardev* chr);
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    // Bytes typed by the user (what the chardev delivers).
    void input(const u8* data, size_t len);
    // Runs one command line and returns its output (without prompt): for tests and scripts.
    std::string execute(const std::string& line);

    using Handler = std::function<void(Monitor&, const std::string& args, std::string& out)>;
    // More commands ("name|alias"), e.g. from a board: `help` lists them.
    void add_command(const std::string& names, const std::string& params, const std::string& help, Handler h);
    void add_info(const std::string& name, const std::string& help, Handler h);

private:
    struct Command {
        std::string names, params, help;
        Handler handler;
    };
    void greet();
    void on_event(ChardevEvent e);
    void print(std::string_view s);
    const Command* find(const std::vector<Command>& list, const std::string& name) const;
    void add_builtins();
    void add_machine_commands();  // monitor_cmds.cc
    // The CPU the monitor's commands act on (QEMU's mon_get_cpu; `cpu N` changes it), or
    // nullptr on a machine without CPUs.
    x86::CpuState* current_cpu();

    Machine& m_;
    Chardev* chr_;
    std::vector<Command> commands_, infos_;
    std::string line_;
    bool greeted_ = false;
    bool last_cr_ = false;
    int escape_state_ = 0;  // inside an ESC [ ... sequence
    unsigned cpu_index_ = 0;
    DumpDefaults dump_defaults_;  // x/xp remember the last format and size, as QEMU's
    // sendkey: keys still held, released (in this order) once their time has come.
    struct HeldKey {
        u64 release_ns;
        u16 set2;
    };
    std::shared_ptr<std::vector<HeldKey>> held_keys_;
};

// An HMP monitor on chr, owned by m.
Monitor* create_monitor(Machine& m, Chardev* chr);

// QEMU's -serial list after its defaults (vl.c): the -serial options as given; without any,
// and unless -nodefaults: "mon:stdio" with -nographic when the default monitor applies (no
// -monitor/-qmp/-mon), "stdio" with -nographic otherwise, else "null" (QEMU's "vc").
std::vector<std::string> default_serial_specs(const VmConfig& cfg);

// The chardev of every serial port, in port order ("none" entries take no port): creates the
// -chardevs first, and the monitor of a "mon:DEV". Labels are "serial0", "serial1", ... as QEMU.
std::vector<Chardev*> create_serial_chardevs(Machine& m, const VmConfig& cfg);

// -monitor DEV, -mon chardev=ID,mode=readline, and QEMU's default monitor (-nographic with
// -serial given: on stdio). Call after create_serial_chardevs(). -qmp, -qmp-pretty and
// -mon mode=control get a QMP server (qmp.h).
void create_monitors(Machine& m, const VmConfig& cfg);

}  // namespace vireo
