// Debugger watchpoints see implicit accesses too (frontend-x86/mem_access.h sys_read/sys_write):
// an exception's frame written to the stack (StackFrame with the new CPL's rights) and the IDT
// gate read are reported to
// CpuHost::debug_access while a debugger watches memory (CpuState::debug_watch), and not
// otherwise, as QEMU's watchpoints catch every access of the CPU.
#include <gtest/gtest.h>
#include <cstring>
#include <vector>

#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

struct RecordingHost : FlatRamHost {
    RecordingHost() : FlatRamHost(4 << 20) {}
    struct Access {
        u64 lin;
        unsigned size;
        bool write;
    };
    std::vector<Access> seen;
    void debug_access(u64 lin, unsigned size, bool write) override { seen.push_back({lin, size, write}); }
    bool touched(u64 lo, u64 hi, bool write) const {
        for (const Access& a : seen)
            if (a.write == write && a.lin < hi && a.lin + a.size > lo) return true;
        return false;
    }
};

void run_ud2(RecordingHost& host, bool watch) {
    CpuState c;
    test::make_flat_long_mode(c, host);
    jit::BlockCache cache;
    jit::Tier0Engine eng(c, cache, host.tracker());
    jit::BreakpointSet none;
    eng.set_debug(&none, watch);
    const u8 code[] = {0x0F, 0x0B};  // ud2
    std::memcpy(host.ram() + 0x10000, code, sizeof code);
    c.rip = 0x10000;
    c.gpr[RSP] = 0x20000;
    while (eng.run(100) != jit::RunExit::Halted) {}
    ASSERT_EQ(test::fault_vector(c), UD);
}

TEST(ImplicitWatch, EventDeliveryIsSeenWhileWatching) {
    RecordingHost host;
    run_ud2(host, true);
    // The 64-bit #UD frame: SS, RSP, RFLAGS, CS, RIP below the (16-byte aligned) old RSP.
    EXPECT_TRUE(host.touched(0x20000 - 40, 0x20000, true));
    EXPECT_TRUE(host.touched(test::kIdt + 16 * UD, test::kIdt + 16 * UD + 16, false));  // the gate
}

TEST(ImplicitWatch, NothingReportedWithoutADebugger) {
    RecordingHost host;
    run_ud2(host, false);
    EXPECT_TRUE(host.seen.empty());
}

}  // namespace
