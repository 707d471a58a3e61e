#include "hw/misc/pci_testdev.h"

#include <cstring>
#include "softmmu/machine.h"

namespace vireo {

namespace {
const char* const kTestNames[3] = {"no-eventfd", "wildcard-eventfd", "datamatch-eventfd"};
constexpr u8 kDataMatch = 0xfa, kNoMatch = 0xce;
constexpr unsigned kHdrSize = 16;  // test, width, pad[2], offset, data, pad[3], count
}  // namespace

PciTestdev::PciTestdev(u8 devfn) : PciDevice(devfn, 0x1b36, 0x0005, 0x00ff00, 0) {
    for (unsigned i = 0; i < tests_.size(); i++) {
        const bool mem = i < 3;
        const std::string name = std::string(mem ? "mmio" : "portio") + "-" + kTestNames[i % 3];
        Test& t = tests_[i];
        t.hdr.assign(kHdrSize + name.size() + 1, 0);
        std::memcpy(t.hdr.data() + kHdrSize, name.c_str(), name.size() + 1);
        t.match_data = i % 3 != 1;
        t.hdr[0] = static_cast<u8>(i);
        t.hdr[1] = 1;  // access width: bytes
        const u32 offset = (mem ? kMemSize : kIoSize) + i;
        std::memcpy(t.hdr.data() + 4, &offset, 4);
        t.hdr[8] = t.match_data ? kDataMatch : kNoMatch;
    }
}

void PciTestdev::realize(Machine& m) {
    MemoryOps mem, io;
    mem.read = [this](u64 off, unsigned) -> u64 { return read(static_cast<unsigned>(off)); };
    mem.write = [this](u64 off, u64 v, unsigned size) { write(static_cast<unsigned>(off), v, size, false); };
    io.read = mem.read;
    io.write = [this](u64 off, u64 v, unsigned size) { write(static_cast<unsigned>(off), v, size, true); };
    mem.min_access = io.min_access = 1;
    mem.max_access = io.max_access = 4;
    register_bar(0, PciBarType::Mem32, m.own(MemoryRegion::io("pci-testdev-mmio", kMemSize * 2, mem)));
    register_bar(1, PciBarType::Io, m.own(MemoryRegion::io("pci-testdev-portio", kIoSize * 2, io)));
}

void PciTestdev::reset() {
    PciDevice::reset();
    current_ = -1;
}

void PciTestdev::describe_state(StateVisitor& v) {
    PciDevice::describe_state(v);
    v.field("current", &current_, sizeof current_);
    for (Test& t : tests_) v.field("hdr", t.hdr.data(), t.hdr.size());
}

u8 PciTestdev::read(unsigned offset) const {
    if (current_ < 0) return 0;
    const Test& t = tests_[current_];
    return offset + 1 < t.hdr.size() ? t.hdr[offset] : 0;
}

void PciTestdev::write(unsigned offset, u64 value, unsigned size, bool io) {
    if (offset == 0) {  // select a test of this BAR's kind
        current_ = value < 3 ? static_cast<int>(value + (io ? 3 : 0)) : -1;
        if (current_ >= 0) std::memset(tests_[current_].hdr.data() + 12, 0, 4);  // count = 0
        return;
    }
    if (current_ < 0) return;
    Test& t = tests_[current_];
    u32 want;
    std::memcpy(&want, t.hdr.data() + 4, 4);
    if (offset != want) return;
    if (t.match_data && (size != 1 || static_cast<u8>(value) != t.hdr[8])) return;
    u32 count;
    std::memcpy(&count, t.hdr.data() + 12, 4);
    count++;
    std::memcpy(t.hdr.data() + 12, &count, 4);
}

}  // namespace vireo
