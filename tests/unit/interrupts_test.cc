// Event delivery (frontend-x86/interrupts.cc): the IVT, 32-bit IDT gates with and without a
// stack switch, IA-32e gates with IST and alignment, and the double/triple-fault rules.
// Expectations cite SDM Vol. 3A 6.12 (protected mode), 6.14 (IA-32e), 6.15 Table 6-5,
// 20.1.4 (real mode).
#include <gtest/gtest.h>

#include "frontend-x86/interrupts.h"
#include "frontend-x86/segmentation.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

constexpr u64 desc(u32 base, u32 limit, u8 access, u8 flags) {
    return (limit & 0xffffull) | (u64(base & 0xffffff) << 16) | (u64(access) << 40) |
           (u64((limit >> 16) & 0xf) << 48) | (u64(flags & 0xf) << 52) | (u64(base >> 24) << 56);
}
// 32-bit interrupt (0x8e) / trap (0x8f) gate, DPL in access bits 6:5.
constexpr u64 gate32(u16 sel, u32 off, u8 access) {
    return (off & 0xffff) | (u64(sel) << 16) | (u64(access) << 40) | (u64(off >> 16) << 48);
}

template <typename F>
GuestFault fault_of(F&& f) {
    try {
        f();
    } catch (const GuestFault& g) {
        return g;
    }
    return GuestFault{0xff, false, 0};
}

struct Machine : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    static constexpr u64 kGdt = 0x20000, kIdt = 0x21000, kTss = 0x22000;  // clear of flat_cpu.h's tables
    u8* ram() { return host.ram(); }
    void put64(u64 a, u64 v) { std::memcpy(ram() + a, &v, 8); }
    void put32(u64 a, u32 v) { std::memcpy(ram() + a, &v, 4); }
    u32 get32(u64 a) { u32 v; std::memcpy(&v, ram() + a, 4); return v; }
    u64 get64(u64 a) { u64 v; std::memcpy(&v, ram() + a, 8); return v; }

    // Flat 32-bit protected mode with ring-0/ring-3 code and data, a 32-bit TSS, an IDT.
    void protected_mode() {
        test::make_flat_protected_mode(c, host);
        c.gdtr = {kGdt, 0x7f};
        c.idtr = {kIdt, 256 * 8 - 1};
        put64(kGdt + 0x08, desc(0, 0xfffff, 0x9b, 0xc));
        put64(kGdt + 0x10, desc(0, 0xfffff, 0x93, 0xc));
        put64(kGdt + 0x18, desc(0, 0xfffff, 0xfb, 0xc));
        put64(kGdt + 0x20, desc(0, 0xfffff, 0xf3, 0xc));
        put64(kGdt + 0x28, desc(kTss, 0x67, 0x8b, 0));  // busy 32-bit TSS
        segment_from_descriptor(c.tr, 0x28, get64(kGdt + 0x28));
        put32(kTss + 4, 0x90000);  // ESP0
        put32(kTss + 8, 0x10);     // SS0
        c.gpr[RSP] = 0x80000;
    }
    void to_ring3() {
        load_cs(c, 0x1b, get64(kGdt + 0x18), 3);
        segment_from_descriptor(c.seg[SS], 0x23, get64(kGdt + 0x20));
        update_mode(c);
    }
};

TEST_F(Machine, RealModeIvt) {
    c.host = &host;
    cpu_reset(c);
    put32(0x21 * 4, 0x12345678);  // 1234:5678
    c.gpr[RSP] = 0x7000;
    c.eflags |= IF;
    deliver_event(c, 0x21, EventKind::SoftwareInt, false, 0, 0x100);
    EXPECT_EQ(c.rip, 0x5678u);
    EXPECT_EQ(c.seg[CS].sel, 0x1234);
    EXPECT_EQ(c.seg[CS].base, 0x12340u);
    EXPECT_EQ(c.gpr[RSP], 0x6ffau);
    EXPECT_EQ(get32(0x6ffa) & 0xffff, 0x100u);          // IP
    EXPECT_EQ(get32(0x6ffa) >> 16, 0xf000u);            // CS
    EXPECT_TRUE(get32(0x6ffe) & IF);                    // FLAGS image (IF as it was)
    EXPECT_FALSE(c.eflags & IF);
}

