// The ICH9 LPC bridge 00:1f.0 (hw/isa/ich9_lpc.{h,cc}), its ACPI power-management block
// (hw/acpi/ich9_pm.{h,cc}) and port 0x92 (hw/misc/port92.{h,cc}), poked as SeaBIOS and Linux
// do. Sources: Intel I/O Controller Hub 9 datasheet (doc. 316972) 13.1.x (LPC configuration
// registers), 13.7.x (processor interface: port 92h, RST_CNT), 13.8.2 (APM), 13.8.3 (PM I/O
// registers); ACPI 6.4 4.8.3 (PM1 event/control registers, PM timer).
#include <gtest/gtest.h>

#include <map>
#include "hw/acpi/ich9_pm.h"
#include "hw/boards.h"
#include "hw/isa/ich9_lpc.h"
#include "hw/misc/port92.h"
#include "softmmu/clock.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"
#include "tests/support/q35_machine.h"

using namespace vireo;
using namespace vireo::test;

namespace {

constexpr unsigned kLpc = 0x1f << 3;
constexpr u16 kPm = 0x600;  // where SeaBIOS puts PMBASE (FIRMWARE.md 3)


// A PCI function that only raises INTx (Ich9Lpc::pci_intx takes the device and its pin).
class Fn : public PciDevice {
public:
    explicit Fn(u8 devfn) : PciDevice(devfn, 0x1af4, 0x1000, 0x020000, 0) { set8(kPciInterruptPin, 1); }
    const char* type_name() const override { return "test-fn"; }
};

struct Ich9Test : ::testing::Test {
    VmConfig cfg;
    std::unique_ptr<Machine> m = make_q35(cfg);
    Ich9Lpc* lpc = find_device<Ich9Lpc>(*m);
    Ich9Pm* pm = find_device<Ich9Pm>(*m);
    std::map<unsigned, bool> pic, apic;  // last level driven to each 8259 input / IOAPIC pin
    std::vector<std::pair<unsigned, bool>> pic_log;

    void SetUp() override {
        ASSERT_NE(lpc, nullptr);
        ASSERT_NE(pm, nullptr);
        // Watch what the LPC drives, still passing it on to the real 8259 and IOAPIC.
        auto to_pic = lpc->pic_irq;
        auto to_ioapic = lpc->ioapic_irq;
        lpc->pic_irq = [this, to_pic](unsigned irq, bool level) {
            pic[irq] = level;
            pic_log.push_back({irq, level});
            to_pic(irq, level);
        };
        lpc->ioapic_irq = [this, to_ioapic](unsigned gsi, bool level) {
            apic[gsi] = level;
            to_ioapic(gsi, level);
        };
        m->io_write(0x80, 0, 1);  // first access: the machine syncs its memory-map generation
        clear_exit_flag();
    }
    u32 cfg_read(unsigned reg, unsigned size) {
        m->io_write(0xcf8, 0x80000000u | kLpc << 8 | (reg & 0xfc), 4);
        return m->io_read(static_cast<u16>(0xcfc + (reg & 3)), size);
    }
    void cfg_write(unsigned reg, u32 v, unsigned size) {
        m->io_write(0xcf8, 0x80000000u | kLpc << 8 | (reg & 0xfc), 4);
        m->io_write(static_cast<u16>(0xcfc + (reg & 3)), v, size);
    }
    // SeaBIOS's ich9_lpc_setup: PMBASE <- 0x601, ACPI_CNTL <- 0x80 (ACPI_EN, SCI on IRQ9).
    void enable_pm() {
        cfg_write(Ich9Lpc::kPmbase, kPm | 1, 4);
        cfg_write(Ich9Lpc::kAcpiCntl, 0x80, 1);
    }
    u32 pm_read(unsigned off, unsigned size) { return m->io_read(static_cast<u16>(kPm + off), size); }
    void pm_write(unsigned off, u32 v, unsigned size) { m->io_write(static_cast<u16>(kPm + off), v, size); }
    // Machine::io_write marks every vCPU with IRQ_EXIT when a device asked for a reset or an
    // exit, so the running block ends; that is the observable "request" here.
    bool exit_flag() { return m->cpus()[0].state->interrupt_request.load() & x86::IRQ_EXIT; }
    void clear_exit_flag() {
        for (auto& v : m->cpus()) v.state->interrupt_request.fetch_and(~x86::IRQ_EXIT);
    }
    // Machine::run performs the pending reset (devices' reset()), then our hook stops it.
    int run_through_reset() {
        m->on_reset = [this] { m->request_exit(42); };
        return m->run();
    }
};

}  // namespace

// ---- LPC configuration registers (13.1) ----

