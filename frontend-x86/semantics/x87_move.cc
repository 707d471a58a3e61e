// x87 data transfer and control (SDM Vol. 2 instruction pages FLD, FST/FSTP, FILD, FIST/FISTP,
// FISTTP, FBLD, FBSTP, FLD1..FLDZ, FXCH, FINCSTP, FDECSTP, FFREE, FNOP, FINIT, FCLEX, FLDCW,
// FSTCW, FSTSW, FSTENV, FLDENV, FSAVE, FRSTOR; Vol. 1 8.1.10 for the environment layouts).
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

namespace {

using f80::Env80;

enum Kind : int { K_REG, K_F32, K_F64, K_F80, K_I16, K_I32, K_I64, K_BCD };

// Stores: an unmasked IE, DE, OE or UE leaves memory (and the stack) unchanged (SDM Vol. 1
// 8.5.1.2, 8.5.4, 8.5.5: "the destination is not changed" when it is memory).
bool store_blocked(const CpuState& c, u8 flags) {
    return flags & ~c.x87.fcw & (f80::kIE | f80::kDE | f80::kOE | f80::kUE);
}

// FLD m32fp/m64fp/m80fp/ST(i) (SDM Vol. 2A FLD): a stack overflow when ST(7) is in use; SNaN and
// denormal sources raise IE/DE except in the 80-bit format.
template <int K>
void h_fld(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    F80 v{};
    if constexpr (K == K_F32) v = f80::from_f32(mem_read<u32>(c, o.seg, op_ea(c, o)), e);
    else if constexpr (K == K_F64) v = f80::from_f64(mem_read<u64>(c, o.seg, op_ea(c, o)), e);
    else if constexpr (K == K_F80) v = read_m80(c, o);
    else if constexpr (K == K_I16) v = f80::from_int(static_cast<i16>(mem_read<u16>(c, o.seg, op_ea(c, o))));
    else if constexpr (K == K_I32) v = f80::from_int(static_cast<i32>(mem_read<u32>(c, o.seg, op_ea(c, o))));
    else if constexpr (K == K_I64) v = f80::from_int(static_cast<i64>(mem_read<u64>(c, o.seg, op_ea(c, o))));
    else if constexpr (K == K_BCD) {
        u8 b[10];
        const F80 raw = read_m80(c, o);
        std::memcpy(b, &raw.sig, 8);
        std::memcpy(b + 8, &raw.se, 2);
        v = f80::from_bcd(b);
    }
    x87_note(c, o);
    if constexpr (K == K_REG) {
        if (st_empty(c, o.r0)) {
            if (x87_stack_fault(c, false)) fpu_push(c, f80::kIndefinite);
            return;
        }
        v = st_get(c, o.r0);
    }
    if (!st_empty(c, 7)) {
        if (x87_stack_fault(c, true)) fpu_push(c, f80::kIndefinite);
        return;
    }
    if constexpr (K == K_F32 || K == K_F64) {
        if (e.denormal_src) e.flags |= f80::kDE;
        if (f80::classify(v) == f80::Class::SNaN) {
            e.flags |= f80::kIE;
            v.sig |= 1ull << 62;
        }
    }
    x87_flags(c, e.flags, false);
    // An unmasked IE stops the load; an unmasked DE does not (observed on the host).
    if (e.flags & ~c.x87.fcw & f80::kIE) return;
    fpu_push(c, v);
}

// FST/FSTP m32fp/m64fp/m80fp/ST(i), FIST/FISTP m16/m32/m64int, FISTTP, FBSTP. r1 bit 0: pop.
template <int K, bool Truncate>
void h_fst(CpuState& c, const Op& o) {
    x87_enter(c, true);
    Env80 e = Env80::from_fcw(c.x87.fcw);
    constexpr unsigned kBytes = K == K_F32 || K == K_I32 ? 4 : K == K_I16 ? 2 : K == K_F80 || K == K_BCD ? 10 : 8;
    u64 ea = 0;
    if constexpr (K != K_REG) {
        ea = op_ea(c, o);
        mem_probe_write(c, o.seg, ea, kBytes);
    }
    x87_note(c, o);
    const bool pop = o.r1 & 1;
    const bool empty = st_empty(c, 0);
    if (empty && !x87_stack_fault(c, false)) return;
    const F80 v = empty ? f80::kIndefinite : st_get(c, 0);
    if constexpr (K == K_REG) {
        st_set(c, o.r0, v);
        if (!empty) c.x87.fsw &= ~FSW_C1;
    } else {
        u64 bits = 0;
        F80 out = v;
        if constexpr (K == K_F32) bits = f80::to_f32(v, e);
        else if constexpr (K == K_F64) bits = f80::to_f64(v, e);
        else if constexpr (K == K_I16 || K == K_I32 || K == K_I64)
            bits = static_cast<u64>(f80::to_int(v, kBytes * 8, Truncate, e));
        else if constexpr (K == K_BCD) {
            u8 b[10];
            f80::to_bcd(v, b, e);
            std::memcpy(&out.sig, b, 8);
            std::memcpy(&out.se, b + 8, 2);
        }
        if (!empty) {
            x87_flags(c, e.flags, e.c1);
            if (store_blocked(c, e.flags)) return;
        }
        if constexpr (K == K_F80 || K == K_BCD) {
            mem_write<u64>(c, o.seg, ea, out.sig);
            mem_write<u16>(c, o.seg, ea + 8, out.se);
        } else if constexpr (kBytes == 2) {
            mem_write<u16>(c, o.seg, ea, static_cast<u16>(bits));
        } else if constexpr (kBytes == 4) {
            mem_write<u32>(c, o.seg, ea, static_cast<u32>(bits));
        } else {
            mem_write<u64>(c, o.seg, ea, bits);
        }
    }
    if (pop) fpu_pop(c);
}

// FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (aux: D9 E8..EE order).
void h_fldconst(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    if (!st_empty(c, 7)) {
        if (x87_stack_fault(c, true)) fpu_push(c, f80::kIndefinite);
        return;
    }
    fpu_push(c, f80::load_constant(o.aux, (c.x87.fcw >> 10) & 3));
    c.x87.fsw &= ~FSW_C1;
}

// FXCH ST(i) (SDM Vol. 2A FXCH): an empty register reads as the QNaN indefinite when the
// underflow is masked.
void h_fxch(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    const bool e0 = st_empty(c, 0), ei = st_empty(c, o.r0);
    if (e0 || ei) {
        if (!x87_stack_fault(c, false)) return;
    } else {
        c.x87.fsw &= ~FSW_C1;
    }
    const F80 a = e0 ? f80::kIndefinite : st_get(c, 0);
    const F80 b = ei ? f80::kIndefinite : st_get(c, o.r0);
    st_set(c, 0, b);
    st_set(c, o.r0, a);
}

// FINCSTP / FDECSTP (aux +1 / -1): TOP only, C1 = 0.
void h_fstp_top(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    fpu_set_top(c, fpu_top(c) + (o.aux ? 1 : 7));
    c.x87.fsw &= ~FSW_C1;
}
void h_ffree(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
    c.x87.ftw = static_cast<u8>(c.x87.ftw & ~(1u << st_phys(c, o.r0)));
    c.x87.fsw &= ~FSW_C1;  // undefined in the SDM; cleared by the host
}
void h_fnop(CpuState& c, const Op& o) {
    x87_enter(c, true);
    x87_note(c, o);
}

// Control instructions (SDM Vol. 1 8.3.9 Table 8-12): they do not change FOP/FIP/FDP.
void fninit(CpuState& c) {
    X87State& x = c.x87;
    x.fcw = 0x037F;
    x.fsw = 0;
    x.ftw = 0;
    x.fop = 0;
    x.fip = x.fdp = 0;
    x.fcs = x.fds = 0;
}
void h_fninit(CpuState& c, const Op&) {
    x87_enter(c, false);
    fninit(c);
}
void h_fnclex(CpuState& c, const Op&) {
    x87_enter(c, false);
    c.x87.fsw &= static_cast<u16>(~(0x00FF | FSW_B));
}
// EMMS (SDM Vol. 2A "EMMS"; Vol. 1 9.5.1): every x87 register tagged empty. #UD with CR0.EM
// (an MMX instruction, not an x87 one), #NM with CR0.TS, #MF for a pending x87 exception.
void h_emms(CpuState& c, const Op&) {
    if (VIREO_UNLIKELY(c.cr0 & CR0_EM)) raise_fault_noerr(c, UD);
    x87_enter(c, true);
    c.x87.ftw = 0;  // abridged tag word: 0 = empty
}
// FCW as the x87 holds it: bit 6 reads as 1, bits 7 and 13-15 as 0 (SDM Vol. 1 Figure 8-6).
// ES/B follow the flags the new masks leave unmasked (8.5).
void set_fcw(CpuState& c, u16 v) {
    X87State& x = c.x87;
    x.fcw = static_cast<u16>((v & 0x1F3F) | 0x40);
    if (x.fsw & ~x.fcw & 0x3f) x.fsw |= FSW_ES | FSW_B;
    else x.fsw &= static_cast<u16>(~(FSW_ES | FSW_B));
}
void h_fldcw(CpuState& c, const Op& o) {
    x87_enter(c, true);
    set_fcw(c, mem_read<u16>(c, o.seg, op_ea(c, o)));
}
void h_fnstcw(CpuState& c, const Op& o) {
    x87_enter(c, false);
    mem_write<u16>(c, o.seg, op_ea(c, o), c.x87.fcw);
}
void h_fnstsw_m(CpuState& c, const Op& o) {
    x87_enter(c, false);
    mem_write<u16>(c, o.seg, op_ea(c, o), c.x87.fsw);
}
void h_fnstsw_ax(CpuState& c, const Op&) {
    x87_enter(c, false);
    reg_set<u16>(c, reg_off(RAX), c.x87.fsw);
}

// The full tag word (SDM Vol. 1 8.1.7): 2 bits per physical register.
u16 full_tag_word(const CpuState& c) {
    u16 t = 0;
    for (unsigned p = 0; p < 8; p++) {
        const unsigned tag = (c.x87.ftw >> p) & 1 ? f80::tag_of(phys_get(c, p)) : 3;
        t = static_cast<u16>(t | tag << (2 * p));
    }
    return t;
}

// The x87 environment image (SDM Vol. 1 8.1.10, Figures 8-9..8-12): 14 bytes with a 16-bit
// operand size, else 28; the real-address-mode layouts in real and virtual-8086 mode. 64-bit
// mode uses the 32-bit protected-mode layout.
unsigned env_bytes(const Op& o) { return o.opsize == 2 ? 14 : 28; }
void env_image(const CpuState& c, const Op& o, u8* img) {
    const X87State& x = c.x87;
    const bool real = !c.pe || c.vm86;
    const u16 ftw = full_tag_word(c);
    auto put16 = [&](unsigned off, u16 v) { std::memcpy(img + off, &v, 2); };
    auto put32 = [&](unsigned off, u32 v) { std::memcpy(img + off, &v, 4); };
    if (o.opsize == 2) {
        put16(0, x.fcw);
        put16(2, x.fsw);
        put16(4, ftw);
        if (real) {
            const u32 ip = static_cast<u32>(x.fcs * 16u + x.fip), dp = static_cast<u32>(x.fds * 16u + x.fdp);
            put16(6, static_cast<u16>(ip));
            put16(8, static_cast<u16>(((ip >> 16) & 0xf) << 12 | (x.fop & 0x7ff)));
            put16(10, static_cast<u16>(dp));
            put16(12, static_cast<u16>(((dp >> 16) & 0xf) << 12));
        } else {
            put16(6, static_cast<u16>(x.fip));
            put16(8, x.fcs);
            put16(10, static_cast<u16>(x.fdp));
            put16(12, x.fds);
        }
        return;
    }
    // The upper halves of the first three doublewords are reserved (written as 1s by Intel
    // and AMD processors).
    put32(0, 0xFFFF0000u | x.fcw);
    put32(4, 0xFFFF0000u | x.fsw);
    put32(8, 0xFFFF0000u | ftw);
    if (real) {
        const u32 ip = static_cast<u32>(x.fcs * 16u + x.fip), dp = static_cast<u32>(x.fds * 16u + x.fdp);
        put32(12, 0xFFFF0000u | (ip & 0xffff));
        put32(16, ((ip >> 16) << 12) | (x.fop & 0x7ff));
        put32(20, 0xFFFF0000u | (dp & 0xffff));
        put32(24, (dp >> 16) << 12);
    } else {
        put32(12, static_cast<u32>(x.fip));
        put32(16, static_cast<u32>(x.fop & 0x7ff) << 16 | x.fcs);
        put32(20, static_cast<u32>(x.fdp));
        put32(24, 0xFFFF0000u | x.fds);
    }
}
void load_env_image(CpuState& c, const Op& o, const u8* img) {
    X87State& x = c.x87;
    const bool real = !c.pe || c.vm86;
    auto get16 = [&](unsigned off) { u16 v; std::memcpy(&v, img + off, 2); return v; };
    auto get32 = [&](unsigned off) { u32 v; std::memcpy(&v, img + off, 4); return v; };
    u16 fcw, fsw, ftw;
    if (o.opsize == 2) {
        fcw = get16(0), fsw = get16(2), ftw = get16(4);
        if (real) {
            x.fip = get16(6) | static_cast<u32>(get16(8) >> 12) << 16;
            x.fop = get16(8) & 0x7ff;
            x.fdp = get16(10) | static_cast<u32>(get16(12) >> 12) << 16;
            x.fcs = x.fds = 0;
        } else {
            x.fip = get16(6), x.fcs = get16(8), x.fdp = get16(10), x.fds = get16(12);
        }
    } else {
        fcw = get16(0), fsw = get16(4), ftw = get16(8);
        if (real) {
            x.fip = (get32(12) & 0xffff) | (get32(16) >> 12) << 16;
            x.fop = get32(16) & 0x7ff;
            x.fdp = (get32(20) & 0xffff) | (get32(24) >> 12) << 16;
            x.fcs = x.fds = 0;
        } else {
            x.fip = get32(12);
            x.fcs = get16(16);
            x.fop = (get32(16) >> 16) & 0x7ff;
            x.fdp = get32(20);
            x.fds = get16(24);
        }
    }
    x.fsw = fsw;
    // Only "empty" survives from the full tag word (SDM Vol. 1 8.1.7: the other tags are
    // recomputed from the register contents).
    u8 abridged = 0;
    for (unsigned p = 0; p < 8; p++)
        if (((ftw >> (2 * p)) & 3) != 3) abridged = static_cast<u8>(abridged | 1u << p);
    x.ftw = abridged;
    set_fcw(c, fcw);
}

void h_fnstenv(CpuState& c, const Op& o) {
    x87_enter(c, false);
    u8 img[28];
    const unsigned n = env_bytes(o);
    env_image(c, o, img);
    const u64 ea = op_ea(c, o);
    mem_probe_write(c, o.seg, ea, n);
    for (unsigned i = 0; i < n; i++) mem_write<u8>(c, o.seg, ea + i, img[i]);
    // SDM Vol. 2A FSTENV: then all floating-point exceptions are masked.
    c.x87.fcw |= 0x3f;
    c.x87.fsw &= static_cast<u16>(~(FSW_ES | FSW_B));
}
void h_fldenv(CpuState& c, const Op& o) {
    x87_enter(c, true);
    u8 img[28];
    const unsigned n = env_bytes(o);
    const u64 ea = op_ea(c, o);
    for (unsigned i = 0; i < n; i++) img[i] = mem_read<u8>(c, o.seg, ea + i);
    load_env_image(c, o, img);
}
void h_fnsave(CpuState& c, const Op& o) {
    x87_enter(c, false);
    u8 img[108];
    const unsigned n = env_bytes(o);
    env_image(c, o, img);
    for (unsigned i = 0; i < 8; i++) {
        const F80 v = st_get(c, i);
        std::memcpy(img + n + 10 * i, &v.sig, 8);
        std::memcpy(img + n + 10 * i + 8, &v.se, 2);
    }
    const u64 ea = op_ea(c, o);
    mem_probe_write(c, o.seg, ea, n + 80);
    for (unsigned i = 0; i < n + 80; i++) mem_write<u8>(c, o.seg, ea + i, img[i]);
    fninit(c);
}
void h_frstor(CpuState& c, const Op& o) {
    x87_enter(c, true);
    u8 img[108];
    const unsigned n = env_bytes(o);
    const u64 ea = op_ea(c, o);
    for (unsigned i = 0; i < n + 80; i++) img[i] = mem_read<u8>(c, o.seg, ea + i);
    load_env_image(c, o, img);
    for (unsigned i = 0; i < 8; i++) {
        F80 v;
        std::memcpy(&v.sig, img + n + 10 * i, 8);
        std::memcpy(&v.se, img + n + 10 * i + 8, 2);
        std::memcpy(c.x87.r[st_phys(c, i)], &v.sig, 8);
        std::memcpy(c.x87.r[st_phys(c, i)] + 8, &v.se, 2);
    }
}

// ---- binders ----
Handler bind_fld(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    if (!d.mem) return &h_fld<K_REG>;
    if (d.opcode == 0xD9) return &h_fld<K_F32>;
    if (d.opcode == 0xDD) return &h_fld<K_F64>;
    return &h_fld<K_F80>;  // DB /5
}
Handler bind_fild(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    if (d.opcode == 0xDB) return &h_fld<K_I32>;
    return d.modrm_reg() == 0 ? &h_fld<K_I16> : &h_fld<K_I64>;  // DF /0, DF /5
}
Handler bind_fbld(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fld<K_BCD>;
}
Handler bind_fst(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.r1 = d.modrm_reg() == 2 ? 0 : 1;  // /2 FST, /3 and DB /7 FSTP
    if (!d.mem) return &h_fst<K_REG, false>;
    if (d.opcode == 0xD9) return &h_fst<K_F32, false>;
    if (d.opcode == 0xDD) return &h_fst<K_F64, false>;
    return &h_fst<K_F80, false>;
}
Handler bind_fist(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    const unsigned r = d.modrm_reg();
    op.r1 = r == 2 ? 0 : 1;
    if (d.opcode == 0xDB) return &h_fst<K_I32, false>;
    if (r == 7) return &h_fst<K_I64, false>;
    return &h_fst<K_I16, false>;
}
Handler bind_fisttp(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.r1 = 1;
    if (d.opcode == 0xDB) return &h_fst<K_I32, true>;
    if (d.opcode == 0xDD) return &h_fst<K_I64, true>;
    return &h_fst<K_I16, true>;
}
Handler bind_fbstp(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.r1 = 1;
    return &h_fst<K_BCD, false>;
}
Handler bind_fldconst(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = static_cast<u8>(d.modrm - 0xE8);
    return &h_fldconst;
}
Handler bind_fxch(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fxch;
}
Handler bind_fincstp(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 1;
    return &h_fstp_top;
}
Handler bind_fdecstp(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    op.aux = 0;
    return &h_fstp_top;
}
Handler bind_ffree(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_ffree;
}
Handler bind_fnop(const DecodedInsn& d, Op& op) {
    x87_fill(d, op);
    return &h_fnop;
}
Handler bind_fninit(const DecodedInsn&, Op&) { return &h_fninit; }
Handler bind_fnclex(const DecodedInsn&, Op&) { return &h_fnclex; }
Handler bind_emms(const DecodedInsn&, Op&) { return &h_emms; }
Handler bind_fldcw(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_fldcw;
}
Handler bind_fnstcw(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_fnstcw;
}
Handler bind_fnstsw(const DecodedInsn& d, Op& op) {
    if (!d.mem) return &h_fnstsw_ax;
    fill_mem(d, op);
    return &h_fnstsw_m;
}
Handler bind_fnstenv(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_fnstenv;
}
Handler bind_fldenv(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_fldenv;
}
Handler bind_fnsave(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_fnsave;
}
Handler bind_frstor(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return &h_frstor;
}

constexpr SemEntry kEntries[] = {
    {"fld", bind_fld, false}, {"fild", bind_fild, false}, {"fbld", bind_fbld, false},
    {"fst", bind_fst, false}, {"fstp", bind_fst, false},
    {"fist", bind_fist, false}, {"fistp", bind_fist, false}, {"fisttp", bind_fisttp, false},
    {"fbstp", bind_fbstp, false},
    {"fld1", bind_fldconst, false}, {"fldl2t", bind_fldconst, false}, {"fldl2e", bind_fldconst, false},
    {"fldpi", bind_fldconst, false}, {"fldlg2", bind_fldconst, false}, {"fldln2", bind_fldconst, false},
    {"fldz", bind_fldconst, false},
    {"fxch", bind_fxch, false}, {"fincstp", bind_fincstp, false}, {"fdecstp", bind_fdecstp, false},
    {"ffree", bind_ffree, false}, {"fnop", bind_fnop, false},
    {"fninit", bind_fninit, false}, {"fnclex", bind_fnclex, false}, {"emms", bind_emms, false},
    {"fldcw", bind_fldcw, false}, {"fnstcw", bind_fnstcw, false}, {"fnstsw", bind_fnstsw, false},
    {"fnstenv", bind_fnstenv, false}, {"fldenv", bind_fldenv, false},
    {"fnsave", bind_fnsave, false}, {"frstor", bind_frstor, false},
};

}  // namespace

std::span<const SemEntry> sem_x87_move() { return kEntries; }

}  // namespace vireo::x86
