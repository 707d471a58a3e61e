// Debug-register breakpoint matching (debug_regs.h).
#include "frontend-x86/debug_regs.h"

namespace vireo::x86 {

namespace {
// DR7 (Figure 17-2): enables in bits 2n (Ln) and 2n+1 (Gn); R/Wn in bits 16+4n, LENn in 18+4n.
bool enabled(u64 dr7, unsigned n) { return (dr7 >> (2 * n)) & 3; }
unsigned rw(u64 dr7, unsigned n) { return (dr7 >> (16 + 4 * n)) & 3; }
// LEN 00: 1 byte, 01: 2, 11: 4, 10: 8 (17.2.5); the address is aligned down to the length.
u64 len(u64 dr7, unsigned n) {
    static constexpr u64 kLen[4] = {1, 2, 8, 4};
    return kLen[(dr7 >> (18 + 4 * n)) & 3];
}
}  // namespace

unsigned dr_exec_hits(const CpuState& c, u64 lin) {
    const u64 dr7 = c.dr[7];
    unsigned hits = 0;
    for (unsigned n = 0; n < 4; n++)
        if (enabled(dr7, n) && rw(dr7, n) == 0 && c.dr[n] == lin) hits |= 1u << n;
    return hits;
}

unsigned dr_data_hits(const CpuState& c, u64 lin, unsigned size, bool write) {
    const u64 dr7 = c.dr[7];
    unsigned hits = 0;
    for (unsigned n = 0; n < 4; n++) {
        const unsigned type = rw(dr7, n);
        if (!enabled(dr7, n) || !(type == 1 || type == 3) || (type == 1 && !write)) continue;
        const u64 l = len(dr7, n), start = c.dr[n] & ~(l - 1);
        if (lin < start + l && start < lin + size) hits |= 1u << n;
    }
    return hits;
}

bool dr_data_breakpoints_enabled(const CpuState& c) {
    for (unsigned n = 0; n < 4; n++) {
        const unsigned type = rw(c.dr[7], n);
        if (enabled(c.dr[7], n) && (type == 1 || type == 3)) return true;
    }
    return false;
}

}  // namespace vireo::x86