TEST_F(Ich9Test, PmbaseAndAcpiCntlPlaceThePmBlock) {
    // 13.1.10 PMBASE: default 00000001h, bits 15:7 RW, bit 0 RO 1 (I/O space).
    EXPECT_EQ(cfg_read(Ich9Lpc::kPmbase, 4), 1u);
    cfg_write(Ich9Lpc::kPmbase, 0xffffffffu, 4);
    EXPECT_EQ(cfg_read(Ich9Lpc::kPmbase, 4), 0xff81u);
    // 13.1.11 ACPI_CNTL: ACPI_EN (7) and SCI_IRQ_SEL (2:0); 6:3 reserved.
    cfg_write(Ich9Lpc::kAcpiCntl, 0xff, 1);
    EXPECT_EQ(cfg_read(Ich9Lpc::kAcpiCntl, 1), 0x87u);
    cfg_write(Ich9Lpc::kAcpiCntl, 0x00, 1);
    // Base programmed, ACPI_EN clear: the block does not decode (I/O reads float high).
    cfg_write(Ich9Lpc::kPmbase, kPm | 1, 4);
    EXPECT_EQ(cfg_read(Ich9Lpc::kPmbase, 4), 0x601u);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4), 0xffffffffu);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Tmr, 4), 0xffffffffu);
    // ACPI_EN: "enables the decode of the ACPI I/O range" at PMBASE.
    cfg_write(Ich9Lpc::kAcpiCntl, 0x80, 1);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4), 0u);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Tmr, 4) >> 24, 0u);
    // Moving PMBASE moves the block.
    cfg_write(Ich9Lpc::kPmbase, 0x701, 4);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4), 0xffffffffu);
    EXPECT_EQ(m->io_read(0x704, 4), 0u);
    cfg_write(Ich9Lpc::kAcpiCntl, 0x00, 1);
    EXPECT_EQ(m->io_read(0x704, 4), 0xffffffffu);
}

TEST_F(Ich9Test, RcbaMapsTheChipsetConfigurationRegisters) {
    // 13.1.35 RCBA: base 31:14, enable 0, default 0.
    EXPECT_EQ(cfg_read(Ich9Lpc::kRcba, 4), 0u);
    cfg_write(Ich9Lpc::kRcba, 0xffffffffu, 4);
    EXPECT_EQ(cfg_read(Ich9Lpc::kRcba, 4), 0xffffc001u);
    cfg_write(Ich9Lpc::kRcba, 0xfed1c000u, 4);
    m->phys_write(0xfed1c000 + 0x3410, 0x12345678, 4);
    EXPECT_NE(m->phys_read(0xfed1c000 + 0x3410, 4), 0x12345678u);  // disabled: not decoded
    cfg_write(Ich9Lpc::kRcba, 0xfed1c001u, 4);  // as SeaBIOS
    m->phys_write(0xfed1c000 + 0x3410, 0x12345678, 4);
    EXPECT_EQ(m->phys_read(0xfed1c000 + 0x3410, 4), 0x12345678u);
    EXPECT_EQ(m->phys_read(0xfed1c000 + 0x3412, 2), 0x1234u);
    cfg_write(Ich9Lpc::kRcba, 0xfed1c000u, 4);
    EXPECT_NE(m->phys_read(0xfed1c000 + 0x3410, 4), 0x12345678u);
}

// ---- PIRQ routing (13.1.17/13.1.18 PIRQ[n]_ROUT) ----

