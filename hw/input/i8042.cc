// 8042 keyboard controller (i8042.h). Command numbers are the AT/PS/2 controller command set
// (IBM PS/2 TechRef "Keyboard and Auxiliary Device Controller", "Commands (I/O Address Hex
// 64)"): 20-3F read RAM (20 = command byte), 60-7F write RAM, A7/A8 disable/enable auxiliary
// device, A9 auxiliary interface test, AA self-test (55h), AB keyboard interface test,
// AD/AE disable/enable keyboard, C0 read input port, D0/D1 read/write output port, D2/D3 write
// keyboard/auxiliary output buffer, D4 write to auxiliary device, DD/DF A20 off/on (chipset
// extension), E0 read test inputs, F0-FF pulse output port bits 3-0.
//
// Simplifications: commands complete at once (IBF never reads 1); a reply issued while the
// output buffer is full waits behind it (up to 4 bytes) instead of overwriting it.
#include "hw/input/i8042.h"

#include "softmmu/machine.h"

namespace vireo {

I8042::I8042() : irq1("i8042.irq1"), irq12("i8042.irq12") {
    kbd_.on_data = [this] { refill(); };
    mouse_.on_data = [this] { refill(); };
    reset();
}

void I8042::realize(Machine& m) {
    m.io_space().add_subregion(m.own(make_data_region()), 0x60);
    m.io_space().add_subregion(m.own(make_command_region()), 0x64);
    reset();
}

std::unique_ptr<MemoryRegion> I8042::make_data_region() {
    MemoryOps ops;
    ops.read = [this](u64, unsigned) -> u64 { return read_data(); };
    ops.write = [this](u64, u64 v, unsigned) { write_data(static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("i8042-data", 1, ops);
}

std::unique_ptr<MemoryRegion> I8042::make_command_region() {
    MemoryOps ops;
    ops.read = [this](u64, unsigned) -> u64 { return read_status(); };
    ops.write = [this](u64, u64 v, unsigned) { write_command(static_cast<u8>(v)); };
    ops.min_access = ops.max_access = 1;
    return MemoryRegion::io("i8042-cmd", 1, ops);
}

void I8042::reset() {
    ram_ = {};
    ram_[0] = kCbKbdInt | kCbAuxInt;  // as QEMU; the BIOS writes its own command byte
    status_ = kStCommand | kStUnlocked;
    out_ = 0;
    outport_ = kOpReset | kOpA20 | 0xcc;  // 0xcc: keyboard clock/data and unused bits high
    pending_ = 0;
    xlate_break_ = 0;
    reply_count_ = 0;
    reply_aux_ = 0;
    kbd_.reset();
    mouse_.reset();
    update_irq();
}

void I8042::describe_state(StateVisitor& v) {
    v.field("ram", ram_.data(), ram_.size());
    v.field("status", &status_, 1);
    v.field("out", &out_, 1);
    v.field("outport", &outport_, 1);
    v.field("pending", &pending_, 1);
    v.field("xlate_break", &xlate_break_, 1);
    v.field("reply", reply_.data(), reply_.size());
    v.field("reply_aux", &reply_aux_, 1);
    v.field("reply_count", &reply_count_, 1);
    v.field("irq1_level", &irq1_level_, 1);
    v.field("irq12_level", &irq12_level_, 1);
    kbd_.describe_state(v);
    mouse_.describe_state(v);
}

u8 I8042::output_port() const {
    // Output port bits 4/5 are the "output buffer full" lines that drive IRQ1/IRQ12.
    u8 v = outport_ & ~(kOpKbdObf | kOpAuxObf);
    if (status_ & kStOutFull) v |= (status_ & kStAuxData) ? kOpAuxObf : kOpKbdObf;
    return v;
}

void I8042::update_irq() {
    const bool full = status_ & kStOutFull, aux = status_ & kStAuxData;
    const u8 k = full && !aux && (ram_[0] & kCbKbdInt);
    const u8 a = full && aux && (ram_[0] & kCbAuxInt);
    if (k != irq1_level_) { irq1_level_ = k; irq1.set(k); }
    if (a != irq12_level_) { irq12_level_ = a; irq12.set(a); }
}

void I8042::queue(u8 v, bool aux) {
    if (reply_count_ < reply_.size()) {
        reply_[reply_count_] = v;
        if (aux) reply_aux_ |= 1u << reply_count_;
        reply_count_++;
    }
    refill();
}

void I8042::refill() {
    if (status_ & kStOutFull) return;
    bool aux = false;
    bool have = false;
    u8 v = 0;
    if (reply_count_) {
        v = reply_[0];
        aux = reply_aux_ & 1;
        for (unsigned i = 1; i < reply_count_; i++) reply_[i - 1] = reply_[i];
        reply_aux_ >>= 1;
        reply_count_--;
        have = true;
    } else if (!(ram_[0] & kCbKbdDisable) && kbd_.has_data()) {
        // Command byte bit 6: translate set 2 to set 1. A set-2 break is F0 + code; the
        // controller swallows the F0 and passes the set-1 code with bit 7 set.
        while (!have && kbd_.has_data()) {
            const u8 b = kbd_.pop();
            if (!(ram_[0] & kCbTranslate)) {
                v = b;
                have = true;
            } else if (b == 0xf0) {
                xlate_break_ = 1;
            } else {
                v = Ps2Keyboard::translate_set2(b) | (xlate_break_ ? 0x80 : 0);
                xlate_break_ = 0;
                have = true;
            }
        }
    } else if (!(ram_[0] & kCbAuxDisable) && mouse_.has_data()) {
        v = mouse_.pop();
        aux = true;
        have = true;
    }
    if (!have) return;
    out_ = v;
    status_ = static_cast<u8>((status_ & ~kStAuxData) | kStOutFull | (aux ? kStAuxData : 0));
    update_irq();
}

u8 I8042::read_data() {
    const u8 v = out_;  // with OBF clear, the stale byte (as the real part)
    if (status_ & kStOutFull) {
        status_ &= ~(kStOutFull | kStAuxData);
        update_irq();  // the line drops; the next byte raises it again (a new edge)
        refill();
    }
    return v;
}

void I8042::set_output_port(u8 v) {
    const u8 old = outport_;
    outport_ = v | kOpReset;  // the reset line is pulsed, not held
    if (((old ^ v) & kOpA20) && on_a20) on_a20(v & kOpA20);
    if (!(v & kOpReset) && on_reset_request) on_reset_request();
}

void I8042::write_command(u8 v) {
    status_ |= kStCommand;
    if (v >= 0x20 && v <= 0x3f) return queue(ram_[v & 0x1f], false);
    if (v >= 0x60 && v <= 0x7f) { pending_ = v; return; }
    if (v >= 0xf0) {
        // Pulse output port bits 3-0 whose command bits are 0 (about 6 us); bit 0 is the CPU
        // reset line, so FE resets the machine. FF pulses nothing.
        if (!(v & 1) && on_reset_request) on_reset_request();
        return;
    }
    switch (v) {
    case 0xa7: ram_[0] |= kCbAuxDisable; break;
    case 0xa8: ram_[0] &= ~kCbAuxDisable; refill(); break;
    case 0xa9: queue(0x00, false); break;  // auxiliary interface test: 00 = no error
    case 0xaa:
        // Self-test: 55h = passed; it sets the system flag (status bit 2).
        status_ |= kStSystem;
        queue(0x55, false);
        break;
    case 0xab: queue(0x00, false); break;  // keyboard interface test: 00 = no error
    case 0xad: ram_[0] |= kCbKbdDisable; break;
    case 0xae: ram_[0] &= ~kCbKbdDisable; refill(); break;
    case 0xc0: queue(0x80, false); break;  // input port: bit 7 = keyboard not inhibited
    case 0xd0: queue(output_port(), false); break;
    case 0xd1: case 0xd2: case 0xd3: case 0xd4: pending_ = v; break;
    case 0xdd: set_output_port(outport_ & ~kOpA20); break;
    case 0xdf: set_output_port(outport_ | kOpA20); break;
    case 0xe0: queue(0x00, false); break;  // test inputs T0/T1
    default: break;                        // unknown: ignored
    }
}

void I8042::write_data(u8 v) {
    status_ &= ~kStCommand;
    const u8 cmd = pending_;
    pending_ = 0;
    if (cmd >= 0x60 && cmd <= 0x7f) {
        ram_[cmd & 0x1f] = v;
        if (cmd == 0x60) {
            // Command byte bit 2 is the system flag reported in status bit 2.
            status_ = static_cast<u8>((status_ & ~kStSystem) | (v & kCbSystem ? kStSystem : 0));
            update_irq();  // interrupt enables may have changed
            refill();      // and a port may have been enabled
        }
        return;
    }
    switch (cmd) {
    case 0xd1: set_output_port(v); return;
    case 0xd2: queue(v, false); return;  // as if from the keyboard (not translated)
    case 0xd3: queue(v, true); return;   // as if from the mouse
    case 0xd4: mouse_.write(v); return;
    default: kbd_.write(v); return;      // no pending command: the byte goes to the keyboard
    }
}

}  // namespace vireo
