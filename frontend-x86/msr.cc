// RDMSR/WRMSR (msr.h). Plain storage MSRs are table rows; the rest (TSC, EFER, segment
// bases, MTRR arrays, host-owned MSRs) have a few lines each.
#include "frontend-x86/msr.h"
#include <cstdio>
#include "frontend-x86/control_regs.h"
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/xsave_layout.h"

namespace vireo::x86 {

namespace {

using enum Feature;

enum class Check : u8 {
    Any,        // any 64-bit value
    Low32,      // bits 63:32 reserved (#GP)
    Canonical,  // a linear address (SDM Vol. 4: #GP if non-canonical)
    Pat,        // eight valid PAT memory types (SDM Vol. 3A 11.12.2)
    DefType,    // IA32_MTRR_DEF_TYPE: type, FE, E (SDM Vol. 3A 11.11.2.1)
    Xss,        // IA32_XSS: only supported supervisor components (xsave_layout.h)
};

struct FieldMsr {
    u32 index;
    u64 CpuState::*field;
    Check check;
    Feature needs;  // the MSR exists only with this feature (F_BASE: always)
};

constexpr FieldMsr kFieldMsrs[] = {
    {MSR_SYSENTER_CS, &CpuState::sysenter_cs, Check::Low32, F_SEP},
    {MSR_SYSENTER_ESP, &CpuState::sysenter_esp, Check::Canonical, F_SEP},
    {MSR_SYSENTER_EIP, &CpuState::sysenter_eip, Check::Canonical, F_SEP},
    {MSR_MISC_ENABLE, &CpuState::misc_enable, Check::Any, F_BASE},
    {MSR_PAT, &CpuState::pat, Check::Pat, F_BASE},
    {MSR_MTRR_DEF_TYPE, &CpuState::mtrr_def_type, Check::DefType, F_BASE},
    {MSR_STAR, &CpuState::star, Check::Any, F_SYSCALL},
    {MSR_LSTAR, &CpuState::lstar, Check::Canonical, F_LM},
    {MSR_CSTAR, &CpuState::cstar, Check::Canonical, F_LM},
    {MSR_SFMASK, &CpuState::sfmask, Check::Low32, F_SYSCALL},
    {MSR_KERNEL_GS_BASE, &CpuState::kernel_gs_base, Check::Canonical, F_LM},
    {MSR_TSC_AUX, &CpuState::tsc_aux, Check::Low32, F_RDTSCP},
    {MSR_XSS, &CpuState::xss, Check::Xss, F_XSAVES},
};

// Read-only MSRs with a fixed value; writing the value they hold is accepted.
struct ConstMsr {
    u32 index;
    u64 value;
    bool writes_ignored;  // any write accepted and dropped
};
constexpr ConstMsr kConstMsrs[] = {
    {MSR_PLATFORM_ID, 0, false},
    // MTRRcap: 8 variable ranges, fixed ranges, write-combining (SDM Vol. 3A 11.11.1).
    {MSR_MTRRCAP, 8 | (1u << 8) | (1u << 10), false},
    {MSR_MCG_CAP, 0, false},     // no machine-check banks
    {MSR_MCG_STATUS, 0, false},
    // Microcode revision 0; software writes 0 before CPUID to read it (SDM Vol. 3A 9.11.7.1).
    {MSR_BIOS_SIGN_ID, 0, true},
};

bool valid_mem_type(u64 t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }

bool value_ok(const CpuState& c, Check k, u64 v) {
    switch (k) {
    case Check::Any: return true;
    case Check::Low32: return (v >> 32) == 0;
    case Check::Canonical: return is_canonical(c, v);
    case Check::Pat:
        for (int i = 0; i < 8; i++) {
            const u64 t = (v >> (8 * i)) & 0xff;
            if (!valid_mem_type(t) && t != 7) return false;  // 7 is UC- in the PAT
        }
        return true;
    case Check::DefType: return (v & ~0xcffull) == 0 && valid_mem_type(v & 0xff);
    case Check::Xss: return (v & ~xsave_supported_xss(c.features)) == 0;
    }
    return false;
}

const FieldMsr* field_msr(const CpuState& c, u32 index) {
    for (const FieldMsr& f : kFieldMsrs)
        if (f.index == index) return (f.needs == F_BASE || has(c.features, f.needs)) ? &f : nullptr;
    return nullptr;
}
const ConstMsr* const_msr(u32 index) {
    for (const ConstMsr& m : kConstMsrs)
        if (m.index == index) return &m;
    return nullptr;
}

// Fixed-range MTRRs (SDM Vol. 3A Table 11-9): index into CpuState::mtrr_fixed, or -1.
int fixed_mtrr_slot(u32 index) {
    if (index == MSR_MTRR_FIX64K_00000) return 0;
    if (index == MSR_MTRR_FIX16K_80000) return 1;
    if (index == MSR_MTRR_FIX16K_A0000) return 2;
    if (index >= MSR_MTRR_FIX4K_C0000 && index <= MSR_MTRR_FIX4K_C0000 + 7) return 3 + static_cast<int>(index - MSR_MTRR_FIX4K_C0000);
    return -1;
}
bool is_var_mtrr(u32 index) { return index >= MSR_MTRR_PHYSBASE0 && index < MSR_MTRR_PHYSBASE0 + 16; }

// IA32_FEATURE_CONTROL: locked, VMX outside SMX only when VMX is advertised (SDM Vol. 3C 23.7).
u64 feature_control(const CpuState& c) { return has(c.features, F_VMX) ? 0x5 : 0x1; }

void log_unknown(CpuState& c, const char* what, u32 index, u64 value) {
    if (!c.host || !c.host->log_enabled(LOG_UNIMP)) return;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s: unknown MSR 0x%x (value 0x%llx): #GP\n", what, index,
                  static_cast<unsigned long long>(value));
    c.host->log(buf);
}

}  // namespace

