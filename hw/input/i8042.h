// The 8042 keyboard controller of the PC/AT and PS/2 (IBM PS/2 Hardware Interface Technical
// Reference, "Keyboard and Auxiliary Device Controller"; Intel UPI-41/42 8042 as programmed
// by the AT BIOS): data port 0x60, status/command port 0x64, a PS/2 keyboard on the first port
// and a PS/2 mouse on the auxiliary port.
//
// Outputs the board wires:
//  - irq1 / irq12: output-port bits 4/5 ("output buffer full" from the keyboard / mouse), gated
//    by command-byte bits 0/1. Levels: high while the byte is unread; the 8259 sees the edge.
//  - on_reset_request(): the CPU reset line (output-port bit 0) was pulsed — command FE (or any
//    Fx with bit 0 clear) or D1 with bit 0 = 0.
//  - on_a20(bool): output-port bit 1 (gate A20) changed — D1, DD, DF.
#pragma once
#include <array>
#include <functional>
#include <memory>
#include "hw/core/irq.h"
#include "hw/input/ps2.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;

class I8042 : public Device {
public:
    // Status register (port 0x64 read).
    enum : u8 {
        kStOutFull = 1u << 0,    // OBF: a byte waits at port 0x60
        kStInFull = 1u << 1,     // IBF: never set (commands complete at once)
        kStSystem = 1u << 2,     // SYS flag: set by self-test / command byte bit 2
        kStCommand = 1u << 3,    // A2: last write was to port 0x64
        kStUnlocked = 1u << 4,   // keyboard not inhibited (keylock switch open)
        kStAuxData = 1u << 5,    // the byte at port 0x60 is from the mouse
        kStTimeout = 1u << 6,
        kStParity = 1u << 7,
    };
    // Command byte (controller RAM byte 0).
    enum : u8 {
        kCbKbdInt = 1u << 0, kCbAuxInt = 1u << 1, kCbSystem = 1u << 2, kCbIgnoreLock = 1u << 3,
        kCbKbdDisable = 1u << 4, kCbAuxDisable = 1u << 5, kCbTranslate = 1u << 6,
    };
    // Output port (D0/D1).
    enum : u8 {
        kOpReset = 1u << 0,  // 0 = reset the CPU
        kOpA20 = 1u << 1, kOpKbdObf = 1u << 4, kOpAuxObf = 1u << 5,
    };

    I8042();
    const char* type_name() const override { return "i8042"; }
    // Maps ports 0x60 and 0x64 in m.io_space().
    void realize(Machine& m) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    IrqLine irq1, irq12;
    std::function<void()> on_reset_request;
    std::function<void(bool enabled)> on_a20;

    u8 read_data();            // port 0x60
    u8 read_status() const { return status_; }  // port 0x64
    void write_data(u8 v);     // port 0x60
    void write_command(u8 v);  // port 0x64
    std::unique_ptr<MemoryRegion> make_data_region();
    std::unique_ptr<MemoryRegion> make_command_region();

    Ps2Keyboard& keyboard() { return kbd_; }
    Ps2Mouse& mouse() { return mouse_; }
    u8 command_byte() const { return ram_[0]; }
    u8 output_port() const;

private:
    void queue(u8 v, bool aux);   // a controller reply
    void refill();                // fill an empty output buffer from replies, keyboard, mouse
    void update_irq();
    void set_output_port(u8 v);

    Ps2Keyboard kbd_;
    Ps2Mouse mouse_;
    std::array<u8, 32> ram_{};   // controller RAM; byte 0 is the command byte
    u8 status_ = 0;
    u8 out_ = 0;                 // the output buffer (valid while kStOutFull)
    u8 outport_ = 0;
    u8 pending_ = 0;             // a command (60-7F, D1-D4) waiting for its data byte, or 0
    u8 xlate_break_ = 0;         // translation saw F0: OR 0x80 into the next code
    std::array<u8, 4> reply_{};  // controller replies waiting for the output buffer
    u8 reply_aux_ = 0;           // bit i: reply_[i] is mouse data (D3)
    u8 reply_count_ = 0;
    u8 irq1_level_ = 0, irq12_level_ = 0;
};

}  // namespace vireo
