// Descriptor-table and segment-inspection instructions: LGDT/LIDT/SGDT/SIDT, LLDT/LTR/SLDT/STR,
// LAR/LSL/VERR/VERW, ARPL, LMSW/SMSW (SDM Vol. 2A/2B, each instruction's "Operation").
// UMIP is not implemented (nor advertised).
#include "frontend-x86/control_regs.h"
#include "frontend-x86/segmentation.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

bool lma(const CpuState& c) { return c.efer & EFER_LMA; }

// r/m16 source of the selector-taking instructions.
template <bool Mem>
u16 read_rm16(CpuState& c, const Op& o) {
    return Mem ? mem_read<u16>(c, o.seg, op_ea(c, o)) : reg_get<u16>(c, o.r0);
}

// ---------------------------------------------------------------- GDTR / IDTR

// LGDT/LIDT m16&32 (m16&64 in 64-bit mode): a 16-bit operand size keeps 24 bits of the base.
template <bool Idt>
void h_lgdt(CpuState& c, const Op& o) {
    require_cpl0(c);
    const u64 ea = op_ea(c, o);
    const u16 limit = mem_read<u16>(c, o.seg, ea);
    u64 base;
    if (c.long64) {
        base = mem_read<u64>(c, o.seg, ea_plus(o, ea, 2));
        if (!is_canonical(c, base)) raise_gp0(c);
    } else {
        base = mem_read<u32>(c, o.seg, ea_plus(o, ea, 2));
        if (o.opsize == 2) base &= 0xffffff;
    }
    TableReg& t = Idt ? c.idtr : c.gdtr;
    t.base = base;
    t.limit = limit;
}

// SGDT/SIDT store the limit and the whole base (32 bits outside 64-bit mode, whatever the
// operand size).
template <bool Idt>
void h_sgdt(CpuState& c, const Op& o) {
    const TableReg& t = Idt ? c.idtr : c.gdtr;
    const u64 ea = op_ea(c, o);
    mem_probe_write(c, o.seg, ea, c.long64 ? 10 : 6);
    mem_write<u16>(c, o.seg, ea, static_cast<u16>(t.limit));
    if (c.long64) mem_write<u64>(c, o.seg, ea_plus(o, ea, 2), t.base);
    else mem_write<u32>(c, o.seg, ea_plus(o, ea, 2), static_cast<u32>(t.base));
}

// ---------------------------------------------------------------- LDTR / TR

// An IA-32e system descriptor is 16 bytes: base[63:32] in the upper half, whose type field
// must be 0; the full base must be canonical.
u64 system_base(CpuState& c, u16 sel, u64 d) {
    u64 base = desc_base(d);
    if (lma(c)) {
        u64 hi;
        if (!read_descriptor_high(c, sel, hi) || ((hi >> 40) & 0x1f)) raise_fault(c, GP, sel_error(sel));
        base |= (hi & 0xffffffff) << 32;
        if (!is_canonical(c, base)) raise_fault(c, GP, sel_error(sel));
    }
    return base;
}

template <bool Mem>
void h_lldt(CpuState& c, const Op& o) {
    require_protected(c);
    require_cpl0(c);
    const u16 sel = read_rm16<Mem>(c, o);
    if ((sel & 0xfffc) == 0) {
        c.ldtr = Segment{};  // unusable: LDT references #GP
        c.ldtr.sel = sel;
        return;
    }
    u64 d;
    if ((sel & 4) || !read_descriptor(c, sel, d)) raise_fault(c, GP, sel_error(sel));
    if (desc_s(d) || desc_type(d) != 2) raise_fault(c, GP, sel_error(sel));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(sel));
    const u64 base = system_base(c, sel, d);
    segment_from_descriptor(c.ldtr, sel, d);
    c.ldtr.base = base;
}

template <bool Mem>
void h_ltr(CpuState& c, const Op& o) {
    require_protected(c);
    require_cpl0(c);
    const u16 sel = read_rm16<Mem>(c, o);
    if ((sel & 0xfffc) == 0) raise_gp0(c);
    u64 d;
    if ((sel & 4) || !read_descriptor(c, sel, d)) raise_fault(c, GP, sel_error(sel));
    // An available TSS: 16-bit (1) or 32-bit (9); IA-32e mode accepts only the 64-bit TSS (9).
    const u8 type = desc_type(d);
    if (desc_s(d) || !(type == 9 || (type == 1 && !lma(c)))) raise_fault(c, GP, sel_error(sel));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(sel));
    const u64 base = system_base(c, sel, d);
    // LTR marks the TSS busy (SDM Vol. 2A LTR).
    u64 addr;
    descriptor_address(c, sel, 8, addr);
    sys_write<u8>(c, addr + 5, static_cast<u8>((d >> 40) | 2));
    segment_from_descriptor(c.tr, sel, d);
    c.tr.base = base;
    c.tr.attr |= 2;
}

