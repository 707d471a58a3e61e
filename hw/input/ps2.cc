// PS/2 keyboard and mouse (ps2.h). Command names and responses are those of the IBM PS/2
// Hardware Interface Technical Reference: keyboard "Commands from the System" (ED set/reset
// LEDs, EE echo, F0 select alternate scan codes, F2 read ID, F3 set typematic rate/delay,
// F4 enable, F5 default disable, F6 set default, FE resend, FF reset) and pointing device
// "Commands" (E6/E7 scaling, E8 resolution, E9 status request, EA stream, EB read data,
// EC/EE wrap mode, F0 remote, F2 read device type, F3 sample rate, F4/F5 enable/disable,
// F6 defaults, FE resend, FF reset). Replies: FA acknowledge, FE resend, AA BAT completion.
#include "hw/input/ps2.h"

#include <algorithm>

namespace vireo {

namespace {
constexpr u8 kAck = 0xfa, kResend = 0xfe, kBatOk = 0xaa;
}  // namespace

// ---- queue -----------------------------------------------------------------------------------

void Ps2Device::push(u8 v) {
    if (count_ == kQueueSize) return;
    q_[(head_ + count_) % kQueueSize] = v;
    count_++;
}

void Ps2Device::push(std::initializer_list<u8> bytes) {
    for (u8 b : bytes) push(b);
}

u8 Ps2Device::pop() {
    const u8 v = q_[head_];
    head_ = (head_ + 1) % kQueueSize;
    count_--;
    last_sent_ = v;
    if (count_ == 0) drained();
    return v;
}

void Ps2Device::describe_state(StateVisitor& v) {
    v.field("queue", q_.data(), q_.size());
    v.field("head", &head_, 1);
    v.field("count", &count_, 1);
    v.field("pending_cmd", &pending_cmd_, 1);
    v.field("last_sent", &last_sent_, 1);
}

// ---- keyboard --------------------------------------------------------------------------------

// Index: set-2 code 0x00..0x83; value: the set-1 code the 8042 passes on. Rows of 16.
static constexpr u8 kSet2ToSet1[0x84] = {
    0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,  // 00
    0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,  // 10
    0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,  // 20
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,  // 30
    0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,  // 40
    0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,  // 50
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,  // 60
    0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,  // 70
    0x80, 0x81, 0x82, 0x41,                                                                          // 80
};

u8 Ps2Keyboard::translate_set2(u8 code) { return code < sizeof kSet2ToSet1 ? kSet2ToSet1[code] : code; }

void Ps2Keyboard::defaults() {
    // TechRef "Set Default (F6)": typematic 10.9 cps / 500 ms, all key types (set 2 default).
    typematic_ = 0x2b;
    set_ = 2;
}

void Ps2Keyboard::reset() {
    clear_queue();
    pending_cmd_ = 0;
    last_sent_ = 0;
    leds_ = 0;
    scanning_ = 1;
    defaults();
}

void Ps2Keyboard::describe_state(StateVisitor& v) {
    Ps2Device::describe_state(v);
    v.field("set", &set_, 1);
    v.field("leds", &leds_, 1);
    v.field("typematic", &typematic_, 1);
    v.field("scanning", &scanning_, 1);
}

void Ps2Keyboard::write(u8 v) {
    if (pending_cmd_) {
        const u8 cmd = pending_cmd_;
        pending_cmd_ = 0;
        switch (cmd) {
        case 0xed:  // LED bits: 0 Scroll Lock, 1 Num Lock, 2 Caps Lock
            leds_ = v & 7;
            push(kAck);
            break;
        case 0xf3:  // typematic: bits 6-5 delay, 4-0 rate
            typematic_ = v & 0x7f;
            push(kAck);
            break;
        case 0xf0:  // 0 = report the current set; 1..3 select one
            if (v == 0) {
                push({kAck, set_});
            } else if (v <= 3) {
                set_ = v;
                push(kAck);
            } else {
                push(kResend);
            }
            break;
        }
        return notify();
    }
    switch (v) {
    case 0xed: case 0xf3: case 0xf0:
        pending_cmd_ = v;
        push(kAck);
        break;
    case 0xee: push(0xee); break;                      // echo
    case 0xf2: push({kAck, 0xab, 0x83}); break;        // ID of an MF2 keyboard
    case 0xf4: clear_queue(); scanning_ = 1; push(kAck); break;  // clears its buffer, enables
    case 0xf5: clear_queue(); defaults(); scanning_ = 0; push(kAck); break;
    case 0xf6: clear_queue(); defaults(); push(kAck); break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa:        // set-3 key type commands: acknowledged
    case 0xfb: case 0xfc: case 0xfd:
        push(kAck);
        break;
    case 0xfe: push(last_sent_); break;                // resend the last byte
    case 0xff:
        // Reset: acknowledge, run BAT, report AA (completed OK); scanning enabled, defaults.
        reset();
        push({kAck, kBatOk});
        break;
    default: push(kResend); break;                     // invalid command
    }
    notify();
}

void Ps2Keyboard::key_event(u16 code, bool down) {
    if (!scanning_) return;
    const bool ext = (code >> 8) == 0xe0;
    const u8 c = code & 0xff;
    // A whole sequence or nothing: a half-queued one would desynchronize the host.
    if (set_ == 1) {
        // Set 1 from the keyboard itself (translation off): make = code, break = code | 0x80.
        const u8 s1 = translate_set2(c);
        if (room() < 1u + ext) return;
        if (ext) push(0xe0);
        push(static_cast<u8>(down ? s1 : s1 | 0x80));
    } else {
        // Set 2 (and set 3, not modelled separately): break = F0 prefix before the code.
        if (room() < 1u + ext + !down) return;
        if (ext) push(0xe0);
        if (!down) push(0xf0);
        push(c);
    }
    notify();
}

void Ps2Keyboard::send_raw(std::span<const u8> bytes) {
    for (u8 b : bytes) push(b);
    notify();
}

// ---- mouse -----------------------------------------------------------------------------------

void Ps2Mouse::defaults() {
    // TechRef "Set Default (F6)": 100 samples/s, 4 counts/mm (resolution 2), scaling 1:1,
    // stream mode, reporting disabled.
    rate_ = 100;
    resolution_ = 2;
    scaling21_ = 0;
    remote_ = 0;
    enabled_ = 0;
    dx_ = dy_ = dz_ = 0;
    moved_ = 0;
}

void Ps2Mouse::reset() {
    clear_queue();
    pending_cmd_ = 0;
    last_sent_ = 0;
    wrap_ = 0;
    id_ = 0;
    rates_ = {};
    buttons_ = 0;
    defaults();
}

void Ps2Mouse::describe_state(StateVisitor& v) {
    Ps2Device::describe_state(v);
    v.field("dx", &dx_, sizeof dx_);
    v.field("dy", &dy_, sizeof dy_);
    v.field("dz", &dz_, sizeof dz_);
    v.field("buttons", &buttons_, 1);
    v.field("moved", &moved_, 1);
    v.field("rate", &rate_, 1);
    v.field("resolution", &resolution_, 1);
    v.field("scaling21", &scaling21_, 1);
    v.field("remote", &remote_, 1);
    v.field("enabled", &enabled_, 1);
    v.field("wrap", &wrap_, 1);
    v.field("id", &id_, 1);
    v.field("rates", rates_.data(), rates_.size());
}

void Ps2Mouse::write(u8 v) {
    if (pending_cmd_) {
        const u8 cmd = pending_cmd_;
        pending_cmd_ = 0;
        if (cmd == 0xf3) {
            rate_ = v;
            rates_ = {rates_[1], rates_[2], v};
            // IntelliMouse: sample rates 200, 100, 80 in a row switch the ID to 3 (wheel).
            if (rates_[0] == 200 && rates_[1] == 100 && rates_[2] == 80) id_ = 3;
        } else {  // 0xe8
            resolution_ = v & 3;
        }
        push(kAck);
        return notify();
    }
    if (wrap_ && v != 0xec && v != 0xff) {
        push(v);  // wrap (echo) mode: every byte except "reset wrap mode" and reset comes back
        return notify();
    }
    switch (v) {
    case 0xe6: scaling21_ = 0; push(kAck); break;
    case 0xe7: scaling21_ = 1; push(kAck); break;
    case 0xe8: case 0xf3: pending_cmd_ = v; push(kAck); break;
    case 0xe9: {
        // Status: byte 1 = 0, remote, enabled, 2:1 scaling, 0, left, middle, right.
        const u8 b = static_cast<u8>(remote_ << 6 | enabled_ << 5 | scaling21_ << 4 | (buttons_ & 1) << 2 |
                                     (buttons_ >> 2 & 1) << 1 | (buttons_ >> 1 & 1));
        push({kAck, b, resolution_, rate_});
        break;
    }
    case 0xea: remote_ = 0; dx_ = dy_ = dz_ = 0; push(kAck); break;
    case 0xeb: push(kAck); moved_ = 1; send_packet(); break;  // read data: a packet in any mode
    case 0xec: wrap_ = 0; push(kAck); break;
    case 0xee: wrap_ = 1; push(kAck); break;
    case 0xf0: remote_ = 1; dx_ = dy_ = dz_ = 0; push(kAck); break;
    case 0xf2: push({kAck, id_}); break;
    case 0xf4: enabled_ = 1; push(kAck); break;
    case 0xf5: enabled_ = 0; clear_queue(); push(kAck); break;
    case 0xf6: defaults(); push(kAck); break;
    case 0xfe: push(last_sent_); break;
    case 0xff: reset(); push({kAck, kBatOk, 0x00}); break;  // BAT OK, then device ID 00
    default: push(kResend); break;
    }
    notify();
}

void Ps2Mouse::move(int dx, int dy, int dz, u8 buttons) {
    dx_ += dx;
    dy_ += dy;
    dz_ += dz;
    if (dx || dy || dz || buttons != buttons_) moved_ = 1;
    buttons_ = buttons & 7;
    if (remote_ || !enabled_) return;
    send_packet();
    notify();
}

void Ps2Mouse::drained() {
    if (!remote_ && enabled_ && moved_) send_packet();
}

// Movement data packet (TechRef "Data Report"): byte 1 = Y overflow, X overflow, Y sign, X sign,
// 1, middle, right, left; bytes 2/3 = X/Y as the low 8 bits of 9-bit two's complement values;
// byte 4 (ID 3 only) = Z as 8-bit two's complement. Motion beyond the 9-bit range sets the
// overflow bit and is clamped; what does not fit is dropped.
void Ps2Mouse::send_packet() {
    const unsigned len = id_ == 3 ? 4 : 3;
    if (!moved_ || room() < len) return;
    auto clamp9 = [](i32 v, bool& ovf) {
        ovf = v < -256 || v > 255;
        return std::clamp(v, -256, 255);
    };
    bool ox, oy;
    const i32 x = clamp9(dx_, ox), y = clamp9(dy_, oy);
    const i32 z = std::clamp(dz_, -128, 127);
    const u8 b0 = static_cast<u8>(oy << 7 | ox << 6 | (y < 0) << 5 | (x < 0) << 4 | 0x08 | (buttons_ & 7));
    push({b0, static_cast<u8>(x), static_cast<u8>(y)});
    if (len == 4) push(static_cast<u8>(z));
    dx_ = dy_ = dz_ = 0;
    moved_ = 0;
}

}  // namespace vireo
