// Tier 0: runs pre-decoded blocks (ARCHITECTURE.md "Execution"). Portable C++ only.
#pragma once
#include "frontend-x86/cpu_state.h"
#include "jit/block.h"
#include "softmmu/code_tracker.h"

namespace vireo::jit {

enum class RunExit { Budget, Halted, Exit };

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

private:
    Block* lookup();
    Block* translate(u64 pc, u32 flags);
    void execute(Block* b);
    bool take_interrupts();
    void log_block(const Block* b);

    x86::CpuState& c_;
    BlockCache& cache_;
    CodePageTracker& tracker_;
    static constexpr unsigned kJmpCacheSize = 4096;
    Block* jmp_cache_[kJmpCacheSize] = {};
    u64 jmp_gen_ = 0;
    bool force_single_ = false;
    EngineStats stats_;
    std::vector<x86::Op> scratch_ops_;
    std::vector<x86::DecodedInsn> scratch_insns_;
};

u32 block_flags(const x86::CpuState& c);

}  // namespace vireo::jit
