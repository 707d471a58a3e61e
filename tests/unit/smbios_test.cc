// SMBIOS tables (hw/smbios): the structure table and 2.1 entry point Vireo hands SeaBIOS.
//
// Checked three ways: against bytes dumped from QEMU 7.2 itself (qemu-system-x86_64 -M q35
// -nodefaults, SeaBIOS 1.16.2, `pmemsave` of the table SeaBIOS installed, minus the type 0 that
// SeaBIOS prepends); against the rules of DSP0134 (6.1.2 header, 6.1.3 string-sets, 5.2.1 entry
// point); and in a booted q35 machine, where SeaBIOS must have installed our table behind its own
// type 0 and published a valid entry point in the F segment.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>
#include "hw/boards.h"
#include "hw/smbios/smbios.h"

using namespace vireo;

namespace {

constexpr u64 kMiB = 1ull << 20, kGiB = 1ull << 30;

std::vector<u8> unhex(const std::string& h) {
    std::vector<u8> out;
    for (size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<u8>(std::stoul(h.substr(i, 2), nullptr, 16)));
    return out;
}

u16 le16(const std::vector<u8>& b, size_t o) { return static_cast<u16>(b[o] | b[o + 1] << 8); }
u32 le32(const std::vector<u8>& b, size_t o) { return le16(b, o) | static_cast<u32>(le16(b, o + 2)) << 16; }
u64 le64(const std::vector<u8>& b, size_t o) { return le32(b, o) | static_cast<u64>(le32(b, o + 4)) << 32; }

u8 sum(const std::vector<u8>& b, size_t from, size_t to) {
    u8 s = 0;
    for (size_t i = from; i < to; ++i) s = static_cast<u8>(s + b[i]);
    return s;
}

// One structure as a guest parser (dmidecode) sees it.
struct Parsed {
    u8 type = 0, length = 0;
    u16 handle = 0;
    std::vector<u8> area;              // the formatted area, header included
    std::vector<std::string> strings;  // string 1 is strings[0]
    size_t size = 0;                   // area + string-set
    std::string str(size_t off) const {
        const u8 n = area.at(off);
        return n == 0 || n > strings.size() ? std::string() : strings[n - 1];
    }
};

// Walks a structure table, checking DSP0134 6.1.2/6.1.3 framing as it goes.
std::vector<Parsed> walk(const std::vector<u8>& t) {
    std::vector<Parsed> out;
    size_t p = 0;
    while (p < t.size()) {
        Parsed s;
        EXPECT_LE(p + 4, t.size());
        if (p + 4 > t.size()) break;
        s.type = t[p];
        s.length = t[p + 1];
        s.handle = le16(t, p + 2);
        EXPECT_GE(s.length, 4) << "type " << int(s.type);
        EXPECT_LE(p + s.length + 2, t.size()) << "type " << int(s.type);
        if (s.length < 4 || p + s.length + 2 > t.size()) break;
        s.area.assign(t.begin() + p, t.begin() + p + s.length);
        size_t q = p + s.length;
        // The string-set ends with a double NUL; with no strings it is exactly two NULs.
        if (t[q] == 0) {
            EXPECT_EQ(t[q + 1], 0) << "type " << int(s.type) << ": no strings needs two NULs";
            q += 2;
        } else {
            while (q < t.size() && t[q] != 0) {
                std::string str;
                while (q < t.size() && t[q] != 0) str += static_cast<char>(t[q++]);
                s.strings.push_back(str);
                ++q;  // the string's NUL
            }
            EXPECT_LT(q, t.size());
            ++q;  // the set's extra NUL
        }
        s.size = q - p;
        out.push_back(s);
        p = q;
        if (s.type == 127) break;
    }
    EXPECT_EQ(p, t.size()) << "bytes after the end-of-table structure";
    return out;
}

// Formatted-area lengths QEMU 7.2 uses (the SMBIOS 2.8-era layouts; DSP0134 clause 7).
const std::map<u8, u8> kLengths = {{1, 0x1b},  {3, 0x16},  {4, 0x2a},  {16, 0x17},
                                   {17, 0x28}, {19, 0x1f}, {32, 0x0b}, {127, 0x04}};

// The string fields of each type (offsets), whose numbers must point into the string-set.
const std::map<u8, std::vector<size_t>> kStringFields = {
    {1, {0x04, 0x05, 0x06, 0x07, 0x19, 0x1a}}, {3, {0x04, 0x06, 0x07, 0x08, 0x15}},
    {4, {0x04, 0x07, 0x10, 0x20, 0x21, 0x22}}, {17, {0x10, 0x11, 0x17, 0x18, 0x19, 0x1a}}};

void check_well_formed(const SmbiosConfig& c) {
    const auto [tables, anchor] = build_smbios(c);
    const std::vector<Parsed> s = walk(tables);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.back().type, 127);
    std::set<u16> handles;
    size_t max_size = 0;
    for (const Parsed& p : s) {
        EXPECT_TRUE(handles.insert(p.handle).second) << "duplicate handle " << p.handle;
        ASSERT_TRUE(kLengths.count(p.type)) << "unexpected type " << int(p.type);
        EXPECT_EQ(p.length, kLengths.at(p.type)) << "type " << int(p.type);
        if (kStringFields.count(p.type))
            for (size_t off : kStringFields.at(p.type))
                EXPECT_LE(p.area[off], p.strings.size()) << "type " << int(p.type);
        for (const std::string& str : p.strings) EXPECT_FALSE(str.empty());
        max_size = std::max(max_size, p.size);
    }
    EXPECT_EQ(s.front().type, 1) << "QEMU leaves type 0 to the BIOS";
    // The 2.1 entry point (DSP0134 5.2.1) against the table it describes.
    ASSERT_EQ(anchor.size(), 0x1fu);
    EXPECT_EQ(std::string(anchor.begin(), anchor.begin() + 4), "_SM_");
    EXPECT_EQ(std::string(anchor.begin() + 0x10, anchor.begin() + 0x15), "_DMI_");
    EXPECT_EQ(anchor[0x05], 0x1f);
    EXPECT_EQ(anchor[0x06], 2);
    EXPECT_EQ(anchor[0x07], 8);
    EXPECT_EQ(anchor[0x1e], 0x28);
    EXPECT_EQ(sum(anchor, 0, 0x10), 0) << "entry point checksum";
    EXPECT_EQ(sum(anchor, 0x10, 0x1f), 0) << "intermediate checksum";
    EXPECT_EQ(le16(anchor, 0x08), max_size);
    EXPECT_EQ(le16(anchor, 0x16), tables.size());
    EXPECT_EQ(le32(anchor, 0x18), 0u) << "SeaBIOS fills in the address";
    EXPECT_EQ(le16(anchor, 0x1c), s.size());
}

