// QEMU's standard VGA (hw/display/vga_pci.h, vga.h) poked through its ports and memory the
// way SeaVGABIOS (vgasrc/stdvga.c, bochsvga.c) drives it, and the text console's renderer
// (text_console.h). Expectations cite the IBM VGA Technical Reference / FreeVGA register
// pages, the Bochs VBE dispi interface and PCI 3.0.
#include <gtest/gtest.h>

#include <string>

#include "hw/display/text_console.h"
#include "hw/display/vga_pci.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

class VgaTest : public ::testing::Test {
protected:
    VgaTest() : m(small_cfg(), /*map_ram=*/false) {
        pci_mem = m.own(MemoryRegion::container("pci", 0));
        m.system_memory().add_subregion(pci_mem, 0, -1);
        bus = std::make_unique<PciBus>(pci_mem, &m.io_space());
        auto dev = std::make_unique<StdVga>(m, StdVga::kDevfn, 16, std::vector<u8>(39936, 0x55));
        vga = dev.get();
        bus->plug(vga);
        m.add_device(std::move(dev));
        vga->reset();
    }
    u8 inb(u16 port) { return static_cast<u8>(m.io().read(port, 1)); }
    void outb(u16 port, u8 v) { m.io().write(port, v, 1); }
    void outw(u16 port, u16 v) { m.io().write(port, v, 2); }
    u16 inw(u16 port) { return static_cast<u16>(m.io().read(port, 2)); }
    u32 cfg_read(unsigned off, unsigned size = 4) { return bus->config_read(0, StdVga::kDevfn, off, size); }
    void cfg_write(unsigned off, u32 v, unsigned size = 4) { bus->config_write(0, StdVga::kDevfn, off, v, size); }
    u16 dispi_read(u16 index) { outw(0x1ce, index); return inw(0x1cf); }
    void dispi_write(u16 index, u16 v) { outw(0x1ce, index); outw(0x1cf, v); }
    // BAR sizing (PCI 3.0 6.2.5.1): write all ones, read back the size mask, restore.
    u32 bar_mask(unsigned off) {
        const u32 old = cfg_read(off);
        cfg_write(off, 0xffffffffu);
        const u32 v = cfg_read(off);
        cfg_write(off, old);
        return v;
    }
    // SeaVGABIOS's mode 3 (80x25 text) register tables; the values are the IBM VGA
    // Technical Reference's for mode 3+.
    void set_mode3() {
        outb(0x3c2, 0x67);
        static const u8 seq[] = {0x03, 0x00, 0x03, 0x00, 0x02};
        for (u8 i = 0; i < 5; i++) outw(0x3c4, static_cast<u16>(seq[i] << 8 | i));
        static const u8 gr[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x0f, 0xff};
        for (u8 i = 0; i < 9; i++) outw(0x3ce, static_cast<u16>(gr[i] << 8 | i));
        static const u8 crtc[] = {0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
                                  0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff};
        outw(0x3d4, 0x0011);
        for (u8 i = 0; i < 25; i++) outw(0x3d4, static_cast<u16>(crtc[i] << 8 | i));
        static const u8 ar[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39,
                                0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08};
        inb(0x3da);
        for (u8 i = 0; i < 20; i++) {
            outb(0x3c0, i);
            outb(0x3c0, ar[i]);
        }
        outb(0x3c0, 0x20);
    }

    Machine m;
    MemoryRegion* pci_mem;
    std::unique_ptr<PciBus> bus;
    StdVga* vga;
};

TEST_F(VgaTest, PciIdentityAndBars) {
    EXPECT_EQ(cfg_read(0x00), 0x11111234u);          // QEMU vendor 1234, VGA 1111
    EXPECT_EQ(cfg_read(0x08), 0x03000002u);          // class 03 00 00 (VGA), revision 2
    EXPECT_EQ(cfg_read(0x2c), 0x11001af4u);          // subsystem 1af4:1100
    EXPECT_EQ(cfg_read(0x3d, 1), 0u);                // no interrupt pin
    // BAR0: 16 MiB, 32-bit prefetchable memory (bit 3); BAR2: 4 KiB memory; ROM: the 39 KiB
    // image rounded to 64 KiB, enable bit writable (PCI 3.0 6.2.5.2).
    EXPECT_EQ(bar_mask(0x10), 0xff000008u);
    EXPECT_EQ(bar_mask(0x14), 0u);
    EXPECT_EQ(bar_mask(0x18), 0xfffff000u);
    EXPECT_EQ(bar_mask(0x30), 0xffff0001u);
    EXPECT_TRUE(vga->has_rom());
}

