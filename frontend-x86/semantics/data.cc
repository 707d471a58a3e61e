// Data movement: MOV, MOVZX/MOVSX/MOVSXD, LEA, PUSH/POP, XCHG, XADD, CMPXCHG(8B/16B), BSWAP,
// MOVBE, SETcc, CMOVcc, LAHF/SAHF, flag bit instructions, ENTER/LEAVE, XLAT, NOP
// (SDM Vol. 2 instruction pages).
#include "frontend-x86/semantics/sem_common.h"
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

// Defined with the system semantics (system.cc). Declared outside the anonymous namespace:
// inside it they would be distinct internal functions that nothing defines.
Handler bind_system_mov(const DecodedInsn& d, Op& op);  // MOV to/from CR/DR/Sreg
Handler bind_push_seg(const DecodedInsn& d, Op& op);
Handler bind_pop_seg(const DecodedInsn& d, Op& op);

namespace {

// ---------------------------------------------------------------- MOV
template <typename T, Loc D, Loc S>
void h_mov(CpuState& c, const Op& o) {
    if constexpr (D == Loc::Mem) {
        const T v = opnd_read<T, S, 0>(c, o);
        mem_write<T>(c, o.seg, op_ea(c, o), v);
    } else {
        reg_set<T>(c, o.r0, opnd_read<T, S, 1>(c, o));
    }
}
template <Loc D, Loc S>
constexpr Handler kMov[4] = {&h_mov<u8, D, S>, &h_mov<u16, D, S>, &h_mov<u32, D, S>, &h_mov<u64, D, S>};

Handler bind_mov_gpr(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    // Iz with 64-bit operands is sign-extended; B8+r Iv carries all 64 bits (SDM MOV).
    op.imm = d.imm_size == 8 ? d.imm : imm_sext(d);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    if (l[0] == Loc::Mem) return l[1] == Loc::Imm ? kMov<Loc::Mem, Loc::Imm>[si] : kMov<Loc::Mem, Loc::Reg>[si];
    if (l[1] == Loc::Mem) return kMov<Loc::Reg, Loc::Mem>[si];
    if (l[1] == Loc::Imm) return kMov<Loc::Reg, Loc::Imm>[si];
    return kMov<Loc::Reg, Loc::Reg>[si];
}


Handler bind_mov(const DecodedInsn& d, Op& op) {
    for (unsigned i = 0; i < d.row->nops; i++) {
        OpKind k = d.row->ops[i].kind;
        if (k == OpKind::S || k == OpKind::C || k == OpKind::D) return bind_system_mov(d, op);
    }
    return bind_mov_gpr(d, op);
}

// MOVZX/MOVSX/MOVSXD: destination T, source S (zero or sign extended).
template <typename T, typename S, bool Sign, bool Mem>
void h_movx(CpuState& c, const Op& o) {
    S v = Mem ? mem_read<S>(c, o.seg, op_ea(c, o)) : reg_get<S>(c, o.r1);
    T r = Sign ? static_cast<T>(static_cast<SignedOf<T>>(static_cast<SignedOf<S>>(v))) : static_cast<T>(v);
    reg_set<T>(c, o.r0, r);
}
template <bool Sign>
Handler bind_movx(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool m = l[1] == Loc::Mem;
    const unsigned src = operand_bytes(d.row->ops[1], d);
#define MX(T, S) (m ? &h_movx<T, S, Sign, true> : &h_movx<T, S, Sign, false>)
    if (src == 1) {
        switch (d.opsize) { case 2: return MX(u16, u8); case 4: return MX(u32, u8); default: return MX(u64, u8); }
    }
    if (src == 2) {
        switch (d.opsize) { case 2: return MX(u16, u16); case 4: return MX(u32, u16); default: return MX(u64, u16); }
    }
    // MOVSXD Gv,Ed: with 16/32-bit operand size it is a plain move of the low bits.
    switch (d.opsize) { case 2: return MX(u16, u16); case 4: return MX(u32, u32); default: return MX(u64, u32); }
#undef MX
}

// LEA: the effective address, truncated to the operand size (SDM Vol. 2A LEA table).
template <typename T>
void h_lea(CpuState& c, const Op& o) { reg_set<T>(c, o.r0, static_cast<T>(op_ea(c, o))); }
Handler bind_lea(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    static constexpr Handler t[4] = {nullptr, &h_lea<u16>, &h_lea<u32>, &h_lea<u64>};
    return t[size_index(d.opsize)];
}

// ---------------------------------------------------------------- PUSH / POP
template <typename T, Loc S>
void h_push(CpuState& c, const Op& o) {
    T v;
    if constexpr (S == Loc::Imm) v = static_cast<T>(o.imm);
    else if constexpr (S == Loc::Mem) v = mem_read<T>(c, o.seg, op_ea(c, o));
    else v = reg_get<T>(c, o.r0);
    push_value(c, v, sizeof(T));
}
template <typename T, bool Mem>
void h_pop(CpuState& c, const Op& o) {
    const u64 ea = stack_top_ea(c, 0);
    const T v = mem_read<T>(c, SS, ea);
    if constexpr (Mem) {
        // POP to memory computes the address with the incremented rSP (SDM Vol. 2B POP).
        const u64 old = c.gpr[RSP];
        stack_set_rsp(c, ea + sizeof(T));
        try {
            mem_write<T>(c, o.seg, op_ea(c, o), v);
        } catch (...) {
            c.gpr[RSP] = old;
            throw;
        }
    } else {
        stack_set_rsp(c, ea + sizeof(T));
        reg_set<T>(c, o.r0, v);
    }
}

Handler bind_push(const DecodedInsn& d, Op& op) {
    if (d.row->ops[0].kind == OpKind::SegFix) return bind_push_seg(d, op);
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = imm_sext(d);
    switch (d.opsize) {
    case 2: return l[0] == Loc::Imm ? &h_push<u16, Loc::Imm> : l[0] == Loc::Mem ? &h_push<u16, Loc::Mem> : &h_push<u16, Loc::Reg>;
    case 4: return l[0] == Loc::Imm ? &h_push<u32, Loc::Imm> : l[0] == Loc::Mem ? &h_push<u32, Loc::Mem> : &h_push<u32, Loc::Reg>;
    default: return l[0] == Loc::Imm ? &h_push<u64, Loc::Imm> : l[0] == Loc::Mem ? &h_push<u64, Loc::Mem> : &h_push<u64, Loc::Reg>;
    }
}
Handler bind_pop(const DecodedInsn& d, Op& op) {
    if (d.row->ops[0].kind == OpKind::SegFix) return bind_pop_seg(d, op);
    Loc l[4];
    fill_operands(d, op, l);
    const bool m = l[0] == Loc::Mem;
    switch (d.opsize) {
    case 2: return m ? &h_pop<u16, true> : &h_pop<u16, false>;
    case 4: return m ? &h_pop<u32, true> : &h_pop<u32, false>;
    default: return m ? &h_pop<u64, true> : &h_pop<u64, false>;
    }
}

// PUSHA/POPA (SDM Vol. 2B): eight registers, POPA skips the saved SP.
template <typename T>
void h_pusha(CpuState& c, const Op&) {
    const T sp = static_cast<T>(c.gpr[RSP]);
    // Probe the whole area first so a fault leaves rSP unchanged.
    mem_probe_write(c, SS, stack_top_ea(c, -8 * static_cast<i64>(sizeof(T))), 8 * sizeof(T));
    for (int r = RAX; r <= RDI; r++) push_value(c, r == RSP ? sp : static_cast<T>(c.gpr[r]), sizeof(T));
}
template <typename T>
void h_popa(CpuState& c, const Op&) {
    T v[8];
    for (int i = 0; i < 8; i++) v[i] = mem_read<T>(c, SS, stack_top_ea(c, i * static_cast<i64>(sizeof(T))));
    for (int r = RDI, i = 0; r >= RAX; r--, i++)
        if (r != RSP) reg_set<T>(c, reg_off(r), v[i]);
    stack_set_rsp(c, stack_top_ea(c, 8 * sizeof(T)));
}
Handler bind_pusha(const DecodedInsn& d, Op&) { return d.opsize == 2 ? &h_pusha<u16> : &h_pusha<u32>; }
Handler bind_popa(const DecodedInsn& d, Op&) { return d.opsize == 2 ? &h_popa<u16> : &h_popa<u32>; }

// ---------------------------------------------------------------- XCHG / XADD / CMPXCHG
template <typename T, bool Mem>
void h_xchg(CpuState& c, const Op& o) {
    if constexpr (Mem) {
        const u64 lin = seg_linear<Access::Write>(c, o.seg, op_ea(c, o), sizeof(T));
        const T a = mem_read_lin<T>(c, lin, c.mmu_idx);
        mem_write_lin<T>(c, lin, reg_get<T>(c, o.r0), c.mmu_idx);
        reg_set<T>(c, o.r0, a);
    } else {
        const T a = reg_get<T>(c, o.r0), b = reg_get<T>(c, o.r1);
        reg_set<T>(c, o.r0, b);
        reg_set<T>(c, o.r1, a);
    }
}
Handler bind_xchg(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_xchg<u8, false>, &h_xchg<u16, false>, &h_xchg<u32, false>, &h_xchg<u64, false>};
    static constexpr Handler tm[4] = {&h_xchg<u8, true>, &h_xchg<u16, true>, &h_xchg<u32, true>, &h_xchg<u64, true>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

template <typename T, bool Mem>
void h_xadd(CpuState& c, const Op& o) {
    constexpr int kSrc = Mem ? 0 : 1;
    const u8 src = kSrc == 0 ? o.r0 : o.r1;
    const T b = reg_get<T>(c, src);
    if constexpr (Mem) {
        const u64 lin = seg_linear<Access::Write>(c, o.seg, op_ea(c, o), sizeof(T));
        const T a = mem_read_lin<T>(c, lin, c.mmu_idx);
        mem_write_lin<T>(c, lin, T(a + b), c.mmu_idx);
        reg_set<T>(c, src, a);
        set_cc<T>(c, CC_ADD, T(a + b), b);
    } else {
        const T a = reg_get<T>(c, o.r0);
        reg_set<T>(c, src, a);
        reg_set<T>(c, o.r0, T(a + b));
        set_cc<T>(c, CC_ADD, T(a + b), b);
    }
}
Handler bind_xadd(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_xadd<u8, false>, &h_xadd<u16, false>, &h_xadd<u32, false>, &h_xadd<u64, false>};
    static constexpr Handler tm[4] = {&h_xadd<u8, true>, &h_xadd<u16, true>, &h_xadd<u32, true>, &h_xadd<u64, true>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

// CMPXCHG: compare rAX with dest; equal: dest = src, else rAX = dest. The memory form always
// writes (the old value back on mismatch: SDM Vol. 2A CMPXCHG).
template <typename T, bool Mem>
void h_cmpxchg(CpuState& c, const Op& o) {
    const T acc = reg_get<T>(c, reg_off(RAX));
    const u8 src = Mem ? o.r0 : o.r1;
    if constexpr (Mem) {
        const u64 lin = seg_linear<Access::Write>(c, o.seg, op_ea(c, o), sizeof(T));
        const T a = mem_read_lin<T>(c, lin, c.mmu_idx);
        mem_write_lin<T>(c, lin, a == acc ? reg_get<T>(c, src) : a, c.mmu_idx);
        if (a != acc) reg_set<T>(c, reg_off(RAX), a);
        set_cc<T>(c, CC_SUB, T(acc - a), a);
    } else {
        const T a = reg_get<T>(c, o.r0);
        if (a == acc) reg_set<T>(c, o.r0, reg_get<T>(c, src));
        else reg_set<T>(c, reg_off(RAX), a);
        set_cc<T>(c, CC_SUB, T(acc - a), a);
    }
}
Handler bind_cmpxchg(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_cmpxchg<u8, false>, &h_cmpxchg<u16, false>, &h_cmpxchg<u32, false>, &h_cmpxchg<u64, false>};
    static constexpr Handler tm[4] = {&h_cmpxchg<u8, true>, &h_cmpxchg<u16, true>, &h_cmpxchg<u32, true>, &h_cmpxchg<u64, true>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

// CMPXCHG8B/16B: EDX:EAX vs m64 (RDX:RAX vs m128, which must be 16-byte aligned: #GP(0)).
template <bool Wide>
void h_cmpxchg8b(CpuState& c, const Op& o) {
    using T = std::conditional_t<Wide, u64, u32>;
    const u64 ea = op_ea(c, o);
    if (Wide && (ea & 15)) raise_gp0(c);
    const u64 lin = seg_linear<Access::Write>(c, o.seg, ea, 2 * sizeof(T));
    tlb_probe_write(c, lin, 2 * sizeof(T), c.mmu_idx);
    const T lo = mem_read_lin<T>(c, lin, c.mmu_idx), hi = mem_read_lin<T>(c, lin + sizeof(T), c.mmu_idx);
    const T ax = static_cast<T>(c.gpr[RAX]), dx = static_cast<T>(c.gpr[RDX]);
    u64 f = compute_arith_flags(c) & ~ZF;
    if (lo == ax && hi == dx) {
        mem_write_lin<T>(c, lin, static_cast<T>(c.gpr[RBX]), c.mmu_idx);
        mem_write_lin<T>(c, lin + sizeof(T), static_cast<T>(c.gpr[RCX]), c.mmu_idx);
        f |= ZF;
    } else {
        mem_write_lin<T>(c, lin, lo, c.mmu_idx);
        mem_write_lin<T>(c, lin + sizeof(T), hi, c.mmu_idx);
        reg_set<T>(c, reg_off(RAX), lo);
        reg_set<T>(c, reg_off(RDX), hi);
    }
    set_flags_eager(c, f);
}
Handler bind_cmpxchg8b(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_cmpxchg8b<false>; }
Handler bind_cmpxchg16b(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_cmpxchg8b<true>; }

// ---------------------------------------------------------------- BSWAP / MOVBE
template <typename T> T bswap_t(T v) {
    if constexpr (sizeof(T) == 2) return __builtin_bswap16(v);
    else if constexpr (sizeof(T) == 4) return __builtin_bswap32(v);
    else return __builtin_bswap64(v);
}
template <typename T>
void h_bswap(CpuState& c, const Op& o) {
    if constexpr (sizeof(T) == 2) reg_set<u16>(c, o.r0, 0);  // 16-bit BSWAP: undefined; we zero like hardware
    else reg_set<T>(c, o.r0, bswap_t(reg_get<T>(c, o.r0)));
}
Handler bind_bswap(const DecodedInsn& d, Op& op) {
    op.r0 = reg_off(d.rm);
    return d.opsize == 8 ? &h_bswap<u64> : d.opsize == 4 ? &h_bswap<u32> : &h_bswap<u16>;
}
template <typename T, bool Load>
void h_movbe(CpuState& c, const Op& o) {
    if constexpr (Load) reg_set<T>(c, o.r0, bswap_t(mem_read<T>(c, o.seg, op_ea(c, o))));
    else mem_write<T>(c, o.seg, op_ea(c, o), bswap_t(reg_get<T>(c, o.r0)));
}
Handler bind_movbe(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool load = l[1] == Loc::Mem;
    switch (d.opsize) {
    case 2: return load ? &h_movbe<u16, true> : &h_movbe<u16, false>;
    case 4: return load ? &h_movbe<u32, true> : &h_movbe<u32, false>;
    default: return load ? &h_movbe<u64, true> : &h_movbe<u64, false>;
    }
}

// ---------------------------------------------------------------- SETcc / CMOVcc
template <bool Mem>
void h_setcc(CpuState& c, const Op& o) {
    const u8 v = eval_condition_inline(c, o.aux);
    if constexpr (Mem) mem_write<u8>(c, o.seg, op_ea(c, o), v);
    else reg_set<u8>(c, o.r0, v);
}
Handler bind_setcc(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.aux = d.opcode & 15;
    return l[0] == Loc::Mem ? &h_setcc<true> : &h_setcc<false>;
}
// CMOVcc reads its source even when the condition is false (a fault still happens), and with
// 32-bit operands always zero-extends the destination (SDM Vol. 2A CMOVcc).
template <typename T, bool Mem>
void h_cmov(CpuState& c, const Op& o) {
    const T v = Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : reg_get<T>(c, o.r1);
    if (eval_condition_inline(c, o.aux)) reg_set<T>(c, o.r0, v);
    else if constexpr (sizeof(T) == 4) reg_set<T>(c, o.r0, reg_get<T>(c, o.r0));
}
Handler bind_cmov(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.aux = d.opcode & 15;
    const bool m = l[1] == Loc::Mem;
    switch (d.opsize) {
    case 2: return m ? &h_cmov<u16, true> : &h_cmov<u16, false>;
    case 4: return m ? &h_cmov<u32, true> : &h_cmov<u32, false>;
    default: return m ? &h_cmov<u64, true> : &h_cmov<u64, false>;
    }
}

// ---------------------------------------------------------------- flags
void h_lahf(CpuState& c, const Op&) {
    reg_set<u8>(c, 1 /* AH */, static_cast<u8>((compute_arith_flags(c) & (SF | ZF | AF | PF | CF)) | 2));
}
void h_sahf(CpuState& c, const Op&) {
    const u64 ah = (c.gpr[RAX] >> 8) & (SF | ZF | AF | PF | CF);
    set_flags_eager(c, (compute_arith_flags(c) & OF) | ah);
}
Handler bind_lahf(const DecodedInsn&, Op&) { return &h_lahf; }
Handler bind_sahf(const DecodedInsn&, Op&) { return &h_sahf; }
template <int Kind>  // 0 clc, 1 stc, 2 cmc
void h_cf(CpuState& c, const Op&) {
    u64 f = compute_arith_flags(c);
    f = Kind == 0 ? f & ~CF : Kind == 1 ? f | CF : f ^ CF;
    set_flags_eager(c, f);
}
template <bool Set>
void h_df(CpuState& c, const Op&) { c.eflags = Set ? c.eflags | DF : c.eflags & ~DF; }
Handler bind_clc(const DecodedInsn&, Op&) { return &h_cf<0>; }
Handler bind_stc(const DecodedInsn&, Op&) { return &h_cf<1>; }
Handler bind_cmc(const DecodedInsn&, Op&) { return &h_cf<2>; }
Handler bind_cld(const DecodedInsn&, Op&) { return &h_df<false>; }
Handler bind_std(const DecodedInsn&, Op&) { return &h_df<true>; }

// ---------------------------------------------------------------- ENTER / LEAVE / XLAT / NOP
template <typename T>
void h_leave(CpuState& c, const Op&) {
    // rSP = rBP (stack-size wide), then pop rBP (operand size).
    const u64 bp = c.stack_size == 8 ? c.gpr[RBP] : c.stack_size == 4 ? static_cast<u32>(c.gpr[RBP]) : static_cast<u16>(c.gpr[RBP]);
    const T v = mem_read<T>(c, SS, bp);
    stack_set_rsp(c, bp + sizeof(T));
    reg_set<T>(c, reg_off(RBP), v);
}
Handler bind_leave(const DecodedInsn& d, Op&) {
    return d.opsize == 2 ? &h_leave<u16> : d.opsize == 4 ? &h_leave<u32> : &h_leave<u64>;
}
// ENTER size, level (SDM Vol. 2A ENTER, "Operation").
template <typename T>
void h_enter(CpuState& c, const Op& o) {
    const unsigned level = o.imm2 & 31;
    const u64 size = o.imm & 0xffff;
    const u64 old_rsp = c.gpr[RSP], old_rbp = c.gpr[RBP];
    try {
        push_value(c, static_cast<T>(c.gpr[RBP]), sizeof(T));
        const u64 frame = stack_top_ea(c, 0);
        if (level) {
            u64 bp = old_rbp;
            for (unsigned i = 1; i < level; i++) {
                bp -= sizeof(T);
                const u64 bpa = c.stack_size == 8 ? bp : c.stack_size == 4 ? static_cast<u32>(bp) : static_cast<u16>(bp);
                push_value(c, mem_read<T>(c, SS, bpa), sizeof(T));
            }
            push_value(c, static_cast<T>(frame), sizeof(T));
        }
        const u64 nsp = stack_top_ea(c, -static_cast<i64>(size));
        // The final rSP must be a valid stack address (#SS/#PF before any state change).
        if (size) mem_read<u8>(c, SS, nsp);
        reg_set<T>(c, reg_off(RBP), static_cast<T>(frame));
        stack_set_rsp(c, nsp);
    } catch (...) {
        c.gpr[RSP] = old_rsp;
        c.gpr[RBP] = old_rbp;
        throw;
    }
}
Handler bind_enter(const DecodedInsn& d, Op& op) {
    op.imm = d.imm;
    op.imm2 = d.imm2;
    return d.opsize == 2 ? &h_enter<u16> : d.opsize == 4 ? &h_enter<u32> : &h_enter<u64>;
}
void h_xlat(CpuState& c, const Op& o) {
    u64 ea = c.gpr[RBX] + static_cast<u8>(c.gpr[RAX]);
    ea = o.addrsize == 8 ? ea : o.addrsize == 4 ? static_cast<u32>(ea) : static_cast<u16>(ea);
    reg_set<u8>(c, 0, mem_read<u8>(c, o.seg, ea));
}
Handler bind_xlat(const DecodedInsn& d, Op& op) {
    op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
    return &h_xlat;
}
void h_nop(CpuState&, const Op&) {}
// WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set (SDM Vol. 3A Table 2-2); then a pending
// unmasked x87 exception (FSW.ES) is #MF, or FERR# with CR0.NE = 0 (x87_common.h).
void h_wait(CpuState& c, const Op&) {
    if ((c.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) raise_fault_noerr(c, NM);
    x87_pending_error(c);
}
Handler bind_wait(const DecodedInsn&, Op&) { return &h_wait; }
Handler bind_nop(const DecodedInsn&, Op&) { return &h_nop; }
// PAUSE (SDM Vol. 2B "PAUSE"): a spin-wait hint. With several vCPUs taking turns on one host
// thread it ends this vCPU's turn, so the CPU holding the lock it spins on gets to run (as
// QEMU's round-robin TCG does).
void h_pause(CpuState& c, const Op& o) {
    if (!c.yield_on_pause) return;
    end_block(c, o.next_rip);
    c.interrupt_request.fetch_or(IRQ_EXIT);
}
Handler bind_pause(const DecodedInsn&, Op&) { return &h_pause; }

constexpr SemEntry kEntries[] = {
    {"mov", bind_mov, false}, {"movzx", bind_movx<false>, false}, {"movsx", bind_movx<true>, false},
    {"movsxd", bind_movx<true>, false}, {"lea", bind_lea, false},
    {"push", bind_push, false}, {"pop", bind_pop, false},
    {"pushaw|pushal|", bind_pusha, false}, {"popaw|popal|", bind_popa, false},
    {"xchg", bind_xchg, false}, {"xadd", bind_xadd, false}, {"cmpxchg", bind_cmpxchg, false},
    {"cmpxchg8b", bind_cmpxchg8b, false}, {"cmpxchg16b", bind_cmpxchg16b, false},
    {"bswap", bind_bswap, false}, {"movbe", bind_movbe, false},
    {"seto", bind_setcc, false}, {"setno", bind_setcc, false}, {"setb", bind_setcc, false},
    {"setae", bind_setcc, false}, {"sete", bind_setcc, false}, {"setne", bind_setcc, false},
    {"setbe", bind_setcc, false}, {"seta", bind_setcc, false}, {"sets", bind_setcc, false},
    {"setns", bind_setcc, false}, {"setp", bind_setcc, false}, {"setnp", bind_setcc, false},
    {"setl", bind_setcc, false}, {"setge", bind_setcc, false}, {"setle", bind_setcc, false},
    {"setg", bind_setcc, false},
    {"cmovo", bind_cmov, false}, {"cmovno", bind_cmov, false}, {"cmovb", bind_cmov, false},
    {"cmovae", bind_cmov, false}, {"cmove", bind_cmov, false}, {"cmovne", bind_cmov, false},
    {"cmovbe", bind_cmov, false}, {"cmova", bind_cmov, false}, {"cmovs", bind_cmov, false},
    {"cmovns", bind_cmov, false}, {"cmovp", bind_cmov, false}, {"cmovnp", bind_cmov, false},
    {"cmovl", bind_cmov, false}, {"cmovge", bind_cmov, false}, {"cmovle", bind_cmov, false},
    {"cmovg", bind_cmov, false},
    {"lahf", bind_lahf, false}, {"sahf", bind_sahf, false},
    {"clc", bind_clc, false}, {"stc", bind_stc, false}, {"cmc", bind_cmc, false},
    {"cld", bind_cld, false}, {"std", bind_std, false},
    {"leave", bind_leave, false}, {"enter", bind_enter, false}, {"xlatb", bind_xlat, false},
    {"nop", bind_nop, false}, {"wait", bind_wait, false}, {"pause", bind_pause, false}, {"endbr64", bind_nop, false},
    {"endbr32", bind_nop, false}, {"prefetchnta", bind_nop, false}, {"prefetcht0", bind_nop, false},
    {"prefetcht1", bind_nop, false}, {"prefetcht2", bind_nop, false}, {"prefetchw", bind_nop, false},
    {"prefetch", bind_nop, false}, {"lfence", bind_nop, false}, {"mfence", bind_nop, false},
    {"sfence", bind_nop, false}, {"movnti", bind_mov_gpr, false},
};

}  // namespace

std::span<const SemEntry> sem_data() { return kEntries; }

}  // namespace vireo::x86
