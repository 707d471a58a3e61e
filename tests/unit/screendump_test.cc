// screendump (softmmu/monitor_cmds.cc) of the VGA (hw/display/vga_render.h): a text screen
// drawn with the font in plane 2, 9 dots wide, through the attribute palette and the DAC;
// a VBE 32 bpp mode; the PPM file; QEMU's error without a display.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <unistd.h>
#include "hw/display/vga.h"
#include "hw/display/vga_render.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

using namespace vireo;

namespace {

class NullTerm : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

// An 80x25 colour text mode as the BIOS's mode 3 leaves it (IBM VGA Technical Reference,
// mode 3 register table): 9-dot characters 16 lines high, word-mode CRTC.
class TextVga {
public:
    TextVga() : vram(256 * 1024), vga(vram.data(), static_cast<u32>(vram.size())) {
        vga.reset();
        vga.port_write(0x3c2, 0x67);  // colour emulation (0x3dx ports)
        seq(0x01, 0x00);              // 9-dot characters
        seq(0x03, 0x00);              // both character maps at 0 KiB of plane 2
        seq(0x04, 0x02);
        gr(0x06, 0x0e);               // alphanumeric, B8000
        crtc(0x11, 0x00);             // unlock CR0-7
        crtc(0x01, 79);               // 80 columns
        crtc(0x12, 0x8f);             // 400 lines: vde = 0x18f (bit 8 in CR07 bit 1)
        crtc(0x07, 0x1f);
        crtc(0x09, 0x4f);             // 16 scan lines a row
        crtc(0x13, 40);               // 80 bytes = 40 words a row
        crtc(0x17, 0xa3);             // word mode
        crtc(0x0c, 0);
        crtc(0x0d, 0);
        for (u8 i = 0; i < 16; i++) attr(i, i);
        attr(0x10, 0x0c);  // line graphics, blink
        attr(0x14, 0x00);
        // DAC: 0 black, 1 blue (0,0,42), 14 yellow (63,63,21).
        dac(0, 0, 0, 0);
        dac(1, 0, 0, 42);
        dac(14, 63, 63, 21);
    }
    void seq(u8 i, u8 v) { vga.port_write(0x3c4, i); vga.port_write(0x3c5, v); }
    void gr(u8 i, u8 v) { vga.port_write(0x3ce, i); vga.port_write(0x3cf, v); }
    void crtc(u8 i, u8 v) { vga.port_write(0x3d4, i); vga.port_write(0x3d5, v); }
    void attr(u8 i, u8 v) {
        vga.port_read(0x3da);  // flip-flop to index
        vga.port_write(0x3c0, i | 0x20);  // bit 5: the palette stays on the display
        vga.port_write(0x3c0, v);
    }
    void dac(u8 i, u8 r, u8 g, u8 b) {
        vga.port_write(0x3c8, i);
        vga.port_write(0x3c9, r);
        vga.port_write(0x3c9, g);
        vga.port_write(0x3c9, b);
    }
    // Character ch's 16 glyph rows in plane 2 (planar offset ch * 32 + row).
    void glyph(u8 ch, const u8 (&rows)[16]) {
        for (unsigned r = 0; r < 16; r++) vram[(ch * 32u + r) * 4 + 2] = rows[r];
    }
    // Cell (row, col): character in plane 0, attribute in plane 1 at the even address.
    void cell(unsigned row, unsigned col, u8 ch, u8 attribute) {
        const u32 planar = (row * 80 + col) * 2;
        vram[planar * 4] = ch;
        vram[planar * 4 + 1] = attribute;
    }
    std::vector<u8> vram;
    VgaCore vga;
};

// The DAC's 6-bit values widened as QEMU's c6_to_8 (42 -> 0xa8, 21 -> 0x57, 63 -> 0xff).
constexpr u32 kBlue = 0x0000a8, kYellow = 0xffff57, kBlack = 0;

TEST(VgaRender, TextCellUsesTheFontInPlaneTwo) {
    TextVga t;
    // A box glyph: top and bottom rows full, the sides in between.
    u8 box[16] = {};
    box[0] = box[15] = 0xff;
    for (int r = 1; r < 15; r++) box[r] = 0x81;
    t.glyph('#', box);
    t.cell(2, 3, '#', 0x1e);  // yellow on blue
    RgbImage img;
    std::string err;
    ASSERT_TRUE(render_vga(t.vga, img, err)) << err;
    EXPECT_EQ(img.width, 720u);
    EXPECT_EQ(img.height, 400u);
    const unsigned x0 = 3 * 9, y0 = 2 * 16;
    EXPECT_EQ(img.at(x0, y0), kYellow);          // top-left corner
    EXPECT_EQ(img.at(x0 + 7, y0), kYellow);      // top row, 8th dot
    EXPECT_EQ(img.at(x0 + 8, y0), kBlue);        // 9th dot: background ('#' is no line graphic)
    EXPECT_EQ(img.at(x0 + 3, y0 + 5), kBlue);    // inside
    EXPECT_EQ(img.at(x0 + 7, y0 + 5), kYellow);  // right side
    EXPECT_EQ(img.at(0, 0), kBlack);             // empty cell 0 with attribute 0
}

TEST(VgaRender, LineGraphicsRepeatTheEighthDot) {
    TextVga t;
    u8 bar[16];
    for (u8& r : bar) r = 0xff;
    t.glyph(0xc4, bar);  // a line-graphics character (C0-DF)
    t.cell(0, 1, 0xc4, 0x0e);
    RgbImage img;
    std::string err;
    ASSERT_TRUE(render_vga(t.vga, img, err));
    EXPECT_EQ(img.at(9 + 8, 0), kYellow);
    t.attr(0x10, 0x08);  // line graphics off: the 9th dot is background
    ASSERT_TRUE(render_vga(t.vga, img, err));
    EXPECT_EQ(img.at(9 + 8, 0), kBlack);
}

TEST(VgaRender, VbeDirectColour) {
    std::vector<u8> vram(1 << 20);
    VgaCore vga(vram.data(), static_cast<u32>(vram.size()));
    vga.reset();
    auto dispi = [&](u16 i, u16 v) {
        vga.set_dispi_index(i);
        vga.dispi_write(v);
    };
    dispi(dispi::kXres, 64);
    dispi(dispi::kYres, 48);
    dispi(dispi::kBpp, 32);
    dispi(dispi::kEnable, dispi::kEnabled | dispi::kLfbEnabled | dispi::kNoClearMem);
    const unsigned x = 10, y = 20;
    u8* p = &vram[(y * 64 + x) * 4];
    p[0] = 0x33;  // B
    p[1] = 0x22;  // G
    p[2] = 0x11;  // R
    RgbImage img;
    std::string err;
    ASSERT_TRUE(render_vga(vga, img, err)) << err;
    EXPECT_EQ(img.width, 64u);
    EXPECT_EQ(img.height, 48u);
    EXPECT_EQ(img.at(x, y), 0x112233u);
    EXPECT_EQ(img.at(x + 1, y), 0u);
}

TEST(Screendump, WritesAPpmOfTheDisplay) {
    VmConfig cfg;
    cfg.ram_size = 1 << 20;
    Machine m(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    const std::string path = "/tmp/vireo-screendump-" + std::to_string(::getpid()) + ".ppm";
    EXPECT_EQ(mon->execute("screendump " + path), "Error: There is no console to take a screendump from\n");

    TextVga t;
    u8 full[16];
    for (u8& r : full) r = 0xff;
    t.glyph('A', full);
    t.cell(0, 0, 'A', 0x1e);
    m.screen = [&t](RgbImage& out, std::string& err) { return render_vga(t.vga, out, err); };
    EXPECT_EQ(mon->execute("screendump " + path), "");
    std::ifstream f(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(f)), {});
    std::remove(path.c_str());
    const std::string header = "P6\n720 400\n255\n";
    ASSERT_EQ(data.size(), header.size() + 720 * 400 * 3);
    EXPECT_EQ(data.substr(0, header.size()), header);
    auto pixel = [&](unsigned x, unsigned y) {
        const size_t at = header.size() + (size_t(y) * 720 + x) * 3;
        return static_cast<u32>(static_cast<u8>(data[at])) << 16 | static_cast<u32>(static_cast<u8>(data[at + 1])) << 8 |
               static_cast<u8>(data[at + 2]);
    };
    EXPECT_EQ(pixel(0, 0), kYellow);
    EXPECT_EQ(pixel(8, 0), kBlue);  // 9th dot
    EXPECT_EQ(pixel(9, 0), kBlack);
    EXPECT_EQ(mon->execute("screendump /nonexistent-dir/x.ppm"),
              "Error: failed to open file '/nonexistent-dir/x.ppm': No such file or directory\n");
    EXPECT_EQ(mon->execute("screendump " + path + " -f png"), "Error: 'png' is not a supported format (only 'ppm')\n");
}

}  // namespace
