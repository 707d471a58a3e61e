// Native-differential test of the XSAVE family (SDM Vol. 1 chapter 13): XSAVE, XSAVEOPT,
// XSAVEC and XRSTOR (standard and compacted forms), with and without REX.W and in
// compatibility mode, run natively and in Vireo's tier 0 from the same state
// (native_diff_harness.h); the GPRs, x87, MXCSR, XMM state and the whole data area (the XSAVE
// area with its header) are compared bit for bit.
//
// The instruction mask EDX:EAX requests x87 and/or SSE state (the components Vireo has; the
// host's XCR0 enables more, so requesting AVX would differ by design); its other bits are
// random. XSAVE's header keeps a random XSTATE_BV outside the request. XRSTOR gets valid and
// invalid headers of both forms: reserved bytes, XSTATE_BV bits outside XCR0 or XCOMP_BV,
// XCOMP_BV bits outside XCR0 (#GP(0) natively and in Vireo), and a misaligned area in one case
// of eight (#GP(0)). MXCSR_MASK (bytes 28-31) is the host's and not compared.
//
// XSAVES/XRSTORS (CPL 0) and XGETBV/XSETBV (XCR0 is the host kernel's) cannot run natively
// here: tests/unit/xsave_test.cc checks them.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "tests/cpu/native_diff_harness.h"

namespace vireo::test::native_diff {
namespace {
constexpr std::array<KnownFailure, 0> kKnownFailures{};
}  // namespace

const KnownFailure* known_failure(const std::string& name) {
    return find_known_failure(kKnownFailures, name);
}

namespace {

constexpr unsigned kArea = 576;  // legacy region + header: x87 and SSE state only

// NP [REX.W] 0F AE /digit or 0F C7 /digit with a memory operand [base + 0x10].
Form xform(const std::string& name, u8 op, int digit, int base, bool w, bool compat32) {
    Enc e;
    e.op = {0x0F, op};
    e.reg = digit;
    e.rm = M(base);
    e.w = w;
    Form f;
    f.name = name;
    f.code = encode(e);
    f.opbits = 64;
    f.simd = true;
    f.x87 = true;
    f.random_x87 = true;
    f.mem_base = base;
    f.mem_disp = 0x10;
    f.mem_size = kArea;
    f.mem_align = 64;
    f.compat32 = compat32;
    f.states = 1024;
    f.mem_ignore_off = 28;  // MXCSR_MASK
    f.mem_ignore_len = 4;
    return f;
}

u64 area_off(const Input& in, int base, bool compat32) {
    const u64 b = compat32 ? static_cast<u32>(in.gpr[base]) : in.gpr[base];
    return b + 0x10 - kDataAddr;
}

// EDX:EAX: x87 and/or SSE requested; EAX's bits 2-31 clear, EDX and the upper halves random
// (RAX/RDX[63:32] are ignored).
void random_mask(Input& in, Rng& r) {
    in.gpr[RAX] = (r() & ~0xffffffffull) | (r() & 3);
    in.gpr[RDX] = r() & ~0xffffffffull;
}

// A legacy region XRSTOR can load: MXCSR valid (now and then a reserved bit: #GP), FIP/FDP
// canonical for the 64-bit layout (what a host keeps of a non-canonical one is vendor-specific).
void legacy_region(Input& in, Rng& r, u64 off, bool w) {
    if (w)
        for (unsigned p : {8u, 16u}) put_mem(in, off + p, static_cast<u64>(static_cast<i64>(r() << 16) >> 16), 8);
    u32 m = r() % 4 ? 0x1F80 : static_cast<u32>(r() & 0xffff);
    if (r() % 16 == 0) m |= 1u << (18 + r() % 14);
    put_mem(in, off + 24, m, 4);
}

// An XSAVE header for XRSTOR: mostly valid (either form), sometimes broken in one way.
void xrstor_header(Input& in, Rng& r, u64 off) {
    const u64 h = off + 512;
    for (unsigned i = 0; i < 64; i += 8) put_mem(in, h + i, 0, 8);
    const bool compacted = r() % 2;
    u64 xcomp = compacted ? (1ull << 63) | (r() & 3) : 0;
    u64 xstate = r() & 3;
    if (compacted) xstate &= xcomp;
    switch (r() % 12) {
    case 0: xstate |= 1ull << 62; break;                 // outside XCR0 (and XCOMP_BV)
    case 1: xstate |= 1ull << (8 + r() % 2); break;      // supervisor bits: never in XCR0
    case 2: put_mem(in, h + 16 + 8 * (r() % 6), 1ull << (r() % 64), 8); break;  // reserved
    case 3:
        if (compacted) xstate |= 3 & ~xcomp;  // XSTATE_BV not within XCOMP_BV
        else xcomp = 1ull << (r() % 2);       // standard form with XCOMP_BV bits
        break;
    case 4:
        if (compacted) xcomp |= 1ull << 62;  // a component no XCR0 has
        break;
    default: break;
    }
    put_mem(in, h, xstate, 8);
    put_mem(in, h + 8, xcomp, 8);
    // Bytes 24-63 are reserved too; the standard form does not check them (13.8.1).
    if (!compacted && r() % 4 == 0) put_mem(in, h + 24 + 8 * (r() % 5), r(), 8);
}

std::vector<Form> xsave_forms() {
    std::vector<Form> v;
    struct Kind {
        const char* name;
        u8 op;
        int digit;
        bool restore;
    };
    constexpr Kind kinds[] = {
        {"xsave", 0xAE, 4, false}, {"xsaveopt", 0xAE, 6, false}, {"xsavec", 0xC7, 4, false},
        {"xrstor", 0xAE, 5, true},
    };
    for (const Kind& k : kinds) {
        for (int mode = 0; mode < 3; mode++) {  // 64-bit, REX.W, compatibility mode
            const bool w = mode == 1, compat = mode == 2;
            for (int base : {3, 13}) {
                if (compat && base == 13) continue;
                std::string nm = std::string(k.name) + (w ? "64" : "") + " [" + kRegNames[base] + "]" +
                                 (compat ? " (32-bit)" : "");
                Form f = xform(nm, k.op, k.digit, base, w, compat);
                f.setup = [base, w, compat, restore = k.restore](Input& in, Rng& r, unsigned) {
                    random_mask(in, r);
                    const u64 off = area_off(in, base, compat);
                    if (off + kArea > kDataSize) return;  // outside the data area: faults alike
                    if (restore) {
                        legacy_region(in, r, off, w);
                        xrstor_header(in, r, off);
                    } else {
                        put_mem(in, off + 512, r(), 8);  // XSTATE_BV before: kept outside RFBM
                        put_mem(in, off + 520, r() % 2 ? 0 : r(), 8);
                    }
                };
                v.push_back(f);
            }
        }
    }
    return v;
}

TEST(NativeDiff, Xsave) { harness().run_all("xsave/xsaveopt/xsavec/xrstor", xsave_forms()); }

}  // namespace
}  // namespace vireo::test::native_diff
