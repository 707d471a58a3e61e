// Device core (ARCHITECTURE.md "Devices and boards"): a device is a small class with realize,
// reset and a state description; types register by name so -device/-global/-device help work.
// Implementations live in hw/; the machine owns the instances (no globals).
#pragma once
#include <memory>
#include <span>
#include <string>
#include <vector>
#include "frontend-x86/types.h"
#include "softmmu/options.h"

namespace vireo {

class Machine;

// Snapshot/record-replay description of a device's state: named fields, visited in order.
class StateVisitor {
public:
    virtual ~StateVisitor() = default;
    virtual void field(const char* name, void* data, size_t size) = 0;
};

class Device {
public:
    virtual ~Device() = default;
    virtual const char* type_name() const = 0;
    // Create regions and IRQ lines and map them into the machine.
    virtual void realize(Machine& m) = 0;
    virtual void reset() {}
    virtual void describe_state(StateVisitor&) {}
    // After describe_state() loaded a state: re-derive what the registers imply (mappings, lines).
    virtual void post_load() {}
    std::string id;
};

// An interrupt controller that counts the rising edges at its inputs (`info irq`; QEMU's
// InterruptStatsProvider). The counts survive resets, as QEMU's do.
class IrqStatsProvider {
public:
    virtual ~IrqStatsProvider() = default;
    // The header name QEMU prints ("ioapic", "isa-i8259") and one count per input line.
    virtual const char* irq_stats_name() const = 0;
    virtual std::span<const u64> irq_counts() const = 0;
};

struct PropertyInfo {
    const char* name;
    const char* type;  // "uint32", "chardev", ...
    const char* desc;
};

struct DeviceType {
    const char* name;
    const char* desc;
    std::vector<PropertyInfo> props;
    // Build from -device properties (already merged with -global); throws OptionError.
    std::unique_ptr<Device> (*create)(const KeyValues& props);
};

// The device types of this build (hw/device_types.cc).
std::span<const DeviceType> device_types();
const DeviceType* find_device_type(std::string_view name);

}  // namespace vireo
