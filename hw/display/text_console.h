// Vireo's text console: the VGA's alphanumeric screen shown on a terminal with ANSI/ECMA-48
// escape sequences, Vireo's stand-in for QEMU's "-display curses" while there is no GUI.
//
// Two pure pieces, both unit-tested: read_text_screen() takes the character/attribute cells,
// the geometry and the cursor out of the VGA's registers and VRAM; render_text_screen()
// turns "the terminal shows `prev`, it should show `next`" into a byte stream that redraws
// only the changed cells. TextConsole glues them to a byte sink at a bounded refresh rate.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

class VgaCore;

struct TextCell {
    u8 ch = ' ';
    u8 attr = 0x07;  // IBM attribute byte: bits 3:0 foreground, 6:4 background, 7 blink/intensity
    bool operator==(const TextCell&) const = default;
};

struct TextScreen {
    enum class Mode : u8 { Off, Text, Graphics } mode = Mode::Off;  // Off: not programmed yet
    unsigned cols = 0, rows = 0;
    std::vector<TextCell> cells;  // rows * cols, row-major
    bool blink = true;  // attribute bit 7 is blink (AR10 bit 3) rather than background intensity
    bool cursor_on = false;
    unsigned cursor_col = 0, cursor_row = 0;
    bool operator==(const TextScreen&) const = default;
};

// The screen as the CRTC would scan it out now (FreeVGA "CRT Controller Registers").
TextScreen read_text_screen(const VgaCore& vga);

// Bytes that change a terminal showing `prev` (nullptr: unknown contents) into `next`;
// empty when nothing changed. Characters are code page 437 sent as UTF-8; colours are SGR
// 30-37/90-97 on 40-47/100-107.
std::string render_text_screen(const TextScreen* prev, const TextScreen& next);

class TextConsole {
public:
    using Sink = std::function<void(std::string_view bytes)>;
    static constexpr u64 kRefreshNs = 1'000'000'000 / 30;  // at most ~30 frames a second

    TextConsole(const VgaCore& vga, Sink sink) : vga_(vga), sink_(std::move(sink)) {}
    // Draws the last frame and leaves the terminal's cursor below it with default colours.
    ~TextConsole();
    TextConsole(const TextConsole&) = delete;
    TextConsole& operator=(const TextConsole&) = delete;

    void refresh();  // redraw what changed since the last refresh
    // Main-loop timer hooks: when the next refresh is due, and run it.
    u64 next_ns() const { return next_ns_; }
    void tick(u64 now);

private:
    const VgaCore& vga_;
    Sink sink_;
    TextScreen shown_;
    bool drawn_ = false;
    u64 next_ns_ = 0;
};

}  // namespace vireo
