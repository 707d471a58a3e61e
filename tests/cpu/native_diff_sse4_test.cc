// Native-differential test of SSE3, SSSE3, SSE4.1 and SSE4.2 (legacy encodings; the SSSE3 forms
// on MMX registers too): every form runs natively and in Vireo's tier 0 from the same state
// (native_diff_harness.h, as native_diff_test.cc), and all GPRs, the defined flags, MXCSR, the
// XMM registers, the x87/MMX state and the data area are compared bit for bit.
//
// Inputs: the harness's edge-biased XMM values and memory operands (signed/unsigned extremes per
// lane width); for the floating-point forms (ADDSUB*, HADD*/HSUB*, ROUND*, DPPS/DPPD) the
// operands come from the edge-biased FP generator (native_diff_fp.h: ±0, denormals, infinities,
// QNaN/SNaN payloads, rounding boundaries) and MXCSR cycles through the 4 rounding modes x DAZ x
// FTZ with random exception masks in one state of four (unmasked exceptions: #XM with the
// destination unchanged). PCMPxSTRx run every imm8[6:0] (4 aggregations x 4 formats x 4
// polarities x index/mask selection) on strings with embedded nulls, matching substrings and
// ranges, and explicit lengths in and out of range (negative, 2^31, 64-bit values with REX.W).
// Memory forms that require 16-byte alignment are misaligned in one state of eight (#GP(0));
// the others take operands anywhere, page-crossing included.
//
// The CPUID gate (#UD when the feature is absent) cannot be shown natively; it is checked on
// the Vireo side alone (Sse4Tier0Only below).
//
// Environment: as native_diff_test.cc (VIREO_NATIVE_DIFF_STATES, _SEED, _FILTER, ...).
#include <gtest/gtest.h>

#include <array>
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
// Encoding and form helpers. op: the opcode bytes after 0F ({0x38, xx}, {0x3A, xx} or {xx}).
Enc xenc(u8 pfx, std::vector<u8> op, int reg, Rm rm, std::vector<u8> imm = {}, bool w = false) {
    Enc e;
    if (pfx) e.pre = {pfx};
    e.op = {0x0F};
    e.op.insert(e.op.end(), op.begin(), op.end());
    e.reg = reg;
    e.rm = rm;
    e.imm = std::move(imm);
    e.w = w;
    return e;
}
Form simd_form(const std::string& name, const Enc& e, unsigned mem_size, unsigned align) {
    Form f;
    f.name = name;
    f.code = encode(e);
    f.opbits = 64;
    f.simd = true;
    if (e.rm.mem) {
        f.mem_base = e.rm.base;
        f.mem_disp = e.rm.disp;
        f.mem_size = mem_size;
        f.mem_align = align;
    }
    return f;
}
std::string opname(u8 pfx, const std::vector<u8>& op, const std::vector<u8>& imm) {
    std::string s = pfx == 0x66 ? "66 " : pfx == 0xF3 ? "F3 " : pfx == 0xF2 ? "F2 " : "NP ";
    s += "0F " + hex(op);
    if (!imm.empty()) s += " ib=" + hex(imm);
    return s;
}

using Setup = std::function<void(Input&, Rng&, unsigned)>;
// A setup per (reg, rm register or -1, memory base or -1).
using SetupFor = std::function<Setup(int reg, int rm, int base)>;

// xmm,xmm/m forms: four register pairs (REX.R/REX.B, the same register on both sides, xmm0 as
// a source) and two memory forms (bases RBX and R13).
constexpr std::pair<int, int> kXmmPairs[] = {{1, 2}, {9, 14}, {3, 3}, {15, 0}};
constexpr std::pair<int, int> kXmmMem[] = {{5, 3}, {12, 13}};

struct RmOpts {
    unsigned mem_size = 16, align = 16;
    std::vector<u8> imm;
    SetupFor setup;
    unsigned states = 0;
    bool regs = true, mems = true;
    bool w = false;
};
void add_rm(std::vector<Form>& v, const std::string& name, u8 pfx, std::vector<u8> op, const RmOpts& o) {
    const std::string on = opname(pfx, op, o.imm) + (o.w ? " W1" : "");
    if (o.regs)
        for (auto [reg, rm] : kXmmPairs) {
            Form f = simd_form(name + " xmm" + std::to_string(reg) + ",xmm" + std::to_string(rm) + " [" + on + "]",
                               xenc(pfx, op, reg, R(rm), o.imm, o.w), 0, 0);
            if (o.setup) f.setup = o.setup(reg, rm, -1);
            f.states = o.states;
            v.push_back(f);
        }
    if (o.mems)
        for (auto [reg, base] : kXmmMem) {
            Form f = simd_form(name + " xmm" + std::to_string(reg) + ",m" + std::to_string(o.mem_size * 8) + " [" +
                                   kRegNames[base] + "] [" + on + "]",
                               xenc(pfx, op, reg, M(base), o.imm, o.w), o.mem_size, o.align);
            if (o.setup) f.setup = o.setup(reg, -1, base);
            f.states = o.states;
            v.push_back(f);
        }
}

