// Native-differential test of AVX (VEX.128 and VEX.256 forms) and of the AVX2 VEX.256 integer
// forms that are the 128-bit operation per lane (int256_forms; the harness's Vireo side has
// F_AVX2, no CPU model does): every form runs natively and in
// Vireo's tier 0 from the same state (native_diff_harness.h, as native_diff_test.cc), and all
// GPRs, the defined flags, MXCSR, the whole YMM state (XMM and the upper halves, carried by
// XRSTOR/XSAVE natively), the x87 state and the data area are compared bit for bit.
//
// Each form runs with register operands (xmm/ymm0-15 through VEX.R/B and vvvv, vvvv equal to
// the destination, the destination equal to a source, the same register as both sources) and
// with memory operands (bases RBX, R13, RSI). Memory operands are placed anywhere (misaligned
// for every form but the explicitly aligned moves VMOVAPS/APD/DQA/NTxx, which get #GP(0) in one
// state of eight), and one state of eight puts the operand across a page boundary. Floating
// point: the operands come from the edge-biased FP generator (native_diff_fp.h: ±0, denormals,
// infinities, QNaN/SNaN payloads, rounding boundaries), paired lane by lane, and MXCSR cycles
// through the 4 rounding modes x DAZ x FTZ with random exception masks in one state of four
// (unmasked: #XM with the destination unchanged). VCMPxx run all 32 predicates. A few reserved
// encodings (vvvv != 1111b, VEX.L = 1 where only VEX.128 exists, W1 where W0 is required, a
// 66/REX prefix before VEX) must raise #UD on both sides.
//
// The #UD without CR4.OSXSAVE / XCR0.AVX and #NM with CR0.TS cannot be shown natively:
// tests/unit/avx_test.cc checks them on tier 0.
//
// Environment: as native_diff_test.cc (VIREO_NATIVE_DIFF_STATES, _SEED, _FILTER, ...).
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "tests/cpu/native_diff_fp.h"
#include "tests/cpu/native_diff_harness.h"

