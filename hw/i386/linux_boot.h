// Linux -kernel/-initrd/-append for a bzImage (Linux boot protocol >= 2.02,
// Documentation/x86/boot.rst), laid out as QEMU's x86_load_linux does (FIRMWARE.md 2): setup
// code at 0x10000 with its header patched, the command line at 0x20000, the protected-mode
// kernel at 0x100000, the initrd at the top of what the kernel accepts below the firmware's
// ACPI area. The board hands the pieces to its boot ROM through fw_cfg.
#pragma once
#include <string>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

struct LinuxBootImage {
    static constexpr u32 kSetupAddr = 0x10000, kCmdlineAddr = 0x20000, kKernelAddr = 0x100000;
    std::vector<u8> setup;    // real-mode code + patched header
    std::vector<u8> kernel;   // protected-mode part
    std::vector<u8> initrd;
    u32 initrd_addr = 0;
    std::vector<u8> cmdline;  // with its NUL
};

// "HdrS" at 0x202: a kernel with a Linux boot protocol header.
bool is_linux_kernel(const std::vector<u8>& image);
// Throws OptionError naming the option (-kernel, -initrd, -append) for a kernel older than
// protocol 2.02 or not loadable high, an initrd that does not fit below the kernel's
// initrd_addr_max and the firmware area, or a command line longer than the kernel's limit.
LinuxBootImage linux_boot_build(const std::vector<u8>& image, std::vector<u8> initrd, const std::string& cmdline,
                                const std::string& kernel_path, const std::string& initrd_path, u64 ram_below_4g);

}  // namespace vireo
