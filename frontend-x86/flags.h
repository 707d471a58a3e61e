// Lazy arithmetic flags (ARCHITECTURE.md "Lazy flags"): flag-setting instructions record the
// operation and operands; RFLAGS is computed only when read. SDM Vol. 1 3.4.3.1 and Appendix A
// (EFLAGS cross-reference) give the definitions used here.
#pragma once
#include "frontend-x86/cpu_state.h"

namespace vireo::x86 {

// cc_op packs the operation (CcOp) with the operand width: (op << 2) | log2(bytes).
template <typename T>
constexpr u8 size_log2() {
    return sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;
}
template <typename T>
VIREO_ALWAYS_INLINE void set_cc(CpuState& c, CcOp op, u64 dst, u64 src) {
    // cc_src2 is read only for ADC/SBB/INC/DEC, which use the overload below.
    c.cc_op = static_cast<u8>((op << 2) | size_log2<T>());
    c.cc_dst = dst;
    c.cc_src = src;
}
template <typename T>
VIREO_ALWAYS_INLINE void set_cc(CpuState& c, CcOp op, u64 dst, u64 src, u64 src2) {
    set_cc<T>(c, op, dst, src);
    c.cc_src2 = src2;
}
// Set all six arithmetic flags at once (bits outside ARITH_FLAGS are ignored).
VIREO_ALWAYS_INLINE void set_flags_eager(CpuState& c, u64 flags) {
    c.cc_op = CC_EFLAGS << 2;
    c.cc_src = flags & ARITH_FLAGS;
}

u64 compute_arith_flags(const CpuState& c);  // CF|PF|AF|ZF|SF|OF as bits of RFLAGS
bool compute_cf_slow(const CpuState& c);
VIREO_ALWAYS_INLINE bool compute_cf(const CpuState& c) {
    switch (c.cc_op >> 2) {
    case CC_LOGIC: return false;
    case CC_INC:
    case CC_DEC: return c.cc_src2 & CF;
    case CC_EFLAGS: return c.cc_src & CF;
    default: return compute_cf_slow(c);
    }
}
bool eval_condition(const CpuState& c, unsigned cc);  // Jcc/SETcc/CMOVcc condition 0..15

// Condition evaluation with inline fast paths: ZF and SF come straight from the result for
// every lazy operation; everything else goes through eval_condition().
VIREO_ALWAYS_INLINE bool eval_condition_inline(const CpuState& c, unsigned cc) {
    if (VIREO_LIKELY((c.cc_op >> 2) != CC_EFLAGS)) {
        const unsigned bits = 8u << (c.cc_op & 3);
        const u64 mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
        if ((cc >> 1) == 2) return ((c.cc_dst & mask) == 0) != (cc & 1);                   // E/NE
        if ((cc >> 1) == 4) return (((c.cc_dst >> (bits - 1)) & 1) != 0) != (cc & 1);    // S/NS
    }
    return eval_condition(c, cc);
}

inline u64 read_rflags(const CpuState& c) { return c.eflags | compute_arith_flags(c); }
// Writes every RFLAGS bit; the caller has already applied the privilege masks (POPF/IRET).
inline void write_rflags_raw(CpuState& c, u64 v) {
    c.eflags = (v & ~ARITH_FLAGS) | 2;
    set_flags_eager(c, v);
}

inline bool parity_even(u8 v) { return !(std::popcount(v) & 1); }

}  // namespace vireo::x86