namespace vireo::test::native_diff {
namespace {

// Known failures (see native_diff_harness.h): none.
constexpr std::array<KnownFailure, 0> kKnownFailures{};

}  // namespace

const KnownFailure* known_failure(const std::string& name) {
    return find_known_failure(kKnownFailures, name);
}

namespace {

// ------------------------------------------------------------------------------------------
// VEX encoding (SDM Vol. 2A 2.3.5): the two-byte C5 form when it can express the instruction
// (map 0F, W0, no VEX.X/B), else C4. map: 1 = 0F, 2 = 0F 38, 3 = 0F 3A; pp: 0 none, 1 66,
// 2 F3, 3 F2.
std::vector<u8> vex(int map, int pp, bool w, bool l, u8 op, int reg, int vvvv, const Rm& rm,
                    const std::vector<u8>& imm, bool allow_c5 = true) {
    const int rmr = rm.mem ? rm.base : rm.reg;
    std::vector<u8> b;
    if (allow_c5 && map == 1 && !w && !(rmr & 8)) {
        b = {0xC5, static_cast<u8>((reg & 8 ? 0 : 0x80) | ((~vvvv & 15) << 3) | (l ? 4 : 0) | pp)};
    } else {
        b = {0xC4, static_cast<u8>((reg & 8 ? 0 : 0x80) | 0x40 | (rmr & 8 ? 0 : 0x20) | map),
             static_cast<u8>((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | (l ? 4 : 0) | pp)};
    }
    b.push_back(op);
    put_modrm(b, reg, rm);
    b.insert(b.end(), imm.begin(), imm.end());
    return b;
}

// Operand shapes (which fields name which operand):
//   RVM   reg = dst, vvvv = src1, r/m = src2        (VADDPS, VMOVLPS xmm, xmm, m64, ...)
//   RM    reg = dst, r/m = src, vvvv = 1111b        (VMOVAPS load, VSQRTPS, VCOMISS, VMOVD)
//   MR    r/m = dst, reg = src, vvvv = 1111b        (VMOVAPS store, VEXTRACTF128, VMOVD out)
//   MVR   r/m = dst, vvvv = src1, reg = src2        (VMASKMOVPS store, VMOVSS 11 /r reg form)
//   RVMR  reg = dst, vvvv = src1, r/m = src2, imm8[7:4] = src3   (VBLENDVPS)
enum class Shape : u8 { RVM, RM, MR, MVR, RVMR };
enum class Ls : u8 { L128, L256, Both, LIG };
enum class Fp : u8 { None, F32, F64, I32 /* integer sources: edge-biased ints, MXCSR as for FP */ };
enum class Special : u8 {
    None,
    Test,    // VTESTPS/VPTEST: sources often related
    Gpr,     // r/m is a GPR (VMOVD, VCVTSI2SS)
    GprDst,  // ModRM.reg is a GPR destination (VCVTSS2SI)
    Count,   // shifts by xmm/m128: the count is small in 3 states of 4
};

struct AvxOp {
    const char* name;
    u8 map, pp, op;
    bool w;
    Shape shape;
    Ls ls;
    Fp fp = Fp::None;
    unsigned mem128 = 16, mem256 = 32;  // memory operand bytes for VEX.L = 0 / 1
    bool aligned = false;               // #GP(0) unless aligned to the operand size
    bool regs = true, mems = true;
    std::vector<u8> imms = {};
    Special special = Special::None;
    bool unary = false;                 // FP: the only FP input is r/m (VSQRTPS)
    unsigned states = 0;
    bool approx = false;                // VRCPPS/VRSQRTPS: within the SDM bound
};

constexpr int kRVM[][3] = {{1, 2, 3}, {9, 14, 15}, {4, 4, 5}, {6, 7, 6}, {0, 8, 8}};
constexpr int kRVMmem[][3] = {{5, 6, RBX}, {12, 13, R13}, {7, 7, RSI}};
constexpr int kRM[][2] = {{1, 2}, {9, 14}, {3, 3}, {15, 0}};
constexpr int kRMmem[][2] = {{5, RBX}, {12, R13}};
constexpr int kIs4[] = {3, 10, 15};

inline u64 mem_off(const Input& in, int base) { return in.gpr[base] + 0x10 - kDataAddr; }
inline u8* xmm_in(Input& in, int r) { return in.fx + 160 + 16 * r; }
// Lane l (of element size n) of YMM r in the input.
inline u8* ymm_lane(Input& in, int r, unsigned l, unsigned n) {
    const unsigned off = l * n;
    return off < 16 ? xmm_in(in, r) + off : in.ymmh[r] + off - 16;
}

// RCPPS/RSQRTPS (as native_diff_test.cc rcp_close): within 1.5 * 2^-12 of the host's value.
bool rcp_close(const u8* x, const u8* y) {
    for (unsigned l = 0; l < 4; l++) {
        u32 a, b;
        std::memcpy(&a, x + 4 * l, 4);
        std::memcpy(&b, y + 4 * l, 4);
        if (a == b) continue;
        const float fa = std::bit_cast<float>(a), fb = std::bit_cast<float>(b);
        if (!std::isfinite(fa) || !std::isfinite(fb) || fa == 0 || fb == 0) return false;
        if (std::fabs(static_cast<double>(fa) - fb) > (1.5 * 0x1p-12 + 0x1p-22) * std::fabs(static_cast<double>(fb))) return false;
    }
    return true;
}

// The setup of one encoded form: page-crossing placement, FP inputs and MXCSR, related
// sources for the tests.
struct Roles {
    int a = -1;      // first FP source register (vvvv, or reg for VCOMISS), -1: none
    int src = -1;    // r/m source register, -1: memory or none
    int base = -1;   // memory base, -1: register form
    unsigned mem_bytes = 0, vec_bytes = 16;
};

using Setup = std::function<void(Input&, Rng&, unsigned)>;
Setup make_setup(const AvxOp& o, Roles ro) {
    return [o, ro](Input& in, Rng& r, unsigned k) {
        if (ro.base >= 0 && ro.mem_bytes > 1 && k % 8 == 5) {
            // Across the page boundary at 0x2000 or 0x3000 of the data area, split anywhere.
            const u64 boundary = 0x1000 * (2 + r() % 2);
            const u64 off = boundary - 1 - r() % (ro.mem_bytes - 1);
            in.gpr[ro.base] = kDataAddr + off - 0x10;
        }
        if (o.special == Special::Test) {
            // ZF/CF are interesting only when the AND / ANDN come out zero.
            const int dst = ro.a;
            u8 v[32];
            for (unsigned i = 0; i < 32; i++) v[i] = *ymm_lane(in, dst, i, 1);
            const unsigned kind = r() % 4;
            for (unsigned i = 0; i < ro.vec_bytes; i++) {
                u8 x = kind == 0 ? v[i] : kind == 1 ? static_cast<u8>(~v[i]) : kind == 2 ? 0 : static_cast<u8>(r());
                if (ro.base >= 0) in.mem[mem_off(in, ro.base) + i] = x;
                else *ymm_lane(in, ro.src, i, 1) = x;
            }
            return;
        }
        if (o.special == Special::Count && r() % 4) {
            const u64 count = r() % 2 ? r() % 17 : r() % 70;
            if (ro.base >= 0) put_mem(in, mem_off(in, ro.base), count, 8);
            else if (ro.src >= 0) std::memcpy(xmm_in(in, ro.src), &count, 8);
        }
        if (o.fp == Fp::None) return;
        fx_put<u32>(in.fx, 24, fp_mxcsr(r, k));
        if (o.fp == Fp::I32) return;
        const unsigned n = o.fp == Fp::F32 ? 4 : 8;
        for (int reg = 0; reg < 16; reg++)
            for (unsigned l = 0; l < 32 / n; l++) {
                if (n == 4) { u32 x = gen_fp<u32>(r); std::memcpy(ymm_lane(in, reg, l, 4), &x, 4); }
                else { u64 x = gen_fp<u64>(r); std::memcpy(ymm_lane(in, reg, l, 8), &x, 8); }
            }
        const unsigned bytes = ro.base >= 0 ? ro.mem_bytes : ro.vec_bytes;
        for (unsigned l = 0; l < bytes / n; l++) {
            u64 a, b;
            if (n == 4) { u32 x, y; gen_fp_pair<u32>(r, x, y); a = x, b = y; }
            else gen_fp_pair<u64>(r, a, b);
            if (ro.a >= 0 && ro.a != ro.src) std::memcpy(ymm_lane(in, ro.a, l, n), &a, n);
            if (ro.base >= 0) std::memcpy(&in.mem[mem_off(in, ro.base) + l * n], &b, n);
            else if (ro.src >= 0) std::memcpy(ymm_lane(in, ro.src, l, n), &b, n);
        }
    };
}

std::string regname(bool l, int r) { return (l ? "ymm" : "xmm") + std::to_string(r); }
std::string opcode_name(const AvxOp& o, bool l, u8 imm, bool has_imm) {
    static const char* const kPp[] = {"NP", "66", "F3", "F2"};
    static const char* const kMap[] = {"", "0F", "0F38", "0F3A"};
    char t[96];
    std::snprintf(t, sizeof t, "VEX.%s.%s.%s.W%d %02X", l ? "256" : "128", kPp[o.pp], kMap[o.map], o.w, o.op);
    std::string s = t;
    if (has_imm) {
        std::snprintf(t, sizeof t, " ib=%02x", imm);
        s += t;
    }
    return s;
}

Form make_form(const AvxOp& o, bool l, std::vector<u8> code, const std::string& ops, const Roles& ro, u8 imm,
               bool has_imm) {
    Form f;
    f.name = std::string(o.name) + " " + ops + " [" + opcode_name(o, l, imm, has_imm) + "]";
    f.code = std::move(code);
    f.simd = true;
    f.ymm = true;
    f.opbits = 64;
    if (ro.base >= 0) {
        f.mem_base = ro.base;
        f.mem_disp = 0x10;
        f.mem_size = ro.mem_bytes;
        f.mem_align = o.aligned ? ro.mem_bytes : 0;
    }
    f.states = o.states ? o.states : o.fp != Fp::None ? 512 : 0;
    f.setup = make_setup(o, ro);
    if (o.approx) f.xmm_close = rcp_close;
    return f;
}

void add_op(std::vector<Form>& v, const AvxOp& o) {
    std::vector<bool> lens;
    switch (o.ls) {
    case Ls::L128: lens = {false}; break;
    case Ls::L256: lens = {true}; break;
    case Ls::Both: case Ls::LIG: lens = {false, true}; break;
    }
    std::vector<int> imms(o.imms.begin(), o.imms.end());
    const bool has_imm = !imms.empty();
    if (!has_imm) imms = {0};
    const bool gpr = o.special == Special::Gpr;
    for (bool l : lens)
        for (int imm : imms) {
            const unsigned vec = l && o.ls != Ls::LIG ? 32 : 16;
            const unsigned mb = l ? o.mem256 : o.mem128;
            const std::vector<u8> ib = has_imm ? std::vector<u8>{static_cast<u8>(imm)} : std::vector<u8>{};
            const std::string m = "m" + std::to_string(mb * 8);
            auto rn = [&](int r) { return regname(l, r); };
            auto gn = [&](int r) { return std::string(kRegNames[r]); };
            // LIG forms: only one L=1 variant (the register forms with REX-extended registers).
            const bool lig_l1 = o.ls == Ls::LIG && l;
            switch (o.shape) {
            case Shape::RVM:
            case Shape::RVMR: {
                unsigned ci = 0;
                if (o.regs)
                    for (auto& t : kRVM) {
                        if (lig_l1 && ci++ != 1) continue;
                        if (o.shape == Shape::RVMR) {
                            for (int is4 : kIs4) {
                                Roles ro{t[1], t[2], -1, 0, vec};
                                std::vector<u8> ib4{static_cast<u8>(is4 << 4)};
                                v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], t[1], R(t[2]), ib4),
                                                      rn(t[0]) + "," + rn(t[1]) + "," + rn(t[2]) + "," + rn(is4), ro, 0, false));
                            }
                            continue;
                        }
                        Roles ro{t[1], t[2], -1, 0, vec};
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], t[1], R(t[2]), ib),
                                              rn(t[0]) + "," + rn(t[1]) + "," + rn(t[2]), ro, static_cast<u8>(imm), has_imm));
                    }
                if (o.mems && !lig_l1)
                    for (auto& t : kRVMmem) {
                        Roles ro{t[1], -1, t[2], mb, vec};
                        std::vector<u8> ib4 = o.shape == Shape::RVMR ? std::vector<u8>{0xB0} : ib;
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], t[1], M(t[2]), ib4),
                                              rn(t[0]) + "," + rn(t[1]) + "," + m + " [" + kRegNames[t[2]] + "]" +
                                                  (o.shape == Shape::RVMR ? "," + rn(11) : ""),
                                              ro, static_cast<u8>(imm), has_imm));
                    }
                break;
            }
            case Shape::RM:
            case Shape::MR: {
                const bool st = o.shape == Shape::MR;
                unsigned ci = 0;
                if (o.regs)
                    for (auto& t : kRM) {
                        if (lig_l1 && ci++ != 1) continue;
                        const int reg = t[0], rm = t[1];
                        // FP sources: r/m, and for the compares (RM with two inputs) reg too.
                        Roles ro{o.unary ? -1 : reg, rm, -1, 0, vec};
                        std::string a = gpr && !st ? rn(reg) : gpr ? gn(rm) : rn(st ? rm : reg);
                        if (o.special == Special::GprDst) a = gn(reg);
                        const std::string b = gpr && !st ? gn(rm) : gpr ? rn(reg) : rn(st ? reg : rm);
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, reg, 0, R(rm), ib), a + "," + b, ro,
                                              static_cast<u8>(imm), has_imm));
                    }
                if (o.mems && !lig_l1)
                    for (auto& t : kRMmem) {
                        Roles ro{o.unary ? -1 : t[0], -1, t[1], mb, vec};
                        const std::string mm = m + " [" + kRegNames[t[1]] + "]";
                        const std::string r0 = o.special == Special::GprDst ? gn(t[0]) : rn(t[0]);
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], 0, M(t[1]), ib),
                                              st ? mm + "," + r0 : r0 + "," + mm, ro, static_cast<u8>(imm), has_imm));
                    }
                break;
            }
            case Shape::MVR: {
                unsigned ci = 0;
                if (o.regs)
                    for (auto& t : kRVM) {
                        if (lig_l1 && ci++ != 1) continue;
                        Roles ro{t[1], t[0], -1, 0, vec};
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], t[1], R(t[2]), ib),
                                              rn(t[2]) + "," + rn(t[1]) + "," + rn(t[0]), ro, static_cast<u8>(imm), has_imm));
                    }
                if (o.mems && !lig_l1)
                    for (auto& t : kRVMmem) {
                        Roles ro{-1, -1, t[2], mb, vec};
                        v.push_back(make_form(o, l, vex(o.map, o.pp, o.w, l, o.op, t[0], t[1], M(t[2]), ib),
                                              m + " [" + kRegNames[t[2]] + "]," + rn(t[1]) + "," + rn(t[0]), ro,
                                              static_cast<u8>(imm), has_imm));
                    }
                break;
            }
            }
        }
}

