// Tier 0: runs pre-decoded blocks (ARCHITECTURE.md "Execution"). Portable C++ only.
#pragma once
#include <unordered_set>
#include "frontend-x86/cpu_state.h"
#include "jit/block.h"
#include "jit/tier1.h"
#include "softmmu/code_tracker.h"

namespace vireo::jit {

// Debug: stopped before an instruction at a debugger breakpoint (nothing of it has run).
enum class RunExit { Budget, Halted, Exit, Debug };

// Debugger breakpoints (softmmu/gdbstub.h): linear addresses (CS base + IP outside 64-bit mode).
// As QEMU's TCG does, translation ends a block before every breakpoint, so each one is a block
// start, and the run loop checks the set before each block. The owner flushes the block cache
// whenever the set changes (blocks translated before do not end at the new breakpoints).
using BreakpointSet = std::unordered_set<u64>;

struct EngineStats {
    u64 blocks_translated = 0;
    u64 insns_translated = 0;
    u64 block_execs = 0;
};

class Tier0Engine {
public:
    Tier0Engine(x86::CpuState& c, BlockCache& cache, CodePageTracker& tracker);
    // Run until about max_insns instructions retired, a HLT with nothing pending, or an exit
    // request (IRQ_EXIT). Guest faults are delivered to the guest, never returned.
    RunExit run(u64 max_insns);
    const EngineStats& stats() const { return stats_; }
    // Max instructions per block (1 makes every block a single instruction, as -singlestep).
    void set_single_step(bool on) { force_single_ = on; }
    // Debugger support. bps: breakpoints to stop at (nullptr or empty: none; the set outlives
    // the engine's use of it). watch: every data access takes the checked slow path (MMU_CHECKED),
    // where CpuHost::debug_access() sees it (gdb watchpoints).
    void set_debug(const BreakpointSet* bps, bool watch) {
        bps_ = bps && !bps->empty() ? bps : nullptr;
        watch_ = watch;
        c_.debug_watch = watch;
    }
    // Runs exactly one instruction (a debugger single-step: a one-instruction block, breakpoints
    // not checked). With take_irqs false (QEMU's default) no interrupt or event is taken before
    // it; otherwise a pending interrupt is delivered and the step ends at the handler's entry.
    RunExit step(bool take_irqs);
    // Tier 1: blocks run hot_after times are compiled, and run compiled from then on; async:
    // on the compiler's thread (the block keeps running on tier 0 meanwhile), else at once.
    // nullptr: tier 0 only.
    void set_tier1(Tier1Compiler* t1, u32 hot_after = 1000, bool async = false) {
        tier1_ = t1 && t1->available() ? t1 : nullptr;
        hot_after_ = hot_after;
        tier1_async_ = async;
    }

private:
    Block* lookup();
    Block* translate(u64 pc, u32 flags);
    void execute(Block* b);
    bool take_interrupts();
    void log_block(const Block* b);
    bool at_breakpoint() const;

    x86::CpuState& c_;
    BlockCache& cache_;
    CodePageTracker& tracker_;
    static constexpr unsigned kJmpCacheSize = 4096;
    Block* jmp_cache_[kJmpCacheSize] = {};
    u64 jmp_gen_ = 0;
    bool force_single_ = false;
    bool step_mode_ = false;  // lookups ask for one-instruction blocks (step())
    const BreakpointSet* bps_ = nullptr;
    bool watch_ = false;
    Tier1Compiler* tier1_ = nullptr;
    u32 hot_after_ = 1000;
    bool tier1_async_ = false;
    std::vector<Tier1Compiler::Done> tier1_done_;
    void install_tier1();
    EngineStats stats_;
    std::vector<x86::Op> scratch_ops_;
    std::vector<x86::DecodedInsn> scratch_insns_;
};

u32 block_flags(const x86::CpuState& c);

}  // namespace vireo::jit
