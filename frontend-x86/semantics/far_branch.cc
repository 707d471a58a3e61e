// Far JMP, CALL and RET: real-address and virtual-8086 mode, protected mode to code
// segments, call gates (16/32/64-bit, with the stack switch and parameter copy of SDM Vol. 3A
// 5.8.5), task gates and TSSs (7.3). Operation: SDM Vol. 2A CALL and JMP, Vol. 2B RET.
#include "frontend-x86/segmentation.h"
#include "frontend-x86/semantics/system.h"
#include "frontend-x86/stack_frame.h"
#include "frontend-x86/task_switch.h"

namespace vireo::x86 {

void check_far_target_ip(CpuState& c, u64 desc, u64 ip) {
    if ((c.efer & EFER_LMA) && desc_l(desc) ? !is_canonical(c, ip) : ip > desc_limit(desc)) raise_gp0(c);
}

namespace {

bool lma(const CpuState& c) { return c.efer & EFER_LMA; }
[[noreturn]] void gp_sel(CpuState& c, u16 sel) { raise_fault(c, GP, sel_error(sel)); }
[[noreturn]] void np_sel(CpuState& c, u16 sel) { raise_fault(c, NP, sel_error(sel)); }

// JMP/CALL directly to a code segment: conforming needs DPL <= CPL; non-conforming RPL <= CPL
// and DPL = CPL. In IA-32e mode L=1 with D=1 is reserved.
void check_direct_code(CpuState& c, u16 sel, u64 d) {
    const u8 dpl = desc_dpl(d);
    if (!desc_code(d)) gp_sel(c, sel);
    if (desc_conforming(d) ? dpl > c.cpl : ((sel & 3) > c.cpl || dpl != c.cpl)) gp_sel(c, sel);
    if (!desc_present(d)) np_sel(c, sel);
    if (lma(c) && desc_l(d) && desc_db(d)) gp_sel(c, sel);
}

// A call gate (SDM Vol. 3A 5.8.3; 5.8.3.1 for the 16-byte IA-32e form).
struct CallGate {
    u16 sel;
    u64 offset;
    u8 params;
    unsigned size;  // 2, 4 or 8: width of the pushes
};
CallGate read_call_gate(CpuState& c, u16 gsel, u64 g) {
    CallGate r{static_cast<u16>(g >> 16), g & 0xffff, static_cast<u8>((g >> 32) & 31), 2};
    if (desc_type(g) == 0xc) {
        r.offset |= (g >> 32) & 0xffff0000;
        r.size = 4;
    }
    if (lma(c)) {
        u64 hi;
        // The upper half's type field must be 0.
        if (!read_descriptor_high(c, gsel, hi) || ((hi >> 40) & 0x1f)) gp_sel(c, gsel);
        r.offset |= (hi & 0xffffffff) << 32;
        r.size = 8;
        r.params = 0;
    }
    return r;
}

// The code segment a call gate names: #GP(selector) for a non-code segment or DPL > CPL
// (JMP: conforming DPL > CPL or non-conforming DPL != CPL), #NP if absent; IA-32e mode
// needs 64-bit code.
u64 call_gate_target(CpuState& c, const CallGate& g, bool jmp) {
    if ((g.sel & 0xfffc) == 0) raise_gp0(c);
    u64 cd;
    if (!read_descriptor(c, g.sel, cd)) gp_sel(c, g.sel);
    const u8 dpl = desc_dpl(cd);
    if (!desc_code(cd) || dpl > c.cpl) gp_sel(c, g.sel);
    if (jmp && !desc_conforming(cd) && dpl != c.cpl) gp_sel(c, g.sel);
    if (!desc_present(cd)) np_sel(c, g.sel);
    if (lma(c) && (!desc_l(cd) || desc_db(cd))) gp_sel(c, g.sel);
    check_far_target_ip(c, cd, g.offset);
    return cd;
}

// A system descriptor named by JMP/CALL: the gate or TSS DPL must be >= CPL and RPL.
void check_system_target(CpuState& c, u16 sel, u64 d) {
    if (desc_dpl(d) < c.cpl || desc_dpl(d) < (sel & 3)) gp_sel(c, sel);
    if (!desc_present(d)) np_sel(c, sel);
}

// ---------------------------------------------------------------- real / virtual-8086

void far_transfer_real(CpuState& c, u16 sel, u64 off) {
    // The limit is that of the segment after the load: kept in real mode, 64 KiB in v8086.
    if (off > (c.vm86 ? 0xffffu : c.seg[CS].limit)) raise_gp0(c);
    load_segment_real(c, CS, sel);
    c.rip = off;
}

// ---------------------------------------------------------------- JMP

void far_jmp(CpuState& c, u16 sel, u64 off, u64 next_rip) {
    if (!c.pe || c.vm86) return far_transfer_real(c, sel, off);
    if ((sel & 0xfffc) == 0) raise_gp0(c);
    u64 d;
    if (!read_descriptor(c, sel, d)) gp_sel(c, sel);
    if (desc_s(d)) {
        check_direct_code(c, sel, d);
        check_far_target_ip(c, d, off);
        load_cs(c, sel, d, c.cpl);
        c.rip = off;
        return;
    }
    const u8 type = desc_type(d);
    if (lma(c) && type != 0xc) gp_sel(c, sel);  // only 64-bit call gates in IA-32e mode
    switch (type) {
    case 1: case 9:  // available TSS
        check_system_target(c, sel, d);
        task_switch(c, sel, d, TaskSwitchSource::Jmp, next_rip);
        return;
    case 5: {  // task gate
        check_system_target(c, sel, d);
        const u16 tss = static_cast<u16>(d >> 16);
        task_switch(c, tss, tss_descriptor_for_gate(c, tss, 0), TaskSwitchSource::Jmp, next_rip);
        return;
    }
    case 4: case 0xc: {  // call gate: same privilege only
        check_system_target(c, sel, d);
        const CallGate g = read_call_gate(c, sel, d);
        const u64 cd = call_gate_target(c, g, true);
        load_cs(c, g.sel, cd, c.cpl);
        c.rip = g.offset;
        return;
    }
    default: gp_sel(c, sel);  // busy TSS, LDT, ...
    }
}

// ---------------------------------------------------------------- CALL

void call_gate_inner(CpuState& c, const CallGate& g, u64 cd, u64 next_rip) {
    // SDM Vol. 3A 5.8.5 / Figure 5-13: switch to the stack of the target ring, copy the
    // parameters, push the caller's SS:rSP and CS:rIP.
    const u8 dpl = desc_dpl(cd);
    if (lma(c)) {
        // 5.8.5.1 (IA-32e): RSPn from the TSS, SS becomes null, no parameter copy.
        StackFrame f{&c, nullptr, tss64_read(c, 4 + dpl * 8u, 0), ~0ull, mmu_for_cpl(dpl), 0};
        f.push(c.seg[SS].sel, 8);
        f.push(c.gpr[RSP], 8);
        f.push(c.seg[CS].sel, 8);
        f.push(next_rip, 8);
        cd = mark_descriptor_accessed(c, g.sel, cd);
        load_null_segment(c, SS, dpl);
        c.gpr[RSP] = f.sp;
        load_cs(c, g.sel, cd, dpl);
        c.rip = g.offset;
        return;
    }
    u16 ss_sel;
    u32 esp;
    tss_ring_stack(c, dpl, 0, ss_sel, esp);
    u64 sd;
    if ((ss_sel & 0xfffc) == 0) raise_fault(c, TS, 0);
    if (!read_descriptor(c, ss_sel, sd)) raise_fault(c, TS, sel_error(ss_sel));
    if ((ss_sel & 3) != dpl || desc_dpl(sd) != dpl || !desc_writable(sd)) raise_fault(c, TS, sel_error(ss_sel));
    if (!desc_present(sd)) raise_fault(c, SS_VEC, sel_error(ss_sel));
    Segment nss;
    segment_from_descriptor(nss, ss_sel, sd);
    const u64 mask = nss.db() ? 0xffffffffull : 0xffffull;
    StackFrame f{&c, &nss, esp & mask, mask, mmu_for_cpl(dpl), sel_error(ss_sel)};
    const StackFrame old = current_stack(c);
    f.push(c.seg[SS].sel, g.size);
    f.push(c.gpr[RSP], g.size);
    for (int i = g.params - 1; i >= 0; i--) f.push(old.peek(static_cast<u64>(i) * g.size, g.size), g.size);
    f.push(c.seg[CS].sel, g.size);
    f.push(next_rip, g.size);
    cd = mark_descriptor_accessed(c, g.sel, cd);
    sd = mark_descriptor_accessed(c, ss_sel, sd);
    segment_from_descriptor(c.seg[SS], ss_sel, sd);
    c.gpr[RSP] = f.rsp_after(esp);
    load_cs(c, g.sel, cd, dpl);
    segment_update_access(c, c.seg[SS], SS);
    c.rip = g.offset;
}

// A far CALL that stays at the current privilege level (direct, or through a call gate to a
// conforming or same-DPL segment): push CS:rIP of the return, then load CS:target.
void call_same_privilege(CpuState& c, u16 sel, u64 desc, unsigned size, u64 next_rip, u64 target) {
    StackFrame f = current_stack(c);
    f.push(c.seg[CS].sel, size);
    f.push(next_rip, size);
    const u64 marked = mark_descriptor_accessed(c, sel, desc);
    c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
    load_cs(c, sel, marked, c.cpl);
    c.rip = target;
}

void far_call(CpuState& c, u16 sel, u64 off, unsigned opsize, u64 next_rip) {
    if (!c.pe || c.vm86) {
        StackFrame f = current_stack(c);
        f.push(c.seg[CS].sel, opsize);
        f.push(next_rip, opsize);
        const u64 rsp = f.rsp_after(c.gpr[RSP]);
        far_transfer_real(c, sel, off);
        c.gpr[RSP] = rsp;
        return;
    }
    if ((sel & 0xfffc) == 0) raise_gp0(c);
    u64 d;
    if (!read_descriptor(c, sel, d)) gp_sel(c, sel);
    if (desc_s(d)) {
        check_direct_code(c, sel, d);
        check_far_target_ip(c, d, off);
        return call_same_privilege(c, sel, d, opsize, next_rip, off);
    }
    const u8 type = desc_type(d);
    if (lma(c) && type != 0xc) gp_sel(c, sel);
    switch (type) {
    case 1: case 9:
        check_system_target(c, sel, d);
        task_switch(c, sel, d, TaskSwitchSource::Call, next_rip);
        return;
    case 5: {
        check_system_target(c, sel, d);
        const u16 tss = static_cast<u16>(d >> 16);
        task_switch(c, tss, tss_descriptor_for_gate(c, tss, 0), TaskSwitchSource::Call, next_rip);
        return;
    }
    case 4: case 0xc: {
        check_system_target(c, sel, d);
        const CallGate g = read_call_gate(c, sel, d);
        const u64 cd = call_gate_target(c, g, false);
        if (!desc_conforming(cd) && desc_dpl(cd) < c.cpl) return call_gate_inner(c, g, cd, next_rip);
        return call_same_privilege(c, g.sel, cd, g.size, next_rip, g.offset);
    }
    default: gp_sel(c, sel);
    }
}

// ---------------------------------------------------------------- RET

void far_ret(CpuState& c, unsigned opsize, u16 imm) {
    StackFrame f = current_stack(c);
    const u64 off = f.peek(0, opsize);
    const u16 sel = static_cast<u16>(f.peek(opsize, opsize));
    if (!c.pe || c.vm86) {
        f.sp = (f.sp + 2 * opsize + imm) & f.mask;
        const u64 rsp = f.rsp_after(c.gpr[RSP]);
        far_transfer_real(c, sel, off);
        c.gpr[RSP] = rsp;
        return;
    }
    // SDM Vol. 2B RET "PROTECTED-MODE": the return CS must have RPL >= CPL; conforming code
    // DPL <= RPL, non-conforming DPL = RPL.
    if ((sel & 0xfffc) == 0) raise_gp0(c);
    u64 d;
    if (!read_descriptor(c, sel, d)) gp_sel(c, sel);
    const u8 rpl = sel & 3;
    if (!desc_code(d) || rpl < c.cpl) gp_sel(c, sel);
    if (desc_conforming(d) ? desc_dpl(d) > rpl : desc_dpl(d) != rpl) gp_sel(c, sel);
    if (!desc_present(d)) np_sel(c, sel);
    if (lma(c) && desc_l(d) && desc_db(d)) gp_sel(c, sel);
    if (rpl == c.cpl) {
        check_far_target_ip(c, d, off);
        f.sp = (f.sp + 2 * opsize + imm) & f.mask;
        d = mark_descriptor_accessed(c, sel, d);
        c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
        load_cs(c, sel, d, c.cpl);
        c.rip = off;
        return;
    }
    // RETURN-TO-OUTER-PRIVILEGE-LEVEL: the caller's SS:rSP follows the parameters.
    const u64 nsp = f.peek(2 * opsize + imm, opsize);
    const u16 nss = static_cast<u16>(f.peek(3 * opsize + imm, opsize));
    u64 sd = 0;
    const bool null_ss = (nss & 0xfffc) == 0;
    if (null_ss) {
        // IA-32e: a null SS is allowed returning to 64-bit code at CPL < 3.
        if (!(lma(c) && desc_l(d) && rpl != 3)) raise_gp0(c);
    } else {
        if (!read_descriptor(c, nss, sd)) gp_sel(c, nss);
        if ((nss & 3) != rpl || !desc_writable(sd) || desc_dpl(sd) != rpl) gp_sel(c, nss);
        if (!desc_present(sd)) raise_fault(c, SS_VEC, sel_error(nss));
        sd = mark_descriptor_accessed(c, nss, sd);
    }
    check_far_target_ip(c, d, off);
    d = mark_descriptor_accessed(c, sel, d);
    load_cs(c, sel, d, rpl);
    if (null_ss) load_null_segment(c, SS, nss);
    else commit_segment(c, SS, nss, sd);
    update_mode(c);
    const u64 mask = StackFrame::mask_for(c, c.seg[SS], c.long64);
    const u64 sp = nsp + imm;
    c.gpr[RSP] = mask == 0xffff ? (c.gpr[RSP] & ~0xffffull) | (sp & 0xffff) : sp & mask;
    null_inaccessible_segments(c);
    c.rip = off;
}

// ---------------------------------------------------------------- handlers

// Operand size of the far pointer's offset: 2, 4 or (REX.W, m16:64) 8.
template <typename T, bool Mem>
void h_far_jmp(CpuState& c, const Op& o) {
    u64 off = o.imm;
    u16 sel = static_cast<u16>(o.imm2);
    if constexpr (Mem) {
        const u64 ea = op_ea(c, o);
        off = mem_read<T>(c, o.seg, ea);
        sel = mem_read<u16>(c, o.seg, ea_plus(o, ea, sizeof(T)));
    }
    far_jmp(c, sel, off, o.next_rip);
    end_block(c, c.rip);
}

template <typename T, bool Mem>
void h_far_call(CpuState& c, const Op& o) {
    u64 off = o.imm;
    u16 sel = static_cast<u16>(o.imm2);
    if constexpr (Mem) {
        const u64 ea = op_ea(c, o);
        off = mem_read<T>(c, o.seg, ea);
        sel = mem_read<u16>(c, o.seg, ea_plus(o, ea, sizeof(T)));
    }
    far_call(c, sel, off, sizeof(T), o.next_rip);
    end_block(c, c.rip);
}

template <typename T>
void h_lret(CpuState& c, const Op& o) {
    far_ret(c, sizeof(T), static_cast<u16>(o.imm));
    end_block(c, c.rip);
}

template <template <typename, bool> class H>
Handler bind_far(const DecodedInsn& d, Op& op) {
    const bool mem = d.row->ops[0].kind == OpKind::M;
    if (mem) {
        fill_mem(d, op);
    } else {
        op.imm = d.imm;
        op.imm2 = d.imm2;
    }
    switch (d.opsize) {
    case 2: return mem ? &H<u16, true>::run : &H<u16, false>::run;
    case 4: return mem ? &H<u32, true>::run : &H<u32, false>::run;
    default: return mem ? &H<u64, true>::run : &H<u64, false>::run;
    }
}
template <typename T, bool M> struct FarJmp { static void run(CpuState& c, const Op& o) { h_far_jmp<T, M>(c, o); } };
template <typename T, bool M> struct FarCall { static void run(CpuState& c, const Op& o) { h_far_call<T, M>(c, o); } };

}  // namespace

Handler bind_far_jmp(const DecodedInsn& d, Op& op) { return bind_far<FarJmp>(d, op); }
Handler bind_far_call(const DecodedInsn& d, Op& op) { return bind_far<FarCall>(d, op); }

Handler bind_lret(const DecodedInsn& d, Op& op) {
    op.imm = d.imm_size ? d.imm & 0xffff : 0;
    switch (d.opsize) {
    case 2: return &h_lret<u16>;
    case 4: return &h_lret<u32>;
    default: return &h_lret<u64>;
    }
}

}  // namespace vireo::x86