// ------------------------------------------------------------------------------------------
// The forms.
constexpr u8 NP = 0, P66 = 1, PF3 = 2, PF2 = 3;
constexpr u8 M0F = 1, M38 = 2, M3A = 3;

std::vector<Form> move_forms() {
    std::vector<AvxOp> ops = {
        {"vmovups", M0F, NP, 0x10, false, Shape::RM, Ls::Both},
        {"vmovups", M0F, NP, 0x11, false, Shape::MR, Ls::Both},
        {"vmovupd", M0F, P66, 0x10, false, Shape::RM, Ls::Both},
        {"vmovupd", M0F, P66, 0x11, false, Shape::MR, Ls::Both},
        {"vmovaps", M0F, NP, 0x28, false, Shape::RM, Ls::Both, Fp::None, 16, 32, true},
        {"vmovaps", M0F, NP, 0x29, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true},
        {"vmovapd", M0F, P66, 0x28, false, Shape::RM, Ls::Both, Fp::None, 16, 32, true},
        {"vmovapd", M0F, P66, 0x29, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true},
        {"vmovdqa", M0F, P66, 0x6F, false, Shape::RM, Ls::Both, Fp::None, 16, 32, true},
        {"vmovdqa", M0F, P66, 0x7F, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true},
        {"vmovdqu", M0F, PF3, 0x6F, false, Shape::RM, Ls::Both},
        {"vmovdqu", M0F, PF3, 0x7F, false, Shape::MR, Ls::Both},
        {"vlddqu", M0F, PF2, 0xF0, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, false},
        {"vmovntps", M0F, NP, 0x2B, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true, false},
        {"vmovntpd", M0F, P66, 0x2B, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true, false},
        {"vmovntdq", M0F, P66, 0xE7, false, Shape::MR, Ls::Both, Fp::None, 16, 32, true, false},
        {"vmovntdqa", M38, P66, 0x2A, false, Shape::RM, Ls::L128, Fp::None, 16, 32, true, false},
        {"vmovss", M0F, PF3, 0x10, false, Shape::RM, Ls::LIG, Fp::None, 4, 4, false, false},
        {"vmovss", M0F, PF3, 0x10, false, Shape::RVM, Ls::LIG, Fp::None, 4, 4, false, true, false},
        {"vmovss", M0F, PF3, 0x11, false, Shape::MR, Ls::LIG, Fp::None, 4, 4, false, false},
        {"vmovss", M0F, PF3, 0x11, false, Shape::MVR, Ls::LIG, Fp::None, 4, 4, false, true, false},
        {"vmovsd", M0F, PF2, 0x10, false, Shape::RM, Ls::LIG, Fp::None, 8, 8, false, false},
        {"vmovsd", M0F, PF2, 0x10, false, Shape::RVM, Ls::LIG, Fp::None, 8, 8, false, true, false},
        {"vmovsd", M0F, PF2, 0x11, false, Shape::MR, Ls::LIG, Fp::None, 8, 8, false, false},
        {"vmovsd", M0F, PF2, 0x11, false, Shape::MVR, Ls::LIG, Fp::None, 8, 8, false, true, false},
        {"vmovlps", M0F, NP, 0x12, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovhlps", M0F, NP, 0x12, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, true, false},
        {"vmovlpd", M0F, P66, 0x12, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovlps", M0F, NP, 0x13, false, Shape::MR, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovlpd", M0F, P66, 0x13, false, Shape::MR, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovhps", M0F, NP, 0x16, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovlhps", M0F, NP, 0x16, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, true, false},
        {"vmovhpd", M0F, P66, 0x16, false, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovhps", M0F, NP, 0x17, false, Shape::MR, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovhpd", M0F, P66, 0x17, false, Shape::MR, Ls::L128, Fp::None, 8, 8, false, false},
        {"vmovsldup", M0F, PF3, 0x12, false, Shape::RM, Ls::Both},
        {"vmovshdup", M0F, PF3, 0x16, false, Shape::RM, Ls::Both},
        {"vmovddup", M0F, PF2, 0x12, false, Shape::RM, Ls::Both, Fp::None, 8, 32},
        {"vmovd", M0F, P66, 0x6E, false, Shape::RM, Ls::L128, Fp::None, 4, 4, false, true, true, {}, Special::Gpr},
        {"vmovq", M0F, P66, 0x6E, true, Shape::RM, Ls::L128, Fp::None, 8, 8, false, true, true, {}, Special::Gpr},
        {"vmovd", M0F, P66, 0x7E, false, Shape::MR, Ls::L128, Fp::None, 4, 4, false, true, true, {}, Special::Gpr},
        {"vmovq", M0F, P66, 0x7E, true, Shape::MR, Ls::L128, Fp::None, 8, 8, false, true, true, {}, Special::Gpr},
        {"vmovq", M0F, PF3, 0x7E, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vmovq", M0F, P66, 0xD6, false, Shape::MR, Ls::L128, Fp::None, 8, 8},
        {"vbroadcastss", M38, P66, 0x18, false, Shape::RM, Ls::Both, Fp::None, 4, 4, false, false},
        {"vbroadcastsd", M38, P66, 0x19, false, Shape::RM, Ls::L256, Fp::None, 8, 8, false, false},
        {"vbroadcastf128", M38, P66, 0x1A, false, Shape::RM, Ls::L256, Fp::None, 16, 16, false, false},
        {"vinsertf128", M3A, P66, 0x18, false, Shape::RVM, Ls::L256, Fp::None, 16, 16, false, true, true, {0, 1, 2, 0xFF}},
        {"vextractf128", M3A, P66, 0x19, false, Shape::MR, Ls::L256, Fp::None, 16, 16, false, true, true, {0, 1, 0xFE}},
        {"vperm2f128", M3A, P66, 0x06, false, Shape::RVM, Ls::L256, Fp::None, 32, 32, false, true, true,
         {0x20, 0x31, 0x02, 0x13, 0x88, 0x4A, 0xF7, 0x00, 0x83}},
        {"vpermilps", M38, P66, 0x0C, false, Shape::RVM, Ls::Both},
        {"vpermilpd", M38, P66, 0x0D, false, Shape::RVM, Ls::Both},
        {"vpermilps", M3A, P66, 0x04, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x1B, 0xE4, 0x4E, 0x93}},
        {"vpermilpd", M3A, P66, 0x05, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x0, 0x5, 0xA, 0xF, 0x6}},
        {"vmaskmovps", M38, P66, 0x2C, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, false},
        {"vmaskmovpd", M38, P66, 0x2D, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, false},
        {"vmaskmovps", M38, P66, 0x2E, false, Shape::MVR, Ls::Both, Fp::None, 16, 32, false, false},
        {"vmaskmovpd", M38, P66, 0x2F, false, Shape::MVR, Ls::Both, Fp::None, 16, 32, false, false},
        {"vmovmskps", M0F, NP, 0x50, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, false},
        {"vmovmskpd", M0F, P66, 0x50, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, false},
        {"vpmovmskb", M0F, P66, 0xD7, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, false},
    };
    std::vector<Form> v;
    for (const AvxOp& o : ops) add_op(v, o);
    // VZEROUPPER / VZEROALL (no ModRM), in the C5 and C4 encodings.
    auto raw = [&](const std::string& name, std::vector<u8> code) {
        Form f;
        f.name = name + " [" + hex(code) + "]";
        f.code = std::move(code);
        f.simd = f.ymm = true;
        v.push_back(f);
    };
    raw("vzeroupper", {0xC5, 0xF8, 0x77});
    raw("vzeroupper", {0xC4, 0xE1, 0x78, 0x77});
    raw("vzeroall", {0xC5, 0xFC, 0x77});
    raw("vzeroall", {0xC4, 0xE1, 0x7C, 0x77});
    // Reserved encodings: #UD on both sides.
    raw("#UD vmovaps vvvv!=1111", vex(M0F, NP, false, false, 0x28, 1, 3, R(2), {}));
    raw("#UD vmovups store vvvv!=1111", vex(M0F, NP, false, true, 0x11, 1, 9, R(2), {}));
    raw("#UD vmovlps L1", vex(M0F, NP, false, true, 0x12, 1, 2, M(RBX), {}));
    raw("#UD vbroadcastsd L0", vex(M38, P66, false, false, 0x19, 1, 0, M(RBX), {}));
    raw("#UD vbroadcastss W1", vex(M38, P66, true, false, 0x18, 1, 0, M(RBX), {}));
    raw("#UD vmovss m32 vvvv!=1111", vex(M0F, PF3, false, false, 0x10, 1, 4, M(RBX), {}));
    raw("#UD vmovd L1", vex(M0F, P66, false, true, 0x6E, 1, 0, R(2), {}));
    raw("#UD vextractf128 L0", vex(M3A, P66, false, false, 0x19, 1, 0, R(2), {1}));
    raw("#UD vzeroupper vvvv!=1111", {0xC5, 0xC0, 0x77});
    {
        std::vector<u8> c = {0x66};
        auto b = vex(M0F, NP, false, false, 0x28, 1, 0, R(2), {});
        c.insert(c.end(), b.begin(), b.end());
        raw("#UD 66 before VEX", c);
        c[0] = 0x41;
        raw("#UD REX before VEX", c);
        c[0] = 0xF3;
        raw("#UD F3 before VEX", c);
    }
    for (Form& f : v)
        if (f.name.rfind("#UD", 0) == 0 || f.name.rfind("vzero", 0) == 0) f.mem_base = -1;
    // VSTMXCSR / VLDMXCSR m32 (a reserved MXCSR bit: #GP(0) in one state of four) and
    // VMASKMOVDQU (DS:rDI, page-crossing in one state of eight).
    {
        Form st;
        st.name = "vstmxcsr m32 [rbx] [VEX.128.NP.0F AE /3]";
        st.code = vex(M0F, NP, false, false, 0xAE, 3, 0, M(RBX), {});
        st.simd = st.ymm = true;
        st.mem_base = RBX, st.mem_size = 4;
        v.push_back(st);
        Form ld = st;
        ld.name = "vldmxcsr m32 [rbx] [VEX.128.NP.0F AE /2]";
        ld.code = vex(M0F, NP, false, false, 0xAE, 2, 0, M(RBX), {});
        ld.setup = [](Input& in, Rng& r, unsigned) {
            const u32 m = r() % 4 ? static_cast<u32>(r() & 0xffff) : static_cast<u32>(r());
            put_mem(in, mem_off(in, RBX), m, 4);
        };
        v.push_back(ld);
        for (auto [src, mask] : {std::pair{1, 2}, std::pair{9, 14}, std::pair{3, 3}}) {
            Form f;
            f.name = "vmaskmovdqu xmm" + std::to_string(src) + ",xmm" + std::to_string(mask) + " [VEX.128.66.0F F7]";
            f.code = vex(M0F, P66, false, false, 0xF7, src, 0, R(mask), {});
            f.simd = f.ymm = true;
            f.setup = [](Input& in, Rng& r, unsigned) { in.gpr[RDI] = kDataAddr + pick_off(r, 16); };
            v.push_back(f);
        }
    }
    // Operands running into the not-present page above the data area: #PF with CR2 at the
    // first missing byte and nothing written (precise). VMASKMOV faults only for elements whose
    // mask bit is set (SDM Vol. 2B VMASKMOV): with the mask clear past the boundary it
    // completes.
    auto edge = [&](const std::string& name, std::vector<u8> code, unsigned over, int mask_reg, bool mask_tail_clear) {
        Form f;
        f.name = name + " [" + hex(code) + "]";
        f.code = std::move(code);
        f.simd = f.ymm = true;
        f.setup = [over, mask_reg, mask_tail_clear](Input& in, Rng& r, unsigned) {
            in.gpr[RBX] = kDataAddr + kDataSize - (32 - over) - 0x10;
            if (mask_reg >= 0) {
                u8 m[32];
                for (auto& b : m) b = static_cast<u8>(r());
                if (mask_tail_clear)
                    for (unsigned i = 32 - over; i < 32; i++) m[i] &= 0x7f;
                std::memcpy(xmm_in(in, mask_reg), m, 16);
                std::memcpy(in.ymmh[mask_reg], m + 16, 16);
            }
        };
        v.push_back(f);
    };
    for (unsigned over : {4u, 16u, 28u}) {
        const std::string o = " (" + std::to_string(over) + " bytes past the page)";
        edge("vmovups ymm1,m256" + o, vex(M0F, NP, false, true, 0x10, 1, 0, M(RBX), {}), over, -1, false);
        edge("vmovups m256,ymm1" + o, vex(M0F, NP, false, true, 0x11, 1, 0, M(RBX), {}), over, -1, false);
        edge("vmaskmovps ymm1,ymm2,m256 mask clear past the page" + o, vex(M38, P66, false, true, 0x2C, 1, 2, M(RBX), {}), over, 2, true);
        edge("vmaskmovps m256,ymm2,ymm1 mask clear past the page" + o, vex(M38, P66, false, true, 0x2E, 1, 2, M(RBX), {}), over, 2, true);
        edge("vmaskmovpd m256,ymm2,ymm1 random mask" + o, vex(M38, P66, false, true, 0x2F, 1, 2, M(RBX), {}), over, 2, false);
        edge("vmaskmovpd ymm1,ymm2,m256 random mask" + o, vex(M38, P66, false, true, 0x2D, 1, 2, M(RBX), {}), over, 2, false);
    }
    return v;
}

