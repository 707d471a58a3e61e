// QEMU's "pci-testdev" (1b36:0005; hw/misc/pci-testdev.c; used by kvm-unit-tests' pci test).
// BAR0 (4 KiB MMIO) and BAR1 (256 bytes I/O) each offer three tests, "no-eventfd",
// "wildcard-eventfd" and "datamatch-eventfd": writing the test number to offset 0 selects one;
// reads then return its header {u8 test, u8 width, u16 pad, u32 offset, u8 data, u8 pad[3],
// u32 count, name}, and byte writes to header.offset (with header.data, for the datamatch test)
// increment header.count. Vireo has no eventfds: every test counts the same way.
#pragma once
#include <array>
#include <string>
#include <vector>
#include "hw/pci/pci.h"

namespace vireo {

class PciTestdev : public PciDevice {
public:
    static constexpr unsigned kMemSize = 2048, kIoSize = 128;  // IOTEST_MEMSIZE/IOTEST_IOSIZE
    explicit PciTestdev(u8 devfn);
    const char* type_name() const override { return "pci-testdev"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;
    u8 read(unsigned offset) const;
    void write(unsigned offset, u64 value, unsigned size, bool io);

private:
    struct Test {
        std::vector<u8> hdr;  // header + name + NUL
        bool match_data;
    };
    std::array<Test, 6> tests_;  // 0-2 MMIO, 3-5 port I/O
    int current_ = -1;
};

}  // namespace vireo
