// The machine and device type tables of this build.
#include "hw/boards.h"

#include "hw/misc/debug_exit.h"
#include "hw/char/serial.h"
#include "hw/misc/pc_testdev.h"
#include "hw/misc/pci_testdev.h"

namespace vireo {

namespace {

const MachineType kMachines[] = {
    {"q35", "Standard PC (Q35 + ICH9, 2009) with SeaBIOS (default)", true, create_q35},
    {"pc-q35-7.2", "Standard PC (Q35 + ICH9, 2009), the machine QEMU 7.2 calls q35", false, create_q35},
    {"mini", "Minimal PC without firmware: RAM, 8259, 8254, 16550 UARTs; Multiboot -kernel loaded directly", false, create_mini},
};

u64 number_prop(const KeyValues& p, const char* key, u64 def) {
    try {
        return p.get_number(key, def);
    } catch (const OptionError& e) {
        throw OptionError(std::string("-device: property '") + key + "': " + e.what());
    }
}

std::unique_ptr<Device> make_debug_exit(const KeyValues& p) {
    for (auto& kv : p.entries())
        if (kv.key != "iobase" && kv.key != "iosize")
            throw OptionError("-device isa-debug-exit: property '" + kv.key + "' not found");
    u64 base = number_prop(p, "iobase", 0x501), size = number_prop(p, "iosize", 2);
    if (base > 0xffff || !size || size > 4 || base + size > 0x10000)
        throw OptionError("-device isa-debug-exit: iobase/iosize out of range");
    return std::make_unique<DebugExit>(static_cast<u16>(base), static_cast<u16>(size));
}

void no_props(const KeyValues& p, const char* driver, std::initializer_list<const char*> allowed) {
    for (auto& kv : p.entries()) {
        bool ok = false;
        for (const char* a : allowed) ok = ok || kv.key == a;
        if (!ok) throw OptionError(std::string("-device ") + driver + ": property '" + kv.key + "' not found");
    }
}

std::unique_ptr<Device> make_pc_testdev(const KeyValues& p) {
    no_props(p, "pc-testdev", {});
    return std::make_unique<PcTestdev>();
}

std::unique_ptr<Device> make_pci_testdev(const KeyValues& p) {
    no_props(p, "pci-testdev", {"addr"});
    return std::make_unique<PciTestdev>(0);  // devfn assigned when plugged
}

const DeviceType kDevices[] = {
    {"isa-debug-exit", "ISA debug exit device: a write of V exits with status (V<<1)|1",
     {{"iobase", "uint32", "I/O port (default 0x501)"}, {"iosize", "uint32", "port count (default 2)"}},
     make_debug_exit},
    {"pc-testdev", "ISA test device of kvm-unit-tests: scratch ports 0xe0/0xe8, IRQ ports 0x2000+n, MMIO 0xff000000",
     {}, make_pc_testdev},
    {"pci-testdev", "PCI Test Device (1b36:0005)", {{"addr", "int32", "PCI slot and function (SLOT[.FN])"}},
     make_pci_testdev},
};

}  // namespace

std::span<const MachineType> machine_types() { return kMachines; }

const MachineType* find_machine_type(std::string_view name) {
    for (const MachineType& t : kMachines)
        if (name.empty() ? t.is_default : name == t.name) return &t;
    return nullptr;
}

std::span<const DeviceType> device_types() { return kDevices; }

const DeviceType* find_device_type(std::string_view name) {
    for (const DeviceType& t : kDevices)
        if (name == t.name) return &t;
    return nullptr;
}

}  // namespace vireo
