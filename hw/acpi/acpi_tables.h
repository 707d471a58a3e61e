// The ACPI tables of the q35 board, handed to SeaBIOS through fw_cfg with its table-loader
// script (FIRMWARE.md section 5). They follow what QEMU 7.2 presents for q35: RSDP rev 0 in
// the F segment -> RSDT -> FACP (rev 3, with FACS and DSDT), APIC, HPET (optional), MCFG and
// WAET. The DSDT is compiled from roms/acpi/q35-dsdt.asl at build time.
//
// Layout of the fw_cfg files (as QEMU's hw/i386/acpi-build.c):
//   etc/acpi/tables  FACS (offset 0, 64-byte aligned), DSDT, FACP, APIC, [HPET], MCFG, WAET, RSDT
//   etc/acpi/rsdp    the 20-byte RSDP
//   etc/table-loader ALLOCATE tables (HIGH, align 64); ADD_POINTER / ADD_CHECKSUM per table;
//                    ALLOCATE rsdp (FSEG, align 16); RSDP -> RSDT pointer and checksum.
// Checksums are valid in the raw blobs too (with pointer fields holding file offsets); the
// loader's ADD_CHECKSUM recomputes them after patching.
#pragma once
#include <span>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

class FwCfg;

struct AcpiConfig {
    // Local APIC IDs of the CPUs, in processor-UID order (UID = index). Empty: 0 .. cpus-1.
    std::vector<u32> apic_ids;
    unsigned cpus = 1;
    // RAM below 4 GiB: only checked against the DSDT's fixed 32-bit PCI window (which starts
    // above ECAM, at mcfg_base + mcfg_size), since QEMU's q35 never puts RAM there.
    u64 ram_below_4g = 0;
    // RAM from 4 GiB up. The 64-bit PCI window in PCI0._CRS starts at the next 1 GiB boundary
    // above it and is pci_hole64_size long (QEMU q35: pc_pci_hole64_start, default 32 GiB).
    u64 ram_above_4g = 0;
    u64 pci_hole64_size = 32ull << 30;
    u32 lapic_addr = 0xfee00000;
    u32 ioapic_addr = 0xfec00000;
    u8 ioapic_id = 0;
    bool irq0_override = true;  // ISA IRQ0 -> GSI 2 (the PIT on IOAPIC pin 2)
    bool hpet = true;
    u32 hpet_addr = 0xfed00000;  // fixed in the DSDT's HPET device
    u32 hpet_block_id = 0x8086a201;  // event timer block ID as QEMU reports it
    // ICH9 power management (LPC PMBASE; SeaBIOS sets 0x600 when etc/table-loader exists).
    u16 pm_base = 0x600;  // PM1a_EVT +0 (4), PM1a_CNT +4 (2), PM_TMR +8 (4), GPE0 +0x20 (16)
    u16 sci_irq = 9;
    u16 smi_cmd = 0xb2;  // APM control port; writing acpi_enable there sets SCI_EN
    u8 acpi_enable = 2, acpi_disable = 3;
    u16 reset_port = 0xcf9;  // ICH9 RST_CNT
    u8 reset_value = 0x0f;
    u64 mcfg_base = 0xb0000000, mcfg_size = 256ull << 20;
};

struct AcpiBlobs {
    std::vector<u8> tables;  // etc/acpi/tables
    std::vector<u8> rsdp;    // etc/acpi/rsdp
    std::vector<u8> loader;  // etc/table-loader
};

inline constexpr const char* kAcpiTablesFile = "etc/acpi/tables";
inline constexpr const char* kAcpiRsdpFile = "etc/acpi/rsdp";
inline constexpr const char* kTableLoaderFile = "etc/table-loader";

// Throws std::invalid_argument for a configuration the tables cannot describe.
AcpiBlobs build_q35_acpi(const AcpiConfig& cfg);
// Adds the three files to fw_cfg.
void install_acpi(FwCfg& fw, const AcpiBlobs& blobs);
// The compiled DSDT (AML, with its header), as linked into the binary: the 64-bit window in
// PCI0._CRS still holds its placeholder bounds (build_q35_acpi patches them).
std::span<const u8> q35_dsdt();
// Where build_q35_acpi puts the 64-bit PCI window: [first, last].
struct PciWindow64 {
    u64 first, last;
};
PciWindow64 q35_pci_hole64(const AcpiConfig& cfg);

}  // namespace vireo
