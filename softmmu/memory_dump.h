// The monitor's x and xp (QEMU monitor/hmp-cmds.c memory_dump() and the "/fmt" argument of
// monitor/hmp.c): FMT = [count][format][size], format one of x (hex), d (signed decimal; as
// QEMU, the unit is not sign-extended), u (unsigned), o (octal), c (characters); size b, h, w,
// g (1, 2, 4, 8 bytes; c always reads bytes). What FMT leaves out comes from the last command
// that gave it (QEMU's default_fmt_format/default_fmt_size), initially x and w.
// Lines are "ADDRESS: item item ...", 8 bytes a line for byte units, else 16.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include "frontend-x86/types.h"

namespace vireo {

struct DumpFormat {
    unsigned count = 1;
    char format = 'x';
    unsigned size = 4;
};

// The defaults the next "/fmt" starts from; one per monitor.
struct DumpDefaults {
    char format = 'x';
    unsigned size = 4;
};

// Takes a leading "/FMT" (and the spaces around it) off `args`; without one, count 1 and the
// defaults. False with QEMU's error line in err ("invalid char in format: 'q'").
bool parse_dump_format(std::string_view& args, DumpDefaults& defaults, DumpFormat& f, std::string& err);

// Reads len bytes at addr into buf; false: not accessible.
using DumpReader = std::function<bool(u64 addr, u8* buf, size_t len)>;
// The dump, line by line; a line whose bytes cannot be read ends the dump with
// " Cannot access memory" as QEMU's.
std::string memory_dump(const DumpFormat& f, u64 addr, const DumpReader& read);

}  // namespace vireo