std::vector<Form> fp_arith_forms() {
    std::vector<Form> v;
    struct Op { const char* name; u8 op; };
    static constexpr Op kOps[] = {{"add", 0x58}, {"mul", 0x59}, {"sub", 0x5C}, {"min", 0x5D},
                                  {"div", 0x5E}, {"max", 0x5F}};
    for (const Op& o : kOps) {
        const std::string n = std::string("v") + o.name;
        static std::vector<std::string> names;  // the AvxOp keeps a const char*
        names.reserve(64);
        names.push_back(n + "ps"), names.push_back(n + "pd"), names.push_back(n + "ss"), names.push_back(n + "sd");
        const size_t b = names.size() - 4;
        add_op(v, {names[b].c_str(), M0F, NP, o.op, false, Shape::RVM, Ls::Both, Fp::F32});
        add_op(v, {names[b + 1].c_str(), M0F, P66, o.op, false, Shape::RVM, Ls::Both, Fp::F64});
        add_op(v, {names[b + 2].c_str(), M0F, PF3, o.op, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4});
        add_op(v, {names[b + 3].c_str(), M0F, PF2, o.op, false, Shape::RVM, Ls::LIG, Fp::F64, 8, 8});
    }
    AvxOp sq[] = {
        {"vsqrtps", M0F, NP, 0x51, false, Shape::RM, Ls::Both, Fp::F32},
        {"vsqrtpd", M0F, P66, 0x51, false, Shape::RM, Ls::Both, Fp::F64},
        {"vsqrtss", M0F, PF3, 0x51, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4},
        {"vsqrtsd", M0F, PF2, 0x51, false, Shape::RVM, Ls::LIG, Fp::F64, 8, 8},
        {"vaddsubps", M0F, PF2, 0xD0, false, Shape::RVM, Ls::Both, Fp::F32},
        {"vaddsubpd", M0F, P66, 0xD0, false, Shape::RVM, Ls::Both, Fp::F64},
        {"vhaddps", M0F, PF2, 0x7C, false, Shape::RVM, Ls::Both, Fp::F32},
        {"vhaddpd", M0F, P66, 0x7C, false, Shape::RVM, Ls::Both, Fp::F64},
        {"vhsubps", M0F, PF2, 0x7D, false, Shape::RVM, Ls::Both, Fp::F32},
        {"vhsubpd", M0F, P66, 0x7D, false, Shape::RVM, Ls::Both, Fp::F64},
        {"vroundps", M3A, P66, 0x08, false, Shape::RM, Ls::Both, Fp::F32, 16, 32, false, true, true, {0, 1, 2, 3, 4, 8, 9, 0xA, 0xB, 0xC}},
        {"vroundpd", M3A, P66, 0x09, false, Shape::RM, Ls::Both, Fp::F64, 16, 32, false, true, true, {0, 1, 2, 3, 4, 8, 9, 0xA, 0xB, 0xC}},
        {"vroundss", M3A, P66, 0x0A, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4, false, true, true, {0, 1, 2, 3, 4, 0xC}},
        {"vroundsd", M3A, P66, 0x0B, false, Shape::RVM, Ls::LIG, Fp::F64, 8, 8, false, true, true, {0, 1, 2, 3, 4, 0xC}},
        {"vdpps", M3A, P66, 0x40, false, Shape::RVM, Ls::Both, Fp::F32, 16, 32, false, true, true, {0xFF, 0xF1, 0x3C, 0x71, 0xA5}},
        {"vdppd", M3A, P66, 0x41, false, Shape::RVM, Ls::L128, Fp::F64, 16, 16, false, true, true, {0x33, 0x31, 0x12, 0xF3}},
    };
    for (AvxOp& o : sq) {
        if (o.shape == Shape::RM) o.unary = true;
        add_op(v, o);
    }
    return v;
}

