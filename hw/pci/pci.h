// PCI devices, the bus and the host's configuration access (PCI Local Bus Specification 3.0,
// chapter 6 "Configuration Space"; PCI Express Base 4.0, 7.2.2 "Enhanced Configuration Access
// Mechanism"). A PciDevice keeps a 4 KiB configuration space with per-byte write and
// write-one-to-clear masks (the datasheet's RW/RO/RWC attributes), decodes its BARs and maps
// them into the bus's memory and I/O containers when the command register enables them.
#pragma once
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;
class PciBus;

// PCI 3.0 6.1 "Configuration Space Organization" register offsets.
enum PciConfig : unsigned {
    kPciVendorId = 0x00, kPciDeviceId = 0x02, kPciCommand = 0x04, kPciStatus = 0x06,
    kPciRevision = 0x08, kPciClassProg = 0x09, kPciClassDevice = 0x0a, kPciCacheLineSize = 0x0c,
    kPciLatencyTimer = 0x0d, kPciHeaderType = 0x0e, kPciBar0 = 0x10, kPciSubsystemVendorId = 0x2c,
    kPciSubsystemId = 0x2e, kPciRomAddress = 0x30, kPciCapabilityList = 0x34, kPciInterruptLine = 0x3c,
    kPciInterruptPin = 0x3d,
};
// Command register bits (PCI 3.0 6.2.2).
enum : u16 { kPciCmdIo = 1u << 0, kPciCmdMemory = 1u << 1, kPciCmdMaster = 1u << 2, kPciCmdIntxDisable = 1u << 10 };
enum : u16 { kPciStatusIntx = 1u << 3, kPciStatusCapList = 1u << 4 };

enum class PciBarType : u8 { Io, Mem32, Mem64 };

class PciDevice : public Device {
public:
    // class_code: base class << 16 | sub-class << 8 | programming interface.
    PciDevice(u8 devfn, u16 vendor, u16 device, u32 class_code, u8 revision);
    void realize(Machine& m) override {}
    // PCI 3.0 6.2.2: command 0, BARs unmapped; devices add their own. The first reset (the
    // board resets every device once it is built) records the power-on configuration space.
    void reset() override;
    void describe_state(StateVisitor& v) override;
    void post_load() override { update_mappings(); }

    // Configuration accesses as the host bridge forwards them (offset < 4096, size 1/2/4,
    // never crossing a dword).
    virtual u32 config_read(unsigned offset, unsigned size);
    virtual void config_write(unsigned offset, u32 value, unsigned size);

    u8 devfn() const { return devfn_; }
    unsigned slot() const { return devfn_ >> 3; }
    unsigned function() const { return devfn_ & 7; }
    // INTx output (the pin in config 0x3d); the bus routes it through the board's swizzle.
    void set_irq(bool level);

    // Raw config-space helpers (little-endian), for devices and tests.
    u8 cfg8(unsigned off) const { return config_[off]; }
    u16 cfg16(unsigned off) const { return static_cast<u16>(config_[off] | config_[off + 1] << 8); }
    u32 cfg32(unsigned off) const { return cfg16(off) | static_cast<u32>(cfg16(off + 2)) << 16; }

    // A declared BAR (n = 0..5, 6 = expansion ROM) as the monitor shows it (`info pci`).
    struct BarInfo {
        unsigned n;
        PciBarType type;
        bool prefetch;
        u64 addr;  // where it is mapped now; ~0 when it is not (QEMU's PCI_BAR_UNMAPPED)
        u64 size;
    };
    std::vector<BarInfo> bar_infos() const;

