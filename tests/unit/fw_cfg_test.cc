// fw_cfg (hw/nvram/fw_cfg.h) driven through its I/O ports the way SeaBIOS (src/fw/paravirt.c)
// does. Expectations cite QEMU docs/specs/fw_cfg.rst by section name.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "hw/nvram/fw_cfg.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

constexpr u64 kRamSize = 1 << 20;

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = kRamSize; return v; }();
    return c;
}

std::vector<u8> pattern(size_t n, u8 seed) {
    std::vector<u8> v(n);
    for (size_t i = 0; i < n; i++) v[i] = static_cast<u8>(seed + i * 7);
    return v;
}

class FwCfgTest : public ::testing::Test {
protected:
    FwCfgTest() : m(small_cfg()) {
        fw = static_cast<FwCfg*>(m.add_device(std::make_unique<FwCfg>(m.memory())));
        fw->realize(m);
        fw->reset();
    }
    void select(u16 key) { m.io().write(0x510, key, 2); }
    u8 inb(u16 port) { return static_cast<u8>(m.io().read(port, 1)); }
    std::vector<u8> read_port(size_t n) {
        std::vector<u8> v(n);
        for (auto& b : v) b = inb(0x511);
        return v;
    }
    u32 be32_at(u64 addr) { return __builtin_bswap32(static_cast<u32>(m.memory().read(addr, 4))); }
    // "DMA interface": store the descriptor (big-endian) at `at` and start it the way SeaBIOS
    // does: outl(cpu_to_be32(high), 0x514); outl(cpu_to_be32(low), 0x518). Returns control.
    u32 dma(u64 at, u32 control, u32 length, u64 address) {
        u8 d[16];
        for (int i = 0; i < 4; i++) d[i] = u8(control >> (24 - 8 * i));
        for (int i = 0; i < 4; i++) d[4 + i] = u8(length >> (24 - 8 * i));
        for (int i = 0; i < 8; i++) d[8 + i] = u8(address >> (56 - 8 * i));
        m.memory().dma_write(at, d, sizeof d);
        kick(at);
        return be32_at(at);
    }
    void kick(u64 at) {
        m.io().write(0x514, __builtin_bswap32(static_cast<u32>(at >> 32)), 4);
        m.io().write(0x518, __builtin_bswap32(static_cast<u32>(at)), 4);
    }
    std::vector<u8> ram(u64 addr, size_t n) {
        std::vector<u8> v(n);
        m.memory().dma_read(addr, v.data(), n);
        return v;
    }

    Machine m;
    FwCfg* fw;
};

TEST_F(FwCfgTest, SignatureAndIdThroughThePorts) {
    // "Signature" and "Revision / feature bitmap": "QEMU", then ID = traditional | DMA.
    select(fw_cfg_key::kSignature);
    EXPECT_EQ(read_port(4), (std::vector<u8>{'Q', 'E', 'M', 'U'}));
    select(fw_cfg_key::kId);
    EXPECT_EQ(read_port(4), (std::vector<u8>{3, 0, 0, 0}));
    // Reset selects key 0, as QEMU's fw_cfg_reset does.
    fw->reset();
    EXPECT_EQ(inb(0x511), 'Q');
}

TEST_F(FwCfgTest, DmaRegisterReadsQemuCfg) {
    // "DMA interface": the address register reads back "QEMU CFG" (0x51454d5520434647, BE).
    std::string sig;
    for (u16 p = 0x514; p < 0x51c; p++) sig += static_cast<char>(inb(p));
    EXPECT_EQ(sig, "QEMU CFG");
    EXPECT_EQ(m.io().read(0x514, 4), 0x554d4551u);  // inl sees the same bytes in memory order
}

