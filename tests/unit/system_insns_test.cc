// System instructions end to end on the tier-0 engine. In IA-32e mode: SWAPGS, WRFSBASE /
// RDFSBASE, LFS, SMSW, IRETQ to ring 3, SYSCALL/SYSRETQ, a 64-bit call gate with its stack
// switch and LRETQ to the outer ring, and HLT at CPL 3 (#GP). In protected mode: a CALL to a
// 16-bit TSS and the IRET back (nested task). The guest programs (nasm source in comments,
// assembled with `nasm -f bin`) store what they see in memory for the checks.
// SDM Vol. 2B SYSCALL/SYSRET/SWAPGS, Vol. 3A 5.8.5.1 (IA-32e call gates), 6.14, 7.3, 7.4.
#include <gtest/gtest.h>
#include <memory>

#include "frontend-x86/cpu_model.h"
#include "jit/tier0.h"
#include "frontend-x86/segmentation.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;

namespace {

// Program:
//   bits 64
//   default abs
//   org 0x10000
//   start:
//           mov ax, 0x50
//           ltr ax
//           mov ecx, 0xc0000101
//           mov eax, 0x1000
//           xor edx, edx
//           wrmsr
//           mov ecx, 0xc0000102
//           mov eax, 0x2000
//           wrmsr
//           swapgs
//           mov ecx, 0xc0000101
//           rdmsr
//           mov [res+0], rax
//           mov rax, 0x123456789000
//           wrfsbase rax
//           rdfsbase rbx
//           mov [res+8], rbx
//           lfs ebx, [farptr]
//           mov [res+16], rbx
//           mov ax, fs
//           mov [res+24], ax
//           smsw eax
//           mov [res+32], rax
//           mov ecx, 0xc0000081
//           xor eax, eax
//           mov edx, 0x00200008
//           wrmsr
//           mov ecx, 0xc0000082
//           mov eax, syscall_entry
//           xor edx, edx
//           wrmsr
//           mov ecx, 0xc0000084
//           mov eax, 0x200
//           wrmsr
//           push 0x2b
//           push 0x60000
//           push 0x202
//           push 0x33
//           push ring3
//           iretq
//   ring3:
//           mov eax, cs
//           mov [res+40], eax
//           syscall
//   after_syscall:
//           mov eax, cs
//           mov [res+48], eax
//           pushfq
//           pop rax
//           mov [res+56], rax
//           call far dword [gateptr]
//   after_gate:
//           mov eax, cs
//           mov [res+64], eax
//           mov [res+72], rsp
//           hlt
//           times 0x300-($-$$) db 0xcc
//   syscall_entry:
//           mov [res+80], rcx
//           mov [res+88], r11
//           pushfq
//           pop rax
//           mov [res+96], rax
//           mov eax, cs
//           mov [res+104], eax
//           mov eax, ss
//           mov [res+112], eax
//           o64 sysret
//           times 0x400-($-$$) db 0xcc
//   gate_target:
//           mov [res+120], rsp
//           mov eax, ss
//           mov [res+128], eax
//           mov rax, [rsp+8]
//           mov [res+136], rax
//           mov rax, [rsp+16]
//           mov [res+144], rax
//           o64 retf
//           times 0x780-($-$$) db 0xcc
//   farptr: dd 0x11223344
//           dw 0x10
//           times 0x790-($-$$) db 0
//   gateptr: dd 0
//           dw 0x43
//           times 0x800-($-$$) db 0
//   res:

struct Chunk {
    u64 at;
    std::vector<u8> bytes;
};
const Chunk kProgram[] = {
    {0x10000, {
        0x66, 0xB8, 0x50, 0x00, 0x0F, 0x00, 0xD8, 0xB9, 0x01, 0x01, 0x00, 0xC0, 0xB8, 0x00, 0x10,
        0x00, 0x00, 0x31, 0xD2, 0x0F, 0x30, 0xB9, 0x02, 0x01, 0x00, 0xC0, 0xB8, 0x00, 0x20, 0x00,
        0x00, 0x0F, 0x30, 0x0F, 0x01, 0xF8, 0xB9, 0x01, 0x01, 0x00, 0xC0, 0x0F, 0x32, 0x48, 0x89,
        0x04, 0x25, 0x00, 0x08, 0x01, 0x00, 0x48, 0xB8, 0x00, 0x90, 0x78, 0x56, 0x34, 0x12, 0x00,
        0x00, 0xF3, 0x48, 0x0F, 0xAE, 0xD0, 0xF3, 0x48, 0x0F, 0xAE, 0xC3, 0x48, 0x89, 0x1C, 0x25,
        0x08, 0x08, 0x01, 0x00, 0x0F, 0xB4, 0x1C, 0x25, 0x80, 0x07, 0x01, 0x00, 0x48, 0x89, 0x1C,
        0x25, 0x10, 0x08, 0x01, 0x00, 0x66, 0x8C, 0xE0, 0x66, 0x89, 0x04, 0x25, 0x18, 0x08, 0x01,
        0x00, 0x0F, 0x01, 0xE0, 0x48, 0x89, 0x04, 0x25, 0x20, 0x08, 0x01, 0x00, 0xB9, 0x81, 0x00,
        0x00, 0xC0, 0x31, 0xC0, 0xBA, 0x08, 0x00, 0x20, 0x00, 0x0F, 0x30, 0xB9, 0x82, 0x00, 0x00,
        0xC0, 0xB8, 0x00, 0x03, 0x01, 0x00, 0x31, 0xD2, 0x0F, 0x30, 0xB9, 0x84, 0x00, 0x00, 0xC0,
        0xB8, 0x00, 0x02, 0x00, 0x00, 0x0F, 0x30, 0x6A, 0x2B, 0x68, 0x00, 0x00, 0x06, 0x00, 0x68,
        0x02, 0x02, 0x00, 0x00, 0x6A, 0x33, 0x68, 0xB2, 0x00, 0x01, 0x00, 0x48, 0xCF, 0x8C, 0xC8,
        0x89, 0x04, 0x25, 0x28, 0x08, 0x01, 0x00, 0x0F, 0x05, 0x8C, 0xC8, 0x89, 0x04, 0x25, 0x30,
        0x08, 0x01, 0x00, 0x9C, 0x58, 0x48, 0x89, 0x04, 0x25, 0x38, 0x08, 0x01, 0x00, 0xFF, 0x1C,
        0x25, 0x90, 0x07, 0x01, 0x00, 0x8C, 0xC8, 0x89, 0x04, 0x25, 0x40, 0x08, 0x01, 0x00, 0x48,
        0x89, 0x24, 0x25, 0x48, 0x08, 0x01, 0x00, 0xF4
    }},
    {0x10300, {
        0x48, 0x89, 0x0C, 0x25, 0x50, 0x08, 0x01, 0x00, 0x4C, 0x89, 0x1C, 0x25, 0x58, 0x08, 0x01,
        0x00, 0x9C, 0x58, 0x48, 0x89, 0x04, 0x25, 0x60, 0x08, 0x01, 0x00, 0x8C, 0xC8, 0x89, 0x04,
        0x25, 0x68, 0x08, 0x01, 0x00, 0x8C, 0xD0, 0x89, 0x04, 0x25, 0x70, 0x08, 0x01, 0x00, 0x48,
        0x0F, 0x07
    }},
    {0x10400, {
        0x48, 0x89, 0x24, 0x25, 0x78, 0x08, 0x01, 0x00, 0x8C, 0xD0, 0x89, 0x04, 0x25, 0x80, 0x08,
        0x01, 0x00, 0x48, 0x8B, 0x44, 0x24, 0x08, 0x48, 0x89, 0x04, 0x25, 0x88, 0x08, 0x01, 0x00,
        0x48, 0x8B, 0x44, 0x24, 0x10, 0x48, 0x89, 0x04, 0x25, 0x90, 0x08, 0x01, 0x00, 0x48, 0xCB
    }},
    {0x10780, {
        0x44, 0x33, 0x22, 0x11, 0x10, 0x00
    }},
    {0x10790, {
        0x00, 0x00, 0x00, 0x00, 0x43, 0x00
    }},
};
constexpr u64 kRes = 0x10800, kAfterSyscall = 0x100BD;

struct Rings64 : ::testing::Test {
    FlatRamHost host{8 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    void SetUp() override {
        c.host = &host;
        cpu_apply_model(c, *find_cpu_model("max"));
        test::make_flat_long_mode(c, host);
        c.cr4 |= CR4_FSGSBASE;
        update_mode(c);
        // More GDT entries: ring-3 32-bit code 0x20, ring-3 data 0x28, ring-3 64-bit code 0x30
        // (the SYSRET layout with STAR[63:48] = 0x20), a DPL-3 64-bit call gate at 0x40 to
        // 0x08:0x10400, and an available 64-bit TSS at 0x50 (base 0x9000, RSP0 0x7f000).
        test::put_u64(host, test::kGdt + 0x20, 0x00CFFA000000FFFFull);
        test::put_u64(host, test::kGdt + 0x28, 0x00CFF2000000FFFFull);
        test::put_u64(host, test::kGdt + 0x30, 0x0020FA0000000000ull);
        test::put_u64(host, test::kGdt + 0x40, 0x0400 | (0x08ull << 16) | (0xECull << 40) | (0x0001ull << 48));
        test::put_u64(host, test::kGdt + 0x48, 0);
        test::put_u64(host, test::kGdt + 0x50, 0x67 | (0x9000ull << 16) | (0x89ull << 40));
        test::put_u64(host, test::kGdt + 0x58, 0);
        test::put_u64(host, 0x9000 + 4, 0x7f000);
        c.gdtr.limit = 0x5f;
        for (const Chunk& ch : kProgram) std::copy(ch.bytes.begin(), ch.bytes.end(), host.ram() + ch.at);
        host.tracker().add_cpu(&c);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }
    u64 res(unsigned off) {
        u64 v;
        std::memcpy(&v, host.ram() + kRes + off, 8);
        return v;
    }
};

TEST_F(Rings64, RoundTrips) {
    c.rip = 0x10000;
    c.gpr[RSP] = 0x70000;
    eng->run(100000);
    ASSERT_EQ(test::fault_vector(c), GP) << "stopped at rip " << std::hex << c.rip;
    EXPECT_EQ(res(0), 0x2000u);                 // SWAPGS exchanged GS.base and KERNEL_GS_BASE
    EXPECT_EQ(res(8), 0x123456789000u);         // WRFSBASE/RDFSBASE
    EXPECT_EQ(res(16), 0x11223344u);            // LFS: offset, zero-extended into RBX
    EXPECT_EQ(res(24) & 0xffff, 0x10u);         // ... and the selector
    EXPECT_EQ(res(32), c.cr0 & 0xffffffff);     // SMSW r32
    EXPECT_EQ(res(40), 0x33u);                  // IRETQ to ring-3 64-bit code
    EXPECT_EQ(res(80), kAfterSyscall);          // SYSCALL: RCX = next RIP
    EXPECT_TRUE(res(88) & IF);                  // R11 = RFLAGS
    EXPECT_FALSE(res(96) & IF);                 // SFMASK cleared IF
    EXPECT_EQ(res(104), 0x08u);                 // CS = STAR[47:32]
    EXPECT_EQ(res(112), 0x10u);                 // SS = STAR[47:32] + 8
    EXPECT_EQ(res(48), 0x33u);                  // SYSRETQ: CS = STAR[63:48] + 16 | 3
    EXPECT_TRUE(res(56) & IF);                  // RFLAGS from R11
    EXPECT_EQ(res(120), 0x7f000u - 32);         // call gate: RSP0, 4 qwords pushed
    EXPECT_EQ(res(128), 0u);                    // SS = null, RPL = new CPL
    EXPECT_EQ(res(136), 0x33u);                 // caller CS
    EXPECT_EQ(res(144), 0x60000u);              // caller RSP
    EXPECT_EQ(res(64), 0x33u);                  // LRETQ to ring 3
    EXPECT_EQ(res(72), 0x60000u);               // ... on the ring-3 stack
    // HLT at CPL 3 raised #GP(0) through the IDT on the RSP0 stack.
    EXPECT_EQ(c.cpl, 0);
}

// ---------------------------------------------------------------- task switch (16-bit TSS)

// Program, 32-bit at 0x10000:
//   mov eax, 0x11111111 / mov ebx, 0x22222222 / call 0x30:0 (16-bit TSS)
//   back: mov [0x10800], eax / mov [0x10804], ebx / pushfd / pop ecx / mov [0x10808], ecx
//         str dx / mov [0x1080c], edx / hlt
// 16-bit task at 0x8000 (CS 0x18, DS 0x20, AX 0x3333 from its TSS):
//   mov [0x7000], ax / pushf / pop word [0x7002] / str word [0x7004]
//   mov ax, [0x5000] (its back-link) / mov [0x7006], ax / mov bx, 0x4444 / iret
const u8 kTask32[] = {
    0xb8, 0x11, 0x11, 0x11, 0x11, 0xbb, 0x22, 0x22, 0x22, 0x22, 0x9a, 0x00, 0x00, 0x00, 0x00, 0x30,
    0x00, 0xa3, 0x00, 0x08, 0x01, 0x00, 0x89, 0x1d, 0x04, 0x08, 0x01, 0x00, 0x9c, 0x59, 0x89, 0x0d,
    0x08, 0x08, 0x01, 0x00, 0x66, 0x0f, 0x00, 0xca, 0x89, 0x15, 0x0c, 0x08, 0x01, 0x00, 0xf4};
const u8 kTask16[] = {0xa3, 0x00, 0x70, 0x9c, 0x8f, 0x06, 0x02, 0x70, 0x0f, 0x00, 0x0e, 0x04,
                      0x70, 0xa1, 0x00, 0x50, 0xa3, 0x06, 0x70, 0xbb, 0x44, 0x44, 0xcf};

constexpr u64 desc(u32 base, u32 limit, u8 access, u8 flags) {
    return (limit & 0xffffull) | (u64(base & 0xffffff) << 16) | (u64(access) << 40) |
           (u64((limit >> 16) & 0xf) << 48) | (u64(flags & 0xf) << 52) | (u64(base >> 24) << 56);
}

struct Task16 : ::testing::Test {
    FlatRamHost host{4 << 20};
    CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;
    static constexpr u64 kGdt = 0x2000, kTss32 = 0x4000, kTss16 = 0x5000;
    void put16(u64 a, u16 v) { std::memcpy(host.ram() + a, &v, 2); }
    u16 get16(u64 a) { u16 v; std::memcpy(&v, host.ram() + a, 2); return v; }
    u32 get32(u64 a) { u32 v; std::memcpy(&v, host.ram() + a, 4); return v; }
    void SetUp() override {
        c.host = &host;
        cpu_apply_model(c, default_cpu_model());
        c.cr0 = CR0_PE | CR0_ET;
        c.gdtr = {kGdt, 0x3f};
        c.idtr = {0, 0};  // any fault would end in a shutdown
        const u64 gdt[] = {0,
                           desc(0, 0xfffff, 0x9b, 0xc),      // 0x08 code32
                           desc(0, 0xfffff, 0x93, 0xc),      // 0x10 data32
                           desc(0, 0xffff, 0x9b, 0),         // 0x18 code16
                           desc(0, 0xffff, 0x93, 0),         // 0x20 data16
                           desc(kTss32, 0x67, 0x8b, 0),      // 0x28 busy 32-bit TSS (TR)
                           desc(kTss16, 0x2b, 0x81, 0)};     // 0x30 available 16-bit TSS
        std::memcpy(host.ram() + kGdt, gdt, sizeof gdt);
        for (u8 s = 0; s < 6; s++) {
            u64 d;
            read_descriptor(c, s == CS ? 0x08 : 0x10, d);
            segment_from_descriptor(c.seg[s], s == CS ? 0x08 : 0x10, d);
        }
        segment_from_descriptor(c.tr, 0x28, gdt[5]);
        c.eflags = 2;
        update_mode(c);
        segments_update_access(c);
        tlb_flush_all(c);
        // The 16-bit task (its TSS layout: SDM Vol. 3A 7.6).
        put16(kTss16 + 0x0e, 0x8000);  // IP
        put16(kTss16 + 0x10, 0x0002);  // FLAGS
        put16(kTss16 + 0x12, 0x3333);  // AX
        put16(kTss16 + 0x1a, 0x6000);  // SP
        put16(kTss16 + 0x22, 0x20);    // ES
        put16(kTss16 + 0x24, 0x18);    // CS
        put16(kTss16 + 0x26, 0x20);    // SS
        put16(kTss16 + 0x28, 0x20);    // DS
        std::memcpy(host.ram() + 0x10000, kTask32, sizeof kTask32);
        std::memcpy(host.ram() + 0x8000, kTask16, sizeof kTask16);
        host.tracker().add_cpu(&c);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
    }
};

TEST_F(Task16, CallAndIretThroughA16BitTss) {
    c.rip = 0x10000;
    c.gpr[RSP] = 0x9000;
    EXPECT_EQ(eng->run(10000), jit::RunExit::Halted);
    ASSERT_EQ(host.shutdowns, 0);
    EXPECT_EQ(c.rip, 0x1002fu);                 // after the final HLT of the outer task
    // In the nested 16-bit task:
    EXPECT_EQ(get16(0x7000), 0x3333u);          // AX from its TSS
    EXPECT_TRUE(get16(0x7002) & NT);            // CALL sets NT (7.4)
    EXPECT_EQ(get16(0x7004), 0x30u);            // TR
    EXPECT_EQ(get16(0x7006), 0x28u);            // back-link to the caller's TSS
    // Back in the outer task after IRET: its registers came from its TSS.
    EXPECT_EQ(get32(0x10800), 0x11111111u);
    EXPECT_EQ(get32(0x10804), 0x22222222u);
    EXPECT_FALSE(get32(0x10808) & NT);
    EXPECT_EQ(get32(0x1080c) & 0xffff, 0x28u);
    EXPECT_EQ(get32(kTss32 + 0x20), 0x10011u);  // saved EIP: after the CALL
    EXPECT_EQ(get16(kTss16 + 0x14 + 4), 0x4444u);  // the 16-bit task's BX, saved by IRET
    // Busy bits (7.2.2): the 16-bit TSS is free again, the outer one busy.
    EXPECT_EQ(host.ram()[kGdt + 0x30 + 5] & 0x1f, 0x01);
    EXPECT_EQ(host.ram()[kGdt + 0x28 + 5] & 0x1f, 0x0b);
    EXPECT_TRUE(c.cr0 & CR0_TS);                // every task switch sets TS
}

}  // namespace