TEST_F(Ich9Test, PirqRoutesToThe8259AndAlwaysToTheIoapic) {
    for (unsigned r : {0x60u, 0x61u, 0x62u, 0x63u, 0x68u, 0x69u, 0x6au, 0x6bu})
        EXPECT_EQ(cfg_read(r, 1), 0x80u) << r;  // default 80h: IRQEN = 1, not routed
    Fn slot2(2 << 3), slot6(6 << 3), slot31(31 << 3);
    // q35 D<n>IR default: slots 0-24 INTA -> PIRQ E + (slot & 3): 00:02.0 INTA = PIRQG.
    ASSERT_EQ(Ich9Lpc::pirq_of(2, 1), 6u);
    lpc->pci_intx(slot2, 1, true);
    EXPECT_TRUE(apic[16 + 6]);  // APIC mode: PIRQG is IOAPIC input 22 (FIRMWARE.md 3)
    EXPECT_TRUE(pic_log.empty()) << "IRQEN = 1 must not reach the 8259";
    // PIRQG_ROUT <- 0Bh: IRQEN = 0, IRQ11.
    cfg_write(0x6a, 0x0b, 1);
    EXPECT_TRUE(pic[11]);
    lpc->pci_intx(slot2, 1, false);
    EXPECT_FALSE(pic[11]);
    EXPECT_FALSE(apic[22]);
    // Two functions on one PIRQ: the line is their wired OR (PCI 3.0 2.2.6, shareable INTx#).
    ASSERT_EQ(Ich9Lpc::pirq_of(6, 1), 6u);
    lpc->pci_intx(slot2, 1, true);
    lpc->pci_intx(slot6, 1, true);
    lpc->pci_intx(slot2, 1, false);
    EXPECT_TRUE(pic[11]);
    EXPECT_TRUE(apic[22]);
    // Re-routing while asserted moves the level from one 8259 input to the other.
    cfg_write(0x6a, 0x0a, 1);
    EXPECT_FALSE(pic[11]);
    EXPECT_TRUE(pic[10]);
    cfg_write(0x6a, 0x8a, 1);  // IRQEN = 1: off the 8259, still on the IOAPIC
    EXPECT_FALSE(pic[10]);
    EXPECT_TRUE(apic[22]);
    lpc->pci_intx(slot6, 1, false);
    EXPECT_FALSE(apic[22]);
    // Slots 25-31 use PIRQA-D: 00:1f.0 INTA = PIRQA, routed by 60h, IOAPIC 16.
    cfg_write(0x60, 0x0a, 1);
    lpc->pci_intx(slot31, 1, true);
    EXPECT_TRUE(apic[16]);
    EXPECT_TRUE(pic[10]);
    // INTB of 00:02.0 is PIRQH (23), routed by 6Bh.
    cfg_write(0x6b, 0x05, 1);
    lpc->pci_intx(slot2, 2, true);
    EXPECT_TRUE(apic[23]);
    EXPECT_TRUE(pic[5]);
    // Bits 6:4 of PIRQx_ROUT are reserved.
    cfg_write(0x62, 0xff, 1);
    EXPECT_EQ(cfg_read(0x62, 1), 0x8fu);
}

TEST_F(Ich9Test, PciBusInterruptsReachTheLpc) {
    // PciDevice::set_irq -> PciBus::route_intx -> Ich9Lpc::pci_intx, as the board wires it.
    PciBus bus(&m->system_memory(), &m->io_space());
    bus.route_intx = [this](PciDevice& d, unsigned pin, bool level) { lpc->pci_intx(d, pin, level); };
    Fn nic(3 << 3);  // 00:03.0 INTA = PIRQH
    bus.plug(&nic);
    cfg_write(0x6b, 0x0b, 1);
    nic.set_irq(true);
    EXPECT_TRUE(apic[23]);
    EXPECT_TRUE(pic[11]);
    // PCI 3.0 6.2.2 Interrupt Disable stops the function driving INTx#.
    nic.config_write(kPciCommand, kPciCmdIntxDisable, 2);
    EXPECT_FALSE(apic[23]);
    EXPECT_FALSE(pic[11]);
    nic.config_write(kPciCommand, 0, 2);
    EXPECT_TRUE(apic[23]);
    nic.set_irq(false);
    EXPECT_FALSE(apic[23]);
}

TEST_F(Ich9Test, ReservedRoutingValuesDriveNo8259Input) {
    // 13.1.17 IRQ Routing: 0000b-0010b, 1000b and 1101b are reserved; only IRQ 3-7, 9-12,
    // 14, 15 are PIRQ targets. IRQ1 (keyboard), IRQ2 (cascade), IRQ8 (RTC), IRQ13 (FPU) must
    // never see a PCI interrupt.
    Fn slot31(31 << 3);
    lpc->pci_intx(slot31, 1, true);  // PIRQA
    for (u8 v : {0x00, 0x01, 0x02, 0x08, 0x0d}) {
        pic_log.clear();
        cfg_write(0x60, v, 1);
        EXPECT_TRUE(pic_log.empty()) << "PIRQA_ROUT = " << int(v) << " drove 8259 input " << pic_log[0].first;
        cfg_write(0x60, 0x80, 1);
    }
}

