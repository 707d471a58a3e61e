// FXSAVE/FXRSTOR (SDM Vol. 2A FXSAVE, FXRSTOR; Vol. 1 10.5.1): the x87, MXCSR and XMM state to
// and from a 512-byte, 16-byte aligned memory area.
#include "frontend-x86/semantics/sse_common.h"

namespace vireo::x86 {

namespace {
template <typename T>
void put(u8* p, T v) { std::memcpy(p, &v, sizeof v); }
template <typename T>
T take(const u8* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
unsigned x87_top(const X87State& x) { return (x.fsw >> 11) & 7; }
}  // namespace

void fxsave_image(const CpuState& c, u8 img[416], bool wide, unsigned nxmm, bool sse) {
    std::memset(img, 0, 416);  // reserved fields and the ST(i) padding read as 0
    const X87State& x = c.x87;
    put<u16>(img + 0, x.fcw);
    put<u16>(img + 2, x.fsw);
    img[4] = x.ftw;
    put<u16>(img + 6, x.fop & 0x7ff);
    if (wide) {  // Table 10-3 (REX.W = 1)
        put<u64>(img + 8, x.fip);
        put<u64>(img + 16, x.fdp);
    } else {  // Table 10-2
        put<u32>(img + 8, static_cast<u32>(x.fip));
        put<u16>(img + 12, x.fcs);
        put<u32>(img + 16, static_cast<u32>(x.fdp));
        put<u16>(img + 20, x.fds);
    }
    if (sse) {
        put<u32>(img + 24, c.mxcsr);
        put<u32>(img + 28, kMxcsrMask);
    }
    // ST(i), in stack order: physical register (TOP + i) mod 8.
    for (unsigned i = 0; i < 8; i++) std::memcpy(img + 32 + 16 * i, x.r[(x87_top(x) + i) & 7], 10);
    if (sse)
        for (unsigned i = 0; i < nxmm; i++) std::memcpy(img + 160 + 16 * i, c.xmm[i].b, 16);
}

void fxrstor_image(CpuState& c, const u8 img[416], bool wide, unsigned nxmm, bool sse) {
    X87State& x = c.x87;
    // FCW: reserved bit 6 reads as 1, bits 7 and 13-15 as 0 (SDM Vol. 1 8.1.5, Figure 8-6).
    x.fcw = static_cast<u16>((take<u16>(img + 0) & 0x1F3F) | 0x0040);
    // FSW: ES (bit 7) and B (bit 15) summarize the exception flags not masked in FCW (SDM Vol. 1
    // 8.1.3.1, 8.1.3.6): they follow the loaded flags and masks, not the image's bits.
    x.fsw = take<u16>(img + 2) & 0x7F7F;
    if (x.fsw & ~x.fcw & 0x3F) x.fsw |= 0x8080;
    x.ftw = img[4];
    x.fop = take<u16>(img + 6) & 0x7ff;
    if (wide) {
        x.fip = take<u64>(img + 8);
        x.fdp = take<u64>(img + 16);
        x.fcs = x.fds = 0;
    } else {
        x.fip = take<u32>(img + 8);
        x.fcs = take<u16>(img + 12);
        x.fdp = take<u32>(img + 16);
        x.fds = take<u16>(img + 20);
    }
    for (unsigned i = 0; i < 8; i++) std::memcpy(x.r[(x87_top(x) + i) & 7], img + 32 + 16 * i, 10);
    if (sse) {
        c.mxcsr = take<u32>(img + 24);
        for (unsigned i = 0; i < nxmm; i++) std::memcpy(c.xmm[i].b, img + 160 + 16 * i, 16);
    }
}

namespace {

// Bytes FXSAVE writes: 0-415 in 64-bit mode, 0-287 elsewhere (XMM8-15 absent; Table 10-2).
unsigned fx_bytes(const CpuState& c) { return c.long64 ? 416 : 288; }

// Checks shared by both (SDM Vol. 2A FXSAVE/FXRSTOR "Protected Mode Exceptions"): #NM when
// CR0.TS or CR0.EM is set; #GP(0) for an area not 16-byte aligned, regardless of segment.
template <Access A>
u64 fx_area(CpuState& c, const Op& o) {
    if (c.cr0 & (CR0_TS | CR0_EM)) raise_fault_noerr(c, NM);
    const u64 lin = seg_linear<A>(c, o.seg, op_ea(c, o), 512);
    if (lin & 15) raise_gp0(c);
    return lin;
}

// When CR4.OSFXSR = 0 FXSAVE/FXRSTOR may leave MXCSR and XMM alone ("implementation
// dependent", SDM FXSAVE); Vireo does, and then leaves bytes 24-31 and 160- unwritten too.
template <bool Wide>
void h_fxsave(CpuState& c, const Op& o) {
    const u64 lin = fx_area<Access::Write>(c, o);
    const unsigned n = fx_bytes(c);
    const bool sse = c.cr4 & CR4_OSFXSR;
    tlb_probe_write(c, lin, n, c.mmu_idx);  // all or nothing
    u8 img[416];
    fxsave_image(c, img, Wide, c.long64 ? 16 : 8, sse);
    for (unsigned i = 0; i < (sse ? n : 160); i += 8)
        if (sse || i != 24) mem_write_lin<u64>(c, lin + i, take<u64>(img + i), c.mmu_idx);
}

template <bool Wide>
void h_fxrstor(CpuState& c, const Op& o) {
    const u64 lin = fx_area<Access::Read>(c, o);
    const unsigned n = fx_bytes(c);
    const bool sse = c.cr4 & CR4_OSFXSR;
    u8 img[416] = {};
    for (unsigned i = 0; i < n; i += 8) put<u64>(img + i, mem_read_lin<u64>(c, lin + i, c.mmu_idx));
    // SDM FXRSTOR: #GP(0) when the MXCSR image sets a reserved bit (one clear in MXCSR_MASK).
    if (sse && (take<u32>(img + 24) & ~static_cast<u32>(kMxcsrMask))) raise_gp0(c);
    fxrstor_image(c, img, Wide, c.long64 ? 16 : 8, sse);
}

// REX.W selects FXSAVE64/FXRSTOR64 (the 64-bit FIP/FDP layout) in 64-bit mode.
Handler bind_fxsave(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return d.rex_w ? &h_fxsave<true> : &h_fxsave<false>;
}
Handler bind_fxrstor(const DecodedInsn& d, Op& op) {
    fill_mem(d, op);
    return d.rex_w ? &h_fxrstor<true> : &h_fxrstor<false>;
}

constexpr SemEntry kEntries[] = {
    {"fxsave|fxsave|fxsave64", bind_fxsave, false},
    {"fxrstor|fxrstor|fxrstor64", bind_fxrstor, false},
};

}  // namespace

std::span<const SemEntry> sem_sse_state() { return kEntries; }

}  // namespace vireo::x86
