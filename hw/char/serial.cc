// 16550A UART (serial.h). Section numbers and tables are those of the National Semiconductor
// PC16550D datasheet (June 1995): Table II register summary, Table IV interrupt control,
// 8.2 divisor latch, 8.4 IIR, 8.5 IER, 8.6 FCR, 8.7 LSR, 8.8 MCR/loopback, 8.9 MSR, 8.10 SCR.
#include "hw/char/serial.h"

#include <algorithm>
#include "softmmu/machine.h"

namespace vireo {

namespace {
enum : u8 {
    // 8.7 Line Status Register
    LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10, LSR_THRE = 0x20,
    LSR_TEMT = 0x40, LSR_FIFO_ERR = 0x80,
    LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI,
    // 8.5 Interrupt Enable Register
    IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08,
    // 8.4 / Table IV: IIR interrupt identification codes
    IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_CTI = 0x0c, IIR_THRE = 0x02, IIR_MS = 0x00,
    IIR_FIFOS = 0xc0,
    // 8.6 FIFO Control Register
    FCR_ENABLE = 0x01, FCR_RX_RESET = 0x02, FCR_TX_RESET = 0x04, FCR_DMA = 0x08, FCR_TRIGGER = 0xc0,
    // 8.8 Modem Control Register
    MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10,
    // 8.9 Modem Status Register
    MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
    MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
    // 8.3 Line Control Register
    LCR_STOP = 0x04, LCR_PARITY = 0x08, LCR_DLAB = 0x80,
};
// 8.6: FCR bits 7-6 select the RCVR FIFO interrupt trigger level.
constexpr u8 kTrigger[4] = {1, 4, 8, 14};
}  // namespace

void Serial16550::realize(Machine& m) {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned) -> u64 { return read(static_cast<unsigned>(off)); };
    ops.write = [this](u64 off, u64 v, unsigned) { write(static_cast<unsigned>(off), static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("serial", 8, ops)), iobase_);
    if (!clock_) clock_ = m.clock();
    m.add_timer([this] { return next_event_ns(); }, [this](u64 t) { update(t); });
    reset();
}

void Serial16550::set_chardev(Chardev* c) {
    chr_ = c;
    if (!c) return;
    c->on_input = [this](const u8* d, size_t n) { receive(d, n); };
    c->on_event = [this](ChardevEvent e) {
        if (e == ChardevEvent::Break) receive_break();
    };
    c->can_receive = [this]() -> size_t { return can_receive(); };
}

void Serial16550::reset() {
    // Table III "UART reset configuration": IER, IIR (=1), FCR, LCR, MCR cleared; LSR = 0x60
    // (THRE, TEMT); MSR bits 0-3 cleared, 4-7 follow the inputs. SCR and the divisor latch are
    // not affected by MR; 12 (9600 baud) is the PC's power-on value as in QEMU.
    ier_ = lcr_ = mcr_ = msr_delta_ = fcr_ = 0;
    lsr_ = LSR_THRE | LSR_TEMT;
    rx_head_ = rx_count_ = 0;
    thr_ipending_ = timeout_pending_ = 0;
    // A terminal on the other end: CTS, DSR and DCD asserted (QEMU's default too).
    ext_modem_ = MSR_CTS | MSR_DSR | MSR_DCD;
    last_rx_activity_ns_ = now();
    update_irq();
}

void Serial16550::describe_state(StateVisitor& v) {
    v.field("ier", &ier_, 1); v.field("lcr", &lcr_, 1); v.field("mcr", &mcr_, 1);
    v.field("lsr", &lsr_, 1); v.field("msr_delta", &msr_delta_, 1); v.field("scr", &scr_, 1);
    v.field("fcr", &fcr_, 1); v.field("divisor", &divisor_, 2); v.field("ext_modem", &ext_modem_, 1);
    v.field("rx_fifo", rx_.data(), sizeof rx_); v.field("rx_head", &rx_head_, 1);
    v.field("rx_count", &rx_count_, 1); v.field("thr_ipending", &thr_ipending_, 1);
    v.field("timeout_pending", &timeout_pending_, 1);
    v.field("last_rx_activity_ns", &last_rx_activity_ns_, sizeof last_rx_activity_ns_);
    // The IRQ output follows from the fields above; a loader calls update through any access.
}

// 8.6: with FIFOs off the receiver holds one character (RBR).
u8 Serial16550::rx_capacity() const { return (fcr_ & FCR_ENABLE) ? kFifoSize : 1; }

size_t Serial16550::can_receive() const {
    if (mcr_ & MCR_LOOP) return 0;  // 8.8: in loopback the serial input is disconnected
    return rx_capacity() - rx_count_;
}

void Serial16550::rx_activity() {
    // Table IV: the timeout timer restarts whenever a character enters or leaves the FIFO.
    last_rx_activity_ns_ = now();
    timeout_pending_ = 0;
}

