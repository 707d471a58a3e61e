// The monitor's sendkey (softmmu/monitor_cmds.cc, softmmu/qcode.h) into the PS/2 keyboard
// behind an 8042 (hw/input/i8042.h): QEMU's qcode names, presses in order, releases in
// reverse after the hold time, and what the guest reads at port 0x60 with the controller's
// default set 2 -> set 1 translation (IBM PS/2 Technical Reference, "Scan code translation").
#include <gtest/gtest.h>

#include <vector>
#include "hw/input/i8042.h"
#include "softmmu/machine.h"
#include "softmmu/monitor.h"
#include "softmmu/qcode.h"

using namespace vireo;

namespace {

class NullTerm : public Chardev {
public:
    void write(const u8*, size_t) override {}
};

class SendkeyTest : public ::testing::Test {
protected:
    SendkeyTest() : cfg([] { VmConfig v; v.ram_size = 1 << 20; return v; }()), m(cfg) {
        kbc = static_cast<I8042*>(m.add_device(std::make_unique<I8042>()));
        m.key_event = [this](u16 set2, bool down) { kbc->keyboard().key_event(set2, down); };
        mon = create_monitor(m, &term);
        // As SeaBIOS leaves it: keyboard interrupt, system flag, translation (command byte 45h).
        m.io().write(0x64, 0x60, 1);
        m.io().write(0x60, 0x45, 1);
        drain();
    }
    std::vector<u8> drain() {
        std::vector<u8> r;
        while (m.io().read(0x64, 1) & I8042::kStOutFull) r.push_back(static_cast<u8>(m.io().read(0x60, 1)));
        return r;
    }
    // Runs the main loop until the held keys have been released (the monitor's timer). Once
    // per test: an exit request ends every later run() at once.
    void run_ms(u64 ms) {
        const u64 until = m.clock_ns() + ms * 1'000'000;
        m.add_timer([until] { return until; }, [this](u64) { m.request_exit(0); });
        m.run();
    }
    VmConfig cfg;
    Machine m;
    NullTerm term;
    I8042* kbc;
    Monitor* mon;
};

using V = std::vector<u8>;

TEST_F(SendkeyTest, LetterPressNowReleaseAfterHold) {
    EXPECT_EQ(mon->execute("sendkey a 10"), "");
    EXPECT_EQ(drain(), V({0x1e}));  // set 2 1C -> set 1 1E (make)
    run_ms(30);
    EXPECT_EQ(drain(), V({0x9e}));  // break: F0 1C -> 9E
}

TEST_F(SendkeyTest, ModifiersReleaseInReverseOrder) {
    mon->execute("sendkey shift-a 5");
    EXPECT_EQ(drain(), V({0x2a, 0x1e}));
    run_ms(20);
    EXPECT_EQ(drain(), V({0x9e, 0xaa}));
}

TEST_F(SendkeyTest, CtrlAltDeleteUsesExtendedCodes) {
    mon->execute("sendkey ctrl-alt-delete 1");
    EXPECT_EQ(drain(), V({0x1d, 0x38, 0xe0, 0x53}));
    run_ms(10);
    EXPECT_EQ(drain(), V({0xe0, 0xd3, 0xb8, 0x9d}));
}

TEST_F(SendkeyTest, NamedKeys) {
    struct Case {
        const char* key;
        V make;
    };
    const Case cases[] = {{"ret", {0x1c}},         {"spc", {0x39}},         {"esc", {0x01}},  {"tab", {0x0f}},
                          {"backspace", {0x0e}},   {"1", {0x02}},           {"0", {0x0b}},    {"f1", {0x3b}},
                          {"f7", {0x41}},          {"f10", {0x44}},         {"f11", {0x57}},  {"f12", {0x58}},
                          {"up", {0xe0, 0x48}},    {"down", {0xe0, 0x50}},  {"left", {0xe0, 0x4b}},
                          {"right", {0xe0, 0x4d}}, {"ctrl_r", {0xe0, 0x1d}}, {"z", {0x2c}}};
    for (const Case& c : cases) {
        mon->execute(std::string("sendkey ") + c.key + " 0");
        EXPECT_EQ(drain(), c.make) << c.key;  // the releases stay queued (no main loop here)
    }
}

TEST_F(SendkeyTest, UnknownKeyIsRejectedAndNothingIsPressed) {
    EXPECT_EQ(mon->execute("sendkey ctrl-foo"), "invalid parameter: foo\n");
    EXPECT_EQ(drain(), V());
    EXPECT_EQ(mon->execute("sendkey"), "Parameter 'keys' is missing\n");
}

TEST(Qcode, EveryLetterAndDigitIsNamed) {
    for (char ch = 'a'; ch <= 'z'; ch++) EXPECT_TRUE(find_qcode(std::string(1, ch))) << ch;
    for (char ch = '0'; ch <= '9'; ch++) EXPECT_TRUE(find_qcode(std::string(1, ch))) << ch;
    for (int f = 1; f <= 12; f++) EXPECT_TRUE(find_qcode("f" + std::to_string(f))) << f;
    EXPECT_FALSE(find_qcode("A"));  // exact names, as QEMU's
}

}  // namespace
