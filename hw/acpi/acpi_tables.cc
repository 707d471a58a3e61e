// q35 ACPI tables (acpi_tables.h). Section numbers are ACPI 6.4; table revisions are the ones
// QEMU 7.2 uses for q35.
#include "hw/acpi/acpi_tables.h"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "hw/acpi/table_loader.h"
#include "hw/nvram/fw_cfg.h"

namespace vireo {

// Generated at build time from roms/acpi/q35-dsdt.asl (roms/CMakeLists.txt, embed.cmake).
extern const unsigned char q35_dsdt_aml[];
extern const std::size_t q35_dsdt_aml_size;

std::span<const u8> q35_dsdt() { return {q35_dsdt_aml, q35_dsdt_aml_size}; }

namespace {

// 5.2.6 System Description Table Header. OEM fields are QEMU's, so guests that look at them
// see the machine they expect.
constexpr size_t kChecksumOffset = 9;
constexpr char kOemId[6] = {'B', 'O', 'C', 'H', 'S', ' '};
constexpr char kOemTableId[8] = {'B', 'X', 'P', 'C', ' ', ' ', ' ', ' '};
constexpr char kCreatorId[4] = {'B', 'X', 'P', 'C'};

// 5.2.3.2 Generic Address Structure: address space IDs.
constexpr u8 kGasSystemMemory = 0, kGasSystemIo = 1;

// 5.2.9 Table 5.10 FADT Fixed Feature Flags.
enum : u32 {
    kFadtWbinvd = 1u << 0,
    kFadtProcC1 = 1u << 2,
    kFadtSlpButton = 1u << 5,
    kFadtRtcS4 = 1u << 7,
    kFadtResetRegSup = 1u << 10,
    kFadtUsePlatformClock = 1u << 15,
    kFadtForceApicClusterModel = 1u << 18,
};
// 5.2.9.3 IA-PC Boot Architecture Flags: 8042 present.
constexpr u16 kBootArch8042 = 1u << 1;

// 5.2.12 MADT structure types and flags.
constexpr u8 kMadtLocalApic = 0, kMadtIoApic = 1, kMadtIntSrcOverride = 2, kMadtLocalApicNmi = 4,
             kMadtLocalX2Apic = 9, kMadtLocalX2ApicNmi = 0x0a;
constexpr u32 kMadtPcatCompat = 1;        // Table 5.20: dual 8259 present
constexpr u32 kLapicEnabled = 1;          // Table 5.23
constexpr u16 kMpsIntiLevelHigh = 0x000d; // Table 5.26: polarity 01 active high, trigger 11 level

void put_le(std::vector<u8>& b, size_t off, u64 v, unsigned n) {
    for (unsigned i = 0; i < n; i++) b[off + i] = static_cast<u8>(v >> (8 * i));
}

u8 sum8(const u8* p, size_t n) {
    u8 s = 0;
    for (size_t i = 0; i < n; i++) s = static_cast<u8>(s + p[i]);
    return s;
}

// Appends little-endian fields to one fw_cfg file and registers its pointers and checksums
// with the loader.
class FileBuilder {
public:
    FileBuilder(const char* name, std::vector<u8>& data, TableLoader& loader)
        : name_(name), d_(data), loader_(loader) {}
    size_t size() const { return d_.size(); }
    void u8_(u8 v) { d_.push_back(v); }
    void le(u64 v, unsigned n) {
        for (unsigned i = 0; i < n; i++) d_.push_back(static_cast<u8>(v >> (8 * i)));
    }
    void bytes(const void* p, size_t n) {
        const u8* b = static_cast<const u8*>(p);
        d_.insert(d_.end(), b, b + n);
    }
    void zeros(size_t n) { d_.insert(d_.end(), n, 0); }
    // 5.2.3.2 Generic Address Structure (access size left 0, "undefined", as QEMU does).
    void gas(u8 space, u8 bit_width, u64 addr) {
        u8_(space);
        u8_(bit_width);
        u8_(0);
        u8_(0);
        le(addr, 8);
    }
    // A `size`-byte pointer field here holding the address of src_file + src_offset once the
    // firmware has placed the files.
    void pointer(unsigned size, const char* src_file, u64 src_offset) {
        const size_t at = d_.size();
        le(src_offset, size);
        loader_.add_pointer(name_, static_cast<u32>(at), static_cast<u8>(size), src_file);
    }

