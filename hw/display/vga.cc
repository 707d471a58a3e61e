// The VGA core (vga.h). Register bit meanings follow FreeVGA ("Sequencer Registers", "CRT
// Controller Registers", "Graphics Registers", "Attribute Controller Registers", "DAC
// Operation") and the IBM VGA Technical Reference; the VBE part follows Bochs' dispi
// interface as QEMU's stdvga implements it (docs/specs/standard-vga.rst).
#include "hw/display/vga.h"

#include <algorithm>
#include <cstring>

namespace vireo {

namespace {

// Which bits of each register exist (writes of the others read back as 0).
// FreeVGA Sequencer: SR0 bits 1:0; SR1 5,4,3,2,0; SR2 3:0; SR3 5:0; SR4 3:1.
constexpr u8 kSrMask[8] = {0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0x00, 0x00, 0x00};
// FreeVGA Graphics: GR0-2 3:0, GR3 4:0, GR4 1:0, GR5 6,5,4,3,1,0, GR6 3:0, GR7 3:0, GR8 7:0.
constexpr u8 kGrMask[16] = {0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff};

// Graphics controller register numbers.
enum : unsigned { kGrSetReset = 0, kGrEnableSetReset = 1, kGrColorCompare = 2, kGrDataRotate = 3,
                  kGrReadMap = 4, kGrMode = 5, kGrMisc = 6, kGrColorDontCare = 7, kGrBitMask = 8 };
enum : unsigned { kSrMapMask = 2, kSrMemoryMode = 4 };
enum : u8 { kSrMemChain4 = 0x08, kSrMemOddEvenOff = 0x04 };
enum : u8 { kMiscColor = 0x01 };
enum : u8 { kCr11Protect = 0x80 };
// Input status 1 bits: display disabled (0), vertical retrace (3).
enum : u8 { kSt01DisplayOff = 0x01, kSt01Retrace = 0x08 };

// A byte replicated into each plane whose bit is set in `planes`.
u32 expand4(unsigned planes) {
    u32 v = 0;
    for (unsigned p = 0; p < 4; p++)
        if (planes & (1u << p)) v |= 0xffu << (8 * p);
    return v;
}

}  // namespace

VgaCore::VgaCore(u8* vram, u32 vram_size) : vram_(vram), vram_size_(vram_size) { reset(); }

void VgaCore::reset() {
    misc_ = feature_ = st01_ = 0;
    sr_index_ = gr_index_ = cr_index_ = ar_index_ = 0;
    ar_flip_flop_ = false;
    sr_.fill(0);
    gr_.fill(0);
    cr_.fill(0);
    ar_.fill(0);
    latch_ = 0;
    dac_write_index_ = dac_read_index_ = dac_sub_ = dac_state_ = 0;
    pel_mask_ = 0xff;
    dac_cache_.fill(0);
    palette_.fill(0);
    dispi_index_ = 0;
    vbe_.fill(0);
    vbe_[dispi::kId] = dispi::kId5;
    vbe_[dispi::kVideoMemory64k] = static_cast<u16>(vram_size_ >> 16);
    bank_offset_ = line_offset_ = 0;
}

void VgaCore::describe_state(StateVisitor& v) {
    v.field("misc", &misc_, 1);
    v.field("feature", &feature_, 1);
    v.field("st01", &st01_, 1);
    v.field("sr_index", &sr_index_, 1);
    v.field("gr_index", &gr_index_, 1);
    v.field("cr_index", &cr_index_, 1);
    v.field("ar_index", &ar_index_, 1);
    v.field("ar_flip_flop", &ar_flip_flop_, sizeof ar_flip_flop_);
    v.field("sr", sr_.data(), sr_.size());
    v.field("gr", gr_.data(), gr_.size());
    v.field("cr", cr_.data(), cr_.size());
    v.field("ar", ar_.data(), ar_.size());
    v.field("latch", &latch_, sizeof latch_);
    v.field("dac_write_index", &dac_write_index_, 1);
    v.field("dac_read_index", &dac_read_index_, 1);
    v.field("dac_sub_index", &dac_sub_, 1);
    v.field("dac_state", &dac_state_, 1);
    v.field("pel_mask", &pel_mask_, 1);
    v.field("dac_cache", dac_cache_.data(), dac_cache_.size());
    v.field("palette", palette_.data(), palette_.size());
    v.field("vbe_index", &dispi_index_, sizeof dispi_index_);
    v.field("vbe_regs", vbe_.data(), sizeof vbe_);
    v.field("vbe_bank_offset", &bank_offset_, sizeof bank_offset_);
    v.field("vbe_line_offset", &line_offset_, sizeof line_offset_);
}

// ---- I/O ports ----

bool VgaCore::port_decoded(u16 port) const {
    // IBM VGA: Miscellaneous Output bit 0 (I/O address select) puts the CRTC and input status
    // 1 at 0x3d4/0x3d5/0x3da (colour) or 0x3b4/0x3b5/0x3ba (monochrome); the other set is
    // not decoded.
    if (port >= 0x3b0 && port < 0x3c0) return !(misc_ & kMiscColor);
    if (port >= 0x3d0 && port < 0x3e0) return misc_ & kMiscColor;
    return true;
}

u8 VgaCore::port_read(u16 port) {
    if (!port_decoded(port)) return 0xff;
    switch (port) {
    case 0x3c0: return ar_index_;  // attribute address (with the palette address source bit)
    case 0x3c1: return (ar_index_ & 0x1f) < ar_.size() ? ar_[ar_index_ & 0x1f] : 0;
    case 0x3c2: return 0;          // input status 0: no switch sense, no CRT interrupt
    case 0x3c4: return sr_index_;
    case 0x3c5: return sr_[sr_index_];
    case 0x3c6: return pel_mask_;
    case 0x3c7: return dac_state_;
    case 0x3c8: return dac_write_index_;
    case 0x3c9: return dac_read();
    case 0x3ca: return feature_;
    case 0x3cc: return misc_;
    case 0x3ce: return gr_index_;
    case 0x3cf: return gr_[gr_index_];
    case 0x3b4: case 0x3d4: return cr_index_;
    case 0x3b5: case 0x3d5: return cr_[cr_index_];
    case 0x3ba: case 0x3da:
        // Input status 1. Reading it resets the attribute controller's flip-flop to "index"
        // (FreeVGA "Attribute Controller Registers"). Retrace and display-enable toggle on
        // every read so that software waiting for either edge sees it.
        ar_flip_flop_ = false;
        st01_ ^= kSt01Retrace | kSt01DisplayOff;
        return st01_;
    default: return 0xff;
    }
}

void VgaCore::port_write(u16 port, u8 v) {
    if (!port_decoded(port)) return;
    switch (port) {
    case 0x3c0: case 0x3c1:
        // Both addresses write through the flip-flop (0x3c1 is the documented read port).
        if (!ar_flip_flop_) ar_index_ = v & 0x3f;
        else attr_write(v);
        ar_flip_flop_ = !ar_flip_flop_;
        break;
    case 0x3c2: misc_ = v; break;
    case 0x3c4: sr_index_ = v & 7; break;
    case 0x3c5: sr_[sr_index_] = v & kSrMask[sr_index_]; break;
    case 0x3c6: pel_mask_ = v; break;
    case 0x3c7:  // DAC read address: reads start at this entry
        dac_read_index_ = v;
        dac_sub_ = 0;
        dac_state_ = 3;
        break;
    case 0x3c8:  // DAC write address
        dac_write_index_ = v;
        dac_sub_ = 0;
        dac_state_ = 0;
        break;
    case 0x3c9: dac_write(v); break;
    case 0x3ce: gr_index_ = v & 0x0f; break;
    case 0x3cf: gr_[gr_index_] = v & kGrMask[gr_index_]; break;
    case 0x3b4: case 0x3d4: cr_index_ = v; break;
    case 0x3b5: case 0x3d5: crtc_write(v); break;
    case 0x3ba: case 0x3da: feature_ = v & 0x03; break;  // feature control (write address)
    default: break;
    }
}

void VgaCore::crtc_write(u8 v) {
    // FreeVGA CR11 bit 7 (Protect): CR0-CR7 are read-only, except the line compare bit 8
    // in CR7 bit 4.
    if ((cr_[0x11] & kCr11Protect) && cr_index_ <= 7) {
        if (cr_index_ == 7) cr_[7] = static_cast<u8>((cr_[7] & ~0x10) | (v & 0x10));
        return;
    }
    cr_[cr_index_] = v;
}

void VgaCore::attr_write(u8 v) {
    const unsigned i = ar_index_ & 0x1f;
    if (i < 0x10) ar_[i] = v & 0x3f;  // palette registers: 6-bit EGA colours
    else if (i == 0x10) ar_[i] = v & 0xef;
    else if (i == 0x11) ar_[i] = v;
    else if (i == 0x12) ar_[i] = v & 0x3f;
    else if (i == 0x13 || i == 0x14) ar_[i] = v & 0x0f;
}

void VgaCore::dac_write(u8 v) {
    // Three writes (red, green, blue) fill one entry; then the write index moves on.
    dac_cache_[dac_sub_++] = (vbe_[dispi::kEnable] & dispi::k8BitDac) ? v : (v & 0x3f);
    if (dac_sub_ == 3) {
        std::memcpy(&palette_[dac_write_index_ * 3u], dac_cache_.data(), 3);
        dac_sub_ = 0;
        dac_write_index_++;
    }
}

u8 VgaCore::dac_read() {
    const u8 v = palette_[dac_read_index_ * 3u + dac_sub_];
    if (++dac_sub_ == 3) {
        dac_sub_ = 0;
        dac_read_index_++;
    }
    return v;
}

// ---- Bochs VBE (dispi) ----

u16 VgaCore::dispi_read() {
    if (dispi_index_ >= dispi::kCount) return 0;
    // GETCAPS in ENABLE makes XRES/YRES/BPP read the card's limits (Bochs vbe.h).
    if (vbe_[dispi::kEnable] & dispi::kGetCaps) {
        switch (dispi_index_) {
        case dispi::kXres: return dispi::kMaxXres;
        case dispi::kYres: return dispi::kMaxYres;
        case dispi::kBpp: return dispi::kMaxBpp;
        default: break;
        }
    }
    return vbe_[dispi_index_];
}

void VgaCore::dispi_write(u16 v) {
    using namespace dispi;
    switch (dispi_index_) {
    case kId:
        // The card answers to the interface versions it implements, ID0 through ID5.
        if (v >= kId0 && v <= kId5) vbe_[kId] = v;
        break;
    case kXres: case kYres: case kBpp: case kVirtWidth: case kXOffset: case kYOffset:
        vbe_[dispi_index_] = v;
        if (dispi_index_ == kBpp && v == 0) vbe_[kBpp] = 8;  // 0 means 8 (Bochs)
        dispi_fixup();
        break;
    case kBank:
        // Banks are 64 KiB; the window at 0xa0000 shows the selected one.
        vbe_[kBank] = static_cast<u16>(v & ((vram_size_ >> 16) - 1));
        bank_offset_ = static_cast<u32>(vbe_[kBank]) << 16;
        break;
    case kEnable: {
        const bool was_on = vbe_enabled();
        vbe_[kEnable] = v & static_cast<u16>(~kNoClearMem);
        if ((v & kEnabled) && !was_on) {
            vbe_[kVirtWidth] = vbe_[kXres];
            vbe_[kVirtHeight] = vbe_[kYres];
            vbe_[kXOffset] = vbe_[kYOffset] = 0;
            dispi_fixup();
            if (!(v & kNoClearMem)) std::memset(vram_, 0, std::min<u64>(u64(vbe_[kYres]) * line_offset_, vram_size_));
            dispi_set_vga_regs();
        }
        bank_offset_ = static_cast<u32>(vbe_[kBank]) << 16;
        break;
    }
    default: break;  // ID-like read-only registers (VIDEO_MEMORY_64K, VIRT_HEIGHT)
    }
}

void VgaCore::dispi_fixup() {
    using namespace dispi;
    u16 bpp = vbe_[kBpp];
    if (bpp != 4 && bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32) bpp = vbe_[kBpp] = 8;
    vbe_[kXres] = std::min<u16>(vbe_[kXres] & ~7u, kMaxXres);
    vbe_[kYres] = std::min<u16>(vbe_[kYres], kMaxYres);
    if (vbe_[kVirtWidth] < vbe_[kXres]) vbe_[kVirtWidth] = vbe_[kXres];
    const u32 width = vbe_[kVirtWidth];
    line_offset_ = bpp == 4 ? width / 2 : width * ((bpp + 7) / 8);
    const u32 max_height = line_offset_ ? vram_size_ / line_offset_ : 0;
    vbe_[kVirtHeight] = static_cast<u16>(std::min<u32>({max_height, 0xffff}));
    if (vbe_[kYOffset] > vbe_[kVirtHeight]) vbe_[kYOffset] = vbe_[kVirtHeight];
}

void VgaCore::dispi_set_vga_regs() {
    // With VBE on, the legacy window is a 64 KiB bank window at 0xa0000 in graphics mode:
    // chain-4 addressing except in the 4-bit planar modes.
    gr_[kGrMisc] = static_cast<u8>((gr_[kGrMisc] & ~0x0c) | 0x04 | 0x01);
    if (vbe_[dispi::kBpp] == 4) sr_[kSrMemoryMode] &= static_cast<u8>(~kSrMemChain4);
    else sr_[kSrMemoryMode] |= kSrMemChain4;
}

// ---- the memory window ----

u32 VgaCore::window_offset(u32 offset, bool& hit) const {
    // Graphics Miscellaneous (GR6) bits 3:2, memory map select: 0 = A0000-BFFFF (128 KiB),
    // 1 = A0000-AFFFF (64 KiB; plus the VBE bank), 2 = B0000-B7FFF, 3 = B8000-BFFFF.
    hit = true;
    switch ((gr_[kGrMisc] >> 2) & 3) {
    case 0: return offset;
    case 1:
        if (offset >= 0x10000) break;
        return offset + bank_offset_;
    case 2:
        if (offset < 0x10000 || offset >= 0x18000) break;
        return offset - 0x10000;
    default:
        if (offset < 0x18000) break;
        return offset - 0x18000;
    }
    hit = false;
    return 0;
}

u32 VgaCore::latch_at(u32 planar) const {
    const u64 a = u64(planar) * 4;
    if (a + 4 > vram_size_) return 0;
    u32 v;
    std::memcpy(&v, vram_ + a, 4);
    return v;
}

u8 VgaCore::mem_read(u32 offset) {
    bool hit;
    const u32 a = window_offset(offset, hit);
    if (!hit) return 0xff;
    if (sr_[kSrMemoryMode] & kSrMemChain4) return a < vram_size_ ? vram_[a] : 0xff;
    if (gr_[kGrMode] & 0x10) {
        // Odd/even (GR5 bit 4): address bit 0 picks plane 0/1 (or 2/3 with GR4 bit 1); the
        // planes are addressed at the even address.
        const u32 plane = (gr_[kGrReadMap] & 2) | (a & 1);
        const u64 i = u64(a & ~1u) * 4 + plane;
        return i < vram_size_ ? vram_[i] : 0xff;
    }
    // Planar: every read loads the four latches (FreeVGA "Graphics Registers", read modes).
    latch_ = latch_at(a);
    if (!(gr_[kGrMode] & 0x08)) return static_cast<u8>(latch_ >> (8 * (gr_[kGrReadMap] & 3)));
    // Read mode 1: a 1 where every plane not excluded by Color Don't Care matches Color
    // Compare.
    const u32 diff = (latch_ ^ expand4(gr_[kGrColorCompare])) & expand4(gr_[kGrColorDontCare]);
    const u8 any = static_cast<u8>(diff | diff >> 8 | diff >> 16 | diff >> 24);
    return static_cast<u8>(~any);
}

void VgaCore::mem_write(u32 offset, u8 v) {
    bool hit;
    const u32 a = window_offset(offset, hit);
    if (!hit) return;
    const u8 map_mask = sr_[kSrMapMask];
    if (sr_[kSrMemoryMode] & kSrMemChain4) {
        // Chain 4: address bits 1:0 pick the plane, still subject to the map mask.
        if ((map_mask & (1u << (a & 3))) && a < vram_size_) vram_[a] = v;
        return;
    }
    if (!(sr_[kSrMemoryMode] & kSrMemOddEvenOff)) {
        // Odd/even: even addresses go to planes 0 and 2, odd ones to 1 and 3.
        const unsigned planes = map_mask & ((a & 1) ? 0x0a : 0x05);
        const u64 base = u64(a & ~1u) * 4;
        for (unsigned p = 0; p < 4; p++)
            if ((planes & (1u << p)) && base + p < vram_size_) vram_[base + p] = v;
        return;
    }
    // Planar write modes (FreeVGA "Graphics Registers": Graphics Mode, Data Rotate, Bit Mask).
    const unsigned rotate = gr_[kGrDataRotate] & 7;
    const u8 rotated = static_cast<u8>((v >> rotate) | (v << ((8 - rotate) & 7)));
    const u32 set_reset = expand4(gr_[kGrSetReset]);
    u32 bit_mask = gr_[kGrBitMask];
    u32 data;
    switch (gr_[kGrMode] & 3) {
    case 0: {
        const u32 esr = expand4(gr_[kGrEnableSetReset]);
        data = (rotated * 0x01010101u & ~esr) | (set_reset & esr);
        break;
    }
    case 1: data = latch_; bit_mask = 0xff; break;  // latches written back unchanged
    case 2: data = expand4(v & 0x0f); break;
    default:
        data = set_reset;
        bit_mask &= rotated;
        break;
    }
    if ((gr_[kGrMode] & 3) != 1) {
        switch ((gr_[kGrDataRotate] >> 3) & 3) {  // logical operation with the latches
        case 1: data &= latch_; break;
        case 2: data |= latch_; break;
        case 3: data ^= latch_; break;
        default: break;
        }
        const u32 m = bit_mask * 0x01010101u;
        data = (data & m) | (latch_ & ~m);
    }
    const u64 base = u64(a) * 4;
    if (base + 4 > vram_size_) return;
    for (unsigned p = 0; p < 4; p++)
        if (map_mask & (1u << p)) vram_[base + p] = static_cast<u8>(data >> (8 * p));
}

}  // namespace vireo
