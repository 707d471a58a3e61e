// SSE/SSE2 data movement (SDM Vol. 2 instruction pages): MOVAPS/MOVAPD/MOVDQA (aligned),
// MOVUPS/MOVUPD/MOVDQU, MOVNTPS/MOVNTPD/MOVNTDQ, MOVSS/MOVSD (moves), MOVD/MOVQ, MOVLPS/
// MOVHPS/MOVLPD/MOVHPD/MOVHLPS/MOVLHPS, MOVMSKPS/MOVMSKPD, MASKMOVDQU, LDMXCSR/STMXCSR.
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {
namespace {

// ---------------------------------------------------------------- whole-register moves
// Load form (Vx,Wx): xmm[r0] <- xmm[r1] or m128. Store form (Wx,Vx): xmm[r1] or m128 <- xmm[r0].
template <bool Store, bool Mem, bool Aligned>
void h_mov128(CpuState& c, const Op& o) {
    sse_check(c);
    if constexpr (Mem) {
        if constexpr (Store) write_m128<Aligned>(c, o, xmm_get(c, o.r0));
        else xmm_set(c, o.r0, read_m128<Aligned>(c, o));
    } else {
        if constexpr (Store) xmm_set(c, o.r1, xmm_get(c, o.r0));
        else xmm_set(c, o.r0, xmm_get(c, o.r1));
    }
}
// Opcodes whose second form (store) is opcode + 1 (10/11, 28/29) or 6F/7F.
template <bool Aligned>
Handler bind_mov128(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    const bool store = d.opcode == 0x11 || d.opcode == 0x29 || d.opcode == 0x7F;
    if (store) return m ? &h_mov128<true, true, Aligned> : &h_mov128<true, false, Aligned>;
    return m ? &h_mov128<false, true, Aligned> : &h_mov128<false, false, Aligned>;
}
// MOVNTPS/MOVNTPD/MOVNTDQ (memory destination only, 16-byte aligned): a plain store here;
// the non-temporal hint has no architectural effect.
Handler bind_movnt(const DecodedInsn& d, Op& op) {
    sse_fill(d, op);
    return &h_mov128<true, true, true>;
}

// ---------------------------------------------------------------- MOVSS / MOVSD (moves)
// SDM Vol. 2B MOVSS/MOVSD: load from memory zeroes bits 127:32 (127:64); register to register
// merges the low element into the destination; the store writes the low element only.
template <typename T, bool Store, bool Mem>
void h_movs(CpuState& c, const Op& o) {
    sse_check(c);
    if constexpr (Store && Mem) {
        mem_write<T>(c, o.seg, op_ea(c, o), xmm_lane<T>(c, o.r0, 0));
    } else if constexpr (Mem) {
        V128 v{};
        v.set<T>(0, mem_read<T>(c, o.seg, op_ea(c, o)));
        xmm_set(c, o.r0, v);
    } else if constexpr (Store) {
        xmm_set_lane<T>(c, o.r1, 0, xmm_lane<T>(c, o.r0, 0));
    } else {
        xmm_set_lane<T>(c, o.r0, 0, xmm_lane<T>(c, o.r1, 0));
    }
}
template <typename T>
Handler bind_movs(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    if (d.opcode == 0x11) return m ? &h_movs<T, true, true> : &h_movs<T, true, false>;
    return m ? &h_movs<T, false, true> : &h_movs<T, false, false>;
}

// ---------------------------------------------------------------- MOVQ xmm (F3 0F 7E, 66 0F D6)
// The destination register gets the quadword zero-extended to 128 bits (SDM Vol. 2B MOVQ).
template <bool Store, bool Mem>
void h_movq(CpuState& c, const Op& o) {
    sse_check(c);
    if constexpr (Store && Mem) {
        mem_write<u64>(c, o.seg, op_ea(c, o), xmm_lane<u64>(c, o.r0, 0));
    } else {
        V128 v{};
        if constexpr (Mem) v.set<u64>(0, mem_read<u64>(c, o.seg, op_ea(c, o)));
        else v.set<u64>(0, xmm_lane<u64>(c, Store ? o.r0 : o.r1, 0));
        xmm_set(c, Store ? o.r1 : o.r0, v);
    }
}
Handler bind_movq(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    if (d.opcode == 0xD6) return m ? &h_movq<true, true> : &h_movq<true, false>;
    return m ? &h_movq<false, true> : &h_movq<false, false>;
}

// ---------------------------------------------------------------- MOVD/MOVQ GPR <-> xmm
// 66 [REX.W] 0F 6E: xmm <- r/m32 (r/m64), zero-extended; 66 [REX.W] 0F 7E: r/m32 (r/m64) <- xmm
// low element (a 32-bit GPR write zero-extends to 64 bits, SDM Vol. 1 3.4.1.1).
template <typename T, bool Store, bool Mem>
void h_movd(CpuState& c, const Op& o) {
    sse_check(c);
    if constexpr (Store) {
        const T v = xmm_lane<T>(c, o.r0, 0);
        if constexpr (Mem) mem_write<T>(c, o.seg, op_ea(c, o), v);
        else c.gpr[o.r1] = v;
    } else {
        V128 v{};
        v.set<T>(0, Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : static_cast<T>(c.gpr[o.r1]));
        xmm_set(c, o.r0, v);
    }
}
Handler bind_movd(const DecodedInsn& d, Op& op) {
    const bool m = sse_fill(d, op);
    const bool st = d.opcode == 0x7E;
#define MD(T) (st ? (m ? &h_movd<T, true, true> : &h_movd<T, true, false>) \
                  : (m ? &h_movd<T, false, true> : &h_movd<T, false, false>))
    return d.rex_w ? MD(u64) : MD(u32);
#undef MD
}

// ---------------------------------------------------------------- 64-bit halves
// MOVLPS/MOVLPD/MOVHPS/MOVHPD load: lane L of xmm[r0] <- m64; store: m64 <- lane L of xmm[r0].
template <unsigned L, bool Store>
void h_movhalf_mem(CpuState& c, const Op& o) {
    sse_check(c);
    if constexpr (Store) mem_write<u64>(c, o.seg, op_ea(c, o), xmm_lane<u64>(c, o.r0, L));
    else xmm_set_lane<u64>(c, o.r0, L, mem_read<u64>(c, o.seg, op_ea(c, o)));
}
template <unsigned L>
Handler bind_movhalf(const DecodedInsn& d, Op& op) {
    sse_fill(d, op);
    const bool store = d.opcode == 0x13 || d.opcode == 0x17;
    return store ? &h_movhalf_mem<L, true> : &h_movhalf_mem<L, false>;
}
// MOVHLPS: low <- source high; MOVLHPS: high <- source low (register forms of 0F 12 / 0F 16).
template <unsigned DL, unsigned SL>
void h_movhalf_rr(CpuState& c, const Op& o) {
    sse_check(c);
    xmm_set_lane<u64>(c, o.r0, DL, xmm_lane<u64>(c, o.r1, SL));
}
Handler bind_movhlps(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_movhalf_rr<0, 1>; }
Handler bind_movlhps(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_movhalf_rr<1, 0>; }

// ---------------------------------------------------------------- MOVMSKPS / MOVMSKPD
// The sign bits of the elements into the low bits of a GPR, the rest zeroed (SDM Vol. 2B).
template <typename T>
void h_movmsk(CpuState& c, const Op& o) {
    sse_check(c);
    u64 m = 0;
    for (unsigned i = 0; i < 16 / sizeof(T); i++) m |= static_cast<u64>(xmm_lane<T>(c, o.r1, i) >> (8 * sizeof(T) - 1)) << i;
    c.gpr[o.r0] = m;
}
template <typename T>
Handler bind_movmsk(const DecodedInsn& d, Op& op) { sse_fill(d, op); return &h_movmsk<T>; }

// ---------------------------------------------------------------- MASKMOVDQU
// Bytes of xmm[r0] whose mask byte (xmm[r1]) has bit 7 set are stored at DS:rDI (segment
// overridable), the others are not written (SDM Vol. 2B MASKMOVDQU). Checking every selected
// byte before the first store keeps a fault precise.
void h_maskmovdqu(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 v = xmm_get(c, o.r0), m = xmm_get(c, o.r1);
    const u64 di = o.addrsize == 8 ? c.gpr[RDI] : o.addrsize == 4 ? static_cast<u32>(c.gpr[RDI])
                                                                   : static_cast<u16>(c.gpr[RDI]);
    for (unsigned i = 0; i < 16; i++)
        if (m.b[i] & 0x80) mem_probe_write(c, o.seg, di + i, 1);
    for (unsigned i = 0; i < 16; i++)
        if (m.b[i] & 0x80) mem_write<u8>(c, o.seg, di + i, v.b[i]);
}
Handler bind_maskmovdqu(const DecodedInsn& d, Op& op) {
    sse_fill(d, op);
    op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
    op.addrsize = d.addrsize;
    return &h_maskmovdqu;
}

// ---------------------------------------------------------------- LDMXCSR / STMXCSR
// SDM Vol. 2B LDMXCSR: #GP(0) for a 1 in a reserved bit (those clear in MXCSR_MASK).
void h_ldmxcsr(CpuState& c, const Op& o) {
    sse_check(c);
    const u32 v = mem_read<u32>(c, o.seg, op_ea(c, o));
    if (v & ~static_cast<u32>(kMxcsrMask)) raise_gp0(c);
    c.mxcsr = v;
}
void h_stmxcsr(CpuState& c, const Op& o) {
    sse_check(c);
    mem_write<u32>(c, o.seg, op_ea(c, o), c.mxcsr);
}
Handler bind_ldmxcsr(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_ldmxcsr; }
Handler bind_stmxcsr(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_stmxcsr; }

constexpr SemEntry kEntries[] = {
    {"movaps", bind_mov128<true>, false}, {"movapd", bind_mov128<true>, false},
    {"movdqa", bind_mov128<true>, false},
    {"movups", bind_mov128<false>, false}, {"movupd", bind_mov128<false>, false},
    {"movdqu", bind_mov128<false>, false},
    {"movntps", bind_movnt, false}, {"movntpd", bind_movnt, false}, {"movntdq", bind_movnt, false},
    {"movss", bind_movs<u32>, false}, {"movsd", bind_movs<u64>, false},
    {"movq", bind_movq, false}, {"movd|movd|movq", bind_movd, false},
    {"movlps", bind_movhalf<0>, false}, {"movlpd", bind_movhalf<0>, false},
    {"movhps", bind_movhalf<1>, false}, {"movhpd", bind_movhalf<1>, false},
    {"movhlps", bind_movhlps, false}, {"movlhps", bind_movlhps, false},
    {"movmskps", bind_movmsk<u32>, false}, {"movmskpd", bind_movmsk<u64>, false},
    {"maskmovdqu", bind_maskmovdqu, false},
    {"ldmxcsr", bind_ldmxcsr, false}, {"stmxcsr", bind_stmxcsr, false},
};

}  // namespace

std::span<const SemEntry> sem_sse_move() { return kEntries; }

}  // namespace vireo::x86
