// Software 80-bit double extended precision arithmetic with the x87 rules (SDM Vol. 1 chapter 4
// and 8): precision control (24/53/64-bit significands with the full 15-bit exponent range,
// 8.1.5.2), the four rounding modes (4.8.4), the x87 NaN rules (4.8.3.5 Table 4-7, 8.5.1.2), the
// unsupported encodings (pseudo-NaN, pseudo-infinity, unnormal: 8.2.2 Table 8-3) and the masked
// and unmasked responses to overflow and underflow (8.5.4, 8.5.5: bias-adjusted results).
//
// Pure functions: no host floating point (the users run Vireo on hosts without x87, and `long
// double` is not 80-bit everywhere), no CpuState. Each operation takes an Env80 (FCW's RC, PC
// and masks) and ORs the exceptions it raises into env.flags in FSW bit order (IE DE ZE OE UE
// PE, the same order as MXCSR's flags, so one Flag enum can serve both softfloats later); C1's
// "rounded up" indication goes to env.c1 (SDM Vol. 1 8.1.3.1, Table 8-1).
#pragma once
#include "frontend-x86/types.h"

namespace vireo::f80 {

struct F80 {
    u64 sig = 0;  // explicit integer bit 63
    u16 se = 0;   // sign (bit 15) and biased exponent (bits 0-14)
    bool sign() const { return se & 0x8000; }
    u16 exp() const { return se & 0x7fff; }
    bool operator==(const F80&) const = default;
};

// FCW.RC (SDM Vol. 1 Table 4-8) and FCW.PC (Table 8-2) encodings.
enum Round : u8 { kNearest = 0, kDown = 1, kUp = 2, kZero = 3 };
enum Prec : u8 { kPrec24 = 0, kPrec53 = 2, kPrec64 = 3 };
// FSW exception flags (SDM Vol. 1 Figure 8-4): IE DE ZE OE UE PE, and SF (stack fault).
enum Flag : u8 { kIE = 1, kDE = 2, kZE = 4, kOE = 8, kUE = 16, kPE = 32, kSF = 64 };

struct Env80 {
    u8 round = kNearest;
    u8 prec = kPrec64;
    u8 masks = 0x3f;    // FCW bits 0-5: a set bit masks that exception
    u8 flags = 0;       // raised exceptions (accumulated)
    bool c1 = false;    // the result was rounded up in magnitude
    // The memory operand was a binary32/64 denormal (exact, hence normal, in 80 bits): the
    // operation raises DE at the point it checks for denormal operands (after the NaN and
    // invalid checks, and not for a division by zero).
    bool denormal_src = false;
    static Env80 from_fcw(u16 fcw) {
        Env80 e;
        e.masks = fcw & 0x3f;
        e.prec = (fcw >> 8) & 3;
        e.round = (fcw >> 10) & 3;
        return e;
    }
};

// Operand classes (SDM Vol. 1 8.2.2 Table 8-3). Denormal includes the pseudo-denormals
// (exponent 0, integer bit 1), which the x87 accepts as denormal operands; Unsupported is a
// pseudo-NaN, pseudo-infinity or unnormal (invalid-operation as an operand, 8.2.2).
enum class Class : u8 { Zero, Denormal, Normal, Inf, QNaN, SNaN, Unsupported };
Class classify(F80 a);
inline bool is_nan(Class k) { return k == Class::QNaN || k == Class::SNaN; }

constexpr F80 kIndefinite{0xC000000000000000ull, 0xFFFF};  // QNaN floating-point indefinite
constexpr F80 make(bool sign, u16 exp, u64 sig) { return F80{sig, static_cast<u16>((sign ? 0x8000 : 0) | exp)}; }

// Arithmetic with precision control (env.prec) and rounding (env.round); the result is for a
// register, so unmasked overflow/underflow deliver the bias-adjusted value (SDM Vol. 1 8.5.4,
// 8.5.5). An unmasked denormal operand stops the operation (only DE is raised).
F80 add(F80 a, F80 b, Env80& e);
F80 sub(F80 a, F80 b, Env80& e);
F80 mul(F80 a, F80 b, Env80& e);
F80 div(F80 a, F80 b, Env80& e);
F80 sqrt(F80 a, Env80& e);
// FRNDINT (SDM Vol. 2A FRNDINT): round to an integral value by env.round (no precision control).
F80 round_to_int(F80 a, Env80& e);
// FSCALE (SDM Vol. 2A FSCALE): a * 2^trunc(b), rounded to 64 bits.
F80 scale(F80 a, F80 b, Env80& e);
// FXTRACT: exponent (true, as an f80) and significand (exponent 0) of a. On invalid or a NaN
// both are the NaN result. Zero: ZE, exponent -inf, significand the zero.
void xtract(F80 a, F80& exponent, F80& significand, Env80& e);
// FPREM / FPREM1 (SDM Vol. 2A): partial remainder of a / b. q: the low three quotient bits
// (C0 = q2, C3 = q1, C1 = q0); incomplete: C2 (the reduction is not finished).
F80 prem(F80 a, F80 b, bool ieee, Env80& e, unsigned& q, bool& incomplete);

// Comparisons (FCOM/FUCOM/FCOMI/FUCOMI/FTST): signaling raises IE for any NaN, quiet only for
// SNaNs; unsupported operands are invalid in both.
enum class Rel : u8 { Less, Equal, Greater, Unordered };
Rel compare(F80 a, F80 b, bool signaling, Env80& e);

// Conversions. Loads are exact: a denormal source sets env.denormal_src; an SNaN stays signaling (FLD
// quiets it with IE, the arithmetic forms see the SNaN operand: SDM Vol. 1 8.5.1.2).
F80 from_f32(u32 v, Env80& e);
F80 from_f64(u64 v, Env80& e);
F80 from_int(i64 v);
// Stores round to the destination format by env.round; NaNs keep their payload's top bits.
u32 to_f32(F80 a, Env80& e);
u64 to_f64(F80 a, Env80& e);
// To a signed integer of `bits` bits (16/32/64): rounded by env.round or truncated (FISTTP);
// NaN, infinity and out-of-range values raise IE and give the integer indefinite.
i64 to_int(F80 a, unsigned bits, bool truncate, Env80& e);
// Packed BCD (FBLD/FBSTP, SDM Vol. 1 4.7): 18 digits + sign byte, as 10 bytes.
F80 from_bcd(const u8 bcd[10]);
void to_bcd(F80 a, u8 bcd[10], Env80& e);

// The constants FLD1/FLDL2T/... load, rounded by RC as the x87 does (SDM Vol. 1 8.3.8): index
// in D9 E8..EE order (1, log2(10), log2(e), pi, log10(2), ln(2), +0).
F80 load_constant(unsigned index, u8 round);

// The full 2-bit tag of a non-empty register (SDM Vol. 1 8.1.7): 0 valid, 1 zero, 2 special.
unsigned tag_of(F80 a);

// The x87 transcendentals (softfloat/f80_transcendental.cc; SDM Vol. 2A/2B instruction pages
// FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1). Computed in 128-bit software
// floating point, then rounded once to 64 bits by env.round (precision control does not apply
// to them: SDM Vol. 1 8.1.5.2). The trigonometric ones return false with the operand untouched
// when |x| >= 2^63 (C2 = 1: "out of range", Vol. 1 8.3.10); otherwise `out` gets sin/cos (for
// FSINCOS and FPTAN, `out2` gets cos(x) / 1.0). FPATAN/FYL2X/FYL2XP1 take ST(1) as y, ST(0) as x.
enum class Trig : u8 { Sin, Cos, SinCos, Tan };
bool trig(Trig op, F80 x, F80& out, F80& out2, Env80& e);
F80 patan(F80 y, F80 x, Env80& e);
F80 f2xm1(F80 x, Env80& e);
F80 yl2x(F80 y, F80 x, Env80& e);
F80 yl2xp1(F80 y, F80 x, Env80& e);

// For f80_transcendental.cc: one rounding of (sign, m * 2^(E - 127)) to p bits for a register
// destination (the same routine every arithmetic operation uses).
F80 round_pack_register(bool sign, i32 E, unsigned __int128 m, unsigned p, Env80& e);

}  // namespace vireo::f80
