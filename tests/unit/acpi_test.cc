// q35 ACPI tables and the SeaBIOS table-loader script (hw/acpi/acpi_tables.h,
// hw/acpi/table_loader.h). The tables are checked the way a guest sees them: a small executor
// runs etc/table-loader as SeaBIOS's src/fw/romfile_loader.c does (allocate each file at an
// address, patch pointers, fix checksums), then the tables are walked from the RSDP.
// Expectations cite ACPI 6.4 sections.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "hw/acpi/acpi_tables.h"
#include "hw/acpi/table_loader.h"
#include "hw/nvram/fw_cfg.h"
#include "softmmu/memory.h"

using namespace vireo;

namespace {

u64 le(const u8* p, unsigned n) {
    u64 v = 0;
    for (unsigned i = 0; i < n; i++) v |= u64(p[i]) << (8 * i);
    return v;
}
u8 sum8(const u8* p, size_t n) {
    u8 s = 0;
    for (size_t i = 0; i < n; i++) s = static_cast<u8>(s + p[i]);
    return s;
}

// Guest memory after SeaBIOS has run the loader: each file at its own address.
class LoadedTables {
public:
    explicit LoadedTables(const AcpiBlobs& b) {
        files_[kAcpiTablesFile] = {b.tables, 0};
        files_[kAcpiRsdpFile] = {b.rsdp, 0};
        run(b.loader);
    }
    void run(const std::vector<u8>& l) {
        EXPECT_EQ(l.size() % 128, 0u);
        u64 high = 0x07fe0000, fseg = 0xf5a10;  // deliberately unaligned cursors
        for (size_t off = 0; off + 128 <= l.size(); off += 128) {
            const u8* e = l.data() + off;
            const u8* p = e + 4;
            const u32 cmd = static_cast<u32>(le(e, 4));
            switch (cmd) {
            case 1: {  // ALLOCATE
                File& f = file(name(p));
                const u32 align = static_cast<u32>(le(p + 56, 4));
                const u8 zone = p[60];
                ASSERT_TRUE(align && !(align & (align - 1)));
                ASSERT_TRUE(zone == 1 || zone == 2);
                ASSERT_EQ(f.addr, 0u) << "allocated twice";
                u64& cur = zone == 2 ? fseg : high;
                cur = (cur + align - 1) & ~u64(align - 1);
                f.addr = cur;
                cur += f.data.size();
                zones[name(p)] = zone;
                aligns[name(p)] = align;
                break;
            }
            case 2: {  // ADD_POINTER
                File& dst = file(name(p));
                File& src = file(name(p + 56));
                const u32 at = static_cast<u32>(le(p + 112, 4));
                const u8 size = p[116];
                ASSERT_TRUE(size == 1 || size == 2 || size == 4 || size == 8);
                ASSERT_NE(dst.addr, 0u) << "pointer into an unallocated file";
                ASSERT_NE(src.addr, 0u) << "pointer to an unallocated file";
                ASSERT_LE(at + size, dst.data.size());
                u64 v = le(&dst.data[at], size) + src.addr;
                for (unsigned i = 0; i < size; i++) dst.data[at + i] = static_cast<u8>(v >> (8 * i));
                break;
            }
            case 3: {  // ADD_CHECKSUM
                File& f = file(name(p));
                const u32 at = static_cast<u32>(le(p + 56, 4));
                const u32 start = static_cast<u32>(le(p + 60, 4));
                const u32 len = static_cast<u32>(le(p + 64, 4));
                ASSERT_NE(f.addr, 0u);
                ASSERT_LE(u64(start) + len, f.data.size());
                ASSERT_LT(at, f.data.size());
                f.data[at] = static_cast<u8>(f.data[at] - sum8(&f.data[start], len));
                break;
            }
            default:
                FAIL() << "unknown loader command " << cmd;
            }
        }
    }
    // The bytes at a guest address (nullptr if no file holds [addr, addr + len)).
    const u8* at(u64 addr, size_t len) const {
        for (const auto& [n, f] : files_)
            if (f.addr && addr >= f.addr && addr + len <= f.addr + f.data.size()) return &f.data[addr - f.addr];
        return nullptr;
    }
    u64 addr(const std::string& f) const { return files_.at(f).addr; }
    std::map<std::string, u8> zones;
    std::map<std::string, u32> aligns;

private:
    struct File {
        std::vector<u8> data;
        u64 addr;
    };
    static std::string name(const u8* p) { return std::string(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), 56)); }
    File& file(const std::string& n) {
        auto it = files_.find(n);
        if (it == files_.end()) throw std::runtime_error("loader names unknown file " + n);
        return it->second;
    }
    std::map<std::string, File> files_;
};

