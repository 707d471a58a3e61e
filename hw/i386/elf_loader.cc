// ELF kernel loading (elf_loader.h).
#include "hw/i386/elf_loader.h"

#include <cstring>
#include "softmmu/options.h"

namespace vireo {

namespace {
template <class T>
T get(const std::vector<u8>& b, u64 off) {
    T v{};
    if (off + sizeof(T) <= b.size()) std::memcpy(&v, b.data() + off, sizeof(T));
    return v;
}
[[noreturn]] void bad(const std::string& path, const std::string& why) {
    throw OptionError("-kernel: " + path + ": " + why);
}
constexpr u32 kPtLoad = 1, kPtNote = 4;
constexpr u32 kXenElfnotePhys32Entry = 18;  // Xen include/public/elfnote.h
}  // namespace

bool is_elf(const std::vector<u8>& file) {
    return file.size() >= 52 && std::memcmp(file.data(), "\x7f" "ELF", 4) == 0;
}

FlatImage flatten(const std::vector<LoadSegment>& segs, const std::string& path, u64 ram) {
    if (segs.empty()) bad(path, "nothing to load");
    u64 lo = ~0ull, hi = 0;
    for (const LoadSegment& s : segs) {
        if (s.addr + s.memsz < s.addr || s.addr + s.memsz > ram) bad(path, "segment does not fit in RAM");
        lo = std::min(lo, s.addr);
        hi = std::max(hi, s.addr + s.memsz);
    }
    FlatImage out;
    out.load_addr = lo;
    out.bytes.assign(hi - lo, 0);
    for (const LoadSegment& s : segs) std::memcpy(out.bytes.data() + (s.addr - lo), s.data, s.filesz);
    return out;
}

ElfKernel elf_load(const std::vector<u8>& img, const std::string& path, u64 ram) {
    if (!is_elf(img)) bad(path, "not an ELF file");
    const bool elf64 = img[4] == 2;
    if (img[5] != 1) bad(path, "not a little-endian ELF file");
    const u64 phoff = elf64 ? get<u64>(img, 32) : get<u32>(img, 28);
    const u16 phentsize = get<u16>(img, elf64 ? 54 : 42), phnum = get<u16>(img, elf64 ? 56 : 44);
    ElfKernel k;
    k.entry = elf64 ? get<u64>(img, 24) : get<u32>(img, 24);
    if (!phnum || phentsize < (elf64 ? 56 : 32)) bad(path, "ELF file has no program headers");
    std::vector<LoadSegment> segs;
    for (unsigned i = 0; i < phnum; i++) {
        const u64 ph = phoff + static_cast<u64>(i) * phentsize;
        if (ph + phentsize > img.size()) bad(path, "truncated program headers");
        const u32 type = get<u32>(img, ph);
        const u64 off = elf64 ? get<u64>(img, ph + 8) : get<u32>(img, ph + 4);
        const u64 paddr = elf64 ? get<u64>(img, ph + 24) : get<u32>(img, ph + 12);
        const u64 filesz = elf64 ? get<u64>(img, ph + 32) : get<u32>(img, ph + 16);
        const u64 memsz = elf64 ? get<u64>(img, ph + 40) : get<u32>(img, ph + 20);
        if (off > img.size() || filesz > img.size() - off) bad(path, "segment outside the file");
        if (type == kPtLoad) {
            if (filesz > memsz) bad(path, "segment outside the file");
            if (memsz) segs.push_back({paddr, img.data() + off, filesz, memsz});
        } else if (type == kPtNote) {
            // Notes (System V ABI "Note Section"): namesz, descsz, type, name, desc, 4-aligned.
            for (u64 n = off; n + 12 <= off + filesz;) {
                const u32 namesz = get<u32>(img, n), descsz = get<u32>(img, n + 4), ntype = get<u32>(img, n + 8);
                const u64 name = n + 12, desc = name + ((namesz + 3) & ~3u);
                if (desc + descsz > off + filesz) break;
                if (ntype == kXenElfnotePhys32Entry && namesz == 4 && std::memcmp(img.data() + name, "Xen", 4) == 0)
                    k.pvh_entry = descsz >= 8 ? static_cast<u32>(get<u64>(img, desc)) : get<u32>(img, desc);
                n = desc + ((descsz + 3) & ~3u);
            }
        }
    }
    k.image = flatten(segs, path, ram);
    return k;
}

}  // namespace vireo
