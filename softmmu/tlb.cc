// The soft TLB's slow path (ARCHITECTURE.md "Memory"): misses walk the guest page tables and
// fill the entry; MMIO, ROM writes, code-tracked pages and page-crossing accesses are done
// here. The inline fast path is frontend-x86/mem_access.h.
#include <cstring>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/debug_regs.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/paging.h"

namespace vireo::x86 {

namespace {

struct PageAccess {
    u64 paddr;
    u8* host;  // nullptr: go through CpuHost::phys_*
};

// Translate one in-page access and refresh the TLB entry for it.
PageAccess fill(CpuState& c, u64 lin, Access a, u8 idx) {
    if (idx == MMU_CHECKED) idx = mmu_rights_idx(c);  // MMU_CHECKED entries stay invalid
    Translation t;
    page_translate(c, lin, a, idx, t);
    const u64 page = lin & ~0xfffull;
    const u64 ppage = t.paddr & ~0xfffull;
    TlbEntry& e = c.tlb[idx][(lin >> 12) & (kTlbSize - 1)];
    u8* rd = c.host->ram_page(ppage, false);
    u8* wr = t.write ? c.host->ram_page(ppage, true) : nullptr;
    const bool code = wr && c.host->is_code_page(ppage);
    e.paddr = ppage;
    e.addend = rd ? reinterpret_cast<uintptr_t>(rd) - page : 0;
    e.tag_read = (rd && t.read) ? page : (page | TLB_SLOW);
    e.tag_write = (wr && wr == rd && !code) ? page : (page | TLB_SLOW);
    e.tag_exec = (rd && t.exec) ? page : (page | TLB_SLOW);
    if (a == Access::Write && !wr) {
        // ROM or MMIO: writes go to the host each time.
        return {t.paddr, nullptr};
    }
    return {t.paddr, a == Access::Write ? (code ? nullptr : wr + (lin & 0xfff)) : (rd ? rd + (lin & 0xfff) : nullptr)};
}

u64 read_in_page(CpuState& c, u64 lin, unsigned size, u8 idx) {
    PageAccess p = fill(c, lin, Access::Read, idx);
    if (p.host) {
        u64 v = 0;
        std::memcpy(&v, p.host, size);
        return v;
    }
    return c.host->phys_read(p.paddr, size);
}

void write_in_page(CpuState& c, u64 lin, u64 v, unsigned size, u8 idx) {
    PageAccess p = fill(c, lin, Access::Write, idx);
    if (p.host) {
        std::memcpy(p.host, &v, size);
        return;
    }
    if (c.host->is_code_page(p.paddr & ~0xfffull)) {
        // Self-modifying code: phys_write() below drops the page's translations; the current
        // block may be one of them, so the engine leaves it after this instruction
        // (SDM Vol. 3A 11.6).
        c.block_break = true;
        c.rip_fixup = true;
    }
    c.host->phys_write(p.paddr, v, size);
}

}  // namespace

// The checks MMU_CHECKED exists for: #AC(0) for a misaligned access at CPL 3 with CR0.AM and
// EFLAGS.AC (SDM Vol. 3A 6.15 "Interrupt 17"), and data breakpoints, a trap after the
// instruction (17.3.1.2): the block ends there and the engine delivers #DB.
void checked_access(CpuState& c, u64 lin, unsigned size, bool write, u8 idx) {
    if (idx != MMU_CHECKED) return;
    if (c.align_check && (lin & (size - 1))) raise_fault(c, AC_VEC, 0);
    if (c.dbg_data) {
        unsigned hits = dr_data_hits(c, lin, size, write);
        if (hits) {
            c.pending_db |= static_cast<u8>(hits);
            c.block_break = true;
            c.rip_fixup = true;
        }
    }
    c.host->debug_access(lin, size, write);
}

u64 tlb_read_slow(CpuState& c, u64 lin, unsigned size, u8 idx) {
    if (idx == MMU_CHECKED && c.align_check && (lin & (size - 1))) raise_fault(c, AC_VEC, 0);
    const unsigned first = 4096 - (lin & 0xfff);
    u64 v;
    if (size <= first) {
        v = read_in_page(c, lin, size, idx);
    } else {
        // Page-crossing: both halves are translated (either may fault) before combining.
        u64 lo = 0, hi = 0;
        for (unsigned i = 0; i < first; i++) lo |= read_in_page(c, lin + i, 1, idx) << (8 * i);
        for (unsigned i = first; i < size; i++) hi |= read_in_page(c, lin + i, 1, idx) << (8 * (i - first));
        v = lo | (hi << (8 * first));
    }
    checked_access(c, lin, size, false, idx);
    return v;
}

void tlb_probe_write(CpuState& c, u64 lin, unsigned size, u8 idx) {
    if (idx == MMU_CHECKED) idx = mmu_rights_idx(c);
    Translation t;
    page_translate(c, lin, Access::Write, idx, t);
    const u64 last = lin + size - 1;
    // The second page faults with CR2 at its first byte, as hardware reports it.
    if ((last & ~0xfffull) != (lin & ~0xfffull)) page_translate(c, last & ~0xfffull, Access::Write, idx, t);
}

void tlb_write_slow(CpuState& c, u64 lin, u64 v, unsigned size, u8 idx) {
    if (idx == MMU_CHECKED && c.align_check && (lin & (size - 1))) raise_fault(c, AC_VEC, 0);
    const unsigned first = 4096 - (lin & 0xfff);
    if (size <= first) {
        write_in_page(c, lin, v, size, idx);
    } else {
        // Page-crossing: check both pages are writable before any byte lands.
        tlb_probe_write(c, lin, size, idx);
        for (unsigned i = 0; i < size; i++) write_in_page(c, lin + i, (v >> (8 * i)) & 0xff, 1, idx);
    }
    checked_access(c, lin, size, true, idx);
}

const u8* tlb_code_page(CpuState& c, u64 lin, u64* paddr) {
    const u8 idx = c.cpl == 3 ? MMU_USER : MMU_KERNEL_AC;
    TlbEntry& e = c.tlb[idx][(lin >> 12) & (kTlbSize - 1)];
    const u64 page = lin & ~0xfffull;
    if (e.tag_exec != page) {
        Translation t;
        page_translate(c, lin, Access::Exec, idx, t);
        const u64 ppage = t.paddr & ~0xfffull;
        u8* rd = c.host->ram_page(ppage, false);
        if (e.tag_read != page || e.paddr != ppage) {
            // refresh the whole entry for this page (reads only if the rights allow them: a
            // protection key may deny data access to a page that can be executed)
            e.paddr = ppage;
            e.addend = rd ? reinterpret_cast<uintptr_t>(rd) - page : 0;
            e.tag_read = (rd && t.read) ? page : (page | TLB_SLOW);
            e.tag_write = page | TLB_SLOW;
        }
        e.tag_exec = rd ? page : (page | TLB_SLOW);
        *paddr = ppage;
        return rd;
    }
    *paddr = e.paddr;
    return reinterpret_cast<const u8*>(e.addend + page);
}

void tlb_flush_all(CpuState& c) {
    for (auto& idx : c.tlb)
        for (auto& e : idx) e = TlbEntry{};
    c.jmp_cache_stale = true;
}

// Flushing more than required is always correct (SDM Vol. 3A 4.10.4.3).
void tlb_flush_nonglobal(CpuState& c) { tlb_flush_all(c); }

void tlb_flush_page(CpuState& c, u64 lin) {
    // INVLPG invalidates every entry for the page, and also the paging-structure caches
    // (SDM Vol. 3A 4.10.4.1); large pages are cached per 4 KiB here, so drop them all.
    for (auto& idx : c.tlb) {
        TlbEntry& e = idx[(lin >> 12) & (kTlbSize - 1)];
        if ((e.tag_read & ~0xfffull) == (lin & ~0xfffull) || (e.tag_exec & ~0xfffull) == (lin & ~0xfffull) ||
            (e.tag_write & ~0xfffull) == (lin & ~0xfffull))
            e = TlbEntry{};
    }
    // A 2M/4M/1G page covers other TLB slots too: without a per-entry page size, flush all.
    tlb_flush_all(c);
}

void tlb_flush_code_page(CpuState& c, u64 ppage) {
    // A page became a code page: writes through the TLB must now take the slow path.
    for (auto& idx : c.tlb)
        for (auto& e : idx)
            if (e.paddr == ppage && !(e.tag_write & (TLB_SLOW | TLB_INVALID))) e.tag_write |= TLB_SLOW;
}

bool translate_debug(CpuState& c, u64 lin, u64* paddr) { return page_probe(c, lin, paddr); }

}  // namespace vireo::x86