// The memory operand's offset in the data area (valid inside a setup: the harness has placed it).
inline u64 mem_off(const Input& in, int base) { return in.gpr[base] + 0x10 - kDataAddr; }
inline u8* xmm_in(Input& in, int r) { return in.fx + 160 + 16 * r; }
// Write 16 bytes to the source operand (register rm, or memory at [base + 0x10], as many bytes
// as the operand has).
inline void put_src(Input& in, int rm, int base, const u8* v, unsigned bytes) {
    if (rm >= 0) std::memcpy(xmm_in(in, rm), v, 16);
    else std::memcpy(&in.mem[mem_off(in, base)], v, bytes);
}

// ------------------------------------------------------------------------------------------
// Floating-point setup: every XMM lane edge-biased FP of type B, MXCSR by fp_mxcsr(k). Pairs
// made to interact (gen_fp_pair): vertical (dst[i], src[i]) for ADDSUB/DP, or horizontal
// (x[2i], x[2i+1]) within each operand for HADD/HSUB.
template <typename B>
SetupFor fp_setup(bool horizontal, unsigned mem_bytes = 16) {
    return [=](int reg, int rm, int base) -> Setup {
        return [=](Input& in, Rng& r, unsigned k) {
            fx_put<u32>(in.fx, 24, fp_mxcsr(r, k));
            for (unsigned i = 0; i < 16; i++)
                for (unsigned l = 0; l < 16 / sizeof(B); l++)
                    fx_put<B>(in.fx, 160 + 16 * i + l * sizeof(B), gen_fp<B>(r));
            alignas(16) u8 d[16], s[16];
            std::memcpy(d, xmm_in(in, reg), 16);
            constexpr unsigned n = 16 / sizeof(B);
            for (unsigned l = 0; l < n; l++) {
                B a, b;
                gen_fp_pair<B>(r, a, b);
                if (horizontal) {
                    u8* x = l < n / 2 ? d : s;            // the pair's operand
                    const unsigned j = 2 * (l % (n / 2));  // and its first element
                    std::memcpy(x + j * sizeof(B), &a, sizeof(B));
                    std::memcpy(x + (j + 1) * sizeof(B), &b, sizeof(B));
                } else {
                    std::memcpy(d + l * sizeof(B), &a, sizeof(B));
                    std::memcpy(s + l * sizeof(B), &b, sizeof(B));
                }
            }
            std::memcpy(xmm_in(in, reg), d, 16);
            if (rm != reg) put_src(in, rm, base, s, mem_bytes);
        };
    };
}

// ------------------------------------------------------------------------------------------
// SSE3.
std::vector<Form> sse3_forms() {
    std::vector<Form> v;
    RmOpts fp;
    fp.states = 2048;
    fp.setup = fp_setup<u32>(false);
    add_rm(v, "addsubps", 0xF2, {0xD0}, fp);
    fp.setup = fp_setup<u64>(false);
    add_rm(v, "addsubpd", 0x66, {0xD0}, fp);
    fp.setup = fp_setup<u32>(true);
    add_rm(v, "haddps", 0xF2, {0x7C}, fp);
    add_rm(v, "hsubps", 0xF2, {0x7D}, fp);
    fp.setup = fp_setup<u64>(true);
    add_rm(v, "haddpd", 0x66, {0x7C}, fp);
    add_rm(v, "hsubpd", 0x66, {0x7D}, fp);
    RmOpts mv;
    add_rm(v, "movsldup", 0xF3, {0x12}, mv);
    add_rm(v, "movshdup", 0xF3, {0x16}, mv);
    mv.mem_size = 8, mv.align = 0;
    add_rm(v, "movddup", 0xF2, {0x12}, mv);
    RmOpts ld;
    ld.regs = false, ld.align = 0;
    add_rm(v, "lddqu", 0xF2, {0xF0}, ld);
    return v;
}

