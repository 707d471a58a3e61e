// Text dumps of CPU state and disassembly for -d cpu / -d in_asm and the monitor, in QEMU's
// layout so traces from both can be compared line by line (tools/trace-compare).
#pragma once
#include <string>
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

std::string dump_cpu_state(const CpuState& c);
// One line "0x<addr>:  <mnemonic> <operands>\n" from capstone.
std::string disassemble_line(unsigned code_size, u64 addr, const u8* bytes, size_t len);

}  // namespace vireo::x86
