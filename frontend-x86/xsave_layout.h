// The XSAVE area (SDM Vol. 1 13.4): which state components exist, where each lives in the
// standard and the compacted format, and how big the area is. One table serves CPUID leaf 0DH
// (cpuid.cc), XSETBV's checks and the XSAVE/XRSTOR family (semantics/xsave.cc).
#pragma once
#include <span>
#include "frontend-x86/features.h"
#include "frontend-x86/types.h"

namespace vireo::x86 {

// Bytes 0-511 are the legacy (FXSAVE) region, 512-575 the XSAVE header.
constexpr u32 kXsaveLegacyBytes = 512, kXsaveHeaderBytes = 64, kXsaveExtStart = 576;
// XSAVE header fields (SDM Vol. 1 13.4.2), offsets in the area.
constexpr u32 kXstateBvOff = 512, kXcompBvOff = 520;
constexpr u64 kXcompBvCompacted = 1ull << 63;

enum XComponent : u8 { XC_X87 = 0, XC_SSE = 1, XC_AVX = 2 };

struct XsaveComponent {
    u8 id;
    Feature needs;   // the CPU model has the component when it has this feature
    u32 offset;      // in the standard format (CPUID.(EAX=0DH,ECX=i):EBX); 0 for 0 and 1
    u32 size;        // CPUID.(EAX=0DH,ECX=i):EAX; 0 for the legacy-region components
    bool align64;    // compacted format: starts on a 64-byte boundary (CPUID ...:ECX[1])
    bool supervisor; // an IA32_XSS component (CPUID ...:ECX[0])
};

// SDM Vol. 1 Table 13-1 and 13.5: x87 and SSE state live in the legacy region; AVX state
// (YMM_Hi128, the upper halves of YMM0-15) is 256 bytes at offset 576.
inline constexpr XsaveComponent kXsaveComponents[] = {
    {XC_X87, Feature::F_X87, 0, 0, false, false},
    {XC_SSE, Feature::F_SSE, 0, 0, false, false},
    {XC_AVX, Feature::F_AVX, 576, 256, false, false},
};

// The XCR0 (user) components the model supports: CPUID.(EAX=0DH,ECX=0):EDX:EAX.
inline u64 xsave_supported_xcr0(const FeatureSet& f) {
    u64 m = 0;
    for (const XsaveComponent& x : kXsaveComponents)
        if (!x.supervisor && has(f, x.needs)) m |= 1ull << x.id;
    return m;
}
// The IA32_XSS (supervisor) components the model supports: none today.
inline u64 xsave_supported_xss(const FeatureSet& f) {
    u64 m = 0;
    for (const XsaveComponent& x : kXsaveComponents)
        if (x.supervisor && has(f, x.needs)) m |= 1ull << x.id;
    return m;
}

// Size of an area holding the components in mask: standard format (CPUID.(EAX=0DH,ECX=0):EBX
// and ECX) or compacted (CPUID.(EAX=0DH,ECX=1):EBX; SDM Vol. 1 13.4.3).
inline u32 xsave_area_size(u64 mask, bool compacted) {
    u32 end = kXsaveExtStart;
    for (const XsaveComponent& x : kXsaveComponents) {
        if (x.id < 2 || !(mask >> x.id & 1)) continue;
        if (compacted) {
            if (x.align64) end = (end + 63) & ~63u;
            end += x.size;
        } else if (x.offset + x.size > end) {
            end = x.offset + x.size;
        }
    }
    return end;
}

// Where component id (>= 2) starts in the compacted format for XCOMP_BV's mask: after the
// components below it that the mask holds, each 64-byte aligned if it says so.
inline u32 xsave_compacted_offset(u64 xcomp_bv, u8 id) {
    u32 off = kXsaveExtStart;
    for (const XsaveComponent& x : kXsaveComponents) {
        if (x.id < 2 || !(xcomp_bv >> x.id & 1)) continue;
        if (x.align64) off = (off + 63) & ~63u;
        if (x.id == id) return off;
        off += x.size;
    }
    return off;
}

}  // namespace vireo::x86
