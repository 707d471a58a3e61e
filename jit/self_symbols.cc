#include "jit/self_symbols.h"

#include <elf.h>
#include <link.h>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

namespace vireo::jit {

namespace {
// The load address of the main program (a PIE's bias; 0 for a fixed-address executable).
int first_object(struct dl_phdr_info* info, size_t, void* data) {
    *static_cast<u64*>(data) = info->dlpi_addr;
    return 1;  // the main program is listed first
}
}  // namespace

SelfSymbols::SelfSymbols() {
    std::FILE* f = std::fopen("/proc/self/exe", "rb");
    if (!f) return;
    std::vector<char> img;
    char buf[1 << 16];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) img.insert(img.end(), buf, buf + n);
    std::fclose(f);
    if (img.size() < sizeof(Elf64_Ehdr) || std::memcmp(img.data(), ELFMAG, SELFMAG) != 0) return;
    Elf64_Ehdr eh;
    std::memcpy(&eh, img.data(), sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shoff + u64{eh.e_shnum} * sizeof(Elf64_Shdr) > img.size()) return;
    std::vector<Elf64_Shdr> sh(eh.e_shnum);
    std::memcpy(sh.data(), img.data() + eh.e_shoff, sh.size() * sizeof(Elf64_Shdr));
    u64 bias = 0;
    dl_iterate_phdr(first_object, &bias);
    std::unordered_set<std::string> seen, ambiguous;
    for (const Elf64_Shdr& s : sh) {
        if (s.sh_type != SHT_SYMTAB || s.sh_link >= sh.size()) continue;
        const Elf64_Shdr& str = sh[s.sh_link];
        if (s.sh_offset + s.sh_size > img.size() || str.sh_offset + str.sh_size > img.size()) return;
        const size_t n = s.sh_size / sizeof(Elf64_Sym);
        for (size_t i = 0; i < n; i++) {
            Elf64_Sym sym;
            std::memcpy(&sym, img.data() + s.sh_offset + i * sizeof sym, sizeof sym);
            const unsigned type = ELF64_ST_TYPE(sym.st_info);
            if ((type != STT_FUNC && type != STT_OBJECT) || sym.st_shndx == SHN_UNDEF || sym.st_name >= str.sh_size)
                continue;
            std::string name(img.data() + str.sh_offset + sym.st_name);
            if (name.empty()) continue;
            const u64 addr = sym.st_value + (sym.st_shndx == SHN_ABS ? 0 : bias);
            if (!seen.insert(name).second) {
                if (by_name_[name] != addr) ambiguous.insert(name);
                continue;
            }
            by_name_[name] = addr;
            if (type == STT_FUNC) by_addr_.emplace(addr, name);
        }
    }
    for (auto it = by_addr_.begin(); it != by_addr_.end();)
        it = ambiguous.count(it->second) ? by_addr_.erase(it) : std::next(it);
    for (const std::string& n : ambiguous) by_name_.erase(n);
}

bool SelfSymbols::binary_has_symtab() {
    std::FILE* f = std::fopen("/proc/self/exe", "rb");
    if (!f) return false;
    Elf64_Ehdr eh;
    bool found = false;
    if (std::fread(&eh, sizeof eh, 1, f) == 1 && std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
        eh.e_ident[EI_CLASS] == ELFCLASS64 && std::fseek(f, static_cast<long>(eh.e_shoff), SEEK_SET) == 0) {
        for (unsigned i = 0; i < eh.e_shnum && !found; i++) {
            Elf64_Shdr s;
            if (std::fread(&s, sizeof s, 1, f) != 1) break;
            found = s.sh_type == SHT_SYMTAB;
        }
    }
    std::fclose(f);
    return found;
}

const std::string* SelfSymbols::name_at(const void* addr) const {
    auto it = by_addr_.find(reinterpret_cast<u64>(addr));
    return it == by_addr_.end() ? nullptr : &it->second;
}

}  // namespace vireo::jit
