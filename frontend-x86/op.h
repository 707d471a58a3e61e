// A pre-decoded instruction as the engines run it: the handler chosen at translation time
// plus its resolved operands. Tier 0 calls op.fn(cpu, op) in sequence; tier 1 will lift the
// same handlers (compiled to bitcode) with op as a constant, so they fold to straight-line IR.
//
// Rules for handlers (semantics/):
//  - do every check that can fault (memory reads, write probes, privilege, #UD) before changing
//    architectural state, so a fault leaves the state as it was at the instruction's start;
//  - a handler that changes control flow sets c.rip and c.block_break (end_block());
//  - handlers never read op fields they were not bound for.
#pragma once
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/decoder.h"

namespace vireo::x86 {

struct Op;
using Handler = void (*)(CpuState&, const Op&);

struct Op {
    Handler fn = nullptr;
    u64 next_rip = 0;   // RIP of the following instruction
    u64 imm = 0;        // immediate, already sign-/zero-extended as the instruction defines
    u64 imm2 = 0;       // second immediate, or a branch target
    i64 disp = 0;       // memory displacement (absolute target for RIP-relative)
    u8 len = 0;
    u8 r0 = 0, r1 = 0, r2 = 0;  // register operands: byte offset into gpr[] (8-bit forms)
                                // or register number, as the handler was bound for
    u8 base = REG_ZERO, index = REG_ZERO, scale = 0, seg = DS;
    u8 opsize = 4, addrsize = 4;
    u8 aux = 0;                 // handler-specific (condition code, segment number, ...)
    const DecodedInsn* insn = nullptr;  // for logs only; owned by the block
    u64 rip() const { return next_rip - len; }
};

// Effective address of the memory operand (SDM Vol. 2A 2.1.5), truncated to the address size.
VIREO_ALWAYS_INLINE u64 op_ea(const CpuState& c, const Op& o) {
    u64 ea = c.gpr[o.base] + (c.gpr[o.index] << o.scale) + static_cast<u64>(o.disp);
    return o.addrsize == 8 ? ea : o.addrsize == 4 ? static_cast<u32>(ea) : static_cast<u16>(ea);
}

VIREO_ALWAYS_INLINE void end_block(CpuState& c, u64 rip) {
    c.rip = rip;
    c.block_break = true;
    c.rip_fixup = false;
}

// Binding: picks the handler for a decoded instruction and fills the op's operand fields.
// Returns false when the form is not implemented yet (the op then raises #UD, -d unimp).
bool bind_op(const DecodedInsn& d, const CpuState& c, Op& op);

// Does this op end a translation block (branches, mode changes, HLT, ...)?
bool op_ends_block(const DecodedInsn& d);

}  // namespace vireo::x86

namespace vireo::x86 {
// Synthetic ops the engine appends (semantics/control.cc).
void op_goto(CpuState& c, const Op& o);         // end the block, continue at o.imm2
void op_raise_ud(CpuState& c, const Op& o);     // #UD (undecodable or unimplemented form)
void op_x87_absent(CpuState& c, const Op& o);   // x87 form without an FPU: #NM or #UD
void op_raise_fault(CpuState& c, const Op& o);  // deferred fetch fault: vector aux, error imm,
                                                // r0 != 0: has error code; #PF address imm2
void check_near_target(CpuState& c, u64 target);
}  // namespace vireo::x86
