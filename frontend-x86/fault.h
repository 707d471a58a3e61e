// Raising guest exceptions from semantics. A fault unwinds to the execution loop, which
// reports it at the faulting instruction: handlers do every check that can fault before
// they change architectural state (see semantics/README in op.h).
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

struct GuestFault {
    u8 vector;
    bool has_error;
    u32 error;
};

[[noreturn]] void raise_fault(CpuState& c, u8 vector, u32 error);      // with error code
[[noreturn]] void raise_fault_noerr(CpuState& c, u8 vector);          // without
[[noreturn]] inline void raise_ud(CpuState& c) { raise_fault_noerr(c, UD); }
[[noreturn]] inline void raise_gp0(CpuState& c) { raise_fault(c, GP, 0); }
[[noreturn]] void raise_pf(CpuState& c, u64 linear, u32 error);       // sets CR2

// Page-fault error code bits (SDM Vol. 3A 4.7).
enum : u32 { PFEC_P = 1, PFEC_W = 2, PFEC_U = 4, PFEC_RSVD = 8, PFEC_I = 16, PFEC_PK = 32 };

}  // namespace vireo::x86