TEST_F(VgaTest, RomAndMmioBarsDecodeWhenEnabled) {
    cfg_write(0x30, 0xfebc0001u);
    cfg_write(0x18, 0xfebd4000u);
    cfg_write(0x04, kPciCmdMemory, 2);
    EXPECT_EQ(m.memory().read(0xfebc0000, 1), 0x55u);
    // BAR2 + 0x400 is port 0x3c0 onwards: sequencer index/data through MMIO, a word at a time.
    m.memory().write(0xfebd4000 + 0x404, 0x0f02, 2);
    outb(0x3c4, 2);
    EXPECT_EQ(inb(0x3c5), 0x0f);
    // BAR2 + 0x500 + 2 * index: the dispi registers; 0x600: QEMU extended registers.
    EXPECT_EQ(m.memory().read(0xfebd4000 + 0x500, 2), dispi::kId5);
    EXPECT_EQ(m.memory().read(0xfebd4000 + 0x500 + 2 * dispi::kVideoMemory64k, 2), 256u);
    EXPECT_EQ(m.memory().read(0xfebd4000 + 0x600, 4), 8u);
    EXPECT_EQ(m.memory().read(0xfebd4000 + 0x604, 4), 0x1e1e1e1eu);
}

TEST_F(VgaTest, SequencerGraphicsCrtcIndexData) {
    outb(0x3c2, 0xc3);  // SeaVGABIOS stdvga_init: colour emulation, RAM enabled
    EXPECT_EQ(inb(0x3cc), 0xc3);
    outw(0x3c4, 0x0204);                 // outw = index then data (stdvga_sequ_write)
    EXPECT_EQ(inb(0x3c4), 0x04);
    EXPECT_EQ(inb(0x3c5), 0x02);
    outw(0x3c4, 0xff04);                 // SR4 implements bits 3:1 only
    EXPECT_EQ(inb(0x3c5), 0x0e);
    outw(0x3ce, 0xff05);                 // GR5 implements bits 6,5,4,3,1,0
    EXPECT_EQ(inb(0x3cf), 0x7b);
    outw(0x3d4, 0x1e0a);                 // cursor start
    EXPECT_EQ(inb(0x3d4), 0x0a);
    EXPECT_EQ(inb(0x3d5), 0x1e);
    // Misc output bit 0 = 1: the CRTC is at 0x3d4; 0x3b4 is not decoded.
    EXPECT_EQ(inb(0x3b5), 0xff);
    outb(0x3c2, 0x62);
    EXPECT_EQ(inb(0x3b5), 0x1e);
    EXPECT_EQ(inb(0x3d5), 0xff);
}

TEST_F(VgaTest, CrtcWriteProtect) {
    outb(0x3c2, 0x01);
    outw(0x3d4, 0x0011);
    outw(0x3d4, 0x5f00);
    outw(0x3d4, 0x0007);
    outw(0x3d4, 0x8e11);                 // CR11 bit 7: CR0-CR7 read-only...
    outw(0x3d4, 0x1200);
    outw(0x3d4, 0xff07);                 // ...except CR7 bit 4 (line compare bit 8)
    outb(0x3d4, 0x00);
    EXPECT_EQ(inb(0x3d5), 0x5f);
    outb(0x3d4, 0x07);
    EXPECT_EQ(inb(0x3d5), 0x10);
}

TEST_F(VgaTest, AttributeFlipFlopResetByInputStatus1) {
    outb(0x3c2, 0x01);
    inb(0x3da);                          // flip-flop to "index"
    outb(0x3c0, 0x11);                   // overscan
    outb(0x3c0, 0x3c);
    EXPECT_EQ(inb(0x3c0), 0x11);
    EXPECT_EQ(inb(0x3c1), 0x3c);
    outb(0x3c0, 0x02);                   // flip-flop back at "index": selects palette 2
    outb(0x3c0, 0x12);
    inb(0x3da);
    outb(0x3c0, 0x02);                   // index again after the reset
    EXPECT_EQ(inb(0x3c1), 0x12);
    outb(0x3c0, 0x2a);                   // data: palette registers keep 6 bits
    inb(0x3da);
    outb(0x3c0, 0x22);                   // palette address source bit reads back with the index
    EXPECT_EQ(inb(0x3c0), 0x22);
    EXPECT_EQ(inb(0x3c1), 0x2a);
    // Input status 1's retrace bit toggles from read to read.
    const u8 a = inb(0x3da), b = inb(0x3da);
    EXPECT_NE(a & 0x08, b & 0x08);
}