std::vector<Parsed> of_type(const std::vector<Parsed>& s, u8 type) {
    std::vector<Parsed> out;
    for (const Parsed& p : s)
        if (p.type == type) out.push_back(p);
    return out;
}

// The CPUID leaf 1 QEMU's default qemu64 model reports: what the QEMU dumps carry in type 4.
SmbiosConfig qemu64(u64 ram, unsigned sockets, unsigned cores, u64 below, u64 above) {
    SmbiosConfig c;
    c.cpus = sockets * cores;
    c.sockets = sockets;
    c.cores = cores;
    c.ram_size = ram;
    c.ram_below_4g = below;
    c.ram_above_4g = above;
    c.cpuid_version = 0x00060fb1;
    c.cpuid_features = 0x078bfbfd;
    return c;
}

}  // namespace

// QEMU 7.2 -M q35 -nodefaults -m 256 -smp 2: one socket of two cores.
TEST(SmbiosTables, MatchQemu72Bytes256M) {
    const auto [tables, anchor] = build_smbios(qemu64(256 * kMiB, 1, 2, 256 * kMiB, 0));
    const std::vector<u8> want = unhex(
        "011b0001010203000000000000000000000000000000000006000051454d55005374616e646172642050432028513335"
        "202b20494348392c2032303039290070632d7133352d372e320000031600030101020000030303020000000000000000"
        "0051454d550070632d7133352d372e320000042a000401030102b10f0600fdfb8b0703000000d007d0074101ffffffff"
        "ffff0000000202020200010043505520300051454d550070632d7133352d372e3200001017001001030600000400feff"
        "010000000000000000000000112800110010feffffffffff000109000100070200000002000000000000000000000000"
        "0000000044494d4d20300051454d550000131f001300000000ffff030000100100000000000000000000000000000000"
        "0000200b00200000000000000000007f04007f0000");
    EXPECT_EQ(tables, want);
    // SeaBIOS's final entry point had max 75, length 376, count 9 after adding its 67-byte type 0.
    EXPECT_EQ(le16(anchor, 0x08), 75);
    EXPECT_EQ(le16(anchor, 0x16), 376 - 67);
    EXPECT_EQ(le16(anchor, 0x1c), 9 - 1);
}

