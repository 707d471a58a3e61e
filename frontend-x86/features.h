// CPUID-visible features an instruction form may depend on (SDM Vol. 2A, CPUID, Tables 3-10/3-11).
#pragma once
#include <bitset>
#include "frontend-x86/types.h"

namespace vireo::x86 {

#define VIREO_FEATURES(X)                                                                       \
    X(BASE) X(X87) X(CX8) X(CMOV) X(MMX) X(SSE) X(SSE2) X(SSE3) X(SSSE3) X(SSE41) X(SSE42)      \
    X(POPCNT) X(LZCNT) X(BMI1) X(BMI2) X(ADX) X(MOVBE) X(CX16) X(RDRAND) X(RDSEED) X(RDTSCP)   \
    X(FSGSBASE) X(SYSCALL) X(SEP) X(MONITOR) X(AES) X(PCLMUL) X(SHA) X(AVX) X(AVX2) X(FMA)      \
    X(F16C) X(XSAVE) X(XSAVEOPT) X(XSAVEC) X(XSAVES) X(CLFLUSH) X(CLFLUSHOPT) X(CLWB)           \
    X(INVPCID) X(SMAP) X(LM) X(PKU) X(RDPID) X(AVX512) X(VMX) X(SVM) X(RTM) X(SGX) X(CET)       \
    X(SERIALIZE) X(PREFETCHW) X(3DNOW) X(LAHF64) X(FXSR) X(MONITORX) X(CLZERO) X(MSR) X(TSC)    \
    X(WAITPKG) X(PCONFIG) X(UINTR)

enum class Feature : u8 {
#define X(name) F_##name,
    VIREO_FEATURES(X)
#undef X
    Count
};

using FeatureSet = std::bitset<static_cast<size_t>(Feature::Count)>;

inline bool has(const FeatureSet& s, Feature f) { return s.test(static_cast<size_t>(f)); }
inline void set(FeatureSet& s, Feature f) { s.set(static_cast<size_t>(f)); }
const char* feature_name(Feature f);

}  // namespace vireo::x86
