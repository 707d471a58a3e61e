// The native-differential harness (see native_diff_test.cc for what it checks): the native
// runner (trampolines in fixed low mappings, signals for faults, compatibility mode for the
// 32-bit-only forms), the Vireo runner (tier 0 on a FlatRamHost with the same linear layout),
// the instruction encoder the form catalogue uses, input generation and the comparison.
// x86-64 hosts only.
#pragma once
#include <gtest/gtest.h>
#include <signal.h>
#include <setjmp.h>
#include <asm/prctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "frontend-x86/cpu_state.h"
#include "frontend-x86/flags.h"
#include "jit/tier0.h"
#include "softmmu/flat_ram_host.h"
#include "tests/support/flat_cpu.h"

namespace vireo::test::native_diff {

using namespace vireo::x86;

// ------------------------------------------------------------------------------------------
// Layout shared by both sides (linear addresses; Vireo's RAM is identity-mapped).
constexpr u64 kCodeAddr = 0x00600000, kCodeSize = 0x10000;   // trampolines / guest code
constexpr u64 kStateAddr = 0x00700000, kStateSize = 0x2000;  // native state block + far stack
constexpr u64 kDataAddr = 0x00800000, kDataSize = 0x4000;    // the data the instructions touch
// Data area: page 0 is the stack (rSP starts at kStackInit), pages 1..3 hold memory operands
// and string buffers (page boundaries inside exercise page-crossing accesses).
constexpr u64 kStackInit = kDataAddr + 0x800;
constexpr u64 kOpLo = 0x1000, kOpHi = 0x4000;  // offsets in the data area for operands
constexpr size_t kGuestRam = 16 << 20;
// GS base on both sides (arch_prctl natively; glibc does not use GS on x86-64): GS-overridden
// operands reach the data area through a nonzero segment base.
constexpr u64 kGsBase = 0x1000;

constexpr u64 ALL = CF | PF | AF | ZF | SF | OF;

using Rng = std::mt19937_64;

// x87/SSE state travels in the FXSAVE64 layout (SDM Vol. 1 Table 10-3), the YMM upper halves
// beside it: the native side loads both with XRSTOR64 (EDX:EAX = 7: x87, SSE, AVX; the legacy
// region of the XSAVE area is the FXSAVE64 image, YMM_Hi128 is component 2 at offset 576, SDM
// Vol. 1 13.4, 13.5.3) before the instruction and stores them with XSAVE64 after; the Vireo side
// converts them to and from CpuState (fx_load/fx_store below, independent of Vireo's FXSAVE).
constexpr unsigned kFxBytes = 512;
constexpr unsigned kYmmHiOff = 576, kXsaveBytes = 832;

struct Input {
    u64 gpr[16];
    u64 rflags;
    std::array<u8, kDataSize> mem;
    alignas(16) u8 fx[kFxBytes];
    u8 ymmh[16][16];  // bits 255:128 of YMM0-15
};

struct Output {
    u64 gpr[16];  // on a fault: at the faulting instruction (rSP excepted: not compared)
    u64 rflags;
    int fault;    // vector, or -1
    u64 cr2;      // #PF: the faulting linear address
    const u8* mem;
    // x87/MXCSR/XMM after the instruction (FXSAVE64 layout). At a fault only MXCSR and the
    // XMM registers are compared (the kernel's signal frame gives the native ones).
    alignas(16) u8 fx[kFxBytes];
    u8 ymmh[16][16];  // bits 255:128 of YMM0-15 (compared at faults too)
};

// ------------------------------------------------------------------------------------------
// Instruction encoding (just what the forms below need).
struct Rm {
    bool mem = false;
    int reg = 0;     // register form: the register
    int base = 3;    // memory form: [base + disp8]
    int disp = 0x10;
};
inline Rm R(int r) { return Rm{false, r, 0, 0}; }
inline Rm M(int base, int disp = 0x10) { return Rm{true, 0, base, disp}; }

struct Enc {
    std::vector<u8> pre;  // legacy prefixes
    bool w = false;
    bool force_rex = false;
    std::vector<u8> op;   // opcode bytes (with 0F / 0F 38 escapes)
    int reg = 0;          // ModRM.reg or /digit
    Rm rm;
    bool modrm = true;
    std::vector<u8> imm;
};

inline void put_modrm(std::vector<u8>& b, int reg, const Rm& rm) {
    if (!rm.mem) {
        b.push_back(static_cast<u8>(0xC0 | (reg & 7) << 3 | (rm.reg & 7)));
        return;
    }
    b.push_back(static_cast<u8>(0x40 | (reg & 7) << 3 | (rm.base & 7)));
    if ((rm.base & 7) == 4) b.push_back(0x24);  // SIB: base only
    b.push_back(static_cast<u8>(rm.disp));
}

inline std::vector<u8> encode(const Enc& e) {
    std::vector<u8> b = e.pre;
    u8 rex = 0x40 | (e.w ? 8 : 0);
    if (e.modrm) {
        if (e.reg & 8) rex |= 4;
        if ((e.rm.mem ? e.rm.base : e.rm.reg) & 8) rex |= 1;
    }
    if (rex != 0x40 || e.force_rex) b.push_back(rex);
    b.insert(b.end(), e.op.begin(), e.op.end());
    if (e.modrm) put_modrm(b, e.reg, e.rm);
    b.insert(b.end(), e.imm.begin(), e.imm.end());
    return b;
}

// VEX (3-byte C4 form, SDM Vol. 2A 2.3.5): map 2 = 0F38, 3 = 0F3A; pp 0 none, 1 66, 2 F3, 3 F2.
inline std::vector<u8> encode_vex(int map, int pp, bool w, int reg, int vvvv, const Rm& rm) {
    const int rmr = rm.mem ? rm.base : rm.reg;
    std::vector<u8> b = {0xC4,
                         static_cast<u8>((reg & 8 ? 0 : 0x80) | 0x40 | (rmr & 8 ? 0 : 0x20) | map),
                         static_cast<u8>((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp)};
    return b;
}

inline std::vector<u8> vex_insn(int map, int pp, bool w, u8 opcode, int reg, int vvvv, const Rm& rm,
                         std::vector<u8> imm = {}) {
    std::vector<u8> b = encode_vex(map, pp, w, reg, vvvv, rm);
    b.push_back(opcode);
    put_modrm(b, reg, rm);
    b.insert(b.end(), imm.begin(), imm.end());
    return b;
}

inline std::vector<u8> le(u64 v, unsigned n) {
    std::vector<u8> b(n);
    for (unsigned i = 0; i < n; i++) b[i] = static_cast<u8>(v >> (8 * i));
    return b;
}

inline std::string hex(const std::vector<u8>& b) {
    std::string s;
    char t[4];
    for (u8 x : b) {
        std::snprintf(t, sizeof t, "%02x ", x);
        s += t;
    }
    if (!s.empty()) s.pop_back();
    return s;
}

// ------------------------------------------------------------------------------------------
// A form: one encoding, how to prepare its inputs, and what of the result is defined.
struct Form {
    std::string name;
    bool simd = false;      // prints the XMM inputs in mismatch reports
    bool x87 = false;       // prints the x87 inputs (FCW/FSW/FTW, ST0-ST7) in mismatch reports
    unsigned mem_align = 0; // the memory operand is aligned to this in 7 of 8 cases
    bool random_x87 = false;  // random x87 control/status/tag/pointers in the input state
    std::vector<u8> code;
    bool compat32 = false;  // run in 32-bit (compatibility) mode
    unsigned opbits = 64;   // operand size: random register values are edge-biased for it
    int mem_base = -1;      // memory operand [mem_base + mem_disp] of mem_size bytes
    int mem_disp = 0x10;
    u64 mem_seg_base = 0;   // the memory operand's segment base (GS override)
    unsigned mem_size = 0;
    unsigned states = 0;    // 0: the default count
    bool random_df = false;
    u64 flags = ALL;                                  // defined (compared) flags
    std::function<u64(const Input&)> flags_fn;        // or per input
    std::function<void(Input&, Rng&, unsigned)> setup;
    std::function<bool(const Input&)> skip;           // undefined result: not compared
    // Bytes of the memory operand not compared: [mem_ignore_off, +mem_ignore_len), e.g. the
    // MXCSR_MASK field of an FXSAVE image (host-specific: AMD reports bit 17 too).
    unsigned mem_ignore_off = 0, mem_ignore_len = 0;
    // XMM registers (and YMM upper halves) that differ are still accepted when this says the two
    // values are close enough (RCPPS/RSQRTPS: the architecture bounds the error, the bits are
    // the vendor's).
    std::function<bool(const u8* native16, const u8* vireo16)> xmm_close;
    // The x87 result registers (bit i: ST(i) after the instruction) may differ from the host's by
    // at most x87_tol_ulps units in the last place of the 64-bit significand (the host's
    // transcendental microcode is not correctly rounded: see native_diff_x87.h). C1 ("rounded
    // up", SDM Vol. 1 Table 8-1) describes that very rounding, so with the results within the
    // tolerance it may differ too (the host's approximation can fall on the other side of the
    // value both round to); every other byte of the x87 state (flags, C0/C2/C3, tags, TOP, other registers) stays
    // exact. Each accepted case is counted and printed.
    unsigned x87_tol_regs = 0;
    unsigned x87_tol_ulps = 0;
    bool ymm = false;  // prints the YMM upper halves of the input in mismatch reports
};

// ------------------------------------------------------------------------------------------
// Value generation: edge-biased, with random bits above the operand size (they must be
// preserved or zeroed exactly as the architecture says).
inline u64 gen_value(Rng& r, unsigned bits) {
    const u64 mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    const u64 sign = 1ull << (bits - 1);
    u64 v;
    switch (r() % 12) {
    case 0: v = r() & 3; break;
    case 1: v = 0 - (r() % 3 + 1); break;
    case 2: v = sign; break;
    case 3: v = sign - 1; break;
    case 4: v = sign + (r() % 3) - 1; break;
    case 5: v = 1ull << (r() % bits); break;
    case 6: v = (1ull << (r() % bits)) - 1; break;
    case 7: v = r() & 0xff; break;
    default: v = r(); break;
    }
    const u64 hi = (r() % 4 == 0) ? 0 : r();
    return (hi & ~mask) | (v & mask);
}

inline u64 flag_combo(unsigned k) {
    static constexpr u64 bits[6] = {CF, PF, AF, ZF, SF, OF};
    u64 f = 0;
    for (int i = 0; i < 6; i++)
        if (k & (1u << i)) f |= bits[i];
    return f;
}

inline void put_mem(Input& in, u64 off, u64 v, unsigned size) {
    if (off > kDataSize - size) std::abort();  // a bug in a form's setup
    std::memcpy(&in.mem[off], &v, size);
}
inline u64 get_mem(const Input& in, u64 off, unsigned size) {
    u64 v = 0;
    std::memcpy(&v, &in.mem[off], size);
    return v;
}
// An operand offset in pages 1..3; one in eight straddles a page boundary.
inline u64 pick_off(Rng& r, unsigned size) {
    if (size > 1 && r() % 8 == 0) return 0x1000 * (2 + r() % 2) - 1 - r() % (size - 1);
    return kOpLo + r() % (kOpHi - kOpLo - 16);
}

// An XMM value: whole-register patterns (0, all ones) or lanes of one width (1, 2, 4 or 8
// bytes) that are all sign bits, all largest positives, edge-biased values, or random.
inline void gen_vec(Rng& r, u8* v) {
    const unsigned kind = r() % 10;
    if (kind == 0 || kind == 1) {
        std::memset(v, kind ? 0xff : 0, 16);
        return;
    }
    const unsigned w = 1u << (r() % 4);
    for (unsigned i = 0; i < 16; i += w) {
        const u64 sign = 1ull << (8 * w - 1);
        u64 x;
        switch (kind) {
        case 2: x = sign; break;
        case 3: x = sign - 1; break;
        case 4: case 5: case 6: x = gen_value(r, 8 * w); break;
        default: x = r(); break;
        }
        std::memcpy(v + i, &x, w);
    }
}

// The x87/SSE input state (FXSAVE64 layout): FNINIT's x87 control state with random register
// contents (or random control/status/tags/pointers), MXCSR at its reset value or random valid,
// random XMM values.
inline void gen_fx(u8* fx, Rng& r, bool random_x87) {
    std::memset(fx, 0, kFxBytes);
    u16 fcw = 0x037F, fsw = 0;
    u8 ftw = 0;
    if (random_x87) {
        // A state the x87 can hold (what FXRSTOR makes of any image, SDM Vol. 1 8.1.3, 8.1.5):
        // FCW bit 6 set, bits 7 and 13-15 clear; FSW.ES and FSW.B set exactly when an
        // exception flag is set whose mask bit is clear.
        fcw = static_cast<u16>((r() & 0x1F3F) | 0x40);
        fsw = static_cast<u16>(r() & 0x7F7F);
        if (fsw & ~fcw & 0x3F) fsw |= 0x8080;
        ftw = static_cast<u8>(r());
    }
    std::memcpy(fx + 0, &fcw, 2);
    std::memcpy(fx + 2, &fsw, 2);
    fx[4] = ftw;
    // AMD saves FOP/FIP/FDP only while an exception is pending (FSW.ES, AMD APM FXSAVE): the
    // pointers are random only then, so both hosts agree.
    if (random_x87 && (fsw & 0x80)) {
        const u16 fop = static_cast<u16>(r() & 0x7ff);
        const u64 fip = r() & 0x7fffffffffffull, fdp = r() & 0x7fffffffffffull;
        std::memcpy(fx + 6, &fop, 2);
        std::memcpy(fx + 8, &fip, 8);
        std::memcpy(fx + 16, &fdp, 8);
    }
    const u32 mxcsr = r() % 4 == 0 ? static_cast<u32>(r() & 0xffff) : 0x1F80;
    std::memcpy(fx + 24, &mxcsr, 4);
    for (unsigned i = 0; i < 8; i++)
        for (unsigned k = 0; k < 10; k++) fx[32 + 16 * i + k] = static_cast<u8>(r());
    for (unsigned i = 0; i < 16; i++) gen_vec(r, fx + 160 + 16 * i);
}

// ------------------------------------------------------------------------------------------
// Native side.
struct alignas(64) NativeState {
    u64 gpr[16];
    u64 rflags;
    u64 saved_rsp;
};
inline NativeState* const g_state = reinterpret_cast<NativeState*>(kStateAddr);
// XSAVE area (x87, SSE, AVX) loaded before the instruction and stored after it (64-byte
// aligned, kXsaveBytes each), and the MXCSR the host gets back (with FNINIT) before returning
// to C++.
constexpr u64 kFxInAddr = kStateAddr + 0x800, kFxOutAddr = kStateAddr + 0xC00;
constexpr u64 kHostMxcsrAddr = kStateAddr + 0x300;
constexpr u64 kFarStack = kStateAddr + kStateSize - 64;

inline sigjmp_buf g_jmp;
inline volatile int g_trapno = -1;

// The register state the kernel reports at a fault: what Vireo must show at the same fault
// (SDM Vol. 3A 6.6: faults leave the state of the faulting instruction's start, or for a REP
// string instruction that of the faulting iteration).
struct FaultRegs {
    u64 gpr[16];
    u64 rflags, rip, cr2;
    alignas(16) u8 fx[kFxBytes];  // the signal frame's FXSAVE-format FPU state
    u8 ymmh[16][16];              // and its YMM_Hi128 component (zero when in its init state)
};
inline FaultRegs g_fault;

inline void on_signal(int, siginfo_t*, void* ctx) {
    const greg_t* g = static_cast<ucontext_t*>(ctx)->uc_mcontext.gregs;
    static constexpr int kMap[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                     REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
    for (int i = 0; i < 16; i++) g_fault.gpr[i] = static_cast<u64>(g[kMap[i]]);
    g_fault.rflags = static_cast<u64>(g[REG_EFL]);
    g_fault.rip = static_cast<u64>(g[REG_RIP]);
    g_fault.cr2 = static_cast<u64>(g[REG_CR2]);
    std::memset(g_fault.ymmh, 0, sizeof g_fault.ymmh);
    if (const auto* fp = static_cast<ucontext_t*>(ctx)->uc_mcontext.fpregs) {
        std::memcpy(g_fault.fx, fp, kFxBytes);
        // The kernel's frame is an XSAVE image when the software-reserved bytes 464-511 carry
        // FP_XSTATE_MAGIC1 (Linux uapi sigcontext.h); YMM_Hi128 is there when XSTATE_BV[2] = 1.
        const u8* img = reinterpret_cast<const u8*>(fp);
        u32 magic;
        u64 xstate_bv;
        std::memcpy(&magic, img + 464, 4);
        std::memcpy(&xstate_bv, img + 512, 8);
        if (magic == 0x46505853u && (xstate_bv & 4)) std::memcpy(g_fault.ymmh, img + kYmmHiOff, sizeof g_fault.ymmh);
    }
    g_trapno = static_cast<int>(g[REG_TRAPNO]);
    siglongjmp(g_jmp, 1);
}

struct Emit {
    std::vector<u8> b;
    void put(std::initializer_list<u8> x) { b.insert(b.end(), x); }
    void put32(u32 v) { for (int i = 0; i < 4; i++) b.push_back(static_cast<u8>(v >> (8 * i))); }
    // mov r64, [abs32] / mov [abs32], r64
    void mov64(bool store, int reg, u32 addr) {
        put({static_cast<u8>(0x48 | (reg & 8 ? 4 : 0)), static_cast<u8>(store ? 0x89 : 0x8B),
             static_cast<u8>((reg & 7) << 3 | 4), 0x25});
        put32(addr);
    }
    // mov eax, 7; xor edx, edx; XRSTOR64 [abs32] (REX.W 0F AE /5) / XSAVE64 [abs32] (REX.W 0F AE /4)
    void fx64(bool save, u32 addr) {
        put({0xB8, 0x07, 0x00, 0x00, 0x00, 0x31, 0xD2});
        put({0x48, 0x0F, 0xAE, static_cast<u8>(save ? 0x24 : 0x2C), 0x25});
        put32(addr);
    }
    // After the instruction: FNINIT and LDMXCSR [abs32] give the host a sane FPU again.
    void fpu_host(u32 mxcsr_addr) {
        put({0xDB, 0xE3, 0x0F, 0xAE, 0x14, 0x25});
        put32(mxcsr_addr);
    }
    // mov r32, [abs32] / mov [abs32], r32 in 32-bit code
    void mov32(bool store, int reg, u32 addr) {
        put({static_cast<u8>(store ? 0x89 : 0x8B), static_cast<u8>((reg & 7) << 3 | 5)});
        put32(addr);
    }
};

class Native {
public:
    bool ok = false;
    std::string why;

    Native() {
        void* code = mmap(reinterpret_cast<void*>(kCodeAddr), kCodeSize, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        void* state = mmap(reinterpret_cast<void*>(kStateAddr), kStateSize, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        void* data = mmap(reinterpret_cast<void*>(kDataAddr), kDataSize, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        // Inaccessible pages right below and above the data area: string instructions run into
        // them to check the state Vireo reports at a page fault in the middle of a REP.
        void* below = mmap(reinterpret_cast<void*>(kDataAddr - 0x1000), 0x1000, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        void* above = mmap(reinterpret_cast<void*>(kDataAddr + kDataSize), 0x1000, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (code != reinterpret_cast<void*>(kCodeAddr) || state != reinterpret_cast<void*>(kStateAddr) ||
            data != reinterpret_cast<void*>(kDataAddr) || below != reinterpret_cast<void*>(kDataAddr - 0x1000) ||
            above != reinterpret_cast<void*>(kDataAddr + kDataSize)) {
            why = "cannot map the fixed low test areas";
            return;
        }
        alt_stack_.resize(1 << 16);
        stack_t ss{};
        ss.ss_sp = alt_stack_.data();
        ss.ss_size = alt_stack_.size();
        sigaltstack(&ss, nullptr);
        if (syscall(SYS_arch_prctl, ARCH_SET_GS, kGsBase) != 0) {
            why = "arch_prctl(ARCH_SET_GS) failed";
            return;
        }
        struct sigaction sa{};
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        for (int s : {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP}) sigaction(s, &sa, nullptr);
        ok = true;
    }

    // Build the trampoline for `insn`; returns the address the instruction sits at.
    u64 load(const std::vector<u8>& insn, bool compat32) {
        Emit e;
        e.put({0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57});  // push rbx..r15
        e.mov64(true, RSP, kStateAddr + offsetof(NativeState, saved_rsp));
        e.fx64(false, kFxInAddr);
        u64 at;
        if (!compat32) {
            e.put({0xFF, 0x34, 0x25});  // push qword [rflags]; popfq
            e.put32(kStateAddr + offsetof(NativeState, rflags));
            e.put({0x9D});
            for (int r = 0; r < 16; r++) e.mov64(false, r, kStateAddr + 8 * r);
            at = kCodeAddr + e.b.size();
            e.b.insert(e.b.end(), insn.begin(), insn.end());
            for (int r = 0; r < 16; r++) e.mov64(true, r, kStateAddr + 8 * r);
            e.mov64(false, RSP, kStateAddr + offsetof(NativeState, saved_rsp));
            e.put({0x9C, 0x8F, 0x04, 0x25});  // pushfq; pop qword [rflags]
            e.put32(kStateAddr + offsetof(NativeState, rflags));
            e.fx64(true, kFxOutAddr);
            e.fpu_host(kHostMxcsrAddr);
        } else {
            // To 32-bit: mov rsp, far stack; push 0x23; push label32; retfq.
            e.put({0x48, 0xC7, 0xC4});
            e.put32(kFarStack);
            e.put({0x6A, 0x23, 0x68});
            const size_t fix32 = e.b.size();
            e.put32(0);
            e.put({0x48, 0xCB});
            const u32 label32 = static_cast<u32>(kCodeAddr + e.b.size());
            std::memcpy(&e.b[fix32], &label32, 4);
            // 64-bit Linux runs with null DS/ES, which compatibility mode cannot use:
            // push ss; pop ds; push ss; pop es.
            e.put({0x16, 0x1F, 0x16, 0x07});
            e.put({0xFF, 0x35});  // push dword [rflags]; popfd
            e.put32(kStateAddr + offsetof(NativeState, rflags));
            e.put({0x9D});
            for (int r = 0; r < 8; r++) e.mov32(false, r, kStateAddr + 8 * r);
            at = kCodeAddr + e.b.size();
            e.b.insert(e.b.end(), insn.begin(), insn.end());
            for (int r = 0; r < 8; r++) e.mov32(true, r, kStateAddr + 8 * r);
            e.put({0xBC});  // mov esp, far stack
            e.put32(kFarStack);
            e.put({0x9C, 0x8F, 0x05});  // pushfd; pop dword [rflags]
            e.put32(kStateAddr + offsetof(NativeState, rflags));
            e.put({0x6A, 0x33, 0x68});  // push 0x33; push label64; retf
            const size_t fix64 = e.b.size();
            e.put32(0);
            e.put({0xCB});
            const u32 label64 = static_cast<u32>(kCodeAddr + e.b.size());
            std::memcpy(&e.b[fix64], &label64, 4);
            e.mov64(false, RSP, kStateAddr + offsetof(NativeState, saved_rsp));
            e.put({0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xC0});  // xor eax,eax; mov ds,eax; mov es,eax
            e.fx64(true, kFxOutAddr);
            e.fpu_host(kHostMxcsrAddr);
        }
        e.put({0xFC, 0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B, 0xC3});  // cld; pop; ret
        std::memcpy(reinterpret_cast<void*>(kCodeAddr), e.b.data(), e.b.size());
        __builtin___clear_cache(reinterpret_cast<char*>(kCodeAddr), reinterpret_cast<char*>(kCodeAddr + e.b.size()));
        return at;
    }

    Output run(const Input& in) {
        u8* data = reinterpret_cast<u8*>(kDataAddr);
        std::memcpy(data, in.mem.data(), kDataSize);
        std::memcpy(g_state->gpr, in.gpr, sizeof in.gpr);
        g_state->rflags = in.rflags;
        // The XSAVE area: legacy region, header (XSTATE_BV = 7, XCOMP_BV = 0: standard form),
        // YMM_Hi128.
        u8* xs = reinterpret_cast<u8*>(kFxInAddr);
        std::memset(xs, 0, kXsaveBytes);
        std::memcpy(xs, in.fx, kFxBytes);
        xs[512] = 7;
        std::memcpy(xs + kYmmHiOff, in.ymmh, sizeof in.ymmh);
        const u32 host_mxcsr = 0x1F80;
        std::memcpy(reinterpret_cast<void*>(kHostMxcsrAddr), &host_mxcsr, 4);
        Output out{};
        out.fault = call();
        if (out.fault >= 0) {
            std::memcpy(out.gpr, g_fault.gpr, sizeof out.gpr);
            out.rflags = g_fault.rflags;
            out.cr2 = g_fault.cr2;
            std::memcpy(out.fx, g_fault.fx, kFxBytes);
            std::memcpy(out.ymmh, g_fault.ymmh, sizeof out.ymmh);
        } else {
            std::memcpy(out.gpr, g_state->gpr, sizeof out.gpr);
            out.rflags = g_state->rflags;
            std::memcpy(out.fx, reinterpret_cast<const void*>(kFxOutAddr), kFxBytes);
            std::memcpy(out.ymmh, reinterpret_cast<const u8*>(kFxOutAddr) + kYmmHiOff, sizeof out.ymmh);
        }
        out.mem = data;
        return out;
    }

private:
    std::vector<u8> alt_stack_;

    __attribute__((noinline)) int call() {
        g_trapno = -1;
        if (sigsetjmp(g_jmp, 1)) {
            // The instruction faulted with the input's FPU state loaded: give the host its own.
            const u32 m = 0x1F80;
            asm volatile("fninit\n\tldmxcsr %0" : : "m"(m));
            return g_trapno;
        }
        reinterpret_cast<void (*)()>(kCodeAddr)();
        return -1;
    }
};

// ------------------------------------------------------------------------------------------
// The FXSAVE64 image <-> CpuState (SDM Vol. 1 Table 10-3), for the Vireo side of the harness.
template <typename T>
inline T fx_get(const u8* fx, unsigned off) {
    T v;
    std::memcpy(&v, fx + off, sizeof v);
    return v;
}
template <typename T>
inline void fx_put(u8* fx, unsigned off, T v) { std::memcpy(fx + off, &v, sizeof v); }

inline void fx_load(CpuState& c, const u8* fx) {
    X87State& x = c.x87;
    x.fcw = fx_get<u16>(fx, 0);
    x.fsw = fx_get<u16>(fx, 2);
    x.ftw = fx[4];
    x.fop = fx_get<u16>(fx, 6) & 0x7ff;
    x.fip = fx_get<u64>(fx, 8);
    x.fdp = fx_get<u64>(fx, 16);
    x.fcs = x.fds = 0;
    const unsigned top = (x.fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++) std::memcpy(x.r[(top + i) & 7], fx + 32 + 16 * i, 10);
    c.mxcsr = fx_get<u32>(fx, 24);
    for (unsigned i = 0; i < 16; i++) std::memcpy(c.xmm[i].b, fx + 160 + 16 * i, 16);
}
inline void fx_store(const CpuState& c, u8* fx) {
    std::memset(fx, 0, kFxBytes);
    const X87State& x = c.x87;
    fx_put<u16>(fx, 0, x.fcw);
    fx_put<u16>(fx, 2, x.fsw);
    fx[4] = x.ftw;
    fx_put<u16>(fx, 6, x.fop);
    fx_put<u64>(fx, 8, x.fip);
    fx_put<u64>(fx, 16, x.fdp);
    fx_put<u32>(fx, 24, c.mxcsr);
    fx_put<u32>(fx, 28, kMxcsrMask);
    const unsigned top = (x.fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++) std::memcpy(fx + 32 + 16 * i, x.r[(top + i) & 7], 10);
    for (unsigned i = 0; i < 16; i++) std::memcpy(fx + 160 + 16 * i, c.xmm[i].b, 16);
}

// ------------------------------------------------------------------------------------------
// Vireo side.
class Vireo {
public:
    FlatRamHost host{kGuestRam};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> engine;
    u64 code_at = 0, end_rip = 0;
    u64 extra_eflags = 0;  // e.g. TF, for the tier-0-only tests

    Vireo() {
        c.host = &host;
        for (Feature f : {Feature::F_BASE, Feature::F_X87, Feature::F_CX8, Feature::F_CMOV, Feature::F_MMX,
                          Feature::F_SSE, Feature::F_SSE2, Feature::F_SSE3, Feature::F_SSSE3, Feature::F_SSE41,
                          Feature::F_SSE42, Feature::F_POPCNT, Feature::F_LZCNT, Feature::F_BMI1,
                          Feature::F_BMI2, Feature::F_ADX, Feature::F_MOVBE, Feature::F_CX16,
                          Feature::F_LAHF64, Feature::F_LM, Feature::F_FXSR, Feature::F_TSC, Feature::F_MSR,
                          Feature::F_AES, Feature::F_PCLMUL, Feature::F_SHA, Feature::F_AVX,
                          Feature::F_F16C, Feature::F_FMA, Feature::F_AVX2})  // AVX2: Vireo side only
            set(c.features, f);
        // XSAVE as the host's kernel enables it (CR4.OSXSAVE), with the components Vireo has
        // (x87, SSE and AVX; the XSAVE tests request x87 and SSE only).
        for (Feature f : {Feature::F_XSAVE, Feature::F_XSAVEOPT, Feature::F_XSAVEC}) set(c.features, f);
        cpu_reset(c);
        host.tracker().add_cpu(&c);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        make_flat_long_mode(c, host);
        c.cr4 |= CR4_OSXSAVE;
        c.xcr0 = 7;
        // 4 KiB pages for [0x600000, 0xA00000) with the two pages around the data area not
        // present, like the native side's PROT_NONE pages.
        constexpr u64 kPt = 0x9000;
        for (u64 i = 0; i < 1024; i++) {
            const u64 lin = 0x600000 + i * 4096;
            const bool hole = lin == kDataAddr - 0x1000 || lin == kDataAddr + kDataSize;
            put_u64(host, kPt + 8 * i, hole ? 0 : lin | 0x67);
        }
        put_u64(host, kPd + 8 * 3, kPt | 0x27);
        put_u64(host, kPd + 8 * 4, (kPt + 0x1000) | 0x27);
        tlb_flush_all(c);
        c.seg[GS].base = kGsBase;
        engine = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }

    void load(const std::vector<u8>& insn, u64 at, bool compat32) {
        std::memcpy(host.ram() + at, insn.data(), insn.size());
        host.ram()[at + insn.size()] = 0xF4;  // hlt
        code_at = at;
        end_rip = at + insn.size() + 1;
        cache.invalidate_all();
        compat32_ = compat32;
    }

    Output run(const Input& in) {
        std::memcpy(host.ram() + kDataAddr, in.mem.data(), kDataSize);
        for (int i = 0; i < 16; i++) c.gpr[i] = in.gpr[i];
        c.gpr[REG_ZERO] = 0;
        set_code_segment(c, compat32_);
        write_rflags_raw(c, (in.rflags & (ALL | DF)) | 2 | extra_eflags);
        c.rip = code_at;
        c.halted = false;
        c.irq_inhibit = false;
        fx_load(c, in.fx);
        for (unsigned i = 0; i < 16; i++) std::memcpy(c.xmm[i].b + 16, in.ymmh[i], 16);
        engine->run(10'000'000);
        Output out{};
        for (int i = 0; i < 16; i++) out.gpr[i] = c.gpr[i];
        out.rflags = read_rflags(c);
        out.cr2 = c.cr2;
        out.mem = host.ram() + kDataAddr;
        fx_store(c, out.fx);
        for (unsigned i = 0; i < 16; i++) std::memcpy(out.ymmh[i], c.xmm[i].b + 16, 16);
        if (c.halted && c.rip == end_rip) out.fault = -1;
        else if (fault_vector(c) >= 0) out.fault = fault_vector(c);
        else out.fault = 1000;  // did not finish
        return out;
    }

private:
    bool compat32_ = false;
};

// ------------------------------------------------------------------------------------------
// The comparison driver.
inline unsigned env_uint(const char* name, unsigned dflt) {
    const char* v = std::getenv(name);
    return v && *v ? static_cast<unsigned>(std::strtoul(v, nullptr, 0)) : dflt;
}

inline const char* const kRegNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                   "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

inline std::string flags_str(u64 f) {
    std::string s;
    s += f & OF ? 'O' : '-';
    s += f & DF ? 'D' : '-';
    s += f & SF ? 'S' : '-';
    s += f & ZF ? 'Z' : '-';
    s += f & AF ? 'A' : '-';
    s += f & PF ? 'P' : '-';
    s += f & CF ? 'C' : '-';
    return s;
}

// Known failures (defined by the test file): forms that still differ, each with the reason.
// They run and are reported but do not fail the test; one that passes does, so that it is taken
// off the list.
struct KnownFailure {
    const char* form;  // exact form name
    const char* why;
};
const KnownFailure* known_failure(const std::string& name);
// What a test file's known_failure() looks up in its own list.
template <size_t N>
const KnownFailure* find_known_failure(const std::array<KnownFailure, N>& list, const std::string& name) {
    for (const KnownFailure& k : list)
        if (name == k.form) return &k;
    return nullptr;
}

struct Harness {
    Native native;
    Vireo vireo;
    std::vector<u8> base_image = std::vector<u8>(kDataSize);
    unsigned states = env_uint("VIREO_NATIVE_DIFF_STATES", 256);
    unsigned examples = env_uint("VIREO_NATIVE_DIFF_EXAMPLES", 12);
    unsigned per_form = env_uint("VIREO_NATIVE_DIFF_PER_FORM", 2);
    u64 seed = env_uint("VIREO_NATIVE_DIFF_SEED", 1);
    const char* filter = std::getenv("VIREO_NATIVE_DIFF_FILTER");
    // Compare the flags the SDM leaves undefined too: how close Vireo's choices are to this
    // host's (informative; the choices are Intel/AMD-specific).
    const bool strict = env_uint("VIREO_NATIVE_DIFF_STRICT", 0) != 0;
    const bool verbose = env_uint("VIREO_NATIVE_DIFF_VERBOSE", 0) != 0;

    Harness() {
        Rng r(0x5eed);
        for (auto& b : base_image) b = static_cast<u8>(r());
    }

    struct Stats {
        u64 forms = 0, cases = 0, compared = 0, faults = 0, skipped = 0, mismatches = 0;
        u64 changed = 0;  // compared cases where the instruction changed something natively
        std::string known;   // known failures that failed (as expected)
        std::string fixed;   // known failures that passed
        std::string report;
        unsigned printed = 0;
    };

    void run_form(const Form& f, Stats& st) {
        if (filter && f.name.find(filter) == std::string::npos) return;
        if (const KnownFailure* kf = known_failure(f.name)) {
            Stats sub;
            run_cases(f, sub);
            st.forms++, st.cases += sub.cases;
            if (sub.mismatches) st.known += "  " + f.name + ": " + kf->why + "\n";
            else st.fixed += "  " + f.name + "\n";
            return;
        }
        run_cases(f, st);
    }

    void run_cases(const Form& f, Stats& st) {
        st.forms++;
        if (verbose) std::fprintf(stderr, "  form %s [%s]\n", f.name.c_str(), hex(f.code).c_str());
        const u64 at = native.load(f.code, f.compat32);
        vireo.load(f.code, at, f.compat32);
        Rng r(seed * 0x9E3779B97F4A7C15ull ^ std::hash<std::string>()(f.name));
        const unsigned n = f.states ? f.states : states;
        unsigned form_bad = 0;
        auto in = std::make_unique<Input>();
        for (unsigned k = 0; k < n; k++) {
            for (int i = 0; i < 16; i++) in->gpr[i] = gen_value(r, f.opbits);
            in->gpr[RSP] = kStackInit;
            in->rflags = 0x202 | flag_combo(k % 64) | (f.random_df && (r() & 1) ? DF : 0);
            std::memcpy(in->mem.data(), base_image.data(), kDataSize);
            gen_fx(in->fx, r, f.random_x87);
            {  // YMM upper halves from their own stream: the other inputs are as they were
                Rng ry((seed * 0x2545F4914F6CDD1Dull) ^ ((k + 1) * 0xD1B54A32D192ED03ull) ^
                       std::hash<std::string>()(f.name));
                for (auto& h : in->ymmh) gen_vec(ry, h);
            }
            if (f.mem_base >= 0) {
                u64 off = f.mem_size > 16 ? kOpLo + r() % (kOpHi - kOpLo - f.mem_size) : pick_off(r, f.mem_size);
                if (f.mem_align && r() % 8) off &= ~static_cast<u64>(f.mem_align - 1);
                in->gpr[f.mem_base] = kDataAddr + off - f.mem_disp - f.mem_seg_base;
                for (unsigned o = 0; o < f.mem_size; o += 8) {
                    const unsigned n = std::min(8u, f.mem_size - o);
                    put_mem(*in, off + o, gen_value(r, n * 8), n);
                }
            }
            if (f.setup) f.setup(*in, r, k);
            if (f.compat32)
                for (auto& g : in->gpr) g = static_cast<u32>(g);
            st.cases++;
            if (f.skip && f.skip(*in)) {
                st.skipped++;
                continue;
            }
            const Output a = native.run(*in);
            const Output b = vireo.run(*in);
            std::string diff = compare(f, *in, a, a.mem, b);
            if (a.fault >= 0) {
                st.faults++;
            } else {
                st.compared++;
                if (std::memcmp(a.gpr, in->gpr, sizeof a.gpr) || ((a.rflags ^ in->rflags) & (ALL | DF)) ||
                    std::memcmp(a.mem, in->mem.data(), kDataSize) || std::memcmp(a.fx + 160, in->fx + 160, 256) ||
                    std::memcmp(a.ymmh, in->ymmh, sizeof a.ymmh) ||
                    std::memcmp(a.fx, in->fx, 28))
                    st.changed++;
            }
            if (diff.empty()) continue;
            st.mismatches++;
            if (form_bad++ < per_form && st.printed < examples) {
                st.printed++;
                st.report += describe(f, *in) + diff;
            }
        }
    }

    std::string compare(const Form& f, const Input& in, const Output& a, const u8* amem, const Output& b) {
        char t[256];
        std::string d;
        const bool fault = a.fault >= 0 || b.fault >= 0;
        if (fault && a.fault != b.fault) {
            std::snprintf(t, sizeof t, "    fault: native %s, vireo %s\n", fault_name(a.fault).c_str(),
                          fault_name(b.fault).c_str());
            return d + t;
        }
        if (fault) {
            // The same fault: compare the state it was raised with. rSP is not compared (Vireo
            // has pushed the exception frame, the kernel used its own stack), nor the stack page.
            if (a.fault == PF_VEC && a.cr2 != b.cr2) {
                std::snprintf(t, sizeof t, "    #PF address: native %016" PRIx64 " vireo %016" PRIx64 "\n", a.cr2, b.cr2);
                d += t;
            }
        }
        const u64 m = f.compat32 ? 0xffffffffull : ~0ull;
        for (int i = 0; i < (f.compat32 ? 8 : 16); i++) {
            if (fault && i == RSP) continue;
            if ((a.gpr[i] & m) != (b.gpr[i] & m)) {
                std::snprintf(t, sizeof t, "    %s: native %016" PRIx64 " vireo %016" PRIx64 "\n", kRegNames[i],
                              a.gpr[i] & m, b.gpr[i] & m);
                d += t;
            }
        }
        const u64 fm = strict ? ALL | DF : (f.flags_fn ? f.flags_fn(in) : f.flags) | DF;
        if ((a.rflags & fm) != (b.rflags & fm)) {
            std::snprintf(t, sizeof t, "    flags (compared %s): native %s vireo %s\n", flags_str(fm).c_str(),
                          flags_str(a.rflags & fm).c_str(), flags_str(b.rflags & fm).c_str());
            d += t;
        }
        d += compare_fx(f, in, a, b);
        const u64 first = fault ? kOpLo : 0;
        u64 ign_lo = 0, ign_hi = 0;
        if (f.mem_ignore_len && f.mem_base >= 0) {
            ign_lo = in.gpr[f.mem_base] + f.mem_disp + f.mem_seg_base - kDataAddr + f.mem_ignore_off;
            ign_hi = ign_lo + f.mem_ignore_len;
        }
        if (std::memcmp(amem + first, b.mem + first, kDataSize - first)) {
            unsigned shown = 0;
            for (u64 i = first; i < kDataSize && shown < 4; i++) {
                if (i >= ign_lo && i < ign_hi) continue;
                if (amem[i] != b.mem[i]) {
                    std::snprintf(t, sizeof t, "    mem[%#" PRIx64 "]: native %02x vireo %02x (was %02x)\n",
                                  kDataAddr + i, amem[i], b.mem[i], in.mem[i]);
                    d += t;
                    shown++;
                }
            }
        }
        return d;
    }

    // x87/MXCSR/XMM after the instruction. MXCSR_MASK (bytes 28-31) is the host's and not
    // state. At a fault only MXCSR and XMM (the kernel's signal frame). On an AMD host FXSAVE
    // stores FOP/FIP/FDP as 0 unless FSW.ES is set (AMD APM FXSAVE): not compared then.
    static std::string compare_fx(const Form& f, const Input& in, const Output& a, const Output& b) {
        (void)in;
        char t[256];
        std::string d;
        const bool fault = a.fault >= 0;
        static const bool amd = __builtin_cpu_is("amd");
        const bool skip_ptrs = amd && !(fx_get<u16>(a.fx, 2) & 0x80);
        if (fx_get<u32>(a.fx, 24) != fx_get<u32>(b.fx, 24)) {
            std::snprintf(t, sizeof t, "    mxcsr: native %08x vireo %08x\n", fx_get<u32>(a.fx, 24), fx_get<u32>(b.fx, 24));
            d += t;
        }
        for (unsigned i = 0; i < 16; i++) {
            const u8* x = a.fx + 160 + 16 * i;
            const u8* y = b.fx + 160 + 16 * i;
            if (std::memcmp(x, y, 16) == 0 || (f.xmm_close && f.xmm_close(x, y))) continue;
            std::snprintf(t, sizeof t, "    xmm%u: native %016" PRIx64 "%016" PRIx64 " vireo %016" PRIx64 "%016" PRIx64 "\n",
                          i, fx_get<u64>(x, 8), fx_get<u64>(x, 0), fx_get<u64>(y, 8), fx_get<u64>(y, 0));
            d += t;
        }
        for (unsigned i = 0; i < 16; i++) {
            if (std::memcmp(a.ymmh[i], b.ymmh[i], 16) == 0 || (f.xmm_close && f.xmm_close(a.ymmh[i], b.ymmh[i])))
                continue;
            std::snprintf(t, sizeof t, "    ymm%u[255:128]: native %016" PRIx64 "%016" PRIx64 " vireo %016" PRIx64 "%016" PRIx64 "\n",
                          i, fx_get<u64>(a.ymmh[i], 8), fx_get<u64>(a.ymmh[i], 0), fx_get<u64>(b.ymmh[i], 8),
                          fx_get<u64>(b.ymmh[i], 0));
            d += t;
        }
        if (fault) return d;
        u8 vfx[160];
        std::memcpy(vfx, b.fx, 160);
        if (f.x87_tol_regs) {
            bool close = true;
            for (unsigned st = 0; st < 8; st++) {
                const unsigned off = 32 + 16 * st;
                if (!((f.x87_tol_regs >> st) & 1) || !std::memcmp(a.fx + off, vfx + off, 10)) continue;
                if (x87_within_ulps(a.fx + off, vfx + off, f.x87_tol_ulps)) std::memcpy(vfx + off, a.fx + off, 10);
                else close = false;
            }
            if (close) vfx[3] = static_cast<u8>((vfx[3] & ~2) | (a.fx[3] & 2));  // C1 (FSW bit 9)
            bool rest_equal = true;
            for (unsigned i = 0; i < 160; i++)
                if (!(i >= 24 && i < 32) && !(skip_ptrs && i >= 6 && i < 24) && a.fx[i] != vfx[i]) rest_equal = false;
            if (close && rest_equal && std::memcmp(b.fx, vfx, 160)) x87_tolerated()++;
        }
        for (unsigned i = 0; i < 160; i++) {
            if (i >= 24 && i < 32) continue;
            if (skip_ptrs && i >= 6 && i < 24) continue;
            if (a.fx[i] != vfx[i]) {
                std::snprintf(t, sizeof t, "    x87 state byte %u (FXSAVE64 image): native %02x vireo %02x\n", i, a.fx[i], b.fx[i]);
                d += t;
            }
        }
        return d;
    }

    // Same sign, finite, and |(exponent:significand) difference| <= ulps (adjacent binades too).
    static bool x87_within_ulps(const u8* x, const u8* y, unsigned ulps) {
        const u16 sx = fx_get<u16>(x, 8), sy = fx_get<u16>(y, 8);
        if ((sx ^ sy) & 0x8000 || (sx & 0x7fff) == 0x7fff || (sy & 0x7fff) == 0x7fff) return false;
        using u128 = unsigned __int128;
        const u128 kx = static_cast<u128>(sx & 0x7fff) << 64 | fx_get<u64>(x, 0);
        const u128 ky = static_cast<u128>(sy & 0x7fff) << 64 | fx_get<u64>(y, 0);
        const u128 dist = kx > ky ? kx - ky : ky - kx;
        // Across a binade boundary the key jumps by 2^63 (the integer bit): undo it.
        const u128 adj = (kx >> 64) != (ky >> 64) ? dist - (static_cast<u128>(1) << 63) : dist;
        return adj <= ulps;
    }
    static u64& x87_tolerated() {
        static u64 n = 0;
        return n;
    }

    static std::string fault_name(int v) {
        if (v < 0) return "none";
        if (v == 1000) return "did not finish";
        return "#" + std::to_string(v);
    }

    static std::string describe(const Form& f, const Input& in) {
        char t[256];
        std::string s = "  " + f.name + "  [" + hex(f.code) + "]" + (f.compat32 ? " (32-bit)" : "") + "\n    in:";
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 8 || i == 12) s += "\n       ";
            std::snprintf(t, sizeof t, " %s=%016" PRIx64, kRegNames[i], in.gpr[i]);
            s += t;
        }
        s += " flags=" + flags_str(in.rflags) + "\n";
        if (f.simd) {
            std::snprintf(t, sizeof t, "    mxcsr=%08x fcw=%04x fsw=%04x ftw=%02x\n", fx_get<u32>(in.fx, 24),
                          fx_get<u16>(in.fx, 0), fx_get<u16>(in.fx, 2), in.fx[4]);
            s += t;
            for (unsigned i = 0; i < 16; i++) {
                std::snprintf(t, sizeof t, "%sxmm%-2u=%016" PRIx64 "%016" PRIx64, i % 2 ? "  " : "    ", i,
                              fx_get<u64>(in.fx, 160 + 16 * i + 8), fx_get<u64>(in.fx, 160 + 16 * i));
                s += t;
                if (i % 2) s += "\n";
            }
        }
        if (f.ymm) {
            for (unsigned i = 0; i < 16; i++) {
                std::snprintf(t, sizeof t, "%sy%-2uhi=%016" PRIx64 "%016" PRIx64, i % 2 ? "  " : "    ", i,
                              fx_get<u64>(in.ymmh[i], 8), fx_get<u64>(in.ymmh[i], 0));
                s += t;
                if (i % 2) s += "\n";
            }
        }
        if (f.x87) {
            std::snprintf(t, sizeof t, "    fcw=%04x fsw=%04x ftw=%02x (physical) fop=%03x\n", fx_get<u16>(in.fx, 0),
                          fx_get<u16>(in.fx, 2), in.fx[4], fx_get<u16>(in.fx, 6));
            s += t;
            for (unsigned i = 0; i < 8; i++) {
                std::snprintf(t, sizeof t, "%sst%u=%04x:%016" PRIx64, i % 4 ? "  " : "    ", i,
                              fx_get<u16>(in.fx, 40 + 16 * i), fx_get<u64>(in.fx, 32 + 16 * i));
                s += t;
                if (i % 4 == 3) s += "\n";
            }
        }
        if (f.mem_base >= 0) {
            const u64 off = in.gpr[f.mem_base] + f.mem_disp - kDataAddr;
            if (off < kDataSize - 8) {
                std::snprintf(t, sizeof t, "    mem operand at %#" PRIx64 ": %016" PRIx64 "\n", kDataAddr + off,
                              get_mem(in, off, 8));
                s += t;
                if (f.mem_size >= 16 && off < kDataSize - 16) {
                    std::snprintf(t, sizeof t, "      bytes 8-15: %016" PRIx64 "\n", get_mem(in, off + 8, 8));
                    s += t;
                }
            }
        }
        return s;
    }

    void run_all(const char* title, const std::vector<Form>& forms) {
        ASSERT_TRUE(native.ok) << native.why;
        Stats st;
        for (const Form& f : forms) run_form(f, st);
        std::printf("[native-diff] %s: %" PRIu64 " forms, %" PRIu64 " cases (%" PRIu64 " compared, %" PRIu64
                    " changing state; %" PRIu64 " faulting natively; %" PRIu64 " skipped as undefined), %" PRIu64
                    " mismatches\n",
                    title, st.forms, st.cases, st.compared, st.changed, st.faults, st.skipped, st.mismatches);
        if (x87_tolerated())
            std::printf("[native-diff] %" PRIu64 " compared cases accepted within a documented x87 result tolerance\n",
                        x87_tolerated());
        x87_tolerated() = 0;
        if (!st.known.empty()) std::printf("[native-diff] known failures (not counted):\n%s", st.known.c_str());
        // A trampoline that did not run the instruction would change nothing.
        if (st.compared) EXPECT_GT(st.changed, 0u);
        EXPECT_TRUE(st.fixed.empty()) << "known failures that pass now (take them off kKnownFailures):\n" << st.fixed;
        EXPECT_EQ(st.mismatches, 0u) << "first mismatches:\n" << st.report;
    }
};

inline Harness& harness() {
    static Harness h;
    return h;
}

// Not differential: Vireo alone, from the harness's base state in 64-bit mode with the x87/SSE
// reset values, for what the host cannot show (a CPUID feature absent, CR0/CR4 bits Linux keeps).
struct SimdTier0Only : ::testing::Test {
    Vireo& v = harness().vireo;
    Input in{};
    void SetUp() override {
        ASSERT_TRUE(harness().native.ok);
        std::memcpy(in.mem.data(), harness().base_image.data(), kDataSize);
        in.gpr[RSP] = kStackInit;
        in.rflags = 0x202;
        fx_put<u32>(in.fx, 24, 0x1F80);
        fx_put<u16>(in.fx, 0, 0x037F);
    }
    // The fault vector the form stopped on, or -1.
    int run(const std::vector<u8>& code) {
        v.load(code, kCodeAddr, false);
        return v.run(in).fault;
    }
    // The CPUID gate: each form runs with its feature in the model and is #UD without it.
    struct Gated {
        Feature f;
        std::vector<u8> code;
    };
    void expect_gated(const std::vector<Gated>& cases) {
        for (const Gated& k : cases) {
            EXPECT_EQ(run(k.code), -1) << hex(k.code);
            const FeatureSet saved = v.c.features;
            v.c.features.reset(static_cast<size_t>(k.f));
            EXPECT_EQ(run(k.code), UD) << hex(k.code);
            v.c.features = saved;
        }
    }
};

}  // namespace vireo::test::native_diff
