// Hardware task switch (SDM Vol. 3A 7.3), for 32-bit TSSs (7.2.1) and 16-bit TSSs (7.6).
#include "frontend-x86/task_switch.h"
#include "frontend-x86/debug_regs.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/interrupts.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/segmentation.h"
#include "frontend-x86/stack_frame.h"

namespace vireo::x86 {

namespace {

// The dynamic fields of a TSS (7.2.1): what a switch saves and loads.
struct TssLayout {
    u32 min_limit;  // 7.2.1: a 32-bit TSS needs limit >= 0x67, a 16-bit one >= 0x2b
    u32 eip, eflags, regs, seg, seg_stride, nsegs, ldt, width;
};
constexpr TssLayout kTss32{0x67, 0x20, 0x24, 0x28, 0x48, 4, 6, 0x60, 4};
constexpr TssLayout kTss16{0x2b, 0x0e, 0x10, 0x12, 0x22, 2, 4, 0x2a, 2};

struct TaskState {
    u32 cr3 = 0, eip = 0, eflags = 0, regs[8] = {};
    u16 segs[6] = {};  // ES CS SS DS FS GS (the Seg order)
    u16 ldt = 0;
    bool trap = false;
};

u64 rd(CpuState& c, u64 at, unsigned width) {
    return width == 4 ? sys_read<u32>(c, static_cast<u32>(at)) : sys_read<u16>(c, static_cast<u32>(at));
}
void wr(CpuState& c, u64 at, u64 v, unsigned width) {
    if (width == 4) sys_write<u32>(c, static_cast<u32>(at), static_cast<u32>(v));
    else sys_write<u16>(c, static_cast<u32>(at), static_cast<u16>(v));
}

// The busy bit (bit 1 of the type) of a TSS descriptor in the GDT (7.2.2).
void set_busy(CpuState& c, u16 sel, bool busy) {
    u64 addr;
    if (!descriptor_address(c, sel & ~4, 8, addr)) return;
    const u8 b = sys_read<u8>(c, addr + 5);
    sys_write<u8>(c, addr + 5, busy ? b | 2 : b & ~2);
}

// Segment loads of the new task (7.3 step 13): errors are #TS(selector), not-present #NP
// (#SS for SS); the new task's CPL is its CS RPL.
void load_task_segments(CpuState& c, const TaskState& n, u32 ext) {
    const u16 cs = n.segs[CS];
    const u8 cpl = cs & 3;
    u64 d;
    if ((cs & 0xfffc) == 0 || !read_descriptor(c, cs, d)) raise_fault(c, TS, sel_error(cs, ext));
    if (!desc_code(d) || (desc_conforming(d) ? desc_dpl(d) > cpl : desc_dpl(d) != cpl))
        raise_fault(c, TS, sel_error(cs, ext));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(cs, ext));
    load_cs(c, cs, d, cpl);
    for (u8 seg : {SS, ES, DS, FS, GS}) {
        const u16 sel = n.segs[seg];
        if ((sel & 0xfffc) == 0) {
            if (seg == SS) raise_fault(c, TS, sel_error(sel, ext));
            load_null_segment(c, seg, sel);
            continue;
        }
        if (!read_descriptor(c, sel, d)) raise_fault(c, TS, sel_error(sel, ext));
        check_data_segment(c, seg, sel, d, cpl, TS, ext);
        commit_segment(c, seg, sel, d);
    }
}

// LDTR of the new task (7.3 step 13): a GDT selector of a present LDT descriptor.
void load_task_ldt(CpuState& c, u16 sel, u32 ext) {
    if (sel & 4) raise_fault(c, TS, sel_error(sel, ext));
    if ((sel & 0xfffc) == 0) return;  // stays unusable
    u64 d;
    if (!read_descriptor(c, sel, d) || desc_s(d) || desc_type(d) != 2) raise_fault(c, TS, sel_error(sel, ext));
    if (!desc_present(d)) raise_fault(c, NP, sel_error(sel, ext));
    segment_from_descriptor(c.ldtr, sel, d);
}

}  // namespace

void tss_ring_stack(CpuState& c, u8 dpl, u32 ext, u16& ss, u32& esp) {
    const bool tss32 = c.tr.type() & 8;
    const u32 off = tss32 ? 4 + dpl * 8u : 2 + dpl * 4u;
    if (off + (tss32 ? 7u : 3u) > c.tr.limit) raise_fault(c, TS, sel_error(c.tr.sel, ext));
    const u64 at = static_cast<u32>(c.tr.base + off);
    esp = tss32 ? sys_read<u32>(c, at) : sys_read<u16>(c, at);
    ss = sys_read<u16>(c, at + (tss32 ? 4 : 2));
}

u64 tss64_read(CpuState& c, u32 off, u32 ext) {
    if (off + 7 > c.tr.limit) raise_fault(c, TS, sel_error(c.tr.sel, ext));
    return sys_read<u64>(c, c.tr.base + off);
}

u64 tss_descriptor_for_gate(CpuState& c, u16 tss_sel, u32 ext) {
    const u32 err = sel_error(tss_sel, ext);
    u64 d;
    if ((tss_sel & 4) || !read_descriptor(c, tss_sel, d)) raise_fault(c, GP, err);
    // An available 16-bit (1) or 32-bit (9) TSS; a busy one is #GP too.
    if (desc_s(d) || (desc_type(d) != 1 && desc_type(d) != 9)) raise_fault(c, GP, err);
    if (!desc_present(d)) raise_fault(c, NP, err);
    return d;
}

