// Multiboot v1 loader (Multiboot Specification 0.6.96): ELF32/ELF64-with-32-bit-entry images or
// the a.out kludge, an info structure with a memory map, and the machine state of section 3.2.
#pragma once
#include <string>
#include <vector>
#include "frontend-x86/cpu_state.h"
#include "softmmu/machine.h"

namespace vireo {

// True if the file has a Multiboot header in its first 8 KiB.
bool is_multiboot(const std::vector<u8>& image);

// What a Multiboot loader puts in memory: the flat load image (every segment, bss zeroed) at
// load_addr, and the boot information (3.3) at info_addr, with a memory map for RAM that ends
// at ram_below_4g (a firmware-based loader replaces the map with the firmware's E820 one).
struct MultibootImage {
    u64 load_addr = 0;
    std::vector<u8> image;
    u32 entry = 0;
    u64 info_addr = 0;
    std::vector<u8> info;
};
// Throws OptionError("-kernel: ...") for a malformed image or one that does not fit.
MultibootImage multiboot_build(const std::vector<u8>& image, const std::string& cmdline, const std::string& kernel_path,
                               u64 ram_below_4g);
// Load the image directly (no firmware) and set up CPU 0 as the spec says (protected mode, paging off, EAX magic,
// EBX info). Throws OptionError("-kernel: ...") for a malformed image.
void multiboot_load(Machine& m, x86::CpuState& c, const std::vector<u8>& image, const std::string& cmdline,
                    const std::string& kernel_path);

}  // namespace vireo
