// The SHA extensions, legacy-SSE forms (SDM Vol. 2B SHA1RNDS4, SHA1NEXTE, SHA1MSG1, SHA1MSG2,
// SHA256RNDS2, SHA256MSG1, SHA256MSG2; Intel "SHA Extensions" white paper 330725): four SHA-1
// rounds, two SHA-256 rounds, and the message-schedule steps, on dwords of xmm1 (SRC1, also
// the destination) and xmm2/m128 (SRC2). Each function below follows the instruction page's
// Operation section; the round functions and constants are FIPS 180-4's (4.1.1, 4.1.2, 4.2.1,
// 4.2.2). Dword i of a register is bits 32i+31:32i (the SDM's SRC[127:96] is dword 3).
//
// Alignment: the SDM's pages refer these legacy-SSE forms to exception type 4 (a misaligned
// m128 is #GP(0), as Bochs implements them), but AMD processors take the m128 at any alignment:
// the AMD EPYC host native_diff_crypto_test.cc runs on does, and so does QEMU's TCG (its SHA
// rows carry no alignment class). Vireo's CPU models are AMD-vendor (cpuid.cc, as QEMU's
// qemu64), so the SHA forms here follow AMD: no alignment check.
#include <bit>
#include "frontend-x86/semantics/crypto_common.h"