TEST_F(FwCfgTest, DirectoryIsSortedAndDescribesEachFile) {
    const u16 kz = fw->add_file("etc/zzz", pattern(5, 1));
    const u16 kb = fw->add_file("bootorder", pattern(300, 2));
    const u16 ka = fw->add_file("etc/acpi/tables", pattern(17, 3));
    EXPECT_EQ(kz, 0x20);
    EXPECT_EQ(kb, 0x21);
    EXPECT_EQ(ka, 0x22);
    // "File Directory": be32 count, then {be32 size, be16 select, u16 reserved, char name[56]}.
    select(fw_cfg_key::kFileDir);
    auto count = read_port(4);
    EXPECT_EQ(count, (std::vector<u8>{0, 0, 0, 3}));
    struct Want { const char* name; u32 size; u16 key; };
    const Want want[] = {{"bootorder", 300, kb}, {"etc/acpi/tables", 17, ka}, {"etc/zzz", 5, kz}};
    for (const Want& w : want) {
        auto e = read_port(64);
        EXPECT_EQ(u32(e[0]) << 24 | u32(e[1]) << 16 | u32(e[2]) << 8 | e[3], w.size) << w.name;
        EXPECT_EQ(u16(e[4] << 8 | e[5]), w.key) << w.name;
        EXPECT_EQ(e[6], 0);
        EXPECT_EQ(e[7], 0);
        EXPECT_STREQ(reinterpret_cast<const char*>(&e[8]), w.name);
        EXPECT_EQ(e[63], 0);
    }
    EXPECT_EQ(inb(0x511), 0);  // past the end of the directory
}

TEST_F(FwCfgTest, FileNamesAreChecked) {
    fw->add_file("etc/e820", {1});
    EXPECT_THROW(fw->add_file("etc/e820", {2}), std::invalid_argument);
    EXPECT_THROW(fw->add_file(std::string(56, 'x'), {}), std::invalid_argument);
    EXPECT_NO_THROW(fw->add_file(std::string(55, 'x'), {}));
    fw->modify_file("etc/e820", {7, 8});
    EXPECT_EQ(*fw->file("etc/e820"), (std::vector<u8>{7, 8}));
    EXPECT_EQ(fw->file("nope"), nullptr);
}

TEST_F(FwCfgTest, FileReadThroughPortsThenZerosPastTheEnd) {
    const auto data = pattern(10, 0x40);
    const u16 key = fw->add_file("etc/boot-fail-wait", data);
    select(key);
    EXPECT_EQ(read_port(10), data);
    // "Data Register": reads past the end return 0.
    EXPECT_EQ(read_port(3), (std::vector<u8>{0, 0, 0}));
    // Selecting again rewinds.
    select(key);
    EXPECT_EQ(inb(0x511), data[0]);
    // An absent key reads 0; so does a byte write to the data port change nothing.
    select(0x1234);
    EXPECT_EQ(inb(0x511), 0);
    select(key);
    m.io().write(0x511, 0x99, 1);
    EXPECT_EQ(inb(0x511), data[0]);
}

TEST_F(FwCfgTest, LittleEndianHelpers) {
    fw->add_u16(fw_cfg_key::kBootMenu, 0x0102);
    fw->add_u32(fw_cfg_key::kNbCpus, 0x03040506);
    fw->add_u64(fw_cfg_key::kRamSize, 0x0708090a0b0c0d0eull);
    select(fw_cfg_key::kBootMenu);
    EXPECT_EQ(read_port(2), (std::vector<u8>{2, 1}));
    select(fw_cfg_key::kNbCpus);
    EXPECT_EQ(read_port(4), (std::vector<u8>{6, 5, 4, 3}));
    select(fw_cfg_key::kRamSize);
    EXPECT_EQ(read_port(8), (std::vector<u8>{0xe, 0xd, 0xc, 0xb, 0xa, 9, 8, 7}));
    // x86 arch keys live beside the generic ones.
    fw->add_u16(fw_cfg_key::kIrq0Override, 1);
    select(fw_cfg_key::kIrq0Override);
    EXPECT_EQ(inb(0x511), 1);
}

TEST_F(FwCfgTest, DmaSelectAndRead) {
    const auto data = pattern(100, 9);
    const u16 key = fw->add_file("genroms/linuxboot_dma.bin", data);
    const u32 ctl = dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 100, 0x2000);
    EXPECT_EQ(ctl, 0u);  // control is written back as 0 on success
    EXPECT_EQ(ram(0x2000, 100), data);
    EXPECT_EQ(fw->selector(), key);
    EXPECT_EQ(fw->offset(), 100u);
}

