// System instructions: the SemEntry table for every system mnemonic (the binders live in the
// files named in system.h), and the small ones here: HLT, CLTS, INVD/WBINVD, INVLPG, INVPCID,
// CLFLUSH, CPUID, RDMSR/WRMSR, RDTSC/RDTSCP/RDPMC, RDRAND/RDSEED/RDPID, SWAPGS,
// RD/WR FS/GS BASE, MONITOR/MWAIT, XGETBV, RDPKRU/WRPKRU, RSM, UD0/UD1/UD2 (SDM Vol. 2, each
// instruction's "Operation" and "Protected Mode Exceptions").
#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/msr.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

u64 tsc_now(CpuState& c) { return (c.host ? c.host->tsc() : 0) + static_cast<u64>(c.tsc_offset); }

// ---------------------------------------------------------------- privileged, no operands

// HLT: CPL 0; the vCPU sleeps until an interrupt (the engine resumes it at the next
// instruction).
void h_hlt(CpuState& c, const Op& o) {
    require_cpl0(c);
    c.halted = true;
    end_block(c, o.next_rip);
}

void h_clts(CpuState& c, const Op& o) {
    require_cpl0(c);
    c.cr0 &= ~static_cast<u64>(CR0_TS);
    end_block(c, o.next_rip);  // x87/SSE forms check TS
}

// INVD/WBINVD: there are no caches to write back or drop.
void h_invd(CpuState& c, const Op&) { require_cpl0(c); }

// INVLPG m: drop the translation of the linear address of m (no segment limit check; a
// non-canonical address in 64-bit mode is a no-op: SDM Vol. 2A INVLPG).
void h_invlpg(CpuState& c, const Op& o) {
    require_cpl0(c);
    const u64 ea = op_ea(c, o);
    u64 lin;
    if (c.long64) {
        lin = ea + (o.seg >= FS ? c.seg[o.seg].base : 0);
        if (!is_canonical(c, lin)) return end_block(c, o.next_rip);
    } else {
        lin = static_cast<u32>(c.seg[o.seg].base + ea);
    }
    tlb_flush_page(c, lin);
    end_block(c, o.next_rip);  // the next instruction's page may be the one dropped
}

// INVPCID r, m128 (SDM Vol. 2A INVPCID): the soft TLB has no PCID tags, so each type flushes
// at least what it names: 0 one address, 1 and 3 the non-global entries, 2 everything.
void h_invpcid(CpuState& c, const Op& o) {
    require_cpl0(c);
    const u64 type = c.long64 ? c.gpr[o.r0] : static_cast<u32>(c.gpr[o.r0]);
    const u64 ea = op_ea(c, o);
    const u64 pcid = mem_read<u64>(c, o.seg, ea);
    const u64 addr = mem_read<u64>(c, o.seg, ea_plus(o, ea, 8));
    if (type > 3 || pcid > 0xfff) raise_gp0(c);
    if (type <= 1 && pcid != 0 && !(c.cr4 & CR4_PCIDE)) raise_gp0(c);
    if (type == 0 && !is_canonical(c, addr)) raise_gp0(c);
    if (type == 0) tlb_flush_page(c, addr);
    else if (type == 2) tlb_flush_all(c);
    else tlb_flush_nonglobal(c);
    end_block(c, o.next_rip);
}

// CLFLUSH m8: caches are not modelled; only the segment checks of a byte read apply
// (a page fault on an unmapped line is not raised).
void h_clflush(CpuState& c, const Op& o) { seg_linear<Access::Read>(c, o.seg, op_ea(c, o), 1); }

// ---------------------------------------------------------------- identification, MSRs, time

void h_cpuid(CpuState& c, const Op&) {
    const CpuidResult r = cpuid(c, static_cast<u32>(c.gpr[RAX]), static_cast<u32>(c.gpr[RCX]));
    c.gpr[RAX] = r.eax;
    c.gpr[RBX] = r.ebx;
    c.gpr[RCX] = r.ecx;
    c.gpr[RDX] = r.edx;
}

void h_rdmsr(CpuState& c, const Op&) {
    require_cpl0(c);
    u64 v;
    if (!msr_read(c, static_cast<u32>(c.gpr[RCX]), v)) raise_gp0(c);
    set_edx_eax(c, v);
}

void h_wrmsr(CpuState& c, const Op& o) {
    require_cpl0(c);
    const u64 v = (c.gpr[RDX] << 32) | static_cast<u32>(c.gpr[RAX]);
    if (!msr_write(c, static_cast<u32>(c.gpr[RCX]), v)) raise_gp0(c);
    end_block(c, o.next_rip);  // EFER, segment bases, SYSENTER/SYSCALL targets may change
}