void Serial16550::rx_push(u16 entry) {
    if (rx_count_ == rx_capacity()) {
        if (fcr_ & FCR_ENABLE) {
            // 8.7 LSR bit 1 (FIFO mode): the FIFO is full, the character in the shift register
            // is overwritten and not transferred to the FIFO.
            lsr_ |= LSR_OE;
            return;
        }
        // 8.7 LSR bit 1 (character mode): the next character overwrites the unread RBR.
        lsr_ |= LSR_OE;
        rx_count_ = 0;
    }
    if (rx_count_ == 0) lsr_ |= static_cast<u8>(entry >> 8);  // errors show when at the top (8.7)
    rx_[(rx_head_ + rx_count_) % kFifoSize] = entry;
    rx_count_++;
    lsr_ |= LSR_DR;
    rx_activity();
}

u16 Serial16550::rx_pop() {
    if (!rx_count_) return 0;
    u16 e = rx_[rx_head_];
    rx_head_ = static_cast<u8>((rx_head_ + 1) % kFifoSize);
    rx_count_--;
    if (!rx_count_) lsr_ &= ~LSR_DR;
    else lsr_ |= static_cast<u8>(rx_[rx_head_] >> 8);  // the next character's errors (8.7)
    rx_activity();
    return e;
}

void Serial16550::receive(const u8* d, size_t n) {
    if (mcr_ & MCR_LOOP) return;  // 8.8: serial input disconnected in loopback
    for (size_t i = 0; i < n; i++) rx_push(d[i]);
    update_irq();
}

void Serial16550::receive_break() {
    if (mcr_ & MCR_LOOP) return;
    // 8.7 LSR bit 4: a break loads one zero character into the FIFO, flagged BI.
    rx_push(static_cast<u16>(LSR_BI) << 8);
    update_irq();
}

void Serial16550::transmit(u8 byte) {
    // 8.8: in loopback the transmitter output is looped back to the receiver input and the
    // serial output is held in the marking state.
    if (mcr_ & MCR_LOOP) rx_push(byte);
    else if (chr_) chr_->write(&byte, 1);
}

u64 Serial16550::char_time_ns() const {
    // 8.3 LCR: 5-8 data bits, optional parity, 1 or 1.5/2 stop bits, plus the start bit.
    const unsigned data = 5 + (lcr_ & 3);
    unsigned half_bits = 2 * (1 + data) + ((lcr_ & LCR_PARITY) ? 2 : 0);
    half_bits += (lcr_ & LCR_STOP) ? (data == 5 ? 3 : 4) : 2;
    // 8.2: baud = XIN / (16 * divisor). A divisor of 0 is not allowed; treat it as 1.
    const u64 div = divisor_ ? divisor_ : 1;
    return half_bits * 16 * div * 1000000000ull / (2 * kXtalHz);
}

u64 Serial16550::next_event_ns() const {
    // Table IV "character timeout indication": FIFO mode, at least one character in the FIFO,
    // none entered or removed for 4 character times.
    if (!(fcr_ & FCR_ENABLE) || !rx_count_ || timeout_pending_) return ~0ull;
    return last_rx_activity_ns_ + 4 * char_time_ns();
}

void Serial16550::update(u64 now_ns) {
    if (now_ns >= next_event_ns()) {
        timeout_pending_ = 1;
        update_irq();
    }
}

u8 Serial16550::modem_inputs() const {
    if (!(mcr_ & MCR_LOOP)) return ext_modem_;
    // 8.8 loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD, internally.
    u8 v = 0;
    if (mcr_ & MCR_DTR) v |= MSR_DSR;
    if (mcr_ & MCR_RTS) v |= MSR_CTS;
    if (mcr_ & MCR_OUT1) v |= MSR_RI;
    if (mcr_ & MCR_OUT2) v |= MSR_DCD;
    return v;
}

void Serial16550::set_modem_inputs(u8 old_in) {
    // 8.9: bits 0, 1, 3 flag a change of CTS, DSR, DCD; bit 2 (TERI) flags RI going 1 -> 0.
    const u8 in = modem_inputs();
    const u8 changed = old_in ^ in;
    if (changed & MSR_CTS) msr_delta_ |= MSR_DCTS;
    if (changed & MSR_DSR) msr_delta_ |= MSR_DDSR;
    if (changed & MSR_DCD) msr_delta_ |= MSR_DDCD;
    if ((old_in & MSR_RI) && !(in & MSR_RI)) msr_delta_ |= MSR_TERI;
}

u8 Serial16550::pending_iir() const {
    // Table IV, highest priority first.
    if ((ier_ & IER_RLSI) && (lsr_ & LSR_ERRORS)) return IIR_RLS;
    if (ier_ & IER_RDI) {
        const bool fifo = fcr_ & FCR_ENABLE;
        if (fifo ? rx_count_ >= kTrigger[fcr_ >> 6] : rx_count_ > 0) return IIR_RDA;
        if (fifo && timeout_pending_ && rx_count_) return IIR_CTI;
    }
    if ((ier_ & IER_THRI) && thr_ipending_) return IIR_THRE;
    if ((ier_ & IER_MSI) && msr_delta_) return IIR_MS;
    return IIR_NONE;
}

