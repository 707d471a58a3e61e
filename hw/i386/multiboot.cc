// Multiboot v1 (multiboot.h). Section numbers refer to the Multiboot Specification 0.6.96.
#include "hw/i386/multiboot.h"

#include <cstring>
#include "frontend-x86/flags.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/segmentation.h"
#include "hw/i386/elf_loader.h"

namespace vireo {

namespace {
constexpr u32 kHeaderMagic = 0x1BADB002, kBootMagic = 0x2BADB002;
constexpr u64 kInfoAddr = 0x9000;  // info, memory map, command line: below 640 KiB

u32 rd32(const std::vector<u8>& b, size_t off) {
    u32 v = 0;
    if (off + 4 <= b.size()) std::memcpy(&v, b.data() + off, 4);
    return v;
}

long find_header(const std::vector<u8>& img) {
    // 3.1.1: 32-bit aligned within the first 8192 bytes; magic + flags + checksum == 0.
    for (size_t off = 0; off + 12 <= img.size() && off < 8192; off += 4)
        if (rd32(img, off) == kHeaderMagic && static_cast<u32>(rd32(img, off) + rd32(img, off + 4) + rd32(img, off + 8)) == 0)
            return static_cast<long>(off);
    return -1;
}

[[noreturn]] void bad(const std::string& path, const std::string& why) {
    throw OptionError("-kernel: " + path + ": " + why);
}

}  // namespace

bool is_multiboot(const std::vector<u8>& image) { return find_header(image) >= 0; }

MultibootImage multiboot_build(const std::vector<u8>& img, const std::string& cmdline, const std::string& path,
                               u64 ram) {
    long h = find_header(img);
    if (h < 0) bad(path, "no Multiboot header");
    const u32 flags = rd32(img, h + 4);
    // Bits 0-15 the loader must understand (3.1.2): we know 0 (align), 1 (mem info), 2 (video
    // mode, a request we may ignore); bit 16 is the a.out kludge.
    if (flags & 0xfff8) bad(path, "unsupported required Multiboot flags");
    MultibootImage out;
    if (flags & (1u << 16)) {
        // a.out kludge (3.1.3): header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr.
        u32 header_addr = rd32(img, h + 12), load_addr = rd32(img, h + 16);
        u32 load_end = rd32(img, h + 20), bss_end = rd32(img, h + 24);
        u64 file_off = static_cast<u64>(h) - (header_addr - load_addr);
        u64 len = load_end ? load_end - load_addr : img.size() - file_off;
        if (file_off > img.size() || file_off + len > img.size()) bad(path, "a.out kludge addresses outside the file");
        const u64 memsz = std::max<u64>(len, bss_end > load_addr ? bss_end - load_addr : 0);
        FlatImage f = flatten({{load_addr, img.data() + file_off, len, memsz}}, path, ram);
        out.load_addr = f.load_addr;
        out.image = std::move(f.bytes);
        out.entry = rd32(img, h + 28);
    } else {
        ElfKernel k = elf_load(img, path, ram);
        if (k.entry >= (1ull << 32)) bad(path, "entry point above 4 GiB");
        out.load_addr = k.image.load_addr;
        out.image = std::move(k.image.bytes);
        out.entry = static_cast<u32>(k.entry);
    }
    const u64 info = kInfoAddr, info_size = 0x1000;
    if (out.load_addr < info + info_size && out.load_addr + out.image.size() > info)
        bad(path, "kernel overlaps the boot information");

    // Boot information (3.3): mem_lower/upper, cmdline, memory map, boot loader name.
    const u64 mmap = 0x100, strs = 0x400;  // offsets in the block
    out.info_addr = info;
    out.info.assign(info_size, 0);
    u8* base = out.info.data();
    auto put32 = [&](u64 a, u32 v) { std::memcpy(base + a, &v, 4); };
    auto put64 = [&](u64 a, u64 v) { std::memcpy(base + a, &v, 8); };
    u32 mbflags = 1u | (1u << 6) | (1u << 9);  // mem, mmap, boot loader name
    put32(4, 640);
    put32(8, static_cast<u32>(std::min<u64>((ram - 0x100000) / 1024, 0xffffffffu)));
    struct Range { u64 base, len; u32 type; };
    const Range ranges[] = {{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, ram - 0x100000, 1}};
    u64 p = mmap;
    for (const Range& r : ranges) {
        put32(p, 20);
        put64(p + 4, r.base);
        put64(p + 12, r.len);
        put32(p + 20, r.type);
        p += 24;
    }
    put32(44, static_cast<u32>(p - mmap));
    put32(48, static_cast<u32>(info + mmap));
    std::string cl = path + (cmdline.empty() ? "" : " " + cmdline);
    if (cl.size() > 0xa00) bad(path, "command line too long");
    std::memcpy(base + strs, cl.c_str(), cl.size() + 1);
    put32(16, static_cast<u32>(info + strs));
    mbflags |= 1u << 2;
    const char* name = "Vireo";
    u64 name_at = strs + cl.size() + 1;
    std::memcpy(base + name_at, name, std::strlen(name) + 1);
    put32(64, static_cast<u32>(info + name_at));
    put32(0, mbflags);
    return out;
}

void multiboot_load(Machine& m, x86::CpuState& c, const std::vector<u8>& img, const std::string& cmdline,
                    const std::string& path) {
    using namespace x86;
    const MultibootImage mb = multiboot_build(img, cmdline, path, m.ram_size());
    std::memcpy(m.ram() + mb.load_addr, mb.image.data(), mb.image.size());
    std::memcpy(m.ram() + mb.info_addr, mb.info.data(), mb.info.size());

    // Machine state (3.2): 32-bit protected mode, flat 4 GiB segments, paging off, IF=0.
    c.cr0 = (c.cr0 | CR0_PE) & ~(CR0_PG | CR0_CD | CR0_NW);
    load_flat_protected_segments(c, 0x08, 0x10);
    c.eflags = 2;
    set_flags_eager(c, 0);
    c.gpr[RAX] = kBootMagic;
    c.gpr[RBX] = mb.info_addr;
    c.rip = mb.entry;
    c.cpl = 0;
    update_mode(c);
    tlb_flush_all(c);
}

}  // namespace vireo
