// The GDB remote serial protocol stub (-gdb DEV, -s = -gdb tcp::1234), as QEMU's gdbstub:
// all-stop mode, vCPUs as threads 1..N, breakpoints/watchpoints kept by the Machine (never
// patched into guest memory), single-step with interrupts masked by default.
//
// Registers: the target description (qXfer:features:read target.xml) is always the 64-bit
// i386:x86-64 layout (core, SSE, segment bases, AVX upper halves, and system registers:
// k_gs_base, cr0, cr2, cr3, cr4, cr8, efer), whatever mode the CPU is in, so the 'g' packet
// never changes size across real -> protected -> long mode switches (QEMU's "Remote 'g' packet
// reply is too long" failure cannot happen). Narrower values are zero-extended.
//
// Addresses are linear, in every mode: memory packets (m/M) take linear addresses, translated
// through the current paging mode without side effects (no accessed/dirty bits, no faults);
// breakpoints and watchpoints are linear addresses; and the pc ("rip") is presented as the
// linear address CS.base + IP outside 64-bit mode (a write subtracts CS.base). So in real
// mode at F000:E05B gdb sees pc = 0xfe05b, `x/i $pc` reads the right bytes, and `break
// *0x7c00` stops where $pc == 0x7c00. The other registers are their architectural values.
// Writing a segment register in real or virtual-8086 mode sets its base to selector * 16; in
// protected mode only the selector changes (the descriptor cache stays).
//
// Robustness: packets longer than PacketSize, bad checksums ('-' in ack mode), malformed
// arguments (an "E" reply) and bytes outside packets (ignored) never stop the emulator; a
// client that goes away is as a detach (debug points removed, a debugger pause resumed), and
// the listening socket accepts the next client.
#pragma once
#include <memory>
#include <string>
#include "softmmu/chardev.h"

namespace vireo {

class Machine;
class Monitor;

class GdbStub {
public:
    // Speaks RSP on chr (a socket chardev); the machine outlives the stub.
    GdbStub(Machine& m, Chardev* chr);
    ~GdbStub();
    GdbStub(const GdbStub&) = delete;
    GdbStub& operator=(const GdbStub&) = delete;

    // Bytes from the client (what the chardev delivers); public for tests.
    void input(const u8* data, size_t len);

    static constexpr size_t kMaxPacket = 0x4000;  // PacketSize advertised in qSupported

    // Stops serving (the monitor's "gdbserver none", or another gdbserver): a client is
    // detached as if it went away, and a chardev the stub opened itself is closed. The object
    // stays (the machine keeps it) but does nothing more.
    void stop();

private:
    void on_event(ChardevEvent e);
    void on_run_change(bool stopped);
    void handle_packet(const std::string& p);
    void send_packet(const std::string& payload);
    void send_raw(std::string_view s);
    std::string stop_reply(int signal, unsigned cpu) const;
    std::string handle_query(const std::string& p);
    std::string handle_vcont(const std::string& p);
    std::string step(unsigned cpu, bool set_pc, u64 pc);
    void cont();
    void detach();
    // Linear-address memory access through cpu g_cpu_'s paging; false if unmapped or not RAM/ROM.
    bool memory_rw(u64 lin, u8* buf, size_t len, bool write);
    unsigned cpu_count() const;
    // Thread id (1-based; 0 any, -1 all) to a CPU index; false if no such thread.
    bool thread_cpu(long tid, unsigned& cpu) const;

    Machine& m_;
    Chardev* chr_;
    bool owns_chr_ = false;  // opened by start_gdbstub() (closed by stop())
    friend GdbStub* start_gdbstub(Machine& m, const std::string& device, const char* option);
    std::unique_ptr<Monitor> monitor_;  // qRcmd runs its commands (on a null chardev)

    enum class State { Idle, Data, Csum1, Csum2 } state_ = State::Idle;
    std::string buf_;
    bool oversized_ = false;
    u8 csum_ = 0, rx_csum_ = 0;
    bool csum_bad_digit_ = false;
    bool no_ack_ = false;
    std::string last_sent_;

    bool connected_ = false;
    bool attached_ = false;     // connected and not detached ('D')
    bool waiting_ = false;      // gdb resumed the target and waits for a stop reply
    unsigned g_cpu_ = 0;        // Hg: registers and memory
    unsigned c_cpu_ = 0;        // Hc: step/continue
    unsigned sstep_flags_ = 7;  // QEMU's qqemu.sstep bits: 1 ENABLE, 2 NOIRQ, 4 NOTIMER
};

// A stub on `device` ("tcp::1234", "unix:PATH", "chardev:ID", any chardev shorthand) in
// place of the machine's current one (Machine::gdbstub), which stops; "none" only stops it
// and returns nullptr. `option` names the option or command in errors (OptionError).
GdbStub* start_gdbstub(Machine& m, const std::string& device, const char* option);

// The stub for cfg.gdb ("tcp::1234", "unix:PATH", "chardev:ID", ...), owned by m; nullptr when
// -gdb/-s is absent or "none". A tcp:/unix: shorthand listens without waiting, as QEMU's.
// Throws OptionError naming the option on bad input.
GdbStub* create_gdbstub(Machine& m, const VmConfig& cfg);

}  // namespace vireo
