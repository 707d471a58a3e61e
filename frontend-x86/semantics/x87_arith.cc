// x87 arithmetic, comparisons and the one-operand operations (SDM Vol. 2 instruction pages
// FADD..FDIVR, FCOM/FUCOM/FCOMI/FUCOMI/FICOM, FTST, FXAM, FCHS, FABS, FSQRT, FRNDINT, FSCALE,
// FXTRACT, FPREM/FPREM1, FCMOVcc; Vol. 1 8.3). The numbers come from softfloat/f80.
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

namespace {

using f80::Env80;

enum ArithOp : u8 { A_ADD, A_MUL, A_SUB, A_SUBR, A_DIV, A_DIVR };
// Memory operand kinds of the arithmetic and compare forms (Mem 0: ST(i)).
enum MemKind : int { M_NONE, M_F32, M_F64, M_I16, M_I32 };

template <int Mem>
VIREO_ALWAYS_INLINE F80 read_source(CpuState& c, const Op& o, Env80& e) {
    const u64 ea = op_ea(c, o);
    if constexpr (Mem == M_F32) return f80::from_f32(mem_read<u32>(c, o.seg, ea), e);
    else if constexpr (Mem == M_F64) return f80::from_f64(mem_read<u64>(c, o.seg, ea), e);
    else if constexpr (Mem == M_I16) return f80::from_int(static_cast<i16>(mem_read<u16>(c, o.seg, ea)));
    else return f80::from_int(static_cast<i32>(mem_read<u32>(c, o.seg, ea)));
}

// FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR and the P and I forms. aux: ArithOp; r0: i; r1 bit 0: the
// destination is ST(i) (DC/DE register forms), bit 1: pop.
template <int Mem>
void h_arith(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    F80 src{};
    if constexpr (Mem != M_NONE) src = read_source<Mem>(c, o, e);
    x87_note(c, o);
    const bool to_sti = o.r1 & 1;
    const unsigned di = to_sti ? o.r0 : 0, si = to_sti ? 0 : o.r0;
    if (st_empty(c, di) || (Mem == M_NONE && st_empty(c, si))) {
        if (x87_stack_fault(c, false)) {
            st_set(c, di, f80::kIndefinite);
            if (o.r1 & 2) fpu_pop(c);
        }
        return;
    }
    if constexpr (Mem == M_NONE) src = st_get(c, si);
    const F80 d = st_get(c, di);
    F80 r;
    switch (o.aux) {
    case A_ADD: r = f80::add(d, src, e); break;
    case A_MUL: r = f80::mul(d, src, e); break;
    case A_SUB: r = f80::sub(d, src, e); break;
    case A_SUBR: r = f80::sub(src, d, e); break;
    case A_DIV: r = f80::div(d, src, e); break;
    default: r = f80::div(src, d, e); break;
    }
    if (!x87_blocked(c, e.flags)) {
        st_set(c, di, r);
        if (o.r1 & 2) fpu_pop(c);
    }
    x87_flags(c, e.flags, e.c1);
}

// Condition codes of a comparison (SDM Vol. 2A FCOM/FCOMP/FCOMPP, the results table): C3 C2 C0.
void set_cc(CpuState& c, f80::Rel r) {
    static constexpr u16 kCc[4] = {FSW_C0, FSW_C3, 0, FSW_C3 | FSW_C2 | FSW_C0};
    c.x87.fsw = static_cast<u16>((c.x87.fsw & ~(FSW_C0 | FSW_C2 | FSW_C3)) | kCc[static_cast<int>(r)]);
}
void pop_n(CpuState& c, unsigned n) {
    for (unsigned k = 0; k < n; k++) fpu_pop(c);
}

// FCOM/FCOMP/FCOMPP/FUCOM/FUCOMP/FUCOMPP/FICOM/FICOMP/FTST. aux bit 0: quiet (FUCOM), bit 1:
// FTST (compare with +0); r1: pops.
template <int Mem>
void h_fcom(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    F80 src{};
    if constexpr (Mem != M_NONE) src = read_source<Mem>(c, o, e);
    x87_note(c, o);
    const bool ftst = o.aux & 2;
    // The condition codes are written even when the invalid-operation exception is unmasked
    // (unordered), and an unmasked denormal operand does not stop the comparison either; an
    // unmasked IE or DE only suppresses the pop (observed on the host).
    if (st_empty(c, 0) || (Mem == M_NONE && !ftst && st_empty(c, o.r0))) {
        set_cc(c, f80::Rel::Unordered);
        if (x87_stack_fault(c, false)) pop_n(c, o.r1);
        return;
    }
    if constexpr (Mem == M_NONE) src = ftst ? F80{} : st_get(c, o.r0);
    const f80::Rel r = f80::compare(st_get(c, 0), src, !(o.aux & 1), e);
    x87_flags(c, e.flags, false);
    set_cc(c, r);
    if (x87_blocked(c, e.flags)) return;
    pop_n(c, o.r1);
}

// FCOMI/FCOMIP/FUCOMI/FUCOMIP (SDM Vol. 2A FCOMI): ZF PF CF, OF SF AF cleared. aux bit 0:
// quiet; r1: pops.
void h_fcomi(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    // As FCOM: EFLAGS are written even with IE unmasked; C1 is left alone (observed).
    if (st_empty(c, 0) || st_empty(c, o.r0)) {
        set_flags_eager(c, ZF | PF | CF);
        if (x87_stack_fault(c, false)) pop_n(c, o.r1);
        return;
    }
    const f80::Rel r = f80::compare(st_get(c, 0), st_get(c, o.r0), !(o.aux & 1), e);
    x87_flags(c, e.flags, c.x87.fsw & FSW_C1);
    static constexpr u64 kFl[4] = {CF, ZF, 0, ZF | PF | CF};
    set_flags_eager(c, kFl[static_cast<int>(r)]);
    if (x87_blocked(c, e.flags)) return;
    pop_n(c, o.r1);
}

// FXAM (SDM Vol. 2A FXAM): C1 = sign, C3 C2 C0 = the class.
void h_fxam(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    const F80 v = st_get(c, 0);
    u16 cc;
    if (st_empty(c, 0)) {
        cc = FSW_C3 | FSW_C0;
    } else {
        switch (f80::classify(v)) {
        case f80::Class::Unsupported: cc = 0; break;
        case f80::Class::QNaN:
        case f80::Class::SNaN: cc = FSW_C0; break;
        case f80::Class::Normal: cc = FSW_C2; break;
        case f80::Class::Inf: cc = FSW_C2 | FSW_C0; break;
        case f80::Class::Zero: cc = FSW_C3; break;
        default: cc = FSW_C3 | FSW_C2; break;
        }
    }
    if (v.sign()) cc |= FSW_C1;
    c.x87.fsw = static_cast<u16>((c.x87.fsw & ~FSW_CC) | cc);
}

// FCHS / FABS (aux 0 / 1): sign only, no exceptions but stack underflow; C1 = 0.
void h_fsign(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    if (st_empty(c, 0)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    F80 v = st_get(c, 0);
    v.se = static_cast<u16>(o.aux ? v.se & 0x7fff : v.se ^ 0x8000);
    st_set(c, 0, v);
    c.x87.fsw &= ~FSW_C1;
}

enum UnaryOp : u8 { U_SQRT, U_RNDINT };
// FSQRT / FRNDINT on ST(0).
void h_unary(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    if (st_empty(c, 0)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    const F80 a = st_get(c, 0);
    const F80 r = o.aux == U_SQRT ? f80::sqrt(a, e) : f80::round_to_int(a, e);
    if (!x87_blocked(c, e.flags)) st_set(c, 0, r);
    x87_flags(c, e.flags, e.c1);
}

// FSCALE: ST(0) = ST(0) * 2^trunc(ST(1)).
void h_fscale(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    if (st_empty(c, 0) || st_empty(c, 1)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    const F80 r = f80::scale(st_get(c, 0), st_get(c, 1), e);
    if (!x87_blocked(c, e.flags)) st_set(c, 0, r);
    x87_flags(c, e.flags, e.c1);
}

// FXTRACT: ST(0) = exponent, then push the significand (SDM Vol. 2A FXTRACT).
void h_fxtract(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    if (st_empty(c, 0)) {
        if (x87_stack_fault(c, false)) {
            st_set(c, 0, f80::kIndefinite);
            fpu_push(c, f80::kIndefinite);
        }
        return;
    }
    if (!st_empty(c, 7)) {
        if (x87_stack_fault(c, true)) {
            st_set(c, 0, f80::kIndefinite);
            fpu_push(c, f80::kIndefinite);
        }
        return;
    }
    F80 ex, sig;
    f80::xtract(st_get(c, 0), ex, sig, e);
    if (!x87_blocked(c, e.flags)) {
        st_set(c, 0, ex);
        fpu_push(c, sig);
    }
    x87_flags(c, e.flags, false);
}

// FPREM / FPREM1 (aux 0 / 1): C2 = incomplete, C0 C3 C1 = quotient bits 2 1 0.
void h_fprem(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    x87_note(c, o);
    c.x87.fsw &= ~FSW_C2;  // also on a stack fault or an invalid operand (observed)
    if (st_empty(c, 0) || st_empty(c, 1)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    unsigned q;
    bool incomplete;
    const F80 r = f80::prem(st_get(c, 0), st_get(c, 1), o.aux, e, q, incomplete);
    x87_flags(c, e.flags, false);
    if (x87_blocked(c, e.flags)) return;
    st_set(c, 0, r);
    if (f80::is_nan(f80::classify(r))) return;  // C0/C3 unchanged (observed)
    u16 cc = incomplete ? FSW_C2 : 0;
    if (!incomplete) cc |= (q & 4 ? FSW_C0 : 0) | (q & 2 ? FSW_C3 : 0) | (q & 1 ? FSW_C1 : 0);
    c.x87.fsw = static_cast<u16>((c.x87.fsw & ~FSW_CC) | cc);
}

// FCMOVcc ST(0), ST(i): aux = the Jcc condition code it tests (SDM Vol. 2A FCMOVcc).
void h_fcmov(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    if (st_empty(c, 0) || st_empty(c, o.r0)) {
        if (x87_stack_fault(c, false)) st_set(c, 0, f80::kIndefinite);
        return;
    }
    if (eval_condition(c, o.aux)) st_set(c, 0, st_get(c, o.r0));  // C1 unchanged (observed)
}

// ---- binders ----
bool sti_dest(const DecodedInsn& d) { return !d.mem && (d.opcode == 0xDC || d.opcode == 0xDE); }

Handler bind_arith(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    const unsigned r = d.modrm_reg();
    static constexpr u8 kOps[8] = {A_ADD, A_MUL, 0, 0, A_SUB, A_SUBR, A_DIV, A_DIVR};
    op.aux = kOps[r];
    // DC/DE register forms name the reverse operation for the same ModRM.reg (SDM Vol. 2A
    // FSUB: DC E8+i is FSUB ST(i), ST(0); FSUBR: DC E0+i is FSUBR ST(i), ST(0)).
    if (sti_dest(d) && r >= 4) op.aux ^= 1;
    op.r1 = static_cast<u8>((sti_dest(d) ? 1 : 0) | (d.opcode == 0xDE && !d.mem ? 2 : 0));
    if (!d.mem) return &h_arith<M_NONE>;
    switch (d.opcode) {
    case 0xD8: return &h_arith<M_F32>;
    case 0xDC: return &h_arith<M_F64>;
    case 0xDA: return &h_arith<M_I32>;
    default: return &h_arith<M_I16>;
    }
}

Handler bind_fcom(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    const unsigned r = d.modrm_reg();
    op.aux = 0;
    op.r1 = r == 3 ? 1 : 0;
    if (d.opcode == 0xDE && d.modrm == 0xD9) op.r0 = 1, op.r1 = 2;  // FCOMPP
    if (!d.mem) return &h_fcom<M_NONE>;
    switch (d.opcode) {
    case 0xD8: return &h_fcom<M_F32>;
    case 0xDC: return &h_fcom<M_F64>;
    case 0xDA: return &h_fcom<M_I32>;
    default: return &h_fcom<M_I16>;
    }
}
Handler bind_fucom(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 1;
    op.r1 = d.modrm_reg() == 5 ? 1 : 0;
    if (d.opcode == 0xDA) op.r0 = 1, op.r1 = 2;  // FUCOMPP (DA E9)
    return &h_fcom<M_NONE>;
}
Handler bind_ftst(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 2;
    op.r1 = 0;
    return &h_fcom<M_NONE>;
}
Handler bind_fcomi(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = d.modrm_reg() == 5 ? 1 : 0;  // DB/DF /5: FUCOMI(P)
    op.r1 = d.opcode == 0xDF ? 1 : 0;
    return &h_fcomi;
}
Handler bind_fxam(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fxam;
}
Handler bind_fchs(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 0;
    return &h_fsign;
}
Handler bind_fabs(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 1;
    return &h_fsign;
}
Handler bind_fsqrt(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = U_SQRT;
    return &h_unary;
}
Handler bind_frndint(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = U_RNDINT;
    return &h_unary;
}
Handler bind_fscale(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fscale;
}
Handler bind_fxtract(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fxtract;
}
Handler bind_fprem(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = d.modrm == 0xF5 ? 1 : 0;
    return &h_fprem;
}
Handler bind_fcmov(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    // DA /0-3: B E BE U; DB /0-3: NB NE NBE NU (Jcc codes 2 4 6 10, +1 negated).
    static constexpr u8 kCc[4] = {2, 4, 6, 10};
    op.aux = static_cast<u8>(kCc[d.modrm_reg() & 3] + (d.opcode == 0xDB ? 1 : 0));
    return &h_fcmov;
}

constexpr SemEntry kEntries[] = {
    {"fadd", bind_arith, false}, {"faddp", bind_arith, false}, {"fiadd", bind_arith, false},
    {"fmul", bind_arith, false}, {"fmulp", bind_arith, false}, {"fimul", bind_arith, false},
    {"fsub", bind_arith, false}, {"fsubp", bind_arith, false}, {"fisub", bind_arith, false},
    {"fsubr", bind_arith, false}, {"fsubrp", bind_arith, false}, {"fisubr", bind_arith, false},
    {"fdiv", bind_arith, false}, {"fdivp", bind_arith, false}, {"fidiv", bind_arith, false},
    {"fdivr", bind_arith, false}, {"fdivrp", bind_arith, false}, {"fidivr", bind_arith, false},
    {"fcom", bind_fcom, false}, {"fcomp", bind_fcom, false}, {"fcompp", bind_fcom, false},
    {"ficom", bind_fcom, false}, {"ficomp", bind_fcom, false},
    {"fucom", bind_fucom, false}, {"fucomp", bind_fucom, false}, {"fucompp", bind_fucom, false},
    {"ftst", bind_ftst, false},
    {"fcomi", bind_fcomi, false}, {"fcomip", bind_fcomi, false},
    {"fucomi", bind_fcomi, false}, {"fucomip", bind_fcomi, false},
    {"fxam", bind_fxam, false}, {"fchs", bind_fchs, false}, {"fabs", bind_fabs, false},
    {"fsqrt", bind_fsqrt, false}, {"frndint", bind_frndint, false}, {"fscale", bind_fscale, false},
    {"fxtract", bind_fxtract, false}, {"fprem", bind_fprem, false}, {"fprem1", bind_fprem, false},
    {"fcmovb", bind_fcmov, false}, {"fcmove", bind_fcmov, false}, {"fcmovbe", bind_fcmov, false},
    {"fcmovu", bind_fcmov, false}, {"fcmovnb", bind_fcmov, false}, {"fcmovne", bind_fcmov, false},
    {"fcmovnbe", bind_fcmov, false}, {"fcmovnu", bind_fcmov, false},
};

}  // namespace

std::span<const SemEntry> sem_x87_arith() { return kEntries; }

}  // namespace vireo::x86
