// Tier 1 (jit/tier1.h): a block compiled from the semantics bitcode behaves exactly like tier 0
// running the same ops: the same registers, flags and memory after loops of integer, memory and
// call/return code, and precise faults (the faulting instruction's RIP, earlier instructions
// done, later ones not).
#include <gtest/gtest.h>
#include <chrono>
#include <cstring>
#include <thread>
#include <memory>
#include <vector>

#include "frontend-x86/flags.h"
#include "jit/tier0.h"
#include "jit/tier1.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

constexpr u64 kCode = 0x200000, kBuf = 0x400000;

struct Tier1Run {
    FlatRamHost host{16 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    explicit Tier1Run(const std::vector<u8>& code, jit::Tier1Compiler* t1) {
        test::make_flat_long_mode(c, host);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
        if (t1) eng->set_tier1(t1, 1);  // compile every block before its first run
        std::memcpy(host.ram() + kCode, code.data(), code.size());
        for (unsigned i = 0; i < 4096; i++) host.ram()[kBuf + i] = static_cast<u8>(i * 7);
        c.gpr[RSP] = 0x100000;
        c.gpr[RSI] = kBuf;
        c.gpr[RCX] = 1000;
        c.rip = kCode;
        while (eng->run(1 << 24) != jit::RunExit::Halted) {}
    }
};

// Loops over arithmetic, memory and calls, then HLT:
//   L: mov rdi, rcx / and rdi, 0xff8 / mov rax, [rsi+rdi] / add rax, rcx / imul rax, rax, 3
//      mov [rsi+rdi], rax / xor rdx, rax / shl rdx, 1 / adc rbx, rdx / call F / dec rcx / jnz L
//      hlt
//   F: inc r8 / setc r9b / ret
const std::vector<u8> kLoop = {
    0x48, 0x89, 0xCF, 0x48, 0x81, 0xE7, 0xF8, 0x0F, 0x00, 0x00, 0x48, 0x8B, 0x04, 0x3E, 0x48, 0x01,
    0xC8, 0x48, 0x6B, 0xC0, 0x03, 0x48, 0x89, 0x04, 0x3E, 0x48, 0x31, 0xC2, 0x48, 0xD1, 0xE2, 0x48,
    0x11, 0xD3, 0xE8, 0x06, 0x00, 0x00, 0x00, 0x48, 0xFF, 0xC9, 0x75, 0xD4, 0xF4,
    0x49, 0xFF, 0xC0, 0x41, 0x0F, 0x92, 0xC1, 0xC3};

TEST(Tier1, SameStateAsTier0) {
    jit::Tier1Compiler t1;
    ASSERT_TRUE(t1.available()) << "tier 1 cannot run here (no symbol table or LLVM target?)";
    Tier1Run a(kLoop, nullptr), b(kLoop, &t1);
    EXPECT_GT(t1.stats().compiled, 0u);
    EXPECT_EQ(t1.stats().failed, 0u);
    for (int r = 0; r < 16; r++) EXPECT_EQ(a.c.gpr[r], b.c.gpr[r]) << "gpr " << r;
    EXPECT_EQ(a.c.rip, b.c.rip);
    EXPECT_EQ(read_rflags(a.c), read_rflags(b.c));
    EXPECT_EQ(a.c.insn_count, b.c.insn_count);
    EXPECT_EQ(std::memcmp(a.host.ram() + kBuf, b.host.ram() + kBuf, 4096), 0);
    EXPECT_EQ(a.c.gpr[RCX], 0u);  // the loop ran to its end
}

// Background compilation: the loop keeps running on tier 0 while the worker compiles; the
// compiled blocks are installed between blocks and the end state is still tier 0's.
TEST(Tier1, BackgroundCompileInstallsAndAgrees) {
    jit::Tier1Compiler t1;
    ASSERT_TRUE(t1.available());
    Tier1Run a(kLoop, nullptr);
    FlatRamHost host{16 << 20};
    CpuState c;
    test::make_flat_long_mode(c, host);
    jit::BlockCache cache;
    host.tracker().on_invalidate = [&](u64 p) { cache.invalidate_page(p); };
    jit::Tier0Engine eng(c, cache, host.tracker());
    eng.set_tier1(&t1, 10, true);
    std::memcpy(host.ram() + kCode, kLoop.data(), kLoop.size());
    for (unsigned i = 0; i < 4096; i++) host.ram()[kBuf + i] = static_cast<u8>(i * 7);
    c.gpr[RSP] = 0x100000;
    c.gpr[RSI] = kBuf;
    c.gpr[RCX] = 1000;
    c.rip = kCode;
    while (eng.run(1 << 24) != jit::RunExit::Halted) {}
    for (int r = 0; r < 16; r++) EXPECT_EQ(a.c.gpr[r], c.gpr[r]) << "gpr " << r;
    EXPECT_EQ(read_rflags(a.c), read_rflags(c));
    EXPECT_EQ(std::memcmp(a.host.ram() + kBuf, host.ram() + kBuf, 4096), 0);
    // Run the loop again until the compiled code is in: it must be, eventually (up to ~20 s:
    // the first compile loads the semantics bitcode).
    bool installed = false;
    for (int round = 0; round < 2000 && !installed; round++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        c.halted = false;
        c.gpr[RCX] = 1000;
        c.rip = kCode;
        while (eng.run(1 << 24) != jit::RunExit::Halted) {}
        jit::Block* b = cache.find(kCode, kCode, jit::block_flags(c));
        installed = b && b->tier1;
    }
    EXPECT_TRUE(installed);
}

TEST(Tier1, FaultsArePrecise) {
    // mov eax, 1 / mov rbx, [0x7fff0000] (unmapped: #PF) / mov ecx, 2 / hlt
    const std::vector<u8> code = {0xB8, 0x01, 0x00, 0x00, 0x00, 0x48, 0x8B, 0x1C, 0x25, 0x00,
                                  0x00, 0xFF, 0x7F, 0xB9, 0x02, 0x00, 0x00, 0x00, 0xF4};
    jit::Tier1Compiler t1;
    ASSERT_TRUE(t1.available());
    Tier1Run r(code, &t1);
    EXPECT_GT(t1.stats().compiled, 0u);
    EXPECT_EQ(test::fault_vector(r.c), 14);
    EXPECT_EQ(r.c.gpr[RAX], 1u);     // done before the fault
    EXPECT_EQ(r.c.gpr[RCX], 1000u);  // not reached
    EXPECT_EQ(r.c.cr2, 0x7fff0000u);
    u64 saved_rip;  // the #PF frame's RIP: the faulting MOV
    std::memcpy(&saved_rip, r.host.ram() + r.c.gpr[RSP] + 8, 8);
    EXPECT_EQ(saved_rip, kCode + 5);
}

}  // namespace