namespace vireo::x86 {
namespace {

using std::rotl;
using std::rotr;

// ---------------------------------------------------------------- SHA-1 (FIPS 180-4 4.1.1)
// f0 Ch (rounds 0-19), f1 Parity (20-39), f2 Maj (40-59), f3 Parity (60-79) and their K.
constexpr u32 sha1_f(unsigned i, u32 b, u32 c, u32 d) {
    switch (i) {
    case 0: return (b & c) ^ (~b & d);
    case 2: return (b & c) ^ (b & d) ^ (c & d);
    default: return b ^ c ^ d;
    }
}
constexpr u32 kSha1K[4] = {0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6};

// SDM SHA1RNDS4: four rounds with the function and constant imm8[1:0] selects. SRC1 holds
// A..D (A in dword 3); SRC2 holds W0+E (dword 3), W1, W2, W3: the first round's E is already
// added in (SHA1NEXTE), the later rounds add the previous round's E (the old D).
void v_sha1rnds4(V128& d, const V128& s, u8 imm) {
    const unsigned f = imm & 3;
    u32 a = d.get<u32>(3), b = d.get<u32>(2), c = d.get<u32>(1), dd = d.get<u32>(0), e = 0;
    for (unsigned i = 0; i < 4; i++) {
        const u32 w = s.get<u32>(3 - i);
        const u32 a1 = sha1_f(f, b, c, dd) + rotl(a, 5) + w + e + kSha1K[f];
        e = dd, dd = c, c = rotl(b, 30), b = a, a = a1;
    }
    d.set<u32>(3, a), d.set<u32>(2, b), d.set<u32>(1, c), d.set<u32>(0, dd);
}
// SDM SHA1NEXTE: DEST = SRC2 with SRC1[127:96] ROL 30 (the next E) added to dword 3.
void v_sha1nexte(V128& d, const V128& s) {
    const u32 e = rotl(d.get<u32>(3), 30);
    d = s;
    d.set<u32>(3, s.get<u32>(3) + e);
}
// SDM SHA1MSG1: W0..W3 = SRC1 dwords 3..0, W4, W5 = SRC2 dwords 3, 2;
// DEST = [W2^W0, W3^W1, W4^W2, W5^W3] (dword 3 first).
void v_sha1msg1(V128& d, const V128& s) {
    const u32 w0 = d.get<u32>(3), w1 = d.get<u32>(2), w2 = d.get<u32>(1), w3 = d.get<u32>(0);
    const u32 w4 = s.get<u32>(3), w5 = s.get<u32>(2);
    d.set<u32>(3, w2 ^ w0), d.set<u32>(2, w3 ^ w1), d.set<u32>(1, w4 ^ w2), d.set<u32>(0, w5 ^ w3);
}
// SDM SHA1MSG2: W13..W15 = SRC2 dwords 2..0; W16..W19 = (SRC1 dword 3-k ^ W(13+k)) ROL 1,
// W19 using W16; DEST = [W16, W17, W18, W19] (dword 3 first).
void v_sha1msg2(V128& d, const V128& s) {
    const u32 w13 = s.get<u32>(2), w14 = s.get<u32>(1), w15 = s.get<u32>(0);
    const u32 w16 = rotl(d.get<u32>(3) ^ w13, 1);
    const u32 w17 = rotl(d.get<u32>(2) ^ w14, 1);
    const u32 w18 = rotl(d.get<u32>(1) ^ w15, 1);
    const u32 w19 = rotl(d.get<u32>(0) ^ w16, 1);
    d.set<u32>(3, w16), d.set<u32>(2, w17), d.set<u32>(1, w18), d.set<u32>(0, w19);
}

// ---------------------------------------------------------------- SHA-256 (FIPS 180-4 4.1.2)
constexpr u32 ch(u32 x, u32 y, u32 z) { return (x & y) ^ (~x & z); }
constexpr u32 maj(u32 x, u32 y, u32 z) { return (x & y) ^ (x & z) ^ (y & z); }
constexpr u32 big_sigma0(u32 x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
constexpr u32 big_sigma1(u32 x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
constexpr u32 sigma0(u32 x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
constexpr u32 sigma1(u32 x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

// SDM SHA256RNDS2: two rounds. SRC1 = [C, D, G, H], SRC2 = [A, B, E, F] (dword 3 first), the
// two W+K values in XMM0[31:0] and XMM0[63:32]; DEST = [A2, B2, E2, F2].
void v_sha256rnds2(V128& d, const V128& s, const V128& wk) {
    u32 a = s.get<u32>(3), b = s.get<u32>(2), e = s.get<u32>(1), f = s.get<u32>(0);
    u32 c = d.get<u32>(3), dd = d.get<u32>(2), g = d.get<u32>(1), h = d.get<u32>(0);
    for (unsigned i = 0; i < 2; i++) {
        const u32 t = ch(e, f, g) + big_sigma1(e) + wk.get<u32>(i) + h;
        const u32 a1 = t + maj(a, b, c) + big_sigma0(a), e1 = t + dd;
        h = g, g = f, f = e, e = e1, dd = c, c = b, b = a, a = a1;
    }
    d.set<u32>(3, a), d.set<u32>(2, b), d.set<u32>(1, e), d.set<u32>(0, f);
}
// SDM SHA256MSG1: W0..W3 = SRC1 dwords 0..3, W4 = SRC2 dword 0; DEST dword i = Wi + σ0(W(i+1)).
void v_sha256msg1(V128& d, const V128& s) {
    const u32 w4 = s.get<u32>(0);
    for (unsigned i = 0; i < 4; i++) d.set<u32>(i, d.get<u32>(i) + sigma0(i < 3 ? d.get<u32>(i + 1) : w4));
}
// SDM SHA256MSG2: W14, W15 = SRC2 dwords 2, 3; W16 = SRC1[31:0] + σ1(W14),
// W17 = SRC1[63:32] + σ1(W15), W18 = SRC1[95:64] + σ1(W16), W19 = SRC1[127:96] + σ1(W17);
// DEST = [W19, W18, W17, W16] (dword 3 first).
void v_sha256msg2(V128& d, const V128& s) {
    const u32 w16 = d.get<u32>(0) + sigma1(s.get<u32>(2));
    const u32 w17 = d.get<u32>(1) + sigma1(s.get<u32>(3));
    const u32 w18 = d.get<u32>(2) + sigma1(w16);
    const u32 w19 = d.get<u32>(3) + sigma1(w17);
    d.set<u32>(0, w16), d.set<u32>(1, w17), d.set<u32>(2, w18), d.set<u32>(3, w19);
}

// SHA256RNDS2 xmm1, xmm2/m128, <XMM0>: XMM0 is read like a third source, after the checks and
// the memory read (so a fault leaves everything unchanged) and before xmm1 is written (xmm1 may
// be XMM0 itself).
template <bool Mem>
void h_sha256rnds2(CpuState& c, const Op& o) {
    sse_check(c);
    const V128 s = Mem ? read_m128<false>(c, o) : xmm_get(c, o.r1);
    const V128 wk = xmm_get(c, 0);
    V128 d = xmm_get(c, o.r0);
    v_sha256rnds2(d, s, wk);
    xmm_set(c, o.r0, d);
}
Handler bind_sha256rnds2(const DecodedInsn& d, Op& op) {
    return sse_fill(d, op) ? &h_sha256rnds2<true> : &h_sha256rnds2<false>;
}

constexpr SemEntry kEntries[] = {
    {"sha1rnds4", xmm_form::bind_i<v_sha1rnds4, false>, false},
    {"sha1nexte", xmm_form::bind<v_sha1nexte, false>, false},
    {"sha1msg1", xmm_form::bind<v_sha1msg1, false>, false},
    {"sha1msg2", xmm_form::bind<v_sha1msg2, false>, false},
    {"sha256rnds2", bind_sha256rnds2, false},
    {"sha256msg1", xmm_form::bind<v_sha256msg1, false>, false},
    {"sha256msg2", xmm_form::bind<v_sha256msg2, false>, false},
};

}  // namespace

std::span<const SemEntry> sem_sha() { return kEntries; }

}  // namespace vireo::x86
