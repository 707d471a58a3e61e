// Debug-register breakpoints (SDM Vol. 3A 17.2.4-17.2.5, 17.3.1): which enabled DR0-DR3
// breakpoints an instruction fetch or a data access hits. The engine asks before executing an
// instruction (a fault, suppressed by EFLAGS.RF) and after a data access (a trap), records the
// hits in DR6 and delivers #DB.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

// DR6 status bits.
enum : u64 { DR6_BD = 1u << 13, DR6_BS = 1u << 14, DR6_BT = 1u << 15, DR7_GD = 1u << 13 };

// Mask of breakpoints n (bit n) enabled (Ln or Gn) as instruction breakpoints at lin.
unsigned dr_exec_hits(const CpuState& c, u64 lin);
// Mask of enabled data breakpoints overlapping [lin, lin+size): write breakpoints match
// writes, read/write breakpoints match both (R/W=10, I/O, needs CR4.DE and is not matched here).
unsigned dr_data_hits(const CpuState& c, u64 lin, unsigned size, bool write);
// Any enabled data breakpoint: memory accesses must be checked.
bool dr_data_breakpoints_enabled(const CpuState& c);
// Record hits in DR6 (B0-B3; other Bn bits are left as they are, 17.2.3).
inline void dr6_record(CpuState& c, unsigned hits) { c.dr[6] |= hits & 15; }

}  // namespace vireo::x86
