// The monitor's info cpus, info irq, info jit, info pci and help (softmmu/monitor_cmds.cc):
// QEMU 7.2's layouts (checked by hand against qemu-system-x86_64 -M q35 -nodefaults
// -device VGA), with the data from the machine's interfaces.
#include <gtest/gtest.h>

#include <unistd.h>
#include "hw/boards.h"
#include "hw/intc/i8259.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"

using namespace vireo;

namespace {

class NullTerm : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

VmConfig small_cfg() {
    VmConfig v;
    v.ram_size = 1 << 20;
    return v;
}

TEST(MonitorInfo, CpusStarsTheMonitorsCpu) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    EXPECT_EQ(mon->execute("info cpus"), "");
    m.add_cpu({});
    m.add_cpu({});
    const std::string tid = std::to_string(::gettid());  // every vCPU runs on the main loop
    EXPECT_EQ(mon->execute("info cpus"), "* CPU #0: thread_id=" + tid + "\n  CPU #1: thread_id=" + tid + "\n");
    EXPECT_EQ(mon->execute("cpu 1"), "");
    EXPECT_EQ(mon->execute("info cpus"), "  CPU #0: thread_id=" + tid + "\n* CPU #1: thread_id=" + tid + "\n");
    EXPECT_EQ(mon->execute("cpu 2"), "invalid CPU index\n");
    // info registers follows the monitor's CPU.
    m.cpus()[1].state->gpr[x86::RAX] = 0x1234abcd;
    EXPECT_NE(mon->execute("info registers").find("EAX=1234abcd"), std::string::npos);
}

TEST(MonitorInfo, IrqCountsRisingEdgesPerLine) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    auto* pic = static_cast<I8259*>(m.add_device(std::make_unique<I8259>()));
    // Nothing yet: only the header (QEMU prints it for a provider with lines).
    EXPECT_EQ(mon->execute("info irq"), "IRQ statistics for isa-i8259:\n");
    for (int i = 0; i < 3; i++) {
        pic->set_irq(0, true);
        pic->set_irq(0, true);  // still high: no new edge
        pic->set_irq(0, false);
    }
    pic->set_irq(12, true);
    EXPECT_EQ(mon->execute("info irq"), "IRQ statistics for isa-i8259:\n 0: 3\n12: 1\n");
}

TEST(MonitorInfo, JitCountsTranslationAndExecution) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    x86::CpuState& c = m.add_cpu({});
    // Real mode at 0x1000: INC AX; JMP $-3 (a loop), run a bounded number of instructions.
    const u8 code[] = {0x40, 0xeb, 0xfd};
    std::copy(code, code + 3, m.ram() + 0x1000);
    c.seg[x86::CS].sel = 0x100;
    c.seg[x86::CS].base = 0x1000;
    c.rip = 0;
    m.cpus()[0].engine->run(1000);
    const std::string s = mon->execute("info jit");
    for (const char* name : {"blocks_translated ", "insns_translated ", "block_execs ", "insns_retired ",
                             "block_cache_size ", "block_cache_generation "})
        EXPECT_NE(s.find(name), std::string::npos) << name << s;
    EXPECT_EQ(s.rfind("blocks_translated 1\n", 0), 0u) << s;
    EXPECT_NE(s.find("insns_translated 2\n"), std::string::npos) << s;
    EXPECT_NE(s.find("block_cache_size 1\n"), std::string::npos) << s;
    const size_t at = s.find("block_execs ");
    ASSERT_NE(at, std::string::npos);
    EXPECT_GE(std::stoull(s.substr(at + 12)), 400u) << s;  // ~1000 instructions, 2 a pass
}

TEST(MonitorInfo, PciListsTheQ35Devices) {
    VmConfig cfg;
    cfg.machine_type = "q35";
    cfg.serials = {"null"};
    cfg.display = "none";  // the default VGA, no text console
    cfg.ram_size = 128ull << 20;
    std::unique_ptr<Machine> m = create_q35(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(*m, &term);
    const std::string s = mon->execute("info pci");
    // QEMU 7.2, -M q35 -device VGA, before the firmware ran: the BARs are not mapped yet.
    const char* want =
        "  Bus  0, device   0, function 0:\n"
        "    Host bridge: PCI device 8086:29c0\n"
        "      PCI subsystem 1af4:1100\n"
        "      id \"\"\n"
        "  Bus  0, device   1, function 0:\n"
        "    VGA controller: PCI device 1234:1111\n"
        "      PCI subsystem 1af4:1100\n"
        "      BAR0: 32 bit prefetchable memory at 0xffffffffffffffff [0x00fffffe].\n"
        "      BAR2: 32 bit memory at 0xffffffffffffffff [0x00000ffe].\n"
        "      BAR6: 32 bit memory at 0xffffffffffffffff [0x0000fffe].\n"
        "      id \"\"\n"
        "  Bus  0, device  31, function 0:\n"
        "    ISA bridge: PCI device 8086:2918\n"
        "      PCI subsystem 1af4:1100\n"
        "      id \"\"\n";
    EXPECT_EQ(s, want);
}

TEST(MonitorInfo, PciWithoutPciIsEmpty) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    NullTerm term;
    EXPECT_EQ(create_monitor(m, &term)->execute("info pci"), "");
}

TEST(MonitorInfo, HelpListsEveryCommand) {
    VmConfig cfg = small_cfg();
    Machine m(cfg);
    NullTerm term;
    Monitor* mon = create_monitor(m, &term);
    const std::string h = mon->execute("help");
    for (const char* c : {"cpu index -- set the default CPU\n", "x /fmt addr -- virtual memory dump starting at 'addr'\n",
                          "xp /fmt addr -- physical memory dump starting at 'addr'\n",
                          "sendkey keys [hold_ms] -- send keys to the VM (e.g. 'sendkey ctrl-alt-f1', default hold time=100 ms)\n",
                          "screendump filename", "gdbserver [device] -- start gdbserver on given device (default 'tcp::1234'), stop with 'none'\n"})
        EXPECT_NE(h.find(c), std::string::npos) << c;
    EXPECT_EQ(mon->execute("? x"), "x /fmt addr -- virtual memory dump starting at 'addr'\n");
    const std::string i = mon->execute("help info");
    for (const char* c : {"info cpus -- show infos for each CPU\n", "info pci -- show PCI info\n",
                          "info irq -- show the interrupts statistics (if available)\n", "info jit --"})
        EXPECT_NE(i.find(c), std::string::npos) << c;
}

}  // namespace
