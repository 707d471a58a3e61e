// AES-NI, PCLMULQDQ and the SHA extensions in tier 0 against published known answers, so they
// hold on any host (the bit-for-bit comparison with the host CPU is
// tests/cpu/native_diff_crypto_test.cc, x86-64 hosts only):
//  - FIPS-197 Appendix C.1 (AES-128): the key schedule by AESKEYGENASSIST (with SSE2 shifts and
//    XORs, the Intel AES-NI white paper's sequence), the cipher by AESENC/AESENCLAST, the
//    equivalent inverse cipher (FIPS-197 5.3.5) by AESIMC/AESDEC/AESDECLAST;
//  - FIPS 180-4 SHA-256 and SHA-1 of "abc" (the NIST example values) through
//    SHA256RNDS2/SHA256MSG1/SHA256MSG2 and SHA1RNDS4/SHA1NEXTE/SHA1MSG1/SHA1MSG2 (the additions
//    and shuffles between them done here in C++);
//  - PCLMULQDQ against a few products worked by hand;
//  - the CPUID gate: #UD on the qemu64 model (no AES, PCLMULQDQ, SHA), runs on "max".
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "frontend-x86/cpu_model.h"
#include "tests/unit/sse_test_support.h"

namespace vireo::test {
namespace {
using namespace x86;
using U32x4 = std::array<u32, 4>;  // dword i = bits 32i+31:32i

struct CryptoInsns : SseCpu {
    void SetUp() override {
        SseCpu::SetUp();
        for (Feature f : {Feature::F_AES, Feature::F_PCLMUL, Feature::F_SHA}) set(c.features, f);
    }
    // Runs a longer sequence than SseCpu::run's budget; -1 when it reached the HLT after it.
    int run_all(const std::vector<u8>& code) {
        std::memcpy(host.ram() + kCode, code.data(), code.size());
        host.ram()[kCode + code.size()] = 0xF4;
        cache.invalidate_all();
        c.rip = kCode;
        c.halted = false;
        eng->run(100000);
        if (c.halted && c.rip == kCode + code.size() + 1) return -1;
        return fault_vector(c);
    }
    U32x4 get4(unsigned r) const {
        U32x4 v;
        std::memcpy(v.data(), c.xmm[r].b, 16);
        return v;
    }
    void set4(unsigned r, const U32x4& v) { std::memcpy(c.xmm[r].b, v.data(), 16); }
    std::string hex16(const u8* b) const {
        std::string s;
        char t[3];
        for (unsigned i = 0; i < 16; i++) {
            std::snprintf(t, sizeof t, "%02x", b[i]);
            s += t;
        }
        return s;
    }
};

// Bytes from a hex string.
std::vector<u8> bytes(const char* hex) {
    std::vector<u8> v;
    for (const char* p = hex; p[0] && p[1]; p += 2) v.push_back(static_cast<u8>(std::stoul(std::string(p, 2), nullptr, 16)));
    return v;
}

// Encoders: "op xmm(reg), xmm(rm)" and "op xmm(reg), [rbx + disp32]" (mod = 10, rm = 011).
// pfx 0 = none; op = the bytes after 0F.
std::vector<u8> rr(u8 pfx, std::vector<u8> op, unsigned reg, unsigned rm, std::vector<u8> imm = {}) {
    std::vector<u8> b;
    if (pfx) b.push_back(pfx);
    if ((reg | rm) & 8) b.push_back(static_cast<u8>(0x40 | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0)));
    b.push_back(0x0F);
    b.insert(b.end(), op.begin(), op.end());
    b.push_back(static_cast<u8>(0xC0 | (reg & 7) << 3 | (rm & 7)));
    b.insert(b.end(), imm.begin(), imm.end());
    return b;
}
std::vector<u8> rm_rbx(u8 pfx, std::vector<u8> op, unsigned reg, u32 disp) {
    std::vector<u8> b;
    if (pfx) b.push_back(pfx);
    b.push_back(0x0F);
    b.insert(b.end(), op.begin(), op.end());
    b.push_back(static_cast<u8>(0x80 | (reg & 7) << 3 | 3));
    for (unsigned i = 0; i < 4; i++) b.push_back(static_cast<u8>(disp >> (8 * i)));
    return b;
}
void append(std::vector<u8>& code, const std::vector<u8>& insn) { code.insert(code.end(), insn.begin(), insn.end()); }

// ------------------------------------------------------------------------------------------
// FIPS-197 Appendix C.1: AES-128, key 000102..0f, plaintext 00112233..ff.
TEST_F(CryptoInsns, Aes128Fips197AppendixC1) {
    const std::vector<u8> key = bytes("000102030405060708090a0b0c0d0e0f");
    const std::vector<u8> pt = bytes("00112233445566778899aabbccddeeff");
    std::memcpy(c.xmm[1].b, key.data(), 16);
    std::memcpy(c.xmm[0].b, pt.data(), 16);
    c.gpr[RBX] = kData;
    // Round key r is stored at [rbx + 16r]; xmm1 is the current round key, xmm0 the state.
    std::vector<u8> code;
    const auto movdqa_store = [&](unsigned reg, u32 disp) { append(code, rm_rbx(0x66, {0x7F}, reg, disp)); };
    movdqa_store(1, 0);
    append(code, rr(0x66, {0xEF}, 0, 1));  // pxor xmm0, xmm1 (AddRoundKey, round 0)
    constexpr u8 kRcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36};
    for (unsigned r = 1; r <= 10; r++) {
        // FIPS-197 5.2 KeyExpansion, one round key at a time (the Intel white paper's
        // AES_128_ASSIST): t = RotWord(SubWord(w3)) ^ Rcon broadcast; w' = prefix XOR of w; w' ^= t.
        append(code, rr(0x66, {0x3A, 0xDF}, 2, 1, {kRcon[r - 1]}));  // aeskeygenassist xmm2, xmm1, rcon
        append(code, rr(0x66, {0x70}, 2, 2, {0xFF}));                // pshufd xmm2, xmm2, 0xff
        append(code, rr(0x66, {0x6F}, 3, 1));                        // movdqa xmm3, xmm1
        for (int k = 0; k < 3; k++) {
            append(code, rr(0x66, {0x73}, 7, 3, {4}));  // pslldq xmm3, 4
            append(code, rr(0x66, {0xEF}, 1, 3));       // pxor xmm1, xmm3
        }
        append(code, rr(0x66, {0xEF}, 1, 2));  // pxor xmm1, xmm2
        movdqa_store(1, 16 * r);
        append(code, rr(0x66, {0x38, static_cast<u8>(r < 10 ? 0xDC : 0xDD)}, 0, 1));  // aesenc/aesenclast xmm0, xmm1
    }
    ASSERT_EQ(run_all(code), -1);
    EXPECT_EQ(hex16(c.xmm[0].b), "69c4e0d86a7b0430d8cdb78070b4c55a");  // C.1 "round[10].output"
    // FIPS-197 Appendix C.1: the round keys "round[1].k_sch" and "round[10].k_sch".
    EXPECT_EQ(hex16(ram(kData + 16)), "d6aa74fdd2af72fadaa678f1d6ab76fe");
    EXPECT_EQ(hex16(ram(kData + 160)), "13111d7fe3944a17f307a78b4d2b30c5");