// RDTSC/RDTSCP: CR4.TSD restricts them to CPL 0.
void h_rdtsc(CpuState& c, const Op&) {
    if ((c.cr4 & CR4_TSD) && c.cpl != 0) raise_gp0(c);
    set_edx_eax(c, tsc_now(c));
}
void h_rdtscp(CpuState& c, const Op&) {
    if ((c.cr4 & CR4_TSD) && c.cpl != 0) raise_gp0(c);
    set_edx_eax(c, tsc_now(c));
    c.gpr[RCX] = static_cast<u32>(c.tsc_aux);
}
// RDPMC: no performance counters exist, so every ECX is invalid: #GP(0).
void h_rdpmc(CpuState& c, const Op&) { raise_gp0(c); }

// RDRAND/RDSEED: always succeed (CF=1, OF SF ZF AF PF = 0).
template <typename T>
void h_rdrand(CpuState& c, const Op& o) {
    reg_set<T>(c, o.r0, static_cast<T>(c.host->random_u64()));
    set_flags_eager(c, CF);
}
Handler bind_rdrand(const DecodedInsn& d, Op& op) {
    op.r0 = reg_off(d.rm);
    return d.opsize == 2 ? &h_rdrand<u16> : d.opsize == 4 ? &h_rdrand<u32> : &h_rdrand<u64>;
}

// RDPID r: IA32_TSC_AUX, zero-extended (a 64-bit register in 64-bit mode).
void h_rdpid(CpuState& c, const Op& o) { c.gpr[o.r0] = static_cast<u32>(c.tsc_aux); }

// ---------------------------------------------------------------- 64-bit segment bases

// SWAPGS (64-bit mode only, CPL 0): exchange GS.base with IA32_KERNEL_GS_BASE.
void h_swapgs(CpuState& c, const Op&) {
    require_cpl0(c);
    std::swap(c.seg[GS].base, c.kernel_gs_base);
}

// RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE: #UD unless CR4.FSGSBASE; 32-bit forms zero-extend;
// a 64-bit write must be canonical.
template <u8 Seg, bool Write, bool Wide>
void h_fsgsbase(CpuState& c, const Op& o) {
    if (!(c.cr4 & CR4_FSGSBASE)) raise_ud(c);
    if constexpr (Write) {
        const u64 v = Wide ? c.gpr[o.r0] : static_cast<u32>(c.gpr[o.r0]);
        if (!is_canonical(c, v)) raise_gp0(c);
        c.seg[Seg].base = v;
    } else {
        c.gpr[o.r0] = Wide ? c.seg[Seg].base : static_cast<u32>(c.seg[Seg].base);
    }
}
template <u8 Seg, bool Write>
Handler bind_fsgsbase(const DecodedInsn& d, Op& op) {
    op.r0 = d.rm;
    return d.opsize == 8 ? &h_fsgsbase<Seg, Write, true> : &h_fsgsbase<Seg, Write, false>;
}

// ---------------------------------------------------------------- the rest

// MONITOR/MWAIT (decoded only when the model advertises MONITOR): MWAIT may return at any
// time, so treating it as a no-op is exact; MONITOR arms nothing.
void h_nop_sys(CpuState&, const Op&) {}
void h_mwait(CpuState& c, const Op& o) {
    require_cpl0(c);
    end_block(c, o.next_rip);
}

// RDPKRU/WRPKRU (SDM Vol. 2B): #UD unless CR4.PKE; ECX (and for WRPKRU EDX) must be 0, else
// #GP(0). Any CPL, any mode. The soft TLB caches rights computed with the old PKRU
// (paging.cc), so a new value drops it; later accesses walk again with the new rights.
void h_rdpkru(CpuState& c, const Op&) {
    if (!(c.cr4 & CR4_PKE)) raise_ud(c);
    if (static_cast<u32>(c.gpr[RCX]) != 0) raise_gp0(c);
    set_edx_eax(c, c.pkru);
}
void h_wrpkru(CpuState& c, const Op&) {
    if (!(c.cr4 & CR4_PKE)) raise_ud(c);
    if (static_cast<u32>(c.gpr[RCX]) != 0 || static_cast<u32>(c.gpr[RDX]) != 0) raise_gp0(c);
    const u32 v = static_cast<u32>(c.gpr[RAX]);
    if (v == c.pkru) return;
    c.pkru = v;
    tlb_flush_all(c);
}

