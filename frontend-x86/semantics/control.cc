// Near control transfers: Jcc, JMP, CALL, RET, LOOPcc, JrCXZ (SDM Vol. 2 instruction pages),
// and the engine's synthetic ops (fall-through, deferred faults).
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {

// A near branch target must be within CS's limit (#GP(0), SDM Vol. 2A JMP) or canonical in
// 64-bit mode (#GP(0)); the fault is reported at the branch.
void check_near_target(CpuState& c, u64 t) {
    if (c.long64) {
        if (VIREO_UNLIKELY(!is_canonical(c, t))) raise_gp0(c);
    } else if (VIREO_UNLIKELY(t > c.seg[CS].limit)) {
        raise_gp0(c);
    }
}

void op_goto(CpuState& c, const Op& o) { end_block(c, o.imm2); }
void op_raise_ud(CpuState& c, const Op&) { raise_ud(c); }
// An x87 instruction on a CPU model without the FPU: #NM when CR0.EM or CR0.TS is set
// (SDM Vol. 3A Table 2-2), else #UD.
void op_x87_absent(CpuState& c, const Op&) {
    if (c.cr0 & (CR0_EM | CR0_TS)) raise_fault_noerr(c, NM);
    raise_ud(c);
}
void op_raise_fault(CpuState& c, const Op& o) {
    if (o.aux == PF_VEC) raise_pf(c, o.imm2, static_cast<u32>(o.imm));
    if (o.r0) raise_fault(c, o.aux, static_cast<u32>(o.imm));
    raise_fault_noerr(c, o.aux);
}

namespace {

u64 trunc_ip(u64 v, unsigned opsize) {
    return opsize == 8 ? v : opsize == 4 ? static_cast<u32>(v) : static_cast<u16>(v);
}

template <unsigned CC>
void h_jcc(CpuState& c, const Op& o) {
    if (eval_condition_inline(c, CC)) {
        check_near_target(c, o.imm2);
        end_block(c, o.imm2);
    } else {
        end_block(c, o.next_rip);
    }
}
Handler bind_jcc(const DecodedInsn& d, Op& op) {
    op.aux = d.opcode & 15;
    op.imm2 = trunc_ip(op.next_rip + imm_sext(d), d.opsize);
    static constexpr Handler kJcc[16] = {&h_jcc<0>, &h_jcc<1>, &h_jcc<2>, &h_jcc<3>, &h_jcc<4>, &h_jcc<5>,
                                         &h_jcc<6>, &h_jcc<7>, &h_jcc<8>, &h_jcc<9>, &h_jcc<10>, &h_jcc<11>,
                                         &h_jcc<12>, &h_jcc<13>, &h_jcc<14>, &h_jcc<15>};
    return kJcc[op.aux];
}

void h_jmp_rel(CpuState& c, const Op& o) {
    check_near_target(c, o.imm2);
    end_block(c, o.imm2);
}
template <typename T, bool Mem>
void h_jmp_ind(CpuState& c, const Op& o) {
    const u64 t = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : reg_get<T>(c, o.r0);
    check_near_target(c, t);
    end_block(c, t);
}
template <bool Call>
Handler bind_ind(const DecodedInsn& d, Op& op);

Handler bind_jmp(const DecodedInsn& d, Op& op) {
    if (d.row->ops[0].kind == OpKind::J) {
        op.imm2 = trunc_ip(op.next_rip + imm_sext(d), d.opsize);
        return &h_jmp_rel;
    }
    return bind_ind<false>(d, op);
}

template <typename T>
void h_call_rel(CpuState& c, const Op& o) {
    check_near_target(c, o.imm2);
    push_value(c, static_cast<T>(o.next_rip), sizeof(T));
    end_block(c, o.imm2);
}
template <typename T, bool Mem>
void h_call_ind(CpuState& c, const Op& o) {
    const u64 t = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : reg_get<T>(c, o.r0);
    check_near_target(c, t);
    push_value(c, static_cast<T>(o.next_rip), sizeof(T));
    end_block(c, t);
}

template <bool Call>
Handler bind_ind(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool m = l[0] == Loc::Mem;
    if constexpr (Call) {
        switch (d.opsize) {
        case 2: return m ? &h_call_ind<u16, true> : &h_call_ind<u16, false>;
        case 4: return m ? &h_call_ind<u32, true> : &h_call_ind<u32, false>;
        default: return m ? &h_call_ind<u64, true> : &h_call_ind<u64, false>;
        }
    } else {
        switch (d.opsize) {
        case 2: return m ? &h_jmp_ind<u16, true> : &h_jmp_ind<u16, false>;
        case 4: return m ? &h_jmp_ind<u32, true> : &h_jmp_ind<u32, false>;
        default: return m ? &h_jmp_ind<u64, true> : &h_jmp_ind<u64, false>;
        }
    }
}

Handler bind_call(const DecodedInsn& d, Op& op) {
    if (d.row->ops[0].kind == OpKind::J) {
        op.imm2 = trunc_ip(op.next_rip + imm_sext(d), d.opsize);
        return d.opsize == 2 ? &h_call_rel<u16> : d.opsize == 4 ? &h_call_rel<u32> : &h_call_rel<u64>;
    }
    return bind_ind<true>(d, op);
}

template <typename T>
void h_ret(CpuState& c, const Op& o) {
    const u64 ea = stack_top_ea(c, 0);
    const u64 t = mem_read<T>(c, SS, ea);
    check_near_target(c, t);
    stack_set_rsp(c, ea + sizeof(T) + o.imm);
    end_block(c, t);
}
Handler bind_ret(const DecodedInsn& d, Op& op) {
    op.imm = d.imm & 0xffff;
    return d.opsize == 2 ? &h_ret<u16> : d.opsize == 4 ? &h_ret<u32> : &h_ret<u64>;
}

// LOOP/LOOPE/LOOPNE/JrCXZ: the counter is rCX at the address size (SDM Vol. 2A LOOPcc).
template <int Kind>  // 0 loopne, 1 loope, 2 loop, 3 jrcxz
void h_loop(CpuState& c, const Op& o) {
    u64 cx = c.gpr[RCX];
    const u64 mask = o.addrsize == 8 ? ~0ull : o.addrsize == 4 ? 0xffffffffull : 0xffffull;
    bool taken;
    if constexpr (Kind == 3) {
        taken = (cx & mask) == 0;
    } else {
        cx = (cx & ~mask) | ((cx - 1) & mask);
        if (o.addrsize == 4) cx &= mask;  // a 32-bit ECX write zero-extends
        taken = (cx & mask) != 0;
        if constexpr (Kind == 0) taken = taken && !(compute_arith_flags(c) & ZF);
        if constexpr (Kind == 1) taken = taken && (compute_arith_flags(c) & ZF);
    }
    if (taken) check_near_target(c, o.imm2);
    if constexpr (Kind != 3) c.gpr[RCX] = cx;
    end_block(c, taken ? o.imm2 : o.next_rip);
}
template <int Kind>
Handler bind_loop(const DecodedInsn& d, Op& op) {
    op.imm2 = trunc_ip(op.next_rip + imm_sext(d), d.opsize);
    return &h_loop<Kind>;
}

constexpr SemEntry kEntries[] = {
    {"jo", bind_jcc, true}, {"jno", bind_jcc, true}, {"jb", bind_jcc, true}, {"jae", bind_jcc, true},
    {"je", bind_jcc, true}, {"jne", bind_jcc, true}, {"jbe", bind_jcc, true}, {"ja", bind_jcc, true},
    {"js", bind_jcc, true}, {"jns", bind_jcc, true}, {"jp", bind_jcc, true}, {"jnp", bind_jcc, true},
    {"jl", bind_jcc, true}, {"jge", bind_jcc, true}, {"jle", bind_jcc, true}, {"jg", bind_jcc, true},
    {"jmp", bind_jmp, true}, {"call", bind_call, true}, {"ret", bind_ret, true},
    {"loopne", bind_loop<0>, true}, {"loope", bind_loop<1>, true}, {"loop", bind_loop<2>, true},
    {"jcxz|jecxz|jrcxz", bind_loop<3>, true},
};

}  // namespace

std::span<const SemEntry> sem_control() { return kEntries; }

}  // namespace vireo::x86
