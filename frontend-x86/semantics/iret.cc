// IRET/IRETD/IRETQ (SDM Vol. 2A IRET "Operation"): real-address mode, virtual-8086 mode
// (IOPL 3), return from a nested task (EFLAGS.NT), protected-mode returns to the same or an
// outer level and to virtual-8086 mode, and IA-32e mode (IRETQ pops SS:RSP).
#include "frontend-x86/segmentation.h"
#include "frontend-x86/semantics/system.h"
#include "frontend-x86/stack_frame.h"
#include "frontend-x86/task_switch.h"

namespace vireo::x86 {

namespace {

// The EFLAGS bits IRET may load in real-address mode (SDM: tempEFLAGS AND 257FD5H; VM, VIF
// and VIP are kept) and their 16-bit counterpart.
constexpr u64 kRealMask32 = 0x257fd5, kRealMask16 = 0x7fd5;

u64 merge(u64 old, u64 v, u64 mask) { return (old & ~mask) | (v & mask); }

void iret_real_or_v86(CpuState& c, unsigned opsize) {
    // Virtual-8086 mode: IRET is IOPL-sensitive, and IOPL itself cannot change (20.2.7).
    if (c.vm86 && iopl_of(c) < 3) raise_gp0(c);
    StackFrame f = current_stack(c);
    const u64 ip = f.pop(opsize);
    const u16 cs = static_cast<u16>(f.pop(opsize));
    const u64 fl = f.pop(opsize);
    if (ip > (c.vm86 ? 0xffffu : c.seg[CS].limit)) raise_gp0(c);
    u64 mask = opsize == 2 ? kRealMask16 : kRealMask32;
    if (c.vm86) mask &= ~static_cast<u64>(IOPL);
    c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
    write_rflags_raw(c, merge(read_rflags(c), fl, mask));
    load_segment_real(c, CS, cs);
    c.rip = ip;
    update_mode(c);
}

void iret_task_return(CpuState& c, u64 next_rip) {
    // SDM Vol. 3A 7.3: the back-link of the current TSS names a busy TSS in the GDT; errors
    // here are #TS(selector) (#NP if not present).
    const u16 link = sys_read<u16>(c, (c.efer & EFER_LMA) ? c.tr.base : static_cast<u32>(c.tr.base));
    u64 d;
    if ((link & 4) || !read_descriptor(c, link, d)) raise_fault(c, TS, sel_error(link));
    if (desc_s(d) || (desc_type(d) != 3 && desc_type(d) != 0xb)) raise_fault(c, TS, sel_error(link));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(link));
    task_switch(c, link, d, TaskSwitchSource::Iret, next_rip);
}

// RETURN-TO-VIRTUAL-8086-MODE: IRETD at CPL 0 with VM set in the popped EFLAGS.
void iret_to_v86(CpuState& c, StackFrame& f, u64 ip, u16 cs, u64 fl) {
    const u64 esp = f.peek(12, 4);
    u16 sel[6];
    sel[SS] = static_cast<u16>(f.peek(16, 4));
    sel[ES] = static_cast<u16>(f.peek(20, 4));
    sel[DS] = static_cast<u16>(f.peek(24, 4));
    sel[FS] = static_cast<u16>(f.peek(28, 4));
    sel[GS] = static_cast<u16>(f.peek(32, 4));
    sel[CS] = cs;
    write_rflags_raw(c, fl);
    c.cpl = 3;
    update_mode(c);  // now in virtual-8086 mode
    for (u8 s = 0; s < 6; s++) load_segment_real(c, s, sel[s]);
    segments_update_access(c);
    c.gpr[RSP] = static_cast<u32>(esp);
    c.rip = ip & 0xffff;
}

void iret_protected(CpuState& c, unsigned opsize) {
    const bool lma = c.efer & EFER_LMA;
    StackFrame f = current_stack(c);
    const u64 ip = f.peek(0, opsize);
    const u16 cs = static_cast<u16>(f.peek(opsize, opsize));
    const u64 fl = f.peek(2 * opsize, opsize);
    if (opsize == 4 && (fl & VM) && c.cpl == 0 && !lma) return iret_to_v86(c, f, ip, cs, fl);

    if ((cs & 0xfffc) == 0) raise_gp0(c);
    u64 d;
    if (!read_descriptor(c, cs, d)) raise_fault(c, GP, sel_error(cs));
    const u8 rpl = cs & 3;
    if (!desc_code(d) || rpl < c.cpl) raise_fault(c, GP, sel_error(cs));
    if (desc_conforming(d) ? desc_dpl(d) > rpl : desc_dpl(d) != rpl) raise_fault(c, GP, sel_error(cs));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(cs));
    if (lma && desc_l(d) && desc_db(d)) raise_fault(c, GP, sel_error(cs));
    const bool to64 = lma && desc_l(d);

