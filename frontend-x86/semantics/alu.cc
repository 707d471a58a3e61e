// Integer arithmetic and logic: ADD..CMP, TEST, INC/DEC/NOT/NEG, MUL/IMUL/DIV/IDIV,
// CBW/CWD families, shifts and rotates, SHLD/SHRD (SDM Vol. 2 instruction pages).
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {
namespace {

// ---------------------------------------------------------------- binary ALU ops
struct Add { static constexpr bool writes = true;
    template <typename T> static T op(CpuState&, T a, T b, u64&) { return a + b; }
    template <typename T> static void fl(CpuState& c, T, T b, T r, u64) { set_cc<T>(c, CC_ADD, r, b); } };
struct Or { static constexpr bool writes = true;
    template <typename T> static T op(CpuState&, T a, T b, u64&) { return a | b; }
    template <typename T> static void fl(CpuState& c, T, T, T r, u64) { set_cc<T>(c, CC_LOGIC, r, 0); } };
struct Adc { static constexpr bool writes = true;
    template <typename T> static T op(CpuState& c, T a, T b, u64& cin) { cin = compute_cf(c); return a + b + T(cin); }
    template <typename T> static void fl(CpuState& c, T, T b, T r, u64 cin) { set_cc<T>(c, CC_ADC, r, b, cin); } };
struct Sbb { static constexpr bool writes = true;
    template <typename T> static T op(CpuState& c, T a, T b, u64& cin) { cin = compute_cf(c); return a - b - T(cin); }
    template <typename T> static void fl(CpuState& c, T, T b, T r, u64 cin) { set_cc<T>(c, CC_SBB, r, b, cin); } };
struct And { static constexpr bool writes = true;
    template <typename T> static T op(CpuState&, T a, T b, u64&) { return a & b; }
    template <typename T> static void fl(CpuState& c, T, T, T r, u64) { set_cc<T>(c, CC_LOGIC, r, 0); } };
struct Sub { static constexpr bool writes = true;
    template <typename T> static T op(CpuState&, T a, T b, u64&) { return a - b; }
    template <typename T> static void fl(CpuState& c, T, T b, T r, u64) { set_cc<T>(c, CC_SUB, r, b); } };
struct Xor { static constexpr bool writes = true;
    template <typename T> static T op(CpuState&, T a, T b, u64&) { return a ^ b; }
    template <typename T> static void fl(CpuState& c, T, T, T r, u64) { set_cc<T>(c, CC_LOGIC, r, 0); } };
struct Cmp : Sub { static constexpr bool writes = false; };
struct Test : And { static constexpr bool writes = false; };

template <class A, typename T, Loc D, Loc S>
void h_binop(CpuState& c, const Op& o) {
    constexpr int kSrcSlot = D == Loc::Mem ? 0 : 1;
    u64 cin = 0;
    if constexpr (D == Loc::Mem) {
        const u64 lin = seg_linear<A::writes ? Access::Write : Access::Read>(c, o.seg, op_ea(c, o), sizeof(T));
        const T a = mem_read_lin<T>(c, lin, c.mmu_idx);
        const T b = opnd_read<T, S, kSrcSlot>(c, o);
        const T r = A::template op<T>(c, a, b, cin);
        if constexpr (A::writes) mem_write_lin<T>(c, lin, r, c.mmu_idx);
        A::template fl<T>(c, a, b, r, cin);
    } else {
        const T b = opnd_read<T, S, kSrcSlot>(c, o);
        const T a = reg_get<T>(c, o.r0);
        const T r = A::template op<T>(c, a, b, cin);
        if constexpr (A::writes) reg_set<T>(c, o.r0, r);
        A::template fl<T>(c, a, b, r, cin);
    }
}

// XOR/SUB r,r (the zeroing idiom) needs no special case: the generic handler is exact.
template <class A>
Handler bind_binop(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = imm_sext(d);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    if (l[0] == Loc::Reg && l[1] == Loc::Reg) {
        static constexpr Handler t[4] = {&h_binop<A, u8, Loc::Reg, Loc::Reg>, &h_binop<A, u16, Loc::Reg, Loc::Reg>,
                                         &h_binop<A, u32, Loc::Reg, Loc::Reg>, &h_binop<A, u64, Loc::Reg, Loc::Reg>};
        return t[si];
    }
    if (l[0] == Loc::Reg && l[1] == Loc::Mem) {
        static constexpr Handler t[4] = {&h_binop<A, u8, Loc::Reg, Loc::Mem>, &h_binop<A, u16, Loc::Reg, Loc::Mem>,
                                         &h_binop<A, u32, Loc::Reg, Loc::Mem>, &h_binop<A, u64, Loc::Reg, Loc::Mem>};
        return t[si];
    }
    if (l[0] == Loc::Reg && l[1] == Loc::Imm) {
        static constexpr Handler t[4] = {&h_binop<A, u8, Loc::Reg, Loc::Imm>, &h_binop<A, u16, Loc::Reg, Loc::Imm>,
                                         &h_binop<A, u32, Loc::Reg, Loc::Imm>, &h_binop<A, u64, Loc::Reg, Loc::Imm>};
        return t[si];
    }
    if (l[0] == Loc::Mem && l[1] == Loc::Reg) {
        static constexpr Handler t[4] = {&h_binop<A, u8, Loc::Mem, Loc::Reg>, &h_binop<A, u16, Loc::Mem, Loc::Reg>,
                                         &h_binop<A, u32, Loc::Mem, Loc::Reg>, &h_binop<A, u64, Loc::Mem, Loc::Reg>};
        return t[si];
    }
    if (l[0] == Loc::Mem && l[1] == Loc::Imm) {
        static constexpr Handler t[4] = {&h_binop<A, u8, Loc::Mem, Loc::Imm>, &h_binop<A, u16, Loc::Mem, Loc::Imm>,
                                         &h_binop<A, u32, Loc::Mem, Loc::Imm>, &h_binop<A, u64, Loc::Mem, Loc::Imm>};
        return t[si];
    }
    return nullptr;
}
// TEST Eb,Gb with E in memory: the register is operand 1 (fill_operands keeps order).

// ---------------------------------------------------------------- unary ops
struct Inc { template <typename T> static T op(CpuState& c, T a, u64& aux) { aux = compute_cf(c) ? CF : 0; return a + 1; }
             template <typename T> static void fl(CpuState& c, T a, T r, u64 aux) { set_cc<T>(c, CC_INC, r, 1, aux); } };
struct Dec { template <typename T> static T op(CpuState& c, T a, u64& aux) { aux = compute_cf(c) ? CF : 0; return a - 1; }
             template <typename T> static void fl(CpuState& c, T a, T r, u64 aux) { set_cc<T>(c, CC_DEC, r, 1, aux); } };
struct Not { template <typename T> static T op(CpuState&, T a, u64&) { return ~a; }
             template <typename T> static void fl(CpuState&, T, T, u64) {} };  // flags unaffected
struct Neg { template <typename T> static T op(CpuState&, T a, u64&) { return T(0) - a; }
             template <typename T> static void fl(CpuState& c, T a, T r, u64) { set_cc<T>(c, CC_NEG, r, a); } };

template <class U, typename T, Loc D>
void h_unop(CpuState& c, const Op& o) {
    u64 aux = 0;
    if constexpr (D == Loc::Mem) {
        const u64 lin = seg_linear<Access::Write>(c, o.seg, op_ea(c, o), sizeof(T));
        const T a = mem_read_lin<T>(c, lin, c.mmu_idx);
        const T r = U::template op<T>(c, a, aux);
        mem_write_lin<T>(c, lin, r, c.mmu_idx);
        U::template fl<T>(c, a, r, aux);
    } else {
        const T a = reg_get<T>(c, o.r0);
        const T r = U::template op<T>(c, a, aux);
        reg_set<T>(c, o.r0, r);
        U::template fl<T>(c, a, r, aux);
    }
}

template <class U>
Handler bind_unop(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_unop<U, u8, Loc::Reg>, &h_unop<U, u16, Loc::Reg>,
                                      &h_unop<U, u32, Loc::Reg>, &h_unop<U, u64, Loc::Reg>};
    static constexpr Handler tm[4] = {&h_unop<U, u8, Loc::Mem>, &h_unop<U, u16, Loc::Mem>,
                                      &h_unop<U, u32, Loc::Mem>, &h_unop<U, u64, Loc::Mem>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

// ---------------------------------------------------------------- multiply / divide
template <typename T>
T read_rm(CpuState& c, const Op& o, bool mem) {
    return mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : reg_get<T>(c, o.r0);
}

// Flags after MUL/IMUL: CF=OF as the SDM defines; SF/ZF/AF/PF are undefined (we derive
// SF/ZF/PF from the low half, AF=0).
template <typename T>
void mul_flags(CpuState& c, T lo, bool overflow) {
    u64 f = overflow ? (CF | OF) : 0;
    if (!lo) f |= ZF;
    if (lo & sign_bit<T>()) f |= SF;
    if (parity_even(static_cast<u8>(lo))) f |= PF;
    set_flags_eager(c, f);
}

// One-operand MUL/IMUL: rDX:rAX (AX for bytes) = rAX * r/m.
template <typename T, bool Signed, bool Mem>
void h_mul1(CpuState& c, const Op& o) {
    const T b = read_rm<T>(c, o, Mem);
    const T a = reg_get<T>(c, reg_off(RAX));
    T lo, hi;
    if constexpr (Signed) {
        using S = SignedOf<T>;
        i128 p = static_cast<i128>(static_cast<S>(a)) * static_cast<S>(b);
        lo = static_cast<T>(p);
        hi = static_cast<T>(p >> (8 * sizeof(T)));
        mul_flags<T>(c, lo, p != static_cast<i128>(static_cast<S>(lo)));
    } else {
        u128 p = static_cast<u128>(a) * b;
        lo = static_cast<T>(p);
        hi = static_cast<T>(p >> (8 * sizeof(T)));
        mul_flags<T>(c, lo, hi != 0);
    }
    if constexpr (sizeof(T) == 1) {
        reg_set<u16>(c, reg_off(RAX), static_cast<u16>(lo | (u16(hi) << 8)));
    } else {
        reg_set<T>(c, reg_off(RAX), lo);
        reg_set<T>(c, reg_off(RDX), hi);
    }
}

// Two/three-operand IMUL: G = (G or r/m) * (r/m or imm), truncated.
template <typename T, Loc S, bool Three>
void h_imul(CpuState& c, const Op& o) {
    using SI = SignedOf<T>;
    T a, b;
    if constexpr (Three) {
        a = opnd_read<T, S, 1>(c, o);
        b = static_cast<T>(o.imm);
    } else {
        a = reg_get<T>(c, o.r0);
        b = opnd_read<T, S, 1>(c, o);
    }
    i128 p = static_cast<i128>(static_cast<SI>(a)) * static_cast<SI>(b);
    T lo = static_cast<T>(p);
    reg_set<T>(c, o.r0, lo);
    mul_flags<T>(c, lo, p != static_cast<i128>(static_cast<SI>(lo)));
}

// DIV/IDIV: #DE on a zero divisor or a quotient that does not fit (SDM Vol. 2A DIV, IDIV).
template <typename T, bool Signed, bool Mem>
void h_div(CpuState& c, const Op& o) {
    const T dv = read_rm<T>(c, o, Mem);
    if (!dv) raise_fault_noerr(c, DE);
    constexpr unsigned bits = 8 * sizeof(T);
    u128 num;
    if constexpr (sizeof(T) == 1) num = reg_get<u16>(c, reg_off(RAX));
    else num = (static_cast<u128>(reg_get<T>(c, reg_off(RDX))) << bits) | reg_get<T>(c, reg_off(RAX));
    T q, r;
    if constexpr (Signed) {
        using S = SignedOf<T>;
        i128 n = static_cast<i128>(num << (128 - 2 * bits)) >> (128 - 2 * bits);
        i128 d = static_cast<S>(dv);
        // n / d overflows i128 only for INT128_MIN / -1, impossible for 2*bits <= 128 inputs
        // except 64-bit: guard it explicitly.
        if (bits == 64 && n == (static_cast<i128>(1) << 127) && d == -1) raise_fault_noerr(c, DE);
        i128 qq = n / d, rr = n % d;
        if (qq != static_cast<i128>(static_cast<S>(qq))) raise_fault_noerr(c, DE);
        q = static_cast<T>(qq);
        r = static_cast<T>(rr);
    } else {
        u128 qq = num / dv, rr = num % dv;
        if (qq >> bits) raise_fault_noerr(c, DE);
        q = static_cast<T>(qq);
        r = static_cast<T>(rr);
    }
    if constexpr (sizeof(T) == 1) {
        reg_set<u16>(c, reg_off(RAX), static_cast<u16>(q | (u16(r) << 8)));
    } else {
        reg_set<T>(c, reg_off(RAX), q);
        reg_set<T>(c, reg_off(RDX), r);
    }
    // Flags are undefined after DIV/IDIV; we leave them unchanged.
}

template <bool Signed>
Handler bind_mul1(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_mul1<u8, Signed, false>, &h_mul1<u16, Signed, false>,
                                      &h_mul1<u32, Signed, false>, &h_mul1<u64, Signed, false>};
    static constexpr Handler tm[4] = {&h_mul1<u8, Signed, true>, &h_mul1<u16, Signed, true>,
                                      &h_mul1<u32, Signed, true>, &h_mul1<u64, Signed, true>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

template <bool Signed>
Handler bind_div(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    static constexpr Handler tr[4] = {&h_div<u8, Signed, false>, &h_div<u16, Signed, false>,
                                      &h_div<u32, Signed, false>, &h_div<u64, Signed, false>};
    static constexpr Handler tm[4] = {&h_div<u8, Signed, true>, &h_div<u16, Signed, true>,
                                      &h_div<u32, Signed, true>, &h_div<u64, Signed, true>};
    return l[0] == Loc::Mem ? tm[si] : tr[si];
}

Handler bind_imul(const DecodedInsn& d, Op& op) {
    if (d.row->nops == 1) return bind_mul1<true>(d, op);
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = imm_sext(d);
    const unsigned si = size_index(d.opsize);
    const bool three = d.row->nops == 3;
    static constexpr Handler t2r[4] = {nullptr, &h_imul<u16, Loc::Reg, false>, &h_imul<u32, Loc::Reg, false>, &h_imul<u64, Loc::Reg, false>};
    static constexpr Handler t2m[4] = {nullptr, &h_imul<u16, Loc::Mem, false>, &h_imul<u32, Loc::Mem, false>, &h_imul<u64, Loc::Mem, false>};
    static constexpr Handler t3r[4] = {nullptr, &h_imul<u16, Loc::Reg, true>, &h_imul<u32, Loc::Reg, true>, &h_imul<u64, Loc::Reg, true>};
    static constexpr Handler t3m[4] = {nullptr, &h_imul<u16, Loc::Mem, true>, &h_imul<u32, Loc::Mem, true>, &h_imul<u64, Loc::Mem, true>};
    if (three) return l[1] == Loc::Mem ? t3m[si] : t3r[si];
    return l[1] == Loc::Mem ? t2m[si] : t2r[si];
}

// ---------------------------------------------------------------- CBW/CWD families
template <typename T>
void h_cbw(CpuState& c, const Op&) {  // AX=sext(AL), EAX=sext(AX), RAX=sext(EAX)
    using H = typename UIntOf<sizeof(T) / 2>::stype;
    reg_set<T>(c, reg_off(RAX), static_cast<T>(static_cast<SignedOf<T>>(reg_get<H>(c, reg_off(RAX)))));
}
template <typename T>
void h_cwd(CpuState& c, const Op&) {  // rDX = sign of rAX
    T a = reg_get<T>(c, reg_off(RAX));
    reg_set<T>(c, reg_off(RDX), (a & sign_bit<T>()) ? T(~T(0)) : T(0));
}
Handler bind_cbw(const DecodedInsn& d, Op&) {
    static constexpr Handler t[4] = {nullptr, &h_cbw<u16>, &h_cbw<u32>, &h_cbw<u64>};
    return t[size_index(d.opsize)];
}
Handler bind_cwd(const DecodedInsn& d, Op&) {
    static constexpr Handler t[4] = {nullptr, &h_cwd<u16>, &h_cwd<u32>, &h_cwd<u64>};
    return t[size_index(d.opsize)];
}

// ---------------------------------------------------------------- shifts and rotates
enum class Sh { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };

// Returns the result and updates flags; count is already masked (SDM Vol. 2B SAL/SAR/SHL/SHR,
// RCL/RCR/ROL/ROR). A masked count of 0 changes nothing.
template <Sh K, typename T>
T shift_op(CpuState& c, T a, unsigned cnt) {
    constexpr unsigned bits = 8 * sizeof(T);
    const T msb = sign_bit<T>();
    if constexpr (K == Sh::Shl || K == Sh::Shr || K == Sh::Sar) {
        T r;
        bool cf;
        u64 f = 0;
        if constexpr (K == Sh::Shl) {
            r = cnt >= bits ? T(0) : T(a << cnt);
            cf = cnt <= bits ? (a >> (bits - cnt)) & 1 : 0;
            if (((r & msb) != 0) != cf) f |= OF;
        } else if constexpr (K == Sh::Shr) {
            r = cnt >= bits ? T(0) : T(a >> cnt);
            cf = cnt <= bits ? (a >> (cnt - 1)) & 1 : 0;
            if (a & msb) f |= OF;
        } else {
            using S = SignedOf<T>;
            unsigned k = cnt >= bits ? bits - 1 : cnt;
            r = static_cast<T>(static_cast<S>(a) >> k);
            cf = (static_cast<S>(a) >> (cnt > bits ? bits - 1 : cnt - 1)) & 1;
        }
        if (cf) f |= CF;
        if (!r) f |= ZF;
        if (r & msb) f |= SF;
        if (parity_even(static_cast<u8>(r))) f |= PF;
        set_flags_eager(c, f);
        return r;
    } else if constexpr (K == Sh::Rol || K == Sh::Ror) {
        unsigned k = cnt % bits;
        T r = k ? T((K == Sh::Rol) ? (a << k) | (a >> (bits - k)) : (a >> k) | (a << (bits - k))) : a;
        u64 f = compute_arith_flags(c) & ~(CF | OF);
        if constexpr (K == Sh::Rol) {
            if (r & 1) f |= CF;
            if (((r & msb) != 0) != ((r & 1) != 0)) f |= OF;
        } else {
            if (r & msb) f |= CF;
            if (((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1) f |= OF;
        }
        set_flags_eager(c, f);
        return r;
    } else {
        // Through carry: rotate the (bits+1)-bit value CF:a.
        unsigned k = cnt % (bits + 1);
        u64 f = compute_arith_flags(c);
        u128 cf = (f & CF) ? 1 : 0;
        u128 v = (cf << bits) | a;  // bit `bits` is CF
        const u128 mask = (static_cast<u128>(1) << (bits + 1)) - 1;
        if (k) {
            if constexpr (K == Sh::Rcl) v = ((v << k) | (v >> (bits + 1 - k))) & mask;
            else v = ((v >> k) | (v << (bits + 1 - k))) & mask;
        }
        T r = static_cast<T>(v);
        bool ncf = (v >> bits) & 1;
        f &= ~(CF | OF);
        if (ncf) f |= CF;
        if constexpr (K == Sh::Rcl) {
            if (((r & msb) != 0) != ncf) f |= OF;
        } else {
            if (((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1) f |= OF;
        }
        set_flags_eager(c, f);
        return r;
    }
}

// Count operand: 1, CL, or imm8; masked to 5 bits (6 with 64-bit operands).
enum class Cnt { One, Cl, Imm };
template <Sh K, typename T, Loc D, Cnt N>
void h_shift(CpuState& c, const Op& o) {
    unsigned cnt = N == Cnt::One ? 1 : N == Cnt::Cl ? static_cast<u8>(c.gpr[RCX]) : static_cast<u8>(o.imm);
    cnt &= sizeof(T) == 8 ? 63 : 31;
    if constexpr (D == Loc::Mem) {
        const u64 ea = op_ea(c, o);
        const T a = mem_read<T>(c, o.seg, ea);
        if (!cnt) return;
        // Probe first: shift_op sets the flags, so the store must not fault after it.
        const u64 lin = mem_probe_write(c, o.seg, ea, sizeof(T));
        mem_write_lin<T>(c, lin, shift_op<K, T>(c, a, cnt), c.mmu_idx);
    } else {
        if (!cnt) {
            // The destination is still written: a 32-bit register is zero-extended even for a
            // zero count (as processors do; the flags stay unchanged).
            if constexpr (sizeof(T) == 4) reg_set<T>(c, o.r0, reg_get<T>(c, o.r0));
            return;
        }
        reg_set<T>(c, o.r0, shift_op<K, T>(c, reg_get<T>(c, o.r0), cnt));
    }
}

template <Sh K, Loc D, Cnt N>
constexpr Handler kShift[4] = {&h_shift<K, u8, D, N>, &h_shift<K, u16, D, N>, &h_shift<K, u32, D, N>,
                               &h_shift<K, u64, D, N>};

template <Sh K>
Handler bind_shift(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = d.imm;
    const unsigned si = size_index(operand_bytes(d.row->ops[0], d));
    const OperandSpec& cs = d.row->ops[1];
    const bool mem = l[0] == Loc::Mem;
    if (cs.kind == OpKind::One) return mem ? kShift<K, Loc::Mem, Cnt::One>[si] : kShift<K, Loc::Reg, Cnt::One>[si];
    if (cs.kind == OpKind::Fixed) return mem ? kShift<K, Loc::Mem, Cnt::Cl>[si] : kShift<K, Loc::Reg, Cnt::Cl>[si];
    return mem ? kShift<K, Loc::Mem, Cnt::Imm>[si] : kShift<K, Loc::Reg, Cnt::Imm>[si];
}

// SHLD/SHRD (SDM Vol. 2B): count masked to 5 (6) bits; a count larger than the operand size
// (16-bit forms) gives an undefined result, which we compute as a wider funnel shift.
template <typename T, bool Left, Loc D, bool Cl>
void h_shxd(CpuState& c, const Op& o) {
    constexpr unsigned bits = 8 * sizeof(T);
    unsigned cnt = (Cl ? static_cast<u8>(c.gpr[RCX]) : static_cast<u8>(o.imm)) & (bits == 64 ? 63 : 31);
    constexpr int kSrcSlot = D == Loc::Mem ? 0 : 1;
    const T b = reg_get<T>(c, kSrcSlot == 0 ? o.r0 : o.r1);
    u64 ea = 0;
    T a;
    if constexpr (D == Loc::Mem) { ea = op_ea(c, o); a = mem_read<T>(c, o.seg, ea); }
    else a = reg_get<T>(c, o.r0);
    if (!cnt) {
        if constexpr (D == Loc::Reg && sizeof(T) == 4) reg_set<T>(c, o.r0, a);  // zero-extends, as h_shift
        return;
    }
    T r;
    bool cf;
    if constexpr (bits == 16) {
        // Counts 17..31 are undefined; like Intel parts we shift through the pattern a:b:a.
        const u64 v = (u64(a) << 32) | (u64(b) << 16) | a;
        if (Left) { r = static_cast<T>((v << cnt) >> 32); cf = (v >> (48 - cnt)) & 1; }
        else { r = static_cast<T>(v >> cnt); cf = (v >> (cnt - 1)) & 1; }
    } else {
        using W = std::conditional_t<bits == 32, u64, u128>;
        W v = Left ? ((W(a) << bits) | b) : ((W(b) << bits) | a);
        if (Left) { r = static_cast<T>((v << cnt) >> bits); cf = (v >> (2 * bits - cnt)) & 1; }
        else { r = static_cast<T>(v >> cnt); cf = (v >> (cnt - 1)) & 1; }
    }
    u64 f = 0;
    if (cf) f |= CF;
    if (((r ^ a) & sign_bit<T>())) f |= OF;
    if (!r) f |= ZF;
    if (r & sign_bit<T>()) f |= SF;
    if (parity_even(static_cast<u8>(r))) f |= PF;
    if constexpr (D == Loc::Mem) {
        u64 lin = mem_probe_write(c, o.seg, ea, sizeof(T));
        mem_write_lin<T>(c, lin, r, c.mmu_idx);
    } else {
        reg_set<T>(c, o.r0, r);
    }
    set_flags_eager(c, f);
}

template <bool Left>
Handler bind_shxd(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = d.imm;
    const bool cl = d.row->ops[2].kind == OpKind::Fixed;
    const bool mem = l[0] == Loc::Mem;
#define SHXD_T(T) (mem ? (cl ? &h_shxd<T, Left, Loc::Mem, true> : &h_shxd<T, Left, Loc::Mem, false>) \
                       : (cl ? &h_shxd<T, Left, Loc::Reg, true> : &h_shxd<T, Left, Loc::Reg, false>))
    switch (d.opsize) {
    case 2: return SHXD_T(u16);
    case 4: return SHXD_T(u32);
    default: return SHXD_T(u64);
    }
#undef SHXD_T
}

constexpr SemEntry kEntries[] = {
    {"add", bind_binop<Add>, false}, {"or", bind_binop<Or>, false},
    {"adc", bind_binop<Adc>, false}, {"sbb", bind_binop<Sbb>, false},
    {"and", bind_binop<And>, false}, {"sub", bind_binop<Sub>, false},
    {"xor", bind_binop<Xor>, false}, {"cmp", bind_binop<Cmp>, false},
    {"test", bind_binop<Test>, false},
    {"inc", bind_unop<Inc>, false}, {"dec", bind_unop<Dec>, false},
    {"not", bind_unop<Not>, false}, {"neg", bind_unop<Neg>, false},
    {"mul", bind_mul1<false>, false}, {"imul", bind_imul, false},
    {"div", bind_div<false>, false}, {"idiv", bind_div<true>, false},
    {"cbw|cwde|cdqe", bind_cbw, false}, {"cwd|cdq|cqo", bind_cwd, false},
    {"rol", bind_shift<Sh::Rol>, false}, {"ror", bind_shift<Sh::Ror>, false},
    {"rcl", bind_shift<Sh::Rcl>, false}, {"rcr", bind_shift<Sh::Rcr>, false},
    {"shl", bind_shift<Sh::Shl>, false}, {"shr", bind_shift<Sh::Shr>, false},
    {"sar", bind_shift<Sh::Sar>, false},
    {"shld", bind_shxd<true>, false}, {"shrd", bind_shxd<false>, false},
};

}  // namespace

std::span<const SemEntry> sem_alu() { return kEntries; }

}  // namespace vireo::x86