    // The equivalent inverse cipher (FIPS-197 5.3.5, Figure 15): dw[r] = InvMixColumns(w[r])
    // for rounds 1..9 (AESIMC), then AESDEC with them in reverse and AESDECLAST with w[0]
    // (both memory forms: the round keys are 16-byte aligned).
    code.clear();
    append(code, rm_rbx(0x66, {0xEF}, 0, 160));  // pxor xmm0, [rbx + 160]
    for (unsigned r = 9; r >= 1; r--) {
        append(code, rm_rbx(0x66, {0x38, 0xDB}, 4, 16 * r));  // aesimc xmm4, [rbx + 16r]
        append(code, rr(0x66, {0x38, 0xDE}, 0, 4));           // aesdec xmm0, xmm4
    }
    append(code, rm_rbx(0x66, {0x38, 0xDF}, 0, 0));  // aesdeclast xmm0, [rbx]
    ASSERT_EQ(run_all(code), -1);
    EXPECT_EQ(hex16(c.xmm[0].b), "00112233445566778899aabbccddeeff");

    // Exception type 4: a misaligned m128 is #GP(0), the destination unchanged.
    u8 before[16];
    std::memcpy(before, c.xmm[0].b, 16);
    EXPECT_EQ(run(rm_rbx(0x66, {0x38, 0xDC}, 0, 8)), GP);  // aesenc xmm0, [rbx + 8]
    EXPECT_EQ(std::memcmp(before, c.xmm[0].b, 16), 0);
    // The SHA forms take a misaligned m128 (as AMD processors do: sha.cc).
    set_xmm(1, 0, 0);
    EXPECT_EQ(run(rm_rbx(0, {0x38, 0xC9}, 1, 8)), -1);  // sha1msg1 xmm1, [rbx + 8]
}

