// CPU models and CPUID (cpu_model.h). CPUID bits come from one table mapping each bit to the
// feature that enables it (SDM Vol. 2A CPUID, Tables 3-8, 3-10, 3-11; AMD APM Vol. 3 E.3 for
// the 0x8000_0001 bits), so a model advertises exactly its FeatureSet and flags.
#include <cstring>
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/xsave_layout.h"

namespace vireo::x86 {

namespace {

using enum Feature;
using enum ModelFlag;

enum Reg : u8 { EAX_, EBX_, ECX_, EDX_ };

// One CPUID bit and what turns it on: an instruction feature or a model flag.
struct CpuidBit {
    u32 leaf;
    Reg reg;
    u8 bit;
    bool is_flag;
    u8 id;  // Feature or ModelFlag
};
constexpr CpuidBit F(u32 leaf, Reg r, u8 bit, Feature f) { return {leaf, r, bit, false, static_cast<u8>(f)}; }
constexpr CpuidBit M(u32 leaf, Reg r, u8 bit, ModelFlag f) { return {leaf, r, bit, true, static_cast<u8>(f)}; }

constexpr u32 kExt1 = 0x80000001;
constexpr CpuidBit kBits[] = {
    // Leaf 1 EDX (Table 3-11)
    F(1, EDX_, 0, F_X87), M(1, EDX_, 1, MF_VME), M(1, EDX_, 2, MF_DE), M(1, EDX_, 3, MF_PSE),
    F(1, EDX_, 4, F_TSC), F(1, EDX_, 5, F_MSR), M(1, EDX_, 6, MF_PAE), M(1, EDX_, 7, MF_MCE),
    F(1, EDX_, 8, F_CX8), M(1, EDX_, 9, MF_APIC), F(1, EDX_, 11, F_SEP), M(1, EDX_, 12, MF_MTRR),
    M(1, EDX_, 13, MF_PGE), F(1, EDX_, 15, F_CMOV), M(1, EDX_, 16, MF_PAT), M(1, EDX_, 17, MF_PSE36),
    F(1, EDX_, 19, F_CLFLUSH), F(1, EDX_, 23, F_MMX), F(1, EDX_, 24, F_FXSR), F(1, EDX_, 25, F_SSE),
    F(1, EDX_, 26, F_SSE2),
    // Leaf 1 ECX (Table 3-10)
    F(1, ECX_, 0, F_SSE3), F(1, ECX_, 1, F_PCLMUL), F(1, ECX_, 3, F_MONITOR), F(1, ECX_, 5, F_VMX),
    F(1, ECX_, 9, F_SSSE3), F(1, ECX_, 12, F_FMA), F(1, ECX_, 13, F_CX16), M(1, ECX_, 17, MF_PCID),
    F(1, ECX_, 19, F_SSE41), F(1, ECX_, 20, F_SSE42), M(1, ECX_, 21, MF_X2APIC), F(1, ECX_, 22, F_MOVBE),
    F(1, ECX_, 23, F_POPCNT), M(1, ECX_, 24, MF_TSC_DEADLINE),
    F(1, ECX_, 25, F_AES), F(1, ECX_, 26, F_XSAVE), F(1, ECX_, 28, F_AVX), F(1, ECX_, 29, F_F16C),
    F(1, ECX_, 30, F_RDRAND),
    // Leaf 7 subleaf 0 (Table 3-8, "Structured Extended Feature Flags")
    F(7, EBX_, 0, F_FSGSBASE), F(7, EBX_, 2, F_SGX), F(7, EBX_, 3, F_BMI1), F(7, EBX_, 5, F_AVX2),
    M(7, EBX_, 7, MF_SMEP), F(7, EBX_, 8, F_BMI2), F(7, EBX_, 10, F_INVPCID), F(7, EBX_, 11, F_RTM),
    F(7, EBX_, 16, F_AVX512), F(7, EBX_, 18, F_RDSEED), F(7, EBX_, 19, F_ADX), F(7, EBX_, 20, F_SMAP),
    F(7, EBX_, 23, F_CLFLUSHOPT), F(7, EBX_, 24, F_CLWB), F(7, EBX_, 29, F_SHA),
    M(7, ECX_, 2, MF_UMIP), F(7, ECX_, 3, F_PKU), F(7, ECX_, 5, F_WAITPKG), M(7, ECX_, 16, MF_LA57),
    F(7, ECX_, 22, F_RDPID),
    F(7, EDX_, 14, F_SERIALIZE), F(7, EDX_, 18, F_PCONFIG),
    // Leaf 0x8000_0001
    F(kExt1, ECX_, 0, F_LAHF64), F(kExt1, ECX_, 2, F_SVM), F(kExt1, ECX_, 5, F_LZCNT),
    F(kExt1, ECX_, 8, F_PREFETCHW), F(kExt1, ECX_, 29, F_MONITORX),
    F(kExt1, EDX_, 11, F_SYSCALL), M(kExt1, EDX_, 20, MF_NX), M(kExt1, EDX_, 26, MF_PDPE1GB),
    F(kExt1, EDX_, 27, F_RDTSCP), F(kExt1, EDX_, 29, F_LM), F(kExt1, EDX_, 31, F_3DNOW),
    // Leaf 0x8000_0008 EBX (AMD)
    F(0x80000008, EBX_, 0, F_CLZERO),
};

// AMD repeats these leaf-1 EDX bits in 0x8000_0001 EDX (APM Vol. 3, CPUID Fn8000_0001_EDX).
constexpr u32 kAmdEdxAliases = 0x0183f3ff;

FeatureSet features_of(std::initializer_list<Feature> list) {
    FeatureSet s;
    for (Feature f : list) set(s, f);
    return s;
}
ModelFlagSet flags_of(std::initializer_list<ModelFlag> list) {
    ModelFlagSet s;
    for (ModelFlag f : list) s.set(static_cast<size_t>(f));
    return s;
}

std::vector<CpuModel> build_models() {
    // What every model advertises: the instructions and architectural features implemented
    // today: x87, MMX, FXSR, SSE, SSE2 and SSE3 are complete (issue "FPU and SIMD"; QEMU's
    // qemu64 has SSE3 = PNI). SSSE3, SSE4.1, SSE4.2, POPCNT, MOVBE and RDRAND are too, but
    // only "max" reports them, as in QEMU 7.2 (query-cpu-model-expansion of qemu64); so do
    // AES/PCLMUL/SHA, XSAVE (XSAVEOPT/XSAVEC/XSAVES) and AVX (the VEX.128/VEX.256 forms,
    // semantics/avx_*.cc, with the XSAVE AVX component), FMA3 and F16C. AVX2, MONITOR, VMX/SVM,
    // ... are not implemented, so they are absent.
    const std::initializer_list<Feature> base = {
        F_BASE, F_TSC, F_MSR, F_CX8, F_SEP, F_CMOV, F_CLFLUSH, F_SYSCALL, F_LM, F_LAHF64,
        F_CX16, F_X87, F_MMX, F_FXSR, F_SSE, F_SSE2, F_SSE3};
    const std::initializer_list<ModelFlag> base_flags = {MF_PSE, MF_PAE, MF_APIC, MF_MTRR, MF_PGE,
                                                         MF_PAT, MF_PSE36, MF_NX};
    std::vector<CpuModel> v;

    CpuModel q;
    q.name = "qemu64";
    q.description = "QEMU Virtual CPU version 2.5+";
    q.vendor = Vendor::Amd;  // as QEMU's qemu64
    q.family = 15, q.model = 107, q.stepping = 1;
    q.brand = "QEMU Virtual CPU version 2.5+";
    q.features = features_of(base);
    q.flags = flags_of(base_flags);
    v.push_back(q);

    CpuModel m = q;
    m.name = "max";
    m.description = "Enables all features supported by the accelerator in the current host";
    m.family = 6, m.model = 6, m.stepping = 3;  // QEMU's TCG "max"
    m.brand = "QEMU TCG CPU version 2.5+";
    for (Feature f : {F_BMI1, F_BMI2, F_ADX, F_LZCNT, F_RDSEED, F_RDTSCP, F_FSGSBASE, F_SMAP,
                      F_INVPCID, F_RDPID, F_PKU, F_SSSE3, F_SSE41, F_SSE42, F_POPCNT, F_MOVBE, F_RDRAND,
                      F_AES, F_PCLMUL, F_SHA,
                      F_XSAVE, F_XSAVEOPT, F_XSAVEC, F_XSAVES, F_AVX, F_F16C, F_FMA})
        set(m.features, f);
    m.flags |= flags_of({MF_SMEP, MF_PCID, MF_LA57, MF_X2APIC, MF_TSC_DEADLINE});
    m.virt_bits = 57;  // 5-level paging: QEMU reports 57 linear-address bits with la57
    v.push_back(m);
    return v;
}

const std::vector<CpuModel>& models() {
    static const std::vector<CpuModel> list = build_models();  // immutable after construction
    return list;
}

u32* reg_of(CpuidResult& r, Reg x) {
    switch (x) {
    case EAX_: return &r.eax;
    case EBX_: return &r.ebx;
    case ECX_: return &r.ecx;
    default: return &r.edx;
    }
}

void apply_bits(const CpuModel& m, u32 leaf, CpuidResult& r) {
    for (const CpuidBit& b : kBits) {
        if (b.leaf != leaf) continue;
        const bool on = b.is_flag ? has(m.flags, static_cast<ModelFlag>(b.id))
                                  : has(m.features, static_cast<Feature>(b.id));
        if (on) *reg_of(r, b.reg) |= 1u << b.bit;
    }
}

constexpr u32 kMaxExtLeaf = 0x80000008;

u32 max_basic_leaf(const CpuModel& m) { return has(m.features, F_XSAVE) ? 0xd : 0xb; }

}  // namespace

std::vector<std::string> cpu_model_names() {
    std::vector<std::string> names;
    for (const CpuModel& m : models()) names.push_back(m.name);
    names.push_back("host");
    return names;
}

const CpuModel* find_cpu_model(std::string_view name) {
    if (name == "host") name = "max";  // TCG: the host model is everything implemented
    for (const CpuModel& m : models())
        if (m.name == name) return &m;
    return nullptr;
}

const CpuModel& default_cpu_model() { return models().front(); }

bool model_has(const CpuState& c, ModelFlag f) { return has(cpu_model_of(c).flags, f); }

u32 cpu_signature(const CpuModel& m) {
    // SDM Vol. 2A Figure 3-6: family >= 15 uses the extended family field; the extended model
    // field holds model[7:4].
    u32 eax = m.stepping & 15;
    eax |= (m.model & 15u) << 4;
    eax |= static_cast<u32>(m.model >> 4) << 16;
    if (m.family >= 15) eax |= 0xf00u | (static_cast<u32>(m.family - 15) << 20);
    else eax |= static_cast<u32>(m.family) << 8;
    return eax;
}

void cpu_apply_model(CpuState& c, const CpuModel& m) {
    c.features = m.features;
    c.model = &m;
    c.gpr[RDX] = cpu_signature(m);  // SDM Vol. 3A 9.1.4: EDX holds the signature after reset
}

CpuidResult cpuid(const CpuState& c, u32 leaf, u32 subleaf) {
    const CpuModel& m = cpu_model_of(c);
    CpuidResult r;
    const char* vendor = m.vendor == Vendor::Amd ? "AuthenticAMD" : "GenuineIntel";
    const u32 max_basic = max_basic_leaf(m);
    if (leaf < 0x80000000 && leaf > max_basic) {
        // Intel returns the highest basic leaf for leaves beyond it; AMD returns zeros.
        if (m.vendor == Vendor::Amd) return r;
        leaf = max_basic;
    }
    if (leaf >= 0x80000000 && leaf > kMaxExtLeaf) return r;
    switch (leaf) {
    case 0:
        r.eax = max_basic;
        std::memcpy(&r.ebx, vendor, 4);
        std::memcpy(&r.edx, vendor + 4, 4);
        std::memcpy(&r.ecx, vendor + 8, 4);
        break;
    case 1:
        r.eax = cpu_signature(m);
        // EBX: CLFLUSH line size in 8-byte units, one logical processor, initial APIC ID.
        r.ebx = (has(m.features, F_CLFLUSH) ? 8u << 8 : 0) | (1u << 16) | ((c.cpu_index & 0xff) << 24);
        apply_bits(m, 1, r);
        if (c.cr4 & CR4_OSXSAVE) r.ecx |= 1u << 27;  // OSXSAVE mirrors CR4
        break;
    case 7:
        if (subleaf == 0) {
            apply_bits(m, 7, r);
            if (c.cr4 & CR4_PKE) r.ecx |= 1u << 4;  // OSPKE mirrors CR4
        }
        break;
    case 0xd: {
        // XSAVE state enumeration (SDM Vol. 1 13.2, Vol. 2A CPUID leaf 0DH), from xsave_layout.h.
        if (!has(m.features, F_XSAVE)) break;
        const u64 xcr0_ok = xsave_supported_xcr0(m.features), xss_ok = xsave_supported_xss(m.features);
        if (subleaf == 0) {
            r.eax = static_cast<u32>(xcr0_ok);
            r.edx = static_cast<u32>(xcr0_ok >> 32);
            r.ebx = xsave_area_size(c.xcr0, false);  // for what XCR0 enables now
            r.ecx = xsave_area_size(xcr0_ok, false);  // for everything supported
        } else if (subleaf == 1) {
            // XSAVEOPT, XSAVEC, XGETBV with ECX = 1 (with XSAVE), XSAVES/IA32_XSS.
            r.eax = (has(m.features, F_XSAVEOPT) ? 1u : 0) | (has(m.features, F_XSAVEC) ? 2u : 0) | 4u |
                    (has(m.features, F_XSAVES) ? 8u : 0);
            if (has(m.features, F_XSAVES) || has(m.features, F_XSAVEC))
                r.ebx = xsave_area_size(c.xcr0 | c.xss, true);
            r.ecx = static_cast<u32>(xss_ok);
            r.edx = static_cast<u32>(xss_ok >> 32);
        } else if (subleaf < 64 && ((xcr0_ok | xss_ok) >> subleaf & 1)) {
            for (const XsaveComponent& x : kXsaveComponents) {
                if (x.id != subleaf) continue;
                r.eax = x.size;
                r.ebx = x.supervisor ? 0 : x.offset;
                r.ecx = (x.supervisor ? 1u : 0) | (x.align64 ? 2u : 0);
            }
        }
        break;
    }
    case 0xb: {
        // Extended topology: one thread per core, one core per package (x2APIC ID = index).
        r.ecx = subleaf & 0xff;
        r.edx = c.cpu_index;
        if (subleaf <= 1) {
            r.eax = 0;
            r.ebx = 1;
            r.ecx |= (subleaf + 1) << 8;  // level type 1 SMT, 2 core
        }
        break;
    }
    case 0x80000000:
        r.eax = kMaxExtLeaf;
        std::memcpy(&r.ebx, vendor, 4);
        std::memcpy(&r.edx, vendor + 4, 4);
        std::memcpy(&r.ecx, vendor + 8, 4);
        break;
    case 0x80000001: {
        r.eax = cpu_signature(m);
        apply_bits(m, kExt1, r);
        if (m.vendor == Vendor::Amd) {
            CpuidResult l1;
            apply_bits(m, 1, l1);
            r.edx |= l1.edx & kAmdEdxAliases;
        }
        break;
    }
    case 0x80000002: case 0x80000003: case 0x80000004: {
        const size_t off = (leaf - 0x80000002) * 16;
        char brand[48] = {};
        std::memcpy(brand, m.brand.data(), std::min(m.brand.size(), sizeof brand - 1));
        u32 regs[4];
        std::memcpy(regs, brand + off, 16);
        r.eax = regs[0], r.ebx = regs[1], r.ecx = regs[2], r.edx = regs[3];
        break;
    }
    case 0x80000008:
        r.eax = m.phys_bits | (static_cast<u32>(m.virt_bits) << 8);
        apply_bits(m, 0x80000008, r);
        break;
    default:
        break;  // leaves with nothing to report (caches, power, XSAVE when absent): zeros
    }
    return r;
}

}  // namespace vireo::x86