std::vector<Form> fp_approx_forms() {
    std::vector<Form> v;
    AvxOp ops[] = {
        {"vrsqrtps", M0F, NP, 0x52, false, Shape::RM, Ls::Both, Fp::F32},
        {"vrcpps", M0F, NP, 0x53, false, Shape::RM, Ls::Both, Fp::F32},
        {"vrsqrtss", M0F, PF3, 0x52, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4},
        {"vrcpss", M0F, PF3, 0x53, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4},
    };
    for (AvxOp& o : ops) {
        o.approx = true;
        o.unary = o.shape == Shape::RM;
        add_op(v, o);
    }
    return v;
}

std::vector<Form> fp_compare_forms() {
    std::vector<Form> v;
    for (u8 pred = 0; pred < 32; pred++) {
        add_op(v, {"vcmpps", M0F, NP, 0xC2, false, Shape::RVM, Ls::Both, Fp::F32, 16, 32, false, true, true, {pred}, Special::None, false, 256});
        add_op(v, {"vcmppd", M0F, P66, 0xC2, false, Shape::RVM, Ls::Both, Fp::F64, 16, 32, false, true, true, {pred}, Special::None, false, 256});
        add_op(v, {"vcmpss", M0F, PF3, 0xC2, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4, false, true, true, {pred}, Special::None, false, 256});
        add_op(v, {"vcmpsd", M0F, PF2, 0xC2, false, Shape::RVM, Ls::LIG, Fp::F64, 8, 8, false, true, true, {pred}, Special::None, false, 256});
    }
    // imm8 bits 7:5 are ignored.
    add_op(v, {"vcmpps", M0F, NP, 0xC2, false, Shape::RVM, Ls::Both, Fp::F32, 16, 32, false, true, true, {0xF9}});
    add_op(v, {"vucomiss", M0F, NP, 0x2E, false, Shape::RM, Ls::LIG, Fp::F32, 4, 4});
    add_op(v, {"vcomiss", M0F, NP, 0x2F, false, Shape::RM, Ls::LIG, Fp::F32, 4, 4});
    add_op(v, {"vucomisd", M0F, P66, 0x2E, false, Shape::RM, Ls::LIG, Fp::F64, 8, 8});
    add_op(v, {"vcomisd", M0F, P66, 0x2F, false, Shape::RM, Ls::LIG, Fp::F64, 8, 8});
    return v;
}

std::vector<Form> logic_shuffle_forms() {
    std::vector<Form> v;
    AvxOp ops[] = {
        {"vandps", M0F, NP, 0x54, false, Shape::RVM, Ls::Both}, {"vandpd", M0F, P66, 0x54, false, Shape::RVM, Ls::Both},
        {"vandnps", M0F, NP, 0x55, false, Shape::RVM, Ls::Both}, {"vandnpd", M0F, P66, 0x55, false, Shape::RVM, Ls::Both},
        {"vorps", M0F, NP, 0x56, false, Shape::RVM, Ls::Both}, {"vorpd", M0F, P66, 0x56, false, Shape::RVM, Ls::Both},
        {"vxorps", M0F, NP, 0x57, false, Shape::RVM, Ls::Both}, {"vxorpd", M0F, P66, 0x57, false, Shape::RVM, Ls::Both},
        {"vunpcklps", M0F, NP, 0x14, false, Shape::RVM, Ls::Both}, {"vunpcklpd", M0F, P66, 0x14, false, Shape::RVM, Ls::Both},
        {"vunpckhps", M0F, NP, 0x15, false, Shape::RVM, Ls::Both}, {"vunpckhpd", M0F, P66, 0x15, false, Shape::RVM, Ls::Both},
        {"vshufps", M0F, NP, 0xC6, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x1B, 0xE4, 0x4E, 0xB1}},
        {"vshufpd", M0F, P66, 0xC6, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x0, 0x5, 0xA, 0xF, 0x9}},
        {"vblendps", M3A, P66, 0x0C, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x00, 0xA5, 0xFF, 0x3C}},
        {"vblendpd", M3A, P66, 0x0D, false, Shape::RVM, Ls::Both, Fp::None, 16, 32, false, true, true, {0x0, 0x5, 0xA, 0xF, 0x6}},
        {"vblendvps", M3A, P66, 0x4A, false, Shape::RVMR, Ls::Both},
        {"vblendvpd", M3A, P66, 0x4B, false, Shape::RVMR, Ls::Both},
        {"vtestps", M38, P66, 0x0E, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, true, {}, Special::Test},
        {"vtestpd", M38, P66, 0x0F, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, true, {}, Special::Test},
        {"vptest", M38, P66, 0x17, false, Shape::RM, Ls::Both, Fp::None, 16, 32, false, true, true, {}, Special::Test},
    };
    for (const AvxOp& o : ops) add_op(v, o);
    return v;
}

