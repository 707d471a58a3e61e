// Shared pieces of the AVX semantics (avx_*.cc): the YMM register file as 256-bit values, the
// VEX exception checks (SDM Vol. 2A 2.8, Table 2-21 "Type 4" etc. for VEX), the VLMAX-zeroing
// write (Vol. 1 14.5: a VEX.128 destination has bits 255:128 cleared; legacy SSE keeps them,
// sse_common.h xmm_set), 16/32-byte memory operands, and the binder pattern for the
// three-operand forms (dst = op(VEX.vvvv, r/m)). The arithmetic is the SSE forms' (the lane
// helpers of sse_common.h, softfloat/); only the operand plumbing is here.
#pragma once
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {

// A 256-bit value; half(0) is the XMM part, half(1) the YMM upper half.
struct V256 {
    alignas(32) u8 b[32];
    template <typename T>
    VIREO_ALWAYS_INLINE T get(unsigned i) const {
        T v;
        std::memcpy(&v, b + i * sizeof(T), sizeof(T));
        return v;
    }
    template <typename T>
    VIREO_ALWAYS_INLINE void set(unsigned i, T v) {
        std::memcpy(b + i * sizeof(T), &v, sizeof(T));
    }
    VIREO_ALWAYS_INLINE V128 half(unsigned h) const {
        V128 v;
        std::memcpy(v.b, b + 16 * h, 16);
        return v;
    }
    VIREO_ALWAYS_INLINE void set_half(unsigned h, const V128& v) { std::memcpy(b + 16 * h, v.b, 16); }
};

VIREO_ALWAYS_INLINE V256 ymm_get(const CpuState& c, unsigned r) {
    V256 v;
    std::memcpy(v.b, c.xmm[r].b, 32);
    return v;
}
// A VEX write of Bytes (4, 8, 16 or 32) bytes: the rest of the 256-bit register is zeroed
// (SDM Vol. 1 14.5, VLMAX = 256 without AVX-512).
template <unsigned Bytes>
VIREO_ALWAYS_INLINE void vex_set(CpuState& c, unsigned r, const V256& v) {
    std::memcpy(c.xmm[r].b, v.b, Bytes);
    if constexpr (Bytes < 32) std::memset(c.xmm[r].b + Bytes, 0, 32 - Bytes);
}
template <unsigned Bytes>
VIREO_ALWAYS_INLINE void vex_set(CpuState& c, unsigned r, const V128& v) {
    static_assert(Bytes <= 16);
    std::memcpy(c.xmm[r].b, v.b, Bytes);
    std::memset(c.xmm[r].b + Bytes, 0, 32 - Bytes);
}

// SDM Vol. 2A 2.8 (Table 2-21 and the VEX columns of the exception-type tables), Vol. 3A 13.3:
// #UD unless CR4.OSXSAVE = 1 and XCR0[2:1] = 11b (the CPUID gate, the LOCK/66/F2/F3/REX
// prefixes and the reserved VEX.L/vvvv values are the decoder's and binder's); VEX is #UD in
// real and virtual-8086 mode (2.3.x); then #NM when CR0.TS = 1, before memory is touched.
// CR0.EM and CR4.OSFXSR do not apply to VEX forms.
VIREO_ALWAYS_INLINE void vex_check(CpuState& c) {
    if (VIREO_UNLIKELY(!(c.cr4 & CR4_OSXSAVE) || (c.xcr0 & 6) != 6 || !(c.cr0 & CR0_PE) || (c.eflags & VM)))
        raise_ud(c);
    if (VIREO_UNLIKELY(c.cr0 & CR0_TS)) raise_fault_noerr(c, NM);
}
// A binder's answer to a reserved encoding (VEX.vvvv != 1111b where the form has no vvvv
// operand): #UD, as a decode-time error it comes before #NM.
inline void h_vex_ud(CpuState& c, const Op&) { raise_ud(c); }

// Linear address of a Bytes-wide memory operand: VMOVAPS/VMOVAPD/VMOVDQA/VMOVNTx (Aligned)
// raise #GP(0) unless it is aligned to its size; the other VEX forms take any alignment
// (SDM Vol. 2A 2.5 "Memory alignment", Table 2-4).
template <Access A, unsigned Bytes, bool Aligned>
VIREO_ALWAYS_INLINE u64 vmem_linear(CpuState& c, const Op& o) {
    const u64 lin = seg_linear<A>(c, o.seg, op_ea(c, o), Bytes);
    if (Aligned && (lin & (Bytes - 1))) raise_gp0(c);
    return lin;
}
// 16- and 32-byte accesses are never #AC (as the SSE forms, sse_common.h read_m128). A
// 32-byte read touches both halves before anything is written, so a fault is precise.
template <unsigned Bytes, bool Aligned>
VIREO_ALWAYS_INLINE V256 read_vmem(CpuState& c, const Op& o) {
    const u64 lin = vmem_linear<Access::Read, Bytes, Aligned>(c, o);
    V256 v{};
    if constexpr (Bytes < 8) {
        v.set<u32>(0, mem_read_lin<u32>(c, lin, c.mmu_idx));
    } else if (VIREO_UNLIKELY(c.align_check && (lin & 7) && Bytes > 8)) {
        for (unsigned i = 0; i < Bytes; i++) v.b[i] = mem_read_lin<u8>(c, lin + i, c.mmu_idx);
    } else {
        for (unsigned i = 0; i < Bytes / 8; i++) v.set<u64>(i, mem_read_lin<u64>(c, lin + 8 * i, c.mmu_idx));
    }
    return v;
}
template <unsigned Bytes, bool Aligned>
VIREO_ALWAYS_INLINE void write_vmem(CpuState& c, const Op& o, const V256& v) {
    const u64 lin = vmem_linear<Access::Write, Bytes, Aligned>(c, o);
    tlb_probe_write(c, lin, Bytes, c.mmu_idx);  // all of it or nothing (precise faults)
    if constexpr (Bytes < 8) {
        mem_write_lin<u32>(c, lin, v.get<u32>(0), c.mmu_idx);
    } else if (VIREO_UNLIKELY(c.align_check && (lin & 7) && Bytes > 8)) {
        for (unsigned i = 0; i < Bytes; i++) mem_write_lin<u8>(c, lin + i, v.b[i], c.mmu_idx);
    } else {
        for (unsigned i = 0; i < Bytes / 8; i++) mem_write_lin<u64>(c, lin + 8 * i, v.get<u64>(i), c.mmu_idx);
    }
}
// The r/m source of Bytes bytes: a register's low Bytes, or memory (the rest zero).
template <unsigned Bytes, bool Mem, bool Aligned = false>
VIREO_ALWAYS_INLINE V256 vsrc(CpuState& c, const Op& o) {
    if constexpr (Mem) return read_vmem<Bytes, Aligned>(c, o);
    V256 v = ymm_get(c, o.r1);
    if constexpr (Bytes < 32) std::memset(v.b + Bytes, 0, 32 - Bytes);
    return v;
}

// An effective address plus an element offset, wrapped to the address size (SDM Vol. 1 3.3.7).
VIREO_ALWAYS_INLINE u64 trunc_addr(const Op& o, u64 ea) {
    return o.addrsize == 8 ? ea : o.addrsize == 4 ? static_cast<u32>(ea) : static_cast<u16>(ea);
}

// Binder helper: r0 = ModRM.reg, r1 = ModRM.r/m register, r2 = VEX.vvvv; memory fields when
// r/m is memory. Returns true for the memory form.
inline bool vex_fill(const DecodedInsn& d, Op& op) {
    op.r0 = d.reg & 15;
    op.r1 = d.rm & 15;
    op.r2 = d.vvvv & 15;
    if (d.mem) fill_mem(d, op);
    op.imm = d.imm;
    return d.mem;
}
// Does the row name a VEX.vvvv operand (H, B)? Without one vvvv must be 1111b (SDM Vol. 2A
// 2.3.6: "VEX.vvvv is reserved and must be 1111b ... otherwise instructions will #UD").
inline bool row_has_vvvv(const DecodedInsn& d) {
    for (unsigned i = 0; i < d.row->nops; i++)
        if (d.row->ops[i].kind == OpKind::H || d.row->ops[i].kind == OpKind::B) return true;
    return false;
}
inline bool vvvv_reserved_bad(const DecodedInsn& d) { return !row_has_vvvv(d) && d.vvvv != 0; }

// Pick the handler specialization for (VEX.L, memory) from a table [L][Mem]; #UD for a
// reserved vvvv.
inline Handler vex_pick(const DecodedInsn& d, Op& op, Handler h00, Handler h01, Handler h10, Handler h11) {
    const bool mem = vex_fill(d, op);
    if (vvvv_reserved_bad(d)) return &h_vex_ud;
    return d.vex_l ? (mem ? h11 : h10) : (mem ? h01 : h00);
}
#define VEX_PICK(d, op, H) vex_pick(d, op, &H<16, false>, &H<16, true>, &H<32, false>, &H<32, true>)

// Each AVX semantics file contributes a list to the registry.
std::span<const SemEntry> sem_avx_move();
std::span<const SemEntry> sem_avx_fp();
std::span<const SemEntry> sem_avx_convert();
std::span<const SemEntry> sem_avx_int();
std::span<const SemEntry> sem_avx_f16c();
std::span<const SemEntry> sem_avx_fma();

}  // namespace vireo::x86
