// Native-differential test of the cryptographic extensions in their legacy-SSE encodings:
// AES-NI (66 0F 38 DB-DF, 66 0F 3A DF), PCLMULQDQ (66 0F 3A 44) and SHA (NP 0F 38 C8-CD,
// NP 0F 3A CC). Every form runs natively and in Vireo's tier 0 from the same state
// (native_diff_harness.h, as native_diff_test.cc), and all GPRs, flags, MXCSR, the XMM
// registers, the x87 state and the data area are compared bit for bit. The host must have
// AES, PCLMULQDQ and SHA (/proc/cpuinfo: aes, pclmulqdq, sha_ni); the test says so and skips
// the missing ones otherwise.
//
// Inputs: the harness's XMM values (all zero, all ones, lanes of signed/unsigned extremes,
// random) and edge-biased memory operands, and in half the states both operands replaced by
// an edge pattern (zero, all ones, one bit, one byte, alternating bits) so single-bit
// diffusion through the S-box, the carry-less product and the SHA rounds is seen. Register
// pairs cover xmm8-15 through REX.R/REX.B, the same register on both sides and XMM0 as the
// source (SHA256RNDS2 also as the destination: it reads XMM0 implicitly); memory forms use
// bases RBX and R13 and are misaligned in one state of eight (AES and PCLMULQDQ: #GP(0),
// exception type 4; the SHA forms run on this AMD host, and in Vireo: see sha.cc), page-crossing
// in some.
// PCLMULQDQ and AESKEYGENASSIST run all 256 imm8 values, SHA1RNDS4 its 4 functions (and
// imm8 values with the ignored bits 7:2 set).
//
// The CPUID gate (#UD when the feature is absent) cannot be shown natively; it is checked on
// the Vireo side alone (CryptoTier0Only below).
//
// Environment: as native_diff_test.cc (VIREO_NATIVE_DIFF_STATES, _SEED, _FILTER, ...).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

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

// The host's CPUID flags as the kernel reports them (the native side cannot run without them).
bool host_has(const char* flag) {
    std::ifstream f("/proc/cpuinfo");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("flags", 0) != 0) continue;
        return (line + " ").find(std::string(" ") + flag + " ") != std::string::npos;
    }
    return false;
}

// ------------------------------------------------------------------------------------------
// Encoding and form helpers. op: the opcode bytes after 0F ({0x38, xx} or {0x3A, xx}).
Enc xenc(u8 pfx, std::vector<u8> op, int reg, Rm rm, std::vector<u8> imm = {}) {
    Enc e;
    if (pfx) e.pre = {pfx};
    e.op = {0x0F};
    e.op.insert(e.op.end(), op.begin(), op.end());
    e.reg = reg;
    e.rm = rm;
    e.imm = std::move(imm);
    return e;
}
std::string opname(u8 pfx, const std::vector<u8>& op, const std::vector<u8>& imm) {
    std::string s = pfx == 0x66 ? "66 0F " : "NP 0F ";
    s += hex(op);
    if (!imm.empty()) s += " ib=" + hex(imm);
    return s;
}

inline u64 mem_off(const Input& in, int base) { return in.gpr[base] + 0x10 - kDataAddr; }
inline u8* xmm_in(Input& in, int r) { return in.fx + 160 + 16 * r; }

// An edge pattern of 16 bytes.
void gen_edge(Rng& r, u8* v) {
    std::memset(v, 0, 16);
    switch (r() % 7) {
    case 0: break;                                                    // all zero
    case 1: std::memset(v, 0xff, 16); break;                          // all ones
    case 2: { const unsigned b = r() % 128; v[b / 8] = static_cast<u8>(1u << (b % 8)); break; }  // one bit
    case 3: { const unsigned b = r() % 128; std::memset(v, 0xff, 16); v[b / 8] &= static_cast<u8>(~(1u << (b % 8))); break; }  // all but one
    case 4: v[r() % 16] = static_cast<u8>(r() | 1); break;            // one byte
    case 5: std::memset(v, (r() & 1) ? 0x55 : 0xaa, 16); break;       // alternating bits
    default: for (unsigned i = 0; i < 16; i += 4) v[i + r() % 4] = 0x80; break;  // a sign bit per dword
    }
}