// SLDT/STR: a register destination gets the selector zero-extended to the operand size, a
// memory destination 16 bits.
template <bool Tr, typename T, bool Mem>
void h_store_sel(CpuState& c, const Op& o) {
    require_protected(c);
    const u16 sel = Tr ? c.tr.sel : c.ldtr.sel;
    if constexpr (Mem) mem_write<u16>(c, o.seg, op_ea(c, o), sel);
    else reg_set<T>(c, o.r0, static_cast<T>(sel));
}

// ---------------------------------------------------------------- LAR / LSL / VERR / VERW

enum class Probe : u8 { Lar, Lsl, Verr, Verw };

// The descriptor a probing instruction may look at: non-null, in the table, and (except for
// conforming code) DPL >= CPL and RPL. System types allowed differ (SDM LAR/LSL tables).
bool probe_descriptor(CpuState& c, u16 sel, Probe p, u64& d) {
    if ((sel & 0xfffc) == 0 || !read_descriptor(c, sel, d)) return false;
    if (!desc_s(d)) {
        if (p == Probe::Verr || p == Probe::Verw) return false;
        const u8 t = desc_type(d);
        const bool ok = lma(c) ? (t == 2 || t == 9 || t == 0xb || (p == Probe::Lar && t == 0xc))
                               : (t == 1 || t == 2 || t == 3 || t == 9 || t == 0xb ||
                                  (p == Probe::Lar && (t == 4 || t == 5 || t == 0xc)));
        if (!ok) return false;
    } else if (p == Probe::Verr && !desc_readable(d)) {
        return false;
    } else if (p == Probe::Verw && !desc_writable(d)) {
        return false;
    }
    if (!desc_conforming(d) && (desc_dpl(d) < c.cpl || desc_dpl(d) < (sel & 3))) return false;
    return true;
}

template <Probe P, typename T, bool Mem>
void h_probe(CpuState& c, const Op& o) {
    require_protected(c);
    const u16 sel = Mem ? mem_read<u16>(c, o.seg, op_ea(c, o)) : reg_get<u16>(c, o.r1);
    u64 d;
    const bool ok = probe_descriptor(c, sel, P, d);
    if constexpr (P == Probe::Lar) {
        // Access rights: the descriptor's second dword masked with 00FxFF00H (x: 0 here).
        if (ok) reg_set<T>(c, o.r0, static_cast<T>((d >> 32) & (sizeof(T) == 2 ? 0xff00 : 0x00f0ff00)));
    } else if constexpr (P == Probe::Lsl) {
        if (ok) reg_set<T>(c, o.r0, static_cast<T>(desc_limit(d)));
    }
    set_zf(c, ok);
}

template <Probe P>
Handler bind_probe(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    const bool verify = P == Probe::Verr || P == Probe::Verw;
    if (verify) {  // single r/m16 operand: register in r1, like LAR's source
        op.r1 = op.r0;
        return l[0] == Loc::Mem ? &h_probe<P, u16, true> : &h_probe<P, u16, false>;
    }
    const bool m = l[1] == Loc::Mem;
    switch (d.opsize) {
    case 2: return m ? &h_probe<P, u16, true> : &h_probe<P, u16, false>;
    case 4: return m ? &h_probe<P, u32, true> : &h_probe<P, u32, false>;
    default: return m ? &h_probe<P, u64, true> : &h_probe<P, u64, false>;
    }
}

// ---------------------------------------------------------------- ARPL

template <bool Mem>
void h_arpl(CpuState& c, const Op& o) {
    require_protected(c);
    const u16 src = reg_get<u16>(c, Mem ? o.r0 : o.r1);
    if constexpr (Mem) {
        const u64 lin = seg_linear<Access::Write>(c, o.seg, op_ea(c, o), 2);
        const u16 dst = mem_read_lin<u16>(c, lin, c.mmu_idx);
        const bool raise = (dst & 3) < (src & 3);
        if (raise) mem_write_lin<u16>(c, lin, static_cast<u16>((dst & ~3) | (src & 3)), c.mmu_idx);
        set_zf(c, raise);
    } else {
        const u16 dst = reg_get<u16>(c, o.r0);
        const bool raise = (dst & 3) < (src & 3);
        if (raise) reg_set<u16>(c, o.r0, static_cast<u16>((dst & ~3) | (src & 3)));
        set_zf(c, raise);
    }
}

