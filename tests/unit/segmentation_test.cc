// Segmentation: descriptor decoding, the slow-path limit/rights checks, fast-path access
// bits, and protected-mode segment register loads (frontend-x86/segmentation.cc).
// Expectations cite SDM Vol. 3A 3.4.5 (descriptors), 5.3 (limits), 5.4.1 (type checks) and
// Vol. 2B MOV "Operation" (load checks and their error codes).
#include <gtest/gtest.h>

#include "frontend-x86/segmentation.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

// An 8-byte segment descriptor (SDM Vol. 3A Figure 3-8). access: P|DPL|S|type;
// flags: G, D/B, L, AVL.
constexpr u64 desc(u32 base, u32 limit, u8 access, u8 flags) {
    return (limit & 0xffffull) | (u64(base & 0xffffff) << 16) | (u64(access) << 40) |
           (u64((limit >> 16) & 0xf) << 48) | (u64(flags & 0xf) << 52) | (u64(base >> 24) << 56);
}
constexpr u8 kG = 8, kDB = 4, kL = 2;

template <typename F>
GuestFault fault_of(F&& f) {
    try {
        f();
    } catch (const GuestFault& g) {
        return g;
    }
    return GuestFault{0xff, false, 0};
}

Segment seg_from(u64 d, u16 sel = 0x10) {
    Segment s;
    segment_from_descriptor(s, sel, d);
    return s;
}

// ---------------------------------------------------------------- descriptor fields

TEST(Descriptor, FieldsAndGranularity) {
    const u64 d = desc(0x12345678, 0xabcde, 0x92, kG | kDB);
    EXPECT_EQ(desc_base(d), 0x12345678u);
    EXPECT_EQ(desc_limit(d), 0xabcdefffu);  // G: 4 KiB units, low 12 bits all ones
    EXPECT_EQ(desc_attr(d), 0xc092);        // type/S/DPL/P in 7:0, G D/B L AVL in 15:12
    EXPECT_TRUE(desc_data(d));
    EXPECT_TRUE(desc_writable(d));
    EXPECT_EQ(desc_limit(desc(0, 0xabcde, 0x92, 0)), 0xabcdeu);  // byte granular
    const Segment s = seg_from(desc(0x1000, 0xffff, 0xfa, kL | kG));
    EXPECT_TRUE(s.code());
    EXPECT_TRUE(s.l());
    EXPECT_EQ(s.dpl(), 3);
}

TEST(Descriptor, SelectorErrorCodeDropsRpl) {
    // SDM Vol. 3A 6.13: bits 1:0 of a selector error code are IDT and EXT, not the RPL.
    EXPECT_EQ(sel_error(0x2b), 0x28u);
    EXPECT_EQ(sel_error(0x2f, 1), 0x2du);
}

// ---------------------------------------------------------------- limits (5.3)

TEST(SegmentLimit, ExpandUp) {
    const Segment s = seg_from(desc(0, 0x0fff, 0x92, 0));
    EXPECT_TRUE(segment_offset_ok(s, 0xffc, 4));
    EXPECT_FALSE(segment_offset_ok(s, 0xffd, 4));  // the last byte is past the limit
    EXPECT_TRUE(segment_offset_ok(s, 0xfff, 1));
}

TEST(SegmentLimit, ExpandDownUsesBForTheUpperBound) {
    // Expand-down data (type 6): valid offsets are limit+1 .. 0xffff (B=0) / 0xffffffff (B=1).
    const Segment s16 = seg_from(desc(0, 0x0fff, 0x96, 0));
    EXPECT_FALSE(segment_offset_ok(s16, 0x0fff, 1));
    EXPECT_TRUE(segment_offset_ok(s16, 0x1000, 2));
    EXPECT_TRUE(segment_offset_ok(s16, 0xfffe, 2));
    EXPECT_FALSE(segment_offset_ok(s16, 0xffff, 2));
    const Segment s32 = seg_from(desc(0, 0x0fff, 0x96, kDB));
    EXPECT_TRUE(segment_offset_ok(s32, 0x10000, 4));
    EXPECT_TRUE(segment_offset_ok(s32, 0xfffffffc, 4));
    EXPECT_FALSE(segment_offset_ok(s32, 0xfffffffd, 4));
}

// ---------------------------------------------------------------- access bits and slow checks