// In half the states: the destination and the source (register or memory operand) set to
// edge patterns, one of them random again in a third of those; with xmm0, XMM0 (SHA256RNDS2's
// implicit W+K source) an edge pattern in half of them.
using Setup = std::function<void(Input&, Rng&, unsigned)>;
Setup edge_setup(int reg, int rm, int base, bool xmm0) {
    return [=](Input& in, Rng& r, unsigned k) {
        if (k % 2) return;
        alignas(16) u8 d[16], s[16];
        gen_edge(r, d);
        gen_edge(r, s);
        if (r() % 3 == 0) gen_vec(r, (r() & 1) ? d : s);
        std::memcpy(xmm_in(in, reg), d, 16);
        if (rm < 0) std::memcpy(&in.mem[mem_off(in, base)], s, 16);
        else if (rm != reg) std::memcpy(xmm_in(in, rm), s, 16);
        if (xmm0 && reg != 0 && rm != 0 && (r() & 1)) gen_edge(r, xmm_in(in, 0));
    };
}

// xmm,xmm/m128 forms: register pairs (REX.R/REX.B, the same register on both sides, XMM0 as
// the source and as the destination) and two memory forms (bases RBX and R13).
constexpr std::pair<int, int> kXmmPairs[] = {{1, 2}, {9, 14}, {3, 3}, {15, 0}, {0, 8}};
constexpr std::pair<int, int> kXmmMem[] = {{5, 3}, {12, 13}};

struct Spec {
    const char* name;
    u8 pfx;                // 0x66 or 0 (NP)
    std::vector<u8> op;    // after 0F
    bool xmm0 = false;     // reads XMM0 implicitly
};

Form make(const Spec& sp, int reg, Rm rm, std::vector<u8> imm, unsigned states) {
    Form f;
    const std::string src = rm.mem ? std::string("m128 [") + kRegNames[rm.base] + "]" : "xmm" + std::to_string(rm.reg);
    f.name = std::string(sp.name) + " xmm" + std::to_string(reg) + "," + src + " [" + opname(sp.pfx, sp.op, imm) + "]";
    f.code = encode(xenc(sp.pfx, sp.op, reg, rm, imm));
    f.simd = true;
    f.states = states;
    if (rm.mem) {
        f.mem_base = rm.base;
        f.mem_disp = rm.disp;
        f.mem_size = 16;
        f.mem_align = 16;
    }
    f.setup = edge_setup(reg, rm.mem ? -1 : rm.reg, rm.mem ? rm.base : -1, sp.xmm0);
    return f;
}
// Every register pair and memory form of one encoding.
void add_all(std::vector<Form>& v, const Spec& sp, std::vector<u8> imm = {}, unsigned states = 0) {
    for (auto [reg, rm] : kXmmPairs) v.push_back(make(sp, reg, R(rm), imm, states));
    for (auto [reg, base] : kXmmMem) v.push_back(make(sp, reg, M(base), imm, states));
}
// Every imm8: one register form per value (the pairs in turn) with fewer states, the memory
// form for every eighth value.
void add_every_imm(std::vector<Form>& v, const Spec& sp, unsigned states) {
    for (unsigned i = 0; i < 256; i++) {
        const u8 ib = static_cast<u8>(i);
        const auto [reg, rm] = kXmmPairs[i % std::size(kXmmPairs)];
        v.push_back(make(sp, reg, R(rm), {ib}, states));
        if (i % 8 == 5) {
            const auto [mreg, base] = kXmmMem[(i / 8) % 2];
            v.push_back(make(sp, mreg, M(base), {ib}, states));
        }
    }
}

const Spec kAesEnc{"aesenc", 0x66, {0x38, 0xDC}}, kAesEncLast{"aesenclast", 0x66, {0x38, 0xDD}},
    kAesDec{"aesdec", 0x66, {0x38, 0xDE}}, kAesDecLast{"aesdeclast", 0x66, {0x38, 0xDF}},
    kAesImc{"aesimc", 0x66, {0x38, 0xDB}}, kAesKeygen{"aeskeygenassist", 0x66, {0x3A, 0xDF}},
    kPclmul{"pclmulqdq", 0x66, {0x3A, 0x44}}, kSha1Rnds4{"sha1rnds4", 0, {0x3A, 0xCC}},
    kSha1Nexte{"sha1nexte", 0, {0x38, 0xC8}}, kSha1Msg1{"sha1msg1", 0, {0x38, 0xC9}},
    kSha1Msg2{"sha1msg2", 0, {0x38, 0xCA}}, kSha256Rnds2{"sha256rnds2", 0, {0x38, 0xCB}, true},
    kSha256Msg1{"sha256msg1", 0, {0x38, 0xCC}}, kSha256Msg2{"sha256msg2", 0, {0x38, 0xCD}};