// QEMU 7.2 -m 8G -smp 4,sockets=2,cores=2: two type 4, RAM split at 2 GiB / 4 GiB.
TEST(SmbiosTables, MatchQemu72Bytes8G) {
    const auto [tables, anchor] = build_smbios(qemu64(8 * kGiB, 2, 2, 2 * kGiB, 6 * kGiB));
    const std::vector<u8> want = unhex(
        "011b0001010203000000000000000000000000000000000006000051454d55005374616e646172642050432028513335"
        "202b20494348392c2032303039290070632d7133352d372e320000031600030101020000030303020000000000000000"
        "0051454d550070632d7133352d372e320000042a000401030102b10f0600fdfb8b0703000000d007d0074101ffffffff"
        "ffff0000000202020200010043505520300051454d550070632d7133352d372e320000042a010401030102b10f0600fd"
        "fb8b0703000000d007d0074101ffffffffffff0000000202020200010043505520310051454d550070632d7133352d37"
        "2e3200001017001001030600008000feff010000000000000000000000112800110010feffffffffff00200900010007"
        "02000000020000000000000000000000000000000044494d4d20300051454d550000131f001300000000ffff1f000010"
        "01000000000000000000000000000000000000131f011300004000ffff9f000010010000000000000000000000000000"
        "00000000200b00200000000000000000007f04007f0000");
    EXPECT_EQ(tables, want);
}

TEST(SmbiosTables, WellFormedAcrossConfigs) {
    check_well_formed(qemu64(128 * kMiB, 1, 1, 128 * kMiB, 0));
    check_well_formed(qemu64(3 * kGiB, 1, 4, 2 * kGiB, 1 * kGiB));
    check_well_formed(qemu64(8 * kGiB, 8, 1, 2 * kGiB, 6 * kGiB));
    check_well_formed(qemu64(40 * kGiB, 17, 2, 2 * kGiB, 38 * kGiB));
    check_well_formed(qemu64(6ull << 40, 2, 64, 2 * kGiB, (6ull << 40) - 2 * kGiB));
}

// Type 19 (DSP0134 7.20) describes exactly the q35 RAM layout (QEMU pc_q35_init: RAM stays
// below 2.75 GiB, or below 2 GiB once it reaches 2.75 GiB; the rest goes above 4 GiB).
TEST(SmbiosTables, MappedAddressesFollowRamLayout) {
    struct Case {
        u64 ram, below, above;
    };
    for (const Case& k : {Case{128 * kMiB, 128 * kMiB, 0}, Case{3 * kGiB, 2 * kGiB, 1 * kGiB},
                          Case{8 * kGiB, 2 * kGiB, 6 * kGiB}}) {
        SCOPED_TRACE(k.ram);
        const auto s = walk(build_smbios(qemu64(k.ram, 1, 1, k.below, k.above)).first);
        const auto t19 = of_type(s, 19);
        ASSERT_EQ(t19.size(), k.above ? 2u : 1u);
        EXPECT_EQ(le32(t19[0].area, 0x04), 0u);
        EXPECT_EQ(le32(t19[0].area, 0x08), (k.below - 1) / 1024);  // inclusive, KiB
        if (k.above) {
            EXPECT_EQ(le32(t19[1].area, 0x04), 4 * kGiB / 1024);
            EXPECT_EQ(le32(t19[1].area, 0x08), (4 * kGiB + k.above - 1) / 1024);
        }
        for (const Parsed& p : t19) {
            EXPECT_EQ(le16(p.area, 0x0c), 0x1000);  // the type 16 array
            EXPECT_EQ(p.area[0x0e], 1);
        }
        const auto t16 = of_type(s, 16);
        ASSERT_EQ(t16.size(), 1u);
        EXPECT_EQ(le32(t16[0].area, 0x07), k.ram / 1024);
        const auto t17 = of_type(s, 17);
        ASSERT_EQ(t17.size(), 1u);
        EXPECT_EQ(le16(t17[0].area, 0x0c), k.ram / kMiB);
        EXPECT_EQ(t17[0].str(0x10), "DIMM 0");
    }
}

