// PVH boot (pvh.h). Layouts: Xen include/public/arch-x86/hvm/start_info.h.
#include "hw/i386/pvh.h"

#include <cstring>
#include "softmmu/options.h"

namespace vireo {

namespace {
constexpr u32 kStartInfoMagic = 0x336ec578;
// Offsets in the information block.
constexpr unsigned kModlistOff = 0x40, kMemmapOff = 0x100;
// Keep the initrd below the firmware's ACPI area at the top of low RAM. QEMU 7.2 keeps 160 KiB
// free here for PVH (128 KiB for the Linux boot protocol): a 24-byte initrd with -m 128 lands
// at 0x7fd7000 under both.
constexpr u64 kAcpiDataSize = 0x28000;
void put32(std::vector<u8>& b, unsigned off, u32 v) { std::memcpy(b.data() + off, &v, 4); }
void put64(std::vector<u8>& b, unsigned off, u64 v) { std::memcpy(b.data() + off, &v, 8); }
}  // namespace

bool is_pvh_kernel(const std::vector<u8>& image) {
    if (!is_elf(image)) return false;
    try {
        return elf_load(image, "", ~0ull).pvh_entry.has_value();
    } catch (const OptionError&) {
        return false;
    }
}

PvhImage pvh_build(const std::vector<u8>& image, std::vector<u8> initrd, const std::string& cmdline,
                   const std::string& kernel_path, const std::string& initrd_path, u64 ram) {
    ElfKernel k = elf_load(image, kernel_path, ram);
    if (!k.pvh_entry) throw OptionError("-kernel: " + kernel_path + ": no PVH entry note");
    PvhImage out;
    out.entry = *k.pvh_entry;
    out.kernel = std::move(k.image);
    if (out.kernel.load_addr < PvhImage::kCmdlineAddr + PvhImage::kMaxCmdline + 1 && out.kernel.end() > PvhImage::kInfoAddr)
        throw OptionError("-kernel: " + kernel_path + ": loads over the boot information below 0x21000");
    if (cmdline.size() > PvhImage::kMaxCmdline)
        throw OptionError("-append: the command line is " + std::to_string(cmdline.size()) +
                          " bytes, longer than Vireo's PVH loader takes (" + std::to_string(PvhImage::kMaxCmdline) + ")");

    // struct hvm_start_info (version 1).
    std::vector<u8>& s = out.info;
    s.assign(PvhImage::kInfoSize, 0);
    put32(s, 0, kStartInfoMagic);
    put32(s, 4, 1);  // version: memmap_paddr/memmap_entries are valid
    put32(s, 8, 0);  // flags
    if (!cmdline.empty()) {
        out.cmdline.assign(cmdline.begin(), cmdline.end());
        out.cmdline.push_back(0);
        put64(s, 24, PvhImage::kCmdlineAddr);
    }
    put64(s, 40, PvhImage::kInfoAddr + kMemmapOff);  // memmap_paddr; the ROM fills entries and count
    if (!initrd.empty()) {
        const u64 top = ram - kAcpiDataSize - 1;
        if (initrd.size() > top || ((top - initrd.size()) & ~0xfffull) < out.kernel.end())
            throw OptionError("-initrd: " + initrd_path + ": too large for the guest RAM (" +
                              std::to_string(initrd.size()) + " bytes)");
        out.initrd_addr = static_cast<u32>((top - initrd.size()) & ~0xfffull);
        put32(s, 12, 1);                                   // nr_modules
        put64(s, 16, PvhImage::kInfoAddr + kModlistOff);   // modlist_paddr
        put64(s, kModlistOff + 0, out.initrd_addr);        // hvm_modlist_entry.paddr
        put64(s, kModlistOff + 8, initrd.size());          // .size
        out.initrd = std::move(initrd);
    }
    return out;
}

}  // namespace vireo