// ------------------------------------------------------------------------------------------
// SSSE3: XMM forms (66 0F 38 xx) and MMX forms (NP 0F 38 xx); PALIGNR (0F 3A 0F) with a range
// of byte counts.
struct Ssse3Op {
    const char* name;
    u8 op;
};
constexpr Ssse3Op kSsse3[] = {{"pshufb", 0x00}, {"phaddw", 0x01}, {"phaddd", 0x02}, {"phaddsw", 0x03},
                              {"pmaddubsw", 0x04}, {"phsubw", 0x05}, {"phsubd", 0x06}, {"phsubsw", 0x07},
                              {"psignb", 0x08}, {"psignw", 0x09}, {"psignd", 0x0A}, {"pmulhrsw", 0x0B},
                              {"pabsb", 0x1C}, {"pabsw", 0x1D}, {"pabsd", 0x1E}};
constexpr u8 kAlignrCounts[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 100, 255};

// MMX state (as native_diff_test.cc's MMX forms): random x87 control/status/tags and register
// contents, edge-biased element values in half the registers, the pending x87 exception cleared
// in 3 states of 4 (else #MF). The whole x87 state is compared (TOP = 0, tags valid, exponent
// fields FFFFH after a write: SDM Vol. 1 Table 9-3).
void mmx_setup(Input& in, Rng& r) {
    for (unsigned i = 0; i < 8; i++)
        if (r() & 1) {
            u8 tmp[16];
            gen_vec(r, tmp);
            std::memcpy(in.fx + 32 + 16 * i, tmp, 8);
        }
    if (r() % 4 == 0) return;
    u16 fsw = fx_get<u16>(in.fx, 2);
    const u16 fcw = fx_get<u16>(in.fx, 0);
    fsw = static_cast<u16>(fsw & ~(0x8080 | (~fcw & 0x3F)));
    std::memcpy(in.fx + 2, &fsw, 2);
    std::memset(in.fx + 6, 0, 18);  // FOP/FIP/FDP: AMD saves them only with ES set
}
// mm,mm/m64: REX.R/REX.B are ignored for MMX registers (9 -> mm1, 10 -> mm2).
constexpr std::pair<int, int> kMmPairs[] = {{1, 2}, {3, 3}, {7, 0}, {9, 10}};
constexpr std::pair<int, int> kMmMem[] = {{5, 3}, {4, 13}};
void add_mm(std::vector<Form>& v, const std::string& name, std::vector<u8> op, std::vector<u8> imm = {}) {
    auto fin = [](Form f) {
        f.x87 = true;
        f.random_x87 = true;
        f.setup = [](Input& in, Rng& r, unsigned) { mmx_setup(in, r); };
        return f;
    };
    const std::string on = opname(0, op, imm);
    for (auto [reg, rm] : kMmPairs)
        v.push_back(fin(simd_form(name + " mm" + std::to_string(reg) + ",mm" + std::to_string(rm) + " [" + on + "]",
                                  xenc(0, op, reg, R(rm), imm), 0, 0)));
    for (auto [reg, base] : kMmMem)
        v.push_back(fin(simd_form(name + " mm" + std::to_string(reg) + ",m64 [" + kRegNames[base] + "] [" + on + "]",
                                  xenc(0, op, reg, M(base), imm), 8, 0)));
}

// PSHUFB controls: mostly in-range indices, some with bit 7 set, some with bits 6:4 set
// (ignored), so the shuffle is exercised and not just zeroing.
SetupFor pshufb_setup(unsigned mem_bytes) {
    return [=](int, int rm, int base) -> Setup {
        return [=](Input& in, Rng& r, unsigned) {
            if (rm < 0 && base < 0) return;
            alignas(16) u8 ctl[16];
            for (auto& b : ctl) {
                const unsigned k = r() % 8;
                b = static_cast<u8>(k == 0 ? (r() | 0x80) : k == 1 ? r() & 0x7F : r() & 0x0F);
            }
            put_src(in, rm, base, ctl, mem_bytes);
        };
    };
}

