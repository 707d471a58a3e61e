// SMBIOS structures for the PC boards, handed to SeaBIOS through fw_cfg (FIRMWARE.md section 1,
// "etc/smbios/*"). They reproduce what QEMU 7.2 (hw/smbios/smbios.c) gives pc-q35-7.2, checked
// byte for byte against tables dumped from a real qemu-system-x86_64 7.2 boot:
//
//   etc/smbios/smbios-anchor  a 31-byte SMBIOS 2.1 (32-bit, "_SM_") entry point, version 2.8.
//                             pc-q35-7.2 keeps the 32-bit entry point (the 64-bit "_SM3_" one
//                             became the q35 default only with pc-q35-8.1).
//   etc/smbios/smbios-tables  the structure table: types 1, 3, 4 (one per socket), 16, 17 (one
//                             per 16 GiB DIMM), 19 (one per RAM range), 32, 127.
//
// Type 0 (BIOS information) is deliberately absent: QEMU builds it only for "-smbios type=0,...".
// SeaBIOS (src/fw/biostables.c smbios_build_tables) then prepends its own type 0, places the
// table in the F segment (or high memory when it is over 600 bytes), fills in the table address,
// adds type 0 to the length/count/max-size fields and recomputes both checksums.
//
// References are to the DMTF SMBIOS specification, DSP0134 3.x ("DSP0134 7.2" = clause 7.2).
#pragma once
#include <array>
#include <string>
#include <utility>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

class FwCfg;

struct SmbiosMemArea {
    u64 start = 0, size = 0;
};

struct SmbiosConfig {
    unsigned cpus = 1;  // CPUs present; informational, type 4 follows sockets as in QEMU 7.2
    // Topology (QEMU -smp after defaulting): one type 4 per socket; Core Count is the cores in a
    // socket (dies x cores), Thread Count the threads in a socket, as QEMU 7.2.x stable reports.
    unsigned sockets = 1, dies = 1, cores = 1, threads = 1;
    u64 ram_size = 0;
    u64 ram_below_4g = 0, ram_above_4g = 0;  // the e820 RAM ranges: [0, below), [4G, 4G + above)
    std::string manufacturer = "QEMU";
    std::string machine = "Standard PC (Q35 + ICH9, 2009)";
    std::string version = "pc-q35-7.2";
    // System UUID as given on the command line (RFC 4122 byte order); all zero when not given,
    // which is what QEMU reports without -uuid.
    std::array<u8, 16> uuid{};
    // Type 4 Processor ID (DSP0134 7.5.3): CPUID leaf 1 EAX and EDX of the boot CPU.
    u32 cpuid_version = 0, cpuid_features = 0;
};

// Handles QEMU assigns (smbios.c: 0x100 * type + instance); tests and tools look them up.
namespace smbios_handle {
enum : u16 {
    kSystem = 0x0100,
    kChassis = 0x0300,
    kProcessor = 0x0400,  // + socket
    kMemoryArray = 0x1000,
    kMemoryDevice = 0x1100,  // + DIMM
    kMappedAddress = 0x1300,  // + range
    kBootInfo = 0x2000,
    kEnd = 0x7f00,
};
}  // namespace smbios_handle

inline constexpr const char* kSmbiosTablesFile = "etc/smbios/smbios-tables";
inline constexpr const char* kSmbiosAnchorFile = "etc/smbios/smbios-anchor";
inline constexpr u64 kSmbiosDimmSize = 16ull << 30;  // QEMU splits RAM into 16 GiB DIMMs

// The RAM ranges the e820 table reports, as type 19 describes them.
std::vector<SmbiosMemArea> smbios_mem_areas(const SmbiosConfig& c);

// Returns {structure table, 2.1 entry point}. The entry point's table address is 0 (SeaBIOS
// fills it in); its checksums are valid for that address.
std::pair<std::vector<u8>, std::vector<u8>> build_smbios(const SmbiosConfig& c);

// Adds etc/smbios/smbios-tables and etc/smbios/smbios-anchor.
void install_smbios(FwCfg& fw, const SmbiosConfig& c);

}  // namespace vireo
