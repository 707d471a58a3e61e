// `info pci` (the monitor): a PCI bus's devices in QEMU 7.2's text layout (hmp_info_pci and
// qmp_query_pci_device), with QEMU's class descriptions ("Host bridge", "VGA controller").
#pragma once
#include <string>
#include "frontend-x86/types.h"

namespace vireo {

class PciBus;

// QEMU's description of a class code (base class << 8 | sub-class), or nullptr ("Class %04x").
const char* pci_class_description(u16 class_code);

// Every device on `bus` (bus number `bus_number`) in devfn order, e.g.
//   "  Bus  0, device   1, function 0:\n    VGA controller: PCI device 1234:1111\n ..."
std::string describe_pci_bus(const PciBus& bus, unsigned bus_number = 0);

}  // namespace vireo
