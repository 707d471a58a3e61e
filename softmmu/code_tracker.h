// Pages that hold translated code (ARCHITECTURE.md "Self-modifying code"): the engine marks
// them when it translates; CPU stores (soft-TLB slow path) and DMA writes report writes here,
// and the engine's callback drops the blocks of the page.
#pragma once
#include <algorithm>
#include <functional>
#include <unordered_set>
#include <vector>
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/mem_access.h"

namespace vireo {

class CodePageTracker {
public:
    void add_cpu(x86::CpuState* c) {
        if (std::find(cpus_.begin(), cpus_.end(), c) == cpus_.end()) cpus_.push_back(c);
    }
    bool is_code(u64 ppage) const { return pages_.count(ppage) != 0; }
    void mark_code(u64 ppage) {
        if (pages_.insert(ppage).second)
            for (x86::CpuState* c : cpus_) x86::tlb_flush_code_page(*c, ppage);
    }
    // A write of len bytes at paddr: invalidate every code page it touches.
    void written(u64 paddr, u64 len) {
        if (pages_.empty() || !len) return;
        for (u64 p = paddr & ~0xfffull; p < paddr + len; p += 4096) {
            if (pages_.erase(p) && on_invalidate) on_invalidate(p);
        }
    }
    std::function<void(u64 ppage)> on_invalidate;

private:
    std::unordered_set<u64> pages_;
    std::vector<x86::CpuState*> cpus_;
};

}  // namespace vireo
