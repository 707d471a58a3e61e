// RCPPS/RCPSS and RSQRTPS/RSQRTSS (SDM Vol. 2B RCPPS, RSQRTPS).
//
// The SDM only bounds these: relative error <= 1.5 * 2^-12. The exact values come from a
// vendor- (and generation-) specific table: Intel and AMD CPUs give different bits for the
// same input, so no single choice matches "the host". Vireo returns the correctly rounded
// (round to nearest even) 1/x and 1/sqrt(x), as QEMU does: deterministic on every host and
// inside the architectural bound. The special cases follow the SDM exactly: MXCSR is ignored
// (no flags, no DAZ/FTZ, no exceptions); denormal inputs are treated as zeros of their sign
// (1/±0 = ±inf, 1/sqrt(±0) = ±inf); 1/±inf = ±0; tiny reciprocals are flushed to zero of the
// operand's sign; 1/sqrt of a negative nonzero gives the QNaN indefinite; NaNs are quieted.
// The native-differential test (tests/cpu, NativeDiff.SseFpApprox) compares these with the host
// within the SDM bound, special cases bit for bit.
#include "frontend-x86/softfloat/fp_common.h"

namespace vireo::softfloat {
namespace detail {
namespace {
constexpr u32 kOne = 0x3F800000u;

u32 approx_special(u32 a, bool rsqrt, bool& done) {
    done = true;
    const u32 sign = a >> 31;
    const u32 be = (a >> 23) & 0xff, f = a & 0x7FFFFF;
    if (be == 0xff) {
        if (f) return a | 0x400000u;                 // NaN: quieted
        if (rsqrt && sign) return kF32DefaultNaN;    // 1/sqrt(-inf)
        return sign << 31;                           // 1/±inf = ±0
    }
    if (be == 0) return (sign << 31) | 0x7F800000u;  // ±0 and denormals: ±inf
    if (rsqrt && sign) return kF32DefaultNaN;
    done = false;
    return 0;
}
}  // namespace
}  // namespace detail

using namespace detail;
u32 f32_rcp_approx(u32 a) {
    bool done;
    const u32 s = approx_special(a, false, done);
    if (done) return s;
    Env e;  // round to nearest, all exceptions masked, no FTZ
    const u32 r = f32_div(kOne, a, e);
    if (((r >> 23) & 0xff) == 0) return r & 0x80000000u;  // tiny: flushed to zero
    return r;
}
u32 f32_rsqrt_approx(u32 a) {
    bool done;
    const u32 s = approx_special(a, true, done);
    if (done) return s;
    // 1/sqrt(x) through binary64 (a square root and a division, each correctly rounded, then
    // rounded to binary32): far inside the architectural bound; deterministic on every host.
    Env e;
    const u64 x = f32_to_f64(a, e);
    const u64 r = f64_div(0x3FF0000000000000ull, f64_sqrt(x, e), e);
    return f64_to_f32(r, e);
}

}  // namespace vireo::softfloat