TEST_F(Ich9Test, SciIsALevelOnTheSelectedIrqOnlyWhenEnabled) {
    enable_pm();
    ASSERT_EQ(lpc->sci_irq(), 9u);
    // ACPI 6.4 4.8.3.1: an enabled, set status bit raises the SCI while SCI_EN routes events
    // to the SCI. Press the power button with PWRBTN_EN clear: status only.
    pm->power_button();
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts, Ich9Pm::kPwrBtnSts);
    EXPECT_FALSE(pic[9]);
    EXPECT_FALSE(apic[9]);
    // PWRBTN_EN set, SCI_EN still clear (legacy mode, the event would be an SMI): no SCI.
    pm_write(Ich9Pm::kPm1En, Ich9Pm::kPwrBtnSts, 2);
    EXPECT_FALSE(pic[9]);
    // Linux enables ACPI mode: the FADT's SMI_CMD (0xb2) <- ACPI_ENABLE (2) sets SCI_EN.
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    EXPECT_TRUE(pm_read(Ich9Pm::kPm1Cnt, 2) & Ich9Pm::kSciEn);
    EXPECT_TRUE(pic[9]);
    EXPECT_TRUE(apic[9]);
    // The OS acknowledges by writing the status bit back (write one to clear): SCI drops.
    pm_write(Ich9Pm::kPm1Sts, Ich9Pm::kPwrBtnSts, 2);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts, 0u);
    EXPECT_FALSE(pic[9]);
    EXPECT_FALSE(apic[9]);
    // ACPI_DISABLE (3) clears SCI_EN: a new press stays off the SCI.
    m->io_write(0xb2, Ich9Pm::kAcpiDisable, 1);
    EXPECT_FALSE(pm_read(Ich9Pm::kPm1Cnt, 2) & Ich9Pm::kSciEn);
    pm->power_button();
    EXPECT_FALSE(pic[9]);
    pm_write(Ich9Pm::kPm1Sts, 0xffff, 2);
    // 13.1.11 SCI_IRQ_SEL = 001b: IRQ10.
    cfg_write(Ich9Lpc::kAcpiCntl, 0x81, 1);
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    pm->power_button();
    EXPECT_TRUE(pic[10]);
    EXPECT_TRUE(apic[10]);
    EXPECT_FALSE(pic[9]);
    pm_write(Ich9Pm::kPm1Sts, Ich9Pm::kPwrBtnSts, 2);
    EXPECT_FALSE(pic[10]);
}

TEST_F(Ich9Test, SciOnApicOnlyIrqs) {
    // 13.1.11 SCI_IRQ_SEL 100b-111b: IRQ20-23, which exist only on the IOAPIC; the 8259 sees
    // nothing.
    enable_pm();
    cfg_write(Ich9Lpc::kAcpiCntl, 0x84, 1);
    ASSERT_EQ(lpc->sci_irq(), 20u);
    pm_write(Ich9Pm::kPm1En, Ich9Pm::kPwrBtnSts, 2);
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    pic_log.clear();
    pm->power_button();
    EXPECT_TRUE(apic[20]);
    EXPECT_TRUE(pic_log.empty());
    pm_write(Ich9Pm::kPm1Sts, Ich9Pm::kPwrBtnSts, 2);
    EXPECT_FALSE(apic[20]);
}

TEST_F(Ich9Test, MachinePowerdownPressesThePowerButton) {
    // The monitor's system_powerdown calls Machine::on_powerdown; on q35 that is the ICH9
    // power button (PWRBTN_STS, ACPI 6.4 4.8.3.1.1), what Linux's button driver waits for.
    enable_pm();
    ASSERT_TRUE(m->on_powerdown) << "q35 does not wire Machine::on_powerdown to Ich9Pm::power_button";
    m->on_powerdown();
    EXPECT_TRUE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
}

// ---- PM I/O registers (13.8.3) ----

TEST_F(Ich9Test, Pm1StatusIsWriteOneToClearAndEnableIsReadWrite) {
    enable_pm();
    pm->power_button();
    ASSERT_TRUE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
    pm_write(Ich9Pm::kPm1Sts, 0, 2);  // writing 0 leaves it
    EXPECT_TRUE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
    pm_write(Ich9Pm::kPm1Sts, 0x01, 1);  // another bit: leaves it
    EXPECT_TRUE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
    pm_write(Ich9Pm::kPm1Sts + 1, 0x01, 1);  // bit 8 through the high byte
    EXPECT_FALSE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
    // One dword write of status | enable << 16 (Linux's acpi_hw_register_write of PM1 event
    // blocks writes them separately, others combine): enable takes the value.
    pm->power_button();
    pm_write(Ich9Pm::kPm1Sts, 0x0121u << 16 | Ich9Pm::kPwrBtnSts, 4);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts, 0u);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1En, 2), 0x0121u);
    // GPE0_EN (13.8.3.8) is RW, GPE0_STS (13.8.3.7) RWC: writing ones to clear clear bits is harmless.
    pm_write(Ich9Pm::kGpe0En, 0x02, 1);
    EXPECT_EQ(pm_read(Ich9Pm::kGpe0En, 4), 0x02u);
    pm_write(Ich9Pm::kGpe0Sts, 0xffffffffu, 4);
    EXPECT_EQ(pm_read(Ich9Pm::kGpe0Sts, 4), 0u);
}

