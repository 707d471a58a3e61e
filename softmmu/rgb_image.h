// A picture of the guest's display (the monitor's screendump): 8-bit R, G, B per pixel,
// row-major, top row first. Netpbm "PPM" (P6) is what QEMU's screendump writes by default.
#pragma once
#include <string>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

struct RgbImage {
    unsigned width = 0, height = 0;
    std::vector<u8> rgb;  // width * height * 3

    void resize(unsigned w, unsigned h) {
        width = w;
        height = h;
        rgb.assign(static_cast<size_t>(w) * h * 3, 0);
    }
    void set(unsigned x, unsigned y, u32 rgb24) {
        u8* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
        p[0] = static_cast<u8>(rgb24 >> 16);
        p[1] = static_cast<u8>(rgb24 >> 8);
        p[2] = static_cast<u8>(rgb24);
    }
    u32 at(unsigned x, unsigned y) const {
        const u8* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
        return static_cast<u32>(p[0]) << 16 | static_cast<u32>(p[1]) << 8 | p[2];
    }
};

// The image as a binary PPM (netpbm ppm(5)): "P6\nW H\n255\n" then the pixels, as QEMU's
// ppm_save() writes it.
inline std::string encode_ppm(const RgbImage& img) {
    std::string s = "P6\n" + std::to_string(img.width) + " " + std::to_string(img.height) + "\n255\n";
    s.append(reinterpret_cast<const char*>(img.rgb.data()), img.rgb.size());
    return s;
}

}  // namespace vireo