void task_switch(CpuState& c, u16 tss_sel, u64 desc, TaskSwitchSource src, u64 return_rip,
                 bool has_error, u32 error, u32 ext) {
    const TssLayout& nl = (desc_type(desc) & 8) ? kTss32 : kTss16;
    const bool new32 = &nl == &kTss32;
    const u64 nbase = static_cast<u32>(desc_base(desc));
    if (desc_limit(desc) < nl.min_limit) raise_fault(c, TS, sel_error(tss_sel, ext));

    // Steps 1-8: read the new task's state, then save the old one; a fault here is reported
    // in the old task with nothing changed but TSS memory.
    TaskState n;
    n.eip = static_cast<u32>(rd(c, nbase + nl.eip, nl.width));
    n.eflags = static_cast<u32>(rd(c, nbase + nl.eflags, nl.width));
    for (unsigned i = 0; i < 8; i++) n.regs[i] = static_cast<u32>(rd(c, nbase + nl.regs + i * nl.width, nl.width));
    for (unsigned i = 0; i < nl.nsegs; i++) n.segs[i] = static_cast<u16>(rd(c, nbase + nl.seg + i * nl.seg_stride, 2));
    n.ldt = static_cast<u16>(rd(c, nbase + nl.ldt, 2));
    if (new32) {
        n.cr3 = static_cast<u32>(rd(c, nbase + 0x1c, 4));
        n.trap = rd(c, nbase + 0x64, 2) & 1;
    }

    const TssLayout& ol = (c.tr.type() & 8) ? kTss32 : kTss16;
    const u64 obase = static_cast<u32>(c.tr.base);
    u64 old_flags = read_rflags(c);
    if (src == TaskSwitchSource::Iret) old_flags &= ~NT;  // step 6: the returning task is not nested
    wr(c, obase + ol.eip, return_rip, ol.width);
    wr(c, obase + ol.eflags, old_flags, ol.width);
    for (unsigned i = 0; i < 8; i++) wr(c, obase + ol.regs + i * ol.width, c.gpr[i], ol.width);
    for (unsigned i = 0; i < ol.nsegs; i++) wr(c, obase + ol.seg + i * ol.seg_stride, c.seg[i].sel, 2);

    // Busy bits (7.2.2) and nesting (7.4): JMP and IRET free the old task; CALL and
    // interrupts link the new task back to it and set NT.
    if (src == TaskSwitchSource::Jmp || src == TaskSwitchSource::Iret) set_busy(c, c.tr.sel, false);
    if (src == TaskSwitchSource::Call || src == TaskSwitchSource::Int) {
        wr(c, nbase, c.tr.sel, 2);
        n.eflags |= NT;
    }
    if (src != TaskSwitchSource::Iret) set_busy(c, tss_sel, true);

    // Commit (steps 9-11): TS, TR, CR3, EFLAGS, EIP, registers, selectors.
    c.cr0 |= CR0_TS;
    segment_from_descriptor(c.tr, tss_sel, desc);
    c.tr.attr |= 2;  // busy
    if (new32) {
        c.cr3 = n.cr3;
        tlb_flush_nonglobal(c);
        write_rflags_raw(c, n.eflags);
        for (unsigned i = 0; i < 8; i++) c.gpr[i] = n.regs[i];
    } else {
        write_rflags_raw(c, (read_rflags(c) & ~0xffffull) | (n.eflags & 0xffff));
        for (unsigned i = 0; i < 8; i++) c.gpr[i] = (c.gpr[i] & ~0xffffull) | (n.regs[i] & 0xffff);
    }
    c.rip = n.eip;
    c.ldtr = Segment{};
    c.ldtr.sel = n.ldt;
    const bool vm86 = (c.eflags & VM) && new32;
    if (!new32) c.eflags &= ~VM;
    c.cpl = vm86 ? 3 : n.segs[CS] & 3;
    for (u8 s = 0; s < 6; s++) load_null_segment(c, s, n.segs[s]);  // selectors only, for now
    update_mode(c);
    // Local breakpoint enables are per task (SDM Vol. 3A 17.2.4: L0-L3, LE cleared).
    c.dr[7] &= ~0x155ull;

    // Step 13 onwards: faults belong to the new task.
    try {
        load_task_ldt(c, n.ldt, ext);
        if (vm86) {
            for (u8 s = 0; s < 6; s++) load_segment_real(c, s, n.segs[s]);
        } else {
            load_task_segments(c, n, ext);
        }
        if (c.rip > c.seg[CS].limit) raise_gp0(c);
        if (has_error) {
            // 6.12.2: the error code goes on the new task's stack, as wide as its TSS.
            StackFrame f = current_stack(c);
            f.push(error, new32 ? 4 : 2);
            c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
        }
        if (n.trap) {
            // 7.2.1 T flag: #DB (DR6.BT) before the new task's first instruction.
            c.dr[6] |= DR6_BT;
            deliver_event(c, DB, EventKind::Exception, false, 0, c.rip);
        }
    } catch (const GuestFault& f) {
        deliver_event(c, f.vector, EventKind::Exception, f.has_error, f.error, c.rip);
    }
}

}  // namespace vireo::x86
