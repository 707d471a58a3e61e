// Tier-0 engine: blocks, self-modifying code, fault precision (jit/tier0.cc).
#include <gtest/gtest.h>

#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

struct Engine : ::testing::Test {
    FlatRamHost host{8 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    void SetUp() override {
        test::make_flat_long_mode(c, host);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }
    void load(u64 at, std::initializer_list<u8> code) { std::copy(code.begin(), code.end(), host.ram() + at); }
    jit::RunExit run_at(u64 rip, u64 budget = 1000000) {
        c.rip = rip;
        c.halted = false;
        return eng->run(budget);
    }
};

TEST_F(Engine, LoopRunsToHlt) {
    load(0x10000, {0xB9, 0x0A, 0x00, 0x00, 0x00,   // mov ecx, 10
                   0x31, 0xC0,                     // xor eax, eax
                   0x01, 0xC8,                     // L: add eax, ecx
                   0xFF, 0xC9,                     // dec ecx
                   0x75, 0xFA,                     // jnz L
                   0xF4});                         // hlt
    EXPECT_EQ(run_at(0x10000), jit::RunExit::Halted);
    EXPECT_EQ(c.gpr[RAX], 55u);
    EXPECT_EQ(c.rip, 0x1000Eu);  // HLT leaves RIP after itself
    EXPECT_EQ(c.insn_count, 2u + 3 * 10 + 1);
}

TEST_F(Engine, StoreIntoTheRunningBlockTakesEffect) {
    // mov byte [rip+1], 5 rewrites the immediate of the next instruction (same block).
    load(0x10000, {0xC6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x05,  // mov byte [rip+1], 5
                   0xB8, 0x01, 0x00, 0x00, 0x00,              // mov eax, 1 -> mov eax, 5
                   0xF4});
    run_at(0x10000);
    EXPECT_EQ(c.gpr[RAX], 5u);
}

TEST_F(Engine, RewrittenCodeOnAnotherPageIsRetranslated) {
    load(0x20000, {0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4});  // mov eax, 1; hlt
    run_at(0x20000);
    EXPECT_EQ(c.gpr[RAX], 1u);
    // Guest code patches it: mov byte [0x20001], 7; hlt
    load(0x30000, {0xC6, 0x04, 0x25, 0x01, 0x00, 0x02, 0x00, 0x07, 0xF4});
    run_at(0x30000);
    run_at(0x20000);
    EXPECT_EQ(c.gpr[RAX], 7u);
}

TEST_F(Engine, HostSideWriteInvalidatesBlocks) {
    // A DMA-style write reported to the tracker drops the translation, too.
    load(0x20000, {0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4});
    run_at(0x20000);
    host.phys_write(0x20001, 9, 1);
    run_at(0x20000);
    EXPECT_EQ(c.gpr[RAX], 9u);
}

TEST_F(Engine, FaultLeavesPreciseState) {
    // mov eax, 3; mov rbx, [non-canonical]; mov eax, 4 -> #GP at the load with EAX=3.
    // No IDT: delivery fails and escalates to a triple fault (a shutdown request), but the
    // registers are those before the faulting instruction.
    load(0x10000, {0xB8, 0x03, 0x00, 0x00, 0x00,
                   0x48, 0xBE, 0, 0, 0, 0, 0, 0, 0, 0x80,  // mov rsi, 0x8000000000000000
                   0x48, 0x8B, 0x1E,                       // mov rbx, [rsi]
                   0xB8, 0x04, 0x00, 0x00, 0x00, 0xF4});
    c.idtr.limit = 0;
    run_at(0x10000, 100);
    EXPECT_EQ(c.gpr[RAX], 3u);
    EXPECT_GE(host.shutdowns, 1);
}

TEST_F(Engine, RandomBytesNeverCrashTheHost) {
    // Guest code can be anything; the host keeps running (a smaller version of the fuzz test).
    u64 seed = 42;
    auto rnd = [&] { seed = seed * 6364136223846793005ull + 1; return static_cast<u8>(seed >> 56); };
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 256; i++) host.ram()[0x50000 + i] = rnd();
        cpu_reset(c);
        test::make_flat_long_mode(c, host);
        c.rip = 0x50000;
        eng->run(500);  // returns: faults without an IDT end in shutdown requests, not hangs
        EXPECT_EQ(c.gpr[REG_ZERO], 0u) << "round " << round;  // the address-zero slot is never written
        EXPECT_LE(c.cpl, 3u);
    }
}

}  // namespace