struct Prot : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    static constexpr u64 kGdt = 0x2000;
    void SetUp() override {
        test::make_flat_protected_mode(c, host);
        c.gdtr.base = kGdt;
        c.gdtr.limit = 16 * 8 - 1;
        put(0x08, desc(0, 0xfffff, 0x9b, kG | kDB));   // ring-0 code, readable
        put(0x10, desc(0, 0xfffff, 0x93, kG | kDB));   // ring-0 data, r/w
        put(0x18, desc(0, 0xfffff, 0x12, kG | kDB));   // data, not present (access byte 0x12)
        put(0x20, desc(0, 0xfffff, 0xf2, kG | kDB));   // ring-3 data, r/w, not accessed
        put(0x28, desc(0, 0xfffff, 0x90, kG | kDB));   // ring-0 data, read-only
        put(0x30, desc(0, 0xfffff, 0x98, kG | kDB));   // ring-0 code, execute-only
        put(0x38, desc(0x4000, 0x1000, 0x89, 0));     // available 32-bit TSS (system)
        put(0x40, desc(0x10000, 0x0fff, 0x96, kDB));  // expand-down data
        put(0x48, desc(0, 0xfffff, 0x9f, kG | kDB));   // conforming code, readable
    }
    void put(u16 sel, u64 d) { std::memcpy(host.ram() + kGdt + (sel & ~7), &d, 8); }
    u64 get(u16 sel) {
        u64 d;
        std::memcpy(&d, host.ram() + kGdt + (sel & ~7), 8);
        return d;
    }
};

TEST_F(Prot, AccessBitsFollowType) {
    Segment s = seg_from(desc(0, 0xfffff, 0x93, kG));
    segment_update_access(c, s, DS);
    EXPECT_EQ(s.access, SEG_ACC_R | SEG_ACC_W);
    s = seg_from(desc(0, 0xfffff, 0x91, kG));  // read-only
    segment_update_access(c, s, DS);
    EXPECT_EQ(s.access, SEG_ACC_R);
    s = seg_from(desc(0, 0xfffff, 0x99, kG));  // execute-only code
    segment_update_access(c, s, DS);
    EXPECT_EQ(s.access, 0);
    s = seg_from(desc(0, 0xfff, 0x97, 0));  // expand-down: always the slow path
    segment_update_access(c, s, DS);
    EXPECT_TRUE(s.access & SEG_ACC_SLOW);
    s = Segment{};  // unusable (null selector)
    segment_update_access(c, s, DS);
    EXPECT_EQ(s.access, SEG_ACC_SLOW);
}

TEST_F(Prot, RealModeAllowsWritesThroughCodeSegments) {
    // SDM Vol. 3A Table 9-1: CS is "Present, R/W" in real mode; only limits are checked.
    cpu_reset(c);
    segment_update_access(c, c.seg[CS], CS);
    EXPECT_EQ(c.seg[CS].access, SEG_ACC_R | SEG_ACC_W);
    seg_check_slow(c, CS, 0xfffe, 2, Access::Write);  // no fault
    EXPECT_EQ(fault_of([&] { seg_check_slow(c, CS, 0xffff, 2, Access::Write); }).vector, GP);
    EXPECT_EQ(fault_of([&] { seg_check_slow(c, SS, 0xffff, 2, Access::Read); }).vector, SS_VEC);
}

