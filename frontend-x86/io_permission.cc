// I/O permission checks (io_permission.h).
#include "frontend-x86/io_permission.h"
#include "frontend-x86/fault.h"
#include "frontend-x86/mem_access.h"

namespace vireo::x86 {

void check_io_permission(CpuState& c, u16 port, unsigned size) {
    // 19.5.1: real mode, or protected mode with CPL <= IOPL, needs no bit map.
    const unsigned iopl = (c.eflags & IOPL) >> 12;
    if (!c.pe || (!c.vm86 && c.cpl <= iopl)) return;
    // 19.5.2: the bit map is in a 32-bit (or 64-bit) TSS; its base is the word at 0x66. Each
    // port of the access has a bit; two bytes are read since the bits may straddle a byte.
    // Anything beyond the TSS limit counts as set.
    const Segment& tr = c.tr;
    const u8 type = tr.type();
    if (!tr.present() || tr.s() || (type != 9 && type != 0xb) || tr.limit < 0x67) raise_gp0(c);
    auto lin = [&](u32 off) { return (c.efer & EFER_LMA) ? tr.base + off : static_cast<u32>(tr.base + off); };
    const u32 byte = sys_read<u16>(c, lin(0x66)) + port / 8u;
    if (byte + 1 > tr.limit) raise_gp0(c);
    const u32 bits = sys_read<u16>(c, lin(byte)) >> (port & 7);
    if (bits & ((1u << size) - 1)) raise_gp0(c);
}

}  // namespace vireo::x86