// One type 4 (DSP0134 7.5) per socket; core and thread counts are per socket.
TEST(SmbiosTables, ProcessorPerSocket) {
    for (unsigned sockets : {1u, 2u, 4u, 17u}) {
        SmbiosConfig c = qemu64(kGiB, sockets, 1, kGiB, 0);
        c.threads = 2;
        const auto t4 = of_type(walk(build_smbios(c).first), 4);
        ASSERT_EQ(t4.size(), sockets);
        for (unsigned i = 0; i < sockets; ++i) {
            EXPECT_EQ(t4[i].handle, 0x400 + i);
            EXPECT_EQ(t4[i].str(0x07), "QEMU");
            EXPECT_EQ(t4[i].str(0x10), "pc-q35-7.2");
            EXPECT_EQ(le16(t4[i].area, 0x14), 2000);
            EXPECT_EQ(t4[i].area[0x23], 1);
            EXPECT_EQ(t4[i].area[0x25], 2);
            EXPECT_EQ(le32(t4[i].area, 0x08), 0x00060fb1u);
        }
        // QEMU formats the designation "%s%2x": "CPU 0" .. "CPU f", "CPU10".
        EXPECT_EQ(t4[0].str(0x04), "CPU 0");
        if (sockets == 17) {
            EXPECT_EQ(t4[15].str(0x04), "CPU f");
            EXPECT_EQ(t4[16].str(0x04), "CPU10");
        }
    }
    // -smp 8,sockets=1,dies=2,cores=2,threads=2 under QEMU 7.2: core count 4, thread count 8.
    SmbiosConfig c = qemu64(kGiB, 1, 2, kGiB, 0);
    c.dies = 2;
    c.threads = 2;
    const auto t4 = of_type(walk(build_smbios(c).first), 4);
    ASSERT_EQ(t4.size(), 1u);
    EXPECT_EQ(t4[0].area[0x23], 4);
    EXPECT_EQ(t4[0].area[0x24], 4);
    EXPECT_EQ(t4[0].area[0x25], 8);
}

// RAM over 16 GiB becomes several DIMMs; very large RAM uses the extended fields.
TEST(SmbiosTables, LargeMemory) {
    const auto s = walk(build_smbios(qemu64(40 * kGiB, 1, 1, 2 * kGiB, 38 * kGiB)).first);
    const auto t17 = of_type(s, 17);
    ASSERT_EQ(t17.size(), 3u);
    EXPECT_EQ(le16(t17[0].area, 0x0c), 16384);
    EXPECT_EQ(le16(t17[1].area, 0x0c), 16384);
    EXPECT_EQ(le16(t17[2].area, 0x0c), 8192);
    EXPECT_EQ(t17[2].str(0x10), "DIMM 2");
    EXPECT_EQ(t17[2].handle, 0x1102);
    EXPECT_EQ(le16(of_type(s, 16)[0].area, 0x0d), 3);

    // 6 TiB: Maximum Capacity 0x80000000 + extended (bytes); the upper range ends past 4 TiB, so
    // type 19 switches to its extended byte addresses.
    const u64 ram = 6ull << 40;
    const auto b = walk(build_smbios(qemu64(ram, 1, 1, 2 * kGiB, ram - 2 * kGiB)).first);
    const auto t16 = of_type(b, 16);
    EXPECT_EQ(le32(t16[0].area, 0x07), 0x80000000u);
    EXPECT_EQ(le64(t16[0].area, 0x0f), ram);
    const auto t19 = of_type(b, 19);
    ASSERT_EQ(t19.size(), 2u);
    EXPECT_EQ(le32(t19[1].area, 0x04), 0xffffffffu);
    EXPECT_EQ(le64(t19[1].area, 0x0f), 4 * kGiB);
    EXPECT_EQ(le64(t19[1].area, 0x17), 4 * kGiB + ram - 2 * kGiB - 1);
}

// DSP0134 7.2.1: the first three UUID fields are little-endian in the structure.
TEST(SmbiosTables, UuidWireFormat) {
    SmbiosConfig c = qemu64(kGiB, 1, 1, kGiB, 0);
    for (unsigned i = 0; i < 16; ++i) c.uuid[i] = static_cast<u8>(i);
    const auto t1 = of_type(walk(build_smbios(c).first), 1);
    ASSERT_EQ(t1.size(), 1u);
    const std::vector<u8> want = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    EXPECT_EQ(std::vector<u8>(t1[0].area.begin() + 8, t1[0].area.begin() + 24), want);
    EXPECT_EQ(t1[0].str(0x04), "QEMU");
    EXPECT_EQ(t1[0].str(0x05), "Standard PC (Q35 + ICH9, 2009)");
    EXPECT_EQ(t1[0].str(0x06), "pc-q35-7.2");
    EXPECT_EQ(t1[0].area[0x18], 6);
}

