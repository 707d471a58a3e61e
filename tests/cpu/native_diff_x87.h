// x87 forms for the native-differential test (native_diff_test.cc): every implemented x87
// instruction form runs natively and in Vireo from the same x87 state, and the whole x87 state
// (FCW, FSW, abridged tag, registers; FOP/FIP/FDP where the host saves them), memory and EFLAGS
// are compared bit for bit.
//
// Inputs: FCW with every rounding (RC) x precision (PC) mode, mostly all exceptions masked and
// sometimes random masks (unmasked exceptions: ES/B, no result, bias-adjusted results); FSW
// with a random TOP and sticky flags (a pending unmasked exception now and then, which the
// waiting instructions report as #MF); the tag word mostly "ST(0)..ST(2) valid, ST(7) empty"
// and sometimes random (stack underflow and overflow); register and memory values from the
// edge classes: signed zeros, denormals, pseudo-denormals, unnormals, pseudo-NaN/-infinity,
// infinities, QNaN/SNaN with payloads, the largest/smallest normals, values at the rounding
// boundaries of 24/53/64-bit precision, operands close in exponent, and exponents that make
// products and quotients overflow or underflow.
#pragma once
#include <cstdlib>

#include "tests/cpu/native_diff_harness.h"

namespace vireo::test::native_diff::x87 {

struct V80 {
    u64 sig;
    u16 se;
};

inline V80 gen_f80(Rng& r, u16 base) {
    const u16 s = (r() & 1) ? 0x8000 : 0;
    const u16 near = static_cast<u16>(base + r() % 5 - 2);
    u64 sig = r() | (1ull << 63);
    if (r() % 3 == 0) sig &= ~0ull << (r() % 62);  // short significands: exact results too
    switch (r() % 26) {
    case 0: return {0, s};
    case 1: return {r() >> (1 + r() % 63), s};                             // denormal
    case 2: return {r() | (1ull << 63), s};                                // pseudo-denormal
    case 3: return {r() >> 1, static_cast<u16>(s | (1 + r() % 0x7ffe))};   // unnormal
    case 4: return {1ull << 63, static_cast<u16>(s | 0x7fff)};             // infinity
    case 5: return {(3ull << 62) | (r() >> 2 & (r() % 2 ? ~0ull : 0xff)), static_cast<u16>(s | 0x7fff)};  // QNaN
    case 6: return {(1ull << 63) | ((r() >> 2) | 1), static_cast<u16>(s | 0x7fff)};  // SNaN
    case 7: return {~0ull, static_cast<u16>(s | 0x7ffe)};                  // largest normal
    case 8: return {1ull << 63, static_cast<u16>(s | 1)};                  // smallest normal
    case 9: return {r() >> 1, static_cast<u16>(s | 0x7fff)};               // pseudo-NaN / pseudo-inf
    case 10: case 11: case 12: {
        // At a rounding boundary of 24/53/64-bit precision: half an ulp, or just off it.
        static constexpr unsigned kP[3] = {24, 53, 64};
        const unsigned p = kP[r() % 3];
        const u64 half = p == 64 ? 0 : 1ull << (63 - p);
        sig = (1ull << 63) | (r() & ~((half << 1) - 1));
        if (p < 64) {
            static constexpr i64 kOff[5] = {0, -1, 1, 0, 0};
            sig |= static_cast<u64>(static_cast<i64>(half) + kOff[r() % 5]);
            if (r() % 4 == 0) sig |= (half << 1) - 1;  // all ones below the boundary
        } else {
            sig |= r() % 2 ? ~0ull >> (r() % 8) : 0;
        }
        return {sig, static_cast<u16>(s | near)};
    }
    case 13: return {sig, static_cast<u16>(s | (0x7ffe - r() % 3))};  // near overflow
    case 14: return {sig, static_cast<u16>(s | (1 + r() % 3))};        // near underflow
    case 15: return {sig, static_cast<u16>(s | (r() % 0x7ffe + 1))};   // any exponent
    default: return {sig, static_cast<u16>(s | near)};
    }
}

// An exponent base for one state: operands near 1, or paired to overflow/underflow products.
inline u16 gen_base(Rng& r) {
    switch (r() % 8) {
    case 0: return static_cast<u16>(0x5fff + r() % 0x40);
    case 1: return static_cast<u16>(0x2000 - r() % 0x40);
    case 2: return static_cast<u16>(0x3fff + 40 + r() % 30);
    default: return static_cast<u16>(0x3fff + r() % 8);
    }
}

inline u64 gen_f64(Rng& r, u16 base) {
    const u64 s = (r() & 1) ? 1ull << 63 : 0;
    const i32 e = std::clamp<i32>(base - 0x3fff + 1023, 1, 2046);
    switch (r() % 12) {
    case 0: return s;
    case 1: return s | (r() >> 12 >> (r() % 52));
    case 2: return s | 0x7ff0000000000000ull;
    case 3: return s | 0x7ff8000000000000ull | (r() >> 13);
    case 4: return s | 0x7ff0000000000000ull | ((r() >> 13) | 1);
    case 5: return s | 0x7fefffffffffffffull;
    case 6: return s | 0x0010000000000000ull;
    default: return s | static_cast<u64>(e + static_cast<i32>(r() % 5) - 2) << 52 | (r() >> 12);
    }
}
inline u32 gen_f32(Rng& r, u16 base) {
    const u32 s = (r() & 1) ? 1u << 31 : 0;
    const i32 e = std::clamp<i32>(base - 0x3fff + 127, 1, 254);
    switch (r() % 12) {
    case 0: return s;
    case 1: return s | static_cast<u32>(r() >> 41 >> (r() % 23));
    case 2: return s | 0x7f800000u;
    case 3: return s | 0x7fc00000u | static_cast<u32>(r() >> 42);
    case 4: return s | 0x7f800000u | static_cast<u32>((r() >> 42) | 1);
    case 5: return s | 0x7f7fffffu;
    case 6: return s | 0x00800000u;
    default: return s | static_cast<u32>(e + static_cast<i32>(r() % 5) - 2) << 23 | static_cast<u32>(r() >> 41);
    }
}

// The x87 part of the FXSAVE64 input image.
inline void gen_x87_state(Input& in, Rng& r, unsigned k, u16 base) {
    static constexpr u16 kPc[3] = {0, 2, 3};
    const u16 rc = k % 4, pc = kPc[(k / 4) % 3];
    u16 masks = 0x3f;
    if (r() % 6 == 0) masks = static_cast<u16>(r() & 0x3f);
    const u16 fcw = static_cast<u16>(0x40 | masks | pc << 8 | rc << 10);
    const unsigned top = static_cast<unsigned>(r() % 8);
    u16 fsw = static_cast<u16>((r() & 0x4700) | top << 11);
    // Sticky flags only where masked, so the instruction itself decides ES; sometimes a
    // pending unmasked exception (the waiting forms then raise #MF).
    fsw = static_cast<u16>(fsw | (r() & 0x7f & masks));
    if (r() % 24 == 0 && masks != 0x3f) fsw = static_cast<u16>(fsw | (~masks & 0x3f & -(~masks & 0x3f)));
    if (fsw & ~fcw & 0x3f) fsw |= 0x8080;
    u8 ftw;
    // Tag bits are physical: ST(i) is R[(TOP + i) & 7].
    auto phys_bits = [&](u8 st_mask) {
        u8 t = 0;
        for (unsigned i = 0; i < 8; i++)
            if (st_mask & (1u << i)) t = static_cast<u8>(t | 1u << ((top + i) & 7));
        return t;
    };
    switch (r() % 8) {
    case 0: ftw = static_cast<u8>(r()); break;
    case 1: ftw = phys_bits(0xff); break;
    default: ftw = phys_bits(static_cast<u8>(0x7f & ~(r() % 2 ? 0 : 0x78))); break;
    }
    fx_put<u16>(in.fx, 0, fcw);
    fx_put<u16>(in.fx, 2, fsw);
    in.fx[4] = ftw;
    const u16 fop = (fsw & 0x80) ? static_cast<u16>(r() & 0x7ff) : 0;
    const u64 fip = (fsw & 0x80) ? (r() & 0x7fffffffffffull) : 0, fdp = (fsw & 0x80) ? (r() & 0x7fffffffffffull) : 0;
    fx_put<u16>(in.fx, 6, fop);
    fx_put<u64>(in.fx, 8, fip);
    fx_put<u64>(in.fx, 16, fdp);
    for (unsigned i = 0; i < 8; i++) {
        const V80 v = gen_f80(r, base);
        std::memset(in.fx + 32 + 16 * i, 0, 16);
        fx_put<u64>(in.fx, 32 + 16 * i, v.sig);
        fx_put<u16>(in.fx, 40 + 16 * i, v.se);
    }
}

enum class MemVal { None, F32, F64, F80, I16, I32, I64, Bcd, Env16, Env32, Save16, Save32, Cw };

inline void gen_mem(Input& in, Rng& r, u64 off, MemVal kind, u16 base) {
    switch (kind) {
    case MemVal::F32: put_mem(in, off, gen_f32(r, base), 4); break;
    case MemVal::F64: put_mem(in, off, gen_f64(r, base), 8); break;
    case MemVal::F80: {
        const V80 v = gen_f80(r, base);
        put_mem(in, off, v.sig, 8);
        put_mem(in, off + 8, v.se, 2);
        break;
    }
    case MemVal::I16: put_mem(in, off, r() % 2 ? gen_value(r, 16) : r() % 200 - 100, 2); break;
    case MemVal::I32: put_mem(in, off, r() % 2 ? gen_value(r, 32) : r() % 200 - 100, 4); break;
    case MemVal::I64: put_mem(in, off, r() % 2 ? gen_value(r, 64) : r() % 200 - 100, 8); break;
    case MemVal::Bcd: {
        for (unsigned i = 0; i < 9; i++) put_mem(in, off + i, (r() % 10) << 4 | (r() % 10), 1);
        put_mem(in, off + 9, r() % 2 ? 0x80 : 0, 1);
        break;
    }
    case MemVal::Cw: {
        u16 cw = static_cast<u16>(r());
        if (r() % 2) cw = static_cast<u16>(cw | 0x3f);
        put_mem(in, off, cw, 2);
        break;
    }
    case MemVal::Env16: case MemVal::Env32: case MemVal::Save16: case MemVal::Save32: {
        // A consistent environment: FCW, FSW with ES/B matching, any tag word, pointers.
        const bool w32 = kind == MemVal::Env32 || kind == MemVal::Save32;
        const unsigned n = w32 ? 28 : 14, step = w32 ? 4 : 2;
        for (unsigned i = 0; i < n; i++) put_mem(in, off + i, r() & 0xff, 1);
        const u16 fcw = static_cast<u16>((r() & 0x1F3F) | 0x40 | (r() % 2 ? 0x3f : 0));
        u16 fsw = static_cast<u16>(r() & 0x7f7f);
        fsw = static_cast<u16>(fsw & ~(~fcw & 0x3f));
        put_mem(in, off, fcw, 2);
        put_mem(in, off + step, fsw, 2);
        if (kind == MemVal::Save16 || kind == MemVal::Save32)
            for (unsigned i = 0; i < 8; i++) {
                const V80 v = gen_f80(r, base);
                put_mem(in, off + n + 10 * i, v.sig, 8);
                put_mem(in, off + n + 10 * i + 8, v.se, 2);
            }
        break;
    }
    default: break;
    }
}

// One x87 form: opcode bytes (escape + ModRM), optional memory operand [rbx+0x10] of kind mv.
inline Form x87_form(const std::string& name, std::vector<u8> bytes, MemVal mv, unsigned mem_size, u64 flags = ALL,
                     bool p66 = false) {
    Form f;
    f.name = name;
    f.x87 = true;
    if (p66) f.code.push_back(0x66);
    f.code.insert(f.code.end(), bytes.begin(), bytes.end());
    if (mv != MemVal::None) {
        // ModRM: mod 01, rm 011 (rbx) with disp8 0x10.
        f.code[f.code.size() - 1] = static_cast<u8>(0x40 | (bytes.back() & 0x38) | 3);
        f.code.push_back(0x10);
        f.mem_base = RBX;
        f.mem_disp = 0x10;
        f.mem_size = mem_size;
    }
    f.flags = flags;
    f.setup = [mv](Input& in, Rng& r, unsigned k) {
        const u16 base = gen_base(r);
        gen_x87_state(in, r, k, base);
        if (mv != MemVal::None) gen_mem(in, r, in.gpr[RBX] + 0x10 - kDataAddr, mv, base);
    };
    return f;
}

inline std::string hexb(std::vector<u8> b) { return hex(b); }

inline std::vector<Form> x87_arith_forms() {
    std::vector<Form> v;
    static const char* kArith[8] = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
    static const char* kArithR[8] = {"fadd", "fmul", "", "", "fsubr", "fsub", "fdivr", "fdiv"};
    for (unsigned r = 0; r < 8; r++) {
        const u8 m = static_cast<u8>(r << 3);
        v.push_back(x87_form(std::string(kArith[r]) + " m32fp [D8 /" + std::to_string(r) + "]", {0xD8, m}, MemVal::F32, 4));
        v.push_back(x87_form(std::string(kArith[r]) + " m64fp [DC /" + std::to_string(r) + "]", {0xDC, m}, MemVal::F64, 8));
        v.push_back(x87_form(std::string("fi") + (kArith[r] + 1) + " m32int [DA /" + std::to_string(r) + "]", {0xDA, m},
                             MemVal::I32, 4));
        v.push_back(x87_form(std::string("fi") + (kArith[r] + 1) + " m16int [DE /" + std::to_string(r) + "]", {0xDE, m},
                             MemVal::I16, 2));
        for (unsigned i : {0u, 1u, 2u, 7u}) {
            v.push_back(x87_form(std::string(kArith[r]) + " st0,st" + std::to_string(i) + " [D8]",
                                 {0xD8, static_cast<u8>(0xC0 | m | i)}, MemVal::None, 0));
            if (r == 2 || r == 3) continue;
            v.push_back(x87_form(std::string(kArithR[r]) + " st" + std::to_string(i) + ",st0 [DC]",
                                 {0xDC, static_cast<u8>(0xC0 | m | i)}, MemVal::None, 0));
            v.push_back(x87_form(std::string(kArithR[r]) + "p st" + std::to_string(i) + ",st0 [DE]",
                                 {0xDE, static_cast<u8>(0xC0 | m | i)}, MemVal::None, 0));
        }
    }
    v.push_back(x87_form("fcompp [DE D9]", {0xDE, 0xD9}, MemVal::None, 0));
    v.push_back(x87_form("fucompp [DA E9]", {0xDA, 0xE9}, MemVal::None, 0));
    for (unsigned i : {0u, 1u, 3u}) {
        const std::string s = std::to_string(i);
        v.push_back(x87_form("fucom st" + s + " [DD E0+i]", {0xDD, static_cast<u8>(0xE0 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fucomp st" + s + " [DD E8+i]", {0xDD, static_cast<u8>(0xE8 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fucomi st" + s + " [DB E8+i]", {0xDB, static_cast<u8>(0xE8 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fcomi st" + s + " [DB F0+i]", {0xDB, static_cast<u8>(0xF0 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fucomip st" + s + " [DF E8+i]", {0xDF, static_cast<u8>(0xE8 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fcomip st" + s + " [DF F0+i]", {0xDF, static_cast<u8>(0xF0 + i)}, MemVal::None, 0));
    }
    static const std::pair<u8, const char*> kOne[] = {
        {0xE0, "fchs"}, {0xE1, "fabs"}, {0xE4, "ftst"}, {0xE5, "fxam"}, {0xFA, "fsqrt"}, {0xFC, "frndint"},
        {0xFD, "fscale"}, {0xF4, "fxtract"}, {0xF8, "fprem"}, {0xF5, "fprem1"}, {0xF6, "fdecstp"},
        {0xF7, "fincstp"}, {0xD0, "fnop"}};
    for (auto [m, n] : kOne) v.push_back(x87_form(std::string(n) + " [D9 " + hexb({m}) + "]", {0xD9, m}, MemVal::None, 0));
    // FPREM/FPREM1 with exponent differences around and beyond 64 (partial remainders, C2 = 1)
    // and FSCALE with small integral scale factors.
    for (u8 m : {0xF8, 0xF5}) {
        Form f = x87_form(std::string(m == 0xF8 ? "fprem" : "fprem1") + " (large exponent difference) [D9 " +
                              hexb({m}) + "]",
                          {0xD9, m}, MemVal::None, 0);
        auto base_setup = f.setup;
        f.setup = [base_setup](Input& in, Rng& r, unsigned k) {
            base_setup(in, r, k);
            const u16 e1 = static_cast<u16>(0x3000 + r() % 0x1000);
            const u16 e0 = static_cast<u16>(e1 + 50 + r() % 200);
            fx_put<u16>(in.fx, 40, static_cast<u16>((fx_get<u16>(in.fx, 40) & 0x8000) | e0));
            fx_put<u64>(in.fx, 32, r() | 1ull << 63);
            fx_put<u16>(in.fx, 56, static_cast<u16>((fx_get<u16>(in.fx, 56) & 0x8000) | e1));
            fx_put<u64>(in.fx, 48, r() | 1ull << 63);
        };
        v.push_back(f);
    }
    {
        Form f = x87_form("fscale (small integral factor) [D9 FD]", {0xD9, 0xFD}, MemVal::None, 0);
        auto base_setup = f.setup;
        f.setup = [base_setup](Input& in, Rng& r, unsigned k) {
            base_setup(in, r, k);
            const i64 n = static_cast<i64>(r() % 200) - 100;
            const u64 mag = static_cast<u64>(n < 0 ? -n : n);
            if (!mag) return;
            const int lz = __builtin_clzll(mag);
            fx_put<u64>(in.fx, 48, mag << lz);
            fx_put<u16>(in.fx, 56, static_cast<u16>((n < 0 ? 0x8000 : 0) | (0x3fff + 63 - lz)));
        };
        v.push_back(f);
    }
    static const char* kCmov[8] = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
    for (unsigned c = 0; c < 8; c++)
        for (unsigned i : {1u, 2u}) {
            const u8 op = c < 4 ? 0xDA : 0xDB;
            const u8 m = static_cast<u8>(0xC0 | (c & 3) << 3 | i);
            v.push_back(x87_form(std::string(kCmov[c]) + " st0,st" + std::to_string(i) + " [" + hexb({op, m}) + "]",
                                 {op, m}, MemVal::None, 0));
        }
    return v;
}

inline std::vector<Form> x87_move_forms() {
    std::vector<Form> v;
    v.push_back(x87_form("fld m32fp [D9 /0]", {0xD9, 0x00}, MemVal::F32, 4));
    v.push_back(x87_form("fld m64fp [DD /0]", {0xDD, 0x00}, MemVal::F64, 8));
    v.push_back(x87_form("fld m80fp [DB /5]", {0xDB, 0x28}, MemVal::F80, 10));
    v.push_back(x87_form("fst m32fp [D9 /2]", {0xD9, 0x10}, MemVal::F32, 4));
    v.push_back(x87_form("fstp m32fp [D9 /3]", {0xD9, 0x18}, MemVal::F32, 4));
    v.push_back(x87_form("fst m64fp [DD /2]", {0xDD, 0x10}, MemVal::F64, 8));
    v.push_back(x87_form("fstp m64fp [DD /3]", {0xDD, 0x18}, MemVal::F64, 8));
    v.push_back(x87_form("fstp m80fp [DB /7]", {0xDB, 0x38}, MemVal::F80, 10));
    v.push_back(x87_form("fild m16int [DF /0]", {0xDF, 0x00}, MemVal::I16, 2));
    v.push_back(x87_form("fild m32int [DB /0]", {0xDB, 0x00}, MemVal::I32, 4));
    v.push_back(x87_form("fild m64int [DF /5]", {0xDF, 0x28}, MemVal::I64, 8));
    v.push_back(x87_form("fist m16int [DF /2]", {0xDF, 0x10}, MemVal::I16, 2));
    v.push_back(x87_form("fistp m16int [DF /3]", {0xDF, 0x18}, MemVal::I16, 2));
    v.push_back(x87_form("fist m32int [DB /2]", {0xDB, 0x10}, MemVal::I32, 4));
    v.push_back(x87_form("fistp m32int [DB /3]", {0xDB, 0x18}, MemVal::I32, 4));
    v.push_back(x87_form("fistp m64int [DF /7]", {0xDF, 0x38}, MemVal::I64, 8));
    v.push_back(x87_form("fisttp m16int [DF /1]", {0xDF, 0x08}, MemVal::I16, 2));
    v.push_back(x87_form("fisttp m32int [DB /1]", {0xDB, 0x08}, MemVal::I32, 4));
    v.push_back(x87_form("fisttp m64int [DD /1]", {0xDD, 0x08}, MemVal::I64, 8));
    v.push_back(x87_form("fbld m80bcd [DF /4]", {0xDF, 0x20}, MemVal::Bcd, 10));
    v.push_back(x87_form("fbstp m80bcd [DF /6]", {0xDF, 0x30}, MemVal::Bcd, 10));
    for (unsigned i : {0u, 1u, 2u, 7u}) {
        const std::string s = std::to_string(i);
        v.push_back(x87_form("fld st" + s + " [D9 C0+i]", {0xD9, static_cast<u8>(0xC0 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fxch st" + s + " [D9 C8+i]", {0xD9, static_cast<u8>(0xC8 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fst st" + s + " [DD D0+i]", {0xDD, static_cast<u8>(0xD0 + i)}, MemVal::None, 0));
        v.push_back(x87_form("fstp st" + s + " [DD D8+i]", {0xDD, static_cast<u8>(0xD8 + i)}, MemVal::None, 0));
        v.push_back(x87_form("ffree st" + s + " [DD C0+i]", {0xDD, static_cast<u8>(0xC0 + i)}, MemVal::None, 0));
    }
    static const char* kConst[7] = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
    for (u8 m = 0xE8; m <= 0xEE; m++)
        v.push_back(x87_form(std::string(kConst[m - 0xE8]) + " [D9 " + hexb({m}) + "]", {0xD9, m}, MemVal::None, 0));
    return v;
}

inline std::vector<Form> x87_control_forms() {
    std::vector<Form> v;
    v.push_back(x87_form("fninit [DB E3]", {0xDB, 0xE3}, MemVal::None, 0));
    v.push_back(x87_form("fnclex [DB E2]", {0xDB, 0xE2}, MemVal::None, 0));
    v.push_back(x87_form("fldcw m16 [D9 /5]", {0xD9, 0x28}, MemVal::Cw, 2));
    v.push_back(x87_form("fnstcw m16 [D9 /7]", {0xD9, 0x38}, MemVal::I16, 2));
    v.push_back(x87_form("fnstsw m16 [DD /7]", {0xDD, 0x38}, MemVal::I16, 2));
    v.push_back(x87_form("fnstsw ax [DF E0]", {0xDF, 0xE0}, MemVal::None, 0));
    v.push_back(x87_form("fwait [9B]", {0x9B}, MemVal::None, 0));
    v.push_back(x87_form("fnstenv m28 [D9 /6]", {0xD9, 0x30}, MemVal::Env32, 28));
    v.push_back(x87_form("fnstenv m14 [66 D9 /6]", {0xD9, 0x30}, MemVal::Env16, 14, ALL, true));
    v.push_back(x87_form("fldenv m28 [D9 /4]", {0xD9, 0x20}, MemVal::Env32, 28));
    v.push_back(x87_form("fldenv m14 [66 D9 /4]", {0xD9, 0x20}, MemVal::Env16, 14, ALL, true));
    v.push_back(x87_form("fnsave m108 [DD /6]", {0xDD, 0x30}, MemVal::Save32, 108));
    v.push_back(x87_form("fnsave m94 [66 DD /6]", {0xDD, 0x30}, MemVal::Save16, 94, ALL, true));
    v.push_back(x87_form("frstor m108 [DD /4]", {0xDD, 0x20}, MemVal::Save32, 108));
    v.push_back(x87_form("frstor m94 [66 DD /4]", {0xDD, 0x20}, MemVal::Save16, 94, ALL, true));
    // Compatibility mode: the 32-bit protected-mode environment with FCS/FDS (SDM Vol. 1 8.1.10).
    const size_t n = v.size();
    v.push_back(x87_form("fnstenv m28 (32-bit) [D9 /6]", {0xD9, 0x30}, MemVal::Env32, 28));
    v.push_back(x87_form("fnsave m108 (32-bit) [DD /6]", {0xDD, 0x30}, MemVal::Save32, 108));
    v.push_back(x87_form("frstor m108 (32-bit) [DD /4]", {0xDD, 0x20}, MemVal::Save32, 108));
    v.push_back(x87_form("fnstenv m14 (32-bit) [66 D9 /6]", {0xD9, 0x30}, MemVal::Env16, 14, ALL, true));
    v.push_back(x87_form("fdiv m64fp (32-bit) [DC /6]", {0xDC, 0x30}, MemVal::F64, 8));
    v.push_back(x87_form("fld m80fp (32-bit) [DB /5]", {0xDB, 0x28}, MemVal::F80, 10));
    v.push_back(x87_form("fistp m64int (32-bit) [DF /7]", {0xDF, 0x38}, MemVal::I64, 8));
    for (size_t i = n; i < v.size(); i++) v[i].compat32 = true, v[i].opbits = 32;
    return v;
}

// ------------------------------------------------------------------------------------------
// The transcendental instructions (SDM Vol. 2A/2B FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X
// FYL2XP1). Two forms each: the edge-class state above (special values, stack faults, masks),
// and operands drawn from the instruction's domain (plus a few large and out-of-range ones for
// the trigonometric forms). F2XM1 and FYL2XP1 are undefined outside their domains (|x| <= 1,
// |x| < 1 - sqrt(2)/2): those edge-form cases are skipped as undefined (counted, printed).

// ST(i) of the input image (FXSAVE stores the registers in ST order) and whether it is tagged.
inline V80 st_in(const Input& in, unsigned i) { return {fx_get<u64>(in.fx, 32 + 16 * i), fx_get<u16>(in.fx, 40 + 16 * i)}; }
inline bool st_tagged(const Input& in, unsigned i) {
    const unsigned top = (fx_get<u16>(in.fx, 2) >> 11) & 7;
    return (in.fx[4] >> ((top + i) & 7)) & 1;
}
inline void st_put(Input& in, unsigned i, V80 v) {
    fx_put<u64>(in.fx, 32 + 16 * i, v.sig);
    fx_put<u16>(in.fx, 40 + 16 * i, v.se);
}
// A normal value +-1.f * 2^e, e in [emin, emax]; the significand sometimes short.
inline V80 rand_normal(Rng& r, int emin, int emax, bool negative_too = true) {
    u64 sig = r() | 1ull << 63;
    if (r() % 4 == 0) sig &= ~0ull << (r() % 62);
    const int ex = emin + static_cast<int>(r() % static_cast<u64>(emax - emin + 1));
    const u16 s = negative_too && (r() & 1) ? 0x8000 : 0;
    return {sig, static_cast<u16>(s | (0x3fff + ex))};
}
// |v| (a normal or denormal register value) compared with 2^e * m / 2^63.
inline bool finite_abs_above(V80 v, int e, u64 m) {
    const u16 ex = v.se & 0x7fff;
    if (ex == 0x7fff || !(v.sig >> 63)) return false;  // NaN/inf/unsupported/denormal: defined
    const int ue = ex - 0x3fff;
    return ue > e || (ue == e && v.sig > m);
}

// Measured on this host (AMD EPYC; per instruction 2 forms x 12288 states over every RC x PC,
// default seed): Vireo's results (128-bit evaluation, one rounding, 66-bit pi reduction as SDM
// Vol. 1 8.3.10) match the whole x87 state bit for bit in FSIN 98.4%, FCOS 98.8%, FSINCOS
// 98.1%, FPTAN 92.7%, FPATAN 98.6%, F2XM1 96.5%, FYL2X 97.6%, FYL2XP1 97.1% of the compared
// cases. Every other case differs only in the result's last significand bit and/or C1 (the
// counts are the same with a tolerance of 1 and of 4 ulps): the host's microcode is not
// correctly rounded (a previous sampling found FCOS/FPTAN 1-3 ulp off the correctly rounded
// value in ~15% of samples), and where its approximation falls on the other side of the value
// both round to, C1 differs with equal results (checked at 70 decimal digits: FSIN of
// -0x0.b672a5c20121dfc1p-3 under RC=down is ...fdb2, Vireo's, not the host's ...fdb3; FSIN of
// 0x0.a5p-2 rounds up to nearest, C1 = 1 as Vireo says, where the host says 0). So the result registers get 1 ulp and C1 is
// taken from the host when they are within it. VIREO_X87_TRANS_TOL=0 shows the exact rate.
constexpr unsigned kTransTolUlps = 1;

inline std::vector<Form> x87_transcendental_forms() {
    std::vector<Form> v;
    static const std::pair<u8, const char*> kOps[] = {{0xFE, "fsin"},  {0xFF, "fcos"},  {0xFB, "fsincos"},
                                                      {0xF2, "fptan"}, {0xF3, "fpatan"}, {0xF0, "f2xm1"},
                                                      {0xF1, "fyl2x"}, {0xF9, "fyl2xp1"}};
    constexpr u64 kYl2xp1Max = 0x95F619980C4336F7ull;  // 1 - sqrt(2)/2 = 0x95F6...p-2
    for (auto [m, n] : kOps) {
        const std::string name(n);
        const std::string enc = " [D9 " + hexb({m}) + "]";
        Form edge = x87_form(name + " (edge classes)" + enc, {0xD9, m}, MemVal::None, 0);
        if (m == 0xF0)
            edge.skip = [](const Input& in) { return st_tagged(in, 0) && finite_abs_above(st_in(in, 0), 0, 1ull << 63); };
        if (m == 0xF9)
            edge.skip = [](const Input& in) { return st_tagged(in, 0) && finite_abs_above(st_in(in, 0), -2, kYl2xp1Max); };
        edge.states = 4096;
        v.push_back(edge);
        Form dom = x87_form(name + " (domain)" + enc, {0xD9, m}, MemVal::None, 0);
        auto base_setup = dom.setup;
        dom.setup = [base_setup, m](Input& in, Rng& r, unsigned k) {
            base_setup(in, r, k);
            // Mostly a clean stack: ST(0), ST(1) valid, ST(7) empty (FSINCOS/FPTAN push).
            if (r() % 8) {
                const unsigned top = (fx_get<u16>(in.fx, 2) >> 11) & 7;
                in.fx[4] = static_cast<u8>(0xff & ~(1u << ((top + 7) & 7)));
            }
            const unsigned pick = static_cast<unsigned>(r() % 16);
            switch (m) {
            case 0xFE: case 0xFF: case 0xFB: case 0xF2:
                if (pick < 10) st_put(in, 0, rand_normal(r, -4, 3));          // around the first periods
                else if (pick < 14) st_put(in, 0, rand_normal(r, -70, 62));   // any in-range magnitude
                else if (pick < 15) st_put(in, 0, rand_normal(r, 60, 62));    // large
                else st_put(in, 0, rand_normal(r, 63, 66));                   // out of range: C2 = 1
                break;
            case 0xF0:
                if (pick == 0) st_put(in, 0, {1ull << 63, static_cast<u16>((r() & 1 ? 0x8000 : 0) | 0x3fff)});
                else st_put(in, 0, rand_normal(r, pick < 12 ? -8 : -70, -1));
                break;
            case 0xF1: {
                V80 x = pick < 10 ? rand_normal(r, -3, 3, false) : rand_normal(r, -300, 300, false);
                if (pick == 15) x.sig = 1ull << 63;  // a power of two: exact
                st_put(in, 0, x);
                st_put(in, 1, rand_normal(r, pick % 2 ? -4 : -40, pick % 2 ? 4 : 40));
                break;
            }
            case 0xF9: {
                V80 x = rand_normal(r, pick < 10 ? -8 : -70, -3);
                if (pick == 15) x = {(r() % (kYl2xp1Max - (1ull << 63))) | 1ull << 63, static_cast<u16>((r() & 1 ? 0x8000 : 0) | 0x3ffd)};
                st_put(in, 0, x);
                st_put(in, 1, rand_normal(r, pick % 2 ? -4 : -40, pick % 2 ? 4 : 40));
                break;
            }
            default:  // FPATAN: any quadrant, ratios near 1 and far from it
                st_put(in, 0, rand_normal(r, pick < 10 ? -3 : -60, pick < 10 ? 3 : 60));
                st_put(in, 1, rand_normal(r, pick < 10 ? -3 : -60, pick < 10 ? 3 : 60));
                break;
            }
        };
        dom.states = 8192;
        // The result registers (after the push/pop): FPTAN's tangent is ST(1) under the pushed
        // 1.0, FSINCOS has cos in ST(0) and sin in ST(1). Tolerance: see kTransTolUlps.
        const unsigned regs = m == 0xF2 ? 2u : m == 0xFB ? 3u : 1u;
        unsigned tol = kTransTolUlps;
        if (const char* t = std::getenv("VIREO_X87_TRANS_TOL")) tol = static_cast<unsigned>(std::atoi(t));
        for (Form* f : {&edge, &dom}) f->x87_tol_regs = tol ? regs : 0, f->x87_tol_ulps = tol;
        v.back() = edge;
        v.push_back(dom);
    }
    return v;
}

}  // namespace vireo::test::native_diff::x87
