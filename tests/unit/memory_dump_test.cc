// The monitor's x and xp (softmmu/memory_dump.h, monitor_cmds.cc): QEMU 7.2's formats and
// line layout (outputs checked by hand against qemu-system-x86_64 -M q35 `xp` on the same
// bytes), the remembered format/size, expressions ($pc, arithmetic), and x through paging.
#include <gtest/gtest.h>

#include <cstring>
#include "frontend-x86/mem_access.h"
#include "frontend-x86/paging.h"
#include "softmmu/machine.h"
#include "softmmu/memory_dump.h"
#include "softmmu/monitor.h"

using namespace vireo;

namespace {

class NullTerm : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

class MemoryDumpTest : public ::testing::Test {
protected:
    MemoryDumpTest() : cfg([] { VmConfig v; v.ram_size = 1 << 20; return v; }()), m(cfg) {
        mon = create_monitor(m, &term);
        // The bytes at QEMU's 0xffff0 (SeaBIOS's reset vector and build date) at 0x1000.
        const u8 bytes[] = {0xea, 0x5b, 0xe0, 0x00, 0xf0, 0x30, 0x36, 0x2f, 0x32, 0x33, 0x2f, 0x39, 0x39, 0x00, 0xfc, 0x00};
        std::memcpy(m.ram() + 0x1000, bytes, sizeof bytes);
        std::memcpy(m.ram() + 0x1010, "a'\\\n", 4);
    }
    VmConfig cfg;
    Machine m;
    NullTerm term;
    Monitor* mon;
};

TEST_F(MemoryDumpTest, XpFormatsAsQemu) {
    EXPECT_EQ(mon->execute("xp /4xw 0x1000"), "0000000000001000: 0x00e05bea 0x2f3630f0 0x392f3332 0x00fc0039\n");
    EXPECT_EQ(mon->execute("xp /3xb 0x1000"), "0000000000001000: 0xea 0x5b 0xe0\n");
    EXPECT_EQ(mon->execute("xp /2xg 0x1000"), "0000000000001000: 0x2f3630f000e05bea 0x00fc0039392f3332\n");
    // d is not sign-extended below 8 bytes (QEMU prints the unit's unsigned value).
    EXPECT_EQ(mon->execute("xp /5dh 0x1000"), "0000000000001000: 23530   224 12528 12086 13106\n");
    EXPECT_EQ(mon->execute("xp /3ub 0x1000"), "0000000000001000: 234  91 224\n");
    EXPECT_EQ(mon->execute("xp /3oh 0x1000"), "0000000000001000: 055752   0340 030360\n");
    // 8-byte d is signed, 20 columns wide (QEMU: DIV_ROUND_UP(64 * 10, 33)).
    EXPECT_EQ(mon->execute("xp /1dg 0x1000"), "0000000000001000:  3401960375889976298\n");
    EXPECT_EQ(mon->execute("xp /1dg 0x1008"), "0000000000001008:    70931939903615794\n");
    // Byte units: 8 a line; larger: 16 bytes a line.
    EXPECT_EQ(mon->execute("xp /10xb 0x1000"),
              "0000000000001000: 0xea 0x5b 0xe0 0x00 0xf0 0x30 0x36 0x2f\n0000000000001008: 0x32 0x33\n");
    EXPECT_EQ(mon->execute("xp /5xw 0x1000"),
              "0000000000001000: 0x00e05bea 0x2f3630f0 0x392f3332 0x00fc0039\n0000000000001010: 0x0a5c2761\n");
}

TEST_F(MemoryDumpTest, CharactersAreQuotedAsQemu) {
    EXPECT_EQ(mon->execute("xp /5cb 0x1000"), "0000000000001000: '\\xea' '[' '\\xe0' '\\x00' '\\xf0'\n");
    EXPECT_EQ(mon->execute("xp /4c 0x1010"), "0000000000001010: 'a' '\\'' '\\\\' '\\n'\n");
}

TEST_F(MemoryDumpTest, FormatAndSizeCarryOver) {
    // QEMU's default_fmt_format/size: what a command leaves out is the last one given.
    EXPECT_EQ(mon->execute("xp 0x1000"), "0000000000001000: 0x00e05bea\n");  // initially x, w
    mon->execute("xp /dh 0x1000");
    EXPECT_EQ(mon->execute("xp /2 0x1000"), "0000000000001000: 23530   224\n");
    EXPECT_EQ(mon->execute("xp /x 0x1000"), "0000000000001000: 0x5bea\n");
    // 'c' shows every byte of count units of the remembered size (QEMU's len = size * count).
    EXPECT_EQ(mon->execute("xp /2c 0x1000"), "0000000000001000: '\\xea' '[' '\\xe0' '\\x00'\n");
}

TEST_F(MemoryDumpTest, ErrorsAndExpressions) {
    EXPECT_EQ(mon->execute("xp /4q 0x1000"), "invalid char in format: 'q'\n");
    EXPECT_EQ(mon->execute("xp /1xb 0x800+0x800"), "0000000000001000: 0xea\n");
    EXPECT_EQ(mon->execute("xp /1xb 4096"), "0000000000001000: 0xea\n");  // decimal, as QEMU
    EXPECT_EQ(mon->execute("xp /1xb (0x2000 - 0x800) & ~0xfff"), "0000000000001000: 0xea\n");
    EXPECT_EQ(mon->execute("xp /1xb 0x1000 zz"), "invalid char in expression\n");
    // Outside RAM/ROM: QEMU's message at the line that cannot be read.
    EXPECT_EQ(mon->execute("xp /2xg 0xfffffff0"), "00000000fffffff0: Cannot access memory\n");
    EXPECT_EQ(mon->execute("x /1xb 0x1000"), "Can not dump without CPU\n");
}

TEST_F(MemoryDumpTest, VirtualThroughTheCurrentCpu) {
    x86::CpuState& c = m.add_cpu({});
    // Real mode: linear = physical; $pc is CS base + IP.
    c.seg[x86::CS].base = 0x1000;
    c.rip = 0;
    EXPECT_EQ(mon->execute("x /2xb $pc"), "0000000000001000: 0xea 0x5b\n");
    c.gpr[x86::RBX] = 0xfff;
    EXPECT_EQ(mon->execute("x /1xb $rbx+1"), "0000000000001000: 0xea\n");
    EXPECT_EQ(mon->execute("x /1xb $nosuch"), "unknown register\n");
    // 32-bit paging (SDM Vol. 3A 4.3): PD at 0x10000, PT at 0x11000; linear 0x400000 -> 0x1000.
    auto put32 = [&](u64 pa, u32 v) { std::memcpy(m.ram() + pa, &v, 4); };
    put32(0x10000 + 1 * 4, 0x11000 | 3);  // PDE 1 covers 0x400000-0x7fffff
    put32(0x11000 + 0 * 4, 0x1000 | 3);
    c.cr3 = 0x10000;
    c.cr0 |= x86::CR0_PE | x86::CR0_PG;
    x86::update_mode(c);
    x86::tlb_flush_all(c);
    EXPECT_EQ(mon->execute("x /2xb 0x400000"), "0000000000400000: 0xea 0x5b\n");
    EXPECT_EQ(mon->execute("x /1xb 0x800000"), "0000000000800000: Cannot access memory\n");
    // xp stays physical.
    EXPECT_EQ(mon->execute("xp /1xb 0x1000"), "0000000000001000: 0xea\n");
}

TEST(MemoryDumpFormat, ParsesQemuLetters) {
    DumpDefaults d;
    DumpFormat f;
    std::string err;
    std::string_view s = "/16xg 0x10";
    ASSERT_TRUE(parse_dump_format(s, d, f, err));
    EXPECT_EQ(f.count, 16u);
    EXPECT_EQ(f.format, 'x');
    EXPECT_EQ(f.size, 8u);
    EXPECT_EQ(s, "0x10");
    s = "/L 0";  // L is g
    ASSERT_TRUE(parse_dump_format(s, d, f, err));
    EXPECT_EQ(f.size, 8u);
    s = "/i 0";  // i without a size keeps the default size
    ASSERT_TRUE(parse_dump_format(s, d, f, err));
    EXPECT_EQ(d.size, 8u);
    EXPECT_EQ(d.format, 'i');
}

}  // namespace
