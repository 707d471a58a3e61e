// q35 MCH D0:F0 (q35_mch.h).
#include "hw/pci-host/q35_mch.h"

#include <cstring>
#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

Q35Mch::Q35Mch(MemoryRegion* ram, MemoryRegion* pci_memory, MemoryRegion* system, u64 ram_below_4g)
    : PciDevice(0, 0x8086, 0x29c0, 0x060000, 0), ram_(ram), pci_(pci_memory), system_(system) {
    set16(kPciSubsystemVendorId, 0x1af4);  // as QEMU's q35 (FIRMWARE.md 3)
    set16(kPciSubsystemId, 0x1100);
    set_wmask16(kPciCommand, 0);  // the host bridge's command register is fixed
    // PCIEXBAR (datasheet 5.1.13): base bits 35:26, length 2:1, enable 0.
    set_wmask32(kPciexbar, 0xfc000007u);
    set_wmask32(kPciexbar + 4, 0xf);
    // PAM0 (5.1.18): only HIENABLE (5:4) for 0F0000h-0FFFFFh; PAM1-6: both nibbles.
    set_wmask8(kPam0, 0x30);
    for (unsigned i = 1; i <= 6; i++) set_wmask8(kPam0 + i, 0x33);
    // SMRAMC (5.1.25): D_OPEN, D_CLS, D_LCK, G_SMRAME RW; C_BASE_SEG = 010b (compatible SMRAM at A0000h).
    set8(kSmramc, 0x02);
    set_wmask8(kSmramc, 0x78);
    // ESMRAMC (5.1.26): H_SMRAME, TSEG_SZ, T_EN RW; E_SMERR RWC; the cache bits read 1.
    set8(kEsmramc, 0x38);
    set_wmask8(kEsmramc, 0x87);
    // TOLUD (5.1.31): bits 15:4 = top of low usable DRAM, address bits 31:20.
    set16(kTolud, static_cast<u16>((ram_below_4g >> 20) << 4));
}

void Q35Mch::realize(Machine& m) {
    machine_ = &m;
    // PAM segments: 0 = 0xf0000 (64 KiB), then 0xc0000.. in 16 KiB pieces, two per register.
    for (unsigned i = 0; i < pam_.size(); i++) {
        PamSegment& s = pam_[i];
        s.base = i == 0 ? 0xf0000 : 0xc0000 + (i - 1) * 0x4000;
        s.size = i == 0 ? 0x10000 : 0x4000;
        const std::string n = "pam-" + std::to_string(i);
        s.mode[0] = m.own(MemoryRegion::alias(n + "-pci", pci_, s.base, s.size));
        s.mode[1] = m.own(MemoryRegion::alias(n + "-ro", ram_, s.base, s.size));
        s.mode[1]->set_readonly(true);
        // Write-only DRAM: reads come from the PCI side (the BIOS ROM), writes land in DRAM.
        MemoryOps ops;
        const u64 base = s.base;
        ops.read = [this, base](u64 off, unsigned size) -> u64 { return pci_as_->read(base + off, size); };
        ops.write = [this, base](u64 off, u64 v, unsigned size) {
            std::memcpy(ram_->host() + base + off, &v, size);
            if (machine_->memory().write_hook) machine_->memory().write_hook(base + off, size);
        };
        s.mode[2] = m.own(MemoryRegion::io(n + "-wo", s.size, ops));
        s.mode[3] = m.own(MemoryRegion::alias(n + "-rw", ram_, s.base, s.size));
        for (MemoryRegion* r : s.mode) {
            r->set_enabled(false);
            system_->add_subregion(r, s.base, 1);
        }
    }
    pci_as_ = std::make_unique<AddressSpace>("pci-memory", pci_, ~0ull);
    // The VGA window: the PCI side (legacy VGA) unless SMRAM is open to non-SMM accesses.
    auto vga_pci = m.own(MemoryRegion::alias("smram-pci", pci_, 0xa0000, 0x20000));
    system_->add_subregion(vga_pci, 0xa0000, 1);
    smram_window_ = m.own(MemoryRegion::alias("smram-dram", ram_, 0xa0000, 0x20000));
    system_->add_subregion(smram_window_, 0xa0000, 2);
    ecam_ = m.own(make_ecam_region(*bus(), 256ull << 20));
    reset();
}

