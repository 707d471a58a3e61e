// Exception and interrupt delivery (SDM Vol. 3A chapter 6): the IVT in real-address mode
// (20.1.4), the IDT in protected mode (6.10-6.12, with virtual-8086 mode entry from 20.3.1),
// the 16-byte IDT of IA-32e mode (6.14), and the double/triple-fault rules (6.15, Table 6-5).
#include "frontend-x86/interrupts.h"
#include <cstdio>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/flags.h"
#include "frontend-x86/stack_frame.h"
#include "frontend-x86/task_switch.h"

namespace vireo::x86 {

namespace {

struct Event {
    u8 vector;
    EventKind kind;
    bool has_error;
    u32 error;
    u64 return_rip;
    bool set_rf;  // a fault: RF=1 in the pushed RFLAGS image (SDM Vol. 3A 17.3.1.1)
};

bool is_software(EventKind k) { return k == EventKind::SoftwareInt || k == EventKind::SoftwareException; }
// SDM Vol. 3A 6.13: EXT is set unless the event is INT n, INT3 or INTO.
u32 ext_bit(EventKind k) { return is_software(k) ? 0 : 1; }

// SDM Vol. 3A Table 6-4 (interrupt and exception classes for double faults).
enum class FaultClass : u8 { Benign, Contributory, PageFault };
FaultClass fault_class(u8 v) {
    switch (v) {
    case DE: case TS: case NP: case SS_VEC: case GP: case CP: return FaultClass::Contributory;
    case PF_VEC: case VE: return FaultClass::PageFault;
    default: return FaultClass::Benign;
    }
}

// Fault-class exceptions (SDM Vol. 3A Table 6-1): their handler returns to the faulting
// instruction, so the pushed RFLAGS has RF set (17.3.1.1). #DB is delivered by the engine
// with RF clear (an instruction breakpoint must not be suppressed twice).
bool is_fault_vector(u8 v) {
    switch (v) {
    case DE: case BR: case UD: case NM: case TS: case NP: case SS_VEC: case GP: case PF_VEC:
    case MF: case AC_VEC: case XM: case VE: case CP: return true;
    default: return false;
    }
}

void log_line(CpuState& c, const char* text) {
    if (c.host && c.host->log_enabled(LOG_INT)) c.host->log(text);
}

// One line per event, in the shape of QEMU's -d int output.
void log_event(CpuState& c, const Event& e) {
    if (!c.host || !c.host->log_enabled(LOG_INT)) return;
    char buf[256];
    int n = std::snprintf(buf, sizeof buf,
                          "%6llu: v=%02x e=%04x i=%d cpl=%d IP=%04x:%016llx pc=%016llx SP=%04x:%016llx",
                          static_cast<unsigned long long>(c.insn_count), e.vector, e.error,
                          is_software(e.kind) || e.kind == EventKind::Int1, c.cpl, c.seg[CS].sel,
                          static_cast<unsigned long long>(e.return_rip),
                          static_cast<unsigned long long>(c.seg[CS].base + e.return_rip), c.seg[SS].sel,
                          static_cast<unsigned long long>(c.gpr[RSP]));
    if (e.vector == PF_VEC && e.kind == EventKind::Exception)
        std::snprintf(buf + n, sizeof buf - n, " CR2=%016llx\n", static_cast<unsigned long long>(c.cr2));
    else
        std::snprintf(buf + n, sizeof buf - n, " EAX=%016llx\n", static_cast<unsigned long long>(c.gpr[RAX]));
    c.host->log(buf);
}

// ---------------------------------------------------------------- real-address mode

void deliver_real(CpuState& c, const Event& e) {
    // SDM Vol. 3A 20.1.4: 4-byte IVT entries (offset, segment); push FLAGS, CS, IP;
    // clear IF, TF, AC.
    if (e.vector * 4u + 3 > c.idtr.limit) raise_fault(c, GP, e.vector * 8u + 2 + ext_bit(e.kind));
    const u32 entry = sys_read<u32>(c, static_cast<u32>(c.idtr.base + e.vector * 4u));
    StackFrame f = current_stack(c);
    f.push(read_rflags(c) | (e.set_rf ? RF : 0), 2);
    f.push(c.seg[CS].sel, 2);
    f.push(e.return_rip, 2);
    c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
    c.eflags &= ~(IF | TF | AC | RF);
    load_segment_real(c, CS, static_cast<u16>(entry >> 16));
    c.rip = entry & 0xffff;
}

// ---------------------------------------------------------------- protected mode

void deliver_protected(CpuState& c, const Event& e) {
    const u32 ext = ext_bit(e.kind);
    const u32 idt_err = e.vector * 8u + 2 + ext;  // error code naming the IDT entry (6.13)
    if (e.vector * 8u + 7 > c.idtr.limit) raise_fault(c, GP, idt_err);
    const u64 gate = sys_read<u64>(c, static_cast<u32>(c.idtr.base + e.vector * 8u));
    // SDM Vol. 3A 6.11: task gate (5), 16-bit interrupt/trap gates (6/7), 32-bit (0xe/0xf).
    const u8 type = (gate >> 40) & 0x1f;  // with the S bit, which must be 0
    if (type != 5 && type != 6 && type != 7 && type != 0xe && type != 0xf) raise_fault(c, GP, idt_err);
    // 6.12.1.1: INT n/INT3/INTO need CPL <= gate DPL.
    if (is_software(e.kind) && desc_dpl(gate) < c.cpl) raise_fault(c, GP, idt_err);
    if (!desc_present(gate)) raise_fault(c, NP, idt_err);
    const u16 csel = static_cast<u16>(gate >> 16);

    if (type == 5) {  // 6.12.2: interrupt tasks
        const u64 tss = tss_descriptor_for_gate(c, csel, ext);
        task_switch(c, csel, tss, TaskSwitchSource::Int, e.return_rip, e.has_error, e.error, ext);
        return;
    }

    const bool gate32 = type & 8;
    const u64 offset = gate32 ? (gate & 0xffff) | ((gate >> 32) & 0xffff0000) : gate & 0xffff;
    if ((csel & 0xfffc) == 0) raise_fault(c, GP, ext);
    u64 cd;
    if (!read_descriptor(c, csel, cd)) raise_fault(c, GP, sel_error(csel, ext));
    if (!desc_code(cd) || desc_dpl(cd) > c.cpl) raise_fault(c, GP, sel_error(csel, ext));
    if (!desc_present(cd)) raise_fault(c, NP, sel_error(csel, ext));
    const u8 dpl = desc_dpl(cd);
    const bool inner = !desc_conforming(cd) && dpl < c.cpl;
    // 20.3.1.1: from virtual-8086 mode only a ring-0 non-conforming handler is allowed.
    if (c.vm86 && (!inner || dpl != 0)) raise_fault(c, GP, sel_error(csel, ext));
    const u8 new_cpl = inner ? dpl : c.cpl;
    if (offset > desc_limit(cd)) raise_fault(c, GP, ext);

    const unsigned sz = gate32 ? 4 : 2;
    Segment new_ss = c.seg[SS];
    u16 ss_sel = 0;
    u64 ss_desc = 0;
    u32 esp = 0;
    StackFrame f = current_stack(c, ext);
    if (inner) {
        // 6.12.1: switch to the handler's stack from the TSS, checked as #TS(SS selector).
        tss_ring_stack(c, dpl, ext, ss_sel, esp);
        if ((ss_sel & 0xfffc) == 0) raise_fault(c, TS, ext);
        if (!read_descriptor(c, ss_sel, ss_desc)) raise_fault(c, TS, sel_error(ss_sel, ext));
        if ((ss_sel & 3) != dpl || desc_dpl(ss_desc) != dpl || !desc_writable(ss_desc))
            raise_fault(c, TS, sel_error(ss_sel, ext));
        if (!desc_present(ss_desc)) raise_fault(c, SS_VEC, sel_error(ss_sel, ext));
        segment_from_descriptor(new_ss, ss_sel, ss_desc);
        const u64 mask = new_ss.db() ? 0xffffffffull : 0xffffull;
        f = StackFrame{&c, &new_ss, esp & mask, mask, mmu_for_cpl(dpl), sel_error(ss_sel, ext)};
        if (c.vm86) {
            // SDM Vol. 3A 20.3.1.1: GS, FS, DS, ES of the virtual-8086 task go on the ring-0 stack.
            for (u8 s : {GS, FS, DS, ES}) f.push(c.seg[s].sel, sz);
        }
        f.push(c.seg[SS].sel, sz);
        f.push(c.gpr[RSP], sz);
    }
    f.push(read_rflags(c) | (e.set_rf ? RF : 0), sz);
    f.push(c.seg[CS].sel, sz);
    f.push(e.return_rip, sz);
    if (e.has_error) f.push(e.error, sz);
    cd = mark_descriptor_accessed(c, csel, cd);
    if (inner) ss_desc = mark_descriptor_accessed(c, ss_sel, ss_desc);

    // Commit: nothing below can fault.
    const bool was_vm86 = c.vm86;
    if (inner) {
        if (was_vm86)
            for (u8 s : {ES, DS, FS, GS}) load_null_segment(c, s, 0);
        segment_from_descriptor(c.seg[SS], ss_sel, ss_desc);
        c.gpr[RSP] = f.rsp_after(esp);  // a 16-bit stack keeps ESP[31:16] from the TSS
    } else {
        c.gpr[RSP] = f.rsp_after(c.gpr[RSP]);
    }
    // 6.12.1.3: TF, NT, RF, VM cleared; an interrupt gate (even type) also clears IF.
    c.eflags &= ~(TF | NT | RF | VM);
    if (!(type & 1)) c.eflags &= ~IF;
    load_cs(c, csel, cd, new_cpl);
    segments_update_access(c);
    c.rip = offset;
}

// ---------------------------------------------------------------- IA-32e mode

void deliver_long(CpuState& c, const Event& e) {
    const u32 ext = ext_bit(e.kind);
    const u32 idt_err = e.vector * 8u + 2 + ext;
    if (e.vector * 16u + 15 > c.idtr.limit) raise_fault(c, GP, idt_err);
    const u64 lo = sys_read<u64>(c, c.idtr.base + e.vector * 16u);
    const u64 hi = sys_read<u64>(c, c.idtr.base + e.vector * 16u + 8);
    // SDM Vol. 3A 6.14.1: only 64-bit interrupt and trap gates (0xe/0xf).
    const u8 type = (lo >> 40) & 0x1f;
    if (type != 0xe && type != 0xf) raise_fault(c, GP, idt_err);
    if (is_software(e.kind) && desc_dpl(lo) < c.cpl) raise_fault(c, GP, idt_err);
    if (!desc_present(lo)) raise_fault(c, NP, idt_err);
    const u16 csel = static_cast<u16>(lo >> 16);
    const u64 offset = (lo & 0xffff) | ((lo >> 32) & 0xffff0000) | (hi << 32);
    const unsigned ist = (lo >> 32) & 7;
    if ((csel & 0xfffc) == 0) raise_fault(c, GP, ext);
    u64 cd;
    if (!read_descriptor(c, csel, cd)) raise_fault(c, GP, sel_error(csel, ext));
    // The target must be 64-bit code (L=1, D=0).
    if (!desc_code(cd) || !desc_l(cd) || desc_db(cd) || desc_dpl(cd) > c.cpl)
        raise_fault(c, GP, sel_error(csel, ext));
    if (!desc_present(cd)) raise_fault(c, NP, sel_error(csel, ext));
    if (!is_canonical(c, offset)) raise_fault(c, GP, ext);
    const u8 dpl = desc_dpl(cd);
    const bool inner = !desc_conforming(cd) && dpl < c.cpl;
    const u8 new_cpl = inner ? dpl : c.cpl;

    // 6.14.4/6.14.5: the IST slot if the gate names one, else RSPn on a privilege change,
    // else the current stack; then RSP is aligned down to 16 bytes (6.14.2).
    u64 rsp = c.gpr[RSP];
    if (ist) rsp = tss64_read(c, 0x1c + ist * 8u, ext);
    else if (inner) rsp = tss64_read(c, 4 + dpl * 8u, ext);
    rsp &= ~15ull;
    StackFrame f{&c, nullptr, rsp, ~0ull, mmu_for_cpl(new_cpl), ext};
    f.push(c.seg[SS].sel, 8);
    f.push(c.gpr[RSP], 8);
    f.push(read_rflags(c) | (e.set_rf ? RF : 0), 8);
    f.push(c.seg[CS].sel, 8);
    f.push(e.return_rip, 8);
    if (e.has_error) f.push(e.error, 8);
    cd = mark_descriptor_accessed(c, csel, cd);

    // Commit. On a privilege change SS becomes a null selector with RPL = new CPL (6.14.4).
    if (inner) load_null_segment(c, SS, new_cpl);
    c.gpr[RSP] = f.sp;
    c.eflags &= ~(TF | NT | RF | VM);
    if (!(type & 1)) c.eflags &= ~IF;
    load_cs(c, csel, cd, new_cpl);
    c.rip = offset;
}

void deliver_once(CpuState& c, const Event& e) {
    if (!c.pe) deliver_real(c, e);
    else if (c.efer & EFER_LMA) deliver_long(c, e);
    else deliver_protected(c, e);
}

void delivered(CpuState& c, const Event& e) {
    c.halted = false;
    c.irq_inhibit = false;  // the handler's first instruction is not in a shadow
    if (e.kind == EventKind::Nmi) c.nmi_blocked = true;  // until the next IRET (6.7.1)
}

void deliver(CpuState& c, Event e) {
    if (is_software(e.kind) || e.kind == EventKind::Int1) {
        log_event(c, e);
        deliver_once(c, e);  // a fault here belongs to the INT instruction
        delivered(c, e);
        return;
    }
    for (;;) {
        log_event(c, e);
        try {
            deliver_once(c, e);
            delivered(c, e);
            return;
        } catch (const GuestFault& g) {
            char buf[80];
            std::snprintf(buf, sizeof buf, "check_exception old: 0x%x new 0x%x\n", e.vector, g.vector);
            log_line(c, buf);
            if (e.vector == DF_VEC && e.kind == EventKind::Exception) {
                // SDM Vol. 3A 6.15 "Interrupt 8": a fault while starting the #DF handler puts
                // the processor in shutdown.
                // The processor stops (halted) until the machine resets it; the registers
                // stay those of the faulting instruction.
                log_line(c, "Triple fault\n");
                if (c.host) c.host->shutdown_request("triple fault");
                c.halted = true;
                return;
            }
            // Table 6-5: contributory then contributory, or page fault then page fault or
            // contributory, is a double fault; any other pair is handled serially.
            const FaultClass first = e.kind == EventKind::Exception ? fault_class(e.vector) : FaultClass::Benign;
            const FaultClass second = fault_class(g.vector);
            const bool dbl = (first == FaultClass::Contributory && second == FaultClass::Contributory) ||
                             (first == FaultClass::PageFault && second != FaultClass::Benign);
            if (dbl) e = Event{DF_VEC, EventKind::Exception, true, 0, e.return_rip, false};
            else e = Event{g.vector, EventKind::Exception, g.has_error, g.error, e.return_rip, is_fault_vector(g.vector)};
        }
    }
}

}  // namespace

void deliver_event(CpuState& c, u8 vector, EventKind kind, bool has_error, u32 error, u64 return_rip) {
    deliver(c, Event{vector, kind, has_error, error, return_rip, false});
}

void deliver_fault(CpuState& c, const GuestFault& f) {
    deliver(c, Event{f.vector, EventKind::Exception, f.has_error, f.error, c.rip, is_fault_vector(f.vector)});
}

}  // namespace vireo::x86
