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
// Read the descriptor for selector from the GDT/LDT; false if outside the table limit.
bool read_descriptor(CpuState& c, u16 selector, u64& desc);
// Recompute Segment::access from its attributes and mode (call after any load).
void segment_update_access(const CpuState& c, Segment& s, u8 seg);

}  // namespace vireo::x86
