// The Machine: owns memory, address spaces, CPUs and their engines, devices and chardevs (no
// globals: two machines can live in one process). Board files in hw/ build one; the main
// loop here runs it.
#pragma once
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

namespace vireo {

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
    // The guest powered itself off (ACPI S5): exit with status 0, or with -no-shutdown stop the
    // vCPUs and keep the main loop (monitor, chardevs) running, as QEMU does.
    void guest_shutdown();
    bool paused() const { return paused_; }
    void request_reset();
    // Called on reset, after the CPUs are reset (the board reloads what it loaded).
    std::function<void()> on_reset;
    bool exit_pending() const { return exit_requested_; }
    // The power button (monitor system_powerdown); the board wires it (ICH9 PM power_button()).
    std::function<void()> on_powerdown;
    // Extra `info qtree` lines for a device ("addr = 1f.0" for PCI); the board may set it.
    std::function<std::string(const Device&)> device_props;

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
    std::vector<Vcpu> cpus_;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<std::unique_ptr<Chardev>> chardevs_;
    std::vector<Chardev*> serials_;
    bool exit_requested_ = false;
    int exit_status_ = 0;
    bool reset_requested_ = false;
    bool paused_ = false;
    unsigned log_mask_ = 0;
    FILE* log_file_ = nullptr;
    u64 rng_state_;
};

}  // namespace vireo