namespace {

TEST_F(Engine, ChainedBlocksFollowAnAddressSpaceSwitch) {
    // Two 4-level address spaces share virtual page 0x400000 (same physical code, which jumps
    // to 0x401000) but map virtual 0x401000 to different physical pages. After a run in space
    // A, the same code in space B must reach B's page, not A's block (chains stay in one page).
    auto put = [&](u64 a, u64 v) { std::memcpy(host.ram() + a, &v, 8); };
    auto build = [&](u64 pml4, u64 target_phys) {
        const u64 pdpt = pml4 + 0x1000, pd = pml4 + 0x2000, pt = pml4 + 0x3000;
        put(pml4, pdpt | 7);
        put(pdpt, pd | 7);
        put(pd, 0x0 | 0x87);          // keep 0-2 MiB identity (page tables, stubs)
        put(pd + 2 * 8, pt | 7);      // 4 MiB region through a page table
        put(pt + 0 * 8, 0x500000 | 7);     // 0x400000 -> shared code
        put(pt + 1 * 8, target_phys | 7);  // 0x401000 -> per-space page
    };
    build(0x100000, 0x510000);
    build(0x200000, 0x520000);
    load(0x500000, {0xE9, 0xFB, 0x0F, 0x00, 0x00});  // jmp 0x401000
    load(0x510000, {0xB8, 0x0A, 0x00, 0x00, 0x00, 0xF4});  // mov eax, 10; hlt
    load(0x520000, {0xB8, 0x0B, 0x00, 0x00, 0x00, 0xF4});  // mov eax, 11; hlt
    for (int round = 0; round < 3; round++) {
        c.cr3 = 0x100000;
        tlb_flush_all(c);
        run_at(0x400000);
        EXPECT_EQ(c.gpr[RAX], 10u);
        c.cr3 = 0x200000;
        tlb_flush_all(c);
        run_at(0x400000);
        EXPECT_EQ(c.gpr[RAX], 11u);
    }
}

}  // namespace

// In real and protected mode a block's EIP is not a virtual address: the same EIP under another
// CS base is other code. The jump cache once matched on EIP alone and ran the old CS's block
// (found by a Linux-boot-protocol test: the boot ROM's code ran again at the kernel's CS).
TEST_F(Engine, SameEipUnderAnotherCsBaseIsOtherCode) {
    cpu_reset(c);
    load(0x10100, {0xB8, 0x01, 0x00, 0xF4});  // 1000:0100  mov ax, 1; hlt
    load(0x20100, {0xB8, 0x02, 0x00, 0xF4});  // 2000:0100  mov ax, 2; hlt
    c.seg[CS].sel = 0x1000;
    c.seg[CS].base = 0x10000;
    EXPECT_EQ(run_at(0x100), jit::RunExit::Halted);
    EXPECT_EQ(c.gpr[RAX] & 0xffff, 1u);
    c.seg[CS].sel = 0x2000;  // as a far jump does: no flush of any cache
    c.seg[CS].base = 0x20000;
    EXPECT_EQ(run_at(0x100), jit::RunExit::Halted);
    EXPECT_EQ(c.gpr[RAX] & 0xffff, 2u);
}

// Short Jcc (70-7F) has a 64-bit operand size in 64-bit mode (SDM Vol. 2A "Jcc", 64-bit mode
// "operand size fixed at 64 bits"): the target is not truncated to 32 bits. It once was, and
// only Linux's high kernel addresses showed it (0xffffffff8d883d78 became 0x8d883d78).
TEST_F(Engine, ShortJccAtAHighAddressKeepsAll64Bits) {
    // Map 0xffffffff80000000 + x to x: PML4[511] -> PDPT, PDPT[510] -> the same PD.
    test::put_u64(host, test::kPml4 + 8 * 511, test::kPdpt | 0x27);
    test::put_u64(host, test::kPdpt + 8 * 510, test::kPd | 0x27);
    load(0x10000, {0x31, 0xC0,   // xor eax, eax (ZF = 1)
                   0x74, 0x01,   // je +1
                   0xF4,         // hlt (skipped)
                   0xF4});       // hlt: the target
    EXPECT_EQ(run_at(0xffffffff80010000ull), jit::RunExit::Halted);
    EXPECT_EQ(c.rip, 0xffffffff80010006ull);
}
