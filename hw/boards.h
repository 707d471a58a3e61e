// Machine types (boards) and how -M picks one.
#pragma once
#include <memory>
#include <span>
#include "softmmu/machine.h"

namespace vireo {

struct MachineType {
    const char* name;
    const char* desc;
    bool is_default;
    std::unique_ptr<Machine> (*create)(const VmConfig& cfg);
};

std::span<const MachineType> machine_types();
const MachineType* find_machine_type(std::string_view name);  // "" = default

std::unique_ptr<Machine> create_mini(const VmConfig& cfg);
std::unique_ptr<Machine> create_q35(const VmConfig& cfg);

}  // namespace vireo
