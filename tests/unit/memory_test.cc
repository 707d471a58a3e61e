// Memory API: regions, priorities, aliases, MMIO access sizes, DMA bounds (softmmu/memory.h).
#include <gtest/gtest.h>

#include "softmmu/memory.h"

using namespace vireo;

namespace {

struct Recorder {
    std::vector<std::tuple<char, u64, u64, unsigned>> log;  // (r/w, offset, value, size)
    MemoryOps ops(unsigned min = 1, unsigned max = 8) {
        MemoryOps o;
        o.read = [this](u64 off, unsigned size) -> u64 {
            log.emplace_back('r', off, 0, size);
            return 0x1122334455667788ull >> (8 * (8 - size)) & ((size == 8) ? ~0ull : ((1ull << (8 * size)) - 1));
        };
        o.write = [this](u64 off, u64 v, unsigned size) { log.emplace_back('w', off, v, size); };
        o.min_access = min;
        o.max_access = max;
        return o;
    }
};

TEST(Memory, RamReadWriteAndUnassigned) {
    auto root = MemoryRegion::container("root", 0);
    auto ram = MemoryRegion::ram("ram", 0x10000);
    root->add_subregion(ram.get(), 0x1000);
    AddressSpace as("mem", root.get(), 0);
    as.write(0x1000, 0xdeadbeef, 4);
    EXPECT_EQ(as.read(0x1000, 4), 0xdeadbeefu);
    EXPECT_EQ(ram->host()[0], 0xef);
    EXPECT_EQ(as.read(0x0, 4), 0u);          // unassigned memory reads 0 (as QEMU)
    EXPECT_EQ(as.read(0x11000, 2), 0u);      // past the end
    AddressSpace io("io", root.get(), ~0ull);
    EXPECT_EQ(io.read(0x0, 1), 0xffu);       // unassigned ports read all-ones
}

TEST(Memory, PriorityDecidesOverlap) {
    auto root = MemoryRegion::container("root", 0);
    auto low = MemoryRegion::ram("low", 0x4000);
    auto high = MemoryRegion::ram("high", 0x1000);
    root->add_subregion(low.get(), 0, 0);
    root->add_subregion(high.get(), 0x1000, 1);
    AddressSpace as("mem", root.get(), 0);
    as.write(0x1800, 0xaa, 1);
    EXPECT_EQ(high->host()[0x800], 0xaa);
    EXPECT_EQ(low->host()[0x1800], 0x00);
    high->set_enabled(false);  // the lower region shows through once the upper is disabled
    as.write(0x1800, 0xbb, 1);
    EXPECT_EQ(low->host()[0x1800], 0xbb);
}

TEST(Memory, AliasShowsTargetAtOffset) {
    auto root = MemoryRegion::container("root", 0);
    auto ram = MemoryRegion::ram("ram", 0x10000);
    auto alias = MemoryRegion::alias("alias", ram.get(), 0x2000, 0x1000);
    root->add_subregion(ram.get(), 0);
    root->add_subregion(alias.get(), 0x100000);
    AddressSpace as("mem", root.get(), 0);
    as.write(0x2010, 0x5a, 1);
    EXPECT_EQ(as.read(0x100010, 1), 0x5au);
    EXPECT_EQ(as.read(0x101000, 1), 0u);  // beyond the alias' size
}

TEST(Memory, MmioAccessSizesAreSplitOrWidened) {
    Recorder rec;
    auto root = MemoryRegion::container("root", 0);
    auto dev = MemoryRegion::io("dev", 0x100, rec.ops(4, 4));
    root->add_subregion(dev.get(), 0x5000);
    AddressSpace as("mem", root.get(), 0);
    as.write(0x5008, 0x1122334455667788ull, 8);  // 8-byte access on a 4-byte-only device
    ASSERT_EQ(rec.log.size(), 2u);
    EXPECT_EQ(std::get<1>(rec.log[0]), 8u);
    EXPECT_EQ(std::get<2>(rec.log[0]), 0x55667788u);
    EXPECT_EQ(std::get<1>(rec.log[1]), 12u);
    EXPECT_EQ(std::get<2>(rec.log[1]), 0x11223344u);
    rec.log.clear();
    as.read(0x5002, 1);  // 1-byte read widened to the aligned 4-byte unit
    ASSERT_EQ(rec.log.size(), 1u);
    EXPECT_EQ(std::get<1>(rec.log[0]), 0u);
    EXPECT_EQ(std::get<3>(rec.log[0]), 4u);
}

TEST(Memory, RomIgnoresWritesAndDmaIsBoundsChecked) {
    auto root = MemoryRegion::container("root", 0);
    auto rom = MemoryRegion::rom("rom", 0x1000);
    auto ram = MemoryRegion::ram("ram", 0x1000);
    root->add_subregion(rom.get(), 0xf000);
    root->add_subregion(ram.get(), 0x0);
    AddressSpace as("mem", root.get(), 0);
    rom->host()[0] = 0x42;
    as.write(0xf000, 0x99, 1);
    EXPECT_EQ(as.read(0xf000, 1), 0x42u);
    u8 buf[16] = {};
    EXPECT_TRUE(as.dma_read(0xff0, buf, 16));
    EXPECT_FALSE(as.dma_read(0xff8, buf, 16));  // runs into unassigned space at 0x1000
    std::vector<std::pair<u64, u64>> writes;
    as.write_hook = [&](u64 a, u64 l) { writes.push_back({a, l}); };
    u8 data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_TRUE(as.dma_write(0x10, data, 8));
    ASSERT_EQ(writes.size(), 1u);  // DMA writes are reported (self-modifying code tracking)
    EXPECT_EQ(writes[0], std::make_pair(u64{0x10}, u64{8}));
    EXPECT_FALSE(as.dma_write(0x2000, data, 8));
}

TEST(Memory, TwoMachinesWorthOfRegionsAreIndependent) {
    // No globals: two independent trees render independently.
    auto r1 = MemoryRegion::container("a", 0), r2 = MemoryRegion::container("b", 0);
    auto m1 = MemoryRegion::ram("m1", 0x1000), m2 = MemoryRegion::ram("m2", 0x1000);
    r1->add_subregion(m1.get(), 0);
    r2->add_subregion(m2.get(), 0);
    AddressSpace a("a", r1.get(), 0), b("b", r2.get(), 0);
    a.write(0, 1, 1);
    b.write(0, 2, 1);
    EXPECT_EQ(a.read(0, 1), 1u);
    EXPECT_EQ(b.read(0, 1), 2u);
}

}  // namespace