struct Table {
    const u8* p = nullptr;
    u32 len = 0;
    std::string sig() const { return std::string(reinterpret_cast<const char*>(p), 4); }
    u8 rev() const { return p[8]; }
    u64 get(size_t off, unsigned n) const { return le(p + off, n); }
};

// The guest's view, walked from the RSDP (5.2.5) through the RSDT (5.2.7).
struct Walk {
    explicit Walk(const AcpiBlobs& b) : mem(b) {
        rsdp = mem.at(mem.addr(kAcpiRsdpFile), 20);
        const u64 rsdt_addr = le(rsdp + 16, 4);
        rsdt = table(rsdt_addr);
        for (u32 off = 36; off + 4 <= rsdt.len; off += 4) {
            Table t = table(le(rsdt.p + off, 4));
            by_sig[t.sig()] = t;
            order.push_back(t.sig());
        }
    }
    Table table(u64 addr) {
        const u8* h = mem.at(addr, 36);
        EXPECT_NE(h, nullptr) << "table pointer 0x" << std::hex << addr << " goes nowhere";
        if (!h) return {};
        Table t{h, static_cast<u32>(le(h + 4, 4))};
        EXPECT_NE(mem.at(addr, t.len), nullptr) << t.sig() << " runs past its file";
        EXPECT_EQ(sum8(t.p, t.len), 0) << t.sig() << " checksum";  // 5.2.6
        return t;
    }
    LoadedTables mem;
    const u8* rsdp;
    Table rsdt;
    std::map<std::string, Table> by_sig;
    std::vector<std::string> order;
};

AcpiConfig four_cpus() {
    AcpiConfig c;
    c.cpus = 4;
    c.ram_below_4g = 512ull << 20;
    return c;
}

TEST(Acpi, RsdpIsRevision0InTheFSegment) {
    Walk w(build_q35_acpi(four_cpus()));
    EXPECT_EQ(w.mem.zones[kAcpiRsdpFile], 2);     // FSEG
    EXPECT_EQ(w.mem.zones[kAcpiTablesFile], 1);   // HIGH
    EXPECT_EQ(w.mem.aligns[kAcpiTablesFile], 64u);  // for the FACS (5.2.10)
    EXPECT_EQ(w.mem.addr(kAcpiRsdpFile) % 16, 0u);
    EXPECT_GE(w.mem.addr(kAcpiRsdpFile), 0xf0000u);
    // 5.2.5.3: "RSD PTR ", checksum over the first 20 bytes, revision 0, RSDT address.
    EXPECT_EQ(std::memcmp(w.rsdp, "RSD PTR ", 8), 0);
    EXPECT_EQ(sum8(w.rsdp, 20), 0);
    EXPECT_EQ(w.rsdp[15], 0);
    EXPECT_EQ(w.rsdt.sig(), "RSDT");
    EXPECT_EQ(w.rsdt.rev(), 1);
}

TEST(Acpi, RsdtListsEveryTableWithValidChecksums) {
    Walk w(build_q35_acpi(four_cpus()));
    EXPECT_EQ(w.order, (std::vector<std::string>{"FACP", "APIC", "HPET", "MCFG", "WAET"}));
    struct Want { const char* sig; u8 rev; u32 len; };
    // Lengths: FADT rev 3 = 244 (5.2.9); HPET = 56; MCFG with one allocation = 60; WAET = 40.
    for (const Want& x : {Want{"FACP", 3, 244}, Want{"HPET", 1, 56}, Want{"MCFG", 1, 60}, Want{"WAET", 1, 40}}) {
        ASSERT_TRUE(w.by_sig.count(x.sig)) << x.sig;
        EXPECT_EQ(w.by_sig[x.sig].rev(), x.rev) << x.sig;
        EXPECT_EQ(w.by_sig[x.sig].len, x.len) << x.sig;
    }
    EXPECT_EQ(w.by_sig["APIC"].rev(), 1);
    for (const auto& [sig, t] : w.by_sig) {
        EXPECT_EQ(std::memcmp(t.p + 10, "BOCHS ", 6), 0) << sig;
    }
}