TEST_F(Machine, SamePrivilegeInterruptGate) {
    protected_mode();
    put64(kIdt + 0x30 * 8, gate32(0x08, 0x5000, 0x8e));
    c.eflags |= IF | TF;
    deliver_event(c, 0x30, EventKind::SoftwareInt, false, 0, 0x1234);
    EXPECT_EQ(c.rip, 0x5000u);
    EXPECT_EQ(c.gpr[RSP], 0x80000u - 12);
    EXPECT_EQ(get32(0x80000 - 12), 0x1234u);  // EIP
    EXPECT_EQ(get32(0x80000 - 8), 0x08u);     // CS
    EXPECT_TRUE(get32(0x80000 - 4) & IF);
    EXPECT_FALSE(c.eflags & (IF | TF));
    // A trap gate keeps IF.
    put64(kIdt + 0x31 * 8, gate32(0x08, 0x6000, 0x8f));
    c.eflags |= IF;
    deliver_event(c, 0x31, EventKind::SoftwareInt, false, 0, 0x1234);
    EXPECT_TRUE(c.eflags & IF);
}

TEST_F(Machine, PrivilegeChangeSwitchesToTssStack) {
    protected_mode();
    put64(kIdt + 13 * 8, gate32(0x08, 0x5000, 0x8e));
    to_ring3();
    c.gpr[RSP] = 0x70000;
    c.rip = 0x4321;
    deliver_fault(c, GuestFault{GP, true, 0x28});
    EXPECT_EQ(c.cpl, 0);
    EXPECT_EQ(c.seg[SS].sel, 0x10);
    EXPECT_EQ(c.gpr[RSP], 0x90000u - 24);
    EXPECT_EQ(get32(0x90000 - 24), 0x28u);     // error code
    EXPECT_EQ(get32(0x90000 - 20), 0x4321u);   // EIP: the faulting instruction
    EXPECT_EQ(get32(0x90000 - 16), 0x1bu);     // CS
    EXPECT_TRUE(get32(0x90000 - 12) & RF);     // a fault sets RF in the image (17.3.1.1)
    EXPECT_EQ(get32(0x90000 - 8), 0x70000u);   // ESP
    EXPECT_EQ(get32(0x90000 - 4), 0x23u);      // SS
}

TEST_F(Machine, SoftwareInterruptChecks) {
    protected_mode();
    put64(kIdt + 0x40 * 8, gate32(0x08, 0x5000, 0x8e));  // DPL 0
    to_ring3();
    // INT n needs CPL <= DPL: #GP(vector*8+2), thrown to the instruction.
    GuestFault f = fault_of([&] { deliver_event(c, 0x40, EventKind::SoftwareInt, false, 0, 0); });
    EXPECT_EQ(f.vector, GP);
    EXPECT_EQ(f.error, 0x40u * 8 + 2);
    // INT1 has no DPL check.
    put64(kIdt + 1 * 8, gate32(0x08, 0x5000, 0x8e));
    deliver_event(c, DB, EventKind::Int1, false, 0, 0);
    EXPECT_EQ(c.cpl, 0);
    // Beyond the IDT limit and not present.
    c.idtr.limit = 0x50 * 8 - 1;
    f = fault_of([&] { deliver_event(c, 0x60, EventKind::SoftwareInt, false, 0, 0); });
    EXPECT_EQ(f.error, 0x60u * 8 + 2);
    put64(kIdt + 0x41 * 8, gate32(0x08, 0x5000, 0x0e));
    f = fault_of([&] { deliver_event(c, 0x41, EventKind::SoftwareInt, false, 0, 0); });
    EXPECT_EQ(f.vector, NP);
    EXPECT_EQ(f.error, 0x41u * 8 + 2);
}

TEST_F(Machine, ContributoryDuringContributoryIsDoubleFault) {
    protected_mode();
    put64(kIdt + 8 * 8, gate32(0x08, 0x8000, 0x8e));
    put64(kIdt + 13 * 8, gate32(0x08, 0x5000, 0x0e));  // #GP gate not present -> #NP
    deliver_fault(c, GuestFault{GP, true, 0x100});
    EXPECT_EQ(c.rip, 0x8000u);
    EXPECT_EQ(get32(c.gpr[RSP]), 0u);  // #DF error code 0
}