TEST_F(Ich9Test, SmiEnHasApmcEnAfterReset) {
    enable_pm();
    // ICH9 resets SMI_EN to 0, but Vireo has no SMM: with APMC_EN (bit 5) already set,
    // SeaBIOS's ich9_lpc_apmc_smm_setup() sees SMM as initialised and does not wait on port
    // 0xb3 for an SMI handler that would never run (FIRMWARE.md 3).
    EXPECT_EQ(pm_read(Ich9Pm::kSmiEn, 4) & Ich9Pm::kSmiApmcEn, Ich9Pm::kSmiApmcEn);
    for (auto& d : m->devices()) d->reset();
    enable_pm();
    EXPECT_EQ(pm_read(Ich9Pm::kSmiEn, 4) & Ich9Pm::kSmiApmcEn, Ich9Pm::kSmiApmcEn);
}

TEST_F(Ich9Test, PmTimerCountsForwardIn24Bits) {
    enable_pm();
    // 13.8.3.4 PM1_TMR: bits 23:0 count at 3.579545 MHz, 31:24 reserved (0). The machine's
    // clock is host time, so only the shape is checked here; the rate is checked against a
    // ManualClock below.
    u32 prev = pm_read(Ich9Pm::kPm1Tmr, 4);
    EXPECT_EQ(prev >> 24, 0u);
    unsigned advanced = 0;
    for (int i = 0; i < 1000; i++) {
        const u32 now = pm_read(Ich9Pm::kPm1Tmr, 4);
        ASSERT_EQ(now >> 24, 0u);
        const u32 delta = (now - prev) & 0xffffff;  // a 24-bit wrap counts forward
        ASSERT_LT(delta, 0x800000u) << "timer went backwards: " << prev << " -> " << now;
        advanced += delta != 0;
        prev = now;
    }
    EXPECT_GT(advanced, 0u);
    // Byte and word reads see the same counter (SeaBIOS reads the dword; others the word).
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Tmr + 3, 1), 0u);
}

TEST_F(Ich9Test, ApmPorts) {
    // 13.8.2.2 APM_STS (B3h): R/W scratch between OS and SMI handler.
    m->io_write(0xb3, 0x5a, 1);
    EXPECT_EQ(m->io_read(0xb3, 1), 0x5au);
    enable_pm();
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4) & Ich9Pm::kSciEn, Ich9Pm::kSciEn);
    m->io_write(0xb2, Ich9Pm::kAcpiDisable, 1);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4) & Ich9Pm::kSciEn, 0u);
    // Other commands leave SCI_EN alone.
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    m->io_write(0xb2, 0x00, 1);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4) & Ich9Pm::kSciEn, Ich9Pm::kSciEn);
}

TEST_F(Ich9Test, ApmControlReadsBackTheLastCommand) {
    // 13.8.2.1 APM_CNT (B2h) is R/W: the SMI handler reads the command from it (QEMU's apm.c
    // returns apmc too).
    m->io_write(0xb2, 0x42, 1);
    EXPECT_EQ(m->io_read(0xb2, 1), 0x42u);
}

TEST_F(Ich9Test, SleepTypeS5PowersOff) {
    enable_pm();
    // SLP_TYP without SLP_EN does nothing; an unsupported sleep type (S3, 101b) does not
    // power off.
    pm_write(Ich9Pm::kPm1Cnt, 0u << 10, 2);
    pm_write(Ich9Pm::kPm1Cnt, 5u << 10 | Ich9Pm::kSlpEn, 2);
    EXPECT_FALSE(m->exit_pending());
    // The DSDT's \_S5 is {0, 0} (as QEMU's): Linux writes SLP_TYP 0 | SLP_EN (ACPI 6.4 7.4.2
    // / 4.8.3.2.1). The machine asks to exit with status 0.
    pm_write(Ich9Pm::kPm1Cnt, 0u << 10 | Ich9Pm::kSlpEn | Ich9Pm::kSciEn, 2);
    EXPECT_TRUE(m->exit_pending());
    EXPECT_TRUE(exit_flag());
    // SLP_EN is write-only and reads 0 (13.8.3.3).
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 2) & Ich9Pm::kSlpEn, 0u);
    EXPECT_EQ(m->run(), 0);
}

TEST_F(Ich9Test, SleepTypeSevenIsS5OnIch9) {
    enable_pm();
    // 13.8.3.3 PM1_CNT SLP_TYP: 111b = Soft Off (S5). An OS using the ICH9 encoding (a DSDT
    // other than Vireo's) must power the machine off too.
    pm_write(Ich9Pm::kPm1Cnt, 7u << 10 | Ich9Pm::kSlpEn, 2);
    EXPECT_TRUE(m->exit_pending());
}

// ---- Resets: RST_CNT (13.7.5) and port 92h (13.7.3) ----

