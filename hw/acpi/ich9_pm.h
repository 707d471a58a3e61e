// The ICH9 ACPI power-management I/O block at PMBASE (Intel I/O Controller Hub 9 datasheet,
// doc. 316972, 13.8.3 "Power Management I/O Registers"; ACPI 6.4 4.8 "ACPI Hardware
// Specification"): PM1 status/enable/control, the 24-bit 3.579545 MHz PM timer, GPE0, SMI_EN
// and SMI_STS. The SCI is a level output the LPC routes to its SCI IRQ; SLP_EN with the S5
// sleep type powers the machine off; the APM command port (0xb2) switches SCI_EN.
#pragma once
#include <functional>
#include "hw/core/irq.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class Ich9Pm : public Device {
public:
    // Offsets in the PMBASE block (13.8.3).
    enum : unsigned {
        kPm1Sts = 0x00, kPm1En = 0x02, kPm1Cnt = 0x04, kPm1Tmr = 0x08, kGpe0Sts = 0x20, kGpe0En = 0x28,
        kSmiEn = 0x30, kSmiSts = 0x34, kSize = 0x80,
    };
    // PM1 bits (ACPI 6.4 4.8.3.1 Table 4.11/4.13).
    enum : u16 { kTmrSts = 1u << 0, kGblSts = 1u << 5, kPwrBtnSts = 1u << 8, kRtcSts = 1u << 10, kWakSts = 1u << 15 };
    enum : u32 { kSciEn = 1u << 0, kSlpEn = 1u << 13 };
    enum : u32 { kSmiApmcEn = 1u << 5 };
    static constexpr u64 kTimerHz = 3579545;
    // The APM commands the FADT advertises (SMI_CMD 0xb2).
    enum : u8 { kAcpiEnable = 0x02, kAcpiDisable = 0x03 };

    explicit Ich9Pm(ClockSource clock) : clock_(std::move(clock)) {}
    const char* type_name() const override { return "ich9-pm"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;
    void post_load() override { update_sci(); }

    u32 read(unsigned offset, unsigned size);
    void write(unsigned offset, u32 value, unsigned size);
    // The LPC's PMBASE/ACPI_EN decide where (and whether) the block decodes.
    void set_base(u16 base, bool enabled);
    // APM control port write (0xb2).
    void apm_command(u8 value);
    // Power button press (system_powerdown): PWRBTN_STS, an SCI if enabled.
    void power_button();
    // Timer overflow interrupts (TMROF) for the main loop.
    u64 next_event_ns() const;
    void update(u64 now_ns);
    u32 timer_value() const;

    IrqLine sci;
    // SLP_EN written with SLP_TYP = s5: the machine powers off (ACPI 6.4 7.4.2; the DSDT's _S5
    // package gives SLP_TYP 0, as QEMU's). Other sleep types are not supported.
    std::function<void()> on_power_off;

private:
    void update_sci();
    u64 ticks(u64 ns) const;
    ClockSource clock_;
    MemoryRegion* region_ = nullptr;
    MemoryRegion* io_ = nullptr;
    int mapped_at_ = -1;
    u16 pm1_sts_ = 0, pm1_en_ = 0;
    u32 pm1_cnt_ = 0;
    u64 gpe0_sts_ = 0, gpe0_en_ = 0;
    u32 smi_en_ = kSmiApmcEn, smi_sts_ = 0;
    u64 tmr_checked_ = 0;  // timer ticks up to which TMROF has been evaluated
    bool sci_level_ = false;
};

}  // namespace vireo
