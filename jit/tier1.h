// Tier 1 (ARCHITECTURE.md "Execution", "Semantics" (a)): a hot block's ops become one host
// function. The handlers the block uses are cloned out of the semantics bitcode (the CPU layer
// compiled by the same clang a second time, jit/CMakeLists.txt), called with each op as a
// constant and inlined by LLVM, so register numbers, immediates and addressing fold away and
// nothing is dispatched. Whatever is not inlined calls the native functions of this binary.
// The only file with LLVM in it is tier1.cc.
#pragma once
#include <atomic>
#include <memory>
#include <vector>
#include "frontend-x86/op.h"

namespace vireo::jit {

// Runs ops[0..] like tier 0's loop: before op i it stores i in CpuState::tier1_op (a fault
// names its instruction), after it stops when block_break is set; returns the index of the op
// that ended the block.
using Tier1Fn = u32 (*)(x86::CpuState&);

class Tier1Compiler {
public:
    Tier1Compiler();
    ~Tier1Compiler();
    // False when tier 1 cannot work here (no symbol table in the binary). LLVM and the
    // semantics bitcode are loaded by the first compile, on the thread that compiles.
    bool available() const { return available_; }
    // Loads LLVM, the symbol table and the bitcode now instead of at the first compile (for
    // benchmarks that should not time it). On the thread that will compile.
    void prepare();
    // A function for these ops (a copy of a block's), or nullptr when some handler cannot be
    // lifted (tier 0 keeps running the block). Synchronous; not to be mixed with submit().
    Tier1Fn compile(const std::vector<x86::Op>& ops);

    // Background compilation (ARCHITECTURE.md: the vCPU never waits for LLVM): submit() queues
    // a copy of the ops with the block's identity and returns at once; a worker thread
    // compiles; poll() hands back what is done (fn nullptr: could not be compiled), for
    // whichever engine asks (the block cache is shared). pending() is cheap.
    struct BlockId {
        u64 phys, pc, serial;
        u32 flags;
    };
    struct Done {
        BlockId id;
        Tier1Fn fn;
    };
    void submit(const BlockId& id, std::vector<x86::Op> ops);
    void poll(std::vector<Done>& out);
    bool pending() const;

    struct Stats {
        u64 compiled = 0, failed = 0;
        double seconds = 0;
    };
    // A snapshot; safe while the compile thread runs.
    Stats stats() const {
        return {compiled_.load(std::memory_order_relaxed), failed_.load(std::memory_order_relaxed),
                static_cast<double>(nanos_.load(std::memory_order_relaxed)) * 1e-9};
    }

private:
    struct Impl;
    struct Worker;
    bool available_;
    std::unique_ptr<Impl> impl_;  // made by the first compile()
    std::unique_ptr<Worker> worker_;  // started by the first submit()
    std::atomic<u64> compiled_{0}, failed_{0}, nanos_{0};
};

}  // namespace vireo::jit