u8 Serial16550::read(unsigned reg) {
    switch (reg & 7) {
    case 0: {  // RBR, or DLL with DLAB (8.2)
        if (lcr_ & LCR_DLAB) return divisor_ & 0xff;
        const u8 v = static_cast<u8>(rx_pop());
        update_irq();
        if (chr_) chr_->accept_input();  // room again: a buffering backend may deliver now
        return v;
    }
    case 1: return (lcr_ & LCR_DLAB) ? divisor_ >> 8 : ier_;  // IER or DLM
    case 2: {  // IIR (8.4); DLAB does not apply
        if (clock_) update(now());
        const u8 id = pending_iir();
        // Table IV: reading IIR clears the THRE interrupt when it is the source identified.
        if (id == IIR_THRE) {
            thr_ipending_ = 0;
            update_irq();
        }
        return id | ((fcr_ & FCR_ENABLE) ? IIR_FIFOS : 0);
    }
    case 3: return lcr_;
    case 4: return mcr_;
    case 5: {  // LSR (8.7): reading clears OE, PE, FE, BI
        u8 v = lsr_;
        if (fcr_ & FCR_ENABLE) {
            // Bit 7: at least one PE/FE/BI error anywhere in the FIFO.
            for (unsigned i = 0; i < rx_count_; i++)
                if (rx_[(rx_head_ + i) % kFifoSize] >> 8) v |= LSR_FIFO_ERR;
        }
        lsr_ &= ~LSR_ERRORS;
        update_irq();
        return v;
    }
    case 6: {  // MSR (8.9): reading clears the delta bits
        const u8 v = modem_inputs() | msr_delta_;
        msr_delta_ = 0;
        update_irq();
        return v;
    }
    default: return scr_;  // 8.10: scratch, no effect on the UART
    }
}

void Serial16550::write(unsigned reg, u8 v) {
    switch (reg & 7) {
    case 0:
        if (lcr_ & LCR_DLAB) {
            divisor_ = static_cast<u16>((divisor_ & 0xff00) | v);
            return;
        }
        // Table IV: writing THR clears the THRE interrupt; the byte leaves at once and THR is
        // empty again, which raises it anew (8.7 bits 5, 6 stay 1).
        thr_ipending_ = 0;
        transmit(v);
        lsr_ |= LSR_THRE | LSR_TEMT;
        thr_ipending_ = 1;
        update_irq();
        return;
    case 1:
        if (lcr_ & LCR_DLAB) {
            divisor_ = static_cast<u16>((divisor_ & 0xff) | (v << 8));
            return;
        }
        // 8.5 / Table IV: enabling ETBEI while THR is empty raises the THRE interrupt.
        if (!(ier_ & IER_THRI) && (v & IER_THRI) && (lsr_ & LSR_THRE)) thr_ipending_ = 1;
        ier_ = v & 0x0f;  // bits 4-7 are always 0
        update_irq();
        return;
    case 2: {  // FCR (8.6)
        const bool was_on = fcr_ & FCR_ENABLE;
        if (!(v & FCR_ENABLE)) {
            // "Resetting FCR0 will clear all bytes in both FIFOs"; the other bits are only
            // programmed while FCR0 is 1.
            if (was_on) { rx_head_ = rx_count_ = 0; lsr_ &= ~LSR_DR; }
            fcr_ = 0;
        } else {
            // Changing the FIFO mode clears the FIFOs; bits 1 and 2 clear them and self-clear.
            if (!was_on || (v & FCR_RX_RESET)) {
                rx_head_ = rx_count_ = 0;
                lsr_ &= ~LSR_DR;
                timeout_pending_ = 0;
            }
            // FCR_TX_RESET: the XMIT FIFO is always empty here (the transmitter drains at once).
            fcr_ = v & (FCR_ENABLE | FCR_DMA | FCR_TRIGGER);
        }
        update_irq();
        return;
    }
    case 3: lcr_ = v; return;  // bit 6 (set break) is not sent to the chardev
    case 4: {
        const u8 old_in = modem_inputs();
        mcr_ = v & 0x1f;  // 8.8: bits 5-7 are always 0
        set_modem_inputs(old_in);
        update_irq();
        return;
    }
    case 5: return;  // LSR: writing is for factory test only (Table II note)
    case 6: return;  // MSR: read-only
    default: scr_ = v; return;
    }
}

void Serial16550::update_irq() {
    // INTR goes active for any enabled pending interrupt (8.4); on the PC the OUT2 pin gates it
    // onto the bus, and 8.8 forces OUT2 inactive in loopback.
    const bool intr = pending_iir() != IIR_NONE;
    const bool out2 = (mcr_ & MCR_OUT2) && !(mcr_ & MCR_LOOP);
    irq_level_ = intr && out2;
    if (irq_line) irq_line(irq_level_);
}

}  // namespace vireo
