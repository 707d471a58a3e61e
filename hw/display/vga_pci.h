// QEMU's standard VGA ("-vga std", device "VGA"; QEMU docs/specs/standard-vga.rst): a PCI
// display controller 1234:1111 (class 03 00 00, subsystem 1af4:1100, revision 2) with
//   BAR0  the video memory (16 MiB by default), prefetchable: the VBE linear framebuffer;
//   BAR2  4 KiB of MMIO: 0x400-0x41f the VGA ports 0x3c0-0x3df, 0x500-0x515 the Bochs dispi
//         registers (16-bit, index = (offset - 0x500) / 2), 0x600-0x607 QEMU's extended
//         registers (size, framebuffer byte order);
//   ROM   SeaVGABIOS (vgabios-stdvga.bin) in the expansion ROM BAR;
// plus the legacy VGA resources every PC VGA decodes: I/O 0x3b0-0x3df, the dispi ports
// 0x1ce/0x1cf and memory 0xa0000-0xbffff.
#pragma once
#include <memory>
#include <vector>
#include "hw/display/text_console.h"
#include "hw/display/vga.h"
#include "hw/pci/pci.h"

namespace vireo {

class MemoryRegion;
struct VmConfig;

class StdVga : public PciDevice {
public:
    static constexpr u8 kDevfn = 1 << 3;  // 00:01.0, where QEMU's q35 puts the default VGA
    static constexpr u32 kMmioSize = 0x1000;
    // vram_mb: a power of two (QEMU's vgamem_mb, default 16). rom: the BIOS image, or empty.
    StdVga(Machine& m, u8 devfn, u32 vram_mb, const std::vector<u8>& rom);
    const char* type_name() const override { return "VGA"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    VgaCore& core() { return *core_; }
    bool has_rom() const { return has_rom_; }
    // Show the text screen through `sink` from now on (refreshed by the caller's timer).
    void start_console(TextConsole::Sink sink) { console_ = std::make_unique<TextConsole>(*core_, std::move(sink)); }
    TextConsole* console() { return console_.get(); }

private:
    u64 mmio_read(u64 off, unsigned size);
    void mmio_write(u64 off, u64 value, unsigned size);
    MemoryRegion* vram_ = nullptr;
    MemoryRegion* mmio_ = nullptr;
    std::unique_ptr<VgaCore> core_;
    std::unique_ptr<TextConsole> console_;  // after core_: draws its last frame from it
    bool has_rom_ = false;
    bool big_endian_fb_ = false;  // QEMU extended register 0x604
};

// The board's VGA: "-vga std", or the default one (no -vga, no -nodefaults), at 00:01.0 on
// `bus`. The text console draws on stdout when there is neither -nographic nor -display and
// no chardev uses stdio.
//
// The VGA BIOS is looked up as the system BIOS is: each -L directory, then Debian's seabios
// package. Not found: an explicit "-vga std" is an error (OptionError, as QEMU fails on a
// missing romfile); the default VGA comes up without a ROM (SeaBIOS then simply has no VGA
// BIOS), so a missing package does not stop guests that bring their own driver.
void add_std_vga(Machine& m, PciBus& bus, const VmConfig& cfg);

}  // namespace vireo