std::vector<Form> aes_forms() {
    std::vector<Form> v;
    for (const Spec* sp : {&kAesEnc, &kAesEncLast, &kAesDec, &kAesDecLast, &kAesImc}) add_all(v, *sp);
    // AESKEYGENASSIST: the round constants FIPS-197 uses (01..36) on every form, every imm8 on
    // one form each.
    for (u8 rcon : {0x00, 0x01, 0x1B, 0x36, 0xFF}) add_all(v, kAesKeygen, {rcon});
    add_every_imm(v, kAesKeygen, 64);
    return v;
}

std::vector<Form> pclmul_forms() {
    std::vector<Form> v;
    // The four selector combinations (imm8[0], imm8[4]) on every form; every imm8 (the other
    // bits ignored) on one form each.
    for (u8 sel : {0x00, 0x01, 0x10, 0x11}) add_all(v, kPclmul, {sel});
    add_every_imm(v, kPclmul, 64);
    return v;
}

std::vector<Form> sha_forms() {
    std::vector<Form> v;
    // SHA1RNDS4: the 4 round functions/constants (imm8[1:0]) on every form, more states; every
    // imm8 on one form each (bits 7:2 ignored).
    for (u8 f : {0, 1, 2, 3}) add_all(v, kSha1Rnds4, {f}, 512);
    add_every_imm(v, kSha1Rnds4, 32);
    for (const Spec* sp : {&kSha1Nexte, &kSha1Msg1, &kSha1Msg2, &kSha256Rnds2, &kSha256Msg1, &kSha256Msg2})
        add_all(v, *sp, {}, 512);
    // SHA256RNDS2 with XMM0 as both operands (W+K, destination and source are one register).
    v.push_back(make(kSha256Rnds2, 0, R(0), {}, 256));
    v.push_back(make(kSha256Rnds2, 0, M(3), {}, 256));
    return v;
}

// Reserved prefix columns of the same opcodes (SDM Vol. 2D Tables: NP 0F 38 DC and
// NP 0F 3A 44/DF have no legacy instruction, nor 66 0F 38 C8-CD / 66 0F 3A CC): #UD on both
// sides. (F3/F2 are not tried: F3 0F 38 DC-DF are Key Locker's AESENC128KL etc.)
std::vector<Form> reserved_forms() {
    std::vector<Form> v;
    auto add = [&](const std::string& name, std::vector<u8> code) {
        Form f;
        f.name = name;
        f.code = std::move(code);
        f.simd = true;
        f.states = 16;
        v.push_back(f);
    };
    add("NP 0F 38 DC (aesenc without 66)", {0x0F, 0x38, 0xDC, 0xCA});
    add("NP 0F 38 DB (aesimc without 66)", {0x0F, 0x38, 0xDB, 0xCA});
    add("NP 0F 3A 44 (pclmulqdq without 66)", {0x0F, 0x3A, 0x44, 0xCA, 0x00});
    add("NP 0F 3A DF (aeskeygenassist without 66)", {0x0F, 0x3A, 0xDF, 0xCA, 0x01});
    add("66 0F 38 C8 (sha1nexte with 66)", {0x66, 0x0F, 0x38, 0xC8, 0xCA});
    add("66 0F 38 CB (sha256rnds2 with 66)", {0x66, 0x0F, 0x38, 0xCB, 0xCA});
    add("66 0F 3A CC (sha1rnds4 with 66)", {0x66, 0x0F, 0x3A, 0xCC, 0xCA, 0x00});
    return v;
}

// 32-bit code (compatibility mode): XMM0-7 only, 32-bit addressing.
std::vector<Form> compat32_forms() {
    std::vector<Form> v;
    auto add = [&](const std::string& name, std::vector<u8> code, int mem_base = -1) {
        Form f;
        f.name = name + " (32-bit)";
        f.code = std::move(code);
        f.compat32 = true;
        f.simd = true;
        f.opbits = 32;
        if (mem_base >= 0) f.mem_base = mem_base, f.mem_size = 16, f.mem_disp = 0x10, f.mem_align = 16;
        v.push_back(f);
    };
    add("aesenc xmm1,xmm2", {0x66, 0x0F, 0x38, 0xDC, 0xCA});
    add("aesdeclast xmm1,[ebx+0x10]", {0x66, 0x0F, 0x38, 0xDF, 0x4B, 0x10}, 3);
    add("aeskeygenassist xmm1,xmm2,0x1b", {0x66, 0x0F, 0x3A, 0xDF, 0xCA, 0x1B});
    add("pclmulqdq xmm1,[ebx+0x10],0x11", {0x66, 0x0F, 0x3A, 0x44, 0x4B, 0x10, 0x11}, 3);
    add("sha256rnds2 xmm1,xmm2", {0x0F, 0x38, 0xCB, 0xCA});
    add("sha1rnds4 xmm1,xmm2,2", {0x0F, 0x3A, 0xCC, 0xCA, 0x02});
    return v;
}

