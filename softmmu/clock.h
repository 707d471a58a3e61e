// Clock sources for devices that count time (ARCHITECTURE.md "Time"). A device takes a
// ClockSource instead of reading a host clock itself, so the machine can hand it the virtual
// clock (deterministic under -icount) and tests can hand it a ManualClock.
#pragma once
#include <functional>
#include "frontend-x86/types.h"

namespace vireo {

// Returns the current time in nanoseconds; it must never go backwards.
using ClockSource = std::function<u64()>;

// A clock that moves only when told to: for deterministic unit tests.
struct ManualClock {
    u64 now_ns = 0;
    void advance(u64 ns) { now_ns += ns; }
    ClockSource source() {
        return [this] { return now_ns; };
    }
};

}  // namespace vireo
