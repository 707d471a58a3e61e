// The q35 memory controller hub, PCI device 00:00.0 (Intel 3 Series Chipset Family datasheet,
// doc. 316966, chapter 5.1 "Host Bridge/DRAM Controller Registers (D0:F0)"): PCIEXBAR places the
// ECAM window, PAM0-PAM6 steer 0xc0000-0xfffff between DRAM and the PCI side (the BIOS ROM),
// SMRAMC decides what the 0xa0000-0xbffff window shows, TOLUD reports the top of low DRAM.
#pragma once
#include <array>
#include <memory>
#include "hw/pci/pci.h"
#include "softmmu/memory.h"

namespace vireo {

class Q35Mch : public PciDevice {
public:
    // Register offsets in D0:F0 configuration space (datasheet 5.1).
    enum : unsigned { kPciexbar = 0x60, kPam0 = 0x90, kSmramc = 0x9d, kEsmramc = 0x9e, kTolud = 0xb0 };
    static constexpr u64 kDefaultPciexbar = 0xb0000000;  // where SeaBIOS places it (FIRMWARE.md 3)

    // ram: the machine's RAM; pci_memory: the PCI side of memory (the BIOS ROM alias, VGA
    // window, BARs); system: where the PAM/SMRAM overlays go, above RAM.
    Q35Mch(MemoryRegion* ram, MemoryRegion* pci_memory, MemoryRegion* system, u64 ram_below_4g);
    const char* type_name() const override { return "mch"; }
    void realize(Machine& m) override;
    void reset() override;
    void post_load() override;
    void config_write(unsigned offset, u32 value, unsigned size) override;
    // PAM attribute of segment i (0: 0xf0000-0xfffff, 1..12: 16 KiB pieces from 0xc0000).
    unsigned pam_mode(unsigned segment) const;
    u64 ecam_base() const;  // ~0 when PCIEXBAR is disabled

private:
    void update_pam();
    void update_smram();
    void update_pciexbar();
    struct PamSegment {
        u64 base, size;
        MemoryRegion* mode[4];  // 0: PCI, 1: read-only DRAM, 2: write-only DRAM, 3: DRAM
    };
    MemoryRegion* ram_;
    MemoryRegion* pci_;
    MemoryRegion* system_;
    std::array<PamSegment, 13> pam_{};
    MemoryRegion* smram_window_ = nullptr;  // DRAM at 0xa0000 when SMRAM is open
    std::unique_ptr<AddressSpace> pci_as_;  // reads of the PCI side for write-only PAM
    MemoryRegion* ecam_ = nullptr;
    u64 ecam_mapped_ = ~0ull;
    Machine* machine_ = nullptr;
};

}  // namespace vireo