TEST_F(VgaTest, DacIndexAutoIncrement) {
    outb(0x3c8, 0x10);                   // write index
    for (u8 v : {1, 2, 3, 4, 5, 0xff}) outb(0x3c9, v);  // entries 0x10 and 0x11
    EXPECT_EQ(inb(0x3c8), 0x12);         // moved on after each three writes
    EXPECT_EQ(inb(0x3c7), 0);            // DAC state: write mode
    outb(0x3c7, 0x10);                   // read index
    EXPECT_EQ(inb(0x3c7), 3);            // read mode
    std::vector<u8> got;
    for (int i = 0; i < 6; i++) got.push_back(inb(0x3c9));
    EXPECT_EQ(got, (std::vector<u8>{1, 2, 3, 4, 5, 0x3f}));  // 6-bit DAC
    outb(0x3c6, 0xff);
    EXPECT_EQ(inb(0x3c6), 0xff);
}

TEST_F(VgaTest, DispiIdentifyAndCaps) {
    // bochsvga_setup: write ID0, read it back; then ID5.
    EXPECT_EQ(dispi_read(dispi::kId), dispi::kId5);
    dispi_write(dispi::kId, dispi::kId0);
    EXPECT_EQ(dispi_read(dispi::kId), dispi::kId0);
    dispi_write(dispi::kId, 0x1234);     // not an interface version: ignored
    EXPECT_EQ(dispi_read(dispi::kId), dispi::kId0);
    dispi_write(dispi::kId, dispi::kId5);
    EXPECT_EQ(dispi_read(dispi::kVideoMemory64k), 256);  // 16 MiB
    dispi_write(dispi::kEnable, dispi::kGetCaps);
    EXPECT_EQ(dispi_read(dispi::kXres), dispi::kMaxXres);
    EXPECT_EQ(dispi_read(dispi::kBpp), dispi::kMaxBpp);
    dispi_write(dispi::kEnable, 0);
    EXPECT_EQ(dispi_read(dispi::kXres), 0);
    EXPECT_EQ(inw(0x1ce), dispi::kXres);
}

TEST_F(VgaTest, DispiModeSetLfbAndBanks) {
    cfg_write(0x10, 0xfd000000u);
    cfg_write(0x04, kPciCmdMemory, 2);
    dispi_write(dispi::kBpp, 32);
    dispi_write(dispi::kXres, 1024);
    dispi_write(dispi::kYres, 768);
    dispi_write(dispi::kEnable, dispi::kEnabled | dispi::kLfbEnabled);
    EXPECT_TRUE(vga->core().vbe_enabled());
    outw(0x3c4, 0x0f02);                 // bochsvga_set_mode: map mask = all planes
    EXPECT_EQ(dispi_read(dispi::kVirtWidth), 1024);
    // The LFB is BAR0; the 0xa0000 window shows 64 KiB bank BANK of the same memory.
    m.memory().write(0xfd000000 + 0x10004, 0xab, 1);
    dispi_write(dispi::kBank, 1);
    EXPECT_EQ(m.memory().read(0xa0004, 1), 0xabu);
    m.memory().write(0xa0008, 0xcd, 1);
    EXPECT_EQ(m.memory().read(0xfd000000 + 0x10008, 1), 0xcdu);
}