    void attach(PciBus* bus) { bus_ = bus; }
    void set_devfn(u8 devfn) { devfn_ = devfn; }  // before plugging (-device addr=)

protected:
    void set8(unsigned off, u8 v) { config_[off] = v; }
    void set16(unsigned off, u16 v) { set8(off, v & 0xff); set8(off + 1, v >> 8); }
    void set32(unsigned off, u32 v) { set16(off, v & 0xffff); set16(off + 2, v >> 16); }
    // Which bits software may write (RW) and which it clears by writing one (RWC).
    void set_wmask8(unsigned off, u8 m) { wmask_[off] = m; }
    void set_wmask16(unsigned off, u16 m) { wmask_[off] = m & 0xff; wmask_[off + 1] = m >> 8; }
    void set_wmask32(unsigned off, u32 m) { set_wmask16(off, m & 0xffff); set_wmask16(off + 2, m >> 16); }
    void set_w1cmask16(unsigned off, u16 m) { w1cmask_[off] = m & 0xff; w1cmask_[off + 1] = m >> 8; }
    // Declare BAR n backed by `region` (its size, a power of two, is the BAR's size).
    void register_bar(unsigned n, PciBarType type, MemoryRegion* region);
    // The expansion ROM BAR at 0x30 (PCI 3.0 6.2.5.2), decoded when its enable bit and memory
    // space are both on.
    void register_rom(MemoryRegion* region);
    // Re-evaluate BAR mappings (after command or BAR writes).
    void update_mappings();
    PciBus* bus() const { return bus_; }

private:
    struct Bar {
        MemoryRegion* region = nullptr;
        PciBarType type = PciBarType::Mem32;
        u64 size = 0;
        u64 mapped_at = ~0ull;  // ~0: not mapped
    };
    u64 bar_address(unsigned n) const;  // ~0 when the BAR is disabled or invalid
    u8 devfn_;
    PciBus* bus_ = nullptr;
    std::array<u8, 4096> config_{}, wmask_{}, w1cmask_{}, reset_{};
    std::array<Bar, 7> bars_{};  // 0-5, then 6 = expansion ROM
    bool irq_level_ = false;
    bool reset_recorded_ = false;
};

// One PCI bus (bus 0 of the q35 root complex): devices by devfn, the memory and I/O
// containers BARs map into, and the board's INTx routing.
class PciBus {
public:
    PciBus(MemoryRegion* memory, MemoryRegion* io) : memory_(memory), io_(io) {}
    void plug(PciDevice* d);
    PciDevice* device(unsigned devfn) const { return devfn < 256 ? devices_[devfn] : nullptr; }
    // Type 1 (bus, devfn, register) configuration access; nothing there reads all ones.
    u32 config_read(unsigned bus, unsigned devfn, unsigned offset, unsigned size);
    void config_write(unsigned bus, unsigned devfn, unsigned offset, u32 value, unsigned size);
    MemoryRegion* memory() const { return memory_; }
    MemoryRegion* io() const { return io_; }
    // Board routing of a device's INTx pin (1 = INTA .. 4 = INTD) to an interrupt line.
    std::function<void(PciDevice& dev, unsigned pin, bool level)> route_intx;

private:
    MemoryRegion* memory_;
    MemoryRegion* io_;
    std::array<PciDevice*, 256> devices_{};
};

// Configuration Mechanism #1 (PCI 3.0 3.2.2.3.2): CONFIG_ADDRESS at 0xcf8 (dword accesses
// only), CONFIG_DATA at 0xcfc-0xcff (byte, word or dword at the offset's low bits).
class PciConfigPorts : public Device {
public:
    explicit PciConfigPorts(PciBus& bus) : bus_(bus) {}
    const char* type_name() const override { return "pci-conf1"; }
    void realize(Machine& m) override;
    void reset() override { address_ = 0; }
    void describe_state(StateVisitor& v) override { v.field("address", &address_, sizeof address_); }
    u32 read(unsigned port, unsigned size);  // port: 0..7 from 0xcf8
    void write(unsigned port, u32 value, unsigned size);

private:
    PciBus& bus_;
    u32 address_ = 0;
};

// The ECAM window (PCIe 4.0 7.2.2): bus << 20 | device << 15 | function << 12 | register.
std::unique_ptr<MemoryRegion> make_ecam_region(PciBus& bus, u64 size);

}  // namespace vireo
