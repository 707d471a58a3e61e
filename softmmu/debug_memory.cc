// Debugger memory access (debug_memory.h).
#include "softmmu/debug_memory.h"

#include <algorithm>
#include <cstring>
#include "frontend-x86/control_regs.h"
#include "frontend-x86/paging.h"
#include "softmmu/machine.h"

namespace vireo {

bool debug_memory_rw(Machine& m, x86::CpuState& c, u64 lin, u8* buf, size_t len, bool write) {
    if (!(c.efer & x86::EFER_LMA)) lin = static_cast<u32>(lin);
    while (len) {
        const size_t n = std::min<size_t>(len, 4096 - (lin & 0xfff));
        u64 pa;
        if (!x86::page_probe(c, lin, &pa)) return false;
        if (write) {
            // RAM only; dma_write tells the code tracker, so translated code there is dropped.
            if (!m.memory().host_ptr(pa, n, true) || !m.memory().dma_write(pa, buf, n)) return false;
        } else if (!debug_physical_read(m, pa, buf, n)) {
            return false;
        }
        lin += n;
        buf += n;
        len -= n;
    }
    return true;
}

bool debug_physical_read(Machine& m, u64 pa, u8* buf, size_t len) {
    while (len) {  // page by page: RAM and ROM regions need not be contiguous on the host
        const size_t n = std::min<size_t>(len, 4096 - (pa & 0xfff));
        const u8* h = m.memory().host_ptr(pa, n, false);
        if (!h) return false;
        std::memcpy(buf, h, n);
        pa += n;
        buf += n;
        len -= n;
    }
    return true;
}

}  // namespace vireo
