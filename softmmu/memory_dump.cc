// Memory dumps for x/xp (memory_dump.h), laid out as QEMU 7.2's memory_dump().
#include "softmmu/memory_dump.h"

#include <algorithm>
#include <cstdio>

namespace vireo {

bool parse_dump_format(std::string_view& s, DumpDefaults& d, DumpFormat& f, std::string& err) {
    auto skip = [&s] {
        while (!s.empty() && (s[0] == ' ' || s[0] == '\t')) s.remove_prefix(1);
    };
    skip();
    f = {1, d.format, d.size};
    if (s.empty() || s[0] != '/') return true;
    s.remove_prefix(1);
    if (!s.empty() && s[0] >= '0' && s[0] <= '9') {
        u64 n = 0;
        while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
            n = std::min<u64>(n * 10 + static_cast<unsigned>(s[0] - '0'), 1u << 30);
            s.remove_prefix(1);
        }
        f.count = static_cast<unsigned>(n);
    }
    int format = -1, size = -1;
    for (; !s.empty(); s.remove_prefix(1)) {
        const char c = s[0];
        if (c == 'o' || c == 'd' || c == 'u' || c == 'x' || c == 'c' || c == 'i') format = c;
        else if (c == 'b') size = 1;
        else if (c == 'h') size = 2;
        else if (c == 'w') size = 4;
        else if (c == 'g' || c == 'L') size = 8;
        else break;
    }
    if (!s.empty() && s[0] != ' ' && s[0] != '\t') {
        err = std::string("invalid char in format: '") + s[0] + "'\n";
        return false;
    }
    f.format = static_cast<char>(format < 0 ? d.format : format);
    f.size = size < 0 ? d.size : static_cast<unsigned>(size);
    d.format = f.format;
    if (f.format != 'i') d.size = f.size;  // QEMU: "i" without a size leaves the default alone
    skip();
    return true;
}

namespace {

// QEMU's monitor_printc().
std::string quoted_char(unsigned c) {
    switch (c) {
    case '\'': return "'\\''";
    case '\\': return "'\\\\'";
    case '\n': return "'\\n'";
    case '\r': return "'\\r'";
    default: break;
    }
    char b[16];
    if (c >= 32 && c <= 126) std::snprintf(b, sizeof b, "'%c'", c);
    else std::snprintf(b, sizeof b, "'\\x%02x'", c);
    return b;
}

}  // namespace

std::string memory_dump(const DumpFormat& f, u64 addr, const DumpReader& read) {
    unsigned wsize = f.size;
    const u64 line_size = wsize == 1 ? 8 : 16;
    int digits = 0;
    switch (f.format) {
    case 'o': digits = static_cast<int>((wsize * 8 + 2) / 3); break;
    case 'u':
    case 'd': digits = static_cast<int>((wsize * 8 * 10 + 32) / 33); break;
    case 'c': wsize = 1; break;
    default: digits = static_cast<int>(wsize * 2); break;  // 'x'
    }
    std::string out;
    char b[64];
    // As QEMU: count units of the given size, shown in wsize pieces ('c' shows every byte).
    u64 len = static_cast<u64>(f.size) * f.count;
    while (len > 0) {
        std::snprintf(b, sizeof b, "%016llx:", static_cast<unsigned long long>(addr));
        out += b;
        const size_t l = static_cast<size_t>(std::min(len, line_size));
        u8 buf[16];
        if (!read(addr, buf, l)) {
            out += " Cannot access memory\n";
            break;
        }
        for (size_t i = 0; i < l; i += wsize) {
            u64 v = 0;
            for (unsigned k = 0; k < wsize && i + k < l; k++) v |= static_cast<u64>(buf[i + k]) << (8 * k);
            const auto uv = static_cast<unsigned long long>(v);
            switch (f.format) {
            case 'o': std::snprintf(b, sizeof b, " %#*llo", digits, uv); break;
            case 'u': std::snprintf(b, sizeof b, " %*llu", digits, uv); break;
            case 'd': std::snprintf(b, sizeof b, " %*lld", digits, static_cast<long long>(v)); break;
            case 'c': std::snprintf(b, sizeof b, " %s", quoted_char(static_cast<unsigned>(v)).c_str()); break;
            default: std::snprintf(b, sizeof b, " 0x%0*llx", digits, uv); break;
            }
            out += b;
        }
        out += "\n";
        addr += l;
        len -= l;
    }
    return out;
}

}  // namespace vireo
