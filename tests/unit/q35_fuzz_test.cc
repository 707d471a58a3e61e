// Bad input from the guest, whole-machine: random port I/O over all 64K ports and random MMIO
// over the q35 board's decoders (legacy VGA/PAM window, ECAM, IOAPIC, HPET, local APIC, RCBA,
// anywhere else), with random configuration-space writes steering the MCH and LPC decoders in
// between. No guest code runs. The host must not crash, hang or throw, and the machine must
// still work afterwards. 200k operations by default (deterministic); VIREO_FUZZ_OPS=n runs
// more, VIREO_FUZZ_SEED=s another sequence.
#include <gtest/gtest.h>

#include <cstdlib>
#include <exception>
#include "hw/boards.h"
#include "softmmu/machine.h"

using namespace vireo;

namespace {

u64 env_u64(const char* name, u64 dflt) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 0) : dflt;
}

struct Rng {
    u64 s;
    u64 operator()() {  // xorshift64
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
};

// Ports a guest is likely to hit, so the devices get past their first register.
constexpr u16 kHotPorts[] = {
    0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1,               // 8259 pair, ELCR
    0x40, 0x41, 0x42, 0x43, 0x61,                       // PIT, port 61h
    0x60, 0x64,                                         // i8042
    0x70, 0x71,                                         // RTC/CMOS
    0x92, 0xb2, 0xb3, 0xcf9,                            // port 92h, APM, RST_CNT
    0xcf8, 0xcf9, 0xcfa, 0xcfb, 0xcfc, 0xcfd, 0xcfe, 0xcff,  // config mechanism #1
    0x510, 0x511, 0x514, 0x518,                         // fw_cfg (selector, data, DMA)
    0x600, 0x602, 0x604, 0x608, 0x620, 0x628, 0x630, 0x634,  // PM block where SeaBIOS puts it
    0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x402,    // COM1, debugcon
    0x1ce, 0x1cf, 0x3c0, 0x3c1, 0x3c4, 0x3c5, 0x3c7, 0x3c8, 0x3c9, 0x3ce, 0x3cf, 0x3d4, 0x3d5, 0x3da,  // VGA
};

// Configuration registers that change the memory or I/O map.
constexpr unsigned kHotRegs[] = {0x04, 0x10, 0x30, 0x40, 0x44, 0x60, 0x64, 0x68, 0x90, 0x91, 0x92, 0x93,
                                 0x94, 0x95, 0x96, 0x9d, 0x9e, 0xf0};

u64 random_mmio_address(Rng& rnd) {
    const u64 r = rnd();
    switch (r % 9) {
    case 0: return 0xa0000 + (r >> 8) % 0x60000;            // VGA window, PAM segments, BIOS
    case 1: return 0xb0000000 + (r >> 8) % 0x10000000;      // ECAM (when PCIEXBAR is on)
    case 2: return 0xfec00000 + (r >> 8) % 0x1000;          // IOAPIC
    case 3: return 0xfed00000 + (r >> 8) % 0x400;           // HPET
    case 4: return 0xfee00000 + (r >> 8) % 0x1000;          // local APIC
    case 5: return 0xfed1c000 + (r >> 8) % 0x4000;          // RCBA
    case 6: return (r >> 8) % 0x100000000ull;               // anywhere below 4 GiB
    case 7: return rnd();                                   // anywhere at all
    default: return 0xfffffffffffffff0ull + (r >> 8) % 16;  // the very top (wrap-around)
    }
}

void fuzz(VmConfig& cfg) {
    cfg.machine_type = "q35";
    cfg.nodefaults = true;
    cfg.nographic = true;
    cfg.serials = {"null"};
    std::unique_ptr<Machine> m = create_q35(cfg);
    const u64 ops = env_u64("VIREO_FUZZ_OPS", 200000);
    Rng rnd{env_u64("VIREO_FUZZ_SEED", 0x9e3779b97f4a7c15ull) | 1};
    // Start where SeaBIOS leaves things so the PM block and ECAM are decoded at first.
    auto conf1_write = [&](unsigned devfn, unsigned reg, u32 v, unsigned size) {
        m->io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
        m->io_write(static_cast<u16>(0xcfc + (reg & 3)), v, size);
    };
    conf1_write(0, 0x60, 0xb0000001u, 4);
    conf1_write(0xf8, 0x40, 0x601, 4);
    conf1_write(0xf8, 0x44, 0x80, 1);
    conf1_write(0xf8, 0xf0, 0xfed1c001u, 4);

    u64 i = 0, op = 0;
    try {
        for (i = 0; i < ops; i++) {
            const u64 r = rnd();
            op = r;
            const unsigned size = 1u << ((r >> 4) % 3);
            const bool write = (r >> 6) & 1;
            const u32 value = static_cast<u32>(rnd());
            switch (r % 8) {
            case 0:
            case 1: {  // any port
                const u16 port = static_cast<u16>(r >> 16);
                if (write) m->io_write(port, value, size);
                else (void)m->io_read(port, size);
                break;
            }
            case 2:
            case 3: {  // a port a device answers
                const u16 port = kHotPorts[(r >> 16) % std::size(kHotPorts)];
                if (write) m->io_write(port, value, size);
                else (void)m->io_read(port, size);
                break;
            }
            case 4: {  // configuration access to the MCH, the LPC or anything
                static constexpr unsigned kFns[] = {0x00, 0xf8, 0x08};
                const unsigned devfn = (r >> 8) & 1 ? kFns[(r >> 16) % 3] : (r >> 16) & 0xff;
                const unsigned reg = (r >> 10) & 1 ? kHotRegs[(r >> 24) % std::size(kHotRegs)] : (r >> 24) & 0xfff;
                m->io_write(0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc) | (reg & 0xf00) << 16, 4);
                const u16 data = static_cast<u16>(0xcfc + (reg & 3 & ~(size - 1)));
                if (write) m->io_write(data, value, size);
                else (void)m->io_read(data, size);
                break;
            }
            default: {  // memory
                const u64 addr = random_mmio_address(rnd);
                const unsigned msize = 1u << ((r >> 8) % 4);
                if (write) m->phys_write(addr, static_cast<u64>(value) << 32 | rnd() >> 32, msize);
                else (void)m->phys_read(addr, msize);
                break;
            }
            }
            if ((i & 1023) == 0) (void)m->acknowledge_interrupt();  // INTA cycles, as a CPU would
        }
    } catch (const std::exception& e) {
        FAIL() << "operation " << i << " (" << std::hex << op << ") threw: " << e.what();
    }