TEST_F(Machine, BenignThenContributoryIsSerial) {
    protected_mode();
    put64(kIdt + 11 * 8, gate32(0x08, 0x7000, 0x8e));
    put64(kIdt + 6 * 8, gate32(0x08, 0x5000, 0x0e));  // #UD gate not present
    deliver_fault(c, GuestFault{UD, false, 0});
    EXPECT_EQ(c.rip, 0x7000u);
    EXPECT_EQ(get32(c.gpr[RSP]), 6u * 8 + 2 + 1);  // #NP(IDT, EXT)
}

TEST_F(Machine, FaultWhileDeliveringDoubleFaultShutsDown) {
    protected_mode();
    put64(kIdt + 13 * 8, gate32(0x08, 0x5000, 0x0e));
    put64(kIdt + 8 * 8, gate32(0x08, 0x8000, 0x0e));
    c.rip = 0x1111;
    deliver_fault(c, GuestFault{GP, true, 0});
    EXPECT_EQ(host.shutdowns, 1);
    EXPECT_EQ(c.rip, 0x1111u);  // registers left as they were
    EXPECT_TRUE(c.halted);      // shutdown: no more instructions until the reset
}

TEST_F(Machine, LongModeIstAndAlignment) {
    test::make_flat_long_mode(c, host);
    c.gdtr = {kGdt, 0x7f};
    c.idtr = {kIdt, 256 * 16 - 1};
    put64(kGdt + 0x08, desc(0, 0xfffff, 0x9b, 0xa));  // 64-bit code
    put64(kGdt + 0x18, desc(0, 0xfffff, 0xfb, 0xa));  // ring-3 64-bit code
    put64(kGdt + 0x20, desc(0, 0xfffff, 0xf3, 0xc));
    c.tr.base = kTss;
    c.tr.limit = 0x67;
    c.tr.attr = SEG_ATTR_P | 0xb;
    put64(kTss + 4, 0x90000);    // RSP0
    put64(kTss + 0x24, 0xa0008); // IST1 (misaligned on purpose)
    // Vector 3: interrupt gate, DPL 3, IST1; vector 0x80: DPL 3, no IST.
    auto gate64 = [&](u8 v, u64 off, u8 access, u8 ist) {
        put64(kIdt + v * 16, (off & 0xffff) | (u64(0x08) << 16) | (u64(ist) << 32) | (u64(access) << 40) |
                                 (((off >> 16) & 0xffff) << 48));
        put64(kIdt + v * 16 + 8, off >> 32);
    };
    gate64(3, 0x5000, 0xee, 1);
    gate64(0x80, 0x6000, 0xee, 0);
    c.gpr[RSP] = 0x80008;
    deliver_event(c, BP, EventKind::SoftwareException, false, 0, 0x1000);
    EXPECT_EQ(c.gpr[RSP], 0xa0000u - 40);  // IST, aligned down to 16, 5 qwords
    EXPECT_EQ(get64(0xa0000 - 8), 0x10u);      // SS
    EXPECT_EQ(get64(0xa0000 - 16), 0x80008u);  // old RSP
    EXPECT_EQ(get64(0xa0000 - 40), 0x1000u);   // RIP
    // From ring 3: RSP0, SS becomes null with RPL 0.
    load_cs(c, 0x1b, get64(kGdt + 0x18), 3);
    segment_from_descriptor(c.seg[SS], 0x23, get64(kGdt + 0x20));
    update_mode(c);
    ASSERT_TRUE(c.long64);
    c.gpr[RSP] = 0x70000;
    deliver_event(c, 0x80, EventKind::SoftwareInt, false, 0, 0x2000);
    EXPECT_EQ(c.cpl, 0);
    EXPECT_EQ(c.seg[SS].sel, 0);
    EXPECT_EQ(c.gpr[RSP], 0x90000u - 40);
    EXPECT_EQ(get64(0x90000 - 8), 0x23u);
    EXPECT_EQ(get64(0x90000 - 32), 0x1bu);
}

}  // namespace
