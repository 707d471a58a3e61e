// Guest memory access from semantics: segmentation (SDM Vol. 3A 3.4, 5.3) then the soft TLB's
// inline fast path; misses and special pages go to the slow path in softmmu/tlb.cc.
#pragma once
#include <cstring>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/fault.h"

namespace vireo::x86 {

enum class Access : u8 { Read = 0, Write = 1, Exec = 2 };

// ---- slow paths (softmmu/tlb.cc) ----
u64 tlb_read_slow(CpuState& c, u64 lin, unsigned size, u8 mmu_idx);
void tlb_write_slow(CpuState& c, u64 lin, u64 value, unsigned size, u8 mmu_idx);
// Check that [lin, lin+size) is writable (faulting if not) without writing: used by
// instructions that must not fault half-way (e.g. a page-crossing RMW, XCHG).
void tlb_probe_write(CpuState& c, u64 lin, unsigned size, u8 mmu_idx);
// Code fetch: host pointer to the start of the 4 KiB page holding lin (nullptr when the page
// is not RAM/ROM) and its physical address. Raises #PF for a fetch fault.
const u8* tlb_code_page(CpuState& c, u64 lin, u64* paddr);
void tlb_flush_all(CpuState& c);             // MOV CR3 without PCID, mode changes
void tlb_flush_nonglobal(CpuState& c);       // MOV CR3 keeps global pages (CR4.PGE)
void tlb_flush_page(CpuState& c, u64 lin);   // INVLPG
void tlb_flush_code_page(CpuState& c, u64 ppage);  // ppage now holds code: slow-path writes
// Translate a linear address for a debugger or a DMA-free host look-up; false when unmapped.
bool translate_debug(CpuState& c, u64 lin, u64* paddr);

// ---- fast path ----
inline bool is_canonical(const CpuState& c, u64 lin) {
    const unsigned bits = (c.cr4 & CR4_LA57) ? 57 : 48;
    return static_cast<u64>(static_cast<i64>(lin << (64 - bits)) >> (64 - bits)) == lin;
}

[[noreturn]] void raise_seg_fault(CpuState& c, u8 seg);
void seg_check_slow(CpuState& c, u8 seg, u64 ea, unsigned size, Access a);

// Linear address of seg:ea for an access of `size` bytes, with the limit and rights checks
// of SDM Vol. 3A 5.3 (protected/real mode) or the canonical check of 3.3.7.1 (64-bit mode).
template <Access A>
VIREO_ALWAYS_INLINE u64 seg_linear(CpuState& c, u8 seg, u64 ea, unsigned size) {
    const Segment& s = c.seg[seg];
    if (c.long64) {
        u64 lin = ea + (seg >= 4 ? s.base : 0);
        if (VIREO_UNLIKELY(!is_canonical(c, lin))) raise_seg_fault(c, seg);
        return lin;
    }
    constexpr u8 need = A == Access::Write ? SEG_ACC_W : SEG_ACC_R;
    if (VIREO_UNLIKELY(((s.access & (need | SEG_ACC_SLOW)) != need) || ea + size - 1 > s.limit))
        seg_check_slow(c, seg, ea, size, A);
    return static_cast<u32>(s.base + ea);
}

template <typename T>
VIREO_ALWAYS_INLINE T mem_read_lin(CpuState& c, u64 lin, u8 mmu_idx) {
    const TlbEntry& e = c.tlb[mmu_idx][(lin >> 12) & (kTlbSize - 1)];
    if (VIREO_LIKELY(e.tag_read == (lin & ~0xfffull) && (lin & 0xfff) <= 4096 - sizeof(T))) {
        T v;
        std::memcpy(&v, reinterpret_cast<const u8*>(e.addend + lin), sizeof(T));
        return v;
    }
    return static_cast<T>(tlb_read_slow(c, lin, sizeof(T), mmu_idx));
}

template <typename T>
VIREO_ALWAYS_INLINE void mem_write_lin(CpuState& c, u64 lin, T v, u8 mmu_idx) {
    const TlbEntry& e = c.tlb[mmu_idx][(lin >> 12) & (kTlbSize - 1)];
    if (VIREO_LIKELY(e.tag_write == (lin & ~0xfffull) && (lin & 0xfff) <= 4096 - sizeof(T))) {
        std::memcpy(reinterpret_cast<u8*>(e.addend + lin), &v, sizeof(T));
        return;
    }
    tlb_write_slow(c, lin, static_cast<u64>(v), sizeof(T), mmu_idx);
}

// Accesses by the program (CPL-dependent rights).
template <typename T>
VIREO_ALWAYS_INLINE T mem_read(CpuState& c, u8 seg, u64 ea) {
    return mem_read_lin<T>(c, seg_linear<Access::Read>(c, seg, ea, sizeof(T)), c.mmu_idx);
}
template <typename T>
VIREO_ALWAYS_INLINE void mem_write(CpuState& c, u8 seg, u64 ea, T v) {
    mem_write_lin<T>(c, seg_linear<Access::Write>(c, seg, ea, sizeof(T)), v, c.mmu_idx);
}
// Probe that a write of `size` bytes at seg:ea would succeed; returns the linear address.
inline u64 mem_probe_write(CpuState& c, u8 seg, u64 ea, unsigned size) {
    u64 lin = seg_linear<Access::Write>(c, seg, ea, size);
    tlb_probe_write(c, lin, size, c.mmu_idx);
    return lin;
}

// An access made with an MMU index other than MMU_CHECKED (which reports by itself): a
// debugger's watchpoints see it too (CpuState::debug_watch), as QEMU's see every access.
VIREO_ALWAYS_INLINE void implicit_access(CpuState& c, u64 lin, unsigned size, bool write, u8 mmu_idx) {
    if (VIREO_UNLIKELY(c.debug_watch) && mmu_idx != MMU_CHECKED) c.host->debug_access(lin, size, write);
}

// Implicit supervisor-mode accesses (descriptor tables, TSS, IDT: SDM Vol. 3A 4.6).
template <typename T>
inline T sys_read(CpuState& c, u64 lin) {
    const T v = mem_read_lin<T>(c, lin, MMU_KERNEL);
    implicit_access(c, lin, sizeof(T), false, MMU_KERNEL);
    return v;
}
template <typename T>
inline void sys_write(CpuState& c, u64 lin, T v) {
    mem_write_lin<T>(c, lin, v, MMU_KERNEL);
    implicit_access(c, lin, sizeof(T), true, MMU_KERNEL);
}

}  // namespace vireo::x86
