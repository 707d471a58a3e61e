// 8042 keyboard controller and PS/2 keyboard/mouse (hw/input/i8042.h, ps2.h), driven through
// ports 0x60/0x64 with the sequences SeaBIOS (src/hw/ps2port.c: ps2_keyboard_setup) and Linux
// (drivers/input/serio/i8042.c, keyboard/atkbd.c, mouse/psmouse-base.c) use. Expectations cite
// the IBM PS/2 Hardware Interface Technical Reference (controller, keyboard and pointing
// device chapters) by command.
#include <gtest/gtest.h>

#include <vector>

#include "hw/input/i8042.h"
#include "softmmu/machine.h"
#include "softmmu/state_buffer.h"

using namespace vireo;

namespace {

const VmConfig& small_cfg() {
    static VmConfig c = [] { VmConfig v; v.ram_size = 1 << 20; return v; }();
    return c;
}

class I8042Test : public ::testing::Test {
protected:
    I8042Test() : m(small_cfg()) {
        kbc = static_cast<I8042*>(m.add_device(std::make_unique<I8042>()));
        kbc->irq1.handler = [this](bool l) { irq1 = l; if (l) irq1_rises++; };
        kbc->irq12.handler = [this](bool l) { irq12 = l; if (l) irq12_rises++; };
        kbc->on_reset_request = [this] { resets++; };
        kbc->on_a20 = [this](bool on) { a20.push_back(on); };
        kbc->realize(m);
    }
    void outb(u16 port, u8 v) { m.io().write(port, v, 1); }
    u8 inb(u16 port) { return static_cast<u8>(m.io().read(port, 1)); }
    u8 status() { return inb(0x64); }
    // SeaBIOS i8042_command / i8042_wait_read: command, then read replies while OBF.
    void cmd(u8 c) { outb(0x64, c); }
    void cmd(u8 c, u8 param) { outb(0x64, c); outb(0x60, param); }
    std::vector<u8> drain() {
        std::vector<u8> r;
        while (status() & I8042::kStOutFull) r.push_back(inb(0x60));
        return r;
    }
    std::vector<u8> kbd(u8 b) { outb(0x60, b); return drain(); }
    std::vector<u8> aux(u8 b) { cmd(0xd4, b); return drain(); }