TEST(Acpi, RawBlobChecksumsAreAlreadyValid) {
    // Before the loader runs, pointer fields hold offsets; the checksums match those bytes.
    AcpiBlobs b = build_q35_acpi(four_cpus());
    EXPECT_EQ(sum8(b.rsdp.data(), 20), 0);
    for (size_t off = 64; off < b.tables.size();) {  // FACS first, then tables back to back
        const u32 len = static_cast<u32>(le(&b.tables[off + 4], 4));
        ASSERT_GE(len, 36u);
        EXPECT_EQ(sum8(&b.tables[off], len), 0) << std::string(reinterpret_cast<char*>(&b.tables[off]), 4);
        off += len;
    }
}

TEST(Acpi, LoaderComputesEveryChecksum) {
    // Zero every checksum byte in the raw blobs: the loader's ADD_CHECKSUM commands alone must
    // make each table valid again (Walk checks every table it reaches, the DSDT through FACP).
    AcpiBlobs b = build_q35_acpi(four_cpus());
    b.rsdp[8] = 0;
    for (size_t off = 64; off < b.tables.size();) {
        b.tables[off + 9] = 0;
        off += static_cast<u32>(le(&b.tables[off + 4], 4));
    }
    Walk w(b);
    EXPECT_EQ(sum8(w.rsdp, 20), 0);
    EXPECT_EQ(w.order.size(), 5u);
    Table d = w.table(w.by_sig["FACP"].get(40, 4));
    EXPECT_EQ(d.sig(), "DSDT");
}

TEST(Acpi, FadtDescribesTheIch9PowerManagementBlock) {
    Walk w(build_q35_acpi(four_cpus()));
    const Table& f = w.by_sig["FACP"];
    // 5.2.9 Table 5.9, field offsets.
    EXPECT_EQ(f.get(46, 2), 9u);        // SCI_INT
    EXPECT_EQ(f.get(48, 4), 0xb2u);     // SMI_CMD
    EXPECT_EQ(f.get(52, 1), 2u);        // ACPI_ENABLE
    EXPECT_EQ(f.get(53, 1), 3u);        // ACPI_DISABLE
    EXPECT_EQ(f.get(56, 4), 0x600u);    // PM1a_EVT_BLK
    EXPECT_EQ(f.get(64, 4), 0x604u);    // PM1a_CNT_BLK
    EXPECT_EQ(f.get(76, 4), 0x608u);    // PM_TMR_BLK
    EXPECT_EQ(f.get(80, 4), 0x620u);    // GPE0_BLK
    EXPECT_EQ(f.get(88, 1), 4u);        // PM1_EVT_LEN
    EXPECT_EQ(f.get(89, 1), 2u);        // PM1_CNT_LEN
    EXPECT_EQ(f.get(91, 1), 4u);        // PM_TMR_LEN
    EXPECT_EQ(f.get(92, 1), 16u);       // GPE0_BLK_LEN
    EXPECT_EQ(f.get(108, 1), 0x32u);    // CENTURY
    EXPECT_EQ(f.get(109, 2), 2u);       // IAPC_BOOT_ARCH: 8042
    const u32 flags = static_cast<u32>(f.get(112, 4));
    EXPECT_TRUE(flags & (1u << 10));    // RESET_REG_SUP
    EXPECT_TRUE(flags & (1u << 0));     // WBINVD
    EXPECT_FALSE(flags & (1u << 8));    // TMR_VAL_EXT: the ICH9 PM timer is 24-bit
    EXPECT_FALSE(flags & (1u << 18));   // 4 CPUs: flat logical mode is fine
    // RESET_REG: GAS in system I/O, 8 bits at 0xcf9; RESET_VALUE 0x0f.
    EXPECT_EQ(f.get(116, 1), 1u);
    EXPECT_EQ(f.get(117, 1), 8u);
    EXPECT_EQ(f.get(120, 8), 0xcf9u);
    EXPECT_EQ(f.get(128, 1), 0x0fu);
    // FIRMWARE_CTRL / X_FIRMWARE_CTRL -> FACS (64-byte aligned); DSDT / X_DSDT -> DSDT.
    const u64 facs = f.get(36, 4), dsdt = f.get(40, 4);
    EXPECT_EQ(f.get(132, 8), facs);
    EXPECT_EQ(f.get(140, 8), dsdt);
    EXPECT_EQ(facs % 64, 0u);
    const u8* fp = w.mem.at(facs, 64);
    ASSERT_NE(fp, nullptr);
    EXPECT_EQ(std::memcmp(fp, "FACS", 4), 0);
    EXPECT_EQ(le(fp + 4, 4), 64u);
    Table d = w.table(dsdt);
    EXPECT_EQ(d.sig(), "DSDT");
    // X_PM1a_EVT_BLK / X_PM1a_CNT_BLK / X_PM_TMR_BLK / X_GPE0_BLK: I/O GAS with bit widths.
    EXPECT_EQ(f.get(148, 1), 1u);
    EXPECT_EQ(f.get(149, 1), 32u);
    EXPECT_EQ(f.get(152, 8), 0x600u);
    EXPECT_EQ(f.get(173, 1), 16u);
    EXPECT_EQ(f.get(176, 8), 0x604u);
    EXPECT_EQ(f.get(209, 1), 32u);
    EXPECT_EQ(f.get(212, 8), 0x608u);
    EXPECT_EQ(f.get(221, 1), 128u);
    EXPECT_EQ(f.get(224, 8), 0x620u);
}

