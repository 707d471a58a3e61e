// Test support, one helper for unit tests, the native-differential harness, the fuzz test and
// the tier-0 benchmarks. A minimal IA-32e machine state for CPU tests: flat segments, identity paging of the whole
// FlatRamHost RAM with 2 MiB pages, and an IDT whose every vector lands on a HLT, so a run that
// faults stops "halted" at a known address and the test can tell which vector it was.
//
// RAM layout (physical = linear):
//   0x1000 PML4, 0x2000 PDPT, 0x3000 PD (2 MiB pages, up to 1 GiB)
//   0x5000 GDT: 0x08 64-bit code, 0x10 data, 0x18 32-bit code (compatibility mode)
//   0x6000 IDT: 256 64-bit interrupt gates, vector v -> kFaultStubs + 8 * v
//   0x8000 kFaultStubs: one HLT per vector
// Everything else (page 0, 0x4000, 0x7000, 0x8800-0xFFFF and from 0x10000) is the test's.
#pragma once
#include <cstring>
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/segmentation.h"
#include "softmmu/flat_ram_host.h"

namespace vireo::test {

constexpr u64 kPml4 = 0x1000, kPdpt = 0x2000, kPd = 0x3000;
constexpr u64 kGdt = 0x5000, kIdt = 0x6000, kFaultStubs = 0x8000;
constexpr u16 kCode64Sel = 0x08, kDataSel = 0x10, kCode32Sel = 0x18;

inline void put_u64(FlatRamHost& h, u64 pa, u64 v) { std::memcpy(h.ram() + pa, &v, 8); }

// Load CS with the 64-bit code segment (compat32 = false) or the 32-bit one (compatibility
// mode: i64 instructions such as DAA are valid there), CPL 0.
inline void set_code_segment(x86::CpuState& c, bool compat32) {
    using namespace x86;
    Segment& cs = c.seg[CS];
    cs.sel = compat32 ? kCode32Sel : kCode64Sel;
    cs.base = 0;
    cs.limit = 0xffffffff;
    cs.attr = compat32 ? (SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | SEG_ATTR_S | 0xb)
                       : (SEG_ATTR_L | SEG_ATTR_P | SEG_ATTR_S | 0xb);
    cs.access = SEG_ACC_R;
    c.cpl = 0;
    update_mode(c);
}

inline void make_flat_long_mode(x86::CpuState& c, FlatRamHost& host) {
    using namespace x86;
    c.host = &host;
    host.tracker().add_cpu(&c);
    const u64 ram = host.ram_size();
    // Paging: PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] = 2 MiB page i (A and D preset, so the
    // walker never writes the tables).
    put_u64(host, kPml4, kPdpt | 0x27);
    put_u64(host, kPdpt, kPd | 0x27);
    for (u64 i = 0; i < 512 && i * (2ull << 20) < ram; i++) put_u64(host, kPd + 8 * i, (i << 21) | 0xE7);
    // GDT.
    put_u64(host, kGdt + 0x00, 0);
    put_u64(host, kGdt + 0x08, 0x00209A0000000000ull);  // 64-bit code, DPL 0
    put_u64(host, kGdt + 0x10, 0x00CF92000000FFFFull);  // flat data
    put_u64(host, kGdt + 0x18, 0x00CF9A000000FFFFull);  // flat 32-bit code
    c.gdtr.base = kGdt;
    c.gdtr.limit = 0x1f;
    // IDT: interrupt gates (type 0xE, P, DPL 0) to one HLT per vector.
    for (u64 v = 0; v < 256; v++) {
        const u64 off = kFaultStubs + 8 * v;
        const u64 lo = (off & 0xffff) | (u64(kCode64Sel) << 16) | (0x8Eull << 40) | ((off >> 16 & 0xffff) << 48);
        put_u64(host, kIdt + 16 * v, lo);
        put_u64(host, kIdt + 16 * v + 8, off >> 32);
        host.ram()[kFaultStubs + 8 * v] = 0xF4;  // hlt
    }
    c.idtr.base = kIdt;
    c.idtr.limit = 256 * 16 - 1;
    // Data segments: flat, writable.
    for (int s : {ES, SS, DS, FS, GS}) {
        Segment& d = c.seg[s];
        d.sel = kDataSel;
        d.base = 0;
        d.limit = 0xffffffff;
        d.attr = SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | SEG_ATTR_S | 0x3;
        d.access = SEG_ACC_R | SEG_ACC_W;
    }
    c.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    c.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    c.cr3 = kPml4;
    c.efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE;
    c.eflags = 2;
    set_code_segment(c, false);
    tlb_flush_all(c);
}

// Flat 32-bit protected mode, paging off, CPL 0 (as Multiboot leaves it).
inline void make_flat_protected_mode(x86::CpuState& c, FlatRamHost& host) {
    using namespace x86;
    c.host = &host;
    c.cr0 = CR0_PE | CR0_ET | CR0_NE;
    c.cr4 = 0;
    c.efer = 0;
    load_flat_protected_segments(c, 0x08, 0x10);
    c.eflags = 2;
    set_flags_eager(c, 0);
    c.cpl = 0;
    update_mode(c);
    tlb_flush_all(c);
    host.tracker().add_cpu(&c);
}

// The vector a run stopped on (the HLT of its stub was executed), or -1.
inline int fault_vector(const x86::CpuState& c) {
    if (!c.halted || c.rip <= kFaultStubs || c.rip > kFaultStubs + 8 * 256) return -1;
    return static_cast<int>((c.rip - 1 - kFaultStubs) / 8);
}

}  // namespace vireo::test
