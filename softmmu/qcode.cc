// QKeyCode names and their scan code set 2 codes (qcode.h). Names: QEMU qapi/ui.json
// QKeyCode; codes: IBM PS/2 Technical Reference "Keyboard" scan code set 2 table (the same
// codes QEMU's hw/input/ps2.c qcode_to_keycode_set2[] has). Print Screen and Pause send
// multi-byte sequences no single code stands for, and are left out.
#include "softmmu/qcode.h"

namespace vireo {

namespace {

constexpr QKey kKeys[] = {
    {"shift", 0x12}, {"shift_r", 0x59}, {"alt", 0x11}, {"alt_r", 0xe011}, {"ctrl", 0x14}, {"ctrl_r", 0xe014},
    {"menu", 0xe02f}, {"esc", 0x76},
    {"1", 0x16}, {"2", 0x1e}, {"3", 0x26}, {"4", 0x25}, {"5", 0x2e}, {"6", 0x36}, {"7", 0x3d}, {"8", 0x3e},
    {"9", 0x46}, {"0", 0x45}, {"minus", 0x4e}, {"equal", 0x55}, {"backspace", 0x66}, {"tab", 0x0d},
    {"q", 0x15}, {"w", 0x1d}, {"e", 0x24}, {"r", 0x2d}, {"t", 0x2c}, {"y", 0x35}, {"u", 0x3c}, {"i", 0x43},
    {"o", 0x44}, {"p", 0x4d}, {"bracket_left", 0x54}, {"bracket_right", 0x5b}, {"ret", 0x5a},
    {"a", 0x1c}, {"s", 0x1b}, {"d", 0x23}, {"f", 0x2b}, {"g", 0x34}, {"h", 0x33}, {"j", 0x3b}, {"k", 0x42},
    {"l", 0x4b}, {"semicolon", 0x4c}, {"apostrophe", 0x52}, {"grave_accent", 0x0e}, {"backslash", 0x5d},
    {"z", 0x1a}, {"x", 0x22}, {"c", 0x21}, {"v", 0x2a}, {"b", 0x32}, {"n", 0x31}, {"m", 0x3a},
    {"comma", 0x41}, {"dot", 0x49}, {"slash", 0x4a}, {"asterisk", 0x7c}, {"spc", 0x29}, {"caps_lock", 0x58},
    {"f1", 0x05}, {"f2", 0x06}, {"f3", 0x04}, {"f4", 0x0c}, {"f5", 0x03}, {"f6", 0x0b}, {"f7", 0x83},
    {"f8", 0x0a}, {"f9", 0x01}, {"f10", 0x09}, {"num_lock", 0x77}, {"scroll_lock", 0x7e},
    {"kp_divide", 0xe04a}, {"kp_multiply", 0x7c}, {"kp_subtract", 0x7b}, {"kp_add", 0x79},
    {"kp_enter", 0xe05a}, {"kp_decimal", 0x71}, {"sysrq", 0x84},
    {"kp_0", 0x70}, {"kp_1", 0x69}, {"kp_2", 0x72}, {"kp_3", 0x7a}, {"kp_4", 0x6b}, {"kp_5", 0x73},
    {"kp_6", 0x74}, {"kp_7", 0x6c}, {"kp_8", 0x75}, {"kp_9", 0x7d},
    {"less", 0x61}, {"f11", 0x78}, {"f12", 0x07},
    {"home", 0xe06c}, {"pgup", 0xe07d}, {"pgdn", 0xe07a}, {"end", 0xe069},
    {"left", 0xe06b}, {"up", 0xe075}, {"down", 0xe072}, {"right", 0xe074}, {"insert", 0xe070}, {"delete", 0xe071},
    {"meta_l", 0xe01f}, {"meta_r", 0xe027},
};

}  // namespace

std::span<const QKey> qkeys() { return kKeys; }

std::optional<u16> find_qcode(std::string_view name) {
    for (const QKey& k : kKeys)
        if (name == k.name) return k.set2;
    return std::nullopt;
}

}  // namespace vireo
