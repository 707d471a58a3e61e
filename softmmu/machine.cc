// Machine and main loop (machine.h).
#include "softmmu/machine.h"

#include <chrono>
#include <poll.h>
#include <random>
#include "frontend-x86/mem_access.h"

namespace vireo {

namespace {
u64 host_ns() {
    using namespace std::chrono;
    return static_cast<u64>(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
}
}  // namespace

Machine::Machine(const VmConfig& cfg, bool map_ram) : cfg_(cfg) {
    start_ns_ = host_ns();
    if (cfg.start_paused) {  // -S: no STOP event, the machine never ran (QEMU's "prelaunch")
        paused_ = true;
        pause_reason_ = "prelaunch";
    }
    sysmem_ = MemoryRegion::container("system", 0);  // size 0: the whole 64-bit space
    iomem_ = MemoryRegion::container("io", 0x10000);
    ram_ = own(MemoryRegion::ram("ram", cfg.ram_size));
    if (map_ram) sysmem_->add_subregion(ram_, 0, 0);
    mem_as_ = std::make_unique<AddressSpace>("memory", sysmem_.get(), 0);
    io_as_ = std::make_unique<AddressSpace>("I/O", iomem_.get(), ~0ull);
    // DMA writes into translated code drop the blocks (ARCHITECTURE.md "Self-modifying code").
    mem_as_->write_hook = [this](u64 addr, u64 len) { tracker_.written(addr, len); };
    tracker_.on_invalidate = [this](u64 ppage) { cache_.invalidate_page(ppage); };
    mem_as_->unassigned_hook = [this](u64 addr, unsigned size, bool write) {
        if (!log_enabled(x86::LOG_GUEST_ERRORS)) return;
        char line[96];
        std::snprintf(line, sizeof line, "unassigned memory %s of %u bytes at %016llx\n", write ? "write" : "read",
                      size, static_cast<unsigned long long>(addr));
        log(line);
    };
    rng_state_ = std::random_device{}();
}

Machine::~Machine() = default;

MemoryRegion* Machine::own(std::unique_ptr<MemoryRegion> r) {
    regions_.push_back(std::move(r));
    return regions_.back().get();
}

Device* Machine::add_device(std::unique_ptr<Device> d) {
    d->realize(*this);
    devices_.push_back(std::move(d));
    return devices_.back().get();
}

Chardev* Machine::add_chardev(std::unique_ptr<Chardev> c) {
    chardevs_.push_back(std::move(c));
    return chardevs_.back().get();
}

void Machine::remove_chardev(Chardev* c) {
    for (auto it = chardevs_.begin(); it != chardevs_.end(); ++it) {
        if (it->get() != c) continue;
        c->on_input = nullptr;
        c->can_receive = nullptr;
        c->on_event = nullptr;
        removed_chardevs_.push_back(std::move(*it));
        chardevs_.erase(it);
        return;
    }
}

std::vector<std::pair<std::string, u64>> Machine::jit_stats() const {
    jit::EngineStats sum;
    u64 retired = 0;
    for (const Vcpu& v : cpus_) {
        const jit::EngineStats& s = v.engine->stats();
        sum.blocks_translated += s.blocks_translated;
        sum.insns_translated += s.insns_translated;
        sum.block_execs += s.block_execs;
        retired += v.state->insn_count;
    }
    return {
        {"blocks_translated", sum.blocks_translated},
        {"insns_translated", sum.insns_translated},
        {"block_execs", sum.block_execs},
        {"insns_retired", retired},
        {"block_cache_size", cache_.size()},
        {"block_cache_generation", cache_.generation()},
        // Tier 1 (-accel tcg,tier1=on): blocks compiled, blocks that could not be, time spent.
        {"tier1_compiled", tier1_ ? tier1_->stats().compiled : 0},
        {"tier1_failed", tier1_ ? tier1_->stats().failed : 0},
        {"tier1_compile_ms", tier1_ ? static_cast<u64>(tier1_->stats().seconds * 1000) : 0},
    };
}

void Machine::set_serial(unsigned n, Chardev* c) {
    if (serials_.size() <= n) serials_.resize(n + 1, nullptr);
    serials_[n] = c;
}

bool Machine::enable_tier1(u32 hot_after) {
    if (!tier1_) tier1_ = std::make_unique<jit::Tier1Compiler>();
    if (!tier1_->available()) return false;
    for (Vcpu& v : cpus_) v.engine->set_tier1(tier1_.get(), hot_after, true);
    return true;
}

x86::CpuState& Machine::add_cpu(const x86::FeatureSet& features) {
    Vcpu v;
    v.state = std::make_unique<x86::CpuState>();
    v.state->host = this;
    v.state->features = features;
    v.state->cpu_index = static_cast<u32>(cpus_.size());
    tracker_.add_cpu(v.state.get());
    reset_cpu(*v.state);
    v.engine = std::make_unique<jit::Tier0Engine>(*v.state, cache_, tracker_);
    cpus_.push_back(std::move(v));
    return *cpus_.back().state;
}

void Machine::reset_cpu(x86::CpuState& c) {
    x86::cpu_reset(c);
    // IA32_APIC_BASE after RESET (SDM Vol. 3A 10.4.4): 0xfee00000, enabled, BSP flag on CPU 0.
    c.apic_base = 0xfee00800ull | (c.cpu_index == 0 ? 0x100 : 0);
    // Application processors wait for INIT-SIPI-SIPI (SDM Vol. 3A 10.4.4.1).
    c.wait_for_sipi = c.halted = c.cpu_index != 0;
    c.interrupt_request.fetch_and(x86::IRQ_EXIT);
}

u8* Machine::ram_page(u64 paddr, bool write) { return mem_as_->host_ptr(paddr & ~0xfffull, 4096, write); }
u64 Machine::phys_read(u64 paddr, unsigned size) { return mem_as_->read(paddr, size); }
void Machine::phys_write(u64 paddr, u64 value, unsigned size) {
    mem_as_->write(paddr, value, size);
    if (sysmem_->generation() != seen_map_gen_) check_memory_map();
}
u32 Machine::io_read(u16 port, unsigned size) { return static_cast<u32>(io_as_->read(port, size)); }
void Machine::io_write(u16 port, u32 value, unsigned size) {
    io_as_->write(port, value, size);
    if (sysmem_->generation() != seen_map_gen_) check_memory_map();
    // A device may have asked to stop (debug-exit, reset): leave the block now.
    if (exit_requested_ || reset_requested_)
        for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
}

void Machine::check_memory_map() {
    seen_map_gen_ = sysmem_->generation();
    for (auto& v : cpus_) x86::tlb_flush_all(*v.state);
    cache_.invalidate_all();
    // The running block may have been translated from what just went away: leave it.
    for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
}

void Machine::shutdown_request(const char* why) {
    if (log_enabled(x86::LOG_GUEST_ERRORS) || log_enabled(x86::LOG_INT)) {
        std::string s = std::string(why) + ": machine reset\n";
        log(s.c_str());
    }
    request_reset();
}

u64 Machine::tsc() { return host_ns(); }

u64 Machine::clock_ns() const { return host_ns() - start_ns_; }

void Machine::add_timer(std::function<u64()> next, std::function<void(u64)> fire) {
    timers_.push_back({std::move(next), std::move(fire)});
}

u64 Machine::run_timers() {
    if (timers_.empty()) return ~0ull;
    const u64 now = clock_ns();
    u64 soonest = ~0ull;
    for (Timer& t : timers_) {
        if (t.next() <= now) t.fire(now);
        soonest = std::min(soonest, t.next());
    }
    return soonest;
}

u64 Machine::random_u64() {
    // splitmix64 seeded from the host's random_device (RDRAND/RDSEED source).
    u64 z = (rng_state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void Machine::log(const char* text) {
    FILE* f = log_file_ ? log_file_ : stderr;
    std::fputs(text, f);
}

void Machine::request_exit(int status) {
    if (!exit_requested_) exit_status_ = status;
    exit_requested_ = true;
    for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
}

void Machine::guest_shutdown() {
    notify({RunEvent::Shutdown, true, "guest-shutdown"});
    if (!cfg_.no_shutdown) return request_exit(0);
    pause("shutdown");  // QEMU: SHUTDOWN, then STOP
}

void Machine::request_reset(bool guest, const char* reason) {
    reset_requested_ = true;
    reset_guest_ = guest;
    reset_reason_ = reason;
    for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
}

void Machine::pause(const char* reason) {
    const bool was_paused = paused_;
    paused_ = true;
    pause_reason_ = reason;
    for (auto& v : cpus_) v.state->interrupt_request.fetch_or(x86::IRQ_EXIT);
    if (!was_paused) notify({RunEvent::Stop});
}

void Machine::resume() {
    if (!paused_) return;
    paused_ = false;
    notify({RunEvent::Resume});
}

void Machine::quit(const char* reason) {
    notify({RunEvent::Shutdown, false, reason});
    request_exit(0);
}

bool Machine::powerdown() {
    if (!on_powerdown) return false;
    notify({RunEvent::Powerdown});
    on_powerdown();
    return true;
}

void Machine::reset_all() {
    reset_requested_ = false;
    // QEMU: a reset while paused (stop, -no-shutdown power-off) leaves the machine paused in
    // "prelaunch"; cont starts it.
    if (paused_) pause_reason_ = "prelaunch";
    notify({RunEvent::Reset, reset_guest_, reset_reason_});
    cache_.invalidate_all();
    for (auto& v : cpus_) {
        v.state->interrupt_request.store(0);
        reset_cpu(*v.state);
    }
    for (auto& d : devices_) d->reset();
    if (on_reset) on_reset();
}

// ---- Debugger support ----

void Machine::debug_points_changed() {
    // Blocks translated before do not end at the new breakpoints (jit/tier0.h).
    cache_.invalidate_all();
    for (auto& v : cpus_) {
        v.engine->set_debug(&breakpoints_, !watchpoints_.empty());
        if (watchpoints_.empty()) x86::update_mode(*v.state);  // leave MMU_CHECKED if not needed
        v.state->jmp_cache_stale = true;
    }
}

bool Machine::insert_breakpoint(u64 lin) {
    if (!breakpoints_.insert(lin).second) return false;
    debug_points_changed();
    return true;
}

bool Machine::remove_breakpoint(u64 lin) {
    if (!breakpoints_.erase(lin)) return false;
    debug_points_changed();
    return true;
}

bool Machine::insert_watchpoint(u64 lin, u64 len, WatchKind kind) {
    if (len == 0) return false;
    watchpoints_.push_back({lin, len, kind});
    debug_points_changed();
    return true;
}

bool Machine::remove_watchpoint(u64 lin, u64 len, WatchKind kind) {
    for (auto it = watchpoints_.begin(); it != watchpoints_.end(); ++it)
        if (it->addr == lin && it->len == len && it->kind == kind) {
            watchpoints_.erase(it);
            debug_points_changed();
            return true;
        }
    return false;
}

void Machine::clear_debug_points() {
    breakpoints_.clear();
    watchpoints_.clear();
    debug_points_changed();
}

void Machine::debug_access(u64 lin, unsigned size, bool write) {
    if (watchpoints_.empty() || !current_ || debug_stop_pending_) return;
    for (const Watchpoint& w : watchpoints_) {
        if (lin + size <= w.addr || lin >= w.addr + w.len) continue;
        if (w.kind == WatchKind::Write && !write) continue;
        if (w.kind == WatchKind::Read && write) continue;
        // A trap after the access's instruction, as a data breakpoint (SDM Vol. 3A 17.3.1.2):
        // the block ends after it and the engine returns to the main loop, which pauses.
        debug_stop_ = {DebugStop::Watchpoint, current_->cpu_index, w.addr, w.kind};
        debug_stop_pending_ = true;
        current_->block_break = true;
        current_->rip_fixup = true;
        current_->interrupt_request.fetch_or(x86::IRQ_EXIT);
        return;
    }
}

Machine::DebugStop Machine::step_cpu(unsigned idx, bool take_irqs) {
    DebugStop r;
    if (idx >= cpus_.size()) return r;
    if (sysmem_->generation() != seen_map_gen_) check_memory_map();
    Vcpu& v = cpus_[idx];
    current_ = v.state.get();
    debug_stop_pending_ = false;
    v.engine->step(take_irqs);
    if (debug_stop_pending_) {
        r = debug_stop_;
        debug_stop_pending_ = false;
    }
    return r;
}

void Machine::poll_io(int timeout_ms) {
    removed_chardevs_.clear();  // nothing is delivering to them now
    std::vector<pollfd> fds;
    std::vector<Chardev*> owners;
    for (auto& c : chardevs_) {
        int fd = c->input_fd();
        if (fd < 0) continue;
        fds.push_back({fd, POLLIN, 0});
        owners.push_back(c.get());
    }
    if (fds.empty()) {
        if (timeout_ms > 0) ::poll(nullptr, 0, timeout_ms);
        return;
    }
    if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
    for (size_t i = 0; i < fds.size(); i++)
        if (fds[i].revents & (POLLIN | POLLHUP)) owners[i]->pump_input();
}

int Machine::run() {
    constexpr u64 kSlice = 200000;  // instructions per vCPU turn (round-robin on one thread)
    for (auto& v : cpus_) v.state->yield_on_pause = cpus_.size() > 1;
    while (!exit_requested_) {
        bool any_runnable = false;
        if (sysmem_->generation() != seen_map_gen_) check_memory_map();
        for (auto& v : cpus_) {
            if (paused_) break;
            current_ = v.state.get();
            jit::RunExit e = v.engine->run(kSlice);
            if (e != jit::RunExit::Halted) any_runnable = true;
            if (VIREO_UNLIKELY(e == jit::RunExit::Debug || debug_stop_pending_)) {
                if (!debug_stop_pending_) debug_stop_ = {DebugStop::Breakpoint, v.state->cpu_index};
                debug_stop_pending_ = false;
                pause("debug");
            }
            if (exit_requested_ || reset_requested_) break;
        }
        const u64 deadline = run_timers();
        if (VIREO_UNLIKELY(signal_pending_.exchange(false))) quit("host-signal");
        if (exit_requested_) break;
        if (reset_requested_) {
            if (cfg_.no_reboot) {
                notify({RunEvent::Shutdown, reset_guest_, reset_reason_});
                request_exit(0);  // -no-reboot: a reset ends the run (QEMU exits 0)
                break;
            }
            reset_all();
            continue;
        }
        // Halted CPUs sleep until input arrives or the next timer is due (HLT sleeps).
        int wait_ms = 0;
        if (!any_runnable) {
            const u64 now = clock_ns();
            wait_ms = deadline == ~0ull ? 10 : deadline <= now ? 0 : static_cast<int>(std::min<u64>((deadline - now + 999999) / 1000000, 10));
        }
        poll_io(wait_ms);
    }
    std::fflush(stdout);
    if (log_file_) std::fflush(log_file_);
    return exit_status_;
}

}  // namespace vireo
