// VGA picture (vga_render.h). Register meanings: IBM VGA Technical Reference and FreeVGA
// ("Sequencer", "Attribute Controller", "CRT Controller" pages); DAC scaling as QEMU's c6_to_8.
#include "hw/display/vga_render.h"

#include <algorithm>
#include "hw/display/text_console.h"
#include "hw/display/vga.h"

namespace vireo {

namespace {

// A 6-bit DAC value to 8 bits (QEMU c6_to_8: the low bit fills the two new ones).
u8 c6_to_8(u8 v) {
    v &= 0x3f;
    const u8 b = v & 1;
    return static_cast<u8>(v << 2 | b << 1 | b);
}

u32 dac_colour(const VgaCore& vga, unsigned index, bool eight_bit) {
    const auto& p = vga.palette();
    const u8 r = p[index * 3], g = p[index * 3 + 1], b = p[index * 3 + 2];
    if (eight_bit) return static_cast<u32>(r) << 16 | static_cast<u32>(g) << 8 | b;
    return static_cast<u32>(c6_to_8(r)) << 16 | static_cast<u32>(c6_to_8(g)) << 8 | c6_to_8(b);
}

bool render_text(const VgaCore& vga, RgbImage& out, std::string& err) {
    const TextScreen screen = read_text_screen(vga);
    if (screen.mode != TextScreen::Mode::Text) {
        err = "the VGA is not programmed yet";
        return false;
    }
    const u8 clocking = vga.seq(0x01);
    const unsigned cw = (clocking & 0x08) ? 16 : (clocking & 0x01) ? 8 : 9;  // SR01 bits 3, 0
    const unsigned ch = (vga.crtc(0x09) & 0x1f) + 1u;                         // CR09 bits 4:0
    // The 16 text colours: AR00-AR0F through the colour select register (AR14) into the DAC.
    u32 colours[16];
    for (unsigned i = 0; i < 16; i++) {
        const u8 v = vga.attr(i);
        const unsigned idx = (vga.attr(0x10) & 0x80) ? ((vga.attr(0x14) & 0xf) << 4 | (v & 0xf))
                                                     : ((vga.attr(0x14) & 0xc) << 4 | (v & 0x3f));
        colours[i] = dac_colour(vga, idx, false);
    }
    // SR03 character map select: attribute bit 3 clear uses map B (bits 4,1:0), set map A
    // (bits 5,3:2); map n starts at 8 KiB * (2 * bits 1:0 + bit 4) of plane 2.
    const u8 sel = vga.seq(0x03);
    const u32 font_base[2] = {(((sel >> 4) & 1u) | ((sel << 1) & 6u)) * 8192u * 4 + 2,
                              (((sel >> 5) & 1u) | ((sel >> 1) & 6u)) * 8192u * 4 + 2};
    const bool dup9 = vga.attr(0x10) & 0x04;  // AR10 bit 2: line graphics enable
    const u8* vram = vga.vram();
    out.resize(screen.cols * cw, screen.rows * ch);
    for (unsigned r = 0; r < screen.rows; r++)
        for (unsigned c = 0; c < screen.cols; c++) {
            const TextCell cell = screen.cells[size_t(r) * screen.cols + c];
            const u32 fg = colours[cell.attr & 0xf], bg = colours[cell.attr >> 4];
            const u32 glyph = font_base[(cell.attr >> 3) & 1] + 32u * 4 * cell.ch;
            for (unsigned y = 0; y < ch; y++) {
                const u32 at = glyph + 4 * y;
                const u8 bits = at < vga.vram_size() ? vram[at] : 0;
                for (unsigned x = 0; x < cw; x++) {
                    const unsigned dot = cw == 16 ? x / 2 : x;
                    bool on;
                    if (dot < 8) on = bits & (0x80 >> dot);
                    else on = dup9 && cell.ch >= 0xc0 && cell.ch <= 0xdf && (bits & 1);  // 9th column
                    out.set(c * cw + x, r * ch + y, on ? fg : bg);
                }
            }
        }
    return true;
}

bool render_vbe(const VgaCore& vga, RgbImage& out, std::string& err) {
    const unsigned w = vga.dispi_reg(dispi::kXres), h = vga.dispi_reg(dispi::kYres);
    const unsigned bpp = vga.dispi_reg(dispi::kBpp);
    const unsigned bytes = (bpp + 7) / 8;
    if (w == 0 || h == 0 || (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)) {
        err = "VBE mode with " + std::to_string(bpp) + " bits per pixel is not supported";
        return false;
    }
    const u64 stride = static_cast<u64>(std::max<unsigned>(vga.dispi_reg(dispi::kVirtWidth), w)) * bytes;
    const u64 start = vga.dispi_reg(dispi::kYOffset) * stride + vga.dispi_reg(dispi::kXOffset) * bytes;
    const bool dac8 = vga.dispi_reg(dispi::kEnable) & dispi::k8BitDac;
    const u8* vram = vga.vram();
    out.resize(w, h);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            const u64 at = start + y * stride + static_cast<u64>(x) * bytes;
            if (at + bytes > vga.vram_size()) continue;  // past the end of VRAM: black
            const u8* p = vram + at;
            u32 rgb;
            switch (bpp) {
            case 8: rgb = dac_colour(vga, p[0], dac8); break;
            case 15: {
                const unsigned v = p[0] | p[1] << 8;
                rgb = static_cast<u32>(((v >> 10) & 31) * 255 / 31) << 16 | static_cast<u32>(((v >> 5) & 31) * 255 / 31) << 8 |
                      (v & 31) * 255 / 31;
                break;
            }
            case 16: {
                const unsigned v = p[0] | p[1] << 8;
                rgb = static_cast<u32>(((v >> 11) & 31) * 255 / 31) << 16 | static_cast<u32>(((v >> 5) & 63) * 255 / 63) << 8 |
                      (v & 31) * 255 / 31;
                break;
            }
            default: rgb = static_cast<u32>(p[2]) << 16 | static_cast<u32>(p[1]) << 8 | p[0]; break;  // B, G, R(, X)
            }
            out.set(x, y, rgb);
        }
    return true;
}

}  // namespace

bool render_vga(const VgaCore& vga, RgbImage& out, std::string& err) {
    if (vga.vbe_enabled()) return render_vbe(vga, out, err);
    if (vga.gr(6) & 1) {  // GR06 bit 0: graphics mode
        err = "this VGA graphics mode is not supported by screendump yet";
        return false;
    }
    return render_text(vga, out, err);
}

}  // namespace vireo
