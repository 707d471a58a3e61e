// Translation blocks and the block cache (ARCHITECTURE.md "Execution").
// A block is keyed by its guest physical start, its virtual PC and the mode bits that change
// decoding; blocks are indexed by the physical pages they were decoded from so a write to such
// a page drops them.
#pragma once
#include <memory>
#include <unordered_map>
#include <vector>
#include "frontend-x86/op.h"

namespace vireo::jit {

// Mode bits that change what a block decodes to (block_flags()).
enum : u32 { BF_CODE16 = 0, BF_CODE32 = 1, BF_CODE64 = 2, BF_SINGLE = 1u << 4 };

struct Block {
    u64 pc = 0;        // virtual (CS-relative) start
    u64 cs_base = 0;   // CS base it was found under (0 in 64-bit mode): pc alone is not a
                       // virtual address in real and protected mode
    u64 phys = 0;      // physical start
    u64 phys_page2 = ~0ull;  // second page when the last instruction crosses a page
    u32 flags = 0;
    bool valid = true;
    // Chaining: the blocks that followed this one last time (taken / fall-through), checked
    // against the new RIP, the mode flags and the cache generation before use.
    Block* succ[2] = {};
    u64 succ_gen = 0;
    // Tier 1 (jit/tier1.h): executions so far, and the compiled function once there is one.
    // serial tells this translation from a later one of the same code (BlockCache::insert).
    u64 serial = 0;
    u32 heat = 0;
    bool tier1_tried = false;
    u32 (*tier1)(x86::CpuState&) = nullptr;
    std::vector<x86::Op> ops;
    std::vector<x86::DecodedInsn> insns;  // for -d in_asm and the debugger
    std::vector<u8> bytes;                // the guest bytes decoded, for the disassembler
};

class BlockCache {
public:
    Block* find(u64 phys, u64 pc, u32 flags) const;
    Block* insert(std::unique_ptr<Block> b);
    // Drop every block decoded from the physical page (self-modifying code, DMA).
    void invalidate_page(u64 ppage);
    void invalidate_all();
    // Free dropped blocks; call only between blocks (no block of this cache is running).
    void collect() {
        if (!graveyard_.empty()) graveyard_.clear();
    }
    u64 generation() const { return gen_; }
    // The block filed under serial's key if it is still that very translation.
    Block* find_serial(u64 phys, u64 pc, u32 flags, u64 serial) const {
        Block* b = find(phys, pc, flags);
        return b && b->valid && b->serial == serial ? b : nullptr;
    }
    size_t size() const { return map_.size(); }

private:
    struct Key {
        u64 phys, pc;
        u32 flags;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const { return std::hash<u64>()(k.phys * 0x9e3779b97f4a7c15ull ^ k.pc ^ k.flags); }
    };
    std::unordered_map<Key, std::unique_ptr<Block>, KeyHash> map_;
    std::unordered_map<u64, std::vector<Block*>> by_page_;
    std::vector<std::unique_ptr<Block>> graveyard_;
    u64 gen_ = 0;
    u64 next_serial_ = 1;
};

}  // namespace vireo::jit
