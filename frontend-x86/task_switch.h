// Hardware task switching (SDM Vol. 3A 7.3): JMP/CALL to a TSS or task gate, IRET with
// EFLAGS.NT, and interrupts/exceptions through a task gate. Legacy protected mode only.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

enum class TaskSwitchSource : u8 { Jmp, Call, Iret, Int };

// The TSS descriptor a task gate names (SDM Vol. 2A JMP/CALL/INT "TASK-GATE"): the selector
// must be in the GDT, name an available TSS (#GP(selector) otherwise) that is present
// (#NP(selector)). ext is the EXT bit of the error codes (6.13).
u64 tss_descriptor_for_gate(CpuState& c, u16 tss_sel, u32 ext);

// Switch to the task whose TSS descriptor (already checked by the caller) is tss_desc.
// return_rip is the old task's saved EIP. With has_error the error code is pushed on the new
// task's stack (an exception through a task gate). Checks up to the commit point raise
// GuestFault in the old task; faults after it (segment loads, the EIP limit, the error code
// push) are delivered in the new task, as SDM Vol. 3A 7.3 steps 12-13 say.
void task_switch(CpuState& c, u16 tss_sel, u64 tss_desc, TaskSwitchSource src, u64 return_rip,
                 bool has_error = false, u32 error = 0, u32 ext = 0);

// Inner-level stacks from the current TSS (SDM Vol. 3A 7.2.1; 7.6 for 16-bit TSSs; 7.7 for
// IA-32e): #TS(TR selector | ext) if the field is beyond the TSS limit.
void tss_ring_stack(CpuState& c, u8 dpl, u32 ext, u16& ss, u32& esp);  // 16/32-bit TSS
u64 tss64_read(CpuState& c, u32 offset, u32 ext);  // RSPn at 4 + 8n, ISTn at 0x1c + 8n

}  // namespace vireo::x86
