// Segment loading and descriptor tables (SDM Vol. 3A chapter 3 and 5).
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

// MOV/POP/LxS to a data or stack segment register with every protected-mode check
// (SDM Vol. 2B MOV "Operation"; #GP/#SS/#NP with the selector as error code).
void load_segment(CpuState& c, u8 seg, u16 selector);
// Real-address and virtual-8086 mode: base = selector << 4, attributes kept.
void load_segment_real(CpuState& c, u8 seg, u16 selector);
// Fill a Segment's cache from a raw 8-byte descriptor (no checks).
void segment_from_descriptor(Segment& s, u16 selector, u64 desc);
// Load every segment register with a flat 4 GiB 32-bit segment (code for CS, writable data
// for the others) as a loader hands over protected mode (Multiboot 0.6.96 section 3.2).
void load_flat_protected_segments(CpuState& c, u16 code_sel, u16 data_sel);
// Read the descriptor for selector from the GDT/LDT; false if outside the table limit.
bool read_descriptor(CpuState& c, u16 selector, u64& desc);
// Recompute Segment::access from its attributes and mode (call after any load).
void segment_update_access(const CpuState& c, Segment& s, u8 seg);

}  // namespace vireo::x86

// ---- helpers shared by segment loads, far transfers, interrupts and task switches ----
namespace vireo::x86 {

// Raw descriptor fields (SDM Vol. 3A 3.4.5, Figure 3-8).
inline u64 desc_base(u64 d) { return ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000); }
inline u32 desc_limit(u64 d) {  // byte granular
    u32 l = static_cast<u32>((d & 0xffff) | ((d >> 32) & 0xf0000));
    return (d & (1ull << 55)) ? (l << 12) | 0xfff : l;
}
inline u16 desc_attr(u64 d) { return static_cast<u16>((d >> 40) & 0xf0ff); }
inline u8 desc_dpl(u64 d) { return (d >> 45) & 3; }
inline u8 desc_type(u64 d) { return (d >> 40) & 15; }
inline bool desc_present(u64 d) { return d & (1ull << 47); }
inline bool desc_s(u64 d) { return d & (1ull << 44); }
inline bool desc_code(u64 d) { return desc_s(d) && (d & (1ull << 43)); }
inline bool desc_data(u64 d) { return desc_s(d) && !(d & (1ull << 43)); }
inline bool desc_conforming(u64 d) { return desc_code(d) && (d & (1ull << 42)); }
inline bool desc_readable(u64 d) { return desc_data(d) || (d & (1ull << 41)); }  // code: R bit
inline bool desc_writable(u64 d) { return desc_data(d) && (d & (1ull << 41)); }
inline bool desc_l(u64 d) { return d & (1ull << 53); }
inline bool desc_db(u64 d) { return d & (1ull << 54); }

// Error code naming a selector (SDM Vol. 3A 6.13): index and TI, the RPL bits replaced by
// EXT (ext) and IDT (0).
inline u32 sel_error(u16 sel, u32 ext = 0) { return (sel & 0xfffcu) | ext; }

// Linear address of the descriptor for sel (bytes long: 8, or 16 for IA-32e system
// descriptors); false if outside the GDT/LDT limit or the LDT is unusable.
bool descriptor_address(const CpuState& c, u16 sel, unsigned bytes, u64& addr);
// The upper 8 bytes of a 16-byte IA-32e system descriptor (SDM Vol. 3A 3.5.2).
bool read_descriptor_high(CpuState& c, u16 sel, u64& high);
// Set the accessed bit of a code/data descriptor in memory (SDM Vol. 3A 3.4.5.1).
u64 mark_descriptor_accessed(CpuState& c, u16 sel, u64 desc);

// Does [off, off+size) lie within the segment's limit, expand-down aware (SDM Vol. 3A 5.3)?
bool segment_offset_ok(const Segment& s, u64 off, unsigned size);

// The checks of a protected-mode load of a data or stack segment register with a non-null
// selector (SDM Vol. 2B MOV "Operation", Vol. 3A 7.3 for task switches): type and privilege
// errors raise `bad_vector` (#GP for MOV/POP/LxS, #TS in a task switch), a not-present
// segment #SS (SS) or #NP; error codes are the selector | ext.
void check_data_segment(CpuState& c, u8 seg, u16 sel, u64 desc, u8 cpl, u8 bad_vector, u32 ext);
// Load a checked descriptor into a data/stack segment register (sets the accessed bit).
void commit_segment(CpuState& c, u8 seg, u16 sel, u64 desc);
// Load CS from a checked code descriptor; the selector's RPL becomes cpl, which becomes CPL.
void load_cs(CpuState& c, u16 sel, u64 desc, u8 cpl);
// Mark a data segment register unusable after a null-selector load (SDM Vol. 3A 3.4.2).
void load_null_segment(CpuState& c, u8 seg, u16 sel);
// Returning to an outer privilege level: DS/ES/FS/GS that the new CPL may not use become
// null (SDM Vol. 2A IRET and RET, "RETURN-TO-OUTER-PRIVILEGE-LEVEL").
void null_inaccessible_segments(CpuState& c);
// After CR0.PE or EFLAGS.VM changes: recompute every segment's fast-path access bits.
void segments_update_access(CpuState& c);

}  // namespace vireo::x86
