// Pieces both PC boards (mini, q35) build the same way: CPUs from -cpu, the -device list,
// COM1-COM4 on -serial, and reading the files the command line names.
#pragma once
#include <functional>
#include <string>
#include <vector>
#include "hw/core/irq.h"
#include "hw/core/isa_irq.h"
#include "softmmu/machine.h"

namespace vireo {

class PciBus;

// The whole file, or OptionError("OPTION: could not open 'PATH'").
std::vector<u8> read_file(const std::string& path, const char* option);
// cfg.smp.cpus CPUs of the -cpu model (default qemu64), reset; CPU 0 is the BSP.
void create_cpus(Machine& m, const VmConfig& cfg);
// Every -device, realized in order: PCI devices plug into `pci` (at addr=SLOT[.FN] or the first
// free slot), ISA devices that want IRQ lines get `isa_irqs`.
void add_user_devices(Machine& m, const VmConfig& cfg, PciBus* pci, const IsaIrqs& isa_irqs);
// COM1-COM4 (0x3f8/IRQ4, 0x2f8/IRQ3, 0x3e8/IRQ4, 0x2e8/IRQ3) for the -serial list; without
// -serial, one port on stdio with -nographic (else none). isa_irq(n) is the board's ISA IRQ n.
void add_serial_ports(Machine& m, const VmConfig& cfg, const std::function<IrqLine(unsigned)>& isa_irq);

// A warning line for each -global no device of this build takes (QEMU applies globals
// lazily and also only warns about unused ones).
void warn_ignored_globals(const VmConfig& cfg);
// -debugcon DEV: isa-debugcon at 0xe9, or where -global isa-debugcon.iobase= puts it (SeaBIOS
// logs to 0x402).
void add_debugcons(Machine& m, const VmConfig& cfg);

}  // namespace vireo
