// Numeric arguments of monitor commands (QEMU monitor/hmp.c get_expr()): numbers in C syntax
// (0x hex, 0 octal, else decimal), $registers of the monitor's CPU ($pc = CS base + RIP,
// $rip/$eip, $rax..$r15 and $eax..$edi as the whole register, $rsp/$esp, $eflags, $cr0..$cr4
// and the segment selectors $cs..$gs), unary - ~ +, parentheses, and the binary operators
// with QEMU's precedence: * / % above & | ^ above + -.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include "frontend-x86/cpu_state.h"

namespace vireo {

// Evaluates the whole of `text`; cpu may be nullptr (then registers are an error). On error
// returns nothing and sets err to QEMU's message ("invalid char in expression", ...).
std::optional<u64> eval_monitor_expr(std::string_view text, const x86::CpuState* cpu, std::string& err);

}  // namespace vireo