#define REQUIRE_HOST(flag) \
    if (!host_has(flag)) GTEST_SKIP() << "the host CPU lacks " flag " (/proc/cpuinfo)"

TEST(NativeDiffCrypto, Aes) {
    REQUIRE_HOST("aes");
    harness().run_all("aes-ni (aesenc/aesenclast/aesdec/aesdeclast/aesimc/aeskeygenassist)", aes_forms());
}
TEST(NativeDiffCrypto, Pclmulqdq) {
    REQUIRE_HOST("pclmulqdq");
    harness().run_all("pclmulqdq", pclmul_forms());
}
TEST(NativeDiffCrypto, Sha) {
    REQUIRE_HOST("sha_ni");
    harness().run_all("sha (sha1rnds4/sha1nexte/sha1msg1/sha1msg2/sha256rnds2/sha256msg1/sha256msg2)", sha_forms());
}
TEST(NativeDiffCrypto, ReservedPrefixes) { harness().run_all("reserved prefix columns", reserved_forms()); }
TEST(NativeDiffCrypto, Compat32) {
    REQUIRE_HOST("aes");
    REQUIRE_HOST("pclmulqdq");
    REQUIRE_HOST("sha_ni");
    harness().run_all("aes/pclmulqdq/sha in 32-bit code", compat32_forms());
}

// ------------------------------------------------------------------------------------------
// Not differential: the CPUID gate. With the feature absent from the CPU model the form is
// #UD (the instruction pages: "#UD If CPUID.01H:ECX.AESNI[bit 25] = 0", ".PCLMULQDQ[bit 1]",
// "CPUID.(EAX=07H, ECX=0):EBX.SHA[bit 29] = 0"); with it present the same bytes run.
struct CryptoTier0Only : SimdTier0Only {};  // (native_diff_harness.h)

TEST_F(CryptoTier0Only, FeatureAbsentIsUd) {
    expect_gated({
        {Feature::F_AES, {0x66, 0x0F, 0x38, 0xDB, 0xCA}},          // aesimc xmm1, xmm2
        {Feature::F_AES, {0x66, 0x0F, 0x38, 0xDC, 0xCA}},          // aesenc xmm1, xmm2
        {Feature::F_AES, {0x66, 0x0F, 0x38, 0xDD, 0xCA}},          // aesenclast xmm1, xmm2
        {Feature::F_AES, {0x66, 0x0F, 0x38, 0xDE, 0xCA}},          // aesdec xmm1, xmm2
        {Feature::F_AES, {0x66, 0x0F, 0x38, 0xDF, 0xCA}},          // aesdeclast xmm1, xmm2
        {Feature::F_AES, {0x66, 0x0F, 0x3A, 0xDF, 0xCA, 0x01}},    // aeskeygenassist xmm1, xmm2, 1
        {Feature::F_PCLMUL, {0x66, 0x0F, 0x3A, 0x44, 0xCA, 0x11}}, // pclmulqdq xmm1, xmm2, 0x11
        {Feature::F_SHA, {0x0F, 0x3A, 0xCC, 0xCA, 0x00}},          // sha1rnds4 xmm1, xmm2, 0
        {Feature::F_SHA, {0x0F, 0x38, 0xC8, 0xCA}},                // sha1nexte xmm1, xmm2
        {Feature::F_SHA, {0x0F, 0x38, 0xC9, 0xCA}},                // sha1msg1 xmm1, xmm2
        {Feature::F_SHA, {0x0F, 0x38, 0xCA, 0xCA}},                // sha1msg2 xmm1, xmm2
        {Feature::F_SHA, {0x0F, 0x38, 0xCB, 0xCA}},                // sha256rnds2 xmm1, xmm2
        {Feature::F_SHA, {0x0F, 0x38, 0xCC, 0xCA}},                // sha256msg1 xmm1, xmm2
        {Feature::F_SHA, {0x0F, 0x38, 0xCD, 0xCA}},                // sha256msg2 xmm1, xmm2
    });
}

}  // namespace
}  // namespace vireo::test::native_diff
