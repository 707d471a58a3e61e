// String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, with REP/REPE/REPNE
// (SDM Vol. 1 7.3.9 "String Operations"; Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ" and each
// instruction's page).
//
// Operands: the source is seg:rSI (DS unless overridden), the destination always ES:rDI (the
// override does not apply to it). rSI/rDI/rCX are used at the address size (16, 32 or 64 bits);
// a 16-bit update keeps the register's upper bits, a 32-bit one zero-extends like any 32-bit
// register write. Each element moves rSI/rDI by the element size, down when EFLAGS.DF is set.
//
// REP: rCX == 0 does nothing (no memory access, no I/O permission check, flags unchanged).
// Every iteration updates rSI/rDI/rCX before the next one starts, so a fault in iteration k
// leaves the state of "k iterations done" and the instruction restarts with the remaining
// count (SDM Vol. 2B REP: "... the instruction can be restarted"). After kMaxIterations the
// handler stops and re-executes the same instruction (end_block to its own RIP), so pending
// interrupts and the main loop get a chance, like the hardware's interrupt window between
// iterations. With EFLAGS.TF set that happens after every iteration: the single-step trap
// comes between iterations, with RIP still at the string instruction.
//
// Binding happens per (element size, address size, repeat kind), so tier 1 lifts a handler
// with no run-time dispatch on those.
#include <algorithm>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {

// I/O permission (SDM Vol. 1 19.5, 19.5.2): CPL vs IOPL, then the TSS bitmap; #GP(0) when denied.
// Defined with the system semantics (system.cc).
extern void check_io_permission(CpuState& c, u16 port, unsigned size);

namespace {

constexpr unsigned kMaxIterations = 4096;

enum class Rep : u8 { None, Rep, RepE, RepNE };

// ---- address-size registers ----
template <unsigned A>
VIREO_ALWAYS_INLINE u64 areg(const CpuState& c, unsigned r) {
    if constexpr (A == 8) return c.gpr[r];
    else if constexpr (A == 4) return static_cast<u32>(c.gpr[r]);
    else return static_cast<u16>(c.gpr[r]);
}
template <unsigned A>
VIREO_ALWAYS_INLINE void areg_set(CpuState& c, unsigned r, u64 v) {
    if constexpr (A == 8) c.gpr[r] = v;
    else if constexpr (A == 4) c.gpr[r] = static_cast<u32>(v);
    else c.gpr[r] = (c.gpr[r] & ~0xffffull) | static_cast<u16>(v);
}
// rSI/rDI += n elements, in the direction EFLAGS.DF gives.
template <typename T, unsigned A>
VIREO_ALWAYS_INLINE void advance(CpuState& c, unsigned r, u64 n = 1) {
    const u64 step = n * sizeof(T);
    areg_set<A>(c, r, (c.eflags & DF) ? c.gpr[r] - step : c.gpr[r] + step);
}

// ---- one element of each instruction; returns ZF for the compares ----
struct Movs {
    static constexpr bool kCompare = false, kIo = false;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op& o) {
        const T v = mem_read<T>(c, o.seg, areg<A>(c, RSI));
        mem_write<T>(c, ES, areg<A>(c, RDI), v);
        advance<T, A>(c, RSI);
        advance<T, A>(c, RDI);
        return false;
    }
};
struct Stos {
    static constexpr bool kCompare = false, kIo = false;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op&) {
        mem_write<T>(c, ES, areg<A>(c, RDI), reg_get<T>(c, reg_off(RAX)));
        advance<T, A>(c, RDI);
        return false;
    }
};
struct Lods {
    static constexpr bool kCompare = false, kIo = false;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op& o) {
        const T v = mem_read<T>(c, o.seg, areg<A>(c, RSI));
        reg_set<T>(c, reg_off(RAX), v);  // LODSD zero-extends RAX like any 32-bit write
        advance<T, A>(c, RSI);
        return false;
    }
};
// CMPS compares seg:rSI with ES:rDI (flags of SRC1 - SRC2, SDM Vol. 2A CMPS).
struct Cmps {
    static constexpr bool kCompare = true, kIo = false;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op& o) {
        const T a = mem_read<T>(c, o.seg, areg<A>(c, RSI));
        const T b = mem_read<T>(c, ES, areg<A>(c, RDI));
        set_cc<T>(c, CC_SUB, T(a - b), b);
        advance<T, A>(c, RSI);
        advance<T, A>(c, RDI);
        return a == b;
    }
};
// SCAS compares rAX with ES:rDI (flags of rAX - SRC, SDM Vol. 2B SCAS).
struct Scas {
    static constexpr bool kCompare = true, kIo = false;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op&) {
        const T a = reg_get<T>(c, reg_off(RAX));
        const T b = mem_read<T>(c, ES, areg<A>(c, RDI));
        set_cc<T>(c, CC_SUB, T(a - b), b);
        advance<T, A>(c, RDI);
        return a == b;
    }
};
// INS: the destination is probed before the port is read, so a faulting store does not
// consume the device's data (the instruction restarts and reads it again).
struct Ins {
    static constexpr bool kCompare = false, kIo = true;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op&) {
        const u64 lin = mem_probe_write(c, ES, areg<A>(c, RDI), sizeof(T));
        const T v = static_cast<T>(c.host->io_read(static_cast<u16>(c.gpr[RDX]), sizeof(T)));
        mem_write_lin<T>(c, lin, v, c.mmu_idx);
        advance<T, A>(c, RDI);
        return false;
    }
};
struct Outs {
    static constexpr bool kCompare = false, kIo = true;
    template <typename T, unsigned A>
    static bool one(CpuState& c, const Op& o) {
        const T v = mem_read<T>(c, o.seg, areg<A>(c, RSI));
        c.host->io_write(static_cast<u16>(c.gpr[RDX]), v, sizeof(T));
        advance<T, A>(c, RSI);
        return false;
    }
};

