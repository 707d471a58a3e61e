// PS/2 keyboard and mouse: the device side of the 8042's two serial ports (IBM Personal
// System/2 Hardware Interface Technical Reference, "Keyboard and Auxiliary Device Controller",
// "Keyboard" and "Pointing Device" chapters; the mouse's IntelliMouse extension per Microsoft's
// "Wheel mouse" PS/2 protocol note). Each device answers host commands and queues the bytes it
// would send in a 16-byte FIFO that the I8042 drains into its output buffer.
//
// Host input: the keyboard takes *scan code set 2* codes (a u16 whose high byte is 0xE0 for
// extended keys, e.g. 0xE075 = cursor up) and produces the make/break sequence of the set the
// guest selected; with the controller's translation on (the usual case) the guest sees set 1.
// The mouse takes relative motion in PS/2 convention (dy > 0 = up, dz > 0 = wheel towards the
// user) and a button mask (bit 0 left, bit 1 right, bit 2 middle).
#pragma once
#include <array>
#include <functional>
#include <span>
#include "frontend-x86/types.h"
#include "softmmu/device.h"

namespace vireo {

class Ps2Device {
public:
    static constexpr unsigned kQueueSize = 16;
    virtual ~Ps2Device() = default;

    // A byte from the host (the controller's write to port 0x60, or D4 + byte for the mouse).
    virtual void write(u8 v) = 0;
    bool has_data() const { return count_ != 0; }
    u8 pop();  // next byte to the host; call only if has_data()
    virtual void reset() = 0;
    virtual void describe_state(StateVisitor& v);

    // Set by the controller: "the device has something to send".
    std::function<void()> on_data;

protected:
    void push(u8 v);  // dropped when the queue is full (the device would hold it back)
    void push(std::initializer_list<u8> bytes);
    void clear_queue() { count_ = 0; }
    unsigned room() const { return kQueueSize - count_; }
    void notify() {
        if (count_ && on_data) on_data();
    }
    virtual void drained() {}  // the queue became empty (the mouse sends pending motion)

    std::array<u8, kQueueSize> q_{};
    u8 head_ = 0, count_ = 0;
    u8 pending_cmd_ = 0;  // a command waiting for its argument byte, or 0
    u8 last_sent_ = 0;    // for FE (resend)
};

class Ps2Keyboard : public Ps2Device {
public:
    void write(u8 v) override;
    void reset() override;  // power-on: defaults, scanning on, no BAT code queued
    void describe_state(StateVisitor& v) override;

    // A key went down (make) or up (break). `code` is a set-2 scan code, 0xE0xx for extended
    // keys. Ignored while scanning is disabled (F5).
    void key_event(u16 code, bool down);
    // Queue raw bytes as the keyboard would send them (Pause, Print Screen sequences).
    void send_raw(std::span<const u8> bytes);

    u8 leds() const { return leds_; }
    u8 scancode_set() const { return set_; }
    bool scanning() const { return scanning_; }
    u8 typematic() const { return typematic_; }

    // The 8042's set 2 -> set 1 translation (IBM TechRef "Scan code translation"); bytes from
    // 0x84 up pass through unchanged.
    static u8 translate_set2(u8 code);

private:
    void defaults();
    u8 set_ = 2, leds_ = 0, typematic_ = 0x2b, scanning_ = 1;
};

class Ps2Mouse : public Ps2Device {
public:
    void write(u8 v) override;
    void reset() override;
    void describe_state(StateVisitor& v) override;

    // Relative motion and the current buttons. In stream mode with reporting on, a packet is
    // queued (or the motion accumulates until the queue has room); in remote mode it
    // accumulates until EB (read data).
    void move(int dx, int dy, int dz, u8 buttons);

    u8 id() const { return id_; }  // 0 = standard, 3 = IntelliMouse (wheel)
    bool reporting() const { return enabled_; }
    u8 sample_rate() const { return rate_; }
    u8 resolution() const { return resolution_; }

private:
    void defaults();
    void send_packet();
    void drained() override;
    i32 dx_ = 0, dy_ = 0, dz_ = 0;
    u8 buttons_ = 0;
    u8 moved_ = 0;  // motion or button change not yet sent
    u8 rate_ = 100, resolution_ = 2, scaling21_ = 0, remote_ = 0, enabled_ = 0, wrap_ = 0;
    u8 id_ = 0;
    std::array<u8, 3> rates_{};  // the last three sample rates, for the IntelliMouse knock
};

}  // namespace vireo
