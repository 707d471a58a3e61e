// The Machine: owns memory, address spaces, CPUs and their engines, devices and chardevs (no
// globals: two machines can live in one process). Board files in hw/ build one; the main
// loop here runs it.
#pragma once
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_state.h"
#include "jit/block.h"
#include "jit/tier0.h"
#include "softmmu/chardev.h"
#include "softmmu/clock.h"
#include "softmmu/code_tracker.h"
#include "softmmu/device.h"
#include "softmmu/memory.h"
#include "softmmu/options.h"
#include "softmmu/rgb_image.h"

namespace vireo {

class GdbStub;

struct Vcpu {
    std::unique_ptr<x86::CpuState> state;
    std::unique_ptr<jit::Tier0Engine> engine;
};

class Machine : public x86::CpuHost {
public:
    // map_ram: RAM appears at physical 0 in one piece (the mini board); a PC board maps it
    // itself (below and above the 4 GiB PCI hole) through ram_region().
    explicit Machine(const VmConfig& cfg, bool map_ram = true);
    ~Machine() override;
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    const VmConfig& config() const { return cfg_; }
    MemoryRegion& system_memory() { return *sysmem_; }
    MemoryRegion& io_space() { return *iomem_; }
    AddressSpace& memory() { return *mem_as_; }
    AddressSpace& io() { return *io_as_; }
    u8* ram() { return ram_->host(); }
    u64 ram_size() const { return ram_->size(); }
    MemoryRegion* ram_region() { return ram_; }
    // Board-side helper objects (buses, routing tables) that live as long as the machine.
    template <class T>
    T* keep(std::unique_ptr<T> p) {
        T* raw = p.get();
        kept_.push_back(std::shared_ptr<void>(std::move(p)));
        return raw;
    }
    // Keep a region alive for the machine's lifetime.
    MemoryRegion* own(std::unique_ptr<MemoryRegion> r);

    Device* add_device(std::unique_ptr<Device> d);
    const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }
    Chardev* add_chardev(std::unique_ptr<Chardev> c);
    const std::vector<std::unique_ptr<Chardev>>& chardevs() const { return chardevs_; }
    // The chardev labelled `label` (a -chardev id, "serial0", ...), or nullptr.
    Chardev* find_chardev(std::string_view label) const {
        for (const auto& c : chardevs_)
            if (c->label == label) return c.get();
        return nullptr;
    }
    // The chardev for the n-th -serial, or nullptr.
    Chardev* serial(unsigned n) const { return n < serials_.size() ? serials_[n] : nullptr; }
    void set_serial(unsigned n, Chardev* c);

    x86::CpuState& add_cpu(const x86::FeatureSet& features);
    // Architectural reset of one CPU; APs (index > 0) then wait for a SIPI.
    void reset_cpu(x86::CpuState& c);
    std::vector<Vcpu>& cpus() { return cpus_; }
    // The vCPU whose instructions are running now (per-CPU MMIO such as the local APIC).
    x86::CpuState* current_cpu() const { return current_; }

    // Virtual clock in nanoseconds since the machine started (host time for now; -icount
    // later makes it count instructions). Devices take it as their ClockSource.
    u64 clock_ns() const;
    ClockSource clock() const { return [this] { return clock_ns(); }; }
    // A device timer the main loop services: `next` tells when it next needs to run (~0:
    // never), `fire(now)` brings the device up to now.
    void add_timer(std::function<u64()> next, std::function<void(u64 now)> fire);

    // Main loop: runs until an exit request; returns the process exit status.
    int run();
    void request_exit(int status);
    // A termination signal (SIGINT, SIGTERM, SIGHUP); async-signal-safe, for a signal handler.
    // The main loop then reports a SHUTDOWN "host-signal" and exits with status 0, as QEMU.
    void signal_shutdown() {
        signal_pending_.store(true);
        for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
    }
    // The guest powered itself off (ACPI S5): exit with status 0, or with -no-shutdown stop the
    // vCPUs and keep the main loop (monitor, chardevs) running, as QEMU does.
    void guest_shutdown();
    // A reset: guest (port 0xcf9, triple fault) or host (monitor); reason is QEMU's
    // ShutdownCause name, reported in the RESET event.
    void request_reset(bool guest = true, const char* reason = "guest-reset");