// ---------------------------------------------------------------- LMSW / SMSW

// LMSW loads PE, MP, EM, TS; it can set PE but never clear it.
template <bool Mem>
void h_lmsw(CpuState& c, const Op& o) {
    require_cpl0(c);
    const u16 v = read_rm16<Mem>(c, o);
    write_cr0(c, (c.cr0 & ~0xeull) | (v & 0xf) | (c.cr0 & CR0_PE));
    end_block(c, o.next_rip);
}

// SMSW: a memory destination gets 16 bits; a register the low operand-size bits of CR0.
template <typename T, bool Mem>
void h_smsw(CpuState& c, const Op& o) {
    if constexpr (Mem) mem_write<u16>(c, o.seg, op_ea(c, o), static_cast<u16>(c.cr0));
    else reg_set<T>(c, o.r0, static_cast<T>(c.cr0));
}

// Binder for the r/m16 operand forms (LLDT, LTR, LMSW).
template <template <bool> class H>
Handler bind_rm16(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    return l[0] == Loc::Mem ? &H<true>::run : &H<false>::run;
}
template <bool M> struct Lldt { static void run(CpuState& c, const Op& o) { h_lldt<M>(c, o); } };
template <bool M> struct Ltr { static void run(CpuState& c, const Op& o) { h_ltr<M>(c, o); } };
template <bool M> struct Lmsw { static void run(CpuState& c, const Op& o) { h_lmsw<M>(c, o); } };
template <bool M> struct Arpl { static void run(CpuState& c, const Op& o) { h_arpl<M>(c, o); } };

// Binder for the stores of a 16-bit value to r/m (SLDT, STR, SMSW).
template <template <typename, bool> class H>
Handler bind_store16(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    if (l[0] == Loc::Mem) return &H<u16, true>::run;
    switch (d.opsize) {
    case 2: return &H<u16, false>::run;
    case 4: return &H<u32, false>::run;
    default: return &H<u64, false>::run;
    }
}
template <typename T, bool M> struct Sldt { static void run(CpuState& c, const Op& o) { h_store_sel<false, T, M>(c, o); } };
template <typename T, bool M> struct Str { static void run(CpuState& c, const Op& o) { h_store_sel<true, T, M>(c, o); } };
template <typename T, bool M> struct Smsw { static void run(CpuState& c, const Op& o) { h_smsw<T, M>(c, o); } };

}  // namespace

Handler bind_lgdt(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_lgdt<false>; }
Handler bind_lidt(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_lgdt<true>; }
Handler bind_sgdt(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_sgdt<false>; }
Handler bind_sidt(const DecodedInsn& d, Op& op) { fill_mem(d, op); return &h_sgdt<true>; }
Handler bind_lldt(const DecodedInsn& d, Op& op) { return bind_rm16<Lldt>(d, op); }
Handler bind_ltr(const DecodedInsn& d, Op& op) { return bind_rm16<Ltr>(d, op); }
Handler bind_sldt(const DecodedInsn& d, Op& op) { return bind_store16<Sldt>(d, op); }
Handler bind_str(const DecodedInsn& d, Op& op) { return bind_store16<Str>(d, op); }
Handler bind_lar(const DecodedInsn& d, Op& op) { return bind_probe<Probe::Lar>(d, op); }
Handler bind_lsl(const DecodedInsn& d, Op& op) { return bind_probe<Probe::Lsl>(d, op); }
Handler bind_verr(const DecodedInsn& d, Op& op) { return bind_probe<Probe::Verr>(d, op); }
Handler bind_verw(const DecodedInsn& d, Op& op) { return bind_probe<Probe::Verw>(d, op); }
Handler bind_arpl(const DecodedInsn& d, Op& op) { return bind_rm16<Arpl>(d, op); }
Handler bind_lmsw(const DecodedInsn& d, Op& op) { return bind_rm16<Lmsw>(d, op); }
Handler bind_smsw(const DecodedInsn& d, Op& op) { return bind_store16<Smsw>(d, op); }

}  // namespace vireo::x86