std::vector<Form> convert_forms() {
    std::vector<Form> v;
    AvxOp ops[] = {
        {"vcvtps2pd", M0F, NP, 0x5A, false, Shape::RM, Ls::Both, Fp::F32, 8, 16},
        {"vcvtpd2ps", M0F, P66, 0x5A, false, Shape::RM, Ls::Both, Fp::F64, 16, 32},
        {"vcvtss2sd", M0F, PF3, 0x5A, false, Shape::RVM, Ls::LIG, Fp::F32, 4, 4},
        {"vcvtsd2ss", M0F, PF2, 0x5A, false, Shape::RVM, Ls::LIG, Fp::F64, 8, 8},
        {"vcvtdq2ps", M0F, NP, 0x5B, false, Shape::RM, Ls::Both, Fp::I32, 16, 32},
        {"vcvtps2dq", M0F, P66, 0x5B, false, Shape::RM, Ls::Both, Fp::F32, 16, 32},
        {"vcvttps2dq", M0F, PF3, 0x5B, false, Shape::RM, Ls::Both, Fp::F32, 16, 32},
        {"vcvtdq2pd", M0F, PF3, 0xE6, false, Shape::RM, Ls::Both, Fp::I32, 8, 16},
        {"vcvtpd2dq", M0F, PF2, 0xE6, false, Shape::RM, Ls::Both, Fp::F64, 16, 32},
        {"vcvttpd2dq", M0F, P66, 0xE6, false, Shape::RM, Ls::Both, Fp::F64, 16, 32},
        {"vcvtsi2ss", M0F, PF3, 0x2A, false, Shape::RVM, Ls::LIG, Fp::I32, 4, 4, false, true, true, {}, Special::Gpr},
        {"vcvtsi2ss", M0F, PF3, 0x2A, true, Shape::RVM, Ls::LIG, Fp::I32, 8, 8, false, true, true, {}, Special::Gpr},
        {"vcvtsi2sd", M0F, PF2, 0x2A, false, Shape::RVM, Ls::LIG, Fp::I32, 4, 4, false, true, true, {}, Special::Gpr},
        {"vcvtsi2sd", M0F, PF2, 0x2A, true, Shape::RVM, Ls::LIG, Fp::I32, 8, 8, false, true, true, {}, Special::Gpr},
    };
    for (AvxOp& o : ops) {
        if (o.shape == Shape::RM) o.unary = true;
        add_op(v, o);
    }
    for (bool w : {false, true})
        for (u8 op : {0x2C, 0x2D}) {
            const char* n32 = op == 0x2C ? "vcvttss2si" : "vcvtss2si";
            const char* n64 = op == 0x2C ? "vcvttsd2si" : "vcvtsd2si";
            add_op(v, {n32, M0F, PF3, op, w, Shape::RM, Ls::LIG, Fp::F32, 4, 4, false, true, true, {}, Special::GprDst, true});
            add_op(v, {n64, M0F, PF2, op, w, Shape::RM, Ls::LIG, Fp::F64, 8, 8, false, true, true, {}, Special::GprDst, true});
        }
    return v;
}

// The three-operand integer forms (x/ymm1, x/ymm2, x/ymm3/m) of 66 0F and 66 0F 38; every one
// has a VEX.256 (AVX2) form that is the 128-bit operation on each lane.
struct Bin { const char* name; u8 map, op; };
constexpr Bin kIntBin[] = {
    {"vpunpcklbw", M0F, 0x60}, {"vpunpcklwd", M0F, 0x61}, {"vpunpckldq", M0F, 0x62}, {"vpacksswb", M0F, 0x63},
    {"vpcmpgtb", M0F, 0x64}, {"vpcmpgtw", M0F, 0x65}, {"vpcmpgtd", M0F, 0x66}, {"vpackuswb", M0F, 0x67},
    {"vpunpckhbw", M0F, 0x68}, {"vpunpckhwd", M0F, 0x69}, {"vpunpckhdq", M0F, 0x6A}, {"vpackssdw", M0F, 0x6B},
    {"vpunpcklqdq", M0F, 0x6C}, {"vpunpckhqdq", M0F, 0x6D}, {"vpcmpeqb", M0F, 0x74}, {"vpcmpeqw", M0F, 0x75},
    {"vpcmpeqd", M0F, 0x76}, {"vpaddq", M0F, 0xD4}, {"vpmullw", M0F, 0xD5}, {"vpsubusb", M0F, 0xD8},
    {"vpsubusw", M0F, 0xD9}, {"vpminub", M0F, 0xDA}, {"vpand", M0F, 0xDB}, {"vpaddusb", M0F, 0xDC},
    {"vpaddusw", M0F, 0xDD}, {"vpmaxub", M0F, 0xDE}, {"vpandn", M0F, 0xDF}, {"vpavgb", M0F, 0xE0},
    {"vpavgw", M0F, 0xE3}, {"vpmulhuw", M0F, 0xE4}, {"vpmulhw", M0F, 0xE5}, {"vpsubsb", M0F, 0xE8},
    {"vpsubsw", M0F, 0xE9}, {"vpminsw", M0F, 0xEA}, {"vpor", M0F, 0xEB}, {"vpaddsb", M0F, 0xEC},
    {"vpaddsw", M0F, 0xED}, {"vpmaxsw", M0F, 0xEE}, {"vpxor", M0F, 0xEF}, {"vpmuludq", M0F, 0xF4},
    {"vpmaddwd", M0F, 0xF5}, {"vpsadbw", M0F, 0xF6}, {"vpsubb", M0F, 0xF8}, {"vpsubw", M0F, 0xF9},
    {"vpsubd", M0F, 0xFA}, {"vpsubq", M0F, 0xFB}, {"vpaddb", M0F, 0xFC}, {"vpaddw", M0F, 0xFD},
    {"vpaddd", M0F, 0xFE},
    {"vpshufb", M38, 0x00}, {"vphaddw", M38, 0x01}, {"vphaddd", M38, 0x02}, {"vphaddsw", M38, 0x03},
    {"vpmaddubsw", M38, 0x04}, {"vphsubw", M38, 0x05}, {"vphsubd", M38, 0x06}, {"vphsubsw", M38, 0x07},
    {"vpsignb", M38, 0x08}, {"vpsignw", M38, 0x09}, {"vpsignd", M38, 0x0A}, {"vpmulhrsw", M38, 0x0B},
    {"vpmuldq", M38, 0x28}, {"vpcmpeqq", M38, 0x29}, {"vpackusdw", M38, 0x2B}, {"vpcmpgtq", M38, 0x37},
    {"vpminsb", M38, 0x38}, {"vpminsd", M38, 0x39}, {"vpminuw", M38, 0x3A}, {"vpminud", M38, 0x3B},
    {"vpmaxsb", M38, 0x3C}, {"vpmaxsd", M38, 0x3D}, {"vpmaxuw", M38, 0x3E}, {"vpmaxud", M38, 0x3F},
    {"vpmulld", M38, 0x40},
};

