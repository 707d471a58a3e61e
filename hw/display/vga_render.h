// The VGA's picture as pixels, for the monitor's screendump (what QEMU's hw/display/vga.c
// vga_update_display draws):
//  - alphanumeric modes: every cell drawn with the glyphs the guest loaded into plane 2 (the
//    character generator RAM the BIOS fills; no built-in font), 8 or 9 dots wide (SR01 bit
//    0; 9-dot line-graphics characters C0-DF repeat their 8th column when AR10 bit 2 is set),
//    CR09 lines high, twice as wide with SR01 bit 3; the attribute's colours through the
//    attribute controller's palette and the DAC. The cursor and blinking are not drawn (they
//    depend on the moment of the dump).
//  - the Bochs VBE modes (8 bpp through the DAC, 15, 16, 24, 32 bpp).
// Other graphics modes (planar 16-colour, CGA, mode 13h) are not rendered yet.
#pragma once
#include <string>
#include "softmmu/rgb_image.h"

namespace vireo {

class VgaCore;

// False with the reason in err when the current mode is not drawn (or not programmed yet).
bool render_vga(const VgaCore& vga, RgbImage& out, std::string& err);

}  // namespace vireo
