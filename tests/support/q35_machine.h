// Test helpers for whole-machine tests: build a q35 machine as the command line would, reach
// PCI configuration space the way firmware does, find a device, restore a device's state.
#pragma once
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>
#include "hw/boards.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

namespace vireo::test {

// A VmConfig from command-line words, e.g. config({"-nodefaults", "-m", "256"}).
inline VmConfig config(std::vector<std::string> args) {
    std::vector<char*> argv;
    static char prog[] = "vireo";
    argv.push_back(prog);
    for (std::string& a : args) argv.push_back(a.data());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// q35 without default devices and with the serial port on null (cfg must outlive the machine).
inline std::unique_ptr<Machine> make_q35(VmConfig& cfg) {
    cfg.machine_type = "q35";
    cfg.nodefaults = true;
    cfg.serials = {"null"};
    return create_q35(cfg);
}

// Configuration mechanism #1 (PCI 3.0 3.2.2.3.2), as SeaBIOS's pci_config_read*/write*.
inline u32 conf1_read(Machine& m, unsigned devfn, unsigned reg, unsigned size, unsigned bus = 0) {
    m.io_write(0xcf8, 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc) | (reg & 0xf00) << 16, 4);
    return m.io_read(static_cast<u16>(0xcfc + (reg & 3)), size);
}
inline void conf1_write(Machine& m, unsigned devfn, unsigned reg, u32 v, unsigned size, unsigned bus = 0) {
    m.io_write(0xcf8, 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc) | (reg & 0xf00) << 16, 4);
    m.io_write(static_cast<u16>(0xcfc + (reg & 3)), v, size);
}

template <class T>
T* find_device(Machine& m) {
    for (auto& d : m.devices())
        if (auto* p = dynamic_cast<T*>(d.get())) return p;
    return nullptr;
}

// Load a saved state as a snapshot restore would: the fields, then the device's post-load
// hook that re-derives mappings and output lines from them.
template <class D>
void load_state(D& d, const std::vector<u8>& buf) {
    StateReader r(buf);
    d.describe_state(r);
    EXPECT_TRUE(r.consumed());
    if constexpr (requires { d.post_load(); }) d.post_load();
}

// Debian's SeaBIOS image (the ROM the board maps), or empty if it is not installed.
inline std::vector<u8> bios_image() {
    std::vector<u8> v(256 * 1024);
    std::FILE* f = std::fopen("/usr/share/seabios/bios-256k.bin", "rb");
    if (!f) return {};
    v.resize(std::fread(v.data(), 1, v.size(), f));
    std::fclose(f);
    return v;
}

}  // namespace vireo::test
