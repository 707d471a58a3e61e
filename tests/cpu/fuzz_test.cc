// Bad input from the guest: random bytes executed as code, in every mode, never crash the
// host or hang the engine (ARCHITECTURE.md "Errors"). make check runs 100k random blocks;
// VIREO_FUZZ_BLOCKS raises it for make bench.
#include <cstdlib>
#include <gtest/gtest.h>

#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

u64 blocks_to_run() {
    const char* e = std::getenv("VIREO_FUZZ_BLOCKS");
    return e ? std::strtoull(e, nullptr, 0) : 100000;
}

TEST(Fuzz, RandomCodeInLongModeNeverCrashesTheHost) {
    FlatRamHost host(16 << 20);
    CpuState c;
    jit::BlockCache cache;
    host.tracker().on_invalidate = [&](u64 p) { cache.invalidate_page(p); };
    jit::Tier0Engine eng(c, cache, host.tracker());
    u64 seed = 0x9e3779b97f4a7c15ull;
    auto rnd = [&] {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        return seed;
    };
    const u64 total = blocks_to_run();
    u64 round = 0;
    for (; eng.stats().block_execs < total && round < total; round++) {
        cpu_reset(c);
        test::make_flat_long_mode(c, host);  // its IDT sends every vector to a HLT
        u8* code = host.ram() + 0x100000;
        for (int i = 0; i < 512; i += 8) {
            u64 r = rnd();
            std::memcpy(code + i, &r, 8);
        }
        for (int r = 0; r < 16; r++) c.gpr[r] = rnd() & 0xffffff;  // mostly mapped addresses
        c.gpr[RSP] = 0x200000;
        c.rip = 0x100000 + (rnd() & 0x1ff);
        eng.run(64);  // about 16 blocks' worth
        ASSERT_EQ(c.gpr[REG_ZERO], 0u) << "round " << round;
        ASSERT_LE(c.cpl, 3u);
    }
    // The random code really was translated and run: `total` blocks in fewer rounds than that.
    EXPECT_GE(eng.stats().block_execs, total);
    EXPECT_LT(round, total);
}

}  // namespace
