// make bench: tier-0 (and tier-1) throughput in guest MIPS and translation speed, with the same machine code
// run natively on x86-64 hosts for a ratio measured in the same run. Prints figures; asserts
// nothing (benchmarks never gate a test run).
#include <ctime>
#include <cstdio>
#include <cstring>
#include <sys/mman.h>
#include <cstdlib>
#include <memory>
#include <vector>
#include "frontend-x86/cpu_model.h"
#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

using namespace vireo;
using namespace vireo::x86;
// Thread CPU time, not wall time: the figures stay meaningful on a loaded 2-core machine.
struct Clock {
    using time_point = double;
    static double now() {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }
};

namespace {

struct Kernel {
    const char* name;
    std::vector<u8> code;  // ends in RET (native) — patched to HLT for the guest
    u64 rcx;               // loop count in RCX
    u64 insns_per_iter;
};

// rsi points at a 1 MiB buffer in both worlds.
std::vector<Kernel> kernels(u64 n) {
    return {
        {"integer loop (add/xor/shl/dec/jnz)",
         {0x48, 0x01, 0xC8,        // add rax, rcx
          0x48, 0x31, 0xC2,        // xor rdx, rax
          0x48, 0xD1, 0xE2,        // shl rdx, 1
          0x48, 0xFF, 0xC9,        // dec rcx
          0x75, 0xF2,              // jnz -14
          0xC3},
         n, 5},
        {"memory loop (load/add/store through the TLB)",
         {0x48, 0x89, 0xCF,                    // L: mov rdi, rcx
          0x48, 0x81, 0xE7, 0xF8, 0xFF, 0x0F, 0x00,  // and rdi, 0xffff8
          0x48, 0x8B, 0x04, 0x3E,              // mov rax, [rsi+rdi]
          0x48, 0x01, 0xC8,                    // add rax, rcx
          0x48, 0x89, 0x04, 0x3E,              // mov [rsi+rdi], rax
          0x48, 0xFF, 0xC9,                    // dec rcx
          0x75, 0xE6,                          // jnz L
          0xC3},
         n, 6},
        {"call/ret loop",
         {0xE8, 0x06, 0x00, 0x00, 0x00,        // L: call F
          0x48, 0xFF, 0xC9,                    // dec rcx
          0x75, 0xF6,                          // jnz L
          0xC3,                                // ret
          0x48, 0xFF, 0xC0,                    // F: inc rax
          0xC3},                               // ret
         n, 5},
        {"scalar SSE2 FP loop (cvtsi2sd/mulsd/addsd)",
         {0xF2, 0x48, 0x0F, 0x2A, 0xC9,        // L: cvtsi2sd xmm1, rcx
          0xF2, 0x0F, 0x59, 0xCA,              // mulsd xmm1, xmm2
          0xF2, 0x0F, 0x58, 0xC1,              // addsd xmm0, xmm1
          0x48, 0xFF, 0xC9,                    // dec rcx
          0x75, 0xEE,                          // jnz L
          0xC3},
         n, 5},
    };
}

double seconds_since(double t0) { return Clock::now() - t0; }

#if defined(__x86_64__)
double run_native(const Kernel& k, u8* buf) {
    void* mem = mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return 0;
    std::memcpy(mem, k.code.data(), k.code.size());
    auto t0 = Clock::now();
    u64 rcx = k.rcx, rax = 0;
    // The kernels use rax, rcx, rdx, rdi, rsi.
    asm volatile("sub $128, %%rsp\n\tcall *%[f]\n\tadd $128, %%rsp"  // keep the red zone
                 : "+c"(rcx), "+a"(rax)
                 : [f] "r"(mem), "S"(buf)
                 : "rdx", "rdi", "memory", "cc");
    double s = seconds_since(t0);
    munmap(mem, 4096);
    return s;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    const u64 n = argc > 1 ? std::strtoull(argv[1], nullptr, 0) : 20000000;
    std::printf("Vireo tier-0 benchmark (%llu loop iterations per kernel)\n", static_cast<unsigned long long>(n));
    std::printf("%-46s %10s %10s %10s %10s\n", "kernel", "tier0 MIPS", "tier1 MIPS", "native MIPS",
                "slowdown (tier 0)");
    // argv[2]: run only the kernel with this index (for profiling one of them).
    const int only = argc > 2 ? std::atoi(argv[2]) : -1;
    int index = -1;
    // Each kernel runs on tier 0 alone, then with tier 1 (blocks compiled after 100 runs,
    // synchronously: the compile time is inside the figure).
    for (const Kernel& k : kernels(n)) {
        if (++index, only >= 0 && index != only) continue;
        double mips[2] = {};
        jit::Tier1Compiler::Stats t1_stats;
        for (int tier = 0; tier < 2; tier++) {
            FlatRamHost host(16 << 20);
            CpuState c;
            cpu_apply_model(c, *find_cpu_model("max"));  // SSE2 and the rest decode
            test::make_flat_long_mode(c, host);
            jit::BlockCache cache;
            host.tracker().on_invalidate = [&](u64 p) { cache.invalidate_page(p); };
            jit::Tier0Engine eng(c, cache, host.tracker());
            std::unique_ptr<jit::Tier1Compiler> t1;
            if (tier == 1) {
                t1 = std::make_unique<jit::Tier1Compiler>();
                t1->prepare();  // LLVM's start-up is not part of the figure
                eng.set_tier1(t1.get(), 100);
            }
            // Guest: call the kernel from a stub so RET comes back to a HLT.
            const u64 code = 0x200000, stub = 0x300000;
            std::memcpy(host.ram() + code, k.code.data(), k.code.size());
            const u8 call_stub[] = {0xE8, 0xFB, 0xFF, 0xEF, 0xFF, 0xF4};  // call code; hlt
            std::memcpy(host.ram() + stub, call_stub, sizeof call_stub);
            c.gpr[RSP] = 0x100000;
            c.gpr[RCX] = k.rcx;
            c.gpr[RSI] = 0x400000;
            c.rip = stub;
            auto t0 = Clock::now();
            while (eng.run(~0ull >> 1) != jit::RunExit::Halted) {}
            double gs = seconds_since(t0);
            mips[tier] = static_cast<double>(c.insn_count) / gs / 1e6;
            if (t1) t1_stats = t1->stats();
        }
        double native_mips = 0;
#if defined(__x86_64__)
        std::vector<u8> buf(1 << 20);
        double ns = run_native(k, buf.data());
        native_mips = ns > 0 ? static_cast<double>(k.rcx * k.insns_per_iter) / ns / 1e6 : 0;
#endif
        std::printf("%-46s %10.1f %10.1f %10.1f %9.1fx\n", k.name, mips[0], mips[1], native_mips,
                    mips[0] > 0 && native_mips > 0 ? native_mips / mips[0] : 0.0);
        std::printf("  tier 1: %llu blocks compiled, %llu not, %.3f s compiling\n",
                    static_cast<unsigned long long>(t1_stats.compiled),
                    static_cast<unsigned long long>(t1_stats.failed), t1_stats.seconds);
    }

    // Translation speed: straight-line blocks that each run once.
    if (only < 0 || only == 4) {
        FlatRamHost host(64 << 20);
        CpuState c;
        test::make_flat_long_mode(c, host);
        jit::BlockCache cache;
        jit::Tier0Engine eng(c, cache, host.tracker());
        const u64 base = 0x1000000, blocks = 100000;
        u8* p = host.ram() + base;
        u64 seed = 1;
        for (u64 b = 0; b < blocks; b++) {
            for (int i = 0; i < 8; i++) {  // 8 ALU instructions, then a jmp to the next block
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                *p++ = 0x48; *p++ = static_cast<u8>(0x01 + 8 * ((seed >> 40) % 8 == 7 ? 0 : (seed >> 40) % 8));
                *p++ = static_cast<u8>(0xC0 | ((seed >> 50) & 0x3f));
            }
            *p++ = 0xEB; *p++ = 0x00;  // jmp +0
        }
        *p++ = 0xF4;
        c.rip = base;
        auto t0 = Clock::now();
        while (eng.run(~0ull >> 1) != jit::RunExit::Halted) {}
        double s = seconds_since(t0);
        std::printf("translation: %llu blocks of 9 insns in %.3f s: %.2f us/block (incl. one execution)\n",
                    static_cast<unsigned long long>(eng.stats().blocks_translated), s,
                    s * 1e6 / static_cast<double>(eng.stats().blocks_translated));
    }
    return 0;
}