// The VEX.128 integer forms.
std::vector<Form> int_forms() {
    std::vector<Form> v;
    for (const Bin& b : kIntBin) add_op(v, {b.name, b.map, P66, b.op, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {}, Special::None, false, 128});
    struct Sh { const char* name; u8 op; u8 digit; u8 by_xmm; };
    static constexpr Sh kSh[] = {{"vpsrlw", 0x71, 2, 0xD1}, {"vpsraw", 0x71, 4, 0xE1}, {"vpsllw", 0x71, 6, 0xF1},
                                 {"vpsrld", 0x72, 2, 0xD2}, {"vpsrad", 0x72, 4, 0xE2}, {"vpslld", 0x72, 6, 0xF2},
                                 {"vpsrlq", 0x73, 2, 0xD3}, {"vpsllq", 0x73, 6, 0xF3}, {"vpsrldq", 0x73, 3, 0},
                                 {"vpslldq", 0x73, 7, 0}};
    for (const Sh& sh : kSh) {
        if (sh.by_xmm)
            add_op(v, {sh.name, M0F, P66, sh.by_xmm, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {}, Special::Count});
        // By imm8 ("VEX.NDD": vvvv is the destination, r/m the source).
        for (int cnt : {0, 1, 7, 15, 16, 31, 33, 64, 255})
            for (auto [dst, src] : {std::pair{1, 2}, std::pair{9, 14}, std::pair{5, 5}}) {
                Form f;
                f.name = std::string(sh.name) + " xmm" + std::to_string(dst) + ",xmm" + std::to_string(src) + "," +
                         std::to_string(cnt) + " [VEX.128.66.0F " + hex({sh.op}) + " /" + std::to_string(sh.digit) + "]";
                f.code = vex(M0F, P66, false, false, sh.op, sh.digit, dst, R(src), {static_cast<u8>(cnt)});
                f.simd = f.ymm = true;
                f.states = 64;
                v.push_back(f);
            }
    }
    AvxOp ops[] = {
        {"vpshufd", M0F, P66, 0x70, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x1B, 0xE4, 0x4E, 0x00}},
        {"vpshufhw", M0F, PF3, 0x70, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x1B, 0xE4, 0x4E}},
        {"vpshuflw", M0F, PF2, 0x70, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x1B, 0xE4, 0x4E}},
        {"vpabsb", M38, P66, 0x1C, false, Shape::RM, Ls::L128}, {"vpabsw", M38, P66, 0x1D, false, Shape::RM, Ls::L128},
        {"vpabsd", M38, P66, 0x1E, false, Shape::RM, Ls::L128}, {"vphminposuw", M38, P66, 0x41, false, Shape::RM, Ls::L128},
        {"vpmovsxbw", M38, P66, 0x20, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpmovsxbd", M38, P66, 0x21, false, Shape::RM, Ls::L128, Fp::None, 4, 4},
        {"vpmovsxbq", M38, P66, 0x22, false, Shape::RM, Ls::L128, Fp::None, 2, 2},
        {"vpmovsxwd", M38, P66, 0x23, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpmovsxwq", M38, P66, 0x24, false, Shape::RM, Ls::L128, Fp::None, 4, 4},
        {"vpmovsxdq", M38, P66, 0x25, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpmovzxbw", M38, P66, 0x30, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpmovzxbd", M38, P66, 0x31, false, Shape::RM, Ls::L128, Fp::None, 4, 4},
        {"vpmovzxbq", M38, P66, 0x32, false, Shape::RM, Ls::L128, Fp::None, 2, 2},
        {"vpmovzxwd", M38, P66, 0x33, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpmovzxwq", M38, P66, 0x34, false, Shape::RM, Ls::L128, Fp::None, 4, 4},
        {"vpmovzxdq", M38, P66, 0x35, false, Shape::RM, Ls::L128, Fp::None, 8, 8},
        {"vpalignr", M3A, P66, 0x0F, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {0, 1, 7, 15, 16, 17, 31, 32, 200}},
        {"vpblendw", M3A, P66, 0x0E, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x00, 0xA5, 0xFF, 0x3C}},
        {"vmpsadbw", M3A, P66, 0x42, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {0, 1, 2, 3, 4, 5, 6, 7}},
        {"vpblendvb", M3A, P66, 0x4C, false, Shape::RVMR, Ls::L128},
        {"vinsertps", M3A, P66, 0x21, false, Shape::RVM, Ls::L128, Fp::None, 4, 4, false, true, true, {0x00, 0x1D, 0x62, 0xF0, 0xCF}},
        {"vpinsrb", M3A, P66, 0x20, false, Shape::RVM, Ls::L128, Fp::None, 1, 1, false, true, true, {0, 5, 15, 0x1F}, Special::Gpr},
        {"vpinsrw", M0F, P66, 0xC4, false, Shape::RVM, Ls::L128, Fp::None, 2, 2, false, true, true, {0, 3, 7, 0xF}, Special::Gpr},
        {"vpinsrd", M3A, P66, 0x22, false, Shape::RVM, Ls::L128, Fp::None, 4, 4, false, true, true, {0, 1, 3, 6}, Special::Gpr},
        {"vpinsrq", M3A, P66, 0x22, true, Shape::RVM, Ls::L128, Fp::None, 8, 8, false, true, true, {0, 1, 3}, Special::Gpr},
        {"vpextrb", M3A, P66, 0x14, false, Shape::MR, Ls::L128, Fp::None, 1, 1, false, true, true, {0, 5, 15, 0x1F}, Special::Gpr},
        {"vpextrb", M3A, P66, 0x14, true, Shape::MR, Ls::L128, Fp::None, 1, 1, false, true, false, {9}, Special::Gpr},
        {"vpextrw", M3A, P66, 0x15, false, Shape::MR, Ls::L128, Fp::None, 2, 2, false, true, true, {0, 3, 7, 0xF}, Special::Gpr},
        {"vpextrw", M0F, P66, 0xC5, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, false, {0, 3, 7, 0xF}, Special::GprDst},
        {"vpextrd", M3A, P66, 0x16, false, Shape::MR, Ls::L128, Fp::None, 4, 4, false, true, true, {0, 1, 3, 6}, Special::Gpr},
        {"vpextrq", M3A, P66, 0x16, true, Shape::MR, Ls::L128, Fp::None, 8, 8, false, true, true, {0, 1, 3}, Special::Gpr},
        {"vextractps", M3A, P66, 0x17, false, Shape::MR, Ls::L128, Fp::None, 4, 4, false, true, true, {0, 1, 2, 3, 0xF}, Special::Gpr},
    };
    for (const AvxOp& o : ops) add_op(v, o);
    // VPCMPESTRI/ESTRM/ISTRI/ISTRM, every imm8[6:0], on strings from a small alphabet with nulls
    // (so matches happen), operand 2 often containing operand 1, and explicit lengths in and
    // out of range (as native_diff_sse4_test.cc's string forms).
    static constexpr struct { const char* name; u8 op; } kStr[] = {
        {"vpcmpestrm", 0x60}, {"vpcmpestri", 0x61}, {"vpcmpistrm", 0x62}, {"vpcmpistri", 0x63}};
    for (const auto& st : kStr)
        for (unsigned imm = 0; imm < 128; imm++) {
            const u8 ib = static_cast<u8>(imm);
            const bool mem = imm % 4 == 1, w = !(st.op & 2) && imm % 8 == 3;
            const int reg = imm % 2 ? 9 : 1, rm = imm % 3 ? 2 : 14;
            Form f;
            f.name = std::string(st.name) + " imm=" + hex({ib}) + (w ? " W1" : "") +
                     (mem ? " xmm12,m128 [r13]" : " xmm" + std::to_string(reg) + ",xmm" + std::to_string(rm));
            f.code = mem ? vex(M3A, P66, w, false, st.op, 12, 0, M(R13), {ib}) : vex(M3A, P66, w, false, st.op, reg, 0, R(rm), {ib});
            f.simd = f.ymm = true;
            if (mem) f.mem_base = R13, f.mem_size = 16;
            f.states = 128;
            const int a_reg = mem ? 12 : reg;
            f.setup = [=](Input& in, Rng& r, unsigned) {
                const unsigned esz = (ib & 1) ? 2 : 1;
                auto gen = [&](u8* out, unsigned kind) {
                    static constexpr u16 kAlpha[] = {'a', 'b', 'c', 'z', 0x7F, 0x80, 0xFF, 0x8000, 0x7FFF, 0xFFFF, 1};
                    for (unsigned i = 0; i < 16 / esz; i++) {
                        u16 e = kind == 0 ? static_cast<u16>(r()) : r() % 10 == 0 ? 0 : kAlpha[r() % (kind == 1 ? 4 : 11)];
                        std::memcpy(out + i * esz, &e, esz);
                    }
                };
                u8 a[16], b[16];
                const unsigned kind = r() % 3;
                gen(a, kind), gen(b, kind);
                if (r() % 3 == 0) {
                    const unsigned sh = static_cast<unsigned>(r() % 16) & ~(esz - 1);
                    std::memcpy(b + sh, a, 16 - sh);
                }
                std::memcpy(xmm_in(in, a_reg), a, 16);
                if (mem) std::memcpy(&in.mem[mem_off(in, R13)], b, 16);
                else if (rm != a_reg) std::memcpy(xmm_in(in, rm), b, 16);
                for (int g : {RAX, RDX}) {
                    const unsigned k = r() % 6;
                    in.gpr[g] = k == 0 ? 0 - (r() % 20) : k == 1 ? 0x80000000ull + r() % 3 - 1 : k == 2 ? r() : r() % 20;
                }
            };
            v.push_back(f);
        }
    // AES and PCLMULQDQ, VEX.128.
    AvxOp crypto[] = {
        {"vaesenc", M38, P66, 0xDC, false, Shape::RVM, Ls::L128}, {"vaesenclast", M38, P66, 0xDD, false, Shape::RVM, Ls::L128},
        {"vaesdec", M38, P66, 0xDE, false, Shape::RVM, Ls::L128}, {"vaesdeclast", M38, P66, 0xDF, false, Shape::RVM, Ls::L128},
        {"vaesimc", M38, P66, 0xDB, false, Shape::RM, Ls::L128},
        {"vaeskeygenassist", M3A, P66, 0xDF, false, Shape::RM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x00, 0x01, 0x1B, 0x80}},
        {"vpclmulqdq", M3A, P66, 0x44, false, Shape::RVM, Ls::L128, Fp::None, 16, 16, false, true, true, {0x00, 0x01, 0x10, 0x11, 0xEE}},
    };
    for (const AvxOp& o : crypto) add_op(v, o);
    // The VEX.256 integer forms are AVX2 (int256_forms; Vireo's side of the harness has F_AVX2,
    // tests/unit/avx_test.cc checks the #UD without it).
    return v;
}