TEST(Acpi, ManyCpusForceClusterMode) {
    AcpiConfig c = four_cpus();
    c.cpus = 9;
    Walk w(build_q35_acpi(c));
    EXPECT_TRUE(w.by_sig["FACP"].get(112, 4) & (1u << 18));
}

// MADT subtables as (type, bytes).
std::vector<std::pair<u8, const u8*>> madt_entries(const Table& m) {
    std::vector<std::pair<u8, const u8*>> out;
    for (u32 off = 44; off + 2 <= m.len;) {
        const u8 len = m.p[off + 1];
        EXPECT_GE(len, 2);
        if (len < 2) break;
        out.emplace_back(m.p[off], m.p + off);
        off += len;
    }
    return out;
}

TEST(Acpi, MadtHasEachCpuTheIoApicAndTheOverrides) {
    Walk w(build_q35_acpi(four_cpus()));
    const Table& m = w.by_sig["APIC"];
    EXPECT_EQ(m.get(36, 4), 0xfee00000u);  // local APIC address
    EXPECT_EQ(m.get(40, 4), 1u);           // PCAT_COMPAT
    std::vector<u8> ids;
    std::map<u8, std::pair<u32, u16>> overrides;  // source IRQ -> (GSI, flags)
    int ioapics = 0, nmis = 0;
    for (auto [type, e] : madt_entries(m)) {
        switch (type) {
        case 0:  // 5.2.12.2
            EXPECT_EQ(e[1], 8);
            EXPECT_EQ(e[2], ids.size());        // processor UID
            EXPECT_EQ(le(e + 4, 4), 1u);        // enabled
            ids.push_back(e[3]);
            break;
        case 1:  // 5.2.12.3
            ioapics++;
            EXPECT_EQ(e[2], 0);                 // IOAPIC ID
            EXPECT_EQ(le(e + 4, 4), 0xfec00000u);
            EXPECT_EQ(le(e + 8, 4), 0u);        // GSI base
            break;
        case 2:  // 5.2.12.5
            EXPECT_EQ(e[1], 10);
            EXPECT_EQ(e[2], 0);                 // ISA
            overrides[e[3]] = {static_cast<u32>(le(e + 4, 4)), static_cast<u16>(le(e + 8, 2))};
            break;
        case 4:  // 5.2.12.7
            nmis++;
            EXPECT_EQ(e[2], 0xff);
            EXPECT_EQ(e[5], 1);                 // LINT1
            break;
        default:
            ADD_FAILURE() << "unexpected MADT entry type " << int(type);
        }
    }
    EXPECT_EQ(ids, (std::vector<u8>{0, 1, 2, 3}));
    EXPECT_EQ(ioapics, 1);
    EXPECT_EQ(nmis, 1);
    const std::map<u8, std::pair<u32, u16>> want = {
        {0, {2, 0}}, {5, {5, 0xd}}, {9, {9, 0xd}}, {10, {10, 0xd}}, {11, {11, 0xd}}};
    EXPECT_EQ(overrides, want);
}

