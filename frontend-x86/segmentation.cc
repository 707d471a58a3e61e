// Segment loading, descriptor tables and the segment checks of memory accesses
// (SDM Vol. 3A chapter 3 and 5.1-5.6; Vol. 2B MOV/POP "Operation" for the load rules).
#include "frontend-x86/segmentation.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/mem_access.h"

namespace vireo::x86 {

// ---------------------------------------------------------------- descriptor tables

bool descriptor_address(const CpuState& c, u16 sel, unsigned bytes, u64& addr) {
    const u32 index = sel & ~7u;
    u64 base;
    u32 limit;
    if (sel & 4) {
        // An LDTR loaded with a null selector is unusable (SDM Vol. 3A 3.5.1).
        if (!c.ldtr.present()) return false;
        base = c.ldtr.base;
        limit = c.ldtr.limit;
    } else {
        base = c.gdtr.base;
        limit = c.gdtr.limit;
    }
    if (index + bytes - 1 > limit) return false;
    addr = base + index;
    if (!(c.efer & EFER_LMA)) addr = static_cast<u32>(addr);
    return true;
}

bool read_descriptor(CpuState& c, u16 selector, u64& desc) {
    u64 addr;
    if (!descriptor_address(c, selector, 8, addr)) return false;
    desc = sys_read<u64>(c, addr);
    return true;
}

bool read_descriptor_high(CpuState& c, u16 sel, u64& high) {
    u64 addr;
    if (!descriptor_address(c, sel, 16, addr)) return false;
    high = sys_read<u64>(c, addr + 8);
    return true;
}

u64 mark_descriptor_accessed(CpuState& c, u16 sel, u64 desc) {
    // SDM Vol. 3A 3.4.5.1: the processor sets the accessed bit when it loads the selector.
    if (desc & (1ull << 40)) return desc;
    u64 addr;
    if (descriptor_address(c, sel, 8, addr)) sys_write<u8>(c, addr + 5, static_cast<u8>((desc >> 40) | 1));
    return desc | (1ull << 40);
}

void segment_from_descriptor(Segment& s, u16 selector, u64 desc) {
    s.sel = selector;
    s.base = desc_base(desc);
    s.limit = desc_limit(desc);
    s.attr = desc_attr(desc);
}

// ---------------------------------------------------------------- access bits and checks

namespace {
bool expand_down(const Segment& s) { return s.s() && !(s.attr & 8) && (s.attr & 4); }
bool real_like(const CpuState& c) { return !c.pe || c.vm86; }
}  // namespace

void segment_update_access(const CpuState& c, Segment& s, u8 seg) {
    (void)seg;
    u8 a;
    if (real_like(c)) {
        // Real-address and virtual-8086 mode check limits only; code segments are writable
        // (SDM Vol. 3A Table 9-1 gives CS "Present, R/W" after reset).
        a = SEG_ACC_R | SEG_ACC_W;
    } else if (!s.present() || !s.s()) {
        a = SEG_ACC_SLOW;  // unusable (null selector) or a system segment: every access checks
    } else if (s.attr & 8) {
        a = (s.attr & 2) ? SEG_ACC_R : 0;  // code: readable or execute-only, never writable
    } else {
        a = SEG_ACC_R | ((s.attr & 2) ? SEG_ACC_W : 0);
    }
    if (expand_down(s)) a |= SEG_ACC_SLOW;
    s.access = a;
}

void segments_update_access(CpuState& c) {
    for (u8 i = 0; i < 6; i++) segment_update_access(c, c.seg[i], i);
}

bool segment_offset_ok(const Segment& s, u64 off, unsigned size) {
    const u64 last = off + size - 1;
    if (expand_down(s)) {
        // SDM Vol. 3A 5.3: valid offsets are limit+1 .. 0xffff (B=0) or 0xffffffff (B=1).
        const u64 upper = s.db() ? 0xffffffffull : 0xffffull;
        return off > s.limit && last <= upper;
    }
    return last <= s.limit;
}

void raise_seg_fault(CpuState& c, u8 seg) {
    // SDM Vol. 3A 5.3 / 6.15: SS-relative violations are #SS(0), the others #GP(0).
    if (seg == SS) raise_fault(c, SS_VEC, 0);
    raise_gp0(c);
}

void seg_check_slow(CpuState& c, u8 seg, u64 ea, unsigned size, Access a) {
    const Segment& s = c.seg[seg];
    if (!real_like(c)) {
        // SDM Vol. 3A 5.4.1 / 3.4.2: a null (unusable) segment faults on any use; 5.4.1
        // (Table 5-1 type checks): no writes to code or read-only data, no reads of
        // execute-only code.
        if (!s.present() || !s.s()) raise_seg_fault(c, seg);
        if (a == Access::Write && ((s.attr & 8) || !(s.attr & 2))) raise_seg_fault(c, seg);
        if (a == Access::Read && (s.attr & 8) && !(s.attr & 2)) raise_seg_fault(c, seg);
    }
    if (!segment_offset_ok(s, ea, size)) raise_seg_fault(c, seg);
}

// ---------------------------------------------------------------- segment register loads

void load_segment_real(CpuState& c, u8 seg, u16 selector) {
    Segment& s = c.seg[seg];
    s.sel = selector;
    s.base = static_cast<u64>(selector) << 4;
    if (c.vm86) {
        // SDM Vol. 3A 20.2.1: in virtual-8086 mode every segment is a 64-KiB, DPL-3,
        // read/write data segment.
        s.limit = 0xffff;
        s.attr = SEG_ATTR_P | SEG_ATTR_S | (3 << 5) | 3;
    } else if (!s.present()) {
        // Real mode keeps the cached limit and attributes (which is what "unreal mode" uses);
        // only a segment left unusable by protected mode gets usable defaults.
        s.limit = 0xffff;
        s.attr = SEG_ATTR_P | SEG_ATTR_S | 3;
    }
    segment_update_access(c, s, seg);
    if (seg == SS || seg == CS) update_mode(c);
}

void load_null_segment(CpuState& c, u8 seg, u16 sel) {
    Segment& s = c.seg[seg];
    s.sel = sel;
    s.base = 0;
    s.limit = 0;
    // SS in 64-bit mode may hold a null selector; its DPL still reads as the CPL.
    s.attr = seg == SS ? static_cast<u16>((sel & 3) << 5) : 0;
    segment_update_access(c, s, seg);
}

void check_data_segment(CpuState& c, u8 seg, u16 sel, u64 desc, u8 cpl, u8 bad_vector, u32 ext) {
    const u32 err = sel_error(sel, ext);
    const u8 rpl = sel & 3, dpl = desc_dpl(desc);
    if (seg == SS) {
        // SDM Vol. 2B MOV: RPL = CPL, a writable data segment, DPL = CPL; else #GP(selector).
        if (rpl != cpl || !desc_writable(desc) || dpl != cpl) raise_fault(c, bad_vector, err);
        if (!desc_present(desc)) raise_fault(c, SS_VEC, err);
        return;
    }
    // Data or readable code; for data and non-conforming code, RPL and CPL <= DPL.
    if (!desc_s(desc) || !desc_readable(desc)) raise_fault(c, bad_vector, err);
    if (!desc_conforming(desc) && (rpl > dpl || cpl > dpl)) raise_fault(c, bad_vector, err);
    if (!desc_present(desc)) raise_fault(c, NP, err);
}

void commit_segment(CpuState& c, u8 seg, u16 sel, u64 desc) {
    desc = mark_descriptor_accessed(c, sel, desc);
    segment_from_descriptor(c.seg[seg], sel, desc);
    segment_update_access(c, c.seg[seg], seg);
    if (seg == SS) update_mode(c);
}

void load_segment(CpuState& c, u8 seg, u16 selector) {
    if (!c.pe || c.vm86) {
        load_segment_real(c, seg, selector);
        return;
    }
    if ((selector & 0xfffc) == 0) {
        if (seg == SS) {
            // SDM Vol. 2B MOV: a null SS is allowed only in 64-bit mode, at CPL < 3 with
            // RPL = CPL.
            if (!c.long64 || c.cpl == 3 || (selector & 3) != c.cpl) raise_gp0(c);
        }
        load_null_segment(c, seg, selector);
        if (seg == SS) update_mode(c);
        return;
    }
    u64 desc;
    if (!read_descriptor(c, selector, desc)) raise_fault(c, GP, sel_error(selector));
    check_data_segment(c, seg, selector, desc, c.cpl, GP, 0);
    commit_segment(c, seg, selector, desc);
}

void load_cs(CpuState& c, u16 sel, u64 desc, u8 cpl) {
    desc = mark_descriptor_accessed(c, sel, desc);
    Segment& s = c.seg[CS];
    segment_from_descriptor(s, static_cast<u16>((sel & ~3) | cpl), desc);
    c.cpl = cpl;
    update_mode(c);
    segment_update_access(c, s, CS);
}

void null_inaccessible_segments(CpuState& c) {
    for (u8 seg : {ES, DS, FS, GS}) {
        Segment& s = c.seg[seg];
        // Data and non-conforming code segments with DPL < CPL become null; the hidden base
        // stays, as on hardware (FS/GS bases matter in 64-bit mode).
        const bool conforming_code = (s.attr & 0x1c) == 0x1c;
        if (s.present() && !conforming_code && s.dpl() < c.cpl) {
            s.sel = 0;
            s.attr = 0;
            segment_update_access(c, s, seg);
        }
    }
}

void load_flat_protected_segments(CpuState& c, u16 code_sel, u16 data_sel) {
    for (int s = 0; s < 6; s++) {
        Segment& sg = c.seg[s];
        sg.sel = s == CS ? code_sel : data_sel;
        sg.base = 0;
        sg.limit = 0xffffffff;
        sg.attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB | SEG_ATTR_G | (s == CS ? 0xb : 0x3);
        sg.access = s == CS ? SEG_ACC_R : (SEG_ACC_R | SEG_ACC_W);
    }
}

}  // namespace vireo::x86