// FIPS-197 5.1.1 / Figure 7: SubBytes through AESENCLAST with a zero key on a state whose
// ShiftRows leaves it unchanged (all bytes equal), and AESKEYGENASSIST's word layout.
TEST_F(CryptoInsns, AesSboxAndKeygenLayout) {
    for (unsigned x : {0x00u, 0x01u, 0x53u, 0x7fu, 0x80u, 0xffu}) {
        std::memset(c.xmm[1].b, static_cast<int>(x), 16);
        set_xmm(2, 0, 0);
        ASSERT_EQ(run(rr(0x66, {0x38, 0xDD}, 1, 2)), -1);  // aesenclast xmm1, xmm2
        static constexpr u8 kSbox[] = {0x63, 0x7c, 0xed, 0xd2, 0xcd, 0x16};  // Figure 7 at 00 01 53 7f 80 ff
        const unsigned i = x == 0 ? 0 : x == 1 ? 1 : x == 0x53 ? 2 : x == 0x7f ? 3 : x == 0x80 ? 4 : 5;
        for (unsigned b = 0; b < 16; b++) EXPECT_EQ(c.xmm[1].b[b], kSbox[i]) << std::hex << x;
    }
    // X1 = 0x01000053 -> SubWord = 0x7c6363ed; RotWord (ror 8) = 0xed7c6363; X3 = 0 -> 0x63636363.
    set4(1, {0xdeadbeef, 0x01000053, 0x12345678, 0x00000000});
    ASSERT_EQ(run(rr(0x66, {0x3A, 0xDF}, 3, 1, {0x1B})), -1);  // aeskeygenassist xmm3, xmm1, 0x1b
    EXPECT_EQ(get4(3), (U32x4{0x7c6363ed, 0xed7c6363 ^ 0x1B, 0x63636363, 0x63636363 ^ 0x1B}));
}

// ------------------------------------------------------------------------------------------
// PCLMULQDQ: (x + 1)^2 = x^2 + 1 (no carries), all ones squared (the spread bits), and imm8
// selecting each quadword.
TEST_F(CryptoInsns, Pclmulqdq) {
    struct Case {
        u64 a, b, lo, hi;
    };
    const Case cases[] = {
        {3, 3, 5, 0},
        {~0ull, ~0ull, 0x5555555555555555ull, 0x5555555555555555ull},
        {1ull << 63, 1ull << 63, 0, 1ull << 62},
        {0x87, 1ull << 63, 1ull << 63, 0x43},
    };
    for (const Case& k : cases)
        for (u8 imm : {0x00, 0x01, 0x10, 0x11, 0xEE}) {
            const bool ah = imm & 1, bh = imm & 0x10;
            set_xmm(9, ah ? 0x1234 : k.a, ah ? k.a : 0x1234);
            set_xmm(2, bh ? 0x5678 : k.b, bh ? k.b : 0x5678);
            ASSERT_EQ(run(rr(0x66, {0x3A, 0x44}, 9, 2, {imm})), -1);  // pclmulqdq xmm9, xmm2, imm
            EXPECT_EQ(xmm_q(9, 0), k.lo) << std::hex << k.a << " " << k.b << " imm " << int(imm);
            EXPECT_EQ(xmm_q(9, 1), k.hi) << std::hex << k.a << " " << k.b << " imm " << int(imm);
        }
}

