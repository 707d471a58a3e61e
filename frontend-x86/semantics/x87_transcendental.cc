// x87 transcendental instructions (SDM Vol. 2A/2B FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1,
// FYL2X, FYL2XP1; Vol. 1 8.3.10). The numbers come from softfloat/f80_transcendental.cc; this
// file does the register stack, the condition codes and the exception reporting.
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

namespace {

using f80::Env80;
using f80::Trig;

// FSIN / FCOS / FSINCOS / FPTAN (aux: Trig). C2 = 1 and ST(0) unchanged when |ST(0)| >= 2^63
// (out of range); FSINCOS and FPTAN push a second result (cos / 1.0), so ST(7) must be empty.
void h_trig(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    const Trig op = static_cast<Trig>(o.aux);
    const bool pushes = op == Trig::SinCos || op == Trig::Tan;
    c.x87.fsw &= ~FSW_C2;
    if (st_empty(c, 0) || (pushes && !st_empty(c, 7))) {
        if (x87_stack_fault(c, !st_empty(c, 0))) {
            st_set(c, 0, f80::kIndefinite);
            if (pushes) fpu_push(c, f80::kIndefinite);
        }
        return;
    }
    F80 r, r2;
    if (!f80::trig(op, st_get(c, 0), r, r2, e)) {
        c.x87.fsw = static_cast<u16>((c.x87.fsw & ~FSW_C1) | FSW_C2);
        return;
    }
    if (!x87_blocked(c, e.flags)) {
        st_set(c, 0, r);
        if (pushes) fpu_push(c, r2);
    }
    x87_flags(c, e.flags, e.c1);
}

// F2XM1: ST(0) = 2^ST(0) - 1.
void h_f2xm1(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    if (st_empty(c, 0)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    const F80 r = f80::f2xm1(st_get(c, 0), e);
    if (!x87_blocked(c, e.flags)) st_set(c, 0, r);
    x87_flags(c, e.flags, e.c1);
}

enum TwoOp : u8 { T_PATAN, T_YL2X, T_YL2XP1 };
// FPATAN / FYL2X / FYL2XP1: ST(1) = f(ST(1), ST(0)), then pop.
void h_two(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    if (st_empty(c, 0) || st_empty(c, 1)) {
        if (x87_stack_fault(c, false)) {
            st_set(c, 1, f80::kIndefinite);
            fpu_pop(c);
        }
        return;
    }
    const F80 y = st_get(c, 1), x = st_get(c, 0);
    F80 r;
    switch (o.aux) {
    case T_PATAN: r = f80::patan(y, x, e); break;
    case T_YL2X: r = f80::yl2x(y, x, e); break;
    default: r = f80::yl2xp1(y, x, e); break;
    }
    if (!x87_blocked(c, e.flags)) {
        st_set(c, 1, r);
        fpu_pop(c);
    }
    x87_flags(c, e.flags, e.c1);
}

Handler bind_trig(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    switch (d.modrm) {
    case 0xFE: op.aux = static_cast<u8>(Trig::Sin); break;
    case 0xFF: op.aux = static_cast<u8>(Trig::Cos); break;
    case 0xFB: op.aux = static_cast<u8>(Trig::SinCos); break;
    default: op.aux = static_cast<u8>(Trig::Tan); break;
    }
    return &h_trig;
}
Handler bind_f2xm1(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_f2xm1;
}
Handler bind_two(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = d.modrm == 0xF3 ? T_PATAN : d.modrm == 0xF1 ? T_YL2X : T_YL2XP1;
    return &h_two;
}

constexpr SemEntry kEntries[] = {
    {"fsin", bind_trig, false}, {"fcos", bind_trig, false}, {"fsincos", bind_trig, false},
    {"fptan", bind_trig, false}, {"f2xm1", bind_f2xm1, false}, {"fpatan", bind_two, false},
    {"fyl2x", bind_two, false}, {"fyl2xp1", bind_two, false},
};

}  // namespace

std::span<const SemEntry> sem_x87_transcendental() { return kEntries; }

}  // namespace vireo::x86
