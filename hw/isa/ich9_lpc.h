// The ICH9 LPC interface bridge, PCI device 00:1f.0 (Intel I/O Controller Hub 9 datasheet,
// doc. 316972, 13.1 "LPC Interface Bridge Registers (D31:F0)"): PMBASE and ACPI_CNTL place the
// power-management block and pick the SCI IRQ, PIRQA-H_ROUT route the PCI interrupt lines to
// 8259 inputs (in APIC mode PIRQA-H reach IOAPIC pins 16-23), RCBA places the chipset
// configuration registers, and the reset control register sits at I/O port 0xcf9 (13.7.5).
#pragma once
#include <array>
#include <functional>
#include "hw/acpi/ich9_pm.h"
#include "hw/pci/pci.h"

namespace vireo {

class Ich9Lpc : public PciDevice {
public:
    enum : unsigned {
        kPmbase = 0x40, kAcpiCntl = 0x44, kPirqARout = 0x60, kPirqERout = 0x68, kGenPmcon1 = 0xa0,
        kRcba = 0xf0,
    };
    static constexpr unsigned kDevfn = 0x1f << 3;

    explicit Ich9Lpc(Ich9Pm& pm);
    const char* type_name() const override { return "ICH9-LPC"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;
    void post_load() override {
        PciDevice::post_load();
        update_pm();
        update_pirq_pic();
        update_rcba();
    }
    void config_write(unsigned offset, u32 value, unsigned size) override;

    // The PIRQ a device's INTx pin drives (q35's default D<n>IR routing, which the DSDT's _PRT
    // mirrors): slots 0-24 INTA-D -> PIRQE-H rotated by slot, slots 25-31 INTA-D -> PIRQA-D.
    static unsigned pirq_of(unsigned slot, unsigned pin);
    // A PCI device's INTx level (the bus's route_intx lands here).
    void pci_intx(PciDevice& dev, unsigned pin, bool level);
    // PIRQ n (0-7) to the 8259 input its PIRQx_ROUT selects, and to IOAPIC pin 16 + n.
    std::function<void(unsigned pic_irq, bool level)> pic_irq;
    std::function<void(unsigned gsi, bool level)> ioapic_irq;
    // Reset control (0xcf9) and APM (0xb2) side effects.
    std::function<void()> on_reset_request;
    unsigned sci_irq() const;  // ACPI_CNTL SCI_IRQ_SEL (13.1.11)

private:
    void update_pm();
    void update_pirq_pic();
    void update_rcba();
    void sci_changed(bool level);
    Ich9Pm& pm_;
    Machine* machine_ = nullptr;
    std::array<bool, 16> pic_levels_{};  // what was last driven to each 8259 input
    std::array<bool, 8> pirq_levels_{};
    bool sci_level_ = false;
    u8 rst_cnt_ = 0;
    u8 apm_cnt_ = 0, apm_sts_ = 0;
    std::array<u8, 0x4000> rcrb_{};  // chipset configuration registers (13.9), kept as bytes
    MemoryRegion* rcrb_region_ = nullptr;
    u64 rcrb_mapped_ = ~0ull;
    // Asserted INTx inputs, by devfn and pin, to OR several devices onto one PIRQ.
    std::array<u8, 256> intx_levels_{};
};

}  // namespace vireo
