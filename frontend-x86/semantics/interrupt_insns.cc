// Software interrupts and BOUND (SDM Vol. 2A "INT n/INTO/INT3/INT1—Call to Interrupt
// Procedure", BOUND). Delivery itself is interrupts.cc; a fault during it belongs to the
// instruction and is reported at it.
#include "frontend-x86/interrupts.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

void h_int(CpuState& c, const Op& o) {
    // Virtual-8086 mode: INT n is IOPL-sensitive (no VME: #GP(0), SDM Vol. 3A 20.3.3).
    if (c.vm86 && iopl_of(c) < 3) raise_gp0(c);
    deliver_event(c, static_cast<u8>(o.imm), EventKind::SoftwareInt, false, 0, o.next_rip);
    end_block(c, c.rip);
}

void h_int3(CpuState& c, const Op& o) {
    deliver_event(c, BP, EventKind::SoftwareException, false, 0, o.next_rip);
    end_block(c, c.rip);
}

void h_into(CpuState& c, const Op& o) {
    if (compute_arith_flags(c) & OF) {
        deliver_event(c, OF_VEC, EventKind::SoftwareException, false, 0, o.next_rip);
        end_block(c, c.rip);
    } else {
        end_block(c, o.next_rip);
    }
}

// INT1 (ICEBP): a #DB trap without the gate-DPL check, delivered like a hardware event.
void h_int1(CpuState& c, const Op& o) {
    deliver_event(c, DB, EventKind::Int1, false, 0, o.next_rip);
    end_block(c, c.rip);
}

// BOUND r, m: signed bounds (lower, upper) in memory, inclusive; out of range is #BR, a fault.
template <typename T>
void h_bound(CpuState& c, const Op& o) {
    using S = SignedOf<T>;
    const u64 ea = op_ea(c, o);
    const S lo = static_cast<S>(mem_read<T>(c, o.seg, ea));
    const S hi = static_cast<S>(mem_read<T>(c, o.seg, ea_plus(o, ea, sizeof(T))));
    const S idx = static_cast<S>(reg_get<T>(c, o.r0));
    if (idx < lo || idx > hi) raise_fault_noerr(c, BR);
}

}  // namespace

Handler bind_int(const DecodedInsn& d, Op& op) {
    op.imm = d.imm & 0xff;
    return &h_int;
}
Handler bind_int3(const DecodedInsn&, Op&) { return &h_int3; }
Handler bind_into(const DecodedInsn&, Op&) { return &h_into; }
Handler bind_int1(const DecodedInsn&, Op&) { return &h_int1; }
Handler bind_bound(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    return d.opsize == 2 ? &h_bound<u16> : &h_bound<u32>;
}

}  // namespace vireo::x86