bool msr_read(CpuState& c, u32 index, u64& value) {
    if (const FieldMsr* f = field_msr(c, index)) {
        value = c.*(f->field);
        return true;
    }
    if (const ConstMsr* k = const_msr(index)) {
        value = k->value;
        return true;
    }
    if (const int slot = fixed_mtrr_slot(index); slot >= 0) {
        value = c.mtrr_fixed[slot];
        return true;
    }
    if (is_var_mtrr(index)) {
        value = c.mtrr_var[index - MSR_MTRR_PHYSBASE0];
        return true;
    }
    switch (index) {
    case MSR_TSC:
        value = (c.host ? c.host->tsc() : 0) + static_cast<u64>(c.tsc_offset);
        return true;
    case MSR_EFER: value = c.efer; return true;
    case MSR_AMD_SYSCFG:
        // AMD only (Linux reads it on AMD CPUs for the MTRR DRAM bits).
        if (cpu_model_of(c).vendor != Vendor::Amd) break;
        value = c.syscfg;
        return true;
    case MSR_AMD_INT_PENDING:
        // AMD family 0Fh (qemu64's): the C1E/SMI message bits, none set without C1E. Linux reads
        // it for its AMD C1E erratum check.
        if (cpu_model_of(c).vendor != Vendor::Amd) break;
        value = 0;
        return true;
    case MSR_FEATURE_CONTROL: value = feature_control(c); return true;
    case MSR_FS_BASE:
    case MSR_GS_BASE:
        if (!has(c.features, F_LM)) break;
        value = c.seg[index == MSR_FS_BASE ? FS : GS].base;
        return true;
    case MSR_APIC_BASE:
        if (c.host && c.host->msr_read(index, value)) return true;
        value = c.apic_base;
        return true;
    default: break;
    }
    if (c.host && c.host->msr_read(index, value)) return true;  // x2APIC, TSC deadline, ...
    log_unknown(c, "rdmsr", index, 0);
    return false;
}

bool msr_write(CpuState& c, u32 index, u64 value) {
    if (const FieldMsr* f = field_msr(c, index)) {
        if (!value_ok(c, f->check, value)) return false;
        c.*(f->field) = value;
        return true;
    }
    if (const ConstMsr* k = const_msr(index)) return k->writes_ignored || value == k->value;
    const u64 phys_reserved = ~0ull << max_phys_bits(c);
    if (const int slot = fixed_mtrr_slot(index); slot >= 0) {
        for (int i = 0; i < 8; i++)
            if (!valid_mem_type((value >> (8 * i)) & 0xff)) return false;
        c.mtrr_fixed[slot] = value;
        return true;
    }
    if (is_var_mtrr(index)) {
        // PHYSBASEn: type in 7:0, 11:8 reserved; PHYSMASKn: 10:0 reserved, V in 11
        // (SDM Vol. 3A 11.11.2.3); bits above MAXPHYADDR reserved in both.
        const bool mask = (index - MSR_MTRR_PHYSBASE0) & 1;
        if (value & phys_reserved) return false;
        if (mask ? (value & 0x7ff) : ((value & 0xf00) || !valid_mem_type(value & 0xff))) return false;
        c.mtrr_var[index - MSR_MTRR_PHYSBASE0] = value;
        return true;
    }
    switch (index) {
    case MSR_TSC:
        // SDM Vol. 3B 17.17: a TSC write sets the counter; keep it as an offset to the host's.
        c.tsc_offset = static_cast<i64>(value - (c.host ? c.host->tsc() : 0));
        return true;
    case MSR_EFER: return write_efer(c, value);
    case MSR_AMD_SYSCFG:
        // AMD APM Vol. 2 7.9.1: MtrrFixDramEn, MtrrFixDramModEn, MtrrVarDramEn, MtrrTom2En and
        // Tom2ForceMemTypeWB (bits 18-22) are what Vireo keeps; other bits #GP.
        if (cpu_model_of(c).vendor != Vendor::Amd || (value & ~0x7c0000ull)) break;
        c.syscfg = value;
        return true;
    case MSR_FEATURE_CONTROL: return false;  // locked
    case MSR_FS_BASE:
    case MSR_GS_BASE:
        if (!has(c.features, F_LM) || !is_canonical(c, value)) break;
        c.seg[index == MSR_FS_BASE ? FS : GS].base = value;
        return true;
    case MSR_APIC_BASE:
        if (c.host && c.host->msr_write(index, value)) return true;
        // BSP (8), x2APIC enable (10, only with CPUID x2APIC), global enable (11) and the
        // base; the rest reserved.
        if (value & (phys_reserved | 0x2ffull)) return false;
        if (value & 0x400) {
            if (!model_has(c, ModelFlag::MF_X2APIC)) return false;
            // SDM Vol. 3A 10.12.5, Figure 10-27: EXTD without EN is invalid, and x2APIC mode
            // is entered only from xAPIC mode.
            if (!(value & 0x800) || !(c.apic_base & 0x800)) return false;
        } else if ((c.apic_base & 0xc00) == 0xc00 && (value & 0x800)) {
            return false;  // x2APIC -> xAPIC directly is illegal; only via disabled
        }
        c.apic_base = value;
        if (c.host) c.host->msr_changed(index, value);
        return true;
    default:
        if (c.host && c.host->msr_write(index, value)) return true;
        log_unknown(c, "wrmsr", index, value);
        return false;
    }
    return false;
}

}  // namespace vireo::x86
