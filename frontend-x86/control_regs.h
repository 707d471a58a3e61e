// Writes to the control registers and IA32_EFER: the reserved-bit and transition checks of
// SDM Vol. 2B "MOV—Move to/from Control Registers" and Vol. 3A 2.5 / 9.8.5 (IA-32e mode
// activation), and the TLB invalidations of Vol. 3A 4.10.4.1. Each recomputes the derived
// mode (update_mode()); callers end the translation block.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

// These raise #GP(0) for an invalid value.
void write_cr0(CpuState& c, u64 v);
void write_cr3(CpuState& c, u64 v);
void write_cr4(CpuState& c, u64 v);
void write_cr8(CpuState& c, u64 v);
// WRMSR IA32_EFER: false for a value that must #GP(0) (reserved bits, LME under paging).
bool write_efer(CpuState& c, u64 v);

// CR4 bits this CPU lets software set (the rest are reserved: #GP(0)).
u64 cr4_writable_bits(const CpuState& c);
// Physical-address width (CPUID 0x80000008 EAX[7:0]): bits above are reserved in CR3/PTEs.
unsigned max_phys_bits(const CpuState& c);

}  // namespace vireo::x86