TEST_F(Ich9Test, ResetControlRegister) {
    // 13.7.5 RST_CNT: default 00h; SYS_RST (1) and FULL_RST (3) are R/W, RST_CPU (2) acts on a
    // 0->1 transition and reads 0.
    EXPECT_EQ(m->io_read(0xcf9, 1), 0u);
    m->io_write(0xcf9, 0x02, 1);
    EXPECT_EQ(m->io_read(0xcf9, 1), 0x02u);
    m->io_write(0xcf9, 0x0a, 1);
    EXPECT_EQ(m->io_read(0xcf9, 1), 0x0au);
    EXPECT_FALSE(exit_flag()) << "SYS_RST/FULL_RST alone must not reset";
    // The dword CONFIG_ADDRESS write at 0xcf8 is not a byte write to 0xcf9 (PCI 3.0
    // 3.2.2.3.2): 00:1f.2 has bit 2 set in its second byte.
    m->io_write(0xcf8, 0x8000fa00u, 4);
    EXPECT_FALSE(exit_flag());
    // SeaBIOS's and Linux's "reboot=pci": 0xcf9 <- 0x02, then 0x06.
    m->io_write(0xcf9, 0x06, 1);
    EXPECT_TRUE(exit_flag());
    EXPECT_FALSE(m->exit_pending());
    EXPECT_EQ(run_through_reset(), 42);
    EXPECT_EQ(m->io_read(0xcf9, 1), 0u);
}

TEST_F(Ich9Test, Port92) {
    auto* p92 = find_device<Port92>(*m);
    ASSERT_NE(p92, nullptr);
    // 13.7.3 Port 92h: bit 1 ALT_A20_GATE R/W, bit 0 INIT_NOW, 7:2 reserved.
    EXPECT_EQ(m->io_read(0x92, 1), 0u);
    m->io_write(0x92, 0x02, 1);
    EXPECT_EQ(m->io_read(0x92, 1), 0x02u);
    m->io_write(0x92, 0xfe, 1);
    EXPECT_EQ(m->io_read(0x92, 1), 0x02u);
    EXPECT_FALSE(exit_flag());
    // INIT_NOW 0->1 resets the processor.
    m->io_write(0x92, 0x03, 1);
    EXPECT_TRUE(exit_flag());
    EXPECT_EQ(m->io_read(0x92, 1), 0x03u);
    EXPECT_EQ(run_through_reset(), 42);
    EXPECT_EQ(m->io_read(0x92, 1), 0u);
}

TEST(Port92Device, OnlyARisingInitNowResets) {
    Port92 p;
    int resets = 0;
    p.on_reset_request = [&] { resets++; };
    p.write(0x01);
    p.write(0x01);  // already 1: no transition
    p.write(0x03);
    EXPECT_EQ(resets, 1);
    p.write(0x00);
    p.write(0x01);
    EXPECT_EQ(resets, 2);
    EXPECT_EQ(p.read(), 0x01u);
}

// ---- The PM timer against a ManualClock ----

namespace {
struct Ich9PmClock : ::testing::Test {
    VmConfig cfg = [] {
        VmConfig c;
        c.ram_size = 1 << 20;
        return c;
    }();
    Machine m{cfg};
    ManualClock clk;
    Ich9Pm pm{clk.source()};
    std::vector<bool> sci;
    void SetUp() override {
        pm.realize(m);
        pm.sci = IrqLine("sci", [this](bool level) { sci.push_back(level); });
        pm.reset();
        pm.set_base(kPm, true);
    }
    // The main loop's timer service (Machine::run_timers) up to t.
    void run_to(u64 t) {
        for (u64 e; (e = pm.next_event_ns()) <= t;) {
            clk.now_ns = e;
            pm.update(e);
        }
        clk.now_ns = t;
    }
    u32 rd(unsigned off, unsigned size) { return m.io_read(static_cast<u16>(kPm + off), size); }
    void wr(unsigned off, u32 v, unsigned size) { m.io_write(static_cast<u16>(kPm + off), v, size); }
    static u32 ticks_at(u64 ns) { return static_cast<u32>(static_cast<unsigned __int128>(ns) * 3579545 / 1000000000); }
};
}  // namespace

TEST_F(Ich9PmClock, TimerRunsAt3579545HzAndWrapsAt24Bits) {
    // 13.8.3.4 / ACPI 6.4 4.8.3.3: 3.579545 MHz, 24 bits here (FADT TMR_VAL_EXT = 0).
    EXPECT_EQ(rd(Ich9Pm::kPm1Tmr, 4), 0u);
    clk.now_ns = 1'000'000'000;
    EXPECT_EQ(rd(Ich9Pm::kPm1Tmr, 4), 3579545u);
    clk.now_ns = 1'000;  // ManualClock may be set anywhere for the test: 1 us = 3 ticks
    EXPECT_EQ(rd(Ich9Pm::kPm1Tmr, 4), 3u);
    for (u64 ns : {4'686'000'000ull, 4'687'000'000ull, 4'688'000'000ull, 10'000'000'000ull}) {
        clk.now_ns = ns;
        EXPECT_EQ(rd(Ich9Pm::kPm1Tmr, 4), ticks_at(ns) & 0xffffffu) << ns;
        EXPECT_EQ(rd(Ich9Pm::kPm1Tmr, 2), ticks_at(ns) & 0xffffu) << ns;
    }
    clk.now_ns = 4'687'000'000ull;  // just past 2^24 ticks (4.6869 s)
    EXPECT_LT(rd(Ich9Pm::kPm1Tmr, 4), 0x1000u);
}