namespace {

VmConfig config(std::vector<std::string> args) {
    std::vector<char*> argv;
    static char prog[] = "vireo";
    argv.push_back(prog);
    for (std::string& a : args) argv.push_back(a.data());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

std::vector<u8> read_guest(Machine& m, u64 addr, u64 len) {
    std::vector<u8> out(len);
    for (u64 i = 0; i < len; ++i) out[i] = static_cast<u8>(m.phys_read(addr + i, 1));
    return out;
}

// A 2.1 entry point (DSP0134 5.2.1) on a 16-byte boundary of the F segment with both checksums.
u64 find_entry_point(Machine& m) {
    for (u64 a = 0xf0000; a < 0x100000; a += 16) {
        if (m.phys_read(a, 4) != 0x5f4d535full) continue;  // "_SM_"
        const std::vector<u8> ep = read_guest(m, a, 0x1f);
        if (ep[5] == 0x1f && sum(ep, 0, 0x10) == 0 && sum(ep, 0x10, 0x1f) == 0 &&
            std::string(ep.begin() + 0x10, ep.begin() + 0x15) == "_DMI_")
            return a;
    }
    return 0;
}

}  // namespace

// SeaBIOS (Debian's bios-256k.bin) on the q35 machine: it must take our table, add its own type 0
// in front, and publish an entry point describing the whole.
TEST(SmbiosBoot, SeaBiosInstallsOurTables) {
    VmConfig cfg = config({"-M", "q35", "-nodefaults", "-m", "3G", "-smp", "4,sockets=2,cores=2"});
    auto m = create_q35(cfg);
    Machine* mp = m.get();
    // SeaBIOS installs SMBIOS before ACPI; stop once the RSDP is out (every 20 ms, 60 s at most).
    auto rsdp_ready = [mp] {
        for (u64 a = 0xe0000; a < 0x100000; a += 16)
            if (mp->phys_read(a, 8) == 0x2052545020445352ull) return true;  // "RSD PTR "
        return false;
    };
    u64 next = 20'000'000;
    m->add_timer([&next] { return next; }, [&](u64 now) {
        next = now + 20'000'000;
        if ((rsdp_ready() && find_entry_point(*mp)) || now > 60'000'000'000ull) mp->request_exit(0);
    });
    ASSERT_EQ(m->run(), 0);
    const u64 ep_addr = find_entry_point(*m);
    ASSERT_NE(ep_addr, 0u) << "no SMBIOS 2.1 entry point in 0xf0000-0xfffff";
    const std::vector<u8> ep = read_guest(*m, ep_addr, 0x1f);
    EXPECT_EQ(ep[6], 2);
    EXPECT_EQ(ep[7], 8);
    const u64 table = le32(ep, 0x18);
    const std::vector<u8> t = read_guest(*m, table, le16(ep, 0x16));
    const std::vector<Parsed> s = walk(t);
    EXPECT_EQ(s.size(), le16(ep, 0x1c));
    size_t max_size = 0;
    for (const Parsed& p : s) max_size = std::max(max_size, p.size);
    EXPECT_EQ(le16(ep, 0x08), max_size);
    std::multiset<u8> types;
    for (const Parsed& p : s) types.insert(p.type);
    for (u8 want : {0, 1, 3, 4, 16, 17, 19, 32, 127}) EXPECT_TRUE(types.count(want)) << "type " << int(want);
    // Type 0 (DSP0134 7.1) is SeaBIOS's, first in the table.
    ASSERT_EQ(s.front().type, 0);
    EXPECT_EQ(s.front().str(0x04), "SeaBIOS");
    EXPECT_EQ(types.count(4), 2u);
    const auto t4 = of_type(s, 4);
    EXPECT_EQ(t4[0].area[0x23], 2);  // cores per socket
    EXPECT_EQ(t4[1].str(0x04), "CPU 1");
    const auto t19 = of_type(s, 19);
    ASSERT_EQ(t19.size(), 2u);
    EXPECT_EQ(le32(t19[0].area, 0x08), (2 * kGiB - 1) / 1024);
    EXPECT_EQ(le32(t19[1].area, 0x04), 4 * kGiB / 1024);
    EXPECT_EQ(le32(t19[1].area, 0x08), (5 * kGiB - 1) / 1024);
    // Everything after type 0 is our table, byte for byte.
    SmbiosConfig c;
    c.cpus = 4;
    c.sockets = 2;
    c.cores = 2;
    c.ram_size = 3 * kGiB;
    c.ram_below_4g = 2 * kGiB;
    c.ram_above_4g = kGiB;
    c.cpuid_version = le32(t4[0].area, 0x08);
    c.cpuid_features = le32(t4[0].area, 0x0c);
    const std::vector<u8> ours = build_smbios(c).first;
    EXPECT_EQ(std::vector<u8>(t.begin() + static_cast<long>(s.front().size), t.end()), ours);
}
