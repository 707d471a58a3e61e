// Native-differential test of F16C (SDM Vol. 2C VCVTPH2PS, VCVTPS2PH) and FMA3 (Vol. 2A
// VFMADD132PS ... VFMSUBADD231PD): every form runs natively and in Vireo's tier 0 from the same
// state (native_diff_harness.h), and the GPRs, flags, MXCSR, the whole YMM state and the data
// area are compared bit for bit.
//
// F16C forms: VEX.128 and VEX.256, register operands (ymm0-15 through VEX.R/B, source equal to the
// destination) and memory operands (bases RBX and R13, anywhere in the data area, across a page
// boundary in one state of eight). VCVTPS2PH runs with every imm8 rounding control (imm8[1:0],
// imm8[2] = 1: MXCSR.RC) and ignored imm8[7:3] bits. Inputs: binary16 edge values for
// VCVTPH2PS (±0, denormals, smallest/largest normals, infinities, QNaN/SNaN payloads) and for
// VCVTPS2PH binary32 values around the binary16 range (overflow, the denormal range, ties at
// the binary16 precision) plus native_diff_fp.h's edge values; MXCSR cycles through the 4
// rounding modes x DAZ x FTZ with random exception masks in one state of four (unmasked: #XM
// and nothing written, register or memory). W1 and vvvv != 1111b must be #UD on both sides.
//
// FMA3 forms: all 60 (10 operations x 132/213/231 x W0/W1), VEX.128 and VEX.256 for the packed
// ones (the scalar ones are LIG: L1 once), register operands (the destination equal to a source,
// the same register as both sources) and memory operands (page-crossing in 1 of 8). Inputs:
// operand triples from native_diff_fp.h with the addend near minus the product (cancellation),
// far below it (sticky bits), zeros, products near the underflow threshold; MXCSR as above.
//
// Environment: as native_diff_test.cc (VIREO_NATIVE_DIFF_STATES, _SEED, _FILTER, ...).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <type_traits>
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

constexpr u8 P66 = 1, M38 = 2, M3A = 3;