void Q35Mch::reset() {
    PciDevice::reset();
    set_wmask8(kSmramc, 0x78);  // D_LCK holds only until reset
    set_wmask8(kEsmramc, 0x87);
    if (!machine_) return;
    update_pam();
    update_smram();
    update_pciexbar();
}

void Q35Mch::post_load() {
    PciDevice::post_load();
    const bool locked = cfg8(kSmramc) & 0x10;
    set_wmask8(kSmramc, locked ? 0x20 : 0x78);
    set_wmask8(kEsmramc, locked ? 0 : 0x87);
    update_pam();
    update_smram();
    update_pciexbar();
}

unsigned Q35Mch::pam_mode(unsigned i) const {
    if (i == 0) return (cfg8(kPam0) >> 4) & 3;
    const u8 reg = cfg8(kPam0 + 1 + (i - 1) / 2);
    return ((i - 1) & 1 ? reg >> 4 : reg) & 3;
}

void Q35Mch::update_pam() {
    for (unsigned i = 0; i < pam_.size(); i++) {
        const unsigned mode = pam_mode(i);
        for (unsigned k = 0; k < 4; k++) pam_[i].mode[k]->set_enabled(k == mode);
    }
}

void Q35Mch::update_smram() {
    // 5.1.25: with G_SMRAME set and D_OPEN, non-SMM accesses to A0000h-BFFFFh reach DRAM
    // (D_CLS only matters for SMM data accesses, and there is no SMM here).
    const u8 smramc = cfg8(kSmramc);
    smram_window_->set_enabled((smramc & 0x08) && (smramc & 0x40));
}

u64 Q35Mch::ecam_base() const {
    const u64 bar = cfg32(kPciexbar) | static_cast<u64>(cfg32(kPciexbar + 4)) << 32;
    if (!(bar & 1)) return ~0ull;
    return bar & 0xffc000000ull;
}

void Q35Mch::update_pciexbar() {
    // 5.1.13: LENGTH 00b = 256 MB (base bits 35:28), 01b = 128 MB (35:27), 10b = 64 MB (35:26).
    const u64 bar = cfg32(kPciexbar) | static_cast<u64>(cfg32(kPciexbar + 4)) << 32;
    const unsigned len = (bar >> 1) & 3;
    u64 want = ~0ull, size = 0;
    if ((bar & 1) && len != 3) {
        size = (256ull << 20) >> len;
        want = bar & 0xffffffffffull & ~(size - 1) & 0xffc000000ull;
    }
    if (want == ecam_mapped_ && (want == ~0ull || ecam_->size() == size)) return;
    if (ecam_mapped_ != ~0ull) pci_->del_subregion(ecam_);
    ecam_mapped_ = want;
    if (want == ~0ull) return;
    if (ecam_->size() != size) ecam_ = machine_->own(make_ecam_region(*bus(), size));
    pci_->add_subregion(ecam_, want, 2);
}

void Q35Mch::config_write(unsigned offset, u32 value, unsigned size) {
    const u8 smram_before = cfg8(kSmramc);
    PciDevice::config_write(offset, value, size);
    auto touches = [&](unsigned lo, unsigned len) { return offset < lo + len && offset + size > lo; };
    if (touches(kSmramc, 1) && (smram_before & 0x10)) {
        // D_LCK (5.1.25): once set, D_OPEN reads 0 and the register is read-only until reset.
        set8(kSmramc, static_cast<u8>((smram_before & ~0x20) | (cfg8(kSmramc) & 0x20)));  // D_CLS stays RW
    } else if (touches(kSmramc, 1) && (cfg8(kSmramc) & 0x10)) {
        set8(kSmramc, cfg8(kSmramc) & ~0x40);
        set_wmask8(kSmramc, 0x20);
        set_wmask8(kEsmramc, 0);  // 5.1.26: H_SMRAME, TSEG_SZ, T_EN are RW/L
    }
    if (touches(kPam0, 7)) update_pam();
    if (touches(kSmramc, 1)) update_smram();
    if (touches(kPciexbar, 8)) update_pciexbar();
}

}  // namespace vireo
