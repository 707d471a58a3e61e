// 16550A UART (hw/char/serial.h) driven through its I/O ports the way Linux's 8250 driver
// (drivers/tty/serial/8250/8250_port.c autoconfig) and SeaBIOS probe and use it. Expectations
// cite the National Semiconductor PC16550D datasheet (June 1995) by section and table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hw/char/serial.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

enum : unsigned { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
constexpr u16 kBase = 0x3f8;

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

// A chardev that records output and lets the test play the far end.
class TestChardev : public Chardev {
public:
    void write(const u8* d, size_t n) override { out.append(reinterpret_cast<const char*>(d), n); }
    void send(const std::string& s) {
        size_t room = can_receive ? can_receive() : s.size();
        size_t n = std::min(room, s.size());
        if (n) on_input(reinterpret_cast<const u8*>(s.data()), n);
    }
    void accept_input() override { accepts++; }
    std::string out;
    int accepts = 0;
};

class SerialUart : public ::testing::Test {
protected:
    SerialUart() : m(small_cfg()) {
        clk.now_ns = 1000;
        auto dev = std::make_unique<Serial16550>(kBase, 4, clk.source());
        uart = dev.get();
        uart->irq_line = [this](bool level) { irq = level; };
        m.add_device(std::move(dev));
        uart->set_chardev(&chr);
    }
    u8 in(unsigned reg) { return static_cast<u8>(m.io().read(kBase + reg, 1)); }
    void out(unsigned reg, u8 v) { m.io().write(kBase + reg, v, 1); }
    // What Linux programs for a running port: 115200 8N1, FIFOs with 8-byte trigger, OUT2.
    void linux_setup(u8 ier) {
        out(LCR, 0x80);
        out(DLL, 1);
        out(DLM, 0);
        out(LCR, 0x03);
        out(FCR, 0x81);
        out(MCR, 0x0b);  // DTR | RTS | OUT2
        out(IER, ier);
    }
    ManualClock clk;
    Machine m;
    Serial16550* uart;
    TestChardev chr;
    bool irq = false;
};

TEST_F(SerialUart, ResetValues) {
    // Table III "UART reset configuration": IER 0, IIR 0x01, FCR 0, LCR 0, MCR 0, LSR 0x60.
    EXPECT_EQ(in(IER), 0x00);
    EXPECT_EQ(in(IIR), 0x01);
    EXPECT_EQ(in(LCR), 0x00);
    EXPECT_EQ(in(MCR), 0x00);
    EXPECT_EQ(in(LSR), 0x60);
    EXPECT_FALSE(irq);
}

TEST_F(SerialUart, LinuxScratchAndIerProbe) {
    // Linux autoconfig(): IER bits 0-3 are writable, 4-7 read 0 (8.5).
    out(IER, 0x00);
    EXPECT_EQ(in(IER) & 0x0f, 0x00);
    out(IER, 0xff);
    EXPECT_EQ(in(IER), 0x0f);
    out(IER, 0x00);
    // 8.10: the scratch register holds any byte.
    out(SCR, 0xa5);
    EXPECT_EQ(in(SCR), 0xa5);
    out(SCR, 0x5a);
    EXPECT_EQ(in(SCR), 0x5a);
}

TEST_F(SerialUart, LinuxLoopbackMsrProbe) {
    // Linux autoconfig(): MCR = LOOP | OUT2 | RTS (0x1a) must read MSR high nibble 0x90:
    // 8.8 loopback connects RTS->CTS (bit 4) and OUT2->DCD (bit 7).
    out(MCR, 0x1a);
    EXPECT_EQ(in(MSR) & 0xf0, 0x90);
    // DTR->DSR (bit 5), OUT1->RI (bit 6).
    out(MCR, 0x15);
    EXPECT_EQ(in(MSR) & 0xf0, 0x60);
    // 8.8: MCR bits 5-7 are always 0.
    out(MCR, 0xff);
    EXPECT_EQ(in(MCR), 0x1f);
}

TEST_F(SerialUart, FifoDetectionThroughIir) {
    // 8.4 / Table IV: IIR bits 6-7 are set when FCR bit 0 = 1. Linux: FCR 0x01 -> IIR >> 6 == 3
    // means a 16550A.
    out(FCR, 0x01);
    EXPECT_EQ(in(IIR) >> 6, 3);
    // Linux's 16750 test writes FCR 0xe7 (bit 5 = 64-byte FIFO on a 16750): a 16550A keeps
    // IIR bit 5 at 0 (8.4: bits 4-5 always 0).
    out(FCR, 0xe7);
    EXPECT_EQ(in(IIR), 0xc1);
    EXPECT_EQ(in(IIR) >> 5, 6);
    // 8.6: FCR bit 0 = 0 turns the FIFOs off; IIR bits 6-7 read 0 again.
    out(FCR, 0x00);
    EXPECT_EQ(in(IIR), 0x01);
}

TEST_F(SerialUart, DivisorLatchAccess) {
    // 8.2 / Table II: with DLAB (LCR bit 7) registers 0 and 1 are DLL and DLM.
    out(LCR, 0x80);
    out(DLL, 0x34);
    out(DLM, 0x12);
    EXPECT_EQ(in(DLL), 0x34);
    EXPECT_EQ(in(DLM), 0x12);
    out(LCR, 0x03);
    // Without DLAB, register 1 is IER again and the latch is untouched.
    EXPECT_EQ(in(IER), 0x00);
    out(LCR, 0x80);
    EXPECT_EQ(in(DLL), 0x34);
    out(LCR, 0x03);
    // A THR write with DLAB clear does not disturb the divisor.
    out(THR, 'A');
    EXPECT_EQ(chr.out, "A");
    // 8.2: baud = 1.8432 MHz / (16 * divisor): divisor 1 = 115200 baud, 8N1 = 10 bits.
    out(LCR, 0x80);
    out(DLL, 1);
    out(DLM, 0);
    out(LCR, 0x03);
    EXPECT_EQ(uart->char_time_ns(), 10ull * 1000000000ull / 115200ull);
}

TEST_F(SerialUart, RxFifoTriggerLevels) {
    // 8.6: FCR bits 7-6 = 00/01/10/11 -> RCVR trigger 1/4/8/14 bytes; Table IV: IIR 0x04 (RDA)
    // when the FIFO reaches the trigger, reset when it drops below.
    const u8 trig[4] = {1, 4, 8, 14};
    for (unsigned t = 0; t < 4; t++) {
        out(FCR, static_cast<u8>(0x07 | (t << 6)));  // enable + reset both FIFOs
        out(IER, 0x01);
        for (unsigned i = 1; i <= trig[t]; i++) {
            chr.send("x");
            EXPECT_EQ(in(IIR), i < trig[t] ? 0xc1 : 0xc4) << "trigger " << int(trig[t]) << " byte " << i;
        }
        in(RBR);
        EXPECT_EQ(in(IIR), 0xc1) << "below the trigger: no RDA";
    }
}

TEST_F(SerialUart, CharacterTimeoutAfterFourCharacterTimes) {
    linux_setup(0x01);
    chr.send("ab");  // below the 8-byte trigger
    EXPECT_EQ(in(IIR), 0xc1);
    // Table IV: character timeout when no character entered or left the FIFO for 4 char times.
    const u64 four = 4 * uart->char_time_ns();
    clk.advance(four - 1);
    uart->update(clk.now_ns);
    EXPECT_EQ(in(IIR), 0xc1);
    EXPECT_FALSE(irq);
    clk.advance(1);
    EXPECT_EQ(uart->next_event_ns(), clk.now_ns);
    uart->update(clk.now_ns);
    EXPECT_EQ(in(IIR), 0xcc);
    EXPECT_TRUE(irq);
    // Table IV: reading RBR resets the timeout; the timer restarts for the byte left.
    EXPECT_EQ(in(RBR), 'a');
    EXPECT_EQ(in(IIR), 0xc1);
    clk.advance(four);
    uart->update(clk.now_ns);
    EXPECT_EQ(in(IIR), 0xcc);
    EXPECT_EQ(in(RBR), 'b');
    EXPECT_EQ(in(IIR), 0xc1);
    EXPECT_EQ(uart->next_event_ns(), ~0ull) << "empty FIFO: no timeout";
}

TEST_F(SerialUart, ThreInterruptRules) {
    out(MCR, 0x08);  // OUT2: the IRQ reaches the bus
    // 8.5 / Table IV: setting ETBEI while THR is empty raises the THRE interrupt (IIR 0x02).
    out(IER, 0x02);
    EXPECT_TRUE(irq);
    EXPECT_EQ(in(IIR), 0x02);
    // Table IV: reading IIR when THRE is the source clears it.
    EXPECT_FALSE(irq);
    EXPECT_EQ(in(IIR), 0x01);
    // Writing THR clears it; the byte leaves at once, THR is empty again: raised anew.
    out(THR, 'x');
    EXPECT_EQ(chr.out, "x");
    EXPECT_EQ(in(LSR) & 0x60, 0x60);  // 8.7: THRE and TEMT
    EXPECT_TRUE(irq);
    // ETBEI 1 -> 0 masks it, 0 -> 1 with THR empty raises it again.
    out(IER, 0x00);
    EXPECT_FALSE(irq);
    in(IIR);
    out(IER, 0x02);
    EXPECT_EQ(in(IIR), 0x02);
    // Rewriting IER with ETBEI already set is not a 0 -> 1 edge: no new interrupt.
    out(IER, 0x02);
    EXPECT_EQ(in(IIR), 0x01);
}

TEST_F(SerialUart, InterruptPriorities) {
    linux_setup(0x0f);
    in(IIR);  // THRE from enabling ETBEI
    in(MSR);
    // Table IV priority: line status (0x06) > RX data (0x04) > THRE (0x02) > modem status (0x00).
    out(IER, 0x00);
    out(MCR, 0x1b);  // loopback: modem inputs follow MCR, MSR deltas appear
    out(MCR, 0x18);
    out(IER, 0x0f);
    for (int i = 0; i < 17; i++) out(THR, 'a' + i);  // loopback RX: 16 fill the FIFO, 1 overruns
    EXPECT_EQ(in(IIR), 0xc6);
    in(LSR);  // 8.7: reading LSR clears OE and the line status interrupt
    EXPECT_EQ(in(IIR), 0xc4);
    for (int i = 0; i < 16; i++) in(RBR);
    EXPECT_EQ(in(IIR), 0xc2);  // THRE (the IIR read clears it)
    EXPECT_EQ(in(IIR), 0xc0);  // modem status: DCTS/DDSR from the MCR change
    in(MSR);                   // 8.9: reading MSR clears the deltas
    EXPECT_EQ(in(IIR), 0xc1);
}

TEST_F(SerialUart, OverrunInFifoModeKeepsTheFifo) {
    out(FCR, 0x07);
    chr.can_receive = nullptr;  // the far end ignores flow control
    std::string s(17, 'z');
    s[15] = 'p';
    s[16] = 'q';
    chr.send(s);
    // 8.7 bit 1: FIFO full, the next character overwrites the shift register, not the FIFO.
    const u8 lsr = in(LSR);
    EXPECT_EQ(lsr & 0x03, 0x03);  // OE | DR
    EXPECT_EQ(in(LSR) & 0x02, 0x00) << "OE clears on read";
    for (int i = 0; i < 15; i++) in(RBR);
    EXPECT_EQ(in(RBR), 'p');
    EXPECT_EQ(in(LSR) & 0x01, 0x00);
}

TEST_F(SerialUart, OverrunWithoutFifoOverwritesRbr) {
    chr.can_receive = nullptr;
    chr.send("ab");
    // 8.7 bit 1 (character mode): the unread RBR character is destroyed by the next one.
    EXPECT_EQ(in(LSR) & 0x03, 0x03);
    EXPECT_EQ(in(RBR), 'b');
}

TEST_F(SerialUart, FlowControlReportsFifoSpace) {
    // Without FIFOs the receiver holds one character (8.6); with FIFOs, 16.
    EXPECT_EQ(uart->can_receive(), 1u);
    out(FCR, 0x01);
    EXPECT_EQ(uart->can_receive(), 16u);
    chr.send(std::string(20, 'k'));
    EXPECT_EQ(uart->can_receive(), 0u);
    EXPECT_EQ(in(LSR) & 0x02, 0) << "flow control: no overrun";
    in(RBR);
    EXPECT_EQ(uart->can_receive(), 1u);
    EXPECT_GT(chr.accepts, 0) << "the chardev hears about new room";
    // 8.8: in loopback the serial input is disconnected.
    out(MCR, 0x10);
    EXPECT_EQ(uart->can_receive(), 0u);
}

TEST_F(SerialUart, LoopbackEcho) {
    out(FCR, 0x07);
    out(MCR, 0x10);
    // 8.8: transmitter output looped to the receiver; nothing leaves on the serial output.
    out(THR, 'h');
    out(THR, 'i');
    EXPECT_EQ(chr.out, "");
    EXPECT_EQ(in(LSR) & 0x61, 0x61);  // DR, THRE, TEMT
    EXPECT_EQ(in(RBR), 'h');
    EXPECT_EQ(in(RBR), 'i');
    EXPECT_EQ(in(LSR) & 0x01, 0);
}

TEST_F(SerialUart, IrqGatedByOut2) {
    out(FCR, 0x01);
    out(IER, 0x01);
    chr.send("a");
    // IIR shows the interrupt (8.4), but on the PC the IRQ needs OUT2 (MCR bit 3).
    EXPECT_EQ(in(IIR), 0xc4);
    EXPECT_FALSE(irq);
    out(MCR, 0x08);
    EXPECT_TRUE(irq);
    out(MCR, 0x00);
    EXPECT_FALSE(irq);
    // 8.8: loopback forces the OUT2 pin inactive: still no IRQ on the bus.
    out(MCR, 0x18);
    EXPECT_FALSE(irq);
    out(MCR, 0x08);
    EXPECT_TRUE(irq);
    in(RBR);
    EXPECT_FALSE(irq);
}

TEST_F(SerialUart, BreakSetsBiAndFifoErrorBit) {
    out(FCR, 0x01);
    out(IER, 0x04);
    chr.send("a");
    uart->receive_break();
    // 8.7 bit 7 (FIFO mode): an error character anywhere in the FIFO.
    EXPECT_EQ(in(LSR) & 0x91, 0x81) << "BI not shown until the character is at the top";
    EXPECT_EQ(in(RBR), 'a');
    // 8.7 bit 4: BI with a zero character at the top; line status interrupt (Table IV).
    EXPECT_EQ(in(IIR), 0xc6);
    EXPECT_EQ(in(LSR) & 0x11, 0x11);
    EXPECT_EQ(in(RBR), 0x00);
    EXPECT_EQ(in(LSR) & 0x91, 0x00);
}

TEST_F(SerialUart, ModemStatusDeltas) {
    out(MCR, 0x10);
    in(MSR);
    // 8.9: DCTS/DDSR/DDCD flag changes; TERI flags RI going from 1 to 0.
    out(MCR, 0x17);  // DTR, RTS, OUT1 on
    EXPECT_EQ(in(MSR), 0x70 | 0x03);
    EXPECT_EQ(in(MSR), 0x70) << "deltas clear on read";
    out(MCR, 0x13);  // OUT1 (RI) off
    EXPECT_EQ(in(MSR), 0x30 | 0x04);
}

TEST_F(SerialUart, StateSaveRestoreMidFifo) {
    linux_setup(0x01);
    chr.send("hello");
    EXPECT_EQ(in(RBR), 'h');
    StateWriter w;
    uart->describe_state(w);
    // A second UART on another machine picks up where the first left off.
    ManualClock clk2;
    clk2.now_ns = clk.now_ns;
    Machine m2(small_cfg());
    auto dev = std::make_unique<Serial16550>(kBase, 4, clk2.source());
    Serial16550* u2 = dev.get();
    m2.add_device(std::move(dev));
    StateReader r(w.buf);
    u2->describe_state(r);
    EXPECT_TRUE(r.consumed());
    auto in2 = [&](unsigned reg) { return static_cast<u8>(m2.io().read(kBase + reg, 1)); };
    EXPECT_EQ(in2(LSR) & 0x01, 0x01);
    EXPECT_EQ(in2(IIR), 0xc1) << "4 bytes below the 8-byte trigger";
    std::string rest;
    for (int i = 0; i < 4; i++) rest += static_cast<char>(in2(RBR));
    EXPECT_EQ(rest, "ello");
    EXPECT_EQ(in2(LCR), 0x03);
    EXPECT_EQ(in2(MCR), 0x0b);
    EXPECT_EQ(in2(IER), 0x01);
    m2.io().write(kBase + LCR, 0x80, 1);
    EXPECT_EQ(in2(DLL), 1);
}

}  // namespace
