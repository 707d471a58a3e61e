// 16550A UART (serial.h). Register references: PC16550D datasheet, Table 2 "Register
// summary", section 8.6 (FIFO), 8.4 (interrupt identification).
#include "hw/char/serial.h"

#include "softmmu/machine.h"

namespace vireo {

namespace {
enum : u8 { LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40,
            IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08,
            MCR_LOOP = 0x10, LCR_DLAB = 0x80, FCR_ENABLE = 0x01 };
constexpr size_t kFifo = 16;
}  // namespace

void Serial16550::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned) -> u64 { return read(static_cast<unsigned>(off)); };
    ops.write = [this](u64 off, u64 v, unsigned) { write(static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("serial", 8, ops)), iobase_);
    reset();
}

void Serial16550::set_chardev(Chardev* c) {
    chr_ = c;
    if (!c) return;
    c->on_input = [this](const u8* d, size_t n) { receive(d, n); };
    // Without the FIFO (FCR bit 0 clear) the receiver holds one byte (datasheet 8.6).
    c->can_receive = [this]() -> size_t {
        const size_t cap = (fcr_ & FCR_ENABLE) ? kFifo : 1;
        return rx_.size() < cap ? cap - rx_.size() : 0;
    };
}

void Serial16550::reset() {
    ier_ = lcr_ = mcr_ = msr_ = scr_ = fcr_ = 0;
    lsr_ = LSR_THRE | LSR_TEMT;
    divisor_ = 12;
    thr_ipending_ = false;
    rx_.clear();
    update_irq();
}

void Serial16550::describe_state(StateVisitor& v) {
    v.field("ier", &ier_, 1); v.field("lcr", &lcr_, 1); v.field("mcr", &mcr_, 1);
    v.field("lsr", &lsr_, 1); v.field("msr", &msr_, 1); v.field("scr", &scr_, 1);
    v.field("fcr", &fcr_, 1); v.field("divisor", &divisor_, 2);
}

void Serial16550::receive(const u8* d, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (rx_.size() >= ((fcr_ & FCR_ENABLE) ? kFifo : 1)) {
            lsr_ |= LSR_OE;
            continue;
        }
        rx_.push_back(d[i]);
    }
    if (!rx_.empty()) lsr_ |= LSR_DR;
    update_irq();
}

u8 Serial16550::read(unsigned reg) {
    switch (reg) {
    case 0:
        if (lcr_ & LCR_DLAB) return divisor_ & 0xff;
        {
            u8 v = 0;
            if (!rx_.empty()) { v = rx_.front(); rx_.pop_front(); }
            if (rx_.empty()) lsr_ &= ~LSR_DR;
            update_irq();
            return v;
        }
    case 1: return (lcr_ & LCR_DLAB) ? divisor_ >> 8 : ier_;
    case 2: {  // IIR: highest-priority pending interrupt (datasheet Table 4)
        u8 iir = 0x01;
        if ((ier_ & IER_RLSI) && (lsr_ & LSR_OE)) iir = 0x06;
        else if ((ier_ & IER_RDI) && (lsr_ & LSR_DR)) iir = 0x04;
        else if ((ier_ & IER_THRI) && thr_ipending_) { iir = 0x02; thr_ipending_ = false; update_irq(); }
        else if ((ier_ & IER_MSI) && (msr_ & 0x0f)) iir = 0x00;
        if (fcr_ & FCR_ENABLE) iir |= 0xc0;
        return iir;
    }
    case 3: return lcr_;
    case 4: return mcr_;
    case 5: {
        u8 v = lsr_;
        lsr_ &= ~LSR_OE;  // reading LSR clears the error bits
        update_irq();
        return v;
    }
    case 6: {
        u8 v = msr_;
        if (mcr_ & MCR_LOOP) {  // loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD
            v = static_cast<u8>(((mcr_ & 0x0c) << 4) | ((mcr_ & 0x01) << 5) | ((mcr_ & 0x02) << 3));
        }
        msr_ &= 0xf0;
        return v;
    }
    default: return scr_;
    }
}

void Serial16550::write(unsigned reg, u8 v) {
    switch (reg) {
    case 0:
        if (lcr_ & LCR_DLAB) { divisor_ = (divisor_ & 0xff00) | v; return; }
        if (mcr_ & MCR_LOOP) receive(&v, 1);
        else if (chr_) chr_->write(&v, 1);
        // Transmission is instantaneous: THR empty again at once.
        lsr_ |= LSR_THRE | LSR_TEMT;
        thr_ipending_ = true;
        update_irq();
        return;
    case 1:
        if (lcr_ & LCR_DLAB) { divisor_ = static_cast<u16>((divisor_ & 0xff) | (v << 8)); return; }
        // Enabling THRI with THR empty raises the interrupt at once (datasheet 8.4).
        if (!(ier_ & IER_THRI) && (v & IER_THRI) && (lsr_ & LSR_THRE)) thr_ipending_ = true;
        ier_ = v & 0x0f;
        update_irq();
        return;
    case 2:
        if (v & 0x02) { rx_.clear(); lsr_ &= ~LSR_DR; }
        fcr_ = v & 0xc9;
        update_irq();
        return;
    case 3: lcr_ = v; return;
    case 4: mcr_ = v & 0x1f; update_irq(); return;
    case 5: return;  // LSR is read-only (factory test)
    case 6: return;
    default: scr_ = v; return;
    }
}

void Serial16550::update_irq() {
    bool level = ((ier_ & IER_RDI) && (lsr_ & LSR_DR)) || ((ier_ & IER_THRI) && thr_ipending_) ||
                 ((ier_ & IER_RLSI) && (lsr_ & LSR_OE));
    // OUT2 gates the interrupt onto the ISA bus on PCs.
    if (irq_line) irq_line(level && (mcr_ & 0x08));
}

}  // namespace vireo