TEST_F(Prot, SlowPathRights) {
    c.seg[DS] = seg_from(desc(0, 0xfffff, 0x91, kG));  // read-only data
    segment_update_access(c, c.seg[DS], DS);
    seg_check_slow(c, DS, 0x100, 4, Access::Read);
    GuestFault f = fault_of([&] { seg_check_slow(c, DS, 0x100, 4, Access::Write); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0u);
    c.seg[ES] = seg_from(desc(0, 0xfffff, 0x99, kG));  // execute-only code
    EXPECT_EQ(fault_of([&] { seg_check_slow(c, ES, 0, 1, Access::Read); }).vector, GP);
    c.seg[FS] = seg_from(desc(0, 0xfffff, 0x9b, kG));  // readable code: no writes
    seg_check_slow(c, FS, 0, 1, Access::Read);
    EXPECT_EQ(fault_of([&] { seg_check_slow(c, FS, 0, 1, Access::Write); }).vector, GP);
}

TEST_F(Prot, SegLinearTakesSlowPathForExpandDown) {
    load_segment(c, ES, 0x40);
    EXPECT_EQ(fault_of([&] { seg_linear<Access::Read>(c, ES, 0x0ffe, 4); }).vector, GP);
    EXPECT_EQ(seg_linear<Access::Write>(c, ES, 0x1000, 4), 0x11000u);  // base + offset
}

// ---------------------------------------------------------------- loads (MOV Sreg)

TEST_F(Prot, LoadDataSegmentSetsAccessedBit) {
    load_segment(c, DS, 0x23);  // RPL 3 = DPL 3, CPL 0: allowed for data
    EXPECT_EQ(c.seg[DS].sel, 0x23);
    EXPECT_EQ(c.seg[DS].limit, 0xffffffffu);
    EXPECT_EQ(c.seg[DS].dpl(), 3);
    EXPECT_TRUE(get(0x20) & (1ull << 40));  // SDM Vol. 3A 3.4.5.1
    EXPECT_EQ(c.seg[DS].access, SEG_ACC_R | SEG_ACC_W);
}

TEST_F(Prot, LoadErrors) {
    // Beyond the GDT limit: #GP(selector).
    GuestFault f = fault_of([&] { load_segment(c, DS, 0x100); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0x100u);
    // TI=1 with an unusable LDT: #GP(selector).
    c.ldtr = Segment{};
    f = fault_of([&] { load_segment(c, DS, 0x0c); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0x0cu);
    // Not present: #NP; privilege (RPL > DPL) is checked first: #GP.
    f = fault_of([&] { load_segment(c, DS, 0x18); });
    EXPECT_EQ(f.vector, NP);
    EXPECT_EQ(f.error, 0x18u);
    f = fault_of([&] { load_segment(c, DS, 0x1b); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0x18u);
    // Execute-only code and system segments cannot be data.
    EXPECT_EQ(fault_of([&] { load_segment(c, FS, 0x30); }).vector, GP);
    EXPECT_EQ(fault_of([&] { load_segment(c, FS, 0x38); }).vector, GP);
    // Readable code is fine (and conforming code ignores the privilege rule).
    load_segment(c, GS, 0x08);
    load_segment(c, GS, 0x4b);
    EXPECT_EQ(c.seg[GS].sel, 0x4b);
}

TEST_F(Prot, StackSegmentRules) {
    // Null SS: #GP(0); read-only, code or DPL != CPL: #GP(sel); not present: #SS(sel).
    GuestFault f = fault_of([&] { load_segment(c, SS, 0); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0u);
    EXPECT_EQ(fault_of([&] { load_segment(c, SS, 0x28); }).error, 0x28u);
    EXPECT_EQ(fault_of([&] { load_segment(c, SS, 0x08); }).vector, GP);
    EXPECT_EQ(fault_of([&] { load_segment(c, SS, 0x20); }).vector, GP);  // DPL 3 at CPL 0
    f = fault_of([&] { load_segment(c, SS, 0x18); });
    EXPECT_EQ(f.vector, SS_VEC);
    EXPECT_EQ(f.error, 0x18u);
    // A 16-bit SS makes pushes 2-byte-stack-pointer wide.
    put(0x50, desc(0, 0xffff, 0x93, 0));
    load_segment(c, SS, 0x50);
    EXPECT_EQ(c.stack_size, 2);
}

TEST_F(Prot, NullSelectorMakesTheSegmentUnusable) {
    load_segment(c, DS, 0x3);  // null with any RPL is allowed for DS
    EXPECT_EQ(c.seg[DS].sel, 3);
    const GuestFault f = fault_of([&] { seg_linear<Access::Read>(c, DS, 0, 4); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0u);
}

TEST_F(Prot, NullStackSegmentIn64BitMode) {
    // SDM Vol. 2B MOV: 64-bit mode allows a null SS at CPL < 3 when RPL = CPL.
    c.efer |= EFER_LMA;
    c.seg[CS].attr |= SEG_ATTR_L;
    c.seg[CS].attr &= ~SEG_ATTR_DB;
    update_mode(c);
    ASSERT_TRUE(c.long64);
    load_segment(c, SS, 0);
    EXPECT_EQ(c.seg[SS].sel, 0);
    EXPECT_EQ(fault_of([&] { load_segment(c, SS, 3); }).vector, GP);  // RPL != CPL
}

TEST_F(Prot, RealModeLoadKeepsCachedLimit) {
    // Unreal mode: a real-mode load only changes selector and base (SDM Vol. 3A 9.9.2 note).
    load_segment(c, FS, 0x10);
    c.cr0 &= ~CR0_PE;
    update_mode(c);
    load_segment(c, FS, 0x1234);
    EXPECT_EQ(c.seg[FS].base, 0x12340u);
    EXPECT_EQ(c.seg[FS].limit, 0xffffffffu);
}

TEST_F(Prot, Virtual8086LoadsAre64KiBDpl3) {
    c.eflags |= VM;
    update_mode(c);
    ASSERT_TRUE(c.vm86);
    load_segment(c, DS, 0xb800);
    EXPECT_EQ(c.seg[DS].base, 0xb8000u);
    EXPECT_EQ(c.seg[DS].limit, 0xffffu);
    EXPECT_EQ(c.seg[DS].dpl(), 3);
}

TEST_F(Prot, OuterReturnNullsInaccessibleDataSegments) {
    // SDM Vol. 2A IRET / Vol. 2B RET: DS..GS with DPL < new CPL (data, non-conforming code)
    // become null on a return to an outer level.
    load_segment(c, DS, 0x10);   // DPL 0
    load_segment(c, ES, 0x23);   // DPL 3
    load_segment(c, FS, 0x4b);   // conforming code
    c.cpl = 3;
    null_inaccessible_segments(c);
    EXPECT_EQ(c.seg[DS].sel, 0);
    EXPECT_EQ(c.seg[ES].sel, 0x23);
    EXPECT_EQ(c.seg[FS].sel, 0x4b);
}

}  // namespace
