// Control register and EFER writes (control_regs.h).
#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/segmentation.h"

namespace vireo::x86 {

namespace {
// CR0 bits with a meaning (SDM Vol. 3A 2.5); the others are reserved and read as 0. ET is
// hard-wired to 1 on P6 and later processors.
constexpr u64 kCr0Bits = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP |
                         CR0_AM | CR0_NW | CR0_CD | CR0_PG;
}  // namespace

unsigned max_phys_bits(const CpuState& c) { return cpu_model_of(c).phys_bits; }

u64 cr4_writable_bits(const CpuState& c) {
    // One row per CR4 bit that depends on a CPUID feature (SDM Vol. 3A 2.5; Vol. 2B MOV CR:
    // setting a bit the processor does not support is #GP(0)).
    struct Row { u64 bit; bool on; };
    const FeatureSet& f = c.features;
    const Row rows[] = {
        {CR4_VME | CR4_PVI, model_has(c, ModelFlag::MF_VME)},
        {CR4_TSD, has(f, Feature::F_TSC)},
        {CR4_DE, model_has(c, ModelFlag::MF_DE)},
        {CR4_PSE, model_has(c, ModelFlag::MF_PSE)},
        {CR4_PAE, model_has(c, ModelFlag::MF_PAE)},
        {CR4_MCE, model_has(c, ModelFlag::MF_MCE)},
        {CR4_PGE, model_has(c, ModelFlag::MF_PGE)},
        {CR4_PCE, true},  // RDPMC exists (it has no counters to read)
        {CR4_OSFXSR, has(f, Feature::F_FXSR)},
        {CR4_OSXMMEXCPT, has(f, Feature::F_SSE)},
        {CR4_UMIP, model_has(c, ModelFlag::MF_UMIP)},
        {CR4_LA57, model_has(c, ModelFlag::MF_LA57)},
        {CR4_FSGSBASE, has(f, Feature::F_FSGSBASE)},
        {CR4_PCIDE, model_has(c, ModelFlag::MF_PCID)},
        {CR4_OSXSAVE, has(f, Feature::F_XSAVE)},
        {CR4_SMEP, model_has(c, ModelFlag::MF_SMEP)},
        {CR4_SMAP, has(f, Feature::F_SMAP)},
        {CR4_PKE, has(f, Feature::F_PKU)},
    };
    u64 bits = 0;
    for (const Row& r : rows)
        if (r.on) bits |= r.bit;
    return bits;
}

void write_cr0(CpuState& c, u64 v) {
    // SDM Vol. 2B MOV CR0: bits 63:32 set (64-bit mode) #GP(0); PG without PE, NW without CD
    // #GP(0). Reserved low bits are ignored.
    if (v >> 32) raise_gp0(c);
    v = (v & kCr0Bits) | CR0_ET;
    if ((v & CR0_PG) && !(v & CR0_PE)) raise_gp0(c);
    if ((v & CR0_NW) && !(v & CR0_CD)) raise_gp0(c);
    const u64 old = c.cr0;
    u64 efer = c.efer;
    if (!(old & CR0_PG) && (v & CR0_PG) && (efer & EFER_LME)) {
        // SDM Vol. 3A 9.8.5: IA-32e mode activates when paging is enabled with LME=1; it needs
        // PAE (#GP(0) otherwise) and must not start with a 64-bit CS.
        if (!(c.cr4 & CR4_PAE) || c.seg[CS].l()) raise_gp0(c);
        efer |= EFER_LMA;
    }
    if ((old & CR0_PG) && !(v & CR0_PG)) {
        // Paging can only be turned off from compatibility mode (9.8.5.4), and not with
        // CR4.PCIDE=1 (MOV CR0 "#GP(0) ... clear CR0.PG while CR4.PCIDE = 1").
        if (c.long64 || (c.cr4 & CR4_PCIDE)) raise_gp0(c);
        efer &= ~static_cast<u64>(EFER_LMA);
    }
    c.cr0 = v;
    c.efer = efer;
    const u64 changed = old ^ v;
    // SDM Vol. 3A 4.10.4.1: changing PG invalidates every TLB entry. WP and PE change what
    // the soft TLB's cached rights mean, so those flush too.
    if (changed & (CR0_PG | CR0_WP | CR0_PE)) tlb_flush_all(c);
    update_mode(c);
    if (changed & CR0_PE) segments_update_access(c);
}

void write_cr3(CpuState& c, u64 v) {
    if (c.efer & EFER_LMA) {
        // With CR4.PCIDE=1, bit 63 asks not to invalidate; it is not stored (SDM Vol. 3A
        // 4.10.4.1). Bits above MAXPHYADDR are reserved: #GP(0).
        if (c.cr4 & CR4_PCIDE) v &= ~(1ull << 63);
        if (v >> max_phys_bits(c)) raise_gp0(c);
    } else {
        v = static_cast<u32>(v);
    }
    c.cr3 = v;
    // The soft TLB is not tagged by PCID, so every CR3 load drops the non-global entries
    // (architecturally allowed: the bit-63 form only permits keeping them).
    tlb_flush_nonglobal(c);
    update_mode(c);
}

void write_cr4(CpuState& c, u64 v) {
    if (v & ~cr4_writable_bits(c)) raise_gp0(c);
    const u64 old = c.cr4, changed = old ^ v;
    if (c.efer & EFER_LMA) {
        // IA-32e mode needs PAE; LA57 cannot change while it is active.
        if (!(v & CR4_PAE) || (changed & CR4_LA57)) raise_gp0(c);
    }
    // Setting PCIDE needs IA-32e mode and CR3[11:0] = 0 (SDM Vol. 2B MOV CR4).
    if ((changed & CR4_PCIDE) && (v & CR4_PCIDE) && (!(c.efer & EFER_LMA) || (c.cr3 & 0xfff))) raise_gp0(c);
    c.cr4 = v;
    // SDM Vol. 3A 4.10.4.1 (PGE, PCIDE, PAE, SMEP), plus the bits that change what the soft
    // TLB's cached rights mean (PSE, SMAP, PKE, LA57).
    if (changed & (CR4_PGE | CR4_PCIDE | CR4_PAE | CR4_PSE | CR4_SMEP | CR4_SMAP | CR4_PKE | CR4_LA57))
        tlb_flush_all(c);
    update_mode(c);
}

void write_cr8(CpuState& c, u64 v) {
    // CR8 is the task-priority class; bits 63:4 are reserved (SDM Vol. 3A 10.8.6.1).
    if (v & ~0xfull) raise_gp0(c);
    c.cr8 = v;
    update_mode(c);
}

bool write_efer(CpuState& c, u64 v) {
    u64 allowed = EFER_LMA;  // LMA reads back; writes to it are ignored
    if (has(c.features, Feature::F_SYSCALL)) allowed |= EFER_SCE;
    if (has(c.features, Feature::F_LM)) allowed |= EFER_LME;
    if (model_has(c, ModelFlag::MF_NX)) allowed |= EFER_NXE;
    if (v & ~allowed) return false;
    // SDM Vol. 3A 9.8.5: LME cannot change while paging is on.
    if (((v ^ c.efer) & EFER_LME) && (c.cr0 & CR0_PG)) return false;
    const u64 nv = (v & ~static_cast<u64>(EFER_LMA)) | (c.efer & EFER_LMA);
    if ((nv ^ c.efer) & EFER_NXE) tlb_flush_all(c);  // NX changes the cached rights
    c.efer = nv;
    update_mode(c);
    return true;
}

}  // namespace vireo::x86
