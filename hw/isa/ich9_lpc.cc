// ICH9 LPC bridge D31:F0 (ich9_lpc.h).
#include "hw/isa/ich9_lpc.h"

#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

Ich9Lpc::Ich9Lpc(Ich9Pm& pm) : PciDevice(kDevfn, 0x8086, 0x2918, 0x060100, 0x02), pm_(pm) {
    set16(kPciSubsystemVendorId, 0x1af4);
    set16(kPciSubsystemId, 0x1100);
    set8(kPciHeaderType, 0x80);  // multi-function: SATA and SMBus are functions 2 and 3
    // PMBASE (13.1.10): bit 0 = 1 (I/O), bits 15:7 the 128-byte aligned base.
    set32(kPmbase, 1);
    set_wmask32(kPmbase, 0xff80);
    // ACPI_CNTL (13.1.11): ACPI_EN (7), SCI_IRQ_SEL (2:0).
    set_wmask8(kAcpiCntl, 0x87);
    // PIRQ[n]_ROUT (13.1.12/13.1.19): IRQEN (7, 1 = not routed), IRQ routing (3:0); default 80h.
    for (unsigned i = 0; i < 4; i++) {
        set8(kPirqARout + i, 0x80);
        set_wmask8(kPirqARout + i, 0x8f);
        set8(kPirqERout + i, 0x80);
        set_wmask8(kPirqERout + i, 0x8f);
    }
    // GEN_PMCON_1..3, LPC I/O decode ranges and enables (13.1.13-13.1.17): plain RW storage.
    for (unsigned o = kGenPmcon1; o < kGenPmcon1 + 6; o++) set_wmask8(o, 0xff);
    for (unsigned o = 0x80; o < 0x94; o++) set_wmask8(o, 0xff);
    // RCBA (13.1.35): base 31:14, enable 0.
    set_wmask32(kRcba, 0xffffc001u);
}

void Ich9Lpc::realize(Machine& m) {
    machine_ = &m;
    pm_.sci = IrqLine("sci", [this](bool level) { sci_changed(level); });
    // Reset control register (13.7.5, I/O 0xcf9): SYS_RST (1), RST_CPU (2), FULL_RST (3).
    MemoryOps rst;
    rst.read = [this](u64, unsigned) -> u64 { return rst_cnt_; };
    rst.write = [this](u64, u64 v, unsigned) {
        rst_cnt_ = v & 0x0a;
        if ((v & 4) && on_reset_request) on_reset_request();  // a 0->1 of RST_CPU resets
    };
    rst.min_access = rst.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("ich9-rst-cnt", 1, rst)), 0xcf9, 3);
    // APM control and status (13.8.2, I/O 0xb2/0xb3).
    MemoryOps apm;
    apm.read = [this](u64 off, unsigned) -> u64 { return off ? apm_sts_ : apm_cnt_; };
    apm.write = [this](u64 off, u64 v, unsigned) {
        if (off) apm_sts_ = static_cast<u8>(v);
        else {
            apm_cnt_ = static_cast<u8>(v);
            pm_.apm_command(apm_cnt_);
        }
    };
    apm.min_access = apm.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("apm-io", 2, apm)), 0xb2);
    // Chipset configuration registers at RCBA (16 KiB).
    MemoryOps rc;
    rc.read = [this](u64 off, unsigned size) -> u64 {
        u64 v = 0;
        for (unsigned i = 0; i < size; i++) v |= static_cast<u64>(rcrb_[off + i]) << (8 * i);
        return v;
    };
    rc.write = [this](u64 off, u64 v, unsigned size) {
        for (unsigned i = 0; i < size; i++) rcrb_[off + i] = static_cast<u8>(v >> (8 * i));
    };
    rc.min_access = 1;
    rc.max_access = 4;
    rcrb_region_ = m.own(MemoryRegion::io("lpc-rcrb-mem", rcrb_.size(), rc));
}

void Ich9Lpc::reset() {
    PciDevice::reset();
    rst_cnt_ = 0;
    apm_cnt_ = apm_sts_ = 0;
    rcrb_.fill(0);
    update_pm();
    update_pirq_pic();
    update_rcba();
}

void Ich9Lpc::describe_state(StateVisitor& v) {
    PciDevice::describe_state(v);
    v.field("rst_cnt", &rst_cnt_, sizeof rst_cnt_);
    v.field("apm_cnt", &apm_cnt_, sizeof apm_cnt_);
    v.field("apm_sts", &apm_sts_, sizeof apm_sts_);
    v.field("rcrb", rcrb_.data(), rcrb_.size());
    v.field("intx_levels", intx_levels_.data(), intx_levels_.size());
}