TEST_F(FwCfgTest, DmaSkipSharesTheOffsetWithThePort) {
    const auto data = pattern(64, 0x11);
    const u16 key = fw->add_file("etc/table-loader", data);
    select(key);
    EXPECT_EQ(inb(0x511), data[0]);  // port read: offset 1
    EXPECT_EQ(dma(0x1000, FwCfg::kDmaSkip, 9, 0), 0u);  // offset 10
    EXPECT_EQ(dma(0x1000, FwCfg::kDmaRead, 4, 0x3000), 0u);
    EXPECT_EQ(ram(0x3000, 4), std::vector<u8>(data.begin() + 10, data.begin() + 14));
    EXPECT_EQ(inb(0x511), data[14]);  // and the port continues where DMA stopped
}

TEST_F(FwCfgTest, DmaReadPastTheEndZeroFills) {
    const auto data = pattern(6, 0x70);
    const u16 key = fw->add_file("etc/e820", data);
    const std::vector<u8> junk(20, 0xaa);
    m.memory().dma_write(0x4000, junk.data(), junk.size());
    EXPECT_EQ(dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 16, 0x4000), 0u);
    auto got = ram(0x4000, 20);
    EXPECT_EQ(std::vector<u8>(got.begin(), got.begin() + 6), data);
    EXPECT_EQ(std::vector<u8>(got.begin() + 6, got.begin() + 16), std::vector<u8>(10, 0));
    EXPECT_EQ(std::vector<u8>(got.begin() + 16, got.end()), std::vector<u8>(4, 0xaa));  // untouched
    // A select-only descriptor (no read/skip/write) just selects.
    EXPECT_EQ(dma(0x1000, u32(fw_cfg_key::kSignature) << 16 | FwCfg::kDmaSelect, 99, 0), 0u);
    EXPECT_EQ(inb(0x511), 'Q');
}

TEST_F(FwCfgTest, DmaWriteIsRefused) {
    const u16 key = fw->add_file("etc/vmgenid_addr", pattern(8, 0));
    const u32 ctl = dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaWrite, 8, 0x2000);
    EXPECT_EQ(ctl, FwCfg::kDmaError);
    EXPECT_EQ(*fw->file("etc/vmgenid_addr"), pattern(8, 0));
}

TEST_F(FwCfgTest, DmaOutsideRamDoesNotCrash) {
    const auto data = pattern(32, 5);
    const u16 key = fw->add_file("etc/acpi/rsdp", data);
    // Descriptor beyond RAM: nothing to read, the error cannot be stored either; no crash.
    kick(0x40000000ull);
    kick(0xfffffffffffffff0ull);
    // Buffer beyond RAM: error bit.
    EXPECT_EQ(dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 32, 0x80000000ull),
              FwCfg::kDmaError);
    // Buffer straddling the end of RAM, with a huge length: the part in RAM is written, then error.
    EXPECT_EQ(dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 0xffffffffu, kRamSize - 8),
              FwCfg::kDmaError);
    EXPECT_EQ(ram(kRamSize - 8, 8), std::vector<u8>(data.begin(), data.begin() + 8));
    // Zero fill running off the end of RAM too.
    EXPECT_EQ(dma(0x1000, u32(0x3fff) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 0xffffffffu, 0x800),
              FwCfg::kDmaError);
    // The device still works afterwards.
    EXPECT_EQ(dma(0x1000, u32(key) << 16 | FwCfg::kDmaSelect | FwCfg::kDmaRead, 32, 0x2000), 0u);
    EXPECT_EQ(ram(0x2000, 32), data);
}

TEST_F(FwCfgTest, StateSaveRestoreMidRead) {
    const auto data = pattern(40, 0x21);
    const u16 key = fw->add_file("bootorder", data);
    select(key);
    read_port(7);
    StateWriter w;
    fw->describe_state(w);
    // A second machine built the same way (the board re-adds the items), restored mid-read.
    Machine m2(small_cfg());
    auto* fw2 = static_cast<FwCfg*>(m2.add_device(std::make_unique<FwCfg>(m2.memory())));
    fw2->realize(m2);
    fw2->add_file("bootorder", data);
    StateReader r(w.buf);
    fw2->describe_state(r);
    EXPECT_TRUE(r.consumed());
    EXPECT_EQ(static_cast<u8>(m2.io().read(0x511, 1)), data[7]);
    EXPECT_EQ(inb(0x511), data[7]);  // the original continues identically
    EXPECT_EQ(fw2->offset(), 8u);
}

}  // namespace
