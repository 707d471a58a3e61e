// Software IEEE 754 binary32/binary64 arithmetic with the x86 SSE rules (SDM Vol. 1 4.8, 4.9,
// 10.2.3, 11.5). Bit-identical on every host: no host floating-point arithmetic is used, so
// ARM's NaN propagation, before-rounding tininess and flush rules never leak in.
//
// The core is independent of CpuState: every operation takes an Env (the MXCSR control bits)
// and ORs the exception flags it raises into env.flags, in MXCSR bit order. The caller (the SSE
// semantics, later the tier-1 lifter) decides from the flags and masks whether to deliver the
// result or raise #XM/#UD (SDM Vol. 1 11.5.1).
#pragma once
#include "frontend-x86/types.h"

namespace vireo::softfloat {

// MXCSR.RC encoding (SDM Vol. 1 Table 4-8).
enum Round : u8 { kRoundNearest = 0, kRoundDown = 1, kRoundUp = 2, kRoundZero = 3 };
// Exception flags in MXCSR bit order (SDM Vol. 1 10.2.3.1): IE DE ZE OE UE PE.
enum Flag : u8 { kInvalid = 1, kDenormal = 2, kDivZero = 4, kOverflow = 8, kUnderflow = 16, kInexact = 32 };
constexpr u8 kPreComputation = kInvalid | kDenormal | kDivZero;  // SDM Vol. 1 11.5.1

struct Env {
    u8 round = kRoundNearest;
    bool daz = false;   // denormal source operands are read as zero (SDM Vol. 1 10.2.3.4)
    bool ftz = false;   // tiny results are flushed to zero when underflow is masked (10.2.3.3)
    u8 masks = 0x3f;    // MXCSR bits 7-12 shifted down: a set bit masks that exception
    u8 flags = 0;       // raised exceptions (accumulated)

    // From an MXCSR value (SDM Vol. 1 Figure 10-3).
    static Env from_mxcsr(u32 m) {
        Env e;
        e.round = static_cast<u8>((m >> 13) & 3);
        e.daz = m & (1u << 6);
        e.ftz = m & (1u << 15);
        e.masks = static_cast<u8>((m >> 7) & 0x3f);
        return e;
    }
};

// binary32 / binary64 values are passed as their bit patterns.
u32 f32_add(u32 a, u32 b, Env& e);
u32 f32_sub(u32 a, u32 b, Env& e);
u32 f32_mul(u32 a, u32 b, Env& e);
u32 f32_div(u32 a, u32 b, Env& e);
u32 f32_sqrt(u32 a, Env& e);
u64 f64_add(u64 a, u64 b, Env& e);
u64 f64_sub(u64 a, u64 b, Env& e);
u64 f64_mul(u64 a, u64 b, Env& e);
u64 f64_div(u64 a, u64 b, Env& e);
u64 f64_sqrt(u64 a, Env& e);

// MINPS/MAXPS etc. (SDM Vol. 2B MINPS): a < b ? a : b, but the second operand b when either is
// a NaN (QNaN too raises invalid) or both are zeros.
u32 f32_min(u32 a, u32 b, Env& e);
u32 f32_max(u32 a, u32 b, Env& e);
u64 f64_min(u64 a, u64 b, Env& e);
u64 f64_max(u64 a, u64 b, Env& e);

// Comparison. Signaling compares raise invalid for any NaN, quiet ones only for SNaNs.
enum class Rel : u8 { Less, Equal, Greater, Unordered };
Rel f32_compare(u32 a, u32 b, bool signaling, Env& e);
Rel f64_compare(u64 a, u64 b, bool signaling, Env& e);
// CMPPS/CMPSS predicate imm8[2:0] (SDM Vol. 2A CMPPS Table 3-1, the eight SSE predicates).
bool f32_cmp_predicate(u32 a, u32 b, unsigned pred, Env& e);
bool f64_cmp_predicate(u64 a, u64 b, unsigned pred, Env& e);

// Conversions between formats.
u64 f32_to_f64(u32 a, Env& e);
u32 f64_to_f32(u64 a, Env& e);
// Fused multiply-add (SDM Vol. 2A VFMADD132PS etc., fp_fma.cc): (-1)^neg_mul * x[mi] * x[mj] +
// (-1)^neg_add * x[ak], rounded once by env.round. x holds the operands in instruction order
// (src1 = the destination, src2 = VEX.vvvv, src3 = r/m); a NaN result is the first NaN of
// x[mi], x[mj], x[ak], quieted and never negated.
u32 f32_fma(const u32 (&x)[3], unsigned mi, unsigned mj, unsigned ak, bool neg_mul, bool neg_add, Env& e);
u64 f64_fma(const u64 (&x)[3], unsigned mi, unsigned mj, unsigned ak, bool neg_mul, bool neg_add, Env& e);

// F16C (SDM Vol. 2C VCVTPH2PS, VCVTPS2PH; Vol. 1 14.4.1). binary16 -> binary32 is exact: an
// SNaN raises invalid and is quieted, a denormal half becomes a normal single with no denormal
// exception, and MXCSR.DAZ is not consulted. binary32 -> binary16 rounds by `mode` (a Round
// value, the imm8 or MXCSR.RC choice of the caller) with the flags of round_pack; DAZ applies
// to the single source, and tiny results are denormals whatever MXCSR.FTZ says.
u32 f16_to_f32(u16 a, Env& e);
u16 f32_to_f16(u32 a, u8 mode, Env& e);
// Integers to floating point (rounded by env.round when inexact).
u32 i32_to_f32(i32 v, Env& e);
u32 i64_to_f32(i64 v, Env& e);
u64 i32_to_f64(i32 v, Env& e);
u64 i64_to_f64(i64 v, Env& e);
// Floating point to integers: rounded by env.round, or truncated; NaN and out-of-range values
// give the integer indefinite (the most negative integer) with invalid (SDM Vol. 1 4.8.3.5).
i32 f32_to_i32(u32 a, bool truncate, Env& e);
i64 f32_to_i64(u32 a, bool truncate, Env& e);
i32 f64_to_i32(u64 a, bool truncate, Env& e);
i64 f64_to_i64(u64 a, bool truncate, Env& e);

// ROUNDPS/ROUNDPD/ROUNDSS/ROUNDSD (SDM Vol. 2B ROUNDPD, Table 4-18): the integral value in the
// same format, rounded by `mode` (a Round value; env.round is not used). An SNaN raises invalid
// and is quieted; a changed value raises inexact (the caller drops it for imm8[3] = 1). Zeros,
// infinities and integral values are returned as they are; DAZ applies to the source.
u32 f32_round_int(u32 a, u8 mode, Env& e);
u64 f64_round_int(u64 a, u8 mode, Env& e);

// RCPPS/RSQRTPS approximations (see fp_approx.cc for what Vireo returns and why): no flags,
// MXCSR is neither read nor written.
u32 f32_rcp_approx(u32 a);
u32 f32_rsqrt_approx(u32 a);

// The QNaN floating-point indefinite (SDM Vol. 1 4.8.3.7, Table 4-3).
constexpr u32 kF32DefaultNaN = 0xFFC00000u;
constexpr u64 kF64DefaultNaN = 0xFFF8000000000000ull;

}  // namespace vireo::softfloat
