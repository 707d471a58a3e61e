// Key names of QEMU's QKeyCode (qapi/ui.json: "a", "ret", "shift_r", "f12", "kp_enter", ...),
// as the monitor's sendkey takes them, each with the key's PS/2 scan code set 2 make code:
// the code a Machine's key_event hook takes (hw/input/ps2.h: 0xE0xx for extended keys).
#pragma once
#include <optional>
#include <span>
#include <string_view>
#include "frontend-x86/types.h"

namespace vireo {

struct QKey {
    const char* name;  // QEMU's qcode name
    u16 set2;          // make code in scan code set 2
};

// The whole table, in QKeyCode order.
std::span<const QKey> qkeys();
// The set 2 code of a qcode name (exact, as QEMU's index_from_key), or nothing.
std::optional<u16> find_qcode(std::string_view name);

}  // namespace vireo
