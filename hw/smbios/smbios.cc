// SMBIOS structure table and 2.1 entry point for the PC boards (see smbios.h). Field values
// follow QEMU 7.2's hw/smbios/smbios.c where DSP0134 leaves a choice, so dmidecode in a guest
// prints the same under Vireo as under QEMU.
#include "hw/smbios/smbios.h"
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include "hw/nvram/fw_cfg.h"

namespace vireo {
namespace {

constexpr u64 kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;

// One structure (DSP0134 6.1.2): a formatted area that starts with {u8 type, u8 length,
// u16 handle}, then its string-set (6.1.3): NUL-terminated strings numbered from 1, the set
// ending with an extra NUL, or two NULs when there are no strings at all. String fields hold
// the string's number, 0 for "none"; an empty string is stored as "none", as QEMU does.
class Structure {
public:
    Structure(u8 type, u8 length, u16 handle) : area_(length, 0) {
        area_[0] = type;
        area_[1] = length;
        put16(2, handle);
    }
    void put8(size_t off, u8 v) { area_.at(off) = v; }
    void put16(size_t off, u16 v) { put_le(off, v, 2); }
    void put32(size_t off, u32 v) { put_le(off, v, 4); }
    void put64(size_t off, u64 v) { put_le(off, v, 8); }
    void put_bytes(size_t off, const u8* p, size_t n) { std::copy(p, p + n, area_.begin() + off); }
    void put_string(size_t off, const std::string& s) {
        if (s.empty()) {
            put8(off, 0);
            return;
        }
        strings_.push_back(s);
        put8(off, static_cast<u8>(strings_.size()));
    }
    // The bytes as they go into the table.
    std::vector<u8> bytes() const {
        std::vector<u8> out = area_;
        for (const std::string& s : strings_) {
            out.insert(out.end(), s.begin(), s.end());
            out.push_back(0);
        }
        out.push_back(0);
        if (strings_.empty()) out.push_back(0);
        return out;
    }

private:
    void put_le(size_t off, u64 v, unsigned n) {
        for (unsigned i = 0; i < n; ++i) area_.at(off + i) = static_cast<u8>(v >> (8 * i));
    }
    std::vector<u8> area_;
    std::vector<std::string> strings_;
};

struct Table {
    std::vector<u8> bytes;
    unsigned count = 0;
    size_t max_size = 0;  // the largest structure, formatted area plus strings
    void add(const Structure& s) {
        const std::vector<u8> b = s.bytes();
        bytes.insert(bytes.end(), b.begin(), b.end());
        max_size = std::max(max_size, b.size());
        ++count;
    }
};

// DSP0134 7.2.1: from version 2.6 on, the first three UUID fields are stored little-endian
// (RFC 4122 gives them big-endian). QEMU encodes it so for all current machine types.
std::array<u8, 16> encode_uuid(const std::array<u8, 16>& u) {
    std::array<u8, 16> e = u;
    std::reverse(e.begin(), e.begin() + 4);      // time_low
    std::reverse(e.begin() + 4, e.begin() + 6);  // time_mid
    std::reverse(e.begin() + 6, e.begin() + 8);  // time_hi_and_version
    return e;
}

// Type 1, System Information (DSP0134 7.2), SMBIOS 2.4 layout (length 0x1b).
Structure type1(const SmbiosConfig& c) {
    Structure s(1, 0x1b, smbios_handle::kSystem);
    s.put_string(0x04, c.manufacturer);
    s.put_string(0x05, c.machine);  // Product Name
    s.put_string(0x06, c.version);
    s.put_string(0x07, "");  // Serial Number
    const std::array<u8, 16> uuid = encode_uuid(c.uuid);
    s.put_bytes(0x08, uuid.data(), uuid.size());
    s.put8(0x18, 0x06);      // Wake-up Type: Power Switch (7.2.2)
    s.put_string(0x19, "");  // SKU Number
    s.put_string(0x1a, "");  // Family
    return s;
}

// Type 3, System Enclosure or Chassis (DSP0134 7.4), with the 2.7 SKU field (length 0x16).
Structure type3(const SmbiosConfig& c) {
    Structure s(3, 0x16, smbios_handle::kChassis);
    s.put_string(0x04, c.manufacturer);
    s.put8(0x05, 0x01);  // Type: Other (7.4.1)
    s.put_string(0x06, c.version);
    s.put_string(0x07, "");  // Serial Number
    s.put_string(0x08, "");  // Asset Tag
    s.put8(0x09, 0x03);      // Boot-up State: Safe (7.4.2)
    s.put8(0x0a, 0x03);      // Power Supply State: Safe
    s.put8(0x0b, 0x03);      // Thermal State: Safe
    s.put8(0x0c, 0x02);      // Security Status: Unknown (7.4.3)
    // 0x0d OEM-defined (u32), 0x11 Height, 0x12 Number of Power Cords, 0x13 Contained Element
    // Count, 0x14 Contained Element Record Length: all 0.
    s.put_string(0x15, "");  // SKU Number
    return s;
}

// Type 4, Processor Information (DSP0134 7.5), SMBIOS 2.6 layout with Processor Family 2
// (length 0x2a). One per socket.
Structure type4(const SmbiosConfig& c, unsigned socket) {
    Structure s(4, 0x2a, static_cast<u16>(smbios_handle::kProcessor + socket));
    // QEMU formats the designation as "%s%2x": "CPU 0" .. "CPU f", then "CPU10".
    char designation[32];
    std::snprintf(designation, sizeof designation, "CPU%2x", socket);
    s.put_string(0x04, designation);
    s.put8(0x05, 0x03);  // Processor Type: Central Processor (7.5.1)
    s.put8(0x06, 0x01);  // Processor Family: Other (7.5.2)
    s.put_string(0x07, c.manufacturer);
    s.put32(0x08, c.cpuid_version);   // Processor ID (7.5.3): CPUID.1:EAX ...
    s.put32(0x0c, c.cpuid_features);  // ... and CPUID.1:EDX
    s.put_string(0x10, c.version);
    s.put8(0x11, 0);        // Voltage: not given
    s.put16(0x12, 0);       // External Clock: unknown
    s.put16(0x14, 2000);    // Max Speed, MHz (QEMU: SVVP wants a known value)
    s.put16(0x16, 2000);    // Current Speed, MHz
    s.put8(0x18, 0x41);     // Status: socket populated, CPU enabled
    s.put8(0x19, 0x01);     // Processor Upgrade: Other (7.5.5)
    s.put16(0x1a, 0xffff);  // L1/L2/L3 Cache Handles: no type 7 structures
    s.put16(0x1c, 0xffff);
    s.put16(0x1e, 0xffff);
    s.put_string(0x20, "");  // Serial Number
    s.put_string(0x21, "");  // Asset Tag
    s.put_string(0x22, "");  // Part Number
    const unsigned cores = c.dies * c.cores, threads = cores * c.threads;
    s.put8(0x23, static_cast<u8>(std::min(cores, 0xffu)));  // Core Count (0xff: see Core Count 2)
    s.put8(0x24, static_cast<u8>(std::min(cores, 0xffu)));  // Core Enabled
    s.put8(0x25, static_cast<u8>(std::min(threads, 0xffu)));  // Thread Count
    s.put16(0x26, 0x0002);  // Processor Characteristics: Unknown (7.5.9)
    s.put16(0x28, 0x0001);  // Processor Family 2: Other
    return s;
}

// Type 16, Physical Memory Array (DSP0134 7.17), 2.7 layout with Extended Maximum Capacity.
Structure type16(const SmbiosConfig& c, unsigned dimms) {
    Structure s(16, 0x17, smbios_handle::kMemoryArray);
    s.put8(0x04, 0x01);  // Location: Other (7.17.1)
    s.put8(0x05, 0x03);  // Use: System memory (7.17.2)
    s.put8(0x06, 0x06);  // Memory Error Correction: Multi-bit ECC (QEMU, after SeaBIOS)
    // Maximum Capacity in KiB; 0x80000000 (2 TiB) means "see Extended Maximum Capacity (bytes)".
    const u64 kb = (c.ram_size + kKiB - 1) / kKiB;
    if (kb < 0x80000000ull) {
        s.put32(0x07, static_cast<u32>(kb));
    } else {
        s.put32(0x07, 0x80000000u);
        s.put64(0x0f, c.ram_size);
    }
    s.put16(0x0b, 0xfffe);  // Memory Error Information Handle: not provided
    s.put16(0x0d, static_cast<u16>(dimms));  // Number of Memory Devices
    return s;
}

// Type 17, Memory Device (DSP0134 7.18), 2.8 layout (length 0x28).
Structure type17(const SmbiosConfig& c, unsigned dimm, u64 size) {
    Structure s(17, 0x28, static_cast<u16>(smbios_handle::kMemoryDevice + dimm));
    s.put16(0x04, smbios_handle::kMemoryArray);  // Physical Memory Array Handle
    s.put16(0x06, 0xfffe);  // Memory Error Information Handle: not provided
    s.put16(0x08, 0xffff);  // Total Width: unknown
    s.put16(0x0a, 0xffff);  // Data Width: unknown
    // Size in MiB; 0x7fff means "see Extended Size (MiB)".
    const u64 mb = (size + kMiB - 1) / kMiB;
    if (mb < 0x7fff) {
        s.put16(0x0c, static_cast<u16>(mb));
    } else {
        s.put16(0x0c, 0x7fff);
        s.put32(0x1c, static_cast<u32>(mb));
    }
    s.put8(0x0e, 0x09);  // Form Factor: DIMM (7.18.1)
    s.put8(0x0f, 0);     // Device Set: none
    s.put_string(0x10, "DIMM " + std::to_string(dimm));  // Device Locator
    s.put_string(0x11, "");  // Bank Locator
    s.put8(0x12, 0x07);      // Memory Type: RAM (7.18.2)
    s.put16(0x13, 0x0002);   // Type Detail: Other (7.18.3)
    s.put16(0x15, 0);        // Speed: unknown
    s.put_string(0x17, c.manufacturer);
    s.put_string(0x18, "");  // Serial Number
    s.put_string(0x19, "");  // Asset Tag
    s.put_string(0x1a, "");  // Part Number
    // 0x1b Attributes (rank unknown), 0x20 Configured Memory Speed, 0x22/0x24/0x26 voltages: 0.
    return s;
}

// Type 19, Memory Array Mapped Address (DSP0134 7.20), 2.7 layout with extended addresses.
Structure type19(unsigned index, const SmbiosMemArea& a) {
    Structure s(19, 0x1f, static_cast<u16>(smbios_handle::kMappedAddress + index));
    const u64 end = a.start + a.size - 1;
    const u64 start_kb = a.start / kKiB, end_kb = end / kKiB;
    if (start_kb < 0xffffffffull && end_kb < 0xffffffffull) {
        s.put32(0x04, static_cast<u32>(start_kb));  // Starting Address, KiB
        s.put32(0x08, static_cast<u32>(end_kb));    // Ending Address, KiB (inclusive)
    } else {
        // 0xffffffff: use the Extended Starting/Ending Address, in bytes.
        s.put32(0x04, 0xffffffffu);
        s.put32(0x08, 0xffffffffu);
        s.put64(0x0f, a.start);
        s.put64(0x17, end);
    }
    s.put16(0x0c, smbios_handle::kMemoryArray);  // Memory Array Handle
    s.put8(0x0e, 1);  // Partition Width: one device per row
    return s;
}

// Type 32, System Boot Information (DSP0134 7.33): six reserved bytes, status "no errors".
Structure type32() {
    return Structure(32, 0x0b, smbios_handle::kBootInfo);
}

// Type 127, End-of-Table (DSP0134 "End-of-Table (Type 127)"): header only.
Structure type127() {
    return Structure(127, 0x04, smbios_handle::kEnd);
}

u8 checksum_byte(const std::vector<u8>& b, size_t from, size_t to) {
    u8 sum = 0;
    for (size_t i = from; i < to; ++i) sum = static_cast<u8>(sum + b[i]);
    return static_cast<u8>(-sum);
}

// SMBIOS 2.1 (32-bit) Entry Point Structure (DSP0134 5.2.1), 0x1f bytes, version 2.8 as QEMU.
std::vector<u8> entry_point_21(const Table& t) {
    std::vector<u8> ep(0x1f, 0);
    auto put16 = [&](size_t off, u16 v) {
        ep[off] = static_cast<u8>(v);
        ep[off + 1] = static_cast<u8>(v >> 8);
    };
    std::copy_n("_SM_", 4, ep.begin());  // Anchor String
    ep[0x05] = 0x1f;                      // Entry Point Length
    ep[0x06] = 2;                         // SMBIOS Major Version
    ep[0x07] = 8;                         // SMBIOS Minor Version
    put16(0x08, static_cast<u16>(t.max_size));  // Maximum Structure Size
    ep[0x0a] = 0;  // Entry Point Revision 0: the formatted area 0x0b..0x0f is reserved (zero)
    std::copy_n("_DMI_", 5, ep.begin() + 0x10);  // Intermediate Anchor String
    put16(0x16, static_cast<u16>(t.bytes.size()));  // Structure Table Length
    // 0x18 Structure Table Address: 0, SeaBIOS fills it in.
    put16(0x1c, static_cast<u16>(t.count));  // Number of SMBIOS Structures
    ep[0x1e] = 0x28;                          // SMBIOS BCD Revision
    // QEMU leaves both checksums 0 and SeaBIOS recomputes them (it subtracts the current sum,
    // so valid ones come out the same). Ours are valid so the anchor stands on its own.
    ep[0x15] = checksum_byte(ep, 0x10, 0x1f);  // Intermediate Checksum over 0x10..0x1e
    ep[0x04] = checksum_byte(ep, 0x00, 0x10);  // Entry Point Structure Checksum over 0x00..0x0f
    return ep;
}

}  // namespace

std::vector<SmbiosMemArea> smbios_mem_areas(const SmbiosConfig& c) {
    std::vector<SmbiosMemArea> areas;
    if (c.ram_below_4g) areas.push_back({0, c.ram_below_4g});
    if (c.ram_above_4g) areas.push_back({4 * kGiB, c.ram_above_4g});
    return areas;
}

std::pair<std::vector<u8>, std::vector<u8>> build_smbios(const SmbiosConfig& c) {
    if (c.ram_size == 0 || c.sockets == 0 || c.cores == 0 || c.threads == 0 || c.dies == 0)
        throw std::invalid_argument("smbios: RAM size and CPU topology must be non-zero");
    Table t;
    // QEMU's order (smbios_get_tables): 1, 3, 4..., 16, 17..., 19..., 32, 127.
    t.add(type1(c));
    t.add(type3(c));
    for (unsigned i = 0; i < c.sockets; ++i) t.add(type4(c, i));
    // RAM as 16 GiB DIMMs, the last one holding the remainder.
    const unsigned dimms = static_cast<unsigned>((c.ram_size + kSmbiosDimmSize - 1) / kSmbiosDimmSize);
    t.add(type16(c, dimms));
    for (unsigned i = 0; i < dimms; ++i) {
        const u64 size = i + 1 < dimms ? kSmbiosDimmSize : (c.ram_size - 1) % kSmbiosDimmSize + 1;
        t.add(type17(c, i, size));
    }
    const std::vector<SmbiosMemArea> areas = smbios_mem_areas(c);
    for (unsigned i = 0; i < areas.size(); ++i) t.add(type19(i, areas[i]));
    t.add(type32());
    t.add(type127());
    // The 2.1 entry point has 16-bit length and count fields.
    if (t.bytes.size() > 0xffff) throw std::invalid_argument("smbios: structure table over 64 KiB");
    std::vector<u8> anchor = entry_point_21(t);
    return {std::move(t.bytes), std::move(anchor)};
}

void install_smbios(FwCfg& fw, const SmbiosConfig& c) {
    auto [tables, anchor] = build_smbios(c);
    fw.add_file(kSmbiosTablesFile, std::move(tables));
    fw.add_file(kSmbiosAnchorFile, std::move(anchor));
}

}  // namespace vireo
