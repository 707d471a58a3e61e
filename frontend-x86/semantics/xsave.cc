// The XSAVE feature set (SDM Vol. 1 chapter 13; Vol. 2 XGETBV, XSETBV, XSAVE, XSAVEOPT,
// XSAVEC, XSAVES, XRSTOR, XRSTORS): XCR0, and saving/restoring the state components of
// xsave_layout.h to and from a 64-byte aligned XSAVE area.
//
// XINUSE (13.6) is not tracked: every enabled component counts as in use. The SDM allows it
// (XINUSE[i] = 1 does not say the component differs from its initial configuration), so
// XSAVEOPT/XSAVEC/XSAVES write every requested component and set its XSTATE_BV bit, and
// XGETBV(ECX = 1) returns XCR0 (with IA32_XSS bits: none exist).
#include "frontend-x86/semantics/sse_common.h"
#include "frontend-x86/semantics/system.h"
#include "frontend-x86/xsave_layout.h"

namespace vireo::x86 {

namespace {

u64 xinuse(const CpuState& c) { return c.xcr0 | c.xss; }

void require_osxsave(CpuState& c) {
    if (!(c.cr4 & CR4_OSXSAVE)) raise_ud(c);
}

// XGETBV (SDM Vol. 2C): ECX = 0 reads XCR0; ECX = 1 reads XCR0 AND XINUSE when
// CPUID.(EAX=0DH,ECX=1):EAX[2] (Vireo reports it with XSAVE); anything else #GP(0).
void h_xgetbv(CpuState& c, const Op&) {
    require_osxsave(c);
    const u32 ecx = static_cast<u32>(c.gpr[RCX]);
    if (ecx == 0) return set_edx_eax(c, c.xcr0);
    if (ecx == 1) return set_edx_eax(c, c.xcr0 & xinuse(c));
    raise_gp0(c);
}

// XSETBV (SDM Vol. 2C): CPL 0 only; ECX = 0 (XCR0); #GP(0) for an unsupported bit, x87 off
// (bit 0 clear) or AVX without SSE (bit 2 without bit 1).
void h_xsetbv(CpuState& c, const Op& o) {
    require_osxsave(c);
    if (c.cpl != 0 || c.vm86) raise_gp0(c);
    if (static_cast<u32>(c.gpr[RCX]) != 0) raise_gp0(c);
    const u64 v = (c.gpr[RDX] << 32) | static_cast<u32>(c.gpr[RAX]);
    if ((v & ~xsave_supported_xcr0(c.features)) || !(v & 1) || ((v >> XC_AVX & 1) && !(v >> XC_SSE & 1)))
        raise_gp0(c);
    c.xcr0 = v;
    end_block(c, o.next_rip);  // instructions after it decode under the new XCR0
}

enum class Save : u8 { Standard, Compacted, Supervisor };  // XSAVE/XSAVEOPT, XSAVEC, XSAVES
enum class Restore : u8 { Any, Supervisor };                // XRSTOR (either form), XRSTORS

// The checks every XSAVE*/XRSTOR* makes, in the SDM's order: #UD without CR4.OSXSAVE, #GP(0)
// above CPL 0 for the supervisor forms, #NM when CR0.TS is set, then the segment/limit checks
// and #GP(0) for an area not 64-byte aligned. Returns the area's linear address.
template <Access A>
u64 xarea(CpuState& c, const Op& o, bool supervisor, unsigned size) {
    require_osxsave(c);
    if (supervisor && c.cpl != 0) raise_gp0(c);
    if (c.cr0 & CR0_TS) raise_fault_noerr(c, NM);
    const u64 lin = seg_linear<A>(c, o.seg, op_ea(c, o), size);
    if (lin & 63) raise_gp0(c);
    return lin;
}

unsigned nxmm(const CpuState& c) { return c.long64 ? 16 : 8; }

void write_bytes(CpuState& c, u64 lin, const u8* p, unsigned n) {
    for (unsigned i = 0; i < n; i += 8) {
        u64 v;
        std::memcpy(&v, p + i, 8);
        mem_write_lin<u64>(c, lin + i, v, c.mmu_idx);
    }
}
void read_bytes(CpuState& c, u64 lin, u8* p, unsigned n) {
    for (unsigned i = 0; i < n; i += 8) {
        const u64 v = mem_read_lin<u64>(c, lin + i, c.mmu_idx);
        std::memcpy(p + i, &v, 8);
    }
}

// The state of a component >= 2 as its XSAVE-area bytes.
void component_image(const CpuState& c, u8 id, u8* out) {
    if (id == XC_AVX)  // YMM_Hi128: bytes 16-31 of each YMM register (13.5.3)
        for (unsigned i = 0; i < 16; i++) std::memcpy(out + 16 * i, c.xmm[i].b + 16, 16);
}
void component_load(CpuState& c, u8 id, const u8* in, unsigned nregs) {
    if (id == XC_AVX)
        for (unsigned i = 0; i < nregs; i++) std::memcpy(c.xmm[i].b + 16, in + 16 * i, 16);
}
void component_init(CpuState& c, u8 id, unsigned nregs) {
    if (id == XC_AVX)
        for (unsigned i = 0; i < nregs; i++) std::memset(c.xmm[i].b + 16, 0, 16);
}

// XSAVE, XSAVEOPT (standard format), XSAVEC (compacted) and XSAVES (compacted, supervisor
// components too): SDM Vol. 1 13.7, 13.10, 13.11. REX.W picks the 64-bit FIP/FDP layout.
template <Save F, bool Wide>
void h_xsave(CpuState& c, const Op& o) {
    const u64 mask = (c.gpr[RDX] << 32) | static_cast<u32>(c.gpr[RAX]);
    const u64 rfbm = mask & (F == Save::Supervisor ? c.xcr0 | c.xss : c.xcr0);
    const bool compacted = F != Save::Standard;
    const unsigned size = xsave_area_size(rfbm, compacted);
    const u64 lin = xarea<Access::Write>(c, o, F == Save::Supervisor, size);
    tlb_probe_write(c, lin, size, c.mmu_idx);  // all or nothing
    const u64 saved = rfbm & xinuse(c);

    u8 img[416];
    fxsave_image(c, img, Wide, nxmm(c), true);
    if (saved >> XC_X87 & 1) {  // FCW..FDS (bytes 0-23) and ST0-ST7 (32-159)
        write_bytes(c, lin, img, 24);
        write_bytes(c, lin + 32, img + 32, 128);
    }
    // MXCSR and MXCSR_MASK go with SSE or AVX state (13.5.2, 13.7).
    if (rfbm & ((1ull << XC_SSE) | (1ull << XC_AVX))) write_bytes(c, lin + 24, img + 24, 8);
    if (saved >> XC_SSE & 1) write_bytes(c, lin + 160, img + 160, 16 * nxmm(c));
    for (const XsaveComponent& x : kXsaveComponents) {
        if (x.id < 2 || !(saved >> x.id & 1)) continue;
        u8 buf[256];
        component_image(c, x.id, buf);
        const u32 off = compacted ? xsave_compacted_offset(rfbm, x.id) : x.offset;
        // Outside 64-bit mode only YMM0-7's upper halves are written (13.5.3).
        const u32 n = x.id == XC_AVX ? 16 * nxmm(c) : x.size;
        write_bytes(c, lin + off, buf, n);
    }
    if (compacted) {
        mem_write_lin<u64>(c, lin + kXstateBvOff, saved, c.mmu_idx);
        mem_write_lin<u64>(c, lin + kXcompBvOff, rfbm | kXcompBvCompacted, c.mmu_idx);
    } else {
        // XSTATE_BV bits outside RFBM keep their value; nothing else in the header is written.
        const u64 old = mem_read_lin<u64>(c, lin + kXstateBvOff, c.mmu_idx);
        mem_write_lin<u64>(c, lin + kXstateBvOff, (old & ~rfbm) | saved, c.mmu_idx);
    }
}

// XRSTOR (standard or compacted form, by XCOMP_BV[63]) and XRSTORS (compacted only): SDM
// Vol. 1 13.8 and 13.12. Every check is made before any state changes.
template <Restore F, bool Wide>
void h_xrstor(CpuState& c, const Op& o) {
    const u64 mask = (c.gpr[RDX] << 32) | static_cast<u32>(c.gpr[RAX]);
    const u64 enabled = F == Restore::Supervisor ? c.xcr0 | c.xss : c.xcr0;
    const u64 rfbm = mask & enabled;
    const u64 lin = xarea<Access::Read>(c, o, F == Restore::Supervisor, kXsaveExtStart);
    u64 hdr[8];
    for (unsigned i = 0; i < 8; i++) hdr[i] = mem_read_lin<u64>(c, lin + kXstateBvOff + 8 * i, c.mmu_idx);
    const u64 xstate_bv = hdr[0], xcomp_bv = hdr[1];
    const bool compacted = xcomp_bv & kXcompBvCompacted;
    if (compacted) {
        // 13.8.2: XCOMP_BV[62:0] within what is enabled, XSTATE_BV within XCOMP_BV, bytes
        // 16-63 of the header zero. (XRSTORS: 13.12, the same with XCR0 | IA32_XSS.)
        if ((xcomp_bv & ~kXcompBvCompacted & ~enabled) || (xstate_bv & ~xcomp_bv)) raise_gp0(c);
        for (unsigned i = 2; i < 8; i++)
            if (hdr[i]) raise_gp0(c);
    } else {
        // 13.8.1: XSTATE_BV within XCR0 and bytes 8-23 of the header zero. XRSTORS has no
        // standard form (#GP).
        if (F == Restore::Supervisor || (xstate_bv & ~c.xcr0) || hdr[1] || hdr[2]) raise_gp0(c);
    }
    const u64 load = rfbm & xstate_bv;
    const u32 size = xsave_area_size(compacted ? xcomp_bv & ~kXcompBvCompacted : rfbm, compacted);
    seg_linear<Access::Read>(c, o.seg, op_ea(c, o), size);  // the whole area within limits

    // The legacy region as an FXSAVE image: the current state, overwritten with what is loaded
    // or initialized.
    u8 img[416];
    fxsave_image(c, img, Wide, nxmm(c), true);
    if (rfbm >> XC_X87 & 1) {
        if (load >> XC_X87 & 1) {
            read_bytes(c, lin, img, 24);
            read_bytes(c, lin + 32, img + 32, 128);
        } else {  // initial x87 state (13.6): FNINIT's, with FIP/FDP/FOP and ST0-7 zero
            std::memset(img, 0, 24);
            std::memset(img + 32, 0, 128);
            img[0] = 0x7f, img[1] = 0x03;  // FCW 037FH; FTW (abridged) 0: all empty
        }
    }
    // MXCSR: the standard form loads it whenever SSE or AVX is requested; the compacted form
    // only with SSE, and sets 1F80H when SSE state is initialized (13.8.1, 13.8.2).
    bool mxcsr_from_mem = false;
    u32 mxcsr = c.mxcsr;
    if (compacted ? (rfbm >> XC_SSE & 1) : (rfbm & ((1ull << XC_SSE) | (1ull << XC_AVX))) != 0) {
        if (!compacted || (load >> XC_SSE & 1)) {
            mxcsr = mem_read_lin<u32>(c, lin + 24, c.mmu_idx);
            mxcsr_from_mem = true;
        } else {
            mxcsr = kMxcsrReset;
        }
    }
    if (mxcsr_from_mem && (mxcsr & ~static_cast<u32>(kMxcsrMask))) raise_gp0(c);
    if (rfbm >> XC_SSE & 1) {
        if (load >> XC_SSE & 1) read_bytes(c, lin + 160, img + 160, 16 * nxmm(c));
        else std::memset(img + 160, 0, 16 * nxmm(c));
    }
    // Components >= 2: read everything before any state changes (a fault loads nothing).
    u8 ext[sizeof kXsaveComponents / sizeof kXsaveComponents[0]][256];
    for (const XsaveComponent& x : kXsaveComponents) {
        if (x.id < 2 || !(load >> x.id & 1)) continue;
        const u32 off = compacted ? xsave_compacted_offset(xcomp_bv, x.id) : x.offset;
        read_bytes(c, lin + off, ext[x.id], x.id == XC_AVX ? 16 * nxmm(c) : x.size);
    }

    const X87State x87 = c.x87;
    fxrstor_image(c, img, Wide, nxmm(c), true);
    if (!(rfbm >> XC_X87 & 1)) c.x87 = x87;  // the image carried it unchanged but lossy (FIP)
    c.mxcsr = mxcsr;
    for (const XsaveComponent& x : kXsaveComponents) {
        if (x.id < 2 || !(rfbm >> x.id & 1)) continue;
        if (load >> x.id & 1) component_load(c, x.id, ext[x.id], nxmm(c));
        else component_init(c, x.id, nxmm(c));
    }
}

template <Save F>
Handler bind_xsave(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return d.rex_w ? &h_xsave<F, true> : &h_xsave<F, false>;
}
template <Restore F>
Handler bind_xrstor(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return d.rex_w ? &h_xrstor<F, true> : &h_xrstor<F, false>;
}
template <Handler H>
Handler plain(const DecodedInsn&, Op&) { return H; }

constexpr SemEntry kEntries[] = {
    {"xgetbv", plain<&h_xgetbv>, false},
    {"xsetbv", plain<&h_xsetbv>, true},
    {"xsave|xsave|xsave64", bind_xsave<Save::Standard>, false},
    {"xsaveopt|xsaveopt|xsaveopt64", bind_xsave<Save::Standard>, false},
    {"xsavec|xsavec|xsavec64", bind_xsave<Save::Compacted>, false},
    {"xsaves|xsaves|xsaves64", bind_xsave<Save::Supervisor>, false},
    {"xrstor|xrstor|xrstor64", bind_xrstor<Restore::Any>, false},
    {"xrstors|xrstors|xrstors64", bind_xrstor<Restore::Supervisor>, false},
};

}  // namespace

std::span<const SemEntry> sem_xsave() { return kEntries; }

}  // namespace vireo::x86