    // ---- Run control (QMP stop/cont, the gdbstub) ----
    // A paused machine runs no vCPU instruction; the main loop still serves chardevs and timers.
    // reason is the QEMU RunState the pause shows as: "paused" (stop), "debug" (gdbstub),
    // "shutdown" (-no-shutdown power-off), "prelaunch" (-S, or a reset while paused).
    void pause(const char* reason);
    void resume();
    bool paused() const { return paused_; }
    // QEMU's RunState name: "running" or the reason of the pause.
    const char* run_state() const { return paused_ ? pause_reason_ : "running"; }
    // The host ends the run (QMP or HMP quit): a Shutdown notification, then exit status 0.
    void quit(const char* reason = "host-qmp-quit");
    // The power button (system_powerdown): a Powerdown notification, then on_powerdown.
    // False when the board has no power button.
    bool powerdown();
    // State changes, for QMP events (STOP, RESUME, RESET, SHUTDOWN, POWERDOWN) and the gdbstub.
    enum class RunEvent { Stop, Resume, Reset, Shutdown, Powerdown };
    struct RunChange {
        RunEvent event;
        bool guest = false;       // Reset/Shutdown: the guest asked for it
        const char* reason = "";  // Reset/Shutdown: QEMU's ShutdownCause name ("guest-shutdown", ...)
    };
    // Listeners live as long as the machine; they run synchronously where the change happens.
    void add_run_listener(std::function<void(const RunChange&)> f) { run_listeners_.push_back(std::move(f)); }
    // ---- Debugger support (softmmu/gdbstub.h) ----
    // Breakpoints and watchpoints at linear addresses, for every vCPU (as QEMU's gdbstub). A
    // vCPU reaching a breakpoint, or completing an access a watchpoint matches, pauses the
    // machine with reason "debug"; last_debug_stop() says which and where.
    enum class WatchKind { Write, Read, Access };
    struct DebugStop {
        enum Kind { None, Breakpoint, Watchpoint } kind = None;
        unsigned cpu = 0;
        u64 addr = 0;  // the watchpoint's address
        WatchKind watch = WatchKind::Write;
    };
    bool insert_breakpoint(u64 lin);  // false: already there
    bool remove_breakpoint(u64 lin);  // false: not there
    bool insert_watchpoint(u64 lin, u64 len, WatchKind kind);
    bool remove_watchpoint(u64 lin, u64 len, WatchKind kind);
    void clear_debug_points();
    // Runs one instruction on vCPU idx while paused (a debugger single-step); interrupts are
    // taken first only when take_irqs. Returns a watchpoint hit, or kind None.
    DebugStop step_cpu(unsigned idx, bool take_irqs);
    const DebugStop& last_debug_stop() const { return debug_stop_; }

    // Called on reset, after the CPUs are reset (the board reloads what it loaded).
    std::function<void()> on_reset;
    bool exit_pending() const { return exit_requested_; }
    // The power button (monitor system_powerdown); the board wires it (ICH9 PM power_button()).
    std::function<void()> on_powerdown;
    // Extra `info qtree` lines for a device ("addr = 1f.0" for PCI); the board may set it.
    std::function<std::string(const Device&)> device_props;
    // ---- What the monitor shows or drives that only the board knows (softmmu/monitor.h) ----
    // Each is empty when the board has no such thing; the monitor then answers as QEMU does
    // without it.
    // `info pci`: the board's PCI buses in QEMU's layout (hw/pci/pci_info.h).
    std::function<std::string()> describe_pci;
    // sendkey: a key went down or up on the keyboard, as a PS/2 scan code set 2 code (0xE0xx
    // for extended keys; softmmu/qcode.h names them).
    std::function<void(u16 set2, bool down)> key_event;
    // screendump: what the display shows now; false, with the reason in err, when it cannot.
    std::function<bool(RgbImage& out, std::string& err)> screen;
    // `info jit`: the execution engines' counters, summed over the vCPUs, as name/value rows.
    std::vector<std::pair<std::string, u64>> jit_stats() const;
    // Tier 1 for every vCPU (-accel tcg,tier1=on): blocks run hot_after times are compiled on a
    // background thread. False when tier 1 cannot work in this binary.
    bool enable_tier1(u32 hot_after);
    // The gdbstub started by -gdb/-s or the monitor's gdbserver (softmmu/gdbstub.h), or nullptr.
    GdbStub* gdbstub = nullptr;
    // Detach a chardev nobody uses any more (a stopped gdbserver): it gets no more input and is
    // closed at the next main-loop turn (not at once: the main loop may be delivering to it).
    void remove_chardev(Chardev* c);

