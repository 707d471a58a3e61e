// Shared pieces of the x87 semantics (x87_*.cc): the register stack over X87State (SDM Vol. 1
// 8.1.2), the checks every x87 instruction makes first (#NM, pending #MF: Vol. 3A Table 2-2,
// Vol. 1 8.7), the status-word update after an operation (8.1.3, 8.5) and the last-instruction
// pointers (8.1.8). The arithmetic itself is the pure f80 softfloat (softfloat/f80.h).
#pragma once
#include <cstring>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/semantics/sem_common.h"
#include "frontend-x86/softfloat/f80.h"

namespace vireo::x86 {

using f80::F80;

// FSW bits (SDM Vol. 1 Figure 8-4).
enum : u16 {
    FSW_IE = 1, FSW_DE = 2, FSW_ZE = 4, FSW_OE = 8, FSW_UE = 16, FSW_PE = 32, FSW_SF = 64,
    FSW_ES = 0x80, FSW_C0 = 0x100, FSW_C1 = 0x200, FSW_C2 = 0x400, FSW_TOP = 0x3800,
    FSW_C3 = 0x4000, FSW_B = 0x8000, FSW_CC = FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3,
};

VIREO_ALWAYS_INLINE unsigned fpu_top(const CpuState& c) { return (c.x87.fsw >> 11) & 7; }
VIREO_ALWAYS_INLINE void fpu_set_top(CpuState& c, unsigned t) {
    c.x87.fsw = static_cast<u16>((c.x87.fsw & ~FSW_TOP) | ((t & 7) << 11));
}
VIREO_ALWAYS_INLINE unsigned st_phys(const CpuState& c, unsigned i) { return (fpu_top(c) + i) & 7; }
VIREO_ALWAYS_INLINE bool st_empty(const CpuState& c, unsigned i) { return !((c.x87.ftw >> st_phys(c, i)) & 1); }
VIREO_ALWAYS_INLINE F80 phys_get(const CpuState& c, unsigned p) {
    F80 v;
    std::memcpy(&v.sig, c.x87.r[p], 8);
    std::memcpy(&v.se, c.x87.r[p] + 8, 2);
    return v;
}
VIREO_ALWAYS_INLINE void phys_set(CpuState& c, unsigned p, F80 v) {
    std::memcpy(c.x87.r[p], &v.sig, 8);
    std::memcpy(c.x87.r[p] + 8, &v.se, 2);
    c.x87.ftw = static_cast<u8>(c.x87.ftw | (1u << p));
}
VIREO_ALWAYS_INLINE F80 st_get(const CpuState& c, unsigned i) { return phys_get(c, st_phys(c, i)); }
VIREO_ALWAYS_INLINE void st_set(CpuState& c, unsigned i, F80 v) { phys_set(c, st_phys(c, i), v); }
// Push: TOP - 1, then ST(0) is written. Pop: ST(0) marked empty, TOP + 1 (SDM Vol. 1 8.1.2).
VIREO_ALWAYS_INLINE void fpu_push(CpuState& c, F80 v) {
    fpu_set_top(c, fpu_top(c) - 1);
    st_set(c, 0, v);
}
VIREO_ALWAYS_INLINE void fpu_pop(CpuState& c) {
    c.x87.ftw = static_cast<u8>(c.x87.ftw & ~(1u << fpu_top(c)));
    fpu_set_top(c, fpu_top(c) + 1);
}

// Before any x87 instruction: #NM when CR0.EM or CR0.TS is set (SDM Vol. 3A Table 2-2); then, for
// the waiting ones, a pending unmasked exception (FSW.ES) is reported first (Vol. 1 8.7): #MF
// when CR0.NE = 1. With CR0.NE = 0 the CPU asserts FERR#, which a PC turns into IRQ 13 (Vol. 1
// 8.7.2, D.2.1), unless IGNNE# is asserted; the instruction then runs, as on QEMU (Vireo does
// not model the "freeze" until the interrupt arrives). IGNNE# goes away with the error.
// x87_pending_error is that check alone, shared with WAIT/FWAIT (data.cc).
VIREO_ALWAYS_INLINE void x87_pending_error(CpuState& c) {
    if (VIREO_UNLIKELY(c.x87.fsw & FSW_ES)) {
        if (c.cr0 & CR0_NE) raise_fault_noerr(c, MF);
        if (!c.ignne && c.host) c.host->x87_ferr();
    } else {
        c.ignne = false;
    }
}
VIREO_ALWAYS_INLINE void x87_enter(CpuState& c, bool waiting) {
    if (VIREO_UNLIKELY(c.cr0 & (CR0_EM | CR0_TS))) raise_fault_noerr(c, NM);
    if (waiting) x87_pending_error(c);
}

// Op fields the x87 binders fill: imm2 holds FOP (SDM Vol. 1 8.1.9: the low 3 bits of the first
// opcode byte and the ModRM byte), r2 bit 0 says the form has a memory operand.
// The last instruction and data pointers of a non-control instruction (SDM Vol. 1 8.1.8).
VIREO_ALWAYS_INLINE void x87_note(CpuState& c, const Op& o) {
    X87State& x = c.x87;
    x.fop = static_cast<u16>(o.imm2);
    x.fip = c.long64 ? o.rip() : static_cast<u32>(o.rip());
    x.fcs = c.seg[CS].sel;
    if (o.r2 & 1) {
        x.fdp = op_ea(c, o);
        x.fds = c.seg[o.seg].sel;
    }
}

// After an operation: the raised flags into FSW (SF with C1 = 1 overflow / 0 underflow set by
// the caller), C1 from the rounding, and ES/B when an unmasked exception was raised (8.5).
VIREO_ALWAYS_INLINE void x87_flags(CpuState& c, u8 flags, bool c1) {
    X87State& x = c.x87;
    x.fsw = static_cast<u16>((x.fsw & ~FSW_C1) | (flags & 0x7f) | (c1 ? FSW_C1 : 0));
    if (flags & ~x.fcw & 0x3f) x.fsw |= FSW_ES | FSW_B;
}
// Pre-computation exceptions unmasked: the destination is left unchanged (SDM Vol. 1 8.5.1-8.5.3).
VIREO_ALWAYS_INLINE bool x87_blocked(const CpuState& c, u8 flags) {
    return flags & ~c.x87.fcw & (f80::kIE | f80::kDE | f80::kZE);
}
// A stack underflow (an empty source) or overflow (a push onto a full register): IE + SF, C1 = 0
// / 1 (SDM Vol. 1 8.5.1.1). Returns true when masked (the caller delivers the QNaN indefinite).
VIREO_ALWAYS_INLINE bool x87_stack_fault(CpuState& c, bool overflow) {
    x87_flags(c, f80::kIE | f80::kSF, overflow);
    return c.x87.fcw & f80::kIE;
}

// The x87 memory operands: reads happen before any state change, writes are probed first.
VIREO_ALWAYS_INLINE F80 read_m80(CpuState& c, const Op& o) {
    const u64 ea = op_ea(c, o);
    F80 v;
    v.sig = mem_read<u64>(c, o.seg, ea);
    v.se = mem_read<u16>(c, o.seg, ea + 8);
    return v;
}
VIREO_ALWAYS_INLINE void write_m80(CpuState& c, const Op& o, F80 v) {
    const u64 ea = op_ea(c, o);
    mem_write<u64>(c, o.seg, ea, v.sig);
    mem_write<u16>(c, o.seg, ea + 8, v.se);
}

// Fill the op for an x87 form: FOP, memory fields, ST(i) index in r0.
inline void x87_fill(const DecodedInsn& d, Op& op) {
    op.imm2 = static_cast<u16>(((d.opcode & 7) << 8) | d.modrm);
    op.r0 = d.modrm & 7;
    op.r2 = d.mem ? 1 : 0;
    if (d.mem) fill_mem(d, op);
}

std::span<const SemEntry> sem_x87_arith();
std::span<const SemEntry> sem_x87_move();
std::span<const SemEntry> sem_x87_transcendental();

}  // namespace vireo::x86
