// Model-specific registers (SDM Vol. 4, "Model-Specific Registers"): RDMSR/WRMSR of the CPU's
// own MSRs; the machine's (local APIC, ...) go to CpuHost::msr_read/msr_write.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

enum MsrIndex : u32 {
    MSR_TSC = 0x10,
    MSR_PLATFORM_ID = 0x17,
    MSR_APIC_BASE = 0x1b,
    MSR_FEATURE_CONTROL = 0x3a,
    MSR_BIOS_SIGN_ID = 0x8b,
    MSR_MTRRCAP = 0xfe,
    MSR_SYSENTER_CS = 0x174,
    MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176,
    MSR_MCG_CAP = 0x179,
    MSR_MCG_STATUS = 0x17a,
    MSR_MISC_ENABLE = 0x1a0,
    MSR_MTRR_PHYSBASE0 = 0x200,  // .. 0x20f: base/mask pairs of 8 variable ranges
    MSR_MTRR_FIX64K_00000 = 0x250,
    MSR_MTRR_FIX16K_80000 = 0x258,
    MSR_MTRR_FIX16K_A0000 = 0x259,
    MSR_MTRR_FIX4K_C0000 = 0x268,  // .. 0x26f
    MSR_PAT = 0x277,
    MSR_MTRR_DEF_TYPE = 0x2ff,
    MSR_XSS = 0xda0,  // IA32_XSS (SDM Vol. 1 13.3): the supervisor XSAVE components XSAVES saves
    MSR_EFER = 0xc0000080,
    MSR_STAR = 0xc0000081,
    MSR_LSTAR = 0xc0000082,
    MSR_CSTAR = 0xc0000083,
    MSR_SFMASK = 0xc0000084,
    MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101,
    MSR_KERNEL_GS_BASE = 0xc0000102,
    MSR_TSC_AUX = 0xc0000103,
    MSR_AMD_SYSCFG = 0xc0010010,  // AMD APM Vol. 2 7.9.1 "System Configuration Register"
    MSR_AMD_INT_PENDING = 0xc0010055,  // AMD BKDG family 0Fh "Interrupt Pending Message"
};

// false: the MSR does not exist or the value is invalid; RDMSR/WRMSR then raise #GP(0).
// Unknown MSRs are logged under -d unimp.
bool msr_read(CpuState& c, u32 index, u64& value);
bool msr_write(CpuState& c, u32 index, u64 value);

}  // namespace vireo::x86