TEST_F(VgaTest, TextModeOddEvenAndScreenReadout) {
    set_mode3();
    const char* msg = "Hi!";
    for (int i = 0; i < 3; i++) {
        m.memory().write(0xb8000 + 2 * i, static_cast<u8>(msg[i]), 1);
        m.memory().write(0xb8000 + 2 * i + 1, 0x1f, 1);
    }
    EXPECT_EQ(m.memory().read(0xb8002, 2), 0x1f00u | 'i');
    // Odd/even: characters in plane 0, attributes in plane 1, at the even address.
    const u8* vram = vga->core().vram();
    EXPECT_EQ(vram[2 * 4 + 0], 'i');
    EXPECT_EQ(vram[2 * 4 + 1], 0x1f);
    outw(0x3d4, 0x010e);                 // cursor at 0x0105 = row 3, column 21
    outw(0x3d4, 0x050f);
    TextScreen s = read_text_screen(vga->core());
    ASSERT_EQ(s.mode, TextScreen::Mode::Text);
    EXPECT_EQ(s.cols, 80u);
    EXPECT_EQ(s.rows, 25u);
    EXPECT_EQ(s.cells[1].ch, 'i');
    EXPECT_EQ(s.cells[1].attr, 0x1f);
    EXPECT_TRUE(s.cursor_on);
    EXPECT_EQ(s.cursor_row, 3u);
    EXPECT_EQ(s.cursor_col, 21u);
    EXPECT_TRUE(s.blink);
    outw(0x3d4, 0x200a);                 // CR0A bit 5: cursor off
    EXPECT_FALSE(read_text_screen(vga->core()).cursor_on);
}

TEST_F(VgaTest, Mode13Chain4) {
    outw(0x3c4, 0x0e04);                 // chain 4
    outw(0x3c4, 0x0f02);
    outw(0x3ce, 0x4005);
    outw(0x3ce, 0x0506);                 // graphics, A0000 64 KiB
    m.memory().write(0xa0000 + 321, 0x2a, 1);
    EXPECT_EQ(vga->core().vram()[321], 0x2a);
    EXPECT_EQ(m.memory().read(0xa0000 + 321, 1), 0x2au);
    EXPECT_EQ(read_text_screen(vga->core()).mode, TextScreen::Mode::Graphics);
}

TEST_F(VgaTest, PlanarWriteModesAndLatches) {
    outw(0x3c4, 0x0604);                 // planar: odd/even off, no chain 4
    outw(0x3c4, 0x0f02);                 // all planes
    outw(0x3ce, 0x0005);                 // write mode 0, read mode 0
    outw(0x3ce, 0x0506);                 // A0000 64 KiB, graphics
    outw(0x3ce, 0xff08);
    // Set/reset on planes 0 and 2 (enable set/reset 0101b, set/reset 0001b): plane 0 gets
    // ones, plane 2 zeros, planes 1 and 3 the CPU byte.
    outw(0x3ce, 0x0100);
    outw(0x3ce, 0x0501);
    m.memory().write(0xa0010, 0x3c, 1);
    const u8* vram = vga->core().vram();
    EXPECT_EQ(vram[0x10 * 4 + 0], 0xff);
    EXPECT_EQ(vram[0x10 * 4 + 1], 0x3c);
    EXPECT_EQ(vram[0x10 * 4 + 2], 0x00);
    EXPECT_EQ(vram[0x10 * 4 + 3], 0x3c);
    outw(0x3ce, 0x0001);
    // Read map select picks the plane a read returns; the read loads all four latches.
    outw(0x3ce, 0x0304);
    EXPECT_EQ(m.memory().read(0xa0010, 1), 0x3cu);
    // Write mode 1 stores the latches unchanged: a one-byte copy of all four planes.
    outw(0x3ce, 0x0105);
    m.memory().write(0xa0020, 0x00, 1);
    EXPECT_EQ(vram[0x20 * 4 + 0], 0xff);
    EXPECT_EQ(vram[0x20 * 4 + 3], 0x3c);
    // Write mode 2 with bit mask 0x0f: each plane's bit from the CPU's low nibble, through
    // the mask; other bits keep the latched value.
    m.memory().read(0xa0020, 1);
    outw(0x3ce, 0x0205);
    outw(0x3ce, 0x0f08);
    m.memory().write(0xa0020, 0x0a, 1);  // planes 1 and 3 set
    EXPECT_EQ(vram[0x20 * 4 + 0], 0xf0);
    EXPECT_EQ(vram[0x20 * 4 + 1], 0x3f);
    EXPECT_EQ(vram[0x20 * 4 + 2], 0x00);
    EXPECT_EQ(vram[0x20 * 4 + 3], 0x3f);
    // Read mode 1 (colour compare): ones where planes 0-3 equal colour 0x0a (1010b).
    // Pixels 0-3 are 1010b there, pixels 4-7 1011b.
    outw(0x3ce, 0x0805);
    outw(0x3ce, 0x0a02);
    outw(0x3ce, 0x0f07);
    EXPECT_EQ(m.memory().read(0xa0020, 1), 0x0fu);
    outw(0x3ce, 0x0707);                 // plane 3 "don't care": still only pixels 0-3
    EXPECT_EQ(m.memory().read(0xa0020, 1), 0x0fu);
}

