// ICH9 power-management I/O block (ich9_pm.h).
#include "hw/acpi/ich9_pm.h"

#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

void Ich9Pm::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) -> u64 { return read(static_cast<unsigned>(off), size); };
    ops.write = [this](u64 off, u64 v, unsigned size) { write(static_cast<unsigned>(off), static_cast<u32>(v), size); };
    ops.min_access = 1;
    ops.max_access = 4;
    region_ = m.own(MemoryRegion::io("ich9-pm", kSize, ops));
    region_->set_enabled(false);
    io_ = &m.io_space();
}

void Ich9Pm::set_base(u16 base, bool enabled) {
    if (!io_) return;
    if (mapped_at_ >= 0) io_->del_subregion(region_);
    mapped_at_ = -1;
    if (!enabled) return;
    region_->set_enabled(true);
    io_->add_subregion(region_, base, 1);
    mapped_at_ = base;
}

void Ich9Pm::reset() {
    // 13.8.3: registers reset to 0, except SMI_EN's APMC_EN, set here because there is no
    // SMM: SeaBIOS then sees SMM as initialised and does not wait on port 0xb3 (FIRMWARE.md 3).
    pm1_sts_ = pm1_en_ = 0;
    pm1_cnt_ = 0;
    gpe0_sts_ = gpe0_en_ = 0;
    smi_en_ = kSmiApmcEn;
    smi_sts_ = 0;
    tmr_checked_ = ticks(clock_());
    update_sci();
}

void Ich9Pm::describe_state(StateVisitor& v) {
    v.field("pm1_sts", &pm1_sts_, sizeof pm1_sts_);
    v.field("pm1_en", &pm1_en_, sizeof pm1_en_);
    v.field("pm1_cnt", &pm1_cnt_, sizeof pm1_cnt_);
    v.field("gpe0_sts", &gpe0_sts_, sizeof gpe0_sts_);
    v.field("gpe0_en", &gpe0_en_, sizeof gpe0_en_);
    v.field("smi_en", &smi_en_, sizeof smi_en_);
    v.field("smi_sts", &smi_sts_, sizeof smi_sts_);
    v.field("tmr_checked", &tmr_checked_, sizeof tmr_checked_);
}

u64 Ich9Pm::ticks(u64 ns) const {
    return static_cast<u64>(static_cast<unsigned __int128>(ns) * kTimerHz / 1000000000u);
}

u32 Ich9Pm::timer_value() const { return static_cast<u32>(ticks(clock_()) & 0xffffff); }

u64 Ich9Pm::next_event_ns() const {
    if (!(pm1_en_ & kTmrSts) || (pm1_sts_ & kTmrSts)) return ~0ull;
    // TMR_STS sets when bit 23 of the counter toggles (ACPI 6.4 4.8.3.3).
    const u64 next = (tmr_checked_ | 0x7fffff) + 1;
    return static_cast<u64>((static_cast<unsigned __int128>(next) * 1000000000u + kTimerHz - 1) / kTimerHz);
}

void Ich9Pm::update(u64 now_ns) {
    const u64 t = ticks(now_ns);
    if ((t >> 23) != (tmr_checked_ >> 23)) pm1_sts_ |= kTmrSts;
    tmr_checked_ = t;
    update_sci();
}

void Ich9Pm::update_sci() {
    // ACPI 6.4 4.8.3.1 / 5.6.4: the SCI is the OR of enabled status bits, while SCI_EN routes
    // events to the SCI (otherwise to SMI, which does not exist here).
    const bool level = (pm1_cnt_ & kSciEn) && ((pm1_sts_ & pm1_en_ & (kTmrSts | kGblSts | kPwrBtnSts | kRtcSts)) ||
                                              (gpe0_sts_ & gpe0_en_));
    if (level != sci_level_) {
        sci_level_ = level;
        sci.set(level);
    }
}