unsigned Ich9Lpc::sci_irq() const {
    // 13.1.11: 000b IRQ9, 001b IRQ10, 010b IRQ11, 100b IRQ20, 101b IRQ21, 110b IRQ22, 111b IRQ23.
    static constexpr unsigned kSel[8] = {9, 10, 11, 9, 20, 21, 22, 23};
    return kSel[cfg8(kAcpiCntl) & 7];
}

unsigned Ich9Lpc::pirq_of(unsigned slot, unsigned pin) {
    if (slot >= 25) return (pin - 1) & 3;
    return 4 + ((slot + pin - 1) & 3);
}

void Ich9Lpc::config_write(unsigned offset, u32 value, unsigned size) {
    PciDevice::config_write(offset, value, size);
    auto touches = [&](unsigned lo, unsigned len) { return offset < lo + len && offset + size > lo; };
    if (touches(kPmbase, 4) || touches(kAcpiCntl, 1)) update_pm();
    if (touches(kPirqARout, 4) || touches(kPirqERout, 4)) update_pirq_pic();
    if (touches(kRcba, 4)) update_rcba();
}

void Ich9Lpc::update_pm() {
    pm_.set_base(static_cast<u16>(cfg32(kPmbase) & 0xff80), cfg8(kAcpiCntl) & 0x80);
}

void Ich9Lpc::update_rcba() {
    if (!machine_) return;
    const u32 rcba = cfg32(kRcba);
    const u64 want = (rcba & 1) ? (rcba & 0xffffc000u) : ~0ull;
    if (want == rcrb_mapped_) return;
    if (rcrb_mapped_ != ~0ull) machine_->system_memory().del_subregion(rcrb_region_);
    rcrb_mapped_ = want;
    if (want != ~0ull) machine_->system_memory().add_subregion(rcrb_region_, want, 1);
}

void Ich9Lpc::sci_changed(bool level) {
    sci_level_ = level;
    const unsigned irq = sci_irq();
    if (irq < 16) {
        update_pirq_pic();  // the SCI shares the 8259 input with whatever else is routed there
    }
    if (ioapic_irq) ioapic_irq(irq, level);
}

void Ich9Lpc::pci_intx(PciDevice& dev, unsigned pin, bool level) {
    if (pin < 1 || pin > 4) return;
    u8& l = intx_levels_[dev.devfn()];
    l = static_cast<u8>(level ? l | (1u << (pin - 1)) : l & ~(1u << (pin - 1)));
    update_pirq_pic();
}

void Ich9Lpc::update_pirq_pic() {
    std::array<bool, 8> pirq{};
    for (unsigned devfn = 0; devfn < 256; devfn++)
        for (unsigned pin = 1; pin <= 4; pin++)
            if (intx_levels_[devfn] & (1u << (pin - 1))) pirq[pirq_of(devfn >> 3, pin)] = true;
    // APIC mode: PIRQA-H are IOAPIC inputs 16-23 whatever the PIRQ routing registers say.
    for (unsigned n = 0; n < 8; n++)
        if (pirq[n] != pirq_levels_[n]) {
            pirq_levels_[n] = pirq[n];
            if (ioapic_irq) ioapic_irq(16 + n, pirq[n]);
        }
    // PIC mode: each 8259 input is the OR of the PIRQs routed to it (IRQEN clear) and the SCI.
    std::array<bool, 16> pic{};
    for (unsigned n = 0; n < 8; n++) {
        const u8 rout = cfg8(n < 4 ? kPirqARout + n : kPirqERout + n - 4);
        if (!(rout & 0x80) && pirq[n]) pic[rout & 0xf] = true;
    }
    if (sci_level_ && sci_irq() < 16) pic[sci_irq()] = true;
    for (unsigned i = 0; i < 16; i++) {
        // Only inputs PCI or the SCI can drive; IRQ 0-2, 8 and 13 are reserved PIRQ routing
        // values (ICH9 13.1.17/13.1.18), never PIRQ targets.
        if (i <= 2 || i == 8 || i == 13) continue;
        if (pic[i] != pic_levels_[i]) {
            pic_levels_[i] = pic[i];
            if (pic_irq) pic_irq(i, pic[i]);
        }
    }
}

}  // namespace vireo