    // 5.2.6: header with length and checksum filled in by end_table().
    size_t begin_table(const char sig[4], u8 revision) {
        const size_t start = d_.size();
        bytes(sig, 4);
        le(0, 4);  // length
        u8_(revision);
        u8_(0);  // checksum
        bytes(kOemId, 6);
        bytes(kOemTableId, 8);
        le(1, 4);  // OEM revision
        bytes(kCreatorId, 4);
        le(1, 4);  // creator revision
        return start;
    }
    void end_table(size_t start) {
        const size_t len = d_.size() - start;
        put_le(d_, start + 4, len, 4);
        set_checksum(start, len, start + kChecksumOffset);
    }
    void set_checksum(size_t start, size_t len, size_t at) {
        d_[at] = 0;
        d_[at] = static_cast<u8>(-sum8(d_.data() + start, len));
        loader_.add_checksum(name_, static_cast<u32>(start), static_cast<u32>(len), static_cast<u32>(at));
    }

private:
    const char* name_;
    std::vector<u8>& d_;
    TableLoader& loader_;
};

// 5.2.10 FACS: 64 bytes, no checksum; firmware waking vector and global lock unused.
size_t build_facs(FileBuilder& t) {
    const size_t start = t.size();
    t.bytes("FACS", 4);
    t.le(64, 4);
    t.zeros(56);
    return start;
}

// The placeholder bounds of the 64-bit window in roms/acpi/q35-dsdt.asl: a QWordMemory
// descriptor (6.4.3.5.1) holds granularity, minimum, maximum, translation and length, each
// 8 bytes; minimum and maximum sit back to back.
constexpr u64 kHole64MinPlaceholder = 0x5649524530000000ull;
constexpr u64 kHole64MaxPlaceholder = 0x564952453fffffffull;

void patch_hole64(std::vector<u8>& aml, const PciWindow64& w) {
    u8 pat[16];
    for (int i = 0; i < 8; i++) {
        pat[i] = static_cast<u8>(kHole64MinPlaceholder >> (8 * i));
        pat[8 + i] = static_cast<u8>(kHole64MaxPlaceholder >> (8 * i));
    }
    size_t found = 0, at = 0;
    for (size_t i = 0; i + sizeof pat <= aml.size(); i++)
        if (std::memcmp(&aml[i], pat, sizeof pat) == 0) {
            found++;
            at = i;
        }
    // A build-time invariant of the ASL, not a guest or user error.
    if (found != 1 || at + 32 > aml.size()) throw std::logic_error("q35 DSDT: 64-bit window placeholder not found once");
    put_le(aml, at, w.first, 8);
    put_le(aml, at + 8, w.last, 8);
    put_le(aml, at + 24, w.last - w.first + 1, 8);  // after the translation offset
}

size_t build_dsdt(FileBuilder& t, const AcpiConfig& c) {
    const size_t start = t.size();
    std::span<const u8> raw = q35_dsdt();
    std::vector<u8> aml(raw.begin(), raw.end());
    patch_hole64(aml, q35_pci_hole64(c));
    t.bytes(aml.data(), aml.size());
    // The patch broke iasl's checksum: recompute it here and in the loader.
    t.set_checksum(start, aml.size(), start + kChecksumOffset);
    return start;
}

// 5.2.9 FADT, revision 3 (244 bytes), as QEMU's q35 (hw/acpi/aml-build.c build_fadt with the
// ICH9 values of hw/acpi/ich9.c).
size_t build_fadt(FileBuilder& t, const AcpiConfig& c, unsigned cpus, size_t facs, size_t dsdt) {
    const size_t start = t.begin_table("FACP", 3);
    t.pointer(4, kAcpiTablesFile, facs);  // FIRMWARE_CTRL
    t.pointer(4, kAcpiTablesFile, dsdt);  // DSDT
    t.u8_(1);                             // reserved (ACPI 1.0 INT_MODEL: multiple APIC)
    t.u8_(0);                             // Preferred_PM_Profile: unspecified
    t.le(c.sci_irq, 2);                   // SCI_INT
    t.le(c.smi_cmd, 4);                   // SMI_CMD
    t.u8_(c.acpi_enable);
    t.u8_(c.acpi_disable);
    t.u8_(0);                             // S4BIOS_REQ
    t.u8_(0);                             // PSTATE_CNT
    t.le(c.pm_base + 0x00, 4);            // PM1a_EVT_BLK
    t.le(0, 4);                           // PM1b_EVT_BLK
    t.le(c.pm_base + 0x04, 4);            // PM1a_CNT_BLK
    t.le(0, 4);                           // PM1b_CNT_BLK
    t.le(0, 4);                           // PM2_CNT_BLK
    t.le(c.pm_base + 0x08, 4);            // PM_TMR_BLK
    t.le(c.pm_base + 0x20, 4);            // GPE0_BLK
    t.le(0, 4);                           // GPE1_BLK
    t.u8_(4);                             // PM1_EVT_LEN
    t.u8_(2);                             // PM1_CNT_LEN
    t.u8_(0);                             // PM2_CNT_LEN
    t.u8_(4);                             // PM_TMR_LEN
    t.u8_(16);                            // GPE0_BLK_LEN (ICH9 GPE0: 0x20-0x2f)
    t.u8_(0);                             // GPE1_BLK_LEN
    t.u8_(0);                             // GPE1_BASE
    t.u8_(0);                             // CST_CNT
    t.le(0xfff, 2);                       // P_LVL2_LAT: C2 not supported
    t.le(0xfff, 2);                       // P_LVL3_LAT: C3 not supported
    t.le(0, 2);                           // FLUSH_SIZE
    t.le(0, 2);                           // FLUSH_STRIDE
    t.u8_(0);                             // DUTY_OFFSET
    t.u8_(0);                             // DUTY_WIDTH
    t.u8_(0);                             // DAY_ALRM
    t.u8_(0);                             // MON_ALRM
    t.u8_(0x32);                          // CENTURY: CMOS index of the century byte
    t.le(kBootArch8042, 2);               // IAPC_BOOT_ARCH
    t.u8_(0);                             // reserved
    u32 flags = kFadtWbinvd | kFadtProcC1 | kFadtSlpButton | kFadtRtcS4 | kFadtUsePlatformClock |
                kFadtResetRegSup;
    // QEMU: flat logical destination mode reaches only 8 CPUs.
    if (cpus > 8) flags |= kFadtForceApicClusterModel;
    t.le(flags, 4);
    t.gas(kGasSystemIo, 8, c.reset_port);  // RESET_REG
    t.u8_(c.reset_value);                  // RESET_VALUE
    t.le(0, 2);                            // ARM_BOOT_ARCH (reserved before 5.0)
    t.u8_(0);                              // FADT minor version (reserved before 5.1)
    t.pointer(8, kAcpiTablesFile, facs);   // X_FIRMWARE_CTRL
    t.pointer(8, kAcpiTablesFile, dsdt);   // X_DSDT
    t.gas(kGasSystemIo, 32, c.pm_base + 0x00);   // X_PM1a_EVT_BLK
    t.gas(0, 0, 0);                              // X_PM1b_EVT_BLK
    t.gas(kGasSystemIo, 16, c.pm_base + 0x04);   // X_PM1a_CNT_BLK
    t.gas(0, 0, 0);                              // X_PM1b_CNT_BLK
    t.gas(0, 0, 0);                              // X_PM2_CNT_BLK
    t.gas(kGasSystemIo, 32, c.pm_base + 0x08);   // X_PM_TMR_BLK
    t.gas(kGasSystemIo, 128, c.pm_base + 0x20);  // X_GPE0_BLK
    t.gas(0, 0, 0);                              // X_GPE1_BLK
    t.end_table(start);
    return start;
}

// 5.2.12 MADT, revision 1 as QEMU's.
size_t build_madt(FileBuilder& t, const AcpiConfig& c, const std::vector<u32>& apic_ids) {
    const size_t start = t.begin_table("APIC", 1);
    t.le(c.lapic_addr, 4);
    t.le(kMadtPcatCompat, 4);
    bool x2apic = false;
    for (size_t uid = 0; uid < apic_ids.size(); uid++) {
        const u32 id = apic_ids[uid];
        if (id < 0xff) {  // 5.2.12.2 Processor Local APIC
            t.u8_(kMadtLocalApic);
            t.u8_(8);
            t.u8_(static_cast<u8>(uid));
            t.u8_(static_cast<u8>(id));
            t.le(kLapicEnabled, 4);
        } else {  // 5.2.12.12 Processor Local x2APIC (IDs 255 and up)
            x2apic = true;
            t.u8_(kMadtLocalX2Apic);
            t.u8_(16);
            t.le(0, 2);
            t.le(id, 4);
            t.le(kLapicEnabled, 4);
            t.le(uid, 4);
        }
    }
    // 5.2.12.3 I/O APIC: all 24 inputs from GSI 0.
    t.u8_(kMadtIoApic);
    t.u8_(12);
    t.u8_(c.ioapic_id);
    t.u8_(0);
    t.le(c.ioapic_addr, 4);
    t.le(0, 4);
    // 5.2.12.5 Interrupt Source Overrides: the PIT's IRQ0 is pin 2, and the PCI-capable ISA
    // IRQs (SCI 9 and the PIRQ targets 5, 10, 11) are level-triggered, active high.
    auto iso = [&](u8 irq, u32 gsi, u16 flags) {
        t.u8_(kMadtIntSrcOverride);
        t.u8_(10);
        t.u8_(0);  // bus: ISA
        t.u8_(irq);
        t.le(gsi, 4);
        t.le(flags, 2);
    };
    if (c.irq0_override) iso(0, 2, 0);
    for (u8 irq : {5, 9, 10, 11}) iso(irq, irq, kMpsIntiLevelHigh);
    // 5.2.12.7 Local APIC NMI: LINT1 of every processor.
    t.u8_(kMadtLocalApicNmi);
    t.u8_(6);
    t.u8_(0xff);  // all processors
    t.le(0, 2);   // flags: conforming
    t.u8_(1);     // LINT1
    if (x2apic) {  // 5.2.12.13 Local x2APIC NMI, for the processors the entry above cannot name
        t.u8_(kMadtLocalX2ApicNmi);
        t.u8_(12);
        t.le(0, 2);
        t.le(0xffffffff, 4);
        t.u8_(1);
        t.zeros(3);
    }
    t.end_table(start);
    return start;
}

// IA-PC HPET Specification 1.0a, 3.2.4 "The ACPI 2.0 HPET Description Table".
size_t build_hpet(FileBuilder& t, const AcpiConfig& c) {
    const size_t start = t.begin_table("HPET", 1);
    t.le(c.hpet_block_id, 4);
    t.gas(kGasSystemMemory, 0, c.hpet_addr);
    t.u8_(0);     // HPET number
    t.le(0, 2);   // main counter minimum clock tick in periodic mode
    t.u8_(0);     // page protection: none
    t.end_table(start);
    return start;
}

// PCI Firmware Specification 3.2, 4.1.2 MCFG: one ECAM allocation for segment 0.
size_t build_mcfg(FileBuilder& t, const AcpiConfig& c) {
    const size_t start = t.begin_table("MCFG", 1);
    t.zeros(8);
    t.le(c.mcfg_base, 8);
    t.le(0, 2);  // segment group
    t.u8_(0);    // start bus
    t.u8_(static_cast<u8>((c.mcfg_size >> 20) - 1));  // end bus: 1 MiB of ECAM per bus
    t.zeros(4);
    t.end_table(start);
    return start;
}

// Windows ACPI Emulated Devices Table (Microsoft WAET spec 1.0): the PM timer needs one read.
size_t build_waet(FileBuilder& t) {
    const size_t start = t.begin_table("WAET", 1);
    t.le(1u << 1, 4);  // ACPI PM timer good
    t.end_table(start);
    return start;
}

// 5.2.7 RSDT: 32-bit pointers to every table but the FACS and DSDT.
size_t build_rsdt(FileBuilder& t, const std::vector<size_t>& tables) {
    const size_t start = t.begin_table("RSDT", 1);
    for (size_t off : tables) t.pointer(4, kAcpiTablesFile, off);
    t.end_table(start);
    return start;
}

}  // namespace

PciWindow64 q35_pci_hole64(const AcpiConfig& c) {
    constexpr u64 kGiB = 1ull << 30;
    const u64 first = (4 * kGiB + c.ram_above_4g + kGiB - 1) & ~(kGiB - 1);
    return {first, first + c.pci_hole64_size - 1};
}

AcpiBlobs build_q35_acpi(const AcpiConfig& c) {
    std::vector<u32> apic_ids = c.apic_ids;
    if (apic_ids.empty())
        for (unsigned i = 0; i < c.cpus; i++) apic_ids.push_back(i);
    if (apic_ids.empty()) throw std::invalid_argument("ACPI: no CPUs");
    if (c.mcfg_size < (1u << 20) || c.mcfg_size > (256u << 20) || (c.mcfg_size & ((1u << 20) - 1)))
        throw std::invalid_argument("ACPI: ECAM size must be 1-256 MiB in whole buses");
    // The DSDT's 32-bit PCI window is fixed at [0xc0000000, 0xfec00000), above ECAM.
    if (c.mcfg_base + c.mcfg_size > 0xc0000000ull || c.ram_below_4g > c.mcfg_base)
        throw std::invalid_argument("ACPI: RAM or ECAM overlaps the DSDT's PCI window");
    // The DSDT's HPET device probes the registers at this fixed address.
    if (c.hpet && c.hpet_addr != 0xfed00000)
        throw std::invalid_argument("ACPI: the DSDT describes the HPET at 0xfed00000 only");
    if (c.pci_hole64_size == 0 || (c.pci_hole64_size >> 40) || (c.ram_above_4g >> 46))
        throw std::invalid_argument("ACPI: the 64-bit PCI window must be non-empty and below 1 TiB in size");

    AcpiBlobs out;
    TableLoader loader;
    // SeaBIOS romfile_loader: the tables go to high memory; the FACS needs 64-byte alignment.
    loader.alloc(kAcpiTablesFile, 64, false);
    FileBuilder t(kAcpiTablesFile, out.tables, loader);
    const size_t facs = build_facs(t);
    const size_t dsdt = build_dsdt(t, c);
    std::vector<size_t> rsdt_entries;
    rsdt_entries.push_back(build_fadt(t, c, static_cast<unsigned>(apic_ids.size()), facs, dsdt));
    rsdt_entries.push_back(build_madt(t, c, apic_ids));
    if (c.hpet) rsdt_entries.push_back(build_hpet(t, c));
    rsdt_entries.push_back(build_mcfg(t, c));
    rsdt_entries.push_back(build_waet(t));
    const size_t rsdt = build_rsdt(t, rsdt_entries);

    // 5.2.5.3 RSDP, revision 0 (ACPI 1.0: 20 bytes), in the F segment where OSes search.
    loader.alloc(kAcpiRsdpFile, 16, true);
    FileBuilder r(kAcpiRsdpFile, out.rsdp, loader);
    r.bytes("RSD PTR ", 8);
    r.u8_(0);  // checksum
    r.bytes(kOemId, 6);
    r.u8_(0);  // revision
    r.pointer(4, kAcpiTablesFile, rsdt);
    r.set_checksum(0, 20, 8);

    out.loader = loader.blob();
    return out;
}

void install_acpi(FwCfg& fw, const AcpiBlobs& b) {
    fw.add_file(kAcpiTablesFile, b.tables);
    fw.add_file(kAcpiRsdpFile, b.rsdp);
    fw.add_file(kTableLoaderFile, b.loader);
}

}  // namespace vireo