TEST_F(VgaTest, StateSaveRestore) {
    set_mode3();
    outb(0x3c8, 5);
    outb(0x3c9, 9);
    StateWriter w;
    vga->describe_state(w);
    vga->reset();
    EXPECT_NE(read_text_screen(vga->core()).mode, TextScreen::Mode::Text);
    StateReader r(w.buf);
    vga->describe_state(r);
    EXPECT_TRUE(r.consumed());
    EXPECT_EQ(read_text_screen(vga->core()).cols, 80u);
    outb(0x3c9, 7);
    outb(0x3c9, 8);                      // completes entry 5 begun before the save
    outb(0x3c7, 5);
    EXPECT_EQ(inb(0x3c9), 9);
}

// ---- the text console renderer ----

TextScreen tiny(const char* row0, const char* row1, u8 attr = 0x07) {
    TextScreen s;
    s.mode = TextScreen::Mode::Text;
    s.cols = 4;
    s.rows = 2;
    for (const char* r : {row0, row1})
        for (int i = 0; i < 4; i++) s.cells.push_back({static_cast<u8>(r[i]), attr});
    s.cursor_on = true;
    s.cursor_row = 1;
    s.cursor_col = 2;
    return s;
}

TEST(TextRenderer, FirstFrameDrawsEverything) {
    TextScreen s = tiny("ab  ", "\xc4\xb3\x01z", 0x1e);  // CP437 box drawing and a smiley
    EXPECT_EQ(render_text_screen(nullptr, s),
              "\x1b[?25l\x1b[0m\x1b[2J"
              "\x1b[1;1H\x1b[0;93;44mab  "
              "\x1b[2;1H\xe2\x94\x80\xe2\x94\x82\xe2\x98\xbaz"
              "\x1b[0m\x1b[2;3H\x1b[?25h");
}

TEST(TextRenderer, LaterFramesSendOnlyChanges) {
    TextScreen a = tiny("abcd", "efgh");
    EXPECT_EQ(render_text_screen(&a, a), "");
    TextScreen b = a;
    b.cells[7] = {'X', 0x4f};            // row 1, column 3: bright white on red
    b.cursor_on = false;
    EXPECT_EQ(render_text_screen(&a, b), "\x1b[?25l\x1b[2;4H\x1b[0;97;41mX\x1b[0m\x1b[2;3H");
    // Blink enabled: attribute bit 7 blinks instead of brightening the background.
    TextScreen c = a;
    c.cells[0] = {'a', 0xf0};
    EXPECT_EQ(render_text_screen(&a, c), "\x1b[?25l\x1b[1;1H\x1b[0;30;47;5ma\x1b[0m\x1b[2;3H\x1b[?25h");
}

TEST(TextRenderer, GraphicsModeNoticeOnce) {
    TextScreen t = tiny("abcd", "efgh");
    TextScreen g;
    g.mode = TextScreen::Mode::Graphics;
    const std::string out = render_text_screen(&t, g);
    EXPECT_NE(out.find("graphics mode"), std::string::npos);
    EXPECT_EQ(render_text_screen(&g, g), "");
}

TEST_F(VgaTest, ConsoleWritesNothingBeforeAModeIsSet) {
    std::string out;
    {
        TextConsole con(vga->core(), [&out](std::string_view b) { out += b; });
        con.refresh();
        EXPECT_EQ(out, "");
        set_mode3();
        m.memory().write(0xb8000, 'S', 1);
        m.memory().write(0xb8001, 0x07, 1);
        con.refresh();
        EXPECT_NE(out.find("\x1b[1;1H\x1b[0;37;40mS"), std::string::npos);
        out.clear();
        con.refresh();
        EXPECT_EQ(out, "");
    }
    EXPECT_EQ(out, "\x1b[0m\x1b[26;1H\x1b[?25h");  // the destructor leaves the cursor below
}

}  // namespace
