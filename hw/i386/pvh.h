// The PVH boot protocol for -kernel (Xen include/public/arch-x86/hvm/start_info.h; Linux
// arch/x86/platform/pvh): an ELF kernel with a XEN_ELFNOTE_PHYS32_ENTRY note is loaded at its
// physical addresses and entered in 32-bit protected mode, paging off, with EBX pointing at an
// hvm_start_info (version 1: command line, the initrd as module 0, the memory map, the RSDP).
// The board hands the pieces to its pvh.bin option ROM through fw_cfg; the ROM fills in the
// memory map (from E820) and the RSDP address.
#pragma once
#include <string>
#include <vector>
#include "hw/i386/elf_loader.h"

namespace vireo {

struct PvhImage {
    static constexpr u32 kInfoAddr = 0x9000, kInfoSize = 0x1000, kCmdlineAddr = 0x20000;
    static constexpr u32 kMaxCmdline = 4095;  // what fits below the EBDA at 0x9fc00 with room to spare
    FlatImage kernel;
    u32 entry = 0;
    std::vector<u8> info;     // at kInfoAddr: hvm_start_info, the module list, room for the map
    std::vector<u8> initrd;
    u32 initrd_addr = 0;
    std::vector<u8> cmdline;  // with its NUL; empty if none
};

// An ELF file with a PVH entry note.
bool is_pvh_kernel(const std::vector<u8>& image);
// Throws OptionError naming -kernel, -initrd or -append for what does not fit or parse.
PvhImage pvh_build(const std::vector<u8>& image, std::vector<u8> initrd, const std::string& cmdline,
                   const std::string& kernel_path, const std::string& initrd_path, u64 ram_below_4g);

}  // namespace vireo