// UD0/UD1/UD2 always, RSM outside SMM (there is no SMM): #UD.
void h_ud(CpuState& c, const Op&) { raise_ud(c); }

template <Handler H>
Handler plain(const DecodedInsn&, Op&) { return H; }
Handler bind_mem_op(const DecodedInsn& d, Op& op, Handler h) {
    fill_mem(d, op);
    return h;
}
Handler bind_invlpg(const DecodedInsn& d, Op& op) { return bind_mem_op(d, op, &h_invlpg); }
Handler bind_clflush(const DecodedInsn& d, Op& op) { return bind_mem_op(d, op, &h_clflush); }
Handler bind_invpcid(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    op.r0 = d.reg;
    return &h_invpcid;
}
Handler bind_rdpid(const DecodedInsn& d, Op& op) {
    op.r0 = d.rm;
    return &h_rdpid;
}

// mnemonic (as the table rows spell it) -> binder, and whether the block ends after it.
constexpr SemEntry kEntries[] = {
    // far transfers and interrupts
    {"ljmp", bind_far_jmp, true}, {"lcall", bind_far_call, true}, {"retf", bind_lret, true},
    {"iret|iretd|iretq", bind_iret, true},
    {"int", bind_int, true}, {"int3", bind_int3, true}, {"into", bind_into, true},
    {"int1", bind_int1, true}, {"bound", bind_bound, false},
    {"syscall", bind_syscall, true}, {"sysret", bind_sysret, true},
    {"sysenter", bind_sysenter, true}, {"sysexit", bind_sysexit, true},
    // flags
    {"pushf|pushfd|pushfq", bind_pushf, false}, {"popf|popfd|popfq", bind_popf, true},
    {"cli", bind_cli, false}, {"sti", bind_sti, true},
    {"clac", bind_clac, false}, {"stac", bind_stac, false},
    // segments and descriptor tables
    {"lds", bind_lds, false}, {"les", bind_les, false}, {"lfs", bind_lfs, false},
    {"lgs", bind_lgs, false}, {"lss", bind_lss, false},
    {"lgdt", bind_lgdt, false}, {"lidt", bind_lidt, false}, {"sgdt", bind_sgdt, false},
    {"sidt", bind_sidt, false}, {"lldt", bind_lldt, false}, {"ltr", bind_ltr, false},
    {"sldt", bind_sldt, false}, {"str", bind_str, false},
    {"lar", bind_lar, false}, {"lsl", bind_lsl, false}, {"verr", bind_verr, false},
    {"verw", bind_verw, false}, {"arpl", bind_arpl, false},
    // control registers, caches, TLB
    {"lmsw", bind_lmsw, true}, {"smsw", bind_smsw, false}, {"clts", plain<&h_clts>, true},
    {"hlt", plain<&h_hlt>, true}, {"invd", plain<&h_invd>, false}, {"wbinvd", plain<&h_invd>, false},
    {"invlpg", bind_invlpg, true}, {"invpcid", bind_invpcid, true}, {"clflush", bind_clflush, false},
    // identification, MSRs, time, randomness
    {"cpuid", plain<&h_cpuid>, false}, {"rdmsr", plain<&h_rdmsr>, false}, {"wrmsr", plain<&h_wrmsr>, true},
    {"rdtsc", plain<&h_rdtsc>, false}, {"rdtscp", plain<&h_rdtscp>, false}, {"rdpmc", plain<&h_rdpmc>, false},
    {"rdrand", bind_rdrand, false}, {"rdseed", bind_rdrand, false}, {"rdpid", bind_rdpid, false},
    // 64-bit segment bases
    {"swapgs", plain<&h_swapgs>, false},
    {"rdfsbase", bind_fsgsbase<FS, false>, false}, {"rdgsbase", bind_fsgsbase<GS, false>, false},
    {"wrfsbase", bind_fsgsbase<FS, true>, false}, {"wrgsbase", bind_fsgsbase<GS, true>, false},
    // I/O
    {"in", bind_in, true}, {"out", bind_out, true},
    // the rest
    {"monitor", plain<&h_nop_sys>, false}, {"mwait", plain<&h_mwait>, true},
    {"rsm", plain<&h_ud>, false},
    {"rdpkru", plain<&h_rdpkru>, false}, {"wrpkru", plain<&h_wrpkru>, false},
    {"ud0", plain<&h_ud>, false}, {"ud1", plain<&h_ud>, false}, {"ud2", plain<&h_ud>, false},
};

}  // namespace

std::span<const SemEntry> sem_system() { return kEntries; }

}  // namespace vireo::x86
