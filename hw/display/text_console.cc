// Vireo's text console (text_console.h).
#include "hw/display/text_console.h"

#include <algorithm>
#include "hw/display/vga.h"

namespace vireo {

namespace {

// Code page 437 as Unicode (IBM PC character set; control codes shown as their glyphs).
constexpr char16_t kCp437[256] = {
    0x0020, 0x263a, 0x263b, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25d8, 0x25cb, 0x25d9, 0x2642, 0x2640,
    0x266a, 0x266b, 0x263c, 0x25ba, 0x25c4, 0x2195, 0x203c, 0x00b6, 0x00a7, 0x25ac, 0x21a8, 0x2191, 0x2193,
    0x2192, 0x2190, 0x221f, 0x2194, 0x25b2, 0x25bc,
    // 0x20-0x7e are ASCII (filled in below by the lookup), 0x7f is the house.
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x2302,
    0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee,
    0x00ec, 0x00c4, 0x00c5, 0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9, 0x00ff, 0x00d6,
    0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192, 0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa,
    0x00ba, 0x00bf, 0x2310, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510, 0x2514,
    0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f, 0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
    0x256c, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b, 0x256a, 0x2518, 0x250c,
    0x2588, 0x2584, 0x258c, 0x2590, 0x2580, 0x03b1, 0x00df, 0x0393, 0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4,
    0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6, 0x03b5, 0x2229, 0x2261, 0x00b1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00f7, 0x2248, 0x00b0, 0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

void put_utf8(std::string& out, char16_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

// IBM colour index (blue = 1, green = 2, red = 4) to the ANSI order (red = 1, green = 2, blue = 4).
constexpr u8 kAnsi[8] = {0, 4, 2, 6, 1, 5, 3, 7};

void put_sgr(std::string& out, u8 attr, bool blink) {
    const unsigned fg = attr & 0x0f;
    const unsigned bg = blink ? (attr >> 4) & 7 : attr >> 4;
    out += "\x1b[0;";
    out += std::to_string((fg & 8 ? 90 : 30) + kAnsi[fg & 7]);
    out += ';';
    out += std::to_string((bg & 8 ? 100 : 40) + kAnsi[bg & 7]);
    if (blink && (attr & 0x80)) out += ";5";
    out += 'm';
}

void put_goto(std::string& out, unsigned row, unsigned col) {
    out += "\x1b[" + std::to_string(row + 1) + ';' + std::to_string(col + 1) + 'H';
}

}  // namespace

TextScreen read_text_screen(const VgaCore& vga) {
    TextScreen s;
    // Graphics: VBE on, or GR6 bit 0 (graphics mode) set.
    if (vga.vbe_enabled() || (vga.gr(6) & 1)) {
        s.mode = TextScreen::Mode::Graphics;
        return s;
    }
    // CR01 horizontal display end (characters - 1); vertical display end CR12 with bits 8
    // and 9 in CR07 bits 1 and 6; CR09 bits 4:0 scan lines per character - 1, bit 7 double
    // scan; CR13 offset between rows, in words.
    const unsigned cols = vga.crtc(0x01) + 1u;
    const unsigned vde = vga.crtc(0x12) | (vga.crtc(0x07) & 0x02) << 7 | (vga.crtc(0x07) & 0x40) << 3;
    unsigned lines = vde + 1;
    if (vga.crtc(0x09) & 0x80) lines /= 2;
    const unsigned rows = lines / ((vga.crtc(0x09) & 0x1f) + 1u);
    if (cols < 8 || rows < 2 || rows > 128) return s;  // not (yet) a usable text mode
    s.mode = TextScreen::Mode::Text;
    s.cols = cols;
    s.rows = rows;
    s.blink = vga.attr(0x10) & 0x08;
    const unsigned stride = vga.crtc(0x13) ? vga.crtc(0x13) * 2u : cols;
    const unsigned start = vga.crtc(0x0c) << 8 | vga.crtc(0x0d);
    // CR17 bit 6 clear: word mode, the CRTC's address counter is doubled (each cell is a
    // character in plane 0 and its attribute in plane 1 at the same even address).
    const unsigned shift = (vga.crtc(0x17) & 0x40) ? 0 : 1;
    const u8* vram = vga.vram();
    s.cells.resize(size_t(cols) * rows);
    for (unsigned r = 0; r < rows; r++)
        for (unsigned c = 0; c < cols; c++) {
            const u32 planar = ((start + r * stride + c) << shift) & 0xffff;
            s.cells[size_t(r) * cols + c] = {vram[planar * 4], vram[planar * 4 + 1]};
        }
    // Cursor: CR0E/CR0F location; CR0A bit 5 turns it off.
    const unsigned cursor = (vga.crtc(0x0e) << 8 | vga.crtc(0x0f)) - start;
    s.cursor_row = (cursor & 0xffff) / stride;
    s.cursor_col = (cursor & 0xffff) % stride;
    s.cursor_on = !(vga.crtc(0x0a) & 0x20) && s.cursor_row < rows && s.cursor_col < cols;
    if (!s.cursor_on) s.cursor_row = s.cursor_col = 0;
    return s;
}

std::string render_text_screen(const TextScreen* prev, const TextScreen& next) {
    if (prev && *prev == next) return {};
    std::string out = "\x1b[?25l";  // hide the cursor while drawing
    if (next.mode != TextScreen::Mode::Text) {
        if (!prev || prev->mode != next.mode) {
            out += "\x1b[0m\x1b[2J\x1b[H";
            if (next.mode == TextScreen::Mode::Graphics) out += "[VGA graphics mode: not shown on the text console]";
        }
        return out;
    }
    const bool full = !prev || prev->mode != next.mode || prev->cols != next.cols || prev->rows != next.rows ||
                      prev->blink != next.blink;
    if (full) out += "\x1b[0m\x1b[2J";
    int attr = -1;
    for (unsigned r = 0; r < next.rows; r++) {
        const TextCell* row = &next.cells[size_t(r) * next.cols];
        const TextCell* old = full ? nullptr : &prev->cells[size_t(r) * next.cols];
        unsigned c = 0;
        while (c < next.cols) {
            if (old && row[c] == old[c]) {
                c++;
                continue;
            }
            put_goto(out, r, c);
            // A run goes on through short stretches of unchanged cells: re-sending up to
            // kGap of them is cheaper than another cursor movement.
            constexpr unsigned kGap = 4;
            auto changed_soon = [&](unsigned from) {
                for (unsigned k = from; k < next.cols && k < from + kGap; k++)
                    if (!(row[k] == old[k])) return true;
                return false;
            };
            for (; c < next.cols && (!old || !(row[c] == old[c]) || changed_soon(c)); c++) {
                if (row[c].attr != attr) {
                    attr = row[c].attr;
                    put_sgr(out, row[c].attr, next.blink);
                }
                put_utf8(out, kCp437[row[c].ch]);
            }
        }
    }
    out += "\x1b[0m";
    put_goto(out, next.cursor_row, next.cursor_col);
    if (next.cursor_on) out += "\x1b[?25h";
    return out;
}

TextConsole::~TextConsole() {
    refresh();
    // Leave the shell's prompt below the guest's screen.
    if (drawn_ && shown_.mode == TextScreen::Mode::Text) {
        std::string out = "\x1b[0m";
        put_goto(out, shown_.rows, 0);
        out += "\x1b[?25h";
        sink_(out);
    }
}

void TextConsole::refresh() {
    TextScreen now = read_text_screen(vga_);
    if (!drawn_ && now.mode == TextScreen::Mode::Off) return;
    const std::string bytes = render_text_screen(drawn_ ? &shown_ : nullptr, now);
    if (!bytes.empty()) sink_(bytes);
    shown_ = std::move(now);
    drawn_ = true;
}

void TextConsole::tick(u64 now) {
    refresh();
    next_ns_ = now + kRefreshNs;
}

}  // namespace vireo
