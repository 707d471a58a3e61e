// Debugger access to guest memory (the gdbstub's m/M packets, the monitor's x and xp):
// never a side effect on the guest. Only RAM and ROM are reached (a device register read can
// change the device), paging is walked without setting accessed/dirty bits or faulting.
#pragma once
#include <cstddef>
#include "frontend-x86/cpu_state.h"

namespace vireo {

class Machine;

// len bytes at linear address lin as CPU c sees them (its current paging mode; outside long
// mode the address wraps at 4 GiB). Writes go to RAM only and drop translated code there.
// False if any byte is unmapped or not RAM/ROM.
bool debug_memory_rw(Machine& m, x86::CpuState& c, u64 lin, u8* buf, size_t len, bool write);
// len bytes at physical address pa (RAM or ROM only).
bool debug_physical_read(Machine& m, u64 pa, u8* buf, size_t len);

}  // namespace vireo