// The VEX.256 (AVX2) integer forms that are the 128-bit operation on each 128-bit lane (SDM
// "VEX.256 encoded version ... for each 128-bit lane"), register and m256 forms (the shifts by
// xmm take an xmm/m128 count; VPMOVMSKB r32, ymm). The cross-lane AVX2 forms are not here.
std::vector<Form> int256_forms() {
    std::vector<Form> v;
    for (const Bin& b : kIntBin) add_op(v, {b.name, b.map, P66, b.op, false, Shape::RVM, Ls::L256, Fp::None, 16, 32, false, true, true, {}, Special::None, false, 128});
    struct Sh { const char* name; u8 op; u8 digit; u8 by_xmm; };
    static constexpr Sh kSh[] = {{"vpsrlw", 0x71, 2, 0xD1}, {"vpsraw", 0x71, 4, 0xE1}, {"vpsllw", 0x71, 6, 0xF1},
                                 {"vpsrld", 0x72, 2, 0xD2}, {"vpsrad", 0x72, 4, 0xE2}, {"vpslld", 0x72, 6, 0xF2},
                                 {"vpsrlq", 0x73, 2, 0xD3}, {"vpsllq", 0x73, 6, 0xF3}, {"vpsrldq", 0x73, 3, 0},
                                 {"vpslldq", 0x73, 7, 0}};
    for (const Sh& sh : kSh) {
        if (sh.by_xmm)  // VEX.256 ymm1, ymm2, xmm3/m128: a 16-byte memory count
            add_op(v, {sh.name, M0F, P66, sh.by_xmm, false, Shape::RVM, Ls::L256, Fp::None, 16, 16, false, true, true, {}, Special::Count});
        for (int cnt : {0, 1, 7, 15, 16, 31, 33, 64, 255})
            for (auto [dst, src] : {std::pair{1, 2}, std::pair{9, 14}, std::pair{5, 5}}) {
                Form f;
                f.name = std::string(sh.name) + " ymm" + std::to_string(dst) + ",ymm" + std::to_string(src) + "," +
                         std::to_string(cnt) + " [VEX.256.66.0F " + hex({sh.op}) + " /" + std::to_string(sh.digit) + "]";
                f.code = vex(M0F, P66, false, true, sh.op, sh.digit, dst, R(src), {static_cast<u8>(cnt)});
                f.simd = f.ymm = true;
                f.states = 64;
                v.push_back(f);
            }
    }
    AvxOp ops[] = {
        {"vpshufd", M0F, P66, 0x70, false, Shape::RM, Ls::L256, Fp::None, 16, 32, false, true, true, {0x1B, 0xE4, 0x4E, 0x00}},
        {"vpshufhw", M0F, PF3, 0x70, false, Shape::RM, Ls::L256, Fp::None, 16, 32, false, true, true, {0x1B, 0xE4, 0x4E}},
        {"vpshuflw", M0F, PF2, 0x70, false, Shape::RM, Ls::L256, Fp::None, 16, 32, false, true, true, {0x1B, 0xE4, 0x4E}},
        {"vpabsb", M38, P66, 0x1C, false, Shape::RM, Ls::L256}, {"vpabsw", M38, P66, 0x1D, false, Shape::RM, Ls::L256},
        {"vpabsd", M38, P66, 0x1E, false, Shape::RM, Ls::L256},
        {"vpalignr", M3A, P66, 0x0F, false, Shape::RVM, Ls::L256, Fp::None, 16, 32, false, true, true, {0, 1, 7, 15, 16, 17, 31, 32, 200}},
        {"vpblendw", M3A, P66, 0x0E, false, Shape::RVM, Ls::L256, Fp::None, 16, 32, false, true, true, {0x00, 0xA5, 0xFF, 0x3C}},
        // imm8[2:0] for the lower lane, imm8[5:3] for the upper (SDM MPSADBW, VEX.256).
        {"vmpsadbw", M3A, P66, 0x42, false, Shape::RVM, Ls::L256, Fp::None, 16, 32, false, true, true,
         {0x00, 0x01, 0x02, 0x05, 0x07, 0x08, 0x10, 0x18, 0x20, 0x2B, 0x3F, 0x1A, 0xC0, 0xFF}},
        {"vpblendvb", M3A, P66, 0x4C, false, Shape::RVMR, Ls::L256},
        {"vpmovmskb", M0F, P66, 0xD7, false, Shape::RM, Ls::L256, Fp::None, 16, 32, false, true, false},
    };
    for (const AvxOp& o : ops) add_op(v, o);
    return v;
}

// A few forms in 32-bit compatibility mode: VEX.R/X/B and vvvv[3] do not exist there, VZEROUPPER
// and VZEROALL touch YMM0-7 only, VEX.W1 of VMOVD/VCVTSI2SD is ignored.
std::vector<Form> compat32_forms() {
    std::vector<Form> v;
    auto add = [&](const std::string& name, std::vector<u8> code, int mem_base = -1, unsigned mem_size = 0) {
        Form f;
        f.name = name + " [" + hex(code) + "] (32-bit)";
        f.code = std::move(code);
        f.simd = f.ymm = true;
        f.compat32 = true;
        f.opbits = 32;
        if (mem_base >= 0) f.mem_base = mem_base, f.mem_size = mem_size;
        v.push_back(f);
    };
    add("vzeroupper", {0xC5, 0xF8, 0x77});
    add("vzeroall", {0xC5, 0xFC, 0x77});
    add("vaddps ymm1,ymm2,ymm3", vex(M0F, NP, false, true, 0x58, 1, 2, R(3), {}));
    add("vxorps ymm7,ymm6,[ebx+0x10]", vex(M0F, NP, false, true, 0x57, 7, 6, M(RBX), {}), RBX, 32);
    add("vmovups ymm5,[ebx+0x10]", vex(M0F, NP, false, true, 0x10, 5, 0, M(RBX), {}), RBX, 32);
    add("vmovd xmm1,eax W1 (ignored)", vex(M0F, P66, true, false, 0x6E, 1, 0, R(0), {}));
    // Not VPEXTRD/VPINSRD with W1: the SDM (PEXTRB/PEXTRD/PEXTRQ, note 2) says VEX.W is ignored
    // outside 64-bit mode, which Vireo follows; AMD hosts raise #UD (VPEXTRQ "invalid" there).
    add("vpextrd eax,xmm2,1", vex(M3A, P66, false, false, 0x16, 2, 0, R(0), {1}));
    add("vpinsrd xmm3,xmm4,ecx,2", vex(M3A, P66, false, false, 0x22, 3, 4, R(1), {2}));
    add("vcvtsi2sd xmm1,xmm2,eax W1 (ignored)", vex(M0F, PF2, true, false, 0x2A, 1, 2, R(0), {}));
    return v;
}

TEST(NativeDiffAvx, Moves) { harness().run_all("avx moves", move_forms()); }
TEST(NativeDiffAvx, FpArith) { harness().run_all("avx fp arithmetic", fp_arith_forms()); }
TEST(NativeDiffAvx, FpApprox) { harness().run_all("avx rcp/rsqrt (within the SDM bound)", fp_approx_forms()); }
TEST(NativeDiffAvx, FpCompare) { harness().run_all("avx fp compares (32 predicates)", fp_compare_forms()); }
TEST(NativeDiffAvx, Convert) { harness().run_all("avx conversions", convert_forms()); }
TEST(NativeDiffAvx, Integer128) { harness().run_all("avx VEX.128 integer", int_forms()); }
TEST(NativeDiffAvx, Integer256) { harness().run_all("avx2 VEX.256 per-lane integer", int256_forms()); }
TEST(NativeDiffAvx, Compat32) { harness().run_all("avx in 32-bit mode", compat32_forms()); }
TEST(NativeDiffAvx, LogicShuffle) { harness().run_all("avx logic/shuffle/blend/test", logic_shuffle_forms()); }

}  // namespace
}  // namespace vireo::test::native_diff