TEST(Acpi, MadtUsesGivenApicIdsAndX2ApicAbove254) {
    AcpiConfig c = four_cpus();
    c.apic_ids = {0, 2, 300};
    Walk w(build_q35_acpi(c));
    std::vector<u32> ids, uids;
    bool x2nmi = false;
    for (auto [type, e] : madt_entries(w.by_sig["APIC"])) {
        if (type == 0) { ids.push_back(e[3]); uids.push_back(e[2]); }
        if (type == 9) {  // 5.2.12.12
            EXPECT_EQ(e[1], 16);
            ids.push_back(static_cast<u32>(le(e + 4, 4)));
            EXPECT_EQ(le(e + 8, 4), 1u);
            uids.push_back(static_cast<u32>(le(e + 12, 4)));
        }
        if (type == 0x0a) x2nmi = true;
    }
    EXPECT_EQ(ids, (std::vector<u32>{0, 2, 300}));
    EXPECT_EQ(uids, (std::vector<u32>{0, 1, 2}));
    EXPECT_TRUE(x2nmi);
}

TEST(Acpi, McfgAndHpet) {
    Walk w(build_q35_acpi(four_cpus()));
    const Table& m = w.by_sig["MCFG"];
    EXPECT_EQ(m.get(44, 8), 0xb0000000u);  // base
    EXPECT_EQ(m.get(52, 2), 0u);           // segment
    EXPECT_EQ(m.get(54, 1), 0u);           // start bus
    EXPECT_EQ(m.get(55, 1), 255u);         // end bus
    const Table& h = w.by_sig["HPET"];
    EXPECT_EQ(h.get(36, 4), 0x8086a201u);
    EXPECT_EQ(h.get(40, 1), 0u);           // system memory
    EXPECT_EQ(h.get(44, 8), 0xfed00000u);
    EXPECT_EQ(w.by_sig["WAET"].get(36, 4), 2u);
}

TEST(Acpi, NoHpetTableWhenDisabled) {
    AcpiConfig c = four_cpus();
    c.hpet = false;
    Walk w(build_q35_acpi(c));
    EXPECT_EQ(w.order, (std::vector<std::string>{"FACP", "APIC", "MCFG", "WAET"}));
}

TEST(Acpi, RejectsLayoutsTheDsdtCannotDescribe) {
    AcpiConfig c = four_cpus();
    c.ram_below_4g = 0xc0000000;  // RAM where the DSDT's PCI window is
    EXPECT_THROW(build_q35_acpi(c), std::invalid_argument);
    c = four_cpus();
    c.cpus = 0;
    EXPECT_THROW(build_q35_acpi(c), std::invalid_argument);
    c = four_cpus();
    c.hpet_addr = 0xfed01000;  // the DSDT's HPET device is at 0xfed00000
    EXPECT_THROW(build_q35_acpi(c), std::invalid_argument);
    c.hpet = false;
    EXPECT_NO_THROW(build_q35_acpi(c));
}

TEST(Acpi, DsdtIsTheCompiledAml) {
    std::span<const u8> d = q35_dsdt();
    ASSERT_GE(d.size(), 36u);
    EXPECT_EQ(std::memcmp(d.data(), "DSDT", 4), 0);
    EXPECT_EQ(le(d.data() + 4, 4), d.size());
    EXPECT_EQ(sum8(d.data(), d.size()), 0);
    // And that is what the FADT points at after loading, but for the 64-bit window's _MIN,
    // _MAX and _LEN (24 bytes) and the checksum.
    Walk w(build_q35_acpi(four_cpus()));
    Table t = w.table(w.by_sig["FACP"].get(40, 4));
    ASSERT_EQ(t.len, d.size());
    size_t differ = 0;
    for (size_t i = 0; i < d.size(); i++) differ += t.p[i] != d[i];
    EXPECT_GT(differ, 0u);
    EXPECT_LE(differ, 25u);
}

