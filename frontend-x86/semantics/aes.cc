// AES-NI, legacy-SSE and VEX.128 forms (SDM Vol. 2A AESDEC, AESDECLAST, AESENC, AESENCLAST, AESIMC,
// AESKEYGENASSIST): one round of the cipher or of the equivalent inverse cipher on the state in
// xmm1 with the round key in xmm2/m128, InvMixColumns of a round key, and the key-expansion
// assist.
//
// The state is FIPS-197's (3.4): register byte 4c + r is s[r,c], so a 16-byte block loaded
// little-endian into an XMM register is the cipher's input array in[] (SDM Vol. 1 12.13,
// "AESNI" state layout). The S-box, its inverse and the GF(2^8) products are computed at
// compile time from FIPS-197's definitions (4.2 multiplication, 4.4 inverse, 5.1.1 affine
// transform, 5.1.3 MixColumns, 5.3.3 InvMixColumns): portable C++, no host AES instructions.
#include <array>
#include <bit>
#include "frontend-x86/semantics/crypto_common.h"

namespace vireo::x86 {
namespace {

// ---------------------------------------------------------------- GF(2^8), FIPS-197 4.2
// Multiplication by x modulo m(x) = x^8 + x^4 + x^3 + x + 1 (FIPS-197 4.2.1, "xtime").
constexpr u8 xtime(u8 a) { return static_cast<u8>((a << 1) ^ ((a & 0x80) ? 0x1b : 0)); }
constexpr u8 gf_mul(u8 a, u8 b) {
    u8 p = 0;
    for (unsigned i = 0; i < 8; i++, b >>= 1, a = xtime(a))
        if (b & 1) p ^= a;
    return p;
}
// The multiplicative inverse: a^254 (a^255 = 1 for a != 0); 0 maps to 0 (FIPS-197 5.1.1).
constexpr u8 gf_inv(u8 a) {
    u8 r = 1;
    for (unsigned e = 254; e; e >>= 1, a = gf_mul(a, a))
        if (e & 1) r = gf_mul(r, a);
    return r;
}
constexpr u8 rotl8(u8 x, unsigned n) { return static_cast<u8>((x << n) | (x >> (8 - n))); }
// FIPS-197 5.1.1 (5.1): b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, c = 63h; as
// byte rotations: b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 63h.
constexpr u8 affine(u8 b) { return static_cast<u8>(b ^ rotl8(b, 1) ^ rotl8(b, 2) ^ rotl8(b, 3) ^ rotl8(b, 4) ^ 0x63); }

using Table = std::array<u8, 256>;
constexpr Table make_sbox() {
    Table t{};
    for (unsigned x = 0; x < 256; x++) t[x] = affine(gf_inv(static_cast<u8>(x)));
    return t;
}
constexpr Table kSbox = make_sbox();
constexpr Table make_inv_sbox() {
    Table t{};
    for (unsigned x = 0; x < 256; x++) t[kSbox[x]] = static_cast<u8>(x);
    return t;
}
constexpr Table kInvSbox = make_inv_sbox();
constexpr Table make_mul(u8 k) {
    Table t{};
    for (unsigned x = 0; x < 256; x++) t[x] = gf_mul(static_cast<u8>(x), k);
    return t;
}
// The MixColumns (02 03 01 01) and InvMixColumns (0e 0b 0d 09) coefficients.
constexpr Table kMul2 = make_mul(0x02), kMul3 = make_mul(0x03), kMul9 = make_mul(0x09),
                kMulB = make_mul(0x0b), kMulD = make_mul(0x0d), kMulE = make_mul(0x0e);

// FIPS-197's own examples: Figure 7 (S-box), Figure 14 (inverse), 4.2 ({57} * {83} = {c1},
// {57} * {13} = {fe}).
static_assert(kSbox[0x00] == 0x63 && kSbox[0x53] == 0xed && kSbox[0xff] == 0x16);
static_assert(kInvSbox[0x63] == 0x00 && kInvSbox[0xed] == 0x53 && kInvSbox[0x00] == 0x52);
static_assert(gf_mul(0x57, 0x83) == 0xc1 && gf_mul(0x57, 0x13) == 0xfe);

// ---------------------------------------------------------------- the round steps
// ShiftRows (FIPS-197 5.1.2): s'[r,c] = s[r,(c + r) mod 4]; InvShiftRows (5.3.1) the reverse.
// As byte permutations of the register: out[i] = in[perm[i]].
using Perm = std::array<u8, 16>;
constexpr Perm make_shift_rows(bool inv) {
    Perm p{};
    for (unsigned r = 0; r < 4; r++)
        for (unsigned c = 0; c < 4; c++) {
            const unsigned shifted = r + 4 * ((c + r) % 4);
            if (inv) p[shifted] = static_cast<u8>(r + 4 * c);
            else p[r + 4 * c] = static_cast<u8>(shifted);
        }
    return p;
}
constexpr Perm kShiftRows = make_shift_rows(false), kInvShiftRows = make_shift_rows(true);

// (Inv)ShiftRows then (Inv)SubBytes: both act bytewise, the order does not matter (5.1, 5.3).
VIREO_ALWAYS_INLINE void shift_sub(V128& s, const Perm& p, const Table& box) {
    V128 t;
    for (unsigned i = 0; i < 16; i++) t.b[i] = box[s.b[p[i]]];
    s = t;
}
// MixColumns (FIPS-197 5.1.3, (5.6)) on each column s[0..3,c] = register bytes 4c..4c+3.
void mix_columns(V128& s) {
    for (unsigned c = 0; c < 16; c += 4) {
        const u8 a0 = s.b[c], a1 = s.b[c + 1], a2 = s.b[c + 2], a3 = s.b[c + 3];
        s.b[c] = kMul2[a0] ^ kMul3[a1] ^ a2 ^ a3;
        s.b[c + 1] = a0 ^ kMul2[a1] ^ kMul3[a2] ^ a3;
        s.b[c + 2] = a0 ^ a1 ^ kMul2[a2] ^ kMul3[a3];
        s.b[c + 3] = kMul3[a0] ^ a1 ^ a2 ^ kMul2[a3];
    }
}
// InvMixColumns (FIPS-197 5.3.3, (5.10)).
void inv_mix_columns(V128& s) {
    for (unsigned c = 0; c < 16; c += 4) {
        const u8 a0 = s.b[c], a1 = s.b[c + 1], a2 = s.b[c + 2], a3 = s.b[c + 3];
        s.b[c] = kMulE[a0] ^ kMulB[a1] ^ kMulD[a2] ^ kMul9[a3];
        s.b[c + 1] = kMul9[a0] ^ kMulE[a1] ^ kMulB[a2] ^ kMulD[a3];
        s.b[c + 2] = kMulD[a0] ^ kMul9[a1] ^ kMulE[a2] ^ kMulB[a3];
        s.b[c + 3] = kMulB[a0] ^ kMulD[a1] ^ kMul9[a2] ^ kMulE[a3];
    }
}
// AddRoundKey (5.1.4): the key is the second operand.
VIREO_ALWAYS_INLINE void add_round_key(V128& s, const V128& k) {
    s.set<u64>(0, s.get<u64>(0) ^ k.get<u64>(0));
    s.set<u64>(1, s.get<u64>(1) ^ k.get<u64>(1));
}

// ---------------------------------------------------------------- the instructions
// SDM AESENC: ShiftRows, SubBytes, MixColumns, AddRoundKey. AESENCLAST: without MixColumns.
template <bool Last>
void v_aesenc(V128& d, const V128& k) {
    shift_sub(d, kShiftRows, kSbox);
    if (!Last) mix_columns(d);
    add_round_key(d, k);
}
// SDM AESDEC: InvShiftRows, InvSubBytes, InvMixColumns, AddRoundKey (the equivalent inverse
// cipher's round, FIPS-197 5.3.5). AESDECLAST: without InvMixColumns.
template <bool Last>
void v_aesdec(V128& d, const V128& k) {
    shift_sub(d, kInvShiftRows, kInvSbox);
    if (!Last) inv_mix_columns(d);
    add_round_key(d, k);
}
// SDM AESIMC: DEST = InvMixColumns(SRC) (turns an encryption round key into a decryption one).
void v_aesimc(V128& d, const V128& s) {
    d = s;
    inv_mix_columns(d);
}
// SDM AESKEYGENASSIST: X1 = SRC[63:32], X3 = SRC[127:96], RCON = imm8 zero-extended;
// DEST = [RotWord(SubWord(X3)) ^ RCON, SubWord(X3), RotWord(SubWord(X1)) ^ RCON, SubWord(X1)]
// (high dword first). RotWord is a rotation right by 8 bits of the little-endian dword
// (FIPS-197 5.2: [a0,a1,a2,a3] -> [a1,a2,a3,a0]).
u32 sub_word(u32 x) {
    return u32(kSbox[x & 0xff]) | u32(kSbox[(x >> 8) & 0xff]) << 8 | u32(kSbox[(x >> 16) & 0xff]) << 16 |
           u32(kSbox[x >> 24]) << 24;
}
void v_aeskeygenassist(V128& d, const V128& s, u8 imm) {
    const u32 x1 = sub_word(s.get<u32>(1)), x3 = sub_word(s.get<u32>(3));
    d.set<u32>(0, x1);
    d.set<u32>(1, std::rotr(x1, 8) ^ imm);
    d.set<u32>(2, x3);
    d.set<u32>(3, std::rotr(x3, 8) ^ imm);
}

constexpr SemEntry kEntries[] = {
    {"aesenc", xmm_form::bind<v_aesenc<false>>, false},
    {"aesenclast", xmm_form::bind<v_aesenc<true>>, false},
    {"aesdec", xmm_form::bind<v_aesdec<false>>, false},
    {"aesdeclast", xmm_form::bind<v_aesdec<true>>, false},
    {"aesimc", xmm_form::bind<v_aesimc>, false},
    {"aeskeygenassist", xmm_form::bind_i<v_aeskeygenassist>, false},
    // VEX.128 (AES + AVX).
    {"vaesenc", xmm_form::bind_vex<Feature::F_AES, v_aesenc<false>>, false},
    {"vaesenclast", xmm_form::bind_vex<Feature::F_AES, v_aesenc<true>>, false},
    {"vaesdec", xmm_form::bind_vex<Feature::F_AES, v_aesdec<false>>, false},
    {"vaesdeclast", xmm_form::bind_vex<Feature::F_AES, v_aesdec<true>>, false},
    {"vaesimc", xmm_form::bind_vex<Feature::F_AES, v_aesimc>, false},
    {"vaeskeygenassist", xmm_form::bind_vex_i<Feature::F_AES, v_aeskeygenassist>, false},
};

}  // namespace

std::span<const SemEntry> sem_aes() { return kEntries; }

}  // namespace vireo::x86
