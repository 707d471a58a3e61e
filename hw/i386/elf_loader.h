// ELF32/ELF64 kernel images for -kernel (System V ABI, "Program Header"): the PT_LOAD segments
// by physical address, flattened into one image to copy at its lowest address, the entry
// point, and the PVH entry from a Xen ELF note if there is one.
#pragma once
#include <optional>
#include <string>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

struct FlatImage {
    u64 load_addr = 0;
    std::vector<u8> bytes;  // from load_addr on: file bytes, zero-filled bss and gaps
    u64 end() const { return load_addr + bytes.size(); }
};

struct ElfKernel {
    FlatImage image;
    u64 entry = 0;                 // e_entry
    std::optional<u32> pvh_entry;  // XEN_ELFNOTE_PHYS32_ENTRY
};

bool is_elf(const std::vector<u8>& file);
// Throws OptionError("-kernel: PATH: ...") for a malformed file or segments beyond `ram`.
ElfKernel elf_load(const std::vector<u8>& file, const std::string& path, u64 ram);

// A segment given by hand (the Multiboot a.out kludge), flattened the same way.
struct LoadSegment {
    u64 addr;
    const u8* data;
    u64 filesz, memsz;
};
FlatImage flatten(const std::vector<LoadSegment>& segs, const std::string& path, u64 ram);

}  // namespace vireo
