// AVX data movement (VEX.128 and VEX.256; SDM Vol. 2 instruction pages): VMOVAPS/APD/UPS/UPD,
// VMOVDQA/DQU, VLDDQU, VMOVNTPS/PD/DQ, VMOVSS/SD (load, merge, store), VMOVLPS/HPS/LPD/HPD
// with VMOVHLPS/LHPS, VMOVSLDUP/SHDUP/DDUP, VMOVD/VMOVQ, VBROADCASTSS/SD/F128, VINSERTF128,
// VEXTRACTF128, VPERM2F128, VPERMILPS/PD, VMASKMOVPS/PD, VMOVMSKPS/PD, VPMOVMSKB (VEX.128),
// VZEROUPPER, VZEROALL, VLDMXCSR/VSTMXCSR, VMASKMOVDQU. Memory operands are unaligned except
// the explicitly aligned moves.
#include "frontend-x86/semantics/avx_common.h"

namespace vireo::x86 {
namespace {

// ---------------------------------------------------------------- whole-register moves
// Load form (Vx,Wx): dst = src, zero above Bytes. Store form (Wx,Vx): to memory, or a register
// r/m destination zeroed above Bytes.
template <unsigned Bytes, bool Mem, bool Aligned>
void h_vmov_load(CpuState& c, const Op& o) {
    vex_check(c);
    vex_set<Bytes>(c, o.r0, vsrc<Bytes, Mem, Aligned>(c, o));
}
template <unsigned Bytes, bool Mem, bool Aligned>
void h_vmov_store(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 v = ymm_get(c, o.r0);
    if constexpr (Mem) write_vmem<Bytes, Aligned>(c, o, v);
    else vex_set<Bytes>(c, o.r1, v);
}
template <bool Aligned>
Handler bind_vmov(const DecodedInsn& d, Op& op) {
    const bool store = d.row->ops[0].kind == OpKind::W || d.row->ops[0].kind == OpKind::M;
    if (store)
        return vex_pick(d, op, &h_vmov_store<16, false, Aligned>, &h_vmov_store<16, true, Aligned>,
                        &h_vmov_store<32, false, Aligned>, &h_vmov_store<32, true, Aligned>);
    return vex_pick(d, op, &h_vmov_load<16, false, Aligned>, &h_vmov_load<16, true, Aligned>,
                    &h_vmov_load<32, false, Aligned>, &h_vmov_load<32, true, Aligned>);
}

// ---------------------------------------------------------------- VMOVSS / VMOVSD
// SDM Vol. 2B MOVSS: load (m32 -> xmm1, bits 255:32 zero); merge (xmm1 = xmm3[31:0] with
// xmm2[127:32], bits 255:128 zero; the 11 /r register form has the r/m as destination and
// ModRM.reg as the scalar source); store (m32 <- xmm1[31:0]).
enum class Ms : u8 { Load, Merge10, Merge11, Store };
template <typename T, Ms K>
void h_vmovs(CpuState& c, const Op& o) {
    vex_check(c);
    if constexpr (K == Ms::Load) {
        vex_set<sizeof(T)>(c, o.r0, read_scalar<T>(c, o));
    } else if constexpr (K == Ms::Store) {
        mem_write<T>(c, o.seg, op_ea(c, o), xmm_lane<T>(c, o.r0, 0));
    } else {
        V128 d = xmm_get(c, o.r2);
        d.set<T>(0, xmm_lane<T>(c, K == Ms::Merge10 ? o.r1 : o.r0, 0));
        vex_set<16>(c, K == Ms::Merge10 ? o.r0 : o.r1, d);
    }
}
template <typename T>
Handler bind_vmovs(const DecodedInsn& d, Op& op) {
    const bool mem = vex_fill(d, op);
    if (mem && d.vvvv) return &h_vex_ud;  // the memory forms have no vvvv operand
    if (d.opcode == 0x10) return mem ? &h_vmovs<T, Ms::Load> : &h_vmovs<T, Ms::Merge10>;
    return mem ? &h_vmovs<T, Ms::Store> : &h_vmovs<T, Ms::Merge11>;
}

// ---------------------------------------------------------------- VMOVLPS/HPS/LPD/HPD
// SDM Vol. 2B MOVLPS/MOVHPS/MOVHLPS/MOVLHPS, VEX.128 three-operand forms: the result's
// quadwords are (from, quadword) pairs out of {vvvv, r/m or m64}; the stores write one quadword
// of xmm1 to m64.
struct QSel {
    u8 lo_from_rm, lo_q, hi_from_rm, hi_q;
};
constexpr QSel kMovLp{1, 0, 0, 1};   // VMOVLPS/LPD xmm1, xmm2, m64: [m64, xmm2.q1]
constexpr QSel kMovHlps{1, 1, 0, 1}; // VMOVHLPS xmm1, xmm2, xmm3: [xmm3.q1, xmm2.q1]
constexpr QSel kMovHp{0, 0, 1, 0};   // VMOVHPS/HPD xmm1, xmm2, m64: [xmm2.q0, m64]
constexpr QSel kMovLhps{0, 0, 1, 0}; // VMOVLHPS xmm1, xmm2, xmm3: [xmm2.q0, xmm3.q0]
template <const QSel& S, bool Mem>
void h_vmovq_merge(CpuState& c, const Op& o) {
    vex_check(c);
    const V128 m = Mem ? read_scalar<u64>(c, o) : xmm_get(c, o.r1);
    const V128 v = xmm_get(c, o.r2);
    V128 r;
    r.set<u64>(0, (S.lo_from_rm ? m : v).get<u64>(S.lo_q));
    r.set<u64>(1, (S.hi_from_rm ? m : v).get<u64>(S.hi_q));
    vex_set<16>(c, o.r0, r);
}
template <unsigned Q>
void h_vmovq_store(CpuState& c, const Op& o) {
    vex_check(c);
    mem_write<u64>(c, o.seg, op_ea(c, o), xmm_lane<u64>(c, o.r0, Q));
}
template <unsigned Hi>
Handler bind_vmovlh(const DecodedInsn& d, Op& op) {
    const bool mem = vex_fill(d, op);
    if (d.opcode == 0x13 || d.opcode == 0x17) return d.vvvv ? &h_vex_ud : &h_vmovq_store<Hi>;
    if (Hi) return mem ? &h_vmovq_merge<kMovHp, true> : &h_vmovq_merge<kMovLhps, false>;
    return mem ? &h_vmovq_merge<kMovLp, true> : &h_vmovq_merge<kMovHlps, false>;
}

// ---------------------------------------------------------------- VMOVSLDUP/SHDUP/DDUP
template <unsigned Odd>
void dup32(V128& d, const V128& s) {
    for (unsigned i = 0; i < 4; i++) d.set<u32>(i, s.get<u32>((i & ~1u) + Odd));
}
inline void dup64(V128& d, const V128& s) { d.set<u64>(0, s.get<u64>(0)), d.set<u64>(1, s.get<u64>(0)); }
template <void (*F)(V128&, const V128&), unsigned Bytes, bool Mem>
void h_vdup(CpuState& c, const Op& o) {
    vex_check(c);
    // VMOVDDUP xmm1, xmm2/m64 reads 8 bytes; the other forms the whole vector.
    constexpr unsigned src_bytes = (F == &dup64 && Bytes == 16) ? 8 : Bytes;
    const V256 s = vsrc<src_bytes, Mem>(c, o);
    V256 r{};
    for (unsigned h = 0; h < Bytes / 16; h++) {
        V128 x;
        F(x, s.half(h));
        r.set_half(h, x);
    }
    vex_set<Bytes>(c, o.r0, r);
}
template <void (*F)(V128&, const V128&)>
Handler bind_vdup(const DecodedInsn& d, Op& op) {
    return vex_pick(d, op, &h_vdup<F, 16, false>, &h_vdup<F, 16, true>, &h_vdup<F, 32, false>, &h_vdup<F, 32, true>);
}

// ---------------------------------------------------------------- VMOVD / VMOVQ
// 66 0F 6E: VMOVD xmm1, r/m32 / VMOVQ xmm1, r/m64 (W1, 64-bit mode), zero-extended to 256.
template <typename T, bool Mem>
void h_vmovd_in(CpuState& c, const Op& o) {
    vex_check(c);
    V128 v{};
    v.set<T>(0, Mem ? mem_read<T>(c, o.seg, op_ea(c, o)) : static_cast<T>(c.gpr[o.r1]));
    vex_set<16>(c, o.r0, v);
}
// 66 0F 7E: VMOVD r/m32, xmm1 / VMOVQ r/m64, xmm1 (a 32-bit GPR write zero-extends).
template <typename T, bool Mem>
void h_vmovd_out(CpuState& c, const Op& o) {
    vex_check(c);
    const T v = xmm_lane<T>(c, o.r0, 0);
    if constexpr (Mem) mem_write<T>(c, o.seg, op_ea(c, o), v);
    else c.gpr[o.r1] = v;
}
Handler bind_vmovd(const DecodedInsn& d, Op& op) {
    const bool mem = vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    const bool q = d.opsize == 8;
    if (d.opcode == 0x6E)
        return q ? (mem ? &h_vmovd_in<u64, true> : &h_vmovd_in<u64, false>)
                 : (mem ? &h_vmovd_in<u32, true> : &h_vmovd_in<u32, false>);
    return q ? (mem ? &h_vmovd_out<u64, true> : &h_vmovd_out<u64, false>)
             : (mem ? &h_vmovd_out<u32, true> : &h_vmovd_out<u32, false>);
}
// F3 0F 7E VMOVQ xmm1, xmm2/m64 (zero-extended); 66 0F D6 VMOVQ xmm1/m64, xmm2.
template <bool Mem>
void h_vmovq_load(CpuState& c, const Op& o) {
    vex_check(c);
    vex_set<8>(c, o.r0, vsrc<8, Mem>(c, o));
}
template <bool Mem>
void h_vmovq_st(CpuState& c, const Op& o) {
    vex_check(c);
    if constexpr (Mem) mem_write<u64>(c, o.seg, op_ea(c, o), xmm_lane<u64>(c, o.r0, 0));
    else vex_set<8>(c, o.r1, ymm_get(c, o.r0));
}
Handler bind_vmovq(const DecodedInsn& d, Op& op) {
    const bool mem = vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    if (d.opcode == 0x7E) return mem ? &h_vmovq_load<true> : &h_vmovq_load<false>;
    return mem ? &h_vmovq_st<true> : &h_vmovq_st<false>;
}

// ---------------------------------------------------------------- broadcasts, 128-bit lanes
// VBROADCASTSS/SD/F128 (SDM Vol. 2A VBROADCAST; AVX: memory source only): the element in
// every position of the destination.
template <typename T, unsigned Bytes>
void h_vbroadcast(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = read_vmem<sizeof(T) >= 16 ? 16 : sizeof(T), false>(c, o);
    V256 r;
    for (unsigned i = 0; i < Bytes; i += sizeof(T) >= 16 ? 16 : sizeof(T))
        std::memcpy(r.b + i, s.b, sizeof(T) >= 16 ? 16 : sizeof(T));
    vex_set<Bytes>(c, o.r0, r);
}
struct B128 { u8 b[16]; };
template <typename T>
Handler bind_vbroadcast(const DecodedInsn& d, Op& op) {
    vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    return d.vex_l ? &h_vbroadcast<T, 32> : &h_vbroadcast<T, 16>;
}
// VINSERTF128 ymm1, ymm2, xmm3/m128, imm8: ymm2 with half imm8[0] replaced.
template <bool Mem>
void h_vinsertf128(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<16, Mem>(c, o);
    V256 r = ymm_get(c, o.r2);
    r.set_half(o.imm & 1, s.half(0));
    vex_set<32>(c, o.r0, r);
}
Handler bind_vinsertf128(const DecodedInsn& d, Op& op) {
    return vex_fill(d, op) ? &h_vinsertf128<true> : &h_vinsertf128<false>;
}
// VEXTRACTF128 xmm1/m128, ymm2, imm8: half imm8[0] of ymm2 (a register destination is VEX.128
// written: bits 255:128 zero).
template <bool Mem>
void h_vextractf128(CpuState& c, const Op& o) {
    vex_check(c);
    V256 v{};
    v.set_half(0, ymm_get(c, o.r0).half(o.imm & 1));
    if constexpr (Mem) write_vmem<16, false>(c, o, v);
    else vex_set<16>(c, o.r1, v);
}
Handler bind_vextractf128(const DecodedInsn& d, Op& op) {
    const bool mem = vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    return mem ? &h_vextractf128<true> : &h_vextractf128<false>;
}
// VPERM2F128 ymm1, ymm2, ymm3/m256, imm8: each half picks one of the four source halves
// (imm8[1:0] / imm8[5:4]) or zero (imm8[3] / imm8[7]).
template <bool Mem>
void h_vperm2f128(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<32, Mem>(c, o);
    const V256 a = ymm_get(c, o.r2);
    V256 r;
    for (unsigned h = 0; h < 2; h++) {
        const unsigned sel = (o.imm >> (4 * h)) & 0xf;
        const V256& from = sel & 2 ? s : a;
        r.set_half(h, sel & 8 ? V128{} : from.half(sel & 1));
    }
    vex_set<32>(c, o.r0, r);
}
Handler bind_vperm2f128(const DecodedInsn& d, Op& op) {
    return vex_fill(d, op) ? &h_vperm2f128<true> : &h_vperm2f128<false>;
}

// ---------------------------------------------------------------- VPERMILPS / VPERMILPD
// SDM Vol. 2B VPERMILPS: within each 128-bit lane, element i of the result is element
// sel(i) of the same lane of the data; the selector is a control vector (0F 38 0C/0D: data
// vvvv, control r/m; PS uses bits 1:0 of each dword, PD bit 1 of each qword) or imm8 (0F 3A
// 04/05: data r/m; PS the 2-bit fields imm8[2i+1:2i] for each lane, PD bit i of imm8 for
// element i across the register).
template <typename T, unsigned Bytes, bool Mem, bool Imm>
void h_vpermil(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 s = vsrc<Bytes, Mem>(c, o);
    const V256 data = Imm ? s : ymm_get(c, o.r2);
    constexpr unsigned per = 16 / sizeof(T);
    V256 r{};
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) {
        unsigned sel;
        if constexpr (Imm) sel = sizeof(T) == 4 ? (o.imm >> (2 * (i % 4))) & 3 : (o.imm >> i) & 1;
        else sel = sizeof(T) == 4 ? s.get<u32>(i) & 3 : (s.get<u64>(i) >> 1) & 1;
        r.set<T>(i, data.get<T>(i / per * per + sel));
    }
    vex_set<Bytes>(c, o.r0, r);
}
template <typename T>
Handler bind_vpermil(const DecodedInsn& d, Op& op) {
    if (d.map == Map::M0F3A)
        return vex_pick(d, op, &h_vpermil<T, 16, false, true>, &h_vpermil<T, 16, true, true>,
                        &h_vpermil<T, 32, false, true>, &h_vpermil<T, 32, true, true>);
    return vex_pick(d, op, &h_vpermil<T, 16, false, false>, &h_vpermil<T, 16, true, false>,
                    &h_vpermil<T, 32, false, false>, &h_vpermil<T, 32, true, false>);
}

// ---------------------------------------------------------------- VMASKMOVPS / VMASKMOVPD
// SDM Vol. 2B VMASKMOV: the elements whose mask (VEX.vvvv) sign bit is set are loaded (others
// zero) or stored (others untouched in memory); masked-off elements are not accessed and cannot
// fault. The store checks every selected element before writing any (precise faults).
template <typename T, unsigned Bytes>
void h_vmaskmov_load(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 m = ymm_get(c, o.r2);
    const u64 ea = op_ea(c, o);
    V256 r{};
    for (unsigned i = 0; i < Bytes / sizeof(T); i++)
        if (m.get<T>(i) >> (8 * sizeof(T) - 1)) r.set<T>(i, mem_read<T>(c, o.seg, trunc_addr(o, ea + i * sizeof(T))));
    vex_set<Bytes>(c, o.r0, r);
}
template <typename T, unsigned Bytes>
void h_vmaskmov_store(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 m = ymm_get(c, o.r2);
    const V256 v = ymm_get(c, o.r0);
    const u64 ea = op_ea(c, o);
    constexpr unsigned n = Bytes / sizeof(T);
    u64 lin[n];
    for (unsigned i = 0; i < n; i++) {
        if (!(m.get<T>(i) >> (8 * sizeof(T) - 1))) continue;
        lin[i] = seg_linear<Access::Write>(c, o.seg, trunc_addr(o, ea + i * sizeof(T)), sizeof(T));
        tlb_probe_write(c, lin[i], sizeof(T), c.mmu_idx);
    }
    for (unsigned i = 0; i < n; i++)
        if (m.get<T>(i) >> (8 * sizeof(T) - 1)) mem_write_lin<T>(c, lin[i], v.get<T>(i), c.mmu_idx);
}
template <typename T>
Handler bind_vmaskmov(const DecodedInsn& d, Op& op) {
    vex_fill(d, op);
    if (d.opcode <= 0x2D) return d.vex_l ? &h_vmaskmov_load<T, 32> : &h_vmaskmov_load<T, 16>;
    return d.vex_l ? &h_vmaskmov_store<T, 32> : &h_vmaskmov_store<T, 16>;
}

// ---------------------------------------------------------------- sign masks
// VMOVMSKPS/PD r32, xmm/ymm; VPMOVMSKB r32, xmm (AVX: VEX.128 only): the element sign bits,
// zero-extended into the GPR.
template <typename T, unsigned Bytes>
void h_vmovmsk(CpuState& c, const Op& o) {
    vex_check(c);
    const V256 v = ymm_get(c, o.r1);
    u64 m = 0;
    for (unsigned i = 0; i < Bytes / sizeof(T); i++) m |= static_cast<u64>(v.get<T>(i) >> (8 * sizeof(T) - 1)) << i;
    c.gpr[o.r0] = m;
}
template <typename T>
Handler bind_vmovmsk(const DecodedInsn& d, Op& op) {
    vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    return d.vex_l ? &h_vmovmsk<T, 32> : &h_vmovmsk<T, 16>;
}

// ---------------------------------------------------------------- VZEROUPPER / VZEROALL
// SDM Vol. 2C VZEROUPPER/VZEROALL: bits 255:128 (VZEROALL: all bits) of YMM0-15 cleared in
// 64-bit mode; outside it only YMM0-7 are touched.
template <bool All>
void h_vzero(CpuState& c, const Op&) {
    vex_check(c);
    const unsigned n = c.long64 ? 16 : 8;
    for (unsigned i = 0; i < n; i++) std::memset(c.xmm[i].b + (All ? 0 : 16), 0, All ? 32 : 16);
}
template <bool All>
Handler bind_vzero(const DecodedInsn& d, Op&) { return d.vvvv ? &h_vex_ud : &h_vzero<All>; }

// ---------------------------------------------------------------- MXCSR, VMASKMOVDQU
// VLDMXCSR/VSTMXCSR m32 (SDM Vol. 2B LDMXCSR: #GP(0) for a reserved bit set); as the legacy
// forms with the VEX exception rules.
void h_vldmxcsr(CpuState& c, const Op& o) {
    vex_check(c);
    const u32 v = mem_read<u32>(c, o.seg, op_ea(c, o));
    if (v & ~static_cast<u32>(kMxcsrMask)) raise_gp0(c);
    c.mxcsr = v;
}
void h_vstmxcsr(CpuState& c, const Op& o) {
    vex_check(c);
    mem_write<u32>(c, o.seg, op_ea(c, o), c.mxcsr);
}
template <Handler H>
Handler bind_mxcsr(const DecodedInsn& d, Op& op) {
    vex_fill(d, op);
    return d.vvvv ? &h_vex_ud : H;
}
// VMASKMOVDQU xmm1, xmm2: the bytes of xmm1 whose xmm2 byte has bit 7 set to DS:rDI
// (overridable); every selected byte checked before the first store (precise faults).
void h_vmaskmovdqu(CpuState& c, const Op& o) {
    vex_check(c);
    const V128 v = xmm_get(c, o.r0), m = xmm_get(c, o.r1);
    const u64 di = trunc_addr(o, c.gpr[RDI]);
    for (unsigned i = 0; i < 16; i++)
        if (m.b[i] & 0x80) mem_probe_write(c, o.seg, trunc_addr(o, di + i), 1);
    for (unsigned i = 0; i < 16; i++)
        if (m.b[i] & 0x80) mem_write<u8>(c, o.seg, trunc_addr(o, di + i), v.b[i]);
}
Handler bind_vmaskmovdqu(const DecodedInsn& d, Op& op) {
    vex_fill(d, op);
    if (d.vvvv) return &h_vex_ud;
    op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
    op.addrsize = d.addrsize;
    return &h_vmaskmovdqu;
}

constexpr SemEntry kEntries[] = {
    {"vldmxcsr", bind_mxcsr<&h_vldmxcsr>, false}, {"vstmxcsr", bind_mxcsr<&h_vstmxcsr>, false},
    {"vmaskmovdqu", bind_vmaskmovdqu, false},
    {"vmovups", bind_vmov<false>, false}, {"vmovupd", bind_vmov<false>, false},
    {"vmovdqu", bind_vmov<false>, false}, {"vlddqu", bind_vmov<false>, false},
    {"vmovaps", bind_vmov<true>, false}, {"vmovapd", bind_vmov<true>, false},
    {"vmovdqa", bind_vmov<true>, false}, {"vmovntps", bind_vmov<true>, false},
    {"vmovntpd", bind_vmov<true>, false}, {"vmovntdq", bind_vmov<true>, false},
    {"vmovntdqa", bind_vmov<true>, false},
    {"vmovss", bind_vmovs<u32>, false}, {"vmovsd", bind_vmovs<u64>, false},
    {"vmovlps", bind_vmovlh<0>, false}, {"vmovlpd", bind_vmovlh<0>, false}, {"vmovhlps", bind_vmovlh<0>, false},
    {"vmovhps", bind_vmovlh<1>, false}, {"vmovhpd", bind_vmovlh<1>, false}, {"vmovlhps", bind_vmovlh<1>, false},
    {"vmovsldup", bind_vdup<dup32<0>>, false}, {"vmovshdup", bind_vdup<dup32<1>>, false},
    {"vmovddup", bind_vdup<dup64>, false},
    {"vmovd|vmovd|vmovq", bind_vmovd, false}, {"vmovq", bind_vmovq, false},
    {"vbroadcastss", bind_vbroadcast<u32>, false}, {"vbroadcastsd", bind_vbroadcast<u64>, false},
    {"vbroadcastf128", bind_vbroadcast<B128>, false},
    {"vinsertf128", bind_vinsertf128, false}, {"vextractf128", bind_vextractf128, false},
    {"vperm2f128", bind_vperm2f128, false},
    {"vpermilps", bind_vpermil<u32>, false}, {"vpermilpd", bind_vpermil<u64>, false},
    {"vmaskmovps", bind_vmaskmov<u32>, false}, {"vmaskmovpd", bind_vmaskmov<u64>, false},
    {"vmovmskps", bind_vmovmsk<u32>, false}, {"vmovmskpd", bind_vmovmsk<u64>, false},
    {"vpmovmskb", bind_vmovmsk<u8>, false},
    {"vzeroupper", bind_vzero<false>, false}, {"vzeroall", bind_vzero<true>, false},
};

}  // namespace

std::span<const SemEntry> sem_avx_move() { return kEntries; }

}  // namespace vireo::x86