// ---- fast paths: forward REP MOVS / REP STOS within one page ----
//
// Exact with respect to the element-by-element definition: they run only when every element of
// the chunk would pass the segment checks and hit the soft TLB (RAM, not code-tracked, writable
// for the destination), so no element of the chunk can fault, and they copy element by element
// when the destination overlaps the source ahead of it. Everything else takes the generic path.

// Linear address of seg:ea if [ea, ea+bytes) passes the checks seg_linear's fast path does;
// false otherwise (the slow path then raises or handles it).
template <Access Acc>
VIREO_ALWAYS_INLINE bool seg_range_fast(const CpuState& c, u8 seg, u64 ea, u64 bytes, u64& lin) {
    const Segment& s = c.seg[seg];
    if (c.long64) {
        lin = ea + (seg >= FS ? s.base : 0);
        // The chunk stays in lin's page, so a canonical start means a canonical range.
        return is_canonical(c, lin);
    }
    constexpr u8 need = Acc == Access::Write ? SEG_ACC_W : SEG_ACC_R;
    if ((s.access & (need | SEG_ACC_SLOW)) != need || ea + bytes - 1 > s.limit) return false;
    lin = static_cast<u32>(s.base + ea);
    return true;
}

// Elements to do in one chunk starting at address-size offset `off` / linear `lin`: stay in
// the page and do not wrap the address-size register.
template <typename T, unsigned A>
VIREO_ALWAYS_INLINE u64 chunk_limit(u64 off, u64 lin, u64 n) {
    n = std::min<u64>(n, (4096 - (lin & 0xfff)) / sizeof(T));
    if constexpr (A < 8) n = std::min<u64>(n, ((u64(1) << (8 * A)) - off) / sizeof(T));
    return n;
}

