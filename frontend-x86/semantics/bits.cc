// Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT, BMI1 (ANDN, BEXTR, BLSI,
// BLSMSK, BLSR), BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX), ADCX/ADOX, CRC32,
// and the BCD adjusts DAA/DAS/AAA/AAS/AAM/AAD (SDM Vol. 2 instruction pages).
//
// Flags the SDM leaves undefined are set as the AMD Zen parts this was checked on do (the
// native-differential test masks them, so other hosts may differ); each handler says what it
// chose.
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {
namespace {

template <typename T>
constexpr unsigned kBits = 8 * sizeof(T);

// ZF/SF/PF of a result (the "logic op" flags with CF = OF = AF = 0).
template <typename T>
VIREO_ALWAYS_INLINE u64 zsp(T r) {
    u64 f = 0;
    if (!r) f |= ZF;
    if (r & sign_bit<T>()) f |= SF;
    if (parity_even(static_cast<u8>(r))) f |= PF;
    return f;
}

template <typename T, bool Mem>
VIREO_ALWAYS_INLINE T read_src(CpuState& c, const Op& o, u8 reg) {
    if constexpr (Mem) return mem_read<T>(c, o.seg, op_ea(c, o));
    else return reg_get<T>(c, reg);
}

// ---------------------------------------------------------------- BT / BTS / BTR / BTC
// SDM Vol. 2A BT: CF = the selected bit; ZF unchanged; OF/SF/AF/PF undefined (left unchanged,
// as AMD does). Register operand or immediate offset: taken modulo the operand size. Memory
// operand with a register offset: the offset is a signed operand-size integer that may address
// bits outside the operand; the operand-size unit holding the bit is accessed.
enum class BtOp { Test, Set, Reset, Complement };

template <BtOp K, typename T>
VIREO_ALWAYS_INLINE T bt_apply(T v, unsigned bit) {
    const T m = static_cast<T>(T(1) << bit);
    if constexpr (K == BtOp::Set) return v | m;
    else if constexpr (K == BtOp::Reset) return static_cast<T>(v & ~m);
    else if constexpr (K == BtOp::Complement) return v ^ m;
    else return v;
}

VIREO_ALWAYS_INLINE void set_cf_only(CpuState& c, bool cf) {
    set_flags_eager(c, (compute_arith_flags(c) & ~CF) | (cf ? CF : 0));
}

// Layout: register form r0 = bit base, r1 = offset register; memory form r0 = offset register.
template <BtOp K, typename T, Loc D, bool Imm>
void h_bt(CpuState& c, const Op& o) {
    constexpr unsigned bits = kBits<T>;
    if constexpr (D == Loc::Reg) {
        const unsigned bit = static_cast<unsigned>(Imm ? o.imm : reg_get<T>(c, o.r1)) & (bits - 1);
        const T v = reg_get<T>(c, o.r0);
        if constexpr (K != BtOp::Test) reg_set<T>(c, o.r0, bt_apply<K, T>(v, bit));
        set_cf_only(c, (v >> bit) & 1);
    } else {
        u64 ea = op_ea(c, o);
        unsigned bit;
        if constexpr (Imm) {
            bit = static_cast<unsigned>(o.imm) & (bits - 1);
        } else {
            const i64 off = static_cast<SignedOf<T>>(reg_get<T>(c, o.r0));
            constexpr unsigned shift = bits == 16 ? 4 : bits == 32 ? 5 : 6;
            ea += static_cast<u64>(off >> shift) * sizeof(T);
            ea = o.addrsize == 8 ? ea : o.addrsize == 4 ? static_cast<u32>(ea) : static_cast<u16>(ea);
            bit = static_cast<unsigned>(off) & (bits - 1);
        }
        T v;
        if constexpr (K == BtOp::Test) {
            v = mem_read<T>(c, o.seg, ea);
        } else {
            const u64 lin = seg_linear<Access::Write>(c, o.seg, ea, sizeof(T));
            v = mem_read_lin<T>(c, lin, c.mmu_idx);
            mem_write_lin<T>(c, lin, bt_apply<K, T>(v, bit), c.mmu_idx);
        }
        set_cf_only(c, (v >> bit) & 1);
    }
}

template <BtOp K, Loc D, bool Imm>
constexpr Handler kBt[3] = {&h_bt<K, u16, D, Imm>, &h_bt<K, u32, D, Imm>, &h_bt<K, u64, D, Imm>};

template <BtOp K>
Handler bind_bt(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.imm = d.imm;
    const unsigned si = size_index(d.opsize) - 1;
    const bool imm = l[1] == Loc::Imm;
    if (l[0] == Loc::Mem) return imm ? kBt<K, Loc::Mem, true>[si] : kBt<K, Loc::Mem, false>[si];
    return imm ? kBt<K, Loc::Reg, true>[si] : kBt<K, Loc::Reg, false>[si];
}

// ---------------------------------------------------------------- BSF / BSR / TZCNT / LZCNT / POPCNT
// BSF/BSR (SDM Vol. 2A): source 0 gives ZF = 1 and leaves the destination unchanged (all 64
// bits, also for 32-bit operands: as AMD documents and processors do; the SDM says
// "undefined"); otherwise ZF = 0 and the bit index. CF/OF/SF/AF/PF undefined:
// we set CF = OF = SF = AF = 0 and PF from the index (0 when the source is 0), as AMD does.
template <bool Reverse, typename T, bool Mem>
void h_bsf(CpuState& c, const Op& o) {
    const T v = read_src<T, Mem>(c, o, o.r1);
    if (!v) {
        set_flags_eager(c, ZF | PF);
        return;
    }
    const unsigned idx = Reverse ? kBits<T> - 1 - std::countl_zero(v) : std::countr_zero(v);
    reg_set<T>(c, o.r0, static_cast<T>(idx));
    set_flags_eager(c, parity_even(static_cast<u8>(idx)) ? PF : 0);
}

// TZCNT/LZCNT (SDM Vol. 2B): CF = (source == 0), ZF = (result == 0); OF/SF/AF/PF undefined:
// we keep OF and clear SF/AF/PF, as AMD does.
template <bool Leading, typename T, bool Mem>
void h_tzcnt(CpuState& c, const Op& o) {
    const T v = read_src<T, Mem>(c, o, o.r1);
    const unsigned n = Leading ? std::countl_zero(v) : std::countr_zero(v);
    reg_set<T>(c, o.r0, static_cast<T>(n));
    u64 f = compute_arith_flags(c) & OF;
    if (!v) f |= CF;
    if (!n) f |= ZF;
    set_flags_eager(c, f);
}

// POPCNT (SDM Vol. 2B): all flags cleared but ZF = (source == 0).
template <typename T, bool Mem>
void h_popcnt(CpuState& c, const Op& o) {
    const T v = read_src<T, Mem>(c, o, o.r1);
    reg_set<T>(c, o.r0, static_cast<T>(std::popcount(v)));
    set_flags_eager(c, v ? 0 : ZF);
}

// "Gv,Ev" forms: r0 = destination, r1 = source register (or the memory operand).
template <bool Reverse>
Handler bind_bsf(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool mem = l[1] == Loc::Mem;
    if (mem) return d.opsize == 2 ? &h_bsf<Reverse, u16, true> : d.opsize == 4 ? &h_bsf<Reverse, u32, true> : &h_bsf<Reverse, u64, true>;
    return d.opsize == 2 ? &h_bsf<Reverse, u16, false> : d.opsize == 4 ? &h_bsf<Reverse, u32, false> : &h_bsf<Reverse, u64, false>;
}
template <bool Leading>
Handler bind_tzcnt(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool mem = l[1] == Loc::Mem;
    if (mem) return d.opsize == 2 ? &h_tzcnt<Leading, u16, true> : d.opsize == 4 ? &h_tzcnt<Leading, u32, true> : &h_tzcnt<Leading, u64, true>;
    return d.opsize == 2 ? &h_tzcnt<Leading, u16, false> : d.opsize == 4 ? &h_tzcnt<Leading, u32, false> : &h_tzcnt<Leading, u64, false>;
}
Handler bind_popcnt(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool mem = l[1] == Loc::Mem;
    if (mem) return d.opsize == 2 ? &h_popcnt<u16, true> : d.opsize == 4 ? &h_popcnt<u32, true> : &h_popcnt<u64, true>;
    return d.opsize == 2 ? &h_popcnt<u16, false> : d.opsize == 4 ? &h_popcnt<u32, false> : &h_popcnt<u64, false>;
}

// ---------------------------------------------------------------- ADCX / ADOX
// SDM Vol. 2A ADCX/ADOX: unsigned add with carry in and out through CF (ADCX) or OF (ADOX);
// every other flag unchanged.
template <bool Ox, typename T, bool Mem>
void h_adx(CpuState& c, const Op& o) {
    const T b = read_src<T, Mem>(c, o, o.r1);
    const T a = reg_get<T>(c, o.r0);
    u64 f = compute_arith_flags(c);
    constexpr u64 flag = Ox ? OF : CF;
    const T cin = (f & flag) ? 1 : 0;
    const T r = static_cast<T>(a + b + cin);
    const bool cout = cin ? r <= a : r < a;
    reg_set<T>(c, o.r0, r);
    set_flags_eager(c, (f & ~flag) | (cout ? flag : 0));
}
template <bool Ox>
Handler bind_adx(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool mem = l[1] == Loc::Mem;
    if (d.opsize == 8) return mem ? &h_adx<Ox, u64, true> : &h_adx<Ox, u64, false>;
    return mem ? &h_adx<Ox, u32, true> : &h_adx<Ox, u32, false>;
}

// ---------------------------------------------------------------- CRC32
// SDM Vol. 2A CRC32: CRC-32C (Castagnoli, polynomial 11EDC6F41H) over the source bytes in
// little-endian order, bit-reflected, with no initial or final inversion: the reflected
// byte-wise table form below. The 64-bit destination form zero-extends the 32-bit result.
// Flags unaffected.
struct Crc32cTable {
    u32 t[256];
    constexpr Crc32cTable() : t{} {
        for (u32 i = 0; i < 256; i++) {
            u32 crc = i;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
            t[i] = crc;
        }
    }
};
constexpr Crc32cTable kCrc32c;

template <typename S, bool Mem>
void h_crc32(CpuState& c, const Op& o) {
    S v = read_src<S, Mem>(c, o, o.r1);
    u32 crc = static_cast<u32>(c.gpr[o.r0 >> 3]);
    for (unsigned i = 0; i < sizeof(S); i++) {
        crc = kCrc32c.t[(crc ^ static_cast<u8>(v)) & 0xff] ^ (crc >> 8);
        if constexpr (sizeof(S) > 1) v = static_cast<S>(v >> 8);
    }
    reg_set<u32>(c, o.r0, crc);
}
Handler bind_crc32(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool mem = l[1] == Loc::Mem;
    switch (operand_bytes(d.row->ops[1], d)) {
    case 1: return mem ? &h_crc32<u8, true> : &h_crc32<u8, false>;
    case 2: return mem ? &h_crc32<u16, true> : &h_crc32<u16, false>;
    case 4: return mem ? &h_crc32<u32, true> : &h_crc32<u32, false>;
    default: return mem ? &h_crc32<u64, true> : &h_crc32<u64, false>;
    }
}

// ---------------------------------------------------------------- BMI1 / BMI2
// The VEX forms are bound by role rather than by row order: r0 = ModRM.reg, r1 = VEX.vvvv,
// r2 = ModRM.rm (register form) or the memory operand. All are 32- or 64-bit (VEX.W; W is
// ignored outside 64-bit mode, where the decoder gives 32-bit operands).
void bind_vex_roles(const DecodedInsn& d, Op& op) {
    op.r0 = reg_off(d.reg);
    op.r1 = reg_off(d.vvvv & 15);
    op.r2 = reg_off(d.rm);
    if (d.mem) fill_mem(d, op);
}
template <typename T, bool Mem>
VIREO_ALWAYS_INLINE T vex_rm(CpuState& c, const Op& o) { return read_src<T, Mem>(c, o, o.r2); }

// ANDN r, v, rm: r = ~v & rm. SF/ZF from the result, CF = OF = 0; AF/PF undefined: AF = 0,
// PF from the result (AMD).
template <typename T, bool Mem>
void h_andn(CpuState& c, const Op& o) {
    const T r = static_cast<T>(~reg_get<T>(c, o.r1) & vex_rm<T, Mem>(c, o));
    reg_set<T>(c, o.r0, r);
    set_flags_eager(c, zsp(r));
}
// BEXTR r, rm, v: start = v[7:0], length = v[15:8]. ZF from the result, CF = OF = 0; AF/SF/PF
// undefined: PF from the result, SF = 0, AF = 1 (AMD).
template <typename T, bool Mem>
void h_bextr(CpuState& c, const Op& o) {
    const T src = vex_rm<T, Mem>(c, o);
    const T ctl = reg_get<T>(c, o.r1);
    const unsigned start = static_cast<u8>(ctl), len = static_cast<u8>(ctl >> 8);
    T r = start >= kBits<T> ? T(0) : static_cast<T>(src >> start);
    if (len < kBits<T>) r &= static_cast<T>((T(1) << len) - 1);
    reg_set<T>(c, o.r0, r);
    set_flags_eager(c, (zsp(r) & ~SF) | AF);
}
// BLSI/BLSMSK/BLSR v, rm (SDM Vol. 2A). CF: BLSI: source != 0; BLSMSK/BLSR: source == 0.
// OF = 0; SF from the result; ZF from the result (BLSMSK: always 0). AF/PF undefined: AF = 0,
// PF from the result (AMD).
enum class Bls { Isolate, Mask, Reset };
template <Bls K, typename T, bool Mem>
void h_bls(CpuState& c, const Op& o) {
    const T s = vex_rm<T, Mem>(c, o);
    T r;
    u64 f;
    if constexpr (K == Bls::Isolate) {
        r = static_cast<T>(s & (T(0) - s));
        f = zsp(r) | (s ? CF : 0);
    } else if constexpr (K == Bls::Mask) {
        r = static_cast<T>(s ^ (s - 1));
        f = (zsp(r) & ~ZF) | (s ? 0 : CF);
    } else {
        r = static_cast<T>(s & (s - 1));
        f = zsp(r) | (s ? 0 : CF);
    }
    reg_set<T>(c, o.r1, r);
    set_flags_eager(c, f);
}
// BZHI r, rm, v: n = v[7:0]; clear bits n and up when n < size; CF = (n >= size). ZF/SF from
// the result, OF = 0; AF/PF undefined: AF = 0, PF from the result (AMD).
template <typename T, bool Mem>
void h_bzhi(CpuState& c, const Op& o) {
    const T src = vex_rm<T, Mem>(c, o);
    const unsigned n = static_cast<u8>(reg_get<T>(c, o.r1));
    T r = src;
    if (n < kBits<T>) r &= static_cast<T>((T(1) << n) - 1);
    reg_set<T>(c, o.r0, r);
    set_flags_eager(c, zsp(r) | (n >= kBits<T> ? CF : 0));
}
// MULX hi(reg), lo(vvvv), rm: rDX * rm unsigned; flags unaffected. When hi and lo name the same
// register it receives the high half (SDM Vol. 2B MULX), so lo is written first.
template <typename T, bool Mem>
void h_mulx(CpuState& c, const Op& o) {
    const T b = vex_rm<T, Mem>(c, o);
    const T a = reg_get<T>(c, reg_off(RDX));
    using W = std::conditional_t<sizeof(T) == 4, u64, u128>;
    const W p = static_cast<W>(a) * b;
    reg_set<T>(c, o.r1, static_cast<T>(p));
    reg_set<T>(c, o.r0, static_cast<T>(p >> kBits<T>));
}
// PDEP r, v, rm: deposit v's low bits at rm's set bits; PEXT r, v, rm: gather v's bits at rm's
// set bits into the low bits. Flags unaffected.
template <bool Extract, typename T, bool Mem>
void h_pdep(CpuState& c, const Op& o) {
    T mask = vex_rm<T, Mem>(c, o);
    const T src = reg_get<T>(c, o.r1);
    T r = 0;
    if constexpr (Extract) {
        for (T k = 1; mask; mask &= mask - 1, k <<= 1)
            if (src & mask & (T(0) - mask)) r |= k;
    } else {
        for (T k = 1; mask; mask &= mask - 1, k <<= 1)
            if (src & k) r |= mask & (T(0) - mask);
    }
    reg_set<T>(c, o.r0, r);
}
// RORX r, rm, imm8: rotate right by imm8 mod size; SHLX/SHRX/SARX r, rm, v: shift by v mod size.
// Flags unaffected.
template <typename T, bool Mem>
void h_rorx(CpuState& c, const Op& o) {
    const T v = vex_rm<T, Mem>(c, o);
    const unsigned k = static_cast<unsigned>(o.imm) & (kBits<T> - 1);
    reg_set<T>(c, o.r0, k ? static_cast<T>((v >> k) | (v << (kBits<T> - k))) : v);
}
enum class Sx { Shl, Shr, Sar };
template <Sx K, typename T, bool Mem>
void h_shx(CpuState& c, const Op& o) {
    const T v = vex_rm<T, Mem>(c, o);
    const unsigned k = static_cast<unsigned>(reg_get<T>(c, o.r1)) & (kBits<T> - 1);
    T r;
    if constexpr (K == Sx::Shl) r = static_cast<T>(v << k);
    else if constexpr (K == Sx::Shr) r = static_cast<T>(v >> k);
    else r = static_cast<T>(static_cast<SignedOf<T>>(v) >> k);
    reg_set<T>(c, o.r0, r);
}

template <template <typename, bool> class Pick>
Handler bind_vex(const DecodedInsn& d, Op& op) {
    // Forms without a VEX.vvvv operand (RORX) require vvvv = 1111b, else #UD (SDM Vol. 2A
    // 2.3.6; the decoder reports it inverted, so 0).
    bool uses_vvvv = false;
    for (unsigned i = 0; i < d.row->nops; i++) uses_vvvv |= d.row->ops[i].kind == OpKind::B;
    if (!uses_vvvv && (d.vvvv & 15)) return &op_raise_ud;
    bind_vex_roles(d, op);
    op.imm = d.imm;
    if (d.opsize == 8) return d.mem ? Pick<u64, true>::h : Pick<u64, false>::h;
    return d.mem ? Pick<u32, true>::h : Pick<u32, false>::h;
}
#define VEX_PICK(name, ...) \
    template <typename T, bool M> struct name { static constexpr Handler h = &__VA_ARGS__; };
VEX_PICK(PAndn, h_andn<T, M>)
VEX_PICK(PBextr, h_bextr<T, M>)
VEX_PICK(PBlsi, h_bls<Bls::Isolate, T, M>)
VEX_PICK(PBlsmsk, h_bls<Bls::Mask, T, M>)
VEX_PICK(PBlsr, h_bls<Bls::Reset, T, M>)
VEX_PICK(PBzhi, h_bzhi<T, M>)
VEX_PICK(PMulx, h_mulx<T, M>)
VEX_PICK(PPdep, h_pdep<false, T, M>)
VEX_PICK(PPext, h_pdep<true, T, M>)
VEX_PICK(PRorx, h_rorx<T, M>)
VEX_PICK(PShlx, h_shx<Sx::Shl, T, M>)
VEX_PICK(PShrx, h_shx<Sx::Shr, T, M>)
VEX_PICK(PSarx, h_shx<Sx::Sar, T, M>)
#undef VEX_PICK

// ---------------------------------------------------------------- BCD (invalid in 64-bit mode)
// The adjusts work on AL/AH (and AF/CF) only; the rows are i64, so the decoder already gives
// #UD in 64-bit mode.
VIREO_ALWAYS_INLINE u8 al(const CpuState& c) { return static_cast<u8>(c.gpr[RAX]); }
VIREO_ALWAYS_INLINE u8 ah(const CpuState& c) { return static_cast<u8>(c.gpr[RAX] >> 8); }

// DAA/DAS (SDM Vol. 2A): AF, CF as the pseudo-code; SF/ZF/PF from AL; OF undefined.
// OF: we compute it as the signed overflow of the whole adjustment (AL_old +/- the correction),
// as AMD does.
template <bool Sub>
void h_daa(CpuState& c, const Op&) {
    const u64 f0 = compute_arith_flags(c);
    const u8 old_al = al(c);
    const bool old_cf = f0 & CF;
    u8 a = old_al;
    bool cf = false, af = false;
    if ((a & 0xf) > 9 || (f0 & AF)) {
        cf = old_cf || (Sub ? a < 6 : a > 0xff - 6);
        a = Sub ? static_cast<u8>(a - 6) : static_cast<u8>(a + 6);
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        a = Sub ? static_cast<u8>(a - 0x60) : static_cast<u8>(a + 0x60);
        cf = true;
    } else if (!Sub) {
        cf = false;
    }
    const u8 corr = Sub ? static_cast<u8>(old_al - a) : static_cast<u8>(a - old_al);
    const bool of = Sub ? ((old_al ^ corr) & (old_al ^ a) & 0x80) : (~(old_al ^ corr) & (old_al ^ a) & 0x80);
    reg_set<u8>(c, 0, a);
    set_flags_eager(c, zsp<u8>(a) | (cf ? CF : 0) | (af ? AF : 0) | (of ? OF : 0));
}

// AAA/AAS (SDM Vol. 2A): AX +/- 106H when (AL & 0FH) > 9 or AF; AF = CF = that condition;
// AL &= 0FH. OF/SF/ZF/PF undefined: we set them as the 16-bit add/sub AX +/- (106H or 0) does
// before the mask (OF/SF/ZF of the word, PF of its low byte), as AMD does.
template <bool Sub>
void h_aaa(CpuState& c, const Op&) {
    const u64 f0 = compute_arith_flags(c);
    const u16 old_ax = static_cast<u16>(c.gpr[RAX]);
    const bool adj = (old_ax & 0xf) > 9 || (f0 & AF);
    const u16 k = adj ? 0x106 : 0;
    const u16 t = Sub ? static_cast<u16>(old_ax - k) : static_cast<u16>(old_ax + k);
    reg_set<u16>(c, 0, static_cast<u16>(t & 0xff0f));
    u64 f = (t ? 0 : ZF) | ((t & 0x8000) ? SF : 0) | (parity_even(static_cast<u8>(t)) ? PF : 0);
    const bool of = Sub ? ((old_ax ^ k) & (old_ax ^ t) & 0x8000) : (~(old_ax ^ k) & (old_ax ^ t) & 0x8000);
    if (of) f |= OF;
    if (adj) f |= AF | CF;
    set_flags_eager(c, f);
}

// AAM imm8: AH = AL / imm8, AL = AL % imm8; imm8 = 0: #DE. AAD imm8: AL = AL + AH * imm8,
// AH = 0. SF/ZF/PF from AL; OF/AF/CF undefined: AAM clears them; AAD sets them as the byte
// add AL + (AH * imm8) does, as AMD does.
void h_aam(CpuState& c, const Op& o) {
    const u8 base = static_cast<u8>(o.imm);
    if (!base) raise_fault_noerr(c, DE);
    const u8 a = al(c);
    const u8 q = a / base, r = a % base;
    reg_set<u16>(c, 0, static_cast<u16>(r | (q << 8)));
    set_flags_eager(c, zsp<u8>(r));
}
void h_aad(CpuState& c, const Op& o) {
    const u8 a = al(c), b = static_cast<u8>(ah(c) * static_cast<u8>(o.imm));
    const u8 r = static_cast<u8>(a + b);
    reg_set<u16>(c, 0, r);
    u64 f = zsp<u8>(r);
    if (r < a) f |= CF;
    if ((a ^ r) & (b ^ r) & 0x80) f |= OF;
    f |= (a ^ b ^ r) & AF;
    set_flags_eager(c, f);
}

Handler bind_daa(const DecodedInsn&, Op&) { return &h_daa<false>; }
Handler bind_das(const DecodedInsn&, Op&) { return &h_daa<true>; }
Handler bind_aaa(const DecodedInsn&, Op&) { return &h_aaa<false>; }
Handler bind_aas(const DecodedInsn&, Op&) { return &h_aaa<true>; }
Handler bind_aam(const DecodedInsn& d, Op& op) { op.imm = d.imm; return &h_aam; }
Handler bind_aad(const DecodedInsn& d, Op& op) { op.imm = d.imm; return &h_aad; }

constexpr SemEntry kEntries[] = {
    {"bt", bind_bt<BtOp::Test>, false}, {"bts", bind_bt<BtOp::Set>, false},
    {"btr", bind_bt<BtOp::Reset>, false}, {"btc", bind_bt<BtOp::Complement>, false},
    {"bsf", bind_bsf<false>, false}, {"bsr", bind_bsf<true>, false},
    {"tzcnt", bind_tzcnt<false>, false}, {"lzcnt", bind_tzcnt<true>, false},
    {"popcnt", bind_popcnt, false},
    {"adcx", bind_adx<false>, false}, {"adox", bind_adx<true>, false},
    {"crc32", bind_crc32, false},
    {"andn", bind_vex<PAndn>, false}, {"bextr", bind_vex<PBextr>, false},
    {"blsi", bind_vex<PBlsi>, false}, {"blsmsk", bind_vex<PBlsmsk>, false},
    {"blsr", bind_vex<PBlsr>, false}, {"bzhi", bind_vex<PBzhi>, false},
    {"mulx", bind_vex<PMulx>, false}, {"pdep", bind_vex<PPdep>, false},
    {"pext", bind_vex<PPext>, false}, {"rorx", bind_vex<PRorx>, false},
    {"shlx", bind_vex<PShlx>, false}, {"shrx", bind_vex<PShrx>, false},
    {"sarx", bind_vex<PSarx>, false},
    {"daa", bind_daa, false}, {"das", bind_das, false},
    {"aaa", bind_aaa, false}, {"aas", bind_aas, false},
    {"aam", bind_aam, false}, {"aad", bind_aad, false},
};

}  // namespace

std::span<const SemEntry> sem_bits() { return kEntries; }

}  // namespace vireo::x86
