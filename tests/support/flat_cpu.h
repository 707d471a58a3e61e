// Test support: a CPU in flat 64-bit (or 32-bit) mode over a FlatRamHost, for unit tests,
// the native-differential harness and the tier-0 benchmarks.
#pragma once
#include <cstring>
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/mem_access.h"
#include "softmmu/flat_ram_host.h"

namespace vireo::test {

// Identity-map the first `map_bytes` of physical memory with 2 MiB pages in a 4-level table
// placed at pt_base (needs 3 pages + one page per GiB), and enter 64-bit mode at CPL 0.
inline void make_flat_long_mode(x86::CpuState& c, FlatRamHost& host, u64 pt_base = 0x1000,
                                u64 map_bytes = 1ull << 30) {
    using namespace x86;
    u8* ram = host.ram();
    auto put = [&](u64 a, u64 v) { std::memcpy(ram + a, &v, 8); };
    const u64 pml4 = pt_base, pdpt = pt_base + 0x1000, pd0 = pt_base + 0x2000;
    std::memset(ram + pml4, 0, 0x1000 * 3 + 0x1000 * ((map_bytes >> 30) + 1));
    put(pml4, pdpt | 7);
    for (u64 g = 0; g < (map_bytes + (1ull << 30) - 1) >> 30; g++) {
        const u64 pd = pd0 + g * 0x1000;
        put(pdpt + g * 8, pd | 7);
        for (u64 i = 0; i < 512; i++) put(pd + i * 8, ((g << 30) + (i << 21)) | 0x87);  // P|W|U|PS
    }
    c.host = &host;
    c.cr3 = pml4;
    c.cr4 = CR4_PAE;
    c.efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
    c.cr0 = CR0_PE | CR0_PG | CR0_ET | CR0_NE;
    for (int s = 0; s < 6; s++) {
        Segment& sg = c.seg[s];
        sg.sel = s == CS ? 0x08 : 0x10;
        sg.base = 0;
        sg.limit = 0xffffffff;
        sg.attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_G | (s == CS ? (SEG_ATTR_L | 0xb) : (SEG_ATTR_DB | 3));
        sg.access = s == CS ? SEG_ACC_R : (SEG_ACC_R | SEG_ACC_W);
    }
    c.eflags = 2;
    set_flags_eager(c, 0);
    c.cpl = 0;
    update_mode(c);
    tlb_flush_all(c);
    host.tracker().add_cpu(&c);
}

// Flat 32-bit protected mode, paging off, CPL 0 (as Multiboot leaves it).
inline void make_flat_protected_mode(x86::CpuState& c, FlatRamHost& host) {
    using namespace x86;
    c.host = &host;
    c.cr0 = CR0_PE | CR0_ET | CR0_NE;
    c.cr4 = 0;
    c.efer = 0;
    for (int s = 0; s < 6; s++) {
        Segment& sg = c.seg[s];
        sg.sel = s == CS ? 0x08 : 0x10;
        sg.base = 0;
        sg.limit = 0xffffffff;
        sg.attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_G | SEG_ATTR_DB | (s == CS ? 0xb : 3);
        sg.access = s == CS ? SEG_ACC_R : (SEG_ACC_R | SEG_ACC_W);
    }
    c.eflags = 2;
    set_flags_eager(c, 0);
    c.cpl = 0;
    update_mode(c);
    tlb_flush_all(c);
    host.tracker().add_cpu(&c);
}

}  // namespace vireo::test