// The loaded DSDT (through FACP.DSDT), as bytes.
std::vector<u8> loaded_dsdt(const AcpiConfig& c) {
    Walk w(build_q35_acpi(c));
    Table t = w.table(w.by_sig["FACP"].get(40, 4));
    return std::vector<u8>(t.p, t.p + t.len);
}

bool contains(const std::vector<u8>& hay, const std::vector<u8>& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

std::vector<u8> le_bytes(std::initializer_list<u64> vals) {
    std::vector<u8> out;
    for (u64 v : vals)
        for (int i = 0; i < 8; i++) out.push_back(static_cast<u8>(v >> (8 * i)));
    return out;
}

TEST(Acpi, DsdtGetsThe64BitWindowAboveRam) {
    // 6.4.3.5.1 QWord Address Space Descriptor: _MIN, _MAX, _TRA, _LEN follow each other.
    AcpiConfig c = four_cpus();
    auto d = loaded_dsdt(c);  // no RAM above 4 GiB: [4 GiB, 36 GiB)
    EXPECT_TRUE(contains(d, le_bytes({0x100000000ull, 0x8ffffffffull, 0, 0x800000000ull})));
    EXPECT_EQ(sum8(d.data(), d.size()), 0);
    c.ram_above_4g = 3ull << 29;  // 1.5 GiB: the window starts at the next GiB, 6 GiB
    d = loaded_dsdt(c);
    EXPECT_TRUE(contains(d, le_bytes({0x180000000ull, 0x97fffffffull, 0, 0x800000000ull})));
    EXPECT_FALSE(contains(d, le_bytes({0x5649524530000000ull})));  // the placeholder is gone
    EXPECT_EQ(q35_pci_hole64(c).first, 0x180000000ull);
    c.pci_hole64_size = 0;
    EXPECT_THROW(build_q35_acpi(c), std::invalid_argument);
}

TEST(Acpi, TableLoaderCommandLayout) {
    // romfile_loader_entry_s: u32 command then the union, 128 bytes each, little-endian.
    TableLoader l;
    l.alloc("etc/acpi/rsdp", 16, true);
    l.add_pointer("etc/acpi/rsdp", 16, 4, "etc/acpi/tables");
    l.add_checksum("etc/acpi/rsdp", 0, 20, 8);
    const auto& b = l.blob();
    ASSERT_EQ(b.size(), 3 * 128u);
    EXPECT_EQ(le(&b[0], 4), 1u);
    EXPECT_STREQ(reinterpret_cast<const char*>(&b[4]), "etc/acpi/rsdp");
    EXPECT_EQ(le(&b[4 + 56], 4), 16u);
    EXPECT_EQ(b[4 + 60], 2);
    EXPECT_EQ(le(&b[128], 4), 2u);
    EXPECT_STREQ(reinterpret_cast<const char*>(&b[128 + 4]), "etc/acpi/rsdp");
    EXPECT_STREQ(reinterpret_cast<const char*>(&b[128 + 60]), "etc/acpi/tables");
    EXPECT_EQ(le(&b[128 + 116], 4), 16u);
    EXPECT_EQ(b[128 + 120], 4);
    EXPECT_EQ(le(&b[256], 4), 3u);
    EXPECT_EQ(le(&b[256 + 60], 4), 8u);   // checksum offset
    EXPECT_EQ(le(&b[256 + 64], 4), 0u);   // start
    EXPECT_EQ(le(&b[256 + 68], 4), 20u);  // length
    EXPECT_THROW(l.alloc(std::string(56, 'x'), 16, false), std::invalid_argument);
    EXPECT_THROW(l.add_pointer("a", 0, 3, "b"), std::invalid_argument);
}

TEST(Acpi, InstallAddsTheThreeFwCfgFiles) {
    auto root = MemoryRegion::container("root", 0);
    AddressSpace as("memory", root.get(), 0);
    FwCfg fw(as);
    AcpiBlobs b = build_q35_acpi(four_cpus());
    install_acpi(fw, b);
    ASSERT_NE(fw.file("etc/acpi/tables"), nullptr);
    EXPECT_EQ(*fw.file("etc/acpi/tables"), b.tables);
    EXPECT_EQ(*fw.file("etc/acpi/rsdp"), b.rsdp);
    EXPECT_EQ(*fw.file("etc/table-loader"), b.loader);
}

// The DSDT disassembles with ACPICA's own tool (when it is installed).
TEST(Acpi, DsdtDisassemblesWithIasl) {
    ASSERT_EQ(std::system("command -v iasl >/dev/null 2>&1"), 0) << "iasl (acpica-tools, a build dependency) not found";
    char dir[] = "/tmp/vireo-acpi-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string base = std::string(dir) + "/dsdt";
    {
        std::ofstream f(base + ".aml", std::ios::binary);
        std::span<const u8> d = q35_dsdt();
        f.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
    }
    const std::string cmd = "cd " + std::string(dir) + " && iasl -d dsdt.aml >iasl.log 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream dsl(base + ".dsl");
    std::stringstream ss;
    ss << dsl.rdbuf();
    const std::string text = ss.str();
    EXPECT_NE(text.find("PNP0A08"), std::string::npos);
    EXPECT_NE(text.find("_S5"), std::string::npos);
    EXPECT_NE(text.find("_PRT"), std::string::npos);
    EXPECT_NE(text.find("QEMU0002"), std::string::npos);  // fw_cfg, for Linux's qemu_fw_cfg
    if (std::system(("rm -rf " + std::string(dir)).c_str()) != 0) ADD_FAILURE() << "cleanup";
}

}  // namespace

