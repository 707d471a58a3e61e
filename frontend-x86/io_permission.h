// I/O-port protection (SDM Vol. 1 19.5): IN/OUT/INS/OUTS at CPL > IOPL or in virtual-8086 mode
// are allowed only if the TSS I/O permission bit map clears every bit of the access.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

// Raise #GP(0) unless an access of `size` bytes at `port` is allowed now.
void check_io_permission(CpuState& c, u16 port, unsigned size);

}  // namespace vireo::x86
