// Breakpoint matching of DR0-DR3 under DR7 (frontend-x86/debug_regs.cc, SDM Vol. 3A 17.2.4-5).
#include <gtest/gtest.h>

#include "frontend-x86/debug_regs.h"

using namespace vireo::x86;

namespace {

TEST(DebugRegs, ExecutionBreakpoint) {
    CpuState c;
    c.dr[0] = 0x1000;
    c.dr[7] = 0x401;  // L0, R/W0 = 00 (execute), LEN0 = 00
    EXPECT_EQ(dr_exec_hits(c, 0x1000), 1u);
    EXPECT_EQ(dr_exec_hits(c, 0x1001), 0u);
    EXPECT_FALSE(dr_data_breakpoints_enabled(c));
    c.dr[7] = 0x400;  // disabled
    EXPECT_EQ(dr_exec_hits(c, 0x1000), 0u);
}

TEST(DebugRegs, DataBreakpointLengthAndType) {
    CpuState c;
    c.dr[1] = 0x2002;                                 // aligned down to 0x2000 for LEN 4
    c.dr[7] = 0x400 | (1u << 2) | (1u << 20) | (3u << 22);  // L1, write, 4 bytes
    EXPECT_TRUE(dr_data_breakpoints_enabled(c));
    EXPECT_EQ(dr_data_hits(c, 0x2003, 1, true), 2u);
    EXPECT_EQ(dr_data_hits(c, 0x1ffe, 4, true), 2u);  // overlaps the first bytes
    EXPECT_EQ(dr_data_hits(c, 0x2004, 4, true), 0u);
    EXPECT_EQ(dr_data_hits(c, 0x2000, 4, false), 0u);  // a write breakpoint ignores reads
    c.dr[7] |= 3u << 20;  // R/W1 = 11: reads and writes
    EXPECT_EQ(dr_data_hits(c, 0x2000, 4, false), 2u);
}

}  // namespace