// ------------------------------------------------------------------------------------------
// FIPS 180-4 padding of "abc" into one 512-bit block, as 16 big-endian words.
std::array<u32, 16> abc_block() {
    std::array<u32, 16> w{};
    w[0] = 0x61626380;  // "abc", then the 1 bit
    w[15] = 24;         // the length in bits
    return w;
}

// SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad.
TEST_F(CryptoInsns, Sha256Abc) {
    static constexpr u32 K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    const u32 H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    // Message schedule in groups of four: msg[g] dword j = W(4g + j).
    const auto blk = abc_block();
    std::array<U32x4, 16> msg{};
    for (unsigned g = 0; g < 4; g++) msg[g] = {blk[4 * g], blk[4 * g + 1], blk[4 * g + 2], blk[4 * g + 3]};
    for (unsigned g = 4; g < 16; g++) {
        set4(1, msg[g - 4]);
        set4(2, msg[g - 3]);
        ASSERT_EQ(run(rr(0, {0x38, 0xCC}, 1, 2)), -1);  // sha256msg1 xmm1, xmm2: W(i-16+j) + σ0(W(i-15+j))
        U32x4 t = get4(1);
        for (unsigned j = 0; j < 4; j++) t[j] += j < 3 ? msg[g - 2][j + 1] : msg[g - 1][0];  // + W(i-7+j)
        set4(1, t);
        set4(2, msg[g - 1]);
        ASSERT_EQ(run(rr(0, {0x38, 0xCD}, 1, 2)), -1);  // sha256msg2 xmm1, xmm2: + σ1(W(i-2+j))
        msg[g] = get4(1);
    }
    // xmm3 = [A, B, E, F], xmm4 = [C, D, G, H] (dword 3 first); two rounds per SHA256RNDS2 with
    // W+K in XMM0[63:0].
    set4(3, {H0[5], H0[4], H0[1], H0[0]});
    set4(4, {H0[7], H0[6], H0[3], H0[2]});
    for (unsigned g = 0; g < 16; g++) {
        U32x4 wk;
        for (unsigned j = 0; j < 4; j++) wk[j] = msg[g][j] + K[4 * g + j];
        set4(0, wk);
        ASSERT_EQ(run(rr(0, {0x38, 0xCB}, 4, 3)), -1);  // sha256rnds2 xmm4, xmm3, <xmm0>
        set4(0, {wk[2], wk[3], 0xdeadbeef, 0xdeadbeef});
        ASSERT_EQ(run(rr(0, {0x38, 0xCB}, 3, 4)), -1);  // sha256rnds2 xmm3, xmm4, <xmm0>
    }
    const U32x4 abef = get4(3), cdgh = get4(4);
    const u32 out[8] = {abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0]};
    static constexpr u32 kDigest[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                       0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
    for (unsigned i = 0; i < 8; i++) EXPECT_EQ(out[i] + H0[i], kDigest[i]) << i;
}

// SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d.
TEST_F(CryptoInsns, Sha1Abc) {
    const u32 H0[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    // msg[g] dword 3 - j = W(4g + j) (the SHA1 instructions keep the earliest word in dword 3).
    const auto blk = abc_block();
    std::array<U32x4, 20> msg{};
    for (unsigned g = 0; g < 4; g++) msg[g] = {blk[4 * g + 3], blk[4 * g + 2], blk[4 * g + 1], blk[4 * g]};
    for (unsigned g = 4; g < 20; g++) {
        set4(1, msg[g - 4]);
        set4(2, msg[g - 3]);
        ASSERT_EQ(run(rr(0, {0x38, 0xC9}, 1, 2)), -1);  // sha1msg1 xmm1, xmm2: W(i-16) ^ W(i-14)
        U32x4 t = get4(1);
        for (unsigned j = 0; j < 4; j++) t[j] ^= msg[g - 2][j];  // ^ W(i-8)
        set4(1, t);
        set4(2, msg[g - 1]);
        ASSERT_EQ(run(rr(0, {0x38, 0xCA}, 1, 2)), -1);  // sha1msg2 xmm1, xmm2: ^ W(i-3), ROL 1
        msg[g] = get4(1);
    }
    // xmm3 = [A, B, C, D] (A in dword 3); xmm5 = W + E for the next four rounds.
    set4(3, {H0[3], H0[2], H0[1], H0[0]});
    U32x4 prev{};
    for (unsigned g = 0; g < 20; g++) {
        if (g == 0) {
            U32x4 we = msg[0];
            we[3] += H0[4];
            set4(5, we);
        } else {
            set4(5, prev);
            set4(2, msg[g]);
            ASSERT_EQ(run(rr(0, {0x38, 0xC8}, 5, 2)), -1);  // sha1nexte xmm5, xmm2: + (A ROL 30)
        }
        prev = get4(3);
        ASSERT_EQ(run(rr(0, {0x3A, 0xCC}, 3, 5, {static_cast<u8>(g / 5)})), -1);  // sha1rnds4 xmm3, xmm5, g/5
    }
    set4(5, prev);
    set4(2, {0, 0, 0, 0});
    ASSERT_EQ(run(rr(0, {0x38, 0xC8}, 5, 2)), -1);  // E after round 79 = A before round 76 ROL 30
    const U32x4 abcd = get4(3);
    const u32 out[5] = {abcd[3], abcd[2], abcd[1], abcd[0], get4(5)[3]};
    static constexpr u32 kDigest[5] = {0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d};
    for (unsigned i = 0; i < 5; i++) EXPECT_EQ(out[i] + H0[i], kDigest[i]) << i;
}

// ------------------------------------------------------------------------------------------
// The CPUID gate through the CPU models: qemu64 has none of AES, PCLMULQDQ, SHA (as QEMU's
// qemu64), so every form is #UD (the instruction pages: "#UD If CPUID.01H:ECX.AESNI[bit 25] =
// 0" etc.); "max" has them all.
TEST_F(CryptoInsns, QemuModelIsUdMaxRuns) {
    const std::vector<std::vector<u8>> forms = {
        rr(0x66, {0x38, 0xDB}, 1, 2), rr(0x66, {0x38, 0xDC}, 1, 2), rr(0x66, {0x38, 0xDD}, 1, 2),
        rr(0x66, {0x38, 0xDE}, 1, 2), rr(0x66, {0x38, 0xDF}, 1, 2), rr(0x66, {0x3A, 0xDF}, 1, 2, {1}),
        rr(0x66, {0x3A, 0x44}, 1, 2, {0}), rr(0, {0x3A, 0xCC}, 1, 2, {0}), rr(0, {0x38, 0xC8}, 1, 2),
        rr(0, {0x38, 0xC9}, 1, 2), rr(0, {0x38, 0xCA}, 1, 2), rr(0, {0x38, 0xCB}, 1, 2),
        rr(0, {0x38, 0xCC}, 1, 2), rr(0, {0x38, 0xCD}, 1, 2)};
    cpu_apply_model(c, *find_cpu_model("qemu64"));
    for (const auto& f : forms) EXPECT_EQ(run(f), UD) << int(f[f[0] == 0x66 ? 3 : 2]);
    cpu_apply_model(c, *find_cpu_model("max"));
    for (const auto& f : forms) EXPECT_EQ(run(f), -1) << int(f[f[0] == 0x66 ? 3 : 2]);
}

}  // namespace
}  // namespace vireo::test
