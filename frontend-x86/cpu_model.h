// Named CPU models (-cpu NAME) and the CPUID instruction (SDM Vol. 2A CPUID, Tables 3-8 to
// 3-11). A model is data: vendor, signature, brand and the features it advertises; CPUID is
// computed from those, so it reports exactly what Vireo implements.
#pragma once
#include <bitset>
#include <string>
#include <string_view>
#include <vector>
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

enum class Vendor : u8 { Intel, Amd };

// Architectural features that have no instruction form of their own (paging, APIC, ...):
// the CPUID bits a model reports beside its FeatureSet (features.h).
#define VIREO_MODEL_FLAGS(X)                                                                  \
    X(PSE) X(PAE) X(APIC) X(MTRR) X(PGE) X(PAT) X(PSE36) X(NX) X(PCID) X(SMEP) X(DE) X(MCE)   \
    X(VME) X(UMIP) X(LA57) X(PDPE1GB) X(X2APIC) X(TSC_DEADLINE)

enum class ModelFlag : u8 {
#define X(name) MF_##name,
    VIREO_MODEL_FLAGS(X)
#undef X
    MF_COUNT
};
using ModelFlagSet = std::bitset<static_cast<size_t>(ModelFlag::MF_COUNT)>;
inline bool has(const ModelFlagSet& s, ModelFlag f) { return s.test(static_cast<size_t>(f)); }

struct CpuModel {
    std::string name;
    std::string description;  // for -cpu help
    Vendor vendor = Vendor::Intel;
    u8 family = 6, model = 0, stepping = 0;
    std::string brand;        // 48-byte brand string (CPUID 0x80000002-4), NUL-padded
    FeatureSet features;      // instruction-level features (decoder, CPUID)
    ModelFlagSet flags;       // architectural features (CPUID, CR4/EFER/MSR checks)
    u8 phys_bits = 40, virt_bits = 48;  // CPUID 0x80000008
};

std::vector<std::string> cpu_model_names();
const CpuModel* find_cpu_model(std::string_view name);  // nullptr if unknown; "host" = "max"
const CpuModel& default_cpu_model();                    // qemu64
// Make c that model: c.features, c.model and the reset value of EDX (the signature).
void cpu_apply_model(CpuState& c, const CpuModel& m);
// The model c reports (its own, or the default).
inline const CpuModel& cpu_model_of(const CpuState& c) { return c.model ? *c.model : default_cpu_model(); }
bool model_has(const CpuState& c, ModelFlag f);

// CPUID leaf 1 EAX: stepping, model, family with their extended fields (SDM Vol. 2A Fig. 3-6).
u32 cpu_signature(const CpuModel& m);

struct CpuidResult {
    u32 eax = 0, ebx = 0, ecx = 0, edx = 0;
};
// CPUID for leaf/subleaf as c would report it now (some bits follow CR4 and the APIC ID).
CpuidResult cpuid(const CpuState& c, u32 leaf, u32 subleaf);

}  // namespace vireo::x86
