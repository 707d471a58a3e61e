// Page-table walker: 32-bit (with PSE/PSE-36), PAE, 4-level and 5-level paging
// (SDM Vol. 3A chapter 4), with protection keys (4.6.2). Sets accessed/dirty bits and raises
// #PF with the error code.
#pragma once
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/mem_access.h"

namespace vireo::x86 {

struct Translation {
    u64 paddr = 0;       // physical address of the byte at lin
    bool read = false;   // data reads allowed (a fetch may succeed where reads may not: PKRU.AD)
    bool write = false;  // writes allowed (and the dirty bit is already set)
    bool exec = false;   // instruction fetches allowed
    bool global = false;
};

// Translate lin for access `a` with the rights of mmu_idx; raises #PF if not permitted.
// With paging off, returns the identity mapping with every right.
void page_translate(CpuState& c, u64 lin, Access a, u8 mmu_idx, Translation& t);
// Same walk without side effects (no A/D updates, no fault): false if not mapped.
bool page_probe(CpuState& c, u64 lin, u64* paddr);

constexpr unsigned kPhysAddrBits = 40;  // reported by CPUID 0x80000008 (FIRMWARE.md §6)

}  // namespace vireo::x86