std::vector<Form> ssse3_forms() {
    std::vector<Form> v;
    for (const Ssse3Op& o : kSsse3) {
        RmOpts x;
        if (o.op == 0x00) x.setup = pshufb_setup(16);
        add_rm(v, o.name, 0x66, {0x38, o.op}, x);
        add_mm(v, o.name, {0x38, o.op});
    }
    for (u8 n : kAlignrCounts) {
        RmOpts x;
        x.imm = {n};
        add_rm(v, "palignr", 0x66, {0x3A, 0x0F}, x);
        add_mm(v, "palignr", {0x3A, 0x0F}, {n});
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// SSE4.1 integer, blends, extract/insert; SSE4.2 PCMPGTQ.
std::vector<Form> sse41_int_forms() {
    std::vector<Form> v;
    struct Op {
        const char* name;
        u8 op;
    };
    static constexpr Op kBin[] = {{"pblendvb", 0x10}, {"blendvps", 0x14}, {"blendvpd", 0x15}, {"ptest", 0x17},
                                  {"pmuldq", 0x28},   {"pcmpeqq", 0x29},  {"packusdw", 0x2B}, {"pcmpgtq", 0x37},
                                  {"pminsb", 0x38},   {"pminsd", 0x39},   {"pminuw", 0x3A},   {"pminud", 0x3B},
                                  {"pmaxsb", 0x3C},   {"pmaxsd", 0x3D},   {"pmaxuw", 0x3E},   {"pmaxud", 0x3F},
                                  {"pmulld", 0x40},   {"phminposuw", 0x41}};
    for (const Op& o : kBin) {
        RmOpts x;
        if (o.op == 0x17 || o.op == 0x29 || o.op == 0x37) x.states = 512;
        add_rm(v, o.name, 0x66, {0x38, o.op}, x);
    }
    // PTEST with related operands (equal, complementary, disjoint) so ZF/CF = 1 happen.
    {
        RmOpts x;
        x.setup = [](int reg, int rm, int base) -> Setup {
            return [=](Input& in, Rng& r, unsigned) {
                alignas(16) u8 s[16];
                const u8* d = xmm_in(in, reg);
                const unsigned k = r() % 4;
                for (unsigned i = 0; i < 16; i++)
                    s[i] = static_cast<u8>(k == 0 ? d[i] : k == 1 ? ~d[i] : k == 2 ? d[i] & r() : ~d[i] & r());
                if (rm != reg) put_src(in, rm, base, s, 16);
            };
        };
        add_rm(v, "ptest related", 0x66, {0x38, 0x17}, x);
    }
    // PMOVSX/PMOVZX: the memory operand is only as wide as what is extended (no alignment).
    static constexpr struct { const char* name; u8 op; unsigned bytes; } kMovx[] = {
        {"pmovsxbw", 0x20, 8}, {"pmovsxbd", 0x21, 4}, {"pmovsxbq", 0x22, 2}, {"pmovsxwd", 0x23, 8},
        {"pmovsxwq", 0x24, 4}, {"pmovsxdq", 0x25, 8}, {"pmovzxbw", 0x30, 8}, {"pmovzxbd", 0x31, 4},
        {"pmovzxbq", 0x32, 2}, {"pmovzxwd", 0x33, 8}, {"pmovzxwq", 0x34, 4}, {"pmovzxdq", 0x35, 8}};
    for (const auto& m : kMovx) {
        RmOpts x;
        x.mem_size = m.bytes, x.align = 0;
        add_rm(v, m.name, 0x66, {0x38, m.op}, x);
    }
    {
        RmOpts x;
        x.regs = false;
        add_rm(v, "movntdqa", 0x66, {0x38, 0x2A}, x);
    }
    // Immediate forms.
    for (u8 imm : {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xF8, 0xFF}) {
        RmOpts x;
        x.imm = {imm};
        add_rm(v, "mpsadbw", 0x66, {0x3A, 0x42}, x);
    }
    for (u8 imm : {0x00, 0xFF, 0xA5, 0x5A, 0x01, 0x80, 0x3C, 0xC3}) {
        RmOpts x;
        x.imm = {imm};
        add_rm(v, "pblendw", 0x66, {0x3A, 0x0E}, x);
        add_rm(v, "blendps", 0x66, {0x3A, 0x0C}, x);
        add_rm(v, "blendpd", 0x66, {0x3A, 0x0D}, x);
    }
    // PEXTRB/W/D/Q and EXTRACTPS to a GPR (ModRM.rm) or memory; the element index is imm8 mod
    // the element count (high imm8 bits ignored).
    struct Ext {
        const char* name;
        u8 op;
        unsigned bytes;
        bool w;
    };
    static constexpr Ext kExt[] = {{"pextrb", 0x14, 1, false}, {"pextrw", 0x15, 2, false}, {"pextrd", 0x16, 4, false},
                                   {"pextrq", 0x16, 8, true},  {"extractps", 0x17, 4, false},
                                   {"extractps W1", 0x17, 4, true}, {"pextrb W1", 0x14, 1, true}};
    for (const Ext& e : kExt)
        for (u8 imm : {0, 1, 2, 3, 5, 7, 9, 15, 0x13, 0xFE}) {
            const std::string nm = std::string(e.name) + " imm=" + std::to_string(imm);
            v.push_back(simd_form(nm + " r9,xmm3", xenc(0x66, {0x3A, e.op}, 3, R(9), {imm}, e.w), 0, 0));
            v.push_back(simd_form(nm + " rax,xmm12", xenc(0x66, {0x3A, e.op}, 12, R(0), {imm}, e.w), 0, 0));
            v.push_back(simd_form(nm + " m,xmm5 [rbx]", xenc(0x66, {0x3A, e.op}, 5, M(3), {imm}, e.w), e.bytes, 0));
        }
    // PINSRB/D/Q from a GPR or memory; INSERTPS from xmm or m32 (imm8 selects source, target
    // and the zero mask).
    struct Ins {
        const char* name;
        u8 op;
        unsigned bytes;
        bool w;
    };
    static constexpr Ins kIns[] = {{"pinsrb", 0x20, 1, false}, {"pinsrd", 0x22, 4, false}, {"pinsrq", 0x22, 8, true},
                                   {"pinsrb W1", 0x20, 1, true}};
    for (const Ins& e : kIns)
        for (u8 imm : {0, 1, 2, 3, 5, 7, 9, 15, 0x13, 0xFE}) {
            const std::string nm = std::string(e.name) + " imm=" + std::to_string(imm);
            v.push_back(simd_form(nm + " xmm3,r9", xenc(0x66, {0x3A, e.op}, 3, R(9), {imm}, e.w), 0, 0));
            v.push_back(simd_form(nm + " xmm12,rax", xenc(0x66, {0x3A, e.op}, 12, R(0), {imm}, e.w), 0, 0));
            v.push_back(simd_form(nm + " xmm5,m [r13]", xenc(0x66, {0x3A, e.op}, 5, M(13), {imm}, e.w), e.bytes, 0));
        }
    for (u8 imm : {0x00, 0x10, 0x20, 0x30, 0x40, 0x80, 0xC0, 0x0F, 0x1E, 0x5A, 0x9C, 0xE1, 0x33, 0xFF}) {
        RmOpts x;
        x.imm = {imm};
        x.mem_size = 4, x.align = 0;
        add_rm(v, "insertps", 0x66, {0x3A, 0x21}, x);
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// SSE4.1 floating point: ROUND* under every imm8[3:0] (mode, MXCSR.RC select, precision
// suppression) with imm8[7:4] ignored, DPPS/DPPD with product and result masks.
std::vector<Form> sse41_fp_forms() {
    std::vector<Form> v;
    std::vector<u8> round_imms;
    for (u8 i = 0; i < 16; i++) round_imms.push_back(i);
    round_imms.push_back(0xF4);
    round_imms.push_back(0x39);
    for (u8 imm : round_imms) {
        RmOpts x;
        x.imm = {imm};
        x.states = 512;
        x.setup = fp_setup<u32>(false);
        add_rm(v, "roundps", 0x66, {0x3A, 0x08}, x);
        x.setup = fp_setup<u64>(false);
        add_rm(v, "roundpd", 0x66, {0x3A, 0x09}, x);
        x.mem_size = 4, x.align = 0;
        x.setup = fp_setup<u32>(false, 4);
        add_rm(v, "roundss", 0x66, {0x3A, 0x0A}, x);
        x.mem_size = 8;
        x.setup = fp_setup<u64>(false, 8);
        add_rm(v, "roundsd", 0x66, {0x3A, 0x0B}, x);
    }
    for (u8 imm : {0xFF, 0xF1, 0x31, 0x7F, 0x55, 0xA3, 0x00, 0x0F, 0xF0, 0x13, 0x8E, 0x33}) {
        RmOpts x;
        x.imm = {imm};
        x.states = 1024;
        x.setup = fp_setup<u32>(false);
        add_rm(v, "dpps", 0x66, {0x3A, 0x40}, x);
        x.setup = fp_setup<u64>(false);
        add_rm(v, "dppd", 0x66, {0x3A, 0x41}, x);
    }
    // DPPS/DPPD step by step: an unmasked exception in the products faults with the products'
    // flags only, even when the sums would raise another (here an overflowing product next to
    // an infinite one of the other sign: inf + -inf would be invalid).
    for (u8 imm : {0xFF, 0x33}) {
        RmOpts x;
        x.imm = {imm};
        x.states = 512;
        x.mems = false;
        x.setup = [](int reg, int rm, int) -> Setup {
            return [=](Input& in, Rng& r, unsigned k) {
                fp_setup<u32>(false)(reg, rm, -1)(in, r, k);
                u8* d = xmm_in(in, reg);
                u8* s = xmm_in(in, rm);
                const u32 big = 0x7E000000u | static_cast<u32>(r() & 0x7FFFFF);  // ~2^125: the square overflows
                const u32 inf = r() & 1 ? 0xFF800000u : 0x7F800000u, one = 0x3F800000u;
                fx_put<u32>(d, 0, inf), fx_put<u32>(s, 0, one);
                fx_put<u32>(d, 4, big), fx_put<u32>(s, 4, big ^ (r() & 1 ? 0x80000000u : 0));
                u32 m = fx_get<u32>(in.fx, 24) | 0x1F80;                         // masked...
                if (r() % 4) m &= ~static_cast<u32>(r() & 0x1F80);                  // ...or not
                fx_put<u32>(in.fx, 24, m);
            };
        };
        add_rm(v, "dpps staged exceptions", 0x66, {0x3A, 0x40}, x);
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// SSE4.2 string compares. Strings: elements from a small alphabet (so equal-any, ranges and
// substring matches happen) with nulls sprinkled in, or fully random, or operand 2 built from
// operand 1 (a shifted copy: equal-each and equal-ordered hits); explicit lengths in range, out
// of range, negative, around 2^31 and with random upper halves (REX.W uses all 64 bits).
u64 gen_len(Rng& r) {
    switch (r() % 10) {
    case 0: return 0 - (r() % 20);                                           // negative (|x| counts)
    case 1: return 0x80000000ull + (r() % 3) - 1;                          // around 2^31
    case 2: return (r() << 32) | (r() % 20);                                // upper half random
    case 3: return r();                                                     // anything
    case 4: return 0xFFFFFFFF00000000ull | (r() % 20);                      // negative as 64 bits
    case 5: return static_cast<u32>(0 - (r() % 20));                        // negative as 32 bits only
    default: return r() % 20;                                               // 0..19
    }
}
void gen_string(Rng& r, u8* s, unsigned esz, unsigned kind) {
    static constexpr u16 kAlpha[] = {'a', 'b', 'c', 'z', 0x7F, 0x80, 0xFF, 0x8000, 0x7FFF, 0xFFFF, 1};
    const unsigned n = 16 / esz;
    for (unsigned i = 0; i < n; i++) {
        u16 e;
        if (kind == 0) e = static_cast<u16>(r());
        else if (r() % 10 == 0) e = 0;
        else e = kAlpha[r() % (kind == 1 ? 4 : 11)] + static_cast<u16>(kind == 3 ? r() % 3 : 0);
        std::memcpy(s + i * esz, &e, esz);
    }
}
SetupFor str_setup(u8 imm) {
    const unsigned esz = (imm & 1) ? 2 : 1;
    return [=](int reg, int rm, int base) -> Setup {
        return [=](Input& in, Rng& r, unsigned) {
            alignas(16) u8 a[16], b[16];
            const unsigned kind = r() % 4;
            gen_string(r, a, esz, kind);
            gen_string(r, b, esz, kind);
            if (r() % 3 == 0) {  // b contains a (or a prefix of it) at some offset
                const unsigned sh = static_cast<unsigned>(r() % 16) & ~(esz - 1);
                std::memcpy(b + sh, a, 16 - sh);
            }
            if (r() % 8 == 0) std::memcpy(b, a, 16);
            std::memcpy(xmm_in(in, reg), a, 16);
            if (rm != reg) put_src(in, rm, base, b, 16);
            in.gpr[RAX] = gen_len(r);
            in.gpr[RDX] = gen_len(r);
        };
    };
}
std::vector<Form> sse42_string_forms() {
    std::vector<Form> v;
    static constexpr struct { const char* name; u8 op; } kStr[] = {
        {"pcmpestrm", 0x60}, {"pcmpestri", 0x61}, {"pcmpistrm", 0x62}, {"pcmpistri", 0x63}};
    for (const auto& s : kStr) {
        const bool expl = !(s.op & 2);
        for (unsigned imm = 0; imm < 128; imm++) {
            const u8 ib = static_cast<u8>(imm);
            const std::string nm = std::string(s.name) + " imm=" + hex({ib});
            // One register pair per imm8 (rotating), the memory form for every fourth.
            const auto [reg, rm] = kXmmPairs[imm % 4];
            Form f = simd_form(nm + " xmm" + std::to_string(reg) + ",xmm" + std::to_string(rm),
                               xenc(0x66, {0x3A, s.op}, reg, R(rm), {ib}), 0, 0);
            f.setup = str_setup(ib)(reg, rm, -1);
            f.states = 256;
            v.push_back(f);
            if (imm % 4 == 1) {
                Form m = simd_form(nm + " xmm12,m128 [r13]", xenc(0x66, {0x3A, s.op}, 12, M(13), {ib}), 16, 0);
                m.setup = str_setup(ib)(12, -1, 13);
                m.states = 256;
                v.push_back(m);
            }
            if (expl && imm % 8 == 3) {  // REX.W: 64-bit lengths
                Form w = simd_form(nm + " W1 xmm2,xmm7", xenc(0x66, {0x3A, s.op}, 2, R(7), {ib}, true), 0, 0);
                w.setup = str_setup(ib)(2, 7, -1);
                w.states = 256;
                v.push_back(w);
            }
        }
        // imm8[7] is reserved: ignored by the legacy forms.
        for (u8 ib : {0x80, 0xCC, 0xB5, 0xFF}) {
            Form f = simd_form(std::string(s.name) + " imm=" + hex({ib}) + " xmm1,xmm2",
                               xenc(0x66, {0x3A, s.op}, 1, R(2), {ib}), 0, 0);
            f.setup = str_setup(ib)(1, 2, -1);
            v.push_back(f);
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// 32-bit code (compatibility mode): the GPR forms' zero-extension and the 32-bit lengths.
std::vector<Form> compat32_forms() {
    std::vector<Form> v;
    auto add = [&](const std::string& name, std::vector<u8> code, int mem_base = -1, unsigned mem_size = 0) {
        Form f;
        f.name = name + " (32-bit)";
        f.code = std::move(code);
        f.compat32 = true;
        f.simd = true;
        f.opbits = 32;
        if (mem_base >= 0) f.mem_base = mem_base, f.mem_size = mem_size, f.mem_disp = 0x10;
        v.push_back(f);
    };
    add("pshufb xmm1,xmm2", {0x66, 0x0F, 0x38, 0x00, 0xCA});
    add("pshufb mm1,mm2", {0x0F, 0x38, 0x00, 0xCA});
    add("pextrd ecx,xmm3,2", {0x66, 0x0F, 0x3A, 0x16, 0xD9, 0x02});
    add("pinsrd xmm3,ecx,1", {0x66, 0x0F, 0x3A, 0x22, 0xD9, 0x01});
    add("pcmpestri xmm1,xmm2,0x0C", {0x66, 0x0F, 0x3A, 0x61, 0xCA, 0x0C});
    add("pcmpistrm xmm1,[ebx+0x10],0x44", {0x66, 0x0F, 0x3A, 0x62, 0x4B, 0x10, 0x44}, 3, 16);
    add("ptest xmm1,xmm2", {0x66, 0x0F, 0x38, 0x17, 0xCA});
    add("lddqu xmm1,[ebx+0x10]", {0xF2, 0x0F, 0xF0, 0x4B, 0x10}, 3, 16);
    return v;
}

TEST(NativeDiffSse4, Sse3) { harness().run_all("sse3", sse3_forms()); }
TEST(NativeDiffSse4, Ssse3) { harness().run_all("ssse3 (xmm and mm)", ssse3_forms()); }
TEST(NativeDiffSse4, Sse41Integer) {
    harness().run_all("sse4.1 integer/blend/insert/extract, pcmpgtq", sse41_int_forms());
}
TEST(NativeDiffSse4, Sse41Fp) { harness().run_all("sse4.1 round/dpps/dppd", sse41_fp_forms()); }
TEST(NativeDiffSse4, Sse42String) {
    harness().run_all("sse4.2 pcmpestri/pcmpestrm/pcmpistri/pcmpistrm", sse42_string_forms());
}
TEST(NativeDiffSse4, Compat32) { harness().run_all("sse3..sse4.2 in 32-bit code", compat32_forms()); }

// ------------------------------------------------------------------------------------------
// Not differential: the CPUID gate. With the feature absent from the CPU model the form is
// #UD (SDM Vol. 2A 2.8 / the instruction pages' "#UD If CPUID.01H:ECX.SSE4_1[bit 19] = 0"
// etc.); with it present the same bytes run.
struct Sse4Tier0Only : SimdTier0Only {};  // (native_diff_harness.h)

TEST_F(Sse4Tier0Only, FeatureAbsentIsUd) {
    expect_gated({
        {Feature::F_SSE3, {0xF2, 0x0F, 0xD0, 0xCA}},              // addsubps xmm1, xmm2
        {Feature::F_SSE3, {0xF2, 0x0F, 0x12, 0xCA}},              // movddup xmm1, xmm2
        {Feature::F_SSSE3, {0x66, 0x0F, 0x38, 0x00, 0xCA}},       // pshufb xmm1, xmm2
        {Feature::F_SSSE3, {0x0F, 0x38, 0x00, 0xCA}},             // pshufb mm1, mm2
        {Feature::F_SSSE3, {0x66, 0x0F, 0x3A, 0x0F, 0xCA, 0x03}}, // palignr xmm1, xmm2, 3
        {Feature::F_SSE41, {0x66, 0x0F, 0x38, 0x17, 0xCA}},       // ptest xmm1, xmm2
        {Feature::F_SSE41, {0x66, 0x0F, 0x3A, 0x08, 0xCA, 0x00}}, // roundps xmm1, xmm2, 0
        {Feature::F_SSE42, {0x66, 0x0F, 0x38, 0x37, 0xCA}},       // pcmpgtq xmm1, xmm2
        {Feature::F_SSE42, {0x66, 0x0F, 0x3A, 0x63, 0xCA, 0x00}}, // pcmpistri xmm1, xmm2, 0
        {Feature::F_SSE42, {0xF2, 0x0F, 0x38, 0xF0, 0xC1}},       // crc32 eax, cl
    });
}

// The legacy-SSE checks come first (SDM Vol. 2A Table 2-21, exception type 4/5; Vol. 3A
// 13.1.3/13.1.4): CR0.EM = 1 or CR4.OSFXSR = 0 is #UD, then CR0.TS = 1 is #NM; the SSSE3 MMX
// forms take #UD for CR0.EM and #NM for CR0.TS (Vol. 3B Table 23-8). Linux runs the host with
// neither, so this is Vireo alone.
TEST_F(Sse4Tier0Only, ControlRegisterChecks) {
    const std::vector<std::vector<u8>> forms = {
        {0xF2, 0x0F, 0x7C, 0xCA},              // haddps xmm1, xmm2
        {0x66, 0x0F, 0x38, 0x00, 0xCA},        // pshufb xmm1, xmm2
        {0x66, 0x0F, 0x3A, 0x08, 0xCA, 0x00},  // roundps xmm1, xmm2, 0
        {0x66, 0x0F, 0x3A, 0x40, 0xCA, 0xFF},  // dpps xmm1, xmm2, 0xff
        {0x66, 0x0F, 0x3A, 0x63, 0xCA, 0x00},  // pcmpistri xmm1, xmm2, 0
        {0x66, 0x0F, 0x3A, 0x16, 0xD1, 0x01},  // pextrd ecx, xmm2, 1
    };
    const u64 cr0 = v.c.cr0, cr4 = v.c.cr4;
    for (const auto& code : forms) {
        EXPECT_EQ(run(code), -1) << hex(code);
        v.c.cr0 = cr0 | CR0_TS;
        EXPECT_EQ(run(code), NM) << hex(code);
        v.c.cr0 = cr0 | CR0_EM | CR0_TS;
        EXPECT_EQ(run(code), UD) << hex(code);
        v.c.cr0 = cr0;
        v.c.cr4 = cr4 & ~CR4_OSFXSR;
        EXPECT_EQ(run(code), UD) << hex(code);
        v.c.cr4 = cr4;
    }
    const std::vector<u8> mm = {0x0F, 0x38, 0x00, 0xCA};  // pshufb mm1, mm2
    EXPECT_EQ(run(mm), -1);
    v.c.cr0 = cr0 | CR0_TS;
    EXPECT_EQ(run(mm), NM);
    v.c.cr0 = cr0 | CR0_EM;
    EXPECT_EQ(run(mm), UD);
    v.c.cr0 = cr0;
}

}  // namespace
}  // namespace vireo::test::native_diff
