// Exception and interrupt delivery in every mode (SDM Vol. 3A chapter 6; 20.1.4 for real mode,
// 20.3 for virtual-8086 mode), double and triple fault.
#pragma once
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/fault.h"

namespace vireo::x86 {

enum class EventKind : u8 {
    Exception,          // fault or trap raised by the CPU (with or without error code)
    External,           // INTR from the interrupt controller
    Nmi,
    SoftwareInt,        // INT n (gate DPL checked against CPL)
    SoftwareException,  // INT3, INTO (gate DPL checked, #BP/#OF)
    Int1,               // ICEBP (F1): no DPL check
};

// Deliver an event whose return address is `return_rip` (the faulting instruction for faults,
// the next one for traps and software interrupts). On return, the CPU state is at the
// handler's first instruction. Faults during delivery become #DF; a fault while delivering
// #DF is a triple fault: c.host->shutdown_request() is called, the registers are left as they
// were and the CPU is halted (shutdown state, SDM Vol. 3A 6.15 "Interrupt 8").
// For the software kinds (INT n, INT3, INTO, INT1) a fault while delivering belongs to the
// instruction: it is thrown to the caller (the handler), so the engine reports it at the
// INT instruction, state unchanged (SDM Vol. 3A 6.13: EXT=0 for INT n/INT3/INTO).
void deliver_event(CpuState& c, u8 vector, EventKind kind, bool has_error, u32 error, u64 return_rip);

// Convenience for the engine: deliver a GuestFault raised by the instruction at c.rip.
void deliver_fault(CpuState& c, const GuestFault& f);

}  // namespace vireo::x86