TEST_F(Ich9PmClock, TimerCarrySetsTmrStsAndTheSci) {
    // ACPI 6.4 4.8.3.1.1 TMR_STS: set whenever bit 23 of the counter changes; with TMR_EN and
    // SCI_EN it raises the SCI.
    wr(Ich9Pm::kPm1En, Ich9Pm::kTmrSts, 2);
    pm.apm_command(Ich9Pm::kAcpiEnable);
    run_to(2'300'000'000ull);  // 2^23 ticks = 2.3435 s
    EXPECT_EQ(rd(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kTmrSts, 0u);
    EXPECT_TRUE(sci.empty());
    run_to(2'400'000'000ull);
    EXPECT_EQ(rd(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kTmrSts, Ich9Pm::kTmrSts);
    ASSERT_FALSE(sci.empty());
    EXPECT_TRUE(sci.back());
    wr(Ich9Pm::kPm1Sts, Ich9Pm::kTmrSts, 2);
    EXPECT_FALSE(sci.back());
    // The next carry: bit 23 going 1 -> 0 at 2^24 ticks (4.687 s).
    run_to(4'600'000'000ull);
    EXPECT_FALSE(sci.back());
    run_to(4'700'000'000ull);
    EXPECT_TRUE(sci.back());
}

TEST_F(Ich9PmClock, TmrStsIsSetEvenWithTmrEnClear) {
    // ACPI 6.4 4.8.3.1.1: TMR_STS "gets set any time the 23rd/31st bit of a 24/32-bit counter
    // changes"; TMR_EN only decides whether that raises an SCI. OSPMs that poll it
    // (ACPI's timer-carry check) need it without TMR_EN.
    pm.apm_command(Ich9Pm::kAcpiEnable);
    run_to(2'400'000'000ull);
    EXPECT_EQ(rd(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kTmrSts, Ich9Pm::kTmrSts);
    EXPECT_TRUE(sci.empty() || !sci.back());
}

TEST(Ich9PmTimer, ADwordReadIsOneSample) {
    // ACPI 6.4 4.8.3.3: PM_TMR is one 24-bit register read with one 32-bit access. Here the
    // clock moves on at every look (as host time does between two calls), ~1 timer tick a
    // time, starting just below the carry into bit 16.
    VmConfig cfg;
    cfg.ram_size = 1 << 20;
    Machine m(cfg);
    u64 now = (0xffffull * 1000000000 + 3579545 - 1) / 3579545 - 5 * 280;  // 5 ticks before 0x10000
    Ich9Pm pm([&] { return now += 280; });
    pm.realize(m);
    pm.reset();
    pm.set_base(kPm, true);
    auto ticks = [](u64 ns) { return static_cast<u32>(static_cast<unsigned __int128>(ns) * 3579545 / 1000000000) & 0xffffff; };
    for (int i = 0; i < 4000; i++) {  // across many byte carries, at varying phase
        now += 280 * (i % 3);
        const u32 lo = ticks(now);
        const u32 v = m.io_read(kPm + Ich9Pm::kPm1Tmr, 4);
        const u32 hi = ticks(now);
        ASSERT_TRUE(v >= lo && v <= hi) << std::hex << "read " << v << " outside [" << lo << ", " << hi << "] (torn read)";
    }
}

// ---- State save/restore ----

TEST_F(Ich9Test, LpcSaveRestoreKeepsTheRegisters) {
    enable_pm();
    cfg_write(0x60, 0x0b0a0b0au, 4);
    cfg_write(0x68, 0x0b0a0b0au, 4);
    cfg_write(Ich9Lpc::kRcba, 0xfed1c001u, 4);
    m->phys_write(0xfed1c000 + 0x3418, 0x1234, 4);
    m->io_write(0xb3, 0x77, 1);
    m->io_write(0xcf9, 0x02, 1);
    std::vector<u32> before;
    for (unsigned r = 0; r < 256; r += 4) before.push_back(cfg_read(r, 4));
    StateWriter w;
    lpc->describe_state(w);

    cfg_write(0x60, 0x80808080u, 4);
    cfg_write(Ich9Lpc::kAcpiCntl, 0x00, 1);
    cfg_write(Ich9Lpc::kPmbase, 0x701, 4);
    m->io_write(0xb3, 0, 1);
    m->io_write(0xcf9, 0x00, 1);
    m->phys_write(0xfed1c000 + 0x3418, 0, 4);
    load_state(*lpc, w.buf);
    for (unsigned i = 0; i < before.size(); i++) EXPECT_EQ(cfg_read(i * 4, 4), before[i]) << i * 4;
    EXPECT_EQ(m->io_read(0xb3, 1), 0x77u);
    EXPECT_EQ(m->io_read(0xcf9, 1), 0x02u);
    EXPECT_EQ(m->phys_read(0xfed1c000 + 0x3418, 4), 0x1234u);
}

TEST_F(Ich9Test, LpcRestoredStateDrivesTheDecoders) {
    enable_pm();
    StateWriter w;
    lpc->describe_state(w);
    cfg_write(Ich9Lpc::kAcpiCntl, 0x00, 1);  // PM block off
    load_state(*lpc, w.buf);
    // ACPI_CNTL reads 80h again, so the PM block must decode at PMBASE again.
    ASSERT_EQ(cfg_read(Ich9Lpc::kAcpiCntl, 1), 0x80u);
    EXPECT_NE(pm_read(Ich9Pm::kPm1Cnt, 4), 0xffffffffu) << "PMBASE/ACPI_EN not re-applied after restore";
}

TEST_F(Ich9Test, PmSaveRestoreKeepsTheRegisters) {
    enable_pm();
    pm_write(Ich9Pm::kPm1En, 0x0121, 2);
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    pm_write(Ich9Pm::kGpe0En, 0x0f, 1);
    pm_write(Ich9Pm::kSmiEn, 0x23, 4);
    pm->power_button();
    const u32 sts = pm_read(Ich9Pm::kPm1Sts, 2), en = pm_read(Ich9Pm::kPm1En, 2);
    const u32 cnt = pm_read(Ich9Pm::kPm1Cnt, 4), gpe = pm_read(Ich9Pm::kGpe0En, 4);
    const u32 smi = pm_read(Ich9Pm::kSmiEn, 4);
    StateWriter w;
    pm->describe_state(w);

    pm_write(Ich9Pm::kPm1Sts, 0xffff, 2);
    pm_write(Ich9Pm::kPm1En, 0, 2);
    m->io_write(0xb2, Ich9Pm::kAcpiDisable, 1);
    pm_write(Ich9Pm::kGpe0En, 0, 4);
    pm_write(Ich9Pm::kSmiEn, 0, 4);
    load_state(*pm, w.buf);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Sts, 2), sts);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1En, 2), en);
    EXPECT_EQ(pm_read(Ich9Pm::kPm1Cnt, 4), cnt);
    EXPECT_EQ(pm_read(Ich9Pm::kGpe0En, 4), gpe);
    EXPECT_EQ(pm_read(Ich9Pm::kSmiEn, 4), smi);
}

TEST_F(Ich9Test, PmRestoredStateDrivesTheSci) {
    enable_pm();
    pm_write(Ich9Pm::kPm1En, Ich9Pm::kPwrBtnSts, 2);
    m->io_write(0xb2, Ich9Pm::kAcpiEnable, 1);
    pm->power_button();
    ASSERT_TRUE(pic[9]);
    StateWriter w;
    pm->describe_state(w);
    pm_write(Ich9Pm::kPm1Sts, 0xffff, 2);
    ASSERT_FALSE(pic[9]);
    load_state(*pm, w.buf);
    // PWRBTN_STS, PWRBTN_EN and SCI_EN are all set again, so the SCI level must be too.
    EXPECT_TRUE(pm_read(Ich9Pm::kPm1Sts, 2) & Ich9Pm::kPwrBtnSts);
    EXPECT_TRUE(pic[9]) << "SCI level not re-driven after restore";
}

TEST_F(Ich9Test, PmBlockCannotHideTheConfigPorts) {
    // CONFIG_ADDRESS/CONFIG_DATA (0xcf8/0xcfc) are decoded by the host bridge in the MCH
    // (PCI 3.0 3.2.2.3.2; 316966 "CONFIG_ADDRESS/CONFIG_DATA"): they never reach the ICH over
    // DMI, so a PMBASE that overlaps them (0xc80-0xcff) cannot take them away, and software
    // can still move PMBASE back.
    cfg_write(Ich9Lpc::kPmbase, 0xc81, 4);
    cfg_write(Ich9Lpc::kAcpiCntl, 0x80, 1);
    m->io_write(0xcf8, 0x80000000u, 4);
    EXPECT_EQ(m->io_read(0xcfc, 4), 0x29c08086u) << "the PM block shadows the configuration ports";
    cfg_write(Ich9Lpc::kPmbase, kPm | 1, 4);
    EXPECT_EQ(cfg_read(Ich9Lpc::kPmbase, 4), 0x601u);
}
