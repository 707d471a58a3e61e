// 16550A UART (National Semiconductor PC16550D datasheet, "PC16550D Universal Asynchronous
// Receiver/Transmitter with FIFOs", June 1995): the eight registers of Table II, 16-byte receive
// and transmit FIFOs (section 8.6 FCR), interrupt identification and priorities (Table IV),
// line status (8.7), modem control with loopback (8.8, 8.9) and the divisor latch (8.2).
//
// The transmitter shifts at infinite speed: a byte written to THR goes to the chardev at once,
// so THRE and TEMT read 1 again right after every write (as QEMU's UART with a ready backend).
// The receiver takes bytes as fast as the chardev delivers them, up to the FIFO space it
// reports through Chardev::can_receive (input flow control). The character timeout (Table IV,
// "no characters have been removed from or input to the RCVR FIFO during the last 4 Char.
// times") is timed against the ClockSource, from LCR's frame size and the divisor latch.
//
// The IRQ output is irq_line, already gated by MCR OUT2 as on the PC (the OUT2 pin enables the
// ISA IRQ driver); in loopback OUT2 is forced inactive (8.8), so no IRQ reaches the bus.
#pragma once
#include <array>
#include <functional>
#include "softmmu/chardev.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class Serial16550 : public Device {
public:
    static constexpr unsigned kFifoSize = 16;   // 8.6: 16-byte RCVR and XMIT FIFOs
    static constexpr u64 kXtalHz = 1843200;     // the PC's 1.8432 MHz UART clock (Table III)

    // clock: time base for the character timeout; empty = the machine's clock (at realize).
    Serial16550(u16 iobase, unsigned irq, ClockSource clock = {})
        : iobase_(iobase), irq_(irq), clock_(std::move(clock)) {}
    const char* type_name() const override { return "isa-serial"; }
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;
    void set_chardev(Chardev* c);
    // Level of the interrupt as the PC sees it (INTR and OUT2). The board wires it.
    std::function<void(bool level)> irq_line;

    // Register access, reg = port - iobase (0..7).
    u8 read(unsigned reg);
    void write(unsigned reg, u8 v);
    // Bytes arriving on the serial input (what the chardev delivers).
    void receive(const u8* data, size_t len);
    // A break condition on the input: a zero character with BI (8.7 LSR bit 4).
    void receive_break();
    // How many more bytes the receiver takes now (0 in loopback: the input is disconnected).
    size_t can_receive() const;

    // Character timeout timer: when the next timeout may fire (~0: none), and bring it up to now.
    u64 next_event_ns() const;
    void update(u64 now_ns);
    // One character time (start + data + parity + stop bits at the divisor's baud rate), in ns.
    u64 char_time_ns() const;

    u16 iobase() const { return iobase_; }
    unsigned irq() const { return irq_; }
    bool irq_level() const { return irq_level_; }

private:
    u8 rx_capacity() const;
    void rx_push(u16 entry);
    u16 rx_pop();
    void transmit(u8 byte);
    u8 pending_iir() const;       // Table IV identification of the highest-priority source
    u8 modem_inputs() const;      // CTS/DSR/RI/DCD as MSR bits 4-7
    void set_modem_inputs(u8 old_inputs);
    void rx_activity();
    u64 now() const { return clock_ ? clock_() : 0; }
    void update_irq();

    u16 iobase_;
    unsigned irq_;
    ClockSource clock_;
    Chardev* chr_ = nullptr;
    // Registers (Table II).
    u8 ier_ = 0, lcr_ = 0, mcr_ = 0, lsr_ = 0, msr_delta_ = 0, scr_ = 0, fcr_ = 0;
    u16 divisor_ = 12;
    u8 ext_modem_ = 0;  // the modem control inputs from the cable (MSR bits 4-7 layout)
    // RCVR FIFO (or the single RBR without FIFOs): byte | LSR error bits << 8, oldest first.
    std::array<u16, kFifoSize> rx_{};
    u8 rx_head_ = 0, rx_count_ = 0;
    u8 thr_ipending_ = 0;       // THRE interrupt pending (Table IV reset rules)
    u8 timeout_pending_ = 0;    // character timeout indication (IIR 0x0C)
    u64 last_rx_activity_ns_ = 0;
    bool irq_level_ = false;
};

}  // namespace vireo