// VEX, three-byte C4 form (SDM Vol. 2A 2.3.5).
std::vector<u8> vex(int map, int pp, bool w, bool l, u8 op, int reg, int vvvv, const Rm& rm, const std::vector<u8>& imm) {
    const int rmr = rm.mem ? rm.base : rm.reg;
    std::vector<u8> b = {0xC4, static_cast<u8>((reg & 8 ? 0 : 0x80) | 0x40 | (rmr & 8 ? 0 : 0x20) | map),
                         static_cast<u8>((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | (l ? 4 : 0) | pp)};
    b.push_back(op);
    put_modrm(b, reg, rm);
    b.insert(b.end(), imm.begin(), imm.end());
    return b;
}

inline u64 mem_off(const Input& in, int base) { return in.gpr[base] + 0x10 - kDataAddr; }
inline u8* ymm_lane(Input& in, int r, unsigned l, unsigned n) {
    const unsigned off = l * n;
    return off < 16 ? in.fx + 160 + 16 * r + off : in.ymmh[r] + off - 16;
}

// binary16 edge values (SDM Vol. 1 Table 4-3 with 5 exponent and 10 fraction bits).
u16 gen_half(Rng& r) {
    const u16 s = static_cast<u16>((r() & 1) << 15);
    const u16 f = static_cast<u16>(r() & 0x3FF);
    switch (r() % 12) {
    case 0: return s;                                            // ±0
    case 1: return s | static_cast<u16>(1 + r() % 3);            // smallest denormals
    case 2: return s | static_cast<u16>(0x3FF - r() % 3);        // largest denormals
    case 3: return s | (f ? f : 1);                              // random denormals
    case 4: return s | static_cast<u16>(0x0400 + r() % 3);       // smallest normals
    case 5: return s | static_cast<u16>(0x7BFF - r() % 3);       // largest normals
    case 6: return s | 0x7C00;                                   // infinities
    case 7: return s | 0x7E00 | (r() % 2 ? 0 : f);               // QNaNs
    case 8: return s | 0x7C00 | ((f & 0x1FF) ? (f & 0x1FF) : 1); // SNaNs
    default: return static_cast<u16>(r());                       // anything
    }
}

// binary32 values for VCVTPS2PH: around the binary16 range and its rounding boundaries, or
// native_diff_fp.h's edge values.
u32 gen_single_for_half(Rng& r) {
    const u32 s = static_cast<u32>(r() & 1) << 31;
    u32 f = static_cast<u32>(r() & 0x7FFFFF);
    switch (r() % 8) {
    case 0: case 1: return gen_fp<u32>(r);
    case 2: f = (f & ~0x1FFFu) | (r() % 2 ? 0x1000u : 0x1000u + (r() % 2 ? 1 : -1));  // ties and neighbours
        [[fallthrough]];
    case 3: return s | (static_cast<u32>(127 - 14 - 11 + r() % 12) << 23) | f;  // the binary16 denormal range
    case 4: return s | (static_cast<u32>(127 + 14 + r() % 3) << 23) | (r() % 2 ? f : (0x7FE000u | (r() & 0x1FFF)));  // overflow
    case 5: return s | (static_cast<u32>(127 - 16 + r() % 4) << 23) | (r() % 2 ? f : (f & ~0x1FFFu) | 0x1000u);  // near the smallest normal
    default: return s | (static_cast<u32>(127 - 14 + r() % 30) << 23) | (r() % 2 ? f : (f & ~0x1FFFu) | 0x1000u);
    }
}

// Fills the source with `elems` inputs (halves: the register or memory; singles: the register),
// MXCSR from the case; a memory operand (source or destination) crosses a page in 1 of 8.
struct Src {
    int reg = -1, base = -1;
    unsigned bytes = 0;  // the memory operand's size
};
std::function<void(Input&, Rng&, unsigned)> setup(bool half, Src src, unsigned elems) {
    return [=](Input& in, Rng& r, unsigned k) {
        fx_put<u32>(in.fx, 24, fp_mxcsr(r, k));
        if (src.base >= 0 && src.bytes && k % 8 == 5) {
            const u64 boundary = 0x1000 * (2 + r() % 2);
            in.gpr[src.base] = kDataAddr + boundary - 1 - r() % (src.bytes - 1) - 0x10;
        }
        for (unsigned l = 0; l < elems; l++) {
            if (half) {
                const u16 h = gen_half(r);
                if (src.reg < 0) std::memcpy(&in.mem[mem_off(in, src.base) + 2 * l], &h, 2);
                else std::memcpy(ymm_lane(in, src.reg, l, 2), &h, 2);
            } else {
                const u32 x = gen_single_for_half(r);
                std::memcpy(ymm_lane(in, src.reg, l, 4), &x, 4);
            }
        }
    };
}

Form form(const std::string& name, std::vector<u8> code, int base, unsigned mem_size) {
    Form f;
    f.name = name + " [" + hex(code) + "]";
    f.code = std::move(code);
    f.simd = f.ymm = true;
    f.states = 512;
    if (base >= 0) f.mem_base = base, f.mem_disp = 0x10, f.mem_size = mem_size;
    return f;
}

std::string rn(bool l, int r) { return (l ? "ymm" : "xmm") + std::to_string(r); }
constexpr int kRegPairs[][2] = {{1, 2}, {9, 14}, {3, 3}, {15, 0}};
constexpr int kMemRegs[][2] = {{5, RBX}, {12, R13}};

std::vector<Form> f16c_forms() {
    std::vector<Form> v;
    for (bool l : {false, true}) {
        const unsigned n = l ? 8 : 4;
        // VCVTPH2PS xmm1/ymm1, xmm2/m64/m128.
        for (auto [d, s] : kRegPairs) {
            Form f = form("vcvtph2ps " + rn(l, d) + ",xmm" + std::to_string(s), vex(M38, P66, false, l, 0x13, d, 0, R(s), {}), -1, 0);
            f.setup = setup(true, {s, -1, 0}, n);
            v.push_back(f);
        }
        for (auto [d, b] : kMemRegs) {
            Form f = form("vcvtph2ps " + rn(l, d) + ",m" + std::to_string(16 * n) + " [" + kRegNames[b] + "]",
                          vex(M38, P66, false, l, 0x13, d, 0, M(b), {}), b, 2 * n);
            f.setup = setup(true, {-1, b, 2 * n}, n);
            v.push_back(f);
        }
        // VCVTPS2PH xmm1/m64/m128, xmm2/ymm2, imm8: every rounding control, ignored bits.
        for (u8 imm : {0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0xF9, 0xFC}) {
            const std::string ib = ",0x" + hex({imm});
            for (auto [d, s] : kRegPairs) {
                Form f = form("vcvtps2ph xmm" + std::to_string(d) + "," + rn(l, s) + ib,
                              vex(M3A, P66, false, l, 0x1D, s, 0, R(d), {imm}), -1, 0);
                f.setup = setup(false, {s, -1, 0}, n);
                v.push_back(f);
            }
            for (auto [s, b] : kMemRegs) {
                Form f = form("vcvtps2ph m" + std::to_string(16 * n) + " [" + kRegNames[b] + "]," + rn(l, s) + ib,
                              vex(M3A, P66, false, l, 0x1D, s, 0, M(b), {imm}), b, 2 * n);
                f.setup = setup(false, {s, b, 2 * n}, n);
                v.push_back(f);
            }
        }
        // Reserved encodings (SDM Vol. 2A 2.3.6; the pages give W0 only): #UD on both sides.
        auto ud = [&](const std::string& name, std::vector<u8> code) {
            Form f = form("#UD " + name, std::move(code), -1, 0);
            f.states = 16;
            v.push_back(f);
        };
        ud("vcvtph2ps W1 " + rn(l, 1), vex(M38, P66, true, l, 0x13, 1, 0, R(2), {}));
        ud("vcvtph2ps vvvv!=1111 " + rn(l, 1), vex(M38, P66, false, l, 0x13, 1, 5, R(2), {}));
        ud("vcvtps2ph W1 " + rn(l, 1), vex(M3A, P66, true, l, 0x1D, 1, 0, R(2), {0}));
        ud("vcvtps2ph vvvv!=1111 " + rn(l, 1), vex(M3A, P66, false, l, 0x1D, 1, 7, R(2), {0}));
    }
    return v;
}

// FMA inputs: operand triples (factor, factor, addend) from the edge generator, with the
// addend often near minus the product (cancellation: the exact product matters), far below it
// (sticky bits), zero, or with the product in the underflow range.
template <typename B>
void gen_fma_triple(Rng& r, B& a, B& b, B& c) {
    using Fl = std::conditional_t<sizeof(B) == 4, float, double>;
    gen_fp_pair<B>(r, a, b);
    c = gen_fp<B>(r);
    constexpr int F = FpFmt<B>::F, bias = FpFmt<B>::bias;
    const Fl fa = std::bit_cast<Fl>(a), fb = std::bit_cast<Fl>(b);
    switch (r() % 8) {
    case 0: case 1: case 2: {  // c = -(a * b) rounded, and neighbours
        const long double p = static_cast<long double>(fa) * fb;
        const Fl q = static_cast<Fl>(r() % 2 ? -p : p);
        if (std::isfinite(q)) c = static_cast<B>(std::bit_cast<B>(q) + (r() % 5) - 2);
        break;
    }
    case 3: {  // c far below the product
        const u64 ea = (a >> F) & FpFmt<B>::emax, eb = (b >> F) & FpFmt<B>::emax;
        const i64 ec = static_cast<i64>(ea + eb) - bias - static_cast<i64>(r() % (2 * F + 8));
        if (ec > 0 && ec < static_cast<i64>(FpFmt<B>::emax)) c = fp_make<B>(r() & 1, static_cast<u64>(ec), r());
        break;
    }
    case 4: c = r() % 2 ? fp_make<B>(r() & 1, 0, 0) : c; if (r() % 2) a = fp_make<B>(r() & 1, 0, 0); break;
    case 5: {  // the product near the smallest normal, c small too
        const int e1 = static_cast<int>(r() % bias);
        const int e2 = 1 + static_cast<int>(r() % 3) - e1 + (r() % 2 ? 0 : -static_cast<int>(r() % (F + 2)));
        if (e1 + bias > 0 && e2 + bias > 0) {
            a = fp_make<B>(r() & 1, static_cast<u64>(e1 + bias), r());
            b = fp_make<B>(r() & 1, static_cast<u64>(e2 + bias), r());
            c = fp_make<B>(r() & 1, r() % 3, r());
        }
        break;
    }
    default: break;
    }
}

// Operand roles (factor, factor, addend) of the 132/213/231 orders in instruction order
// (src1 = the destination, src2 = VEX.vvvv, src3 = r/m): SDM Vol. 2A VFMADD132PS.
constexpr unsigned kFmaRoles[3][3] = {{0, 2, 1}, {1, 0, 2}, {1, 2, 0}};

struct FmaOp {
    const char* name;
    u8 op132;     // 213: +0x10, 231: +0x20
    bool scalar;
};

std::vector<Form> fma_forms() {
    static constexpr FmaOp kOps[] = {
        {"vfmaddsub", 0x96, false}, {"vfmsubadd", 0x97, false}, {"vfmadd", 0x98, false}, {"vfmadd", 0x99, true},
        {"vfmsub", 0x9A, false},    {"vfmsub", 0x9B, true},     {"vfnmadd", 0x9C, false}, {"vfnmadd", 0x9D, true},
        {"vfnmsub", 0x9E, false},   {"vfnmsub", 0x9F, true},
    };
    static constexpr const char* kOrder[] = {"132", "213", "231"};
    static constexpr int kRegs[][3] = {{1, 2, 3}, {9, 14, 15}, {4, 4, 5}, {6, 7, 6}, {0, 8, 8}};
    static constexpr int kMems[][3] = {{5, 6, RBX}, {12, 13, R13}};
    std::vector<Form> v;
    for (const FmaOp& op : kOps)
        for (unsigned ord = 0; ord < 3; ord++)
            for (bool w : {false, true})
                for (bool l : {false, true}) {
                    const unsigned n = w ? 8 : 4;
                    const unsigned lanes = op.scalar ? 1 : (l ? 32 : 16) / n;
                    const std::string name = std::string(op.name) + kOrder[ord] + (op.scalar ? (w ? "sd" : "ss") : (w ? "pd" : "ps"));
                    const u8 opc = static_cast<u8>(op.op132 + 0x10 * ord);
                    const bool lregs = !op.scalar || !l;  // scalar: LIG, the L1 encoding once
                    auto make = [&](int d, int s2, const Rm& rm, const std::string& ops) {
                        Form f = form(name + " " + ops, vex(M38, P66, w, l, opc, d, s2, rm, {}), rm.mem ? rm.base : -1, lanes * n);
                        f.states = 256;
                        const int s3 = rm.mem ? -1 : rm.reg, base = rm.mem ? rm.base : -1;
                        f.setup = [=](Input& in, Rng& r, unsigned k) {
                            fx_put<u32>(in.fx, 24, fp_mxcsr(r, k));
                            if (base >= 0 && k % 8 == 5) {
                                const u64 boundary = 0x1000 * (2 + r() % 2);
                                in.gpr[base] = kDataAddr + boundary - 1 - r() % (lanes * n - 1) - 0x10;
                            }
                            for (int reg = 0; reg < 16; reg++)
                                for (unsigned i = 0; i < 32 / n; i++) {
                                    const u64 x = n == 4 ? gen_fp<u32>(r) : gen_fp<u64>(r);
                                    std::memcpy(ymm_lane(in, reg, i, n), &x, n);
                                }
                            for (unsigned i = 0; i < lanes; i++) {
                                u64 t[3], x[3];
                                if (n == 4) {
                                    u32 a, b, c;
                                    gen_fma_triple<u32>(r, a, b, c);
                                    t[0] = a, t[1] = b, t[2] = c;
                                } else {
                                    gen_fma_triple<u64>(r, t[0], t[1], t[2]);
                                }
                                for (unsigned j = 0; j < 3; j++) x[kFmaRoles[ord][j]] = t[j];
                                std::memcpy(ymm_lane(in, d, i, n), &x[0], n);
                                std::memcpy(ymm_lane(in, s2, i, n), &x[1], n);
                                if (base >= 0) std::memcpy(&in.mem[mem_off(in, base) + i * n], &x[2], n);
                                else std::memcpy(ymm_lane(in, s3, i, n), &x[2], n);
                            }
                        };
                        v.push_back(f);
                    };
                    const bool sl = op.scalar;
                    auto nm = [&](int x) { return sl ? "xmm" + std::to_string(x) : rn(l, x); };
                    for (auto& t : kRegs) {
                        if (!lregs && t[0] != 9) continue;
                        make(t[0], t[1], R(t[2]), nm(t[0]) + "," + nm(t[1]) + "," + nm(t[2]));
                    }
                    if (lregs)
                        for (auto& t : kMems)
                            make(t[0], t[1], M(t[2]), nm(t[0]) + "," + nm(t[1]) + ",m" + std::to_string(8 * lanes * n) + " [" + kRegNames[t[2]] + "]");
                }
    // Reserved: none for FMA3 (W selects the type, vvvv is an operand); a 66 prefix before VEX.
    {
        std::vector<u8> c = {0x66};
        auto b = vex(M38, P66, false, false, 0x98, 1, 2, R(3), {});
        c.insert(c.end(), b.begin(), b.end());
        Form f = form("#UD 66 before VEX vfmadd132ps", c, -1, 0);
        f.states = 16;
        v.push_back(f);
    }
    return v;
}

TEST(NativeDiffF16cFma, Fma) { harness().run_all("fma3", fma_forms()); }
TEST(NativeDiffF16cFma, F16c) { harness().run_all("f16c (vcvtph2ps, vcvtps2ph)", f16c_forms()); }

}  // namespace
}  // namespace vireo::test::native_diff
