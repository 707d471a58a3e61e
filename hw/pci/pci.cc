// PCI configuration space, BAR decoding, the bus and configuration mechanism #1 (pci.h).
#include "hw/pci/pci.h"

#include <vector>
#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

PciDevice::PciDevice(u8 devfn, u16 vendor, u16 device, u32 class_code, u8 revision) : devfn_(devfn) {
    set16(kPciVendorId, vendor);
    set16(kPciDeviceId, device);
    set8(kPciRevision, revision);
    set8(kPciClassProg, class_code & 0xff);
    set16(kPciClassDevice, static_cast<u16>(class_code >> 8));
    // Command: I/O, memory, bus master, SERR#, interrupt disable are RW (PCI 3.0 6.2.2); the
    // status error bits are RWC.
    set_wmask16(kPciCommand, kPciCmdIo | kPciCmdMemory | kPciCmdMaster | (1u << 8) | kPciCmdIntxDisable);
    set_w1cmask16(kPciStatus, 0xf900);
    set_wmask8(kPciCacheLineSize, 0xff);
    set_wmask8(kPciLatencyTimer, 0xff);
    set_wmask8(kPciInterruptLine, 0xff);
}

void PciDevice::reset() {
    if (!reset_recorded_) {
        reset_ = config_;
        reset_recorded_ = true;
    }
    config_ = reset_;
    irq_level_ = false;
    update_mappings();
}

void PciDevice::describe_state(StateVisitor& v) {
    v.field("config", config_.data(), config_.size());
    v.field("irq_level", &irq_level_, sizeof irq_level_);
}

u32 PciDevice::config_read(unsigned off, unsigned size) {
    u32 v = 0;
    for (unsigned i = 0; i < size; i++) v |= static_cast<u32>(config_[off + i]) << (8 * i);
    return v;
}

void PciDevice::config_write(unsigned off, u32 value, unsigned size) {
    bool remap = false;
    for (unsigned i = 0; i < size; i++) {
        const unsigned o = off + i;
        const u8 b = static_cast<u8>(value >> (8 * i));
        config_[o] = static_cast<u8>((config_[o] & ~wmask_[o]) | (b & wmask_[o]));
        config_[o] &= static_cast<u8>(~(b & w1cmask_[o]));
        if (o == kPciCommand || (o >= kPciBar0 && o < kPciBar0 + 24) || (o >= kPciRomAddress && o < kPciRomAddress + 4))
            remap = true;
    }
    if (remap) update_mappings();
    if (off <= kPciCommand + 1 && off + size > kPciCommand + 1) set_irq(irq_level_);  // INTx disable toggled
}

void PciDevice::set_irq(bool level) {
    irq_level_ = level;
    u16 status = cfg16(kPciStatus);
    set16(kPciStatus, level ? status | kPciStatusIntx : status & ~kPciStatusIntx);
    const unsigned pin = cfg8(kPciInterruptPin);
    if (!pin || !bus_ || !bus_->route_intx) return;
    bus_->route_intx(*this, pin, level && !(cfg16(kPciCommand) & kPciCmdIntxDisable));
}

void PciDevice::register_bar(unsigned n, PciBarType type, MemoryRegion* region) {
    Bar& b = bars_[n];
    b.region = region;
    b.type = type;
    b.size = region->size();
    const unsigned off = kPciBar0 + 4 * n;
    if (type == PciBarType::Io) {
        set32(off, 1);  // PCI 3.0 6.2.5.1: bit 0 = 1 for I/O space
        set_wmask32(off, static_cast<u32>(~(b.size - 1)) & ~3u);
    } else {
        set32(off, type == PciBarType::Mem64 ? 4 : 0);  // bits 2:1 = 10b: 64-bit
        set_wmask32(off, static_cast<u32>(~(b.size - 1)) & ~15u);
        if (type == PciBarType::Mem64) set_wmask32(off + 4, static_cast<u32>(~(b.size - 1) >> 32));
    }
}

void PciDevice::register_rom(MemoryRegion* region) {
    Bar& b = bars_[6];
    b.region = region;
    b.type = PciBarType::Mem32;
    b.size = region->size();
    set_wmask32(kPciRomAddress, (static_cast<u32>(~(b.size - 1)) & 0xfffff800u) | 1u);
}

std::vector<PciDevice::BarInfo> PciDevice::bar_infos() const {
    std::vector<BarInfo> out;
    for (unsigned n = 0; n < bars_.size(); n++) {
        const Bar& b = bars_[n];
        if (!b.region) continue;
        // PCI 3.0 6.2.5.1: bit 3 of a memory BAR says prefetchable; the ROM BAR has no such bit.
        const bool prefetch = n < 6 && b.type != PciBarType::Io && (cfg32(kPciBar0 + 4 * n) & 8);
        out.push_back({n, b.type, prefetch, b.mapped_at, b.size});
    }
    return out;
}