template <typename T, unsigned A>
u64 movs_fast(CpuState& c, const Op& o, u64 n) {
    if (c.eflags & DF) return 0;
    const u64 si = areg<A>(c, RSI), di = areg<A>(c, RDI);
    u64 ls, ld;
    if (!seg_range_fast<Access::Read>(c, o.seg, si, sizeof(T), ls)) return 0;
    if (!seg_range_fast<Access::Write>(c, ES, di, sizeof(T), ld)) return 0;
    n = chunk_limit<T, A>(di, ld, chunk_limit<T, A>(si, ls, n));
    if (n < 2) return 0;
    const u64 bytes = n * sizeof(T);
    if (!seg_range_fast<Access::Read>(c, o.seg, si, bytes, ls)) return 0;
    if (!seg_range_fast<Access::Write>(c, ES, di, bytes, ld)) return 0;
    const TlbEntry& er = c.tlb[c.mmu_idx][(ls >> 12) & (kTlbSize - 1)];
    const TlbEntry& ew = c.tlb[c.mmu_idx][(ld >> 12) & (kTlbSize - 1)];
    if (er.tag_read != (ls & ~0xfffull) || ew.tag_write != (ld & ~0xfffull)) return 0;
    const u8* src = reinterpret_cast<const u8*>(er.addend + ls);
    u8* dst = reinterpret_cast<u8*>(ew.addend + ld);
    if (dst > src && dst < src + bytes) {
        // The destination overlaps the source ahead of it: each element reads what the
        // previous ones stored (SDM: elements are processed one after the other).
        for (u64 i = 0; i < n; i++) {
            T v;
            std::memcpy(&v, src + i * sizeof(T), sizeof(T));
            std::memcpy(dst + i * sizeof(T), &v, sizeof(T));
        }
    } else {
        // dst <= src or disjoint: a forward element copy equals memmove.
        std::memmove(dst, src, bytes);
    }
    advance<T, A>(c, RSI, n);
    advance<T, A>(c, RDI, n);
    return n;
}

template <typename T, unsigned A>
u64 stos_fast(CpuState& c, const Op&, u64 n) {
    if (c.eflags & DF) return 0;
    const u64 di = areg<A>(c, RDI);
    u64 ld;
    if (!seg_range_fast<Access::Write>(c, ES, di, sizeof(T), ld)) return 0;
    n = chunk_limit<T, A>(di, ld, n);
    if (n < 2) return 0;
    if (!seg_range_fast<Access::Write>(c, ES, di, n * sizeof(T), ld)) return 0;
    const TlbEntry& ew = c.tlb[c.mmu_idx][(ld >> 12) & (kTlbSize - 1)];
    if (ew.tag_write != (ld & ~0xfffull)) return 0;
    u8* dst = reinterpret_cast<u8*>(ew.addend + ld);
    const T v = reg_get<T>(c, reg_off(RAX));
    if constexpr (sizeof(T) == 1) {
        std::memset(dst, v, n);
    } else {
        for (u64 i = 0; i < n; i++) std::memcpy(dst + i * sizeof(T), &v, sizeof(T));
    }
    advance<T, A>(c, RDI, n);
    return n;
}