namespace {

// Run ACPICA's AML interpreter on the DSDT: the PCI interrupt links read and write the LPC
// PIRQ registers (6.2.13; the region starts zeroed in acpiexec, i.e. IRQ 0 enabled).
TEST(Acpi, DsdtLinkDevicesEvaluateWithAcpiexec) {
    ASSERT_EQ(std::system("command -v acpiexec >/dev/null 2>&1"), 0) << "acpiexec (acpica-tools, a build dependency) not found";
    char dir[] = "/tmp/vireo-acpi-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d(dir);
    {
        std::ofstream f(d + "/dsdt.aml", std::ios::binary);
        const std::vector<u8> a = loaded_dsdt(four_cpus());  // with the 64-bit window patched in
        f.write(reinterpret_cast<const char*>(a.data()), static_cast<std::streamsize>(a.size()));
    }
    const std::string cmd = "cd " + d +
                            " && timeout 60 acpiexec -b \"evaluate \\_SB.LNKB._STA; evaluate \\_SB.LNKB._DIS;"
                            " evaluate \\_SB.LNKB._STA; evaluate \\_SB.HPET._STA; evaluate \\_SB.GSIC._CRS;"
                            " evaluate \\_SB.PCI0._CRS\" dsdt.aml >out.txt 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(d + "/out.txt");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string out = ss.str();
    const size_t enabled = out.find("[Integer] = 000000000000000B");  // present and enabled
    const size_t disabled = out.find("[Integer] = 0000000000000009");  // after _DIS: bit 7 set
    EXPECT_NE(enabled, std::string::npos) << out;
    EXPECT_NE(disabled, std::string::npos) << out;
    EXPECT_LT(enabled, disabled);
    // HPET._STA probes the registers (zero here: absent); GSIC is GSI 18 (0x12).
    EXPECT_NE(out.find("[Integer] = 0000000000000000"), std::string::npos);
    EXPECT_NE(out.find("89 06 00 09 01 12 00 00 00 79 00"), std::string::npos) << out;
    EXPECT_NE(out.find("Evaluation of \\_SB.PCI0._CRS returned"), std::string::npos) << out;
    EXPECT_EQ(out.find("AE_"), std::string::npos) << out;  // no ACPICA exceptions
    if (std::system(("rm -rf " + d).c_str()) != 0) ADD_FAILURE() << "cleanup";
}

}  // namespace
