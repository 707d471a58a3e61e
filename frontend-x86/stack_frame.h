// Stack accesses of privilege transfers (interrupts, far CALL/RET, IRET, task switches): the
// stack is given by a segment cache that need not be loaded into SS yet, so a transfer can
// build its whole frame, faulting with the right error code, before it changes any register
// (SDM Vol. 3A 6.12.1: the new stack is checked before anything is pushed on it).
#pragma once
#include "frontend-x86/mem_access.h"
#include "frontend-x86/segmentation.h"

namespace vireo::x86 {

struct StackFrame {
    CpuState* cpu;
    const Segment* ss;  // limit checks against this cache; nullptr: 64-bit (canonical check)
    u64 sp;             // stack pointer, already masked to the stack width
    u64 mask;           // 0xffff, 0xffffffff or ~0
    u8 mmu;             // rights of the accesses (the CPL the stack belongs to)
    u32 error;          // #SS error code on a limit or canonical violation

    // Width of the stack pointer for an SS cache in the current mode.
    static u64 mask_for(const CpuState& c, const Segment& s, bool long64) {
        return long64 ? ~0ull : s.db() ? 0xffffffffull : 0xffffull;
    }

    u64 linear(u64 off, unsigned n) const {
        if (!ss) {
            if (!is_canonical(*cpu, off) || !is_canonical(*cpu, off + n - 1)) raise_fault(*cpu, SS_VEC, error);
            return off;
        }
        if (!segment_offset_ok(*ss, off, n)) raise_fault(*cpu, SS_VEC, error);
        return static_cast<u32>(ss->base + off);
    }
    void push(u64 v, unsigned n) {
        sp = (sp - n) & mask;
        const u64 lin = linear(sp, n);
        switch (n) {
        case 2: mem_write_lin<u16>(*cpu, lin, static_cast<u16>(v), mmu); break;
        case 4: mem_write_lin<u32>(*cpu, lin, static_cast<u32>(v), mmu); break;
        default: mem_write_lin<u64>(*cpu, lin, v, mmu); break;
        }
        implicit_access(*cpu, lin, n, true, mmu);  // an event frame on another stack
    }
    // Read the n-byte value `offset` bytes above the current stack pointer.
    u64 peek(u64 offset, unsigned n) const {
        const u64 lin = linear((sp + offset) & mask, n);
        implicit_access(*cpu, lin, n, false, mmu);
        switch (n) {
        case 2: return mem_read_lin<u16>(*cpu, lin, mmu);
        case 4: return mem_read_lin<u32>(*cpu, lin, mmu);
        default: return mem_read_lin<u64>(*cpu, lin, mmu);
        }
    }
    u64 pop(unsigned n) {
        const u64 v = peek(0, n);
        sp = (sp + n) & mask;
        return v;
    }
    // The new rSP: only the bits of the stack width change (SDM Vol. 1 6.2.3).
    u64 rsp_after(u64 old_rsp) const { return mask == 0xffff ? (old_rsp & ~0xffffull) | sp : sp; }
};

// The current stack (SS:rSP with the current privilege) for same-level pushes and pops.
inline StackFrame current_stack(CpuState& c, u32 error = 0) {
    const u64 mask = StackFrame::mask_for(c, c.seg[SS], c.long64);
    return StackFrame{&c, c.long64 ? nullptr : &c.seg[SS], c.gpr[RSP] & mask, mask, c.mmu_idx, error};
}

inline u8 mmu_for_cpl(u8 cpl) { return cpl == 3 ? MMU_USER : MMU_KERNEL; }

}  // namespace vireo::x86
