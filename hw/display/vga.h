// The VGA core: the register files of the IBM VGA (sequencer, CRT controller, graphics
// controller, attribute controller, DAC, general registers; IBM "VGA Technical Reference",
// FreeVGA's register pages), the 0xa0000-0xbffff memory window with its planar, chain-4 and
// odd/even addressing and the four write modes, and the Bochs VBE "dispi" extension
// (index/data at 0x1ce/0x1cf; Bochs vbe.h / QEMU docs/specs/standard-vga.rst).
//
// The core knows nothing about PCI or the machine: it works on a VRAM buffer it is given and
// is driven by port numbers (0x3b0-0x3df) and window offsets, so unit tests poke it directly.
// VRAM layout: plane p of planar offset k is byte 4k+p, so chain-4 (mode 13h) and the VBE
// linear framebuffer address VRAM byte for byte.
#pragma once
#include <array>
#include <vector>
#include "frontend-x86/types.h"
#include "softmmu/device.h"

namespace vireo {

// Bochs VBE dispi register indexes and values (Bochs iodev/vga.h, vbe.h).
namespace dispi {
enum Index : u16 {
    kId = 0, kXres = 1, kYres = 2, kBpp = 3, kEnable = 4, kBank = 5, kVirtWidth = 6, kVirtHeight = 7,
    kXOffset = 8, kYOffset = 9, kVideoMemory64k = 10, kCount = 11,
};
constexpr u16 kId0 = 0xb0c0, kId5 = 0xb0c5;
enum Enable : u16 { kEnabled = 0x01, kGetCaps = 0x02, k8BitDac = 0x20, kLfbEnabled = 0x40, kNoClearMem = 0x80 };
// QEMU's limits (what GETCAPS reports).
constexpr u16 kMaxXres = 16000, kMaxYres = 12000, kMaxBpp = 32;
}  // namespace dispi

class VgaCore {
public:
    // vram: the card's memory (at least 256 KiB, a multiple of 64 KiB), owned by the caller.
    VgaCore(u8* vram, u32 vram_size);
    void reset();
    void describe_state(StateVisitor& v);

    // Legacy I/O ports 0x3b0-0x3df, one byte at a time.
    u8 port_read(u16 port);
    void port_write(u16 port, u8 value);
    // The Bochs dispi interface: index port 0x1ce, data port 0x1cf (16-bit registers).
    u16 dispi_index() const { return dispi_index_; }
    void set_dispi_index(u16 index) { dispi_index_ = index; }
    u16 dispi_read();
    void dispi_write(u16 value);
    // The legacy memory window: offset from 0xa0000 (0 .. 0x1ffff), byte accesses.
    u8 mem_read(u32 offset);
    void mem_write(u32 offset, u8 value);

    // Register files, for the renderer, describe_state and tests.
    u8 seq(unsigned i) const { return sr_[i & 7]; }
    u8 gr(unsigned i) const { return gr_[i & 15]; }
    u8 crtc(unsigned i) const { return cr_[i & 0xff]; }
    u8 attr(unsigned i) const { return ar_[i % ar_.size()]; }
    u8 misc() const { return misc_; }
    u16 dispi_reg(unsigned i) const { return i < dispi::kCount ? vbe_[i] : 0; }
    bool vbe_enabled() const { return vbe_[dispi::kEnable] & dispi::kEnabled; }
    const u8* vram() const { return vram_; }
    u32 vram_size() const { return vram_size_; }
    // 256 entries of R, G, B (6 bits each unless the VBE 8-bit DAC is on).
    const std::array<u8, 768>& palette() const { return palette_; }

private:
    bool port_decoded(u16 port) const;  // 0x3bx in mono, 0x3dx in colour emulation only
    void crtc_write(u8 value);
    void attr_write(u8 value);
    void dac_write(u8 value);
    u8 dac_read();
    void dispi_fixup();                 // clamp geometry, recompute line offset
    void dispi_set_vga_regs();          // VBE on: graphics mode, 64 KiB window at 0xa0000
    u32 window_offset(u32 offset, bool& hit) const;  // window offset -> VRAM address (chain-4 view)
    u32 latch_at(u32 planar) const;

    u8* vram_;
    u32 vram_size_;
    // Register files (IBM VGA Technical Reference, "Programming Considerations").
    u8 misc_ = 0, feature_ = 0, st01_ = 0;
    u8 sr_index_ = 0, gr_index_ = 0, cr_index_ = 0, ar_index_ = 0;
    bool ar_flip_flop_ = false;  // false: next 0x3c0 write is the index
    std::array<u8, 8> sr_{};
    std::array<u8, 16> gr_{};
    std::array<u8, 256> cr_{};
    std::array<u8, 21> ar_{};
    u32 latch_ = 0;  // the four plane latches, plane p in bits 8p..8p+7
    // DAC (IBM VGA Technical Reference, "Video DAC"): write and read indexes share the
    // three-byte sub-index; state 0 = write mode, 3 = read mode (port 0x3c7 read).
    u8 dac_write_index_ = 0, dac_read_index_ = 0, dac_sub_ = 0, dac_state_ = 0, pel_mask_ = 0xff;
    std::array<u8, 3> dac_cache_{};
    std::array<u8, 768> palette_{};
    // Bochs VBE.
    u16 dispi_index_ = 0;
    std::array<u16, dispi::kCount> vbe_{};
    u32 bank_offset_ = 0, line_offset_ = 0;
};

}  // namespace vireo