// ---- the handler ----
template <class K, typename T, unsigned A, Rep R>
void h_string(CpuState& c, const Op& o) {
    if constexpr (R == Rep::None) {
        if constexpr (K::kIo) check_io_permission(c, static_cast<u16>(c.gpr[RDX]), sizeof(T));
        K::template one<T, A>(c, o);
    } else {
        u64 cnt = areg<A>(c, RCX);
        if (!cnt) return;
        if constexpr (K::kIo) check_io_permission(c, static_cast<u16>(c.gpr[RDX]), sizeof(T));
        // Single-stepping (EFLAGS.TF) traps after each iteration, at this instruction while
        // iterations remain (the engine delivers the #DB with RIP = c.rip).
        const unsigned limit = (c.eflags & TF) ? 1 : kMaxIterations;
        unsigned done = 0;
        for (;;) {
            if constexpr (std::is_same_v<K, Movs> || std::is_same_v<K, Stos>) {
                const u64 budget = std::min<u64>(cnt, limit - done);
                u64 n;
                if constexpr (std::is_same_v<K, Movs>) n = movs_fast<T, A>(c, o, budget);
                else n = stos_fast<T, A>(c, o, budget);
                if (n) {
                    cnt -= n;
                    areg_set<A>(c, RCX, cnt);
                    done += static_cast<unsigned>(n);
                    if (!cnt) return;
                    if (done >= limit) break;
                    continue;
                }
            }
            const bool zf = K::template one<T, A>(c, o);
            areg_set<A>(c, RCX, --cnt);
            if (!cnt) return;
            // REPE stops when ZF = 0, REPNE when ZF = 1 (checked after the count).
            if constexpr (R == Rep::RepE) { if (!zf) return; }
            if constexpr (R == Rep::RepNE) { if (zf) return; }
            if (++done >= limit) break;
        }
        end_block(c, o.rip());  // more to do: run this instruction again
    }
}

template <class K, typename T, unsigned A>
Handler pick_rep(Rep r) {
    if constexpr (K::kCompare) {
        switch (r) {
        case Rep::None: return &h_string<K, T, A, Rep::None>;
        case Rep::RepNE: return &h_string<K, T, A, Rep::RepNE>;
        default: return &h_string<K, T, A, Rep::RepE>;
        }
    } else {
        return r == Rep::None ? &h_string<K, T, A, Rep::None> : &h_string<K, T, A, Rep::Rep>;
    }
}
template <class K, typename T>
Handler pick_addr(unsigned addrsize, Rep r) {
    return addrsize == 2 ? pick_rep<K, T, 2>(r) : addrsize == 4 ? pick_rep<K, T, 4>(r) : pick_rep<K, T, 8>(r);
}

template <class K>
Handler bind_string(const DecodedInsn& d, Op& op) {
    op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
    // Even opcodes are the byte forms; INS/OUTS have no 64-bit form (Yz/Xz).
    unsigned bytes = (d.opcode & 1) ? d.opsize : 1;
    if (K::kIo && bytes == 8) bytes = 4;
    // F3 is REP (REPE for the compares), F2 REPNE; for the non-compare instructions F2
    // repeats like F3, as the processors do.
    Rep r = Rep::None;
    if (d.rep || d.repne) {
        if (!K::kCompare) r = Rep::Rep;
        else r = d.last_rep == 0xF2 ? Rep::RepNE : Rep::RepE;  // the last of F2/F3 decides
    }
    switch (bytes) {
    case 1: return pick_addr<K, u8>(d.addrsize, r);
    case 2: return pick_addr<K, u16>(d.addrsize, r);
    case 4: return pick_addr<K, u32>(d.addrsize, r);
    default:
        if constexpr (K::kIo) return nullptr;
        else return pick_addr<K, u64>(d.addrsize, r);
    }
}

constexpr SemEntry kEntries[] = {
    {"movsb", bind_string<Movs>, false}, {"movsw|movsd|movsq", bind_string<Movs>, false},
    {"cmpsb", bind_string<Cmps>, false}, {"cmpsw|cmpsd|cmpsq", bind_string<Cmps>, false},
    {"stosb", bind_string<Stos>, false}, {"stosw|stosd|stosq", bind_string<Stos>, false},
    {"lodsb", bind_string<Lods>, false}, {"lodsw|lodsd|lodsq", bind_string<Lods>, false},
    {"scasb", bind_string<Scas>, false}, {"scasw|scasd|scasq", bind_string<Scas>, false},
    {"insb", bind_string<Ins>, false}, {"insw|insd|insd", bind_string<Ins>, false},
    {"outsb", bind_string<Outs>, false}, {"outsw|outsd|outsd", bind_string<Outs>, false},
};

}  // namespace

std::span<const SemEntry> sem_string() { return kEntries; }

}  // namespace vireo::x86