    // Logging (-d / -D).
    void set_log(unsigned mask, FILE* f) { log_mask_ = mask; log_file_ = f; }

    // ---- x86::CpuHost ----
    u8* ram_page(u64 paddr, bool write) override;
    u64 phys_read(u64 paddr, unsigned size) override;
    void phys_write(u64 paddr, u64 value, unsigned size) override;
    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, u32 value, unsigned size) override;
    bool is_code_page(u64 ppage) override { return tracker_.is_code(ppage); }
    int acknowledge_interrupt() override { return irq_ack ? irq_ack() : -1; }
    bool msr_read(u32 index, u64& value) override { return msr_read_hook && msr_read_hook(index, value); }
    bool msr_write(u32 index, u64 value) override { return msr_write_hook && msr_write_hook(index, value); }
    void msr_changed(u32 index, u64 value) override {
        if (msr_changed_hook) msr_changed_hook(index, value);
    }
    void x87_ferr() override {
        if (x87_ferr_hook) x87_ferr_hook();
    }
    void debug_access(u64 lin, unsigned size, bool write) override;
    void shutdown_request(const char* why) override;
    u64 tsc() override;
    u64 random_u64() override;
    bool log_enabled(unsigned mask) override { return log_mask_ & mask; }
    void log(const char* text) override;
    // Board hooks for the CpuHost calls above; they act on current_cpu().
    std::function<int()> irq_ack;
    std::function<bool(u32, u64&)> msr_read_hook;
    std::function<bool(u32, u64)> msr_write_hook;
    std::function<void(u32, u64)> msr_changed_hook;
    std::function<void()> x87_ferr_hook;

private:
    void reset_all();
    void poll_io(int timeout_ms);
    // After a device changed the memory map (PAM, BARs, PCIEXBAR): every CPU's TLB and every
    // translation may point at what is no longer there.
    void check_memory_map();
    u64 seen_map_gen_ = 0;
    x86::CpuState* current_ = nullptr;
    std::vector<std::shared_ptr<void>> kept_;
    u64 run_timers();  // fires due timers; returns the next deadline (~0: none)
    struct Timer {
        std::function<u64()> next;
        std::function<void(u64)> fire;
    };
    std::vector<Timer> timers_;
    u64 start_ns_;
    const VmConfig& cfg_;
    std::vector<std::unique_ptr<MemoryRegion>> regions_;
    std::unique_ptr<MemoryRegion> sysmem_, iomem_;
    MemoryRegion* ram_ = nullptr;
    std::unique_ptr<AddressSpace> mem_as_, io_as_;
    CodePageTracker tracker_;
    jit::BlockCache cache_;
    std::unique_ptr<jit::Tier1Compiler> tier1_;  // outlives the engines (declared before them)
    std::vector<Vcpu> cpus_;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<std::unique_ptr<Chardev>> chardevs_;
    std::vector<std::unique_ptr<Chardev>> removed_chardevs_;  // closed by the next poll_io()
    std::vector<Chardev*> serials_;
    bool exit_requested_ = false;
    std::atomic<bool> signal_pending_{false};
    int exit_status_ = 0;
    bool reset_requested_ = false;
    bool paused_ = false;
    void debug_points_changed();
    jit::BreakpointSet breakpoints_;
    struct Watchpoint {
        u64 addr, len;
        WatchKind kind;
    };
    std::vector<Watchpoint> watchpoints_;
    DebugStop debug_stop_;
    bool debug_stop_pending_ = false;
    const char* pause_reason_ = "paused";
    bool reset_guest_ = true;
    const char* reset_reason_ = "guest-reset";
    std::vector<std::function<void(const RunChange&)>> run_listeners_;
    void notify(const RunChange& c) {
        for (auto& f : run_listeners_) f(c);
    }
    unsigned log_mask_ = 0;
    FILE* log_file_ = nullptr;
    u64 rng_state_;
};

}  // namespace vireo