    Machine m;
    I8042* kbc;
    bool irq1 = false, irq12 = false;
    int irq1_rises = 0, irq12_rises = 0, resets = 0;
    std::vector<bool> a20;
};

using V = std::vector<u8>;

TEST_F(I8042Test, SeaBiosKeyboardSetupSequence) {
    drain();  // i8042_flush
    // Controller self-test AA -> 55h; keyboard interface test AB -> 00 (no error).
    cmd(0xaa);
    EXPECT_EQ(drain(), V{0x55});
    EXPECT_TRUE(status() & I8042::kStSystem) << "self-test sets the system flag";
    cmd(0xab);
    EXPECT_EQ(drain(), V{0x00});
    // Write command byte 0x30: ports' interrupts off, both clocks disabled while probing.
    cmd(0x60, 0x30);
    cmd(0x20);
    EXPECT_EQ(drain(), V{0x30});
    cmd(0xae);  // enable the keyboard port for the reset
    // Keyboard Reset (FF): acknowledge FA, then BAT completion AA.
    EXPECT_EQ(kbd(0xff), (V{0xfa, 0xaa}));
    // Default Disable (F5), select scan code set 2 (F0 02), read it back (F0 00).
    EXPECT_EQ(kbd(0xf5), V{0xfa});
    EXPECT_FALSE(kbc->keyboard().scanning());
    EXPECT_EQ(kbd(0xf0), V{0xfa});
    EXPECT_EQ(kbd(0x02), V{0xfa});
    EXPECT_EQ(kbd(0xf0), V{0xfa});
    EXPECT_EQ(kbd(0x00), (V{0xfa, 0x02}));
    // Command byte 0x61: translate, system flag, keyboard interrupt; then Enable (F4).
    cmd(0x60, 0x61);
    EXPECT_EQ(kbd(0xf4), V{0xfa});
    EXPECT_TRUE(kbc->keyboard().scanning());
    // Set LEDs (ED + Caps|Num).
    EXPECT_EQ(kbd(0xed), V{0xfa});
    EXPECT_EQ(kbd(0x06), V{0xfa});
    EXPECT_EQ(kbc->keyboard().leds(), 6u);
    // Echo (EE) and an invalid command (resend FE).
    EXPECT_EQ(kbd(0xee), V{0xee});
    EXPECT_EQ(kbd(0x12), V{0xfe});
}

TEST_F(I8042Test, KeyboardIdentifyRawAndTranslated) {
    cmd(0x60, 0x00);  // no translation
    EXPECT_EQ(kbd(0xf2), (V{0xfa, 0xab, 0x83})) << "MF2 keyboard ID";
    // Translated, the second ID byte reads 41h (Linux atkbd_probe accepts ab41/abc1).
    cmd(0x60, 0x40);
    EXPECT_EQ(kbd(0xf2), (V{0xfa, 0xab, 0x41}));
    // F0 00 through translation: set 2 reads as 41h.
    kbd(0xf0);
    EXPECT_EQ(kbd(0x00), (V{0xfa, 0x41}));
}

TEST_F(I8042Test, StatusBitsAroundReads) {
    // After a write to 0x64 the A2 bit (status bit 3) says "command"; after 0x60, "data".
    cmd(0x20);
    u8 s = status();
    EXPECT_TRUE(s & I8042::kStCommand);
    EXPECT_TRUE(s & I8042::kStOutFull);
    EXPECT_FALSE(s & I8042::kStInFull);
    EXPECT_FALSE(s & I8042::kStAuxData);
    EXPECT_TRUE(s & I8042::kStUnlocked);
    inb(0x60);
    EXPECT_FALSE(status() & I8042::kStOutFull) << "reading 0x60 empties the output buffer";
    outb(0x60, 0xee);
    EXPECT_FALSE(status() & I8042::kStCommand);
    inb(0x60);
    // D3: write the auxiliary output buffer — the byte reads back with AUXB (bit 5) set.
    cmd(0xd3, 0x5a);
    s = status();
    EXPECT_TRUE(s & I8042::kStOutFull);
    EXPECT_TRUE(s & I8042::kStAuxData);
    EXPECT_EQ(inb(0x60), 0x5a);
    EXPECT_FALSE(status() & (I8042::kStOutFull | I8042::kStAuxData));
    // D2: keyboard output buffer; D0 shows OBF in output port bit 4.
    cmd(0xd2, 0x33);
    EXPECT_EQ(status() & I8042::kStAuxData, 0);
    EXPECT_EQ(inb(0x60), 0x33);
}

TEST_F(I8042Test, Irq1FollowsOutputBufferAndCommandByte) {
    cmd(0x60, 0x01);  // keyboard interrupt on, no translation
    EXPECT_FALSE(irq1);
    kbc->keyboard().key_event(0x1c, true);  // 'A' make, set 2
    EXPECT_TRUE(irq1) << "IRQ1 rises with OBF when command byte bit 0 is set";
    EXPECT_EQ(inb(0x60), 0x1c);
    EXPECT_FALSE(irq1) << "and drops when the byte is read";
    // Break F0 1C: two bytes, two edges.
    kbc->keyboard().key_event(0x1c, false);
    const int before = irq1_rises;
    EXPECT_EQ(inb(0x60), 0xf0);
    EXPECT_TRUE(irq1);
    EXPECT_EQ(inb(0x60), 0x1c);
    EXPECT_FALSE(irq1);
    EXPECT_EQ(irq1_rises, before + 1);
    // Interrupts off: OBF without IRQ1.
    cmd(0x60, 0x00);
    kbc->keyboard().key_event(0x1c, true);
    EXPECT_TRUE(status() & I8042::kStOutFull);
    EXPECT_FALSE(irq1);
    inb(0x60);
    // Keyboard port disabled (AD): keys wait in the keyboard until AE.
    cmd(0x60, 0x01);
    cmd(0xad);
    kbc->keyboard().key_event(0x1c, true);
    EXPECT_FALSE(status() & I8042::kStOutFull);
    cmd(0xae);
    EXPECT_TRUE(irq1);
    EXPECT_EQ(inb(0x60), 0x1c);
}

TEST_F(I8042Test, TranslationSet2ToSet1) {
    cmd(0x60, 0x41);  // translate + keyboard interrupt
    kbc->keyboard().key_event(0x1c, true);
    EXPECT_EQ(drain(), V{0x1e}) << "'A' make: set 2 1C -> set 1 1E";
    kbc->keyboard().key_event(0x1c, false);
    EXPECT_EQ(drain(), V{0x9e}) << "'A' break: F0 1C -> 9E";
    kbc->keyboard().key_event(0xe075, true);  // cursor up
    EXPECT_EQ(drain(), (V{0xe0, 0x48}));
    kbc->keyboard().key_event(0xe075, false);
    EXPECT_EQ(drain(), (V{0xe0, 0xc8}));
}

TEST_F(I8042Test, TranslationTableInvertsLinuxUnxlate) {
    // Linux atkbd's atkbd_unxlate_table maps every set-1 code 01..7F back to the set-2 code the
    // 8042 translated: checking the whole table against it, entry by entry.
    static const u8 unxlate[128] = {
        0, 118, 22, 30, 38, 37, 46, 54, 61, 62, 70, 69, 78, 85, 102, 13,
        21, 29, 36, 45, 44, 53, 60, 67, 68, 77, 84, 91, 90, 20, 28, 27,
        35, 43, 52, 51, 59, 66, 75, 76, 82, 14, 18, 93, 26, 34, 33, 42,
        50, 49, 58, 65, 73, 74, 89, 124, 17, 41, 88, 5, 6, 4, 12, 3,
        11, 2, 10, 1, 9, 119, 126, 108, 117, 125, 123, 107, 115, 116, 121, 105,
        114, 122, 112, 113, 127, 96, 97, 120, 7, 15, 23, 31, 39, 47, 55, 63,
        71, 79, 86, 94, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 87, 111,
        19, 25, 57, 81, 83, 92, 95, 98, 99, 100, 101, 103, 104, 106, 109, 110};
    for (unsigned s1 = 1; s1 < 128; s1++)
        EXPECT_EQ(Ps2Keyboard::translate_set2(unxlate[s1]), s1) << "set-2 code " << int(unxlate[s1]);
    EXPECT_EQ(Ps2Keyboard::translate_set2(0x83), 0x41) << "F7's odd set-2 code";
    EXPECT_EQ(Ps2Keyboard::translate_set2(0xfa), 0xfa) << "replies pass through";
}

TEST_F(I8042Test, MouseThroughD4) {
    cmd(0x60, 0x03);  // both interrupts
    cmd(0xa8);
    cmd(0xa9);
    EXPECT_EQ(drain(), V{0x00}) << "auxiliary interface test";
    // Reset (FF): FA, BAT AA, ID 00 — all with AUXB set and on IRQ12.
    cmd(0xd4, 0xff);
    EXPECT_TRUE(irq12);
    EXPECT_FALSE(irq1);
    EXPECT_TRUE(status() & I8042::kStAuxData);
    EXPECT_EQ(drain(), (V{0xfa, 0xaa, 0x00}));
    EXPECT_FALSE(irq12);
    EXPECT_EQ(aux(0xf2), (V{0xfa, 0x00})) << "standard mouse ID";
    // Resolution E8 03, scaling 2:1 (E7), rate 40: status request E9.
    EXPECT_EQ(aux(0xe8), V{0xfa});
    EXPECT_EQ(aux(0x03), V{0xfa});
    EXPECT_EQ(aux(0xe7), V{0xfa});
    EXPECT_EQ(aux(0xf3), V{0xfa});
    EXPECT_EQ(aux(40), V{0xfa});
    EXPECT_EQ(aux(0xf4), V{0xfa});
    EXPECT_EQ(aux(0xe9), (V{0xfa, 0x30, 0x03, 40})) << "enabled | 2:1, resolution, rate";
    EXPECT_EQ(aux(0xf6), V{0xfa});
    EXPECT_EQ(aux(0xe9), (V{0xfa, 0x00, 0x02, 100})) << "defaults: disabled, 1:1, 4 c/mm, 100/s";
    // Disabled auxiliary port (A7): mouse bytes are held back.
    cmd(0xa7);
    cmd(0xd4, 0xf2);
    EXPECT_FALSE(status() & I8042::kStOutFull);
    cmd(0xa8);
    EXPECT_EQ(drain(), (V{0xfa, 0x00}));
}

TEST_F(I8042Test, IntelliMouseKnockAndPackets) {
    cmd(0x60, 0x03);
    // psmouse intellimouse_detect: set rate 200, 100, 80, then Get ID -> 03.
    for (u8 rate : {200, 100, 80}) {
        EXPECT_EQ(aux(0xf3), V{0xfa});
        EXPECT_EQ(aux(rate), V{0xfa});
    }
    EXPECT_EQ(aux(0xf2), (V{0xfa, 0x03}));
    EXPECT_EQ(aux(0xf4), V{0xfa});
    // 4-byte packet: byte 1 = Yovf Xovf Ysign Xsign 1 M R L.
    kbc->mouse().move(5, -3, -1, 0x01);
    EXPECT_EQ(drain(), (V{0x28 | 0x01, 0x05, 0xfd, 0xff}));
    // Overflow: X beyond +255 sets X overflow and clamps; Y -300 sets Y overflow and sign.
    kbc->mouse().move(300, -300, 0, 0x04);
    EXPECT_EQ(drain(), (V{0x80 | 0x40 | 0x20 | 0x08 | 0x04, 0xff, 0x00, 0x00}));
    // Reset drops back to the standard 3-byte mouse.
    EXPECT_EQ(aux(0xff), (V{0xfa, 0xaa, 0x00}));
    EXPECT_EQ(aux(0xf4), V{0xfa});
    kbc->mouse().move(-2, 7, 0, 0x02);
    EXPECT_EQ(drain(), (V{0x18 | 0x02, 0xfe, 0x07}));
    // Remote mode (F0): no stream packets; Read Data (EB) returns the accumulated motion.
    EXPECT_EQ(aux(0xf0), V{0xfa});
    kbc->mouse().move(1, 1, 0, 0);
    kbc->mouse().move(2, 1, 0, 0);
    EXPECT_FALSE(status() & I8042::kStOutFull);
    EXPECT_EQ(aux(0xeb), (V{0xfa, 0x08, 0x03, 0x02}));
}

TEST_F(I8042Test, LinuxAuxDetection) {
    // i8042_check_aux: the controller has an AUX port if A7 sets and A8 clears command byte
    // bit 5 ...
    cmd(0xa7);
    cmd(0x20);
    EXPECT_EQ(drain().at(0) & I8042::kCbAuxDisable, I8042::kCbAuxDisable);
    cmd(0xa8);
    cmd(0x20);
    EXPECT_EQ(drain().at(0) & I8042::kCbAuxDisable, 0);
    // ... and an AUX loopback (D3 A5) with the AUX interrupt enabled raises IRQ12, not IRQ1.
    cmd(0x60, I8042::kCbAuxInt | I8042::kCbKbdInt);
    cmd(0xd3, 0xa5);
    EXPECT_TRUE(irq12);
    EXPECT_FALSE(irq1);
    EXPECT_EQ(inb(0x60), 0xa5);
    EXPECT_FALSE(irq12);
    EXPECT_EQ(irq12_rises, 1);
}

TEST_F(I8042Test, ResetAndA20ThroughTheOutputPort) {
    // FE pulses output port bit 0, the CPU reset line (Linux reboot "kbd" method).
    cmd(0xfe);
    EXPECT_EQ(resets, 1);
    cmd(0xff);
    EXPECT_EQ(resets, 1) << "FF pulses nothing";
    cmd(0xd0);
    const u8 op = drain().at(0);
    EXPECT_TRUE(op & I8042::kOpReset);
    EXPECT_TRUE(op & I8042::kOpA20);
    // D1 with A20 off, then on; bit 0 kept 1 so no reset.
    cmd(0xd1, op & ~I8042::kOpA20);
    cmd(0xd1, op);
    EXPECT_EQ(a20, (std::vector<bool>{false, true}));
    EXPECT_EQ(resets, 1);
    // D1 with bit 0 = 0 resets.
    cmd(0xd1, op & ~I8042::kOpReset);
    EXPECT_EQ(resets, 2);
    cmd(0xc0);
    EXPECT_EQ(drain(), V{0x80}) << "input port: keyboard not inhibited";
}

TEST_F(I8042Test, SaveRestoreMidSequence) {
    cmd(0x60, 0x41);
    // The output buffer full (D2 11h), a set-2 break (F0 1C) still in the keyboard's queue
    // behind it, and Set LEDs (ED) sent with its argument not yet.
    cmd(0xd2, 0x11);
    kbc->keyboard().key_event(0x1c, false);
    outb(0x60, 0xed);
    StateWriter w;
    kbc->describe_state(w);

    Machine m2(small_cfg());
    auto* k2 = static_cast<I8042*>(m2.add_device(std::make_unique<I8042>()));
    k2->realize(m2);
    StateReader r(w.buf);
    k2->describe_state(r);
    EXPECT_TRUE(r.consumed());
    std::vector<u8> got;
    auto drain2 = [&] { while (m2.io().read(0x64, 1) & 1) got.push_back(static_cast<u8>(m2.io().read(0x60, 1))); };
    drain2();
    m2.io().write(0x60, 0x02, 1);  // the LED argument
    drain2();
    EXPECT_EQ(got, (V{0x11, 0x9e, 0xfa, 0xfa}));
    EXPECT_EQ(k2->keyboard().leds(), 2u);
    EXPECT_EQ(k2->command_byte(), 0x41u);
}

// ---- the PS/2 devices on their own -------------------------------------------------------------

std::vector<u8> pop_all(Ps2Device& d) {
    std::vector<u8> r;
    while (d.has_data()) r.push_back(d.pop());
    return r;
}

TEST(Ps2Test, KeyboardQueueResendTypematicAndSets) {
    Ps2Keyboard k;
    k.reset();
    // The keyboard's buffer holds 16 bytes; what does not fit is not queued.
    for (int i = 0; i < 10; i++) k.key_event(0x1c, true);
    std::vector<u8> q = pop_all(k);
    EXPECT_EQ(q.size(), 10u);
    for (int i = 0; i < 10; i++) k.key_event(0x1c, false);  // F0 1C: 2 bytes each
    EXPECT_EQ(pop_all(k).size(), 16u) << "eight breaks fit in 16 bytes";
    for (int i = 0; i < 6; i++) k.key_event(0xe075, false);  // E0 F0 75: 3 bytes each
    EXPECT_EQ(pop_all(k).size(), 15u) << "whole sequences only: five, not five and a third";
    // Resend (FE): the last byte sent again.
    k.write(0xee);
    EXPECT_EQ(pop_all(k), V{0xee});
    k.write(0xfe);
    EXPECT_EQ(pop_all(k), V{0xee});
    // Set Typematic Rate/Delay (F3): FA, argument, FA.
    k.write(0xf3);
    k.write(0x20);
    EXPECT_EQ(pop_all(k), (V{0xfa, 0xfa}));
    EXPECT_EQ(k.typematic(), 0x20u);
    // Set Default (F6) restores it.
    k.write(0xf6);
    EXPECT_EQ(pop_all(k), V{0xfa});
    EXPECT_EQ(k.typematic(), 0x2bu);
    // Scan code set 1 from the keyboard: break = make | 80h, E0 prefix kept.
    k.write(0xf0);
    k.write(0x01);
    pop_all(k);
    k.key_event(0x1c, true);
    k.key_event(0x1c, false);
    k.key_event(0xe075, false);
    EXPECT_EQ(pop_all(k), (V{0x1e, 0x9e, 0xe0, 0xc8}));
    // An invalid scan code set number gets Resend (FE).
    k.write(0xf0);
    k.write(0x07);
    EXPECT_EQ(pop_all(k), (V{0xfa, 0xfe}));
    // Default Disable (F5): no scanning; Enable (F4) clears the buffer and restarts it.
    k.write(0xf5);
    k.key_event(0x1c, true);
    EXPECT_EQ(pop_all(k), V{0xfa});
    k.write(0xf4);
    EXPECT_EQ(pop_all(k), V{0xfa});
    k.key_event(0x1c, true);
    EXPECT_EQ(pop_all(k), V{0x1c}) << "F5 restored set 2";
}

TEST(Ps2Test, MouseStatusWrapAndHeldBackMotion) {
    Ps2Mouse ms;
    ms.reset();
    // Status Request (E9) byte 1 reports the buttons as left = bit 2, middle = bit 1,
    // right = bit 0 (unlike the packet's L=0, R=1, M=2).
    ms.move(0, 0, 0, 0x01);  // left down; reporting off, nothing sent
    EXPECT_FALSE(ms.has_data());
    ms.write(0xe9);
    EXPECT_EQ(pop_all(ms), (V{0xfa, 0x04, 0x02, 100}));
    ms.move(0, 0, 0, 0x06);  // right + middle
    ms.write(0xe9);
    EXPECT_EQ(pop_all(ms), (V{0xfa, 0x03, 0x02, 100}));
    // Wrap mode (EE): bytes are echoed until Reset Wrap Mode (EC).
    ms.write(0xee);
    ms.write(0x12);
    ms.write(0xf4);
    ms.write(0xec);
    EXPECT_EQ(pop_all(ms), (V{0xfa, 0x12, 0xf4, 0xfa}));
    EXPECT_FALSE(ms.reporting()) << "F4 was echoed, not executed";
    // Stream mode with the queue full: motion accumulates and goes out once it drains.
    ms.write(0xf4);
    pop_all(ms);
    for (int i = 0; i < 5; i++) ms.move(1, 0, 0, 0);  // 5 packets = 15 bytes
    ms.move(2, 0, 0, 0);                             // no room: held
    ms.move(3, 0, 0, 0);
    std::vector<u8> q = pop_all(ms);
    ASSERT_EQ(q.size(), 18u);
    EXPECT_EQ((V{q[15], q[16], q[17]}), (V{0x08, 0x05, 0x00})) << "the held motion, summed";
    // Unknown command: Resend.
    ms.write(0x00);
    EXPECT_EQ(pop_all(ms), V{0xfe});
}

}  // namespace
