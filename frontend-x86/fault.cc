// Raising guest exceptions (fault.h).
#include "frontend-x86/fault.h"

namespace vireo::x86 {

void raise_fault(CpuState&, u8 vector, u32 error) { throw GuestFault{vector, true, error}; }
void raise_fault_noerr(CpuState&, u8 vector) { throw GuestFault{vector, false, 0}; }
void raise_pf(CpuState& c, u64 linear, u32 error) {
    c.cr2 = linear;  // SDM Vol. 3A 4.7: CR2 holds the faulting linear address
    throw GuestFault{PF_VEC, true, error};
}

}  // namespace vireo::x86
