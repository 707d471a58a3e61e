// A CPU in flat IA-32e mode on the tier-0 engine for the SSE unit tests: one instruction at a
// time at 0x10000, followed by HLT; faults land on the flat_cpu.h IDT stubs.
#pragma once
#include <gtest/gtest.h>
#include <cstring>
#include <memory>
#include <vector>

#include "jit/tier0.h"
#include "tests/support/flat_cpu.h"

namespace vireo::test {

struct SseCpu : ::testing::Test {
    static constexpr u64 kCode = 0x10000, kData = 0x20000;
    FlatRamHost host{8 << 20};
    x86::CpuState c;
    jit::BlockCache cache;
    std::unique_ptr<jit::Tier0Engine> eng;

    void SetUp() override {
        using namespace x86;
        c.host = &host;
        // The models do not advertise SSE yet (cpuid.cc: only complete features); the forms
        // run anyway when the feature set has them.
        for (Feature f : {Feature::F_SSE, Feature::F_SSE2, Feature::F_FXSR}) set(c.features, f);
        cpu_reset(c);
        make_flat_long_mode(c, host);
        host.tracker().on_invalidate = [this](u64 p) { cache.invalidate_page(p); };
        eng = std::make_unique<jit::Tier0Engine>(c, cache, host.tracker());
        c.gpr[x86::RSP] = 0x70000;
    }
    // Runs one instruction; returns the exception vector it raised, or -1.
    int run(std::vector<u8> code) {
        std::memcpy(host.ram() + kCode, code.data(), code.size());
        host.ram()[kCode + code.size()] = 0xF4;
        cache.invalidate_all();
        c.rip = kCode;
        c.halted = false;
        eng->run(100);
        if (c.halted && c.rip == kCode + code.size() + 1) return -1;
        return fault_vector(c);
    }
    u8* ram(u64 pa) { return host.ram() + pa; }
    void set_xmm(unsigned r, u64 lo, u64 hi) {
        std::memcpy(c.xmm[r].b, &lo, 8);
        std::memcpy(c.xmm[r].b + 8, &hi, 8);
    }
    u64 xmm_q(unsigned r, unsigned i) const {
        u64 v;
        std::memcpy(&v, c.xmm[r].b + 8 * i, 8);
        return v;
    }
    template <typename T>
    T get(u64 pa) {
        T v;
        std::memcpy(&v, host.ram() + pa, sizeof v);
        return v;
    }
    template <typename T>
    void put(u64 pa, T v) { std::memcpy(host.ram() + pa, &v, sizeof v); }
};

}  // namespace vireo::test
