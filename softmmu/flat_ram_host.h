// A CpuHost with nothing but RAM at physical address 0: for CPU unit tests and the
// native-differential harness. I/O reads return all-ones and writes are recorded.
#pragma once
#include <cstring>
#include <vector>
#include "frontend-x86/cpu_host.h"
#include "softmmu/code_tracker.h"

namespace vireo {

class FlatRamHost : public x86::CpuHost {
public:
    explicit FlatRamHost(size_t bytes) : ram_(bytes, 0) {}
    u8* ram() { return ram_.data(); }
    size_t ram_size() const { return ram_.size(); }
    CodePageTracker& tracker() { return tracker_; }

    u8* ram_page(u64 paddr, bool) override {
        return paddr + 4096 <= ram_.size() ? ram_.data() + (paddr & ~0xfffull) : nullptr;
    }
    u64 phys_read(u64 paddr, unsigned size) override {
        if (paddr + size > ram_.size()) return 0;
        u64 v = 0;
        std::memcpy(&v, ram_.data() + paddr, size);
        return v;
    }
    void phys_write(u64 paddr, u64 value, unsigned size) override {
        if (paddr + size > ram_.size()) return;
        tracker_.written(paddr, size);
        std::memcpy(ram_.data() + paddr, &value, size);
    }
    u32 io_read(u16, unsigned) override { return ~0u; }
    void io_write(u16 port, u32 value, unsigned size) override { io_writes.push_back({port, value, size}); }
    bool is_code_page(u64 ppage) override { return tracker_.is_code(ppage); }
    int acknowledge_interrupt() override { return -1; }
    void shutdown_request(const char* why) override { shutdowns++; last_shutdown = why; }
    u64 tsc() override { return tsc_value += 1000; }
    u64 random_u64() override { return rng_ = rng_ * 6364136223846793005ull + 1442695040888963407ull; }

    struct IoWrite { u16 port; u32 value; unsigned size; };
    std::vector<IoWrite> io_writes;
    int shutdowns = 0;
    const char* last_shutdown = nullptr;
    u64 tsc_value = 0;

private:
    std::vector<u8> ram_;
    CodePageTracker tracker_;
    u64 rng_ = 0x12345678;
};

}  // namespace vireo