u64 PciDevice::bar_address(unsigned n) const {
    const Bar& b = bars_[n];
    if (n == 6) {
        const u32 rom = cfg32(kPciRomAddress);
        const u64 a = rom & 0xfffff800u;
        if (!(rom & 1) || !(cfg16(kPciCommand) & kPciCmdMemory) || !a || a + b.size > (1ull << 32)) return ~0ull;
        return a;
    }
    const unsigned off = kPciBar0 + 4 * n;
    const u16 cmd = cfg16(kPciCommand);
    if (b.type == PciBarType::Io) {
        if (!(cmd & kPciCmdIo)) return ~0ull;
        const u64 a = cfg32(off) & ~3u;
        // Address 0 or a range running past the 64 KiB I/O space is not decoded.
        if (!a || a + b.size > 0x10000) return ~0ull;
        return a;
    }
    if (!(cmd & kPciCmdMemory)) return ~0ull;
    u64 a = cfg32(off) & ~15u;
    if (b.type == PciBarType::Mem64) a |= static_cast<u64>(cfg32(off + 4)) << 32;
    // 0 is unassigned; all-ones (sizing in progress) or wrapping ranges are not decoded.
    if (!a || a + b.size < a || (b.type == PciBarType::Mem32 && a + b.size >= (1ull << 32))) return ~0ull;
    return a;
}

void PciDevice::update_mappings() {
    if (!bus_) return;
    for (unsigned n = 0; n < bars_.size(); n++) {
        Bar& b = bars_[n];
        if (!b.region) continue;
        const u64 want = bar_address(n);
        if (want == b.mapped_at) continue;
        MemoryRegion* space = b.type == PciBarType::Io ? bus_->io() : bus_->memory();
        if (b.mapped_at != ~0ull) space->del_subregion(b.region);
        b.mapped_at = want;
        if (want != ~0ull) space->add_subregion(b.region, want, 1);
    }
}

void PciBus::plug(PciDevice* d) {
    devices_[d->devfn()] = d;
    d->attach(this);
}

u32 PciBus::config_read(unsigned bus, unsigned devfn, unsigned offset, unsigned size) {
    PciDevice* d = bus == 0 ? device(devfn) : nullptr;
    // No device: the host bridge's master abort reads all ones (PCI 3.0 6.1).
    if (!d) return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return d->config_read(offset, size);
}

void PciBus::config_write(unsigned bus, unsigned devfn, unsigned offset, u32 value, unsigned size) {
    PciDevice* d = bus == 0 ? device(devfn) : nullptr;
    if (d) d->config_write(offset, value, size);
}

void PciConfigPorts::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) -> u64 { return read(static_cast<unsigned>(off), size); };
    ops.write = [this](u64 off, u64 v, unsigned size) { write(static_cast<unsigned>(off), static_cast<u32>(v), size); };
    ops.min_access = 1;
    ops.max_access = 4;
    m.io_space().add_subregion(m.own(MemoryRegion::io("pci-conf1", 8, ops)), 0xcf8, 2);
}

u32 PciConfigPorts::read(unsigned port, unsigned size) {
    if (port < 4) {
        // CONFIG_ADDRESS is a dword register; byte/word accesses to 0xcf8-0xcfb go elsewhere
        // on a PC (0xcf9 is the reset control register, mapped separately at higher priority).
        if (port == 0 && size == 4) return address_;
        return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    }
    const unsigned off = (address_ & 0xfc) | (port & 3);
    if (!(address_ & 0x80000000u) || off % size) return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    // Bits 27:24 extend the register number to 4 KiB, as AMD and QEMU's q35 host allow.
    const unsigned reg = off | ((address_ >> 16) & 0xf00);
    return bus_.config_read((address_ >> 16) & 0xff, (address_ >> 8) & 0xff, reg, size);
}

void PciConfigPorts::write(unsigned port, u32 value, unsigned size) {
    if (port < 4) {
        if (port == 0 && size == 4) address_ = value & 0x8ffffffcu;
        return;
    }
    const unsigned off = (address_ & 0xfc) | (port & 3);
    if (!(address_ & 0x80000000u) || off % size) return;
    const unsigned reg = off | ((address_ >> 16) & 0xf00);
    bus_.config_write((address_ >> 16) & 0xff, (address_ >> 8) & 0xff, reg, value, size);
}

std::unique_ptr<MemoryRegion> make_ecam_region(PciBus& bus, u64 size) {
    MemoryOps ops;
    ops.read = [&bus](u64 off, unsigned size) -> u64 {
        if ((off & 0xfff) % size) return ~0ull;
        return bus.config_read((off >> 20) & 0xff, (off >> 12) & 0xff, off & 0xfff, size);
    };
    ops.write = [&bus](u64 off, u64 v, unsigned size) {
        if ((off & 0xfff) % size) return;
        bus.config_write((off >> 20) & 0xff, (off >> 12) & 0xff, off & 0xfff, static_cast<u32>(v), size);
    };
    ops.min_access = 1;
    ops.max_access = 4;
    return MemoryRegion::io("pcie-mmcfg", size, ops);
}

}  // namespace vireo