    // The EFLAGS image, masked by the privilege of the IRET (the old CPL): IF needs
    // CPL <= IOPL; IOPL, VIF and VIP need CPL 0; RF, AC, ID need a 32/64-bit IRET.
    u64 mask = CF | PF | AF | ZF | SF | TF | DF | OF | NT;
    if (opsize >= 4) mask |= RF | AC | ID;
    if (c.cpl <= iopl_of(c)) mask |= IF;
    if (c.cpl == 0) mask |= IOPL | (opsize >= 4 ? VIF | VIP : 0);
    if (opsize == 2) mask &= 0xffff;
    const u64 new_flags = merge(read_rflags(c), fl, mask);

    // In 64-bit mode IRET always pops SS:RSP; otherwise only on a return to an outer level.
    if (rpl == c.cpl && !c.long64) {
        const u64 marked = mark_descriptor_accessed(c, cs, d);
        check_far_target_ip(c, marked, ip);
        f.sp = (f.sp + 3 * opsize) & f.mask;
        c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
        write_rflags_raw(c, new_flags);
        load_cs(c, cs, marked, rpl);
        c.rip = ip;
        return;
    }
    const u64 nsp = f.peek(3 * opsize, opsize);
    const u16 nss = static_cast<u16>(f.peek(4 * opsize, opsize));
    u64 sd = 0;
    const bool null_ss = (nss & 0xfffc) == 0;
    if (null_ss) {
        // A null SS is allowed only returning to 64-bit code at CPL < 3.
        if (!(to64 && rpl != 3)) raise_gp0(c);
    } else {
        if (!read_descriptor(c, nss, sd)) raise_fault(c, GP, sel_error(nss));
        if ((nss & 3) != rpl || !desc_writable(sd) || desc_dpl(sd) != rpl) raise_fault(c, GP, sel_error(nss));
        if (!desc_present(sd)) raise_fault(c, SS_VEC, sel_error(nss));
        sd = mark_descriptor_accessed(c, nss, sd);
    }
    check_far_target_ip(c, d, ip);
    d = mark_descriptor_accessed(c, cs, d);
    const u8 old_cpl = c.cpl;
    write_rflags_raw(c, new_flags);
    load_cs(c, cs, d, rpl);
    if (null_ss) load_null_segment(c, SS, nss);
    else commit_segment(c, SS, nss, sd);
    update_mode(c);
    const u64 mask_sp = StackFrame::mask_for(c, c.seg[SS], c.long64);
    c.gpr[RSP] = mask_sp == 0xffff ? (c.gpr[RSP] & ~0xffffull) | (nsp & 0xffff) : nsp & mask_sp;
    if (rpl > old_cpl) null_inaccessible_segments(c);
    c.rip = ip;
}

template <unsigned Size>
void h_iret(CpuState& c, const Op& o) {
    if (!c.pe || c.vm86) {
        iret_real_or_v86(c, Size);
    } else if (c.eflags & NT) {
        // IA-32e mode has no task switching: IRET with NT=1 is #GP(0).
        if (c.efer & EFER_LMA) raise_gp0(c);
        iret_task_return(c, o.next_rip);
    } else {
        iret_protected(c, Size);
    }
    c.nmi_blocked = false;  // SDM Vol. 3A 6.7.1: IRET ends NMI blocking
    end_block(c, c.rip);
}

}  // namespace

Handler bind_iret(const DecodedInsn& d, Op&) {
    switch (d.opsize) {
    case 2: return &h_iret<2>;
    case 4: return &h_iret<4>;
    default: return &h_iret<8>;
    }
}

}  // namespace vireo::x86