u32 Ich9Pm::read(unsigned off, unsigned size) {
    // ACPI 6.4 4.8.3.1.1: TMR_STS follows bit 23 whether or not TMR_EN asks for an SCI.
    if (off < 2) update(clock_());
    // One sample of the counter per access (ACPI 6.4 4.8.3.3): never torn across bytes.
    const u32 tmr = off < 12 && off + size > 8 ? timer_value() : 0;
    // Assemble the little-endian bytes of the registers under [off, off+size).
    u32 v = 0;
    for (unsigned i = 0; i < size; i++) {
        const unsigned o = off + i;
        u32 reg = 0;
        unsigned base = 0;
        if (o < 2) { reg = pm1_sts_; base = 0; }
        else if (o < 4) { reg = pm1_en_; base = 2; }
        else if (o < 8) { reg = pm1_cnt_ & ~kSlpEn; base = 4; }  // SLP_EN reads 0
        else if (o < 12) { reg = tmr; base = 8; }
        else if (o >= kGpe0Sts && o < kGpe0Sts + 8) {
            v |= static_cast<u32>((gpe0_sts_ >> (8 * (o - kGpe0Sts))) & 0xff) << (8 * i);
            continue;
        } else if (o >= kGpe0En && o < kGpe0En + 8) {
            v |= static_cast<u32>((gpe0_en_ >> (8 * (o - kGpe0En))) & 0xff) << (8 * i);
            continue;
        } else if (o >= kSmiEn && o < kSmiEn + 4) { reg = smi_en_; base = kSmiEn; }
        else if (o >= kSmiSts && o < kSmiSts + 4) { reg = smi_sts_; base = kSmiSts; }
        else continue;
        v |= ((reg >> (8 * (o - base))) & 0xff) << (8 * i);
    }
    return v;
}

void Ich9Pm::write(unsigned off, u32 value, unsigned size) {
    for (unsigned i = 0; i < size; i++) {
        const unsigned o = off + i;
        const u32 b = (value >> (8 * i)) & 0xff;
        if (o < 2) {
            pm1_sts_ &= static_cast<u16>(~(b << (8 * o)));  // write one to clear
        } else if (o < 4) {
            const unsigned sh = 8 * (o - 2);
            pm1_en_ = static_cast<u16>((pm1_en_ & ~(0xffu << sh)) | (b << sh));
        } else if (o < 8) {
            const unsigned sh = 8 * (o - 4);
            pm1_cnt_ = (pm1_cnt_ & ~(0xffu << sh)) | (b << sh);
        } else if (o >= kGpe0Sts && o < kGpe0Sts + 8) {
            gpe0_sts_ &= ~(static_cast<u64>(b) << (8 * (o - kGpe0Sts)));
        } else if (o >= kGpe0En && o < kGpe0En + 8) {
            const unsigned sh = 8 * (o - kGpe0En);
            gpe0_en_ = (gpe0_en_ & ~(0xffull << sh)) | (static_cast<u64>(b) << sh);
        } else if (o >= kSmiEn && o < kSmiEn + 4) {
            const unsigned sh = 8 * (o - kSmiEn);
            smi_en_ = ((smi_en_ & ~(0xffu << sh)) | (b << sh)) | kSmiApmcEn;
        } else if (o >= kSmiSts && o < kSmiSts + 4) {
            smi_sts_ &= ~(b << (8 * (o - kSmiSts)));
        }
    }
    if (off < 8 && off + size > 4 && (pm1_cnt_ & kSlpEn)) {
        pm1_cnt_ &= ~kSlpEn;
        const unsigned slp_typ = (pm1_cnt_ >> 10) & 7;
        if ((slp_typ == 0 || slp_typ == 7) && on_power_off) on_power_off();
    }
    update_sci();
}

void Ich9Pm::apm_command(u8 value) {
    // ICH9 13.8.3 / FADT ACPI_ENABLE/ACPI_DISABLE: the firmware's SMI handler would set or
    // clear SCI_EN; without SMM the chipset does it directly, as QEMU's does.
    if (value == kAcpiEnable) pm1_cnt_ |= kSciEn;
    else if (value == kAcpiDisable) pm1_cnt_ &= ~kSciEn;
    update_sci();
}

void Ich9Pm::power_button() {
    pm1_sts_ |= kPwrBtnSts;
    update_sci();
}

}  // namespace vireo
