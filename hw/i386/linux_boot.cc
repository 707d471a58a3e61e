// bzImage loading (linux_boot.h). Offsets are those of Documentation/x86/boot.rst, "The Real-Mode
// Kernel Header".
#include "hw/i386/linux_boot.h"

#include <cstring>
#include "softmmu/options.h"

namespace vireo {

namespace {
constexpr unsigned kSetupSects = 0x1f1, kHeader = 0x202, kVersion = 0x206, kTypeOfLoader = 0x210,
                   kLoadflags = 0x211, kRamdiskImage = 0x218, kRamdiskSize = 0x21c, kHeapEndPtr = 0x224,
                   kCmdLinePtr = 0x228, kInitrdAddrMax = 0x22c, kCmdlineSize = 0x238;
constexpr u8 kLoadedHigh = 0x01, kCanUseHeap = 0x80;
// QEMU keeps the initrd below the last 128 KiB of low RAM, where SeaBIOS puts the ACPI tables.
constexpr u64 kAcpiDataSize = 0x20000;  // QEMU 7.2 q35, checked: a 24-byte initrd with -m 128 lands at 0x7fdf000

u32 get32(const std::vector<u8>& b, unsigned off) {
    u32 v = 0;
    std::memcpy(&v, b.data() + off, 4);
    return v;
}
u16 get16(const std::vector<u8>& b, unsigned off) { return static_cast<u16>(b[off] | b[off + 1] << 8); }
void put32(std::vector<u8>& b, unsigned off, u32 v) { std::memcpy(b.data() + off, &v, 4); }
void put16(std::vector<u8>& b, unsigned off, u16 v) { std::memcpy(b.data() + off, &v, 2); }
}  // namespace

bool is_linux_kernel(const std::vector<u8>& image) {
    return image.size() >= 0x240 && std::memcmp(image.data() + kHeader, "HdrS", 4) == 0;
}

LinuxBootImage linux_boot_build(const std::vector<u8>& image, std::vector<u8> initrd, const std::string& cmdline,
                                const std::string& kernel_path, const std::string& initrd_path, u64 ram) {
    auto bad = [&](const std::string& why) -> OptionError { return OptionError("-kernel: " + kernel_path + ": " + why); };
    if (!is_linux_kernel(image)) throw bad("no Linux boot protocol header");
    const u16 version = get16(image, kVersion);
    if (version < 0x202)
        throw bad("Linux boot protocol " + std::to_string(version >> 8) + "." + std::to_string(version & 0xff) +
                  " is too old (2.02 or later needed)");
    if (!(image[kLoadflags] & kLoadedHigh)) throw bad("not a bzImage (a zImage loads low; not supported)");
    const unsigned setup_sects = image[kSetupSects] ? image[kSetupSects] : 4;
    const size_t setup_size = (setup_sects + 1) * 512ull;
    if (image.size() <= setup_size) throw bad("truncated (no protected-mode kernel after the setup code)");

    LinuxBootImage out;
    out.setup.assign(image.begin(), image.begin() + static_cast<long>(setup_size));
    out.kernel.assign(image.begin() + static_cast<long>(setup_size), image.end());
    if (LinuxBootImage::kKernelAddr + out.kernel.size() > ram) throw bad("does not fit in the guest RAM");

    // Command line: cmdline_size (2.06+) or 255 characters (boot.rst, "cmdline_size").
    const u32 max_cmdline = version >= 0x206 ? get32(image, kCmdlineSize) : 255;
    if (cmdline.size() > max_cmdline)
        throw OptionError("-append: the command line is " + std::to_string(cmdline.size()) +
                          " bytes, longer than the kernel accepts (" + std::to_string(max_cmdline) + ")");
    out.cmdline.assign(cmdline.begin(), cmdline.end());
    out.cmdline.push_back(0);

    // Header patches (boot.rst "Details of Header Fields", QEMU x86_load_linux).
    std::vector<u8>& s = out.setup;
    s[kTypeOfLoader] = 0xb0;  // QEMU's loader ID: "undefined" type 0xb, version 0
    s[kLoadflags] |= kCanUseHeap;
    put16(s, kHeapEndPtr, static_cast<u16>(LinuxBootImage::kCmdlineAddr - LinuxBootImage::kSetupAddr - 0x200));
    put32(s, kCmdLinePtr, LinuxBootImage::kCmdlineAddr);

    if (!initrd.empty()) {
        u64 initrd_max = version >= 0x203 ? get32(image, kInitrdAddrMax) : 0x37ffffff;
        if (initrd_max >= ram - kAcpiDataSize) initrd_max = ram - kAcpiDataSize - 1;
        const u64 kernel_end = LinuxBootImage::kKernelAddr + out.kernel.size();
        if (initrd.size() > initrd_max || ((initrd_max - initrd.size()) & ~0xfffull) < kernel_end)
            throw OptionError("-initrd: " + initrd_path + ": too large for the guest RAM (" +
                              std::to_string(initrd.size()) + " bytes; at most " +
                              std::to_string(initrd_max > kernel_end ? initrd_max - kernel_end : 0) + " fit)");
        out.initrd_addr = static_cast<u32>((initrd_max - initrd.size()) & ~0xfffull);
        put32(s, kRamdiskImage, out.initrd_addr);
        put32(s, kRamdiskSize, static_cast<u32>(initrd.size()));
        out.initrd = std::move(initrd);
    }
    return out;
}

}  // namespace vireo