    // Still usable: a platform reset (what the guest's next reboot does), then the firmware's
    // first steps work as on a fresh machine.
    for (auto& d : m->devices()) d->reset();
    m->io_write(0xcf8, 0x80000000u, 4);
    EXPECT_EQ(m->io_read(0xcfc, 4), 0x29c08086u);  // 316966 5.1.1/5.1.2
    m->io_write(0xcf8, 0x8000f800u, 4);
    EXPECT_EQ(m->io_read(0xcfc, 4), 0x29188086u);  // 316972 13.1.1/13.1.2
    conf1_write(0, 0x60, 0xb0000001u, 4);
    EXPECT_EQ(m->phys_read(0xb0000000, 4), 0x29c08086u);
    EXPECT_EQ(m->phys_read(0xfffffff0, 4), m->phys_read(0xffff0, 4));
    conf1_write(0, 0x90, 0x30, 1);  // PAM0: RAM
    m->phys_write(0xf0000, 0x600dcafe, 4);
    EXPECT_EQ(m->phys_read(0xf0000, 4), 0x600dcafeu);
    conf1_write(0xf8, 0x40, 0x601, 4);
    conf1_write(0xf8, 0x44, 0x80, 1);
    EXPECT_EQ(m->io_read(0x630, 4) & 0x20, 0x20u);  // SMI_EN.APMC_EN after reset
    m->phys_write(0x100000, 0x12345678, 4);
    EXPECT_EQ(m->phys_read(0x100000, 4), 0x12345678u);
}

}  // namespace

TEST(Q35Fuzz, RandomIoAndMmioNeverCrashTheHost) {
    VmConfig cfg;
    fuzz(cfg);
}

TEST(Q35Fuzz, WithTheStandardVga) {
    // The default q35 has the std VGA at 00:01.0 (legacy window, VBE ports, BARs).
    VmConfig cfg;
    cfg.vga = "std";
    fuzz(cfg);
}

TEST(Q35Fuzz, TwoMachinesDoNotShareDecoders) {
    // No globals (STYLE.md): programming one q35's chipset leaves another's alone.
    VmConfig cfg_a, cfg_b;
    for (VmConfig* c : {&cfg_a, &cfg_b}) {
        c->machine_type = "q35";
        c->nodefaults = true;
        c->serials = {"null"};
    }
    auto a = create_q35(cfg_a);
    auto b = create_q35(cfg_b);
    a->io_write(0xcf8, 0x80000060u, 4);
    a->io_write(0xcfc, 0xb0000001u, 4);
    EXPECT_EQ(a->phys_read(0xb0000000, 4), 0x29c08086u);
    EXPECT_NE(b->phys_read(0xb0000000, 4), 0x29c08086u);
    b->io_write(0xcf8, 0x80000000u, 4);
    EXPECT_EQ(b->io_read(0xcf8, 4), 0x80000000u);
    EXPECT_EQ(a->io_read(0xcf8, 4), 0x80000060u);
}
