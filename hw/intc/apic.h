// The local APIC (Intel SDM Vol. 3A chapter 10, "Advanced Programmable Interrupt Controller
// (APIC)"), one per CPU, in xAPIC (MMIO page) and x2APIC (MSR 0x800-0x8ff) modes, and the
// ApicBus that carries interrupt messages between the local APICs and the IO APIC.
//
// The Apic maps nothing itself: the board maps one region at the APIC base (make_region) that
// dispatches to the APIC of the CPU doing the access, and routes RDMSR/WRMSR of 0x6e0 and
// 0x800-0x8ff to msr_read/msr_write. Signals to the CPU go through `cpu_signal` as
// x86::InterruptRequest bits (frontend-x86/cpu_state.h): IRQ_HARD is a level the APIC sets and
// clears; IRQ_NMI, IRQ_INIT, IRQ_SIPI and IRQ_SMI are events the APIC only sets and the CPU
// clears when it takes them.
//
// Time: the APIC timer counts at a 1 GHz bus clock (as QEMU's APIC_BUS_FREQUENCY), i.e. one tick
// per nanosecond of the injected ClockSource before the divider. TSC-deadline mode reads the
// guest TSC through `tsc` (default: the clock itself) running at `tsc_hz` (default 1 GHz).
//
// Not thread-safe: the board must serialize all calls (IPIs from other vCPUs included).
#pragma once
#include <array>
#include <functional>
#include <memory>
#include <vector>
#include "hw/core/irq.h"
#include "softmmu/clock.h"
#include "softmmu/device.h"

namespace vireo {

class MemoryRegion;
class Apic;

// ICR / redirection-entry delivery modes (SDM Vol. 3A 10.6.1, Figure 10-12).
enum class DeliveryMode : u8 {
    Fixed = 0,
    LowestPriority = 1,
    Smi = 2,
    Nmi = 4,
    Init = 5,
    StartUp = 6,
    ExtInt = 7,
};

// ICR destination shorthand (SDM Vol. 3A 10.6.1).
enum class Shorthand : u8 { None = 0, Self = 1, AllIncludingSelf = 2, AllExcludingSelf = 3 };

// One interrupt message on the APIC bus (system bus messages, SDM Vol. 3A 10.6).
struct ApicMessage {
    u32 dest = 0;             // physical APIC ID or logical MDA (8 bits xAPIC, 32 bits x2APIC)
    bool logical = false;     // destination mode
    Shorthand shorthand = Shorthand::None;
    DeliveryMode mode = DeliveryMode::Fixed;
    u8 vector = 0;
    bool level_triggered = false;  // trigger mode
    bool assert_level = true;      // ICR level bit: INIT with level 0 + level trigger = de-assert
    bool x2apic = false;           // 32-bit destination format: broadcast is 0xffffffff, not 0xff
    const Apic* source = nullptr;  // the sender for Self/AllExcludingSelf (nullptr: IO APIC)
};

// The interconnect between the local APICs and the IO APIC(s). The board owns one.
class ApicBus {
public:
    void add(Apic* apic) { apics_.push_back(apic); }
    const std::vector<Apic*>& apics() const { return apics_; }
    // Resolve the destinations of `m` and deliver it to each (one for lowest priority).
    void send(const ApicMessage& m);
    // EOI broadcast of a level-triggered vector (SDM Vol. 3A 10.8.5): to the IO APIC.
    void eoi(u8 vector) const {
        if (eoi_listener) eoi_listener(vector);
    }
    std::function<void(u8 vector)> eoi_listener;

private:
    std::vector<Apic*> apics_;
};

class Apic : public Device {
public:
    static constexpr u64 kBusHz = 1'000'000'000;  // timer input clock, as QEMU's APIC_BUS_FREQUENCY
    static constexpr u32 kVersion = 0x50014;      // version 0x14, max LVT entry 5 (as QEMU)
    static constexpr u64 kDefaultBase = 0xfee00000;
    static constexpr u64 kBaseBsp = 1u << 8, kBaseX2apic = 1u << 10, kBaseEnable = 1u << 11;
    static constexpr int kExtInt = -2;  // acknowledge(): ask the 8259 for the vector
    static constexpr u32 kMsrTscDeadline = 0x6e0;
    static constexpr u32 kMsrX2apicFirst = 0x800, kMsrX2apicLast = 0x8ff;

    // The BSP is the APIC with ID 0 until set_base says otherwise.
    Apic(u32 apic_id, ClockSource clock, ApicBus& bus);
    const char* type_name() const override { return "apic"; }
    // Maps nothing: the board maps make_region() once for all CPUs.
    void realize(Machine&) override {}
    // RESET (SDM Vol. 3A 10.4.7.1), IA32_APIC_BASE included (10.4.4: enabled, xAPIC, BSP flag
    // when the APIC ID is 0). The BSP's LINT0 comes up as ExtINT (as QEMU does, standing in for
    // the BIOS) so the 8259 reaches the CPU at once.
    void reset() override;
    void describe_state(StateVisitor& v) override;

    // xAPIC register page (SDM Vol. 3A 10.4.1, Table 10-1); offset within the 4 KiB page.
    // Registers sit on 16-byte boundaries and are accessed as aligned dwords.
    u32 mmio_read(u32 offset);
    void mmio_write(u32 offset, u32 value);
    // One region for the board to map at 0xfee00000; each access goes to current()'s APIC.
    static std::unique_ptr<MemoryRegion> make_region(std::function<Apic*()> current);

    // x2APIC MSRs 0x800-0x8ff (SDM Vol. 3A 10.12.1.2) and IA32_TSC_DEADLINE (10.5.4.1).
    // false = #GP (not in x2APIC mode, read-only/write-only/reserved register, reserved bits).
    bool msr_read(u32 index, u64& value);
    bool msr_write(u32 index, u64 value);

    // IA32_APIC_BASE changed (CpuState::apic_base; msr.cc validates the transition, SDM Vol. 3A
    // 10.12.5). Clearing bit 11 returns the APIC to its power-up state (10.4.3).
    void set_base(u64 apic_base);
    u64 base() const { return base_; }
    bool hw_enabled() const { return base_ & kBaseEnable; }
    bool x2apic_mode() const { return (base_ & (kBaseEnable | kBaseX2apic)) == (kBaseEnable | kBaseX2apic); }
    bool sw_enabled() const { return svr_ & kSvrEnable; }
    u32 id() const { return x2apic_mode() ? initial_id_ : id_; }  // the ID a destination matches

    // An interrupt message accepted from the bus (IO APIC or an IPI).
    void deliver(u8 vector, DeliveryMode mode, bool level_triggered);
    // LINT0/LINT1 input pins (SDM Vol. 3A 10.5.1): LINT0 usually carries the 8259's INTR in
    // ExtINT mode, LINT1 NMI. With the APIC hardware-disabled they are INTR and NMI (10.4.3).
    void set_lint(unsigned pin, bool level);
    IrqLine lint(unsigned pin);

    // CPU side. The highest IRR vector above the processor priority, or -1 (10.8.3.1).
    int pending_vector() const;
    // An ExtINT is pending: the vector comes from the 8259's INTA.
    bool has_extint() const;
    // INTA: moves the highest IRR bit to ISR and returns its vector; kExtInt if the vector must
    // come from the 8259 (the caller calls I8259::acknowledge()); the spurious vector when
    // nothing is deliverable any more (10.9); -1 when the APIC is hardware-disabled with no INTR.
    int acknowledge();
    // Start-up vector of the last SIPI (10.6.1: the AP starts at vector * 0x1000).
    u8 sipi_vector() const { return sipi_vector_; }
    // INIT (10.4.7.3): power-up state except the APIC ID and the APIC base (and x2APIC mode).
    // deliver(Init) already calls it; calling it again when the CPU takes IRQ_INIT is harmless.
    void init_reset();

    // Timer: the next expiry in clock ns (~0 = none) and bring the timer up to `now`.
    u64 next_event_ns() const { return timer_next_; }
    void update(u64 now);

    // Processor priority register (10.8.3.1), for lowest-priority arbitration.
    u8 ppr() const;
    // Whether this APIC is a destination of `m` (10.6.2).
    bool matches(const ApicMessage& m) const;

    // Outputs to the CPU: x86::InterruptRequest bits.
    std::function<void(u32 bits, bool set)> cpu_signal;
    // Guest TSC for TSC-deadline mode (unset: the clock), and its rate.
    ClockSource tsc;
    u64 tsc_hz = 1'000'000'000;

private:
    enum Lvt : unsigned { kLvtTimer, kLvtThermal, kLvtPerf, kLvtLint0, kLvtLint1, kLvtError, kLvtCount };
    static constexpr u32 kSvrEnable = 1u << 8;
    static constexpr u32 kLvtMasked = 1u << 16;
    using VecBits = std::array<u32, 8>;

    bool read_reg(unsigned idx, u64& v);           // idx = MMIO offset >> 4 = MSR - 0x800
    bool write_reg(unsigned idx, u64 v, bool x2);  // false: invalid in this mode (#GP / ESR)
    void write_lvt(unsigned lvt, u32 v);
    void write_svr(u32 v);
    void send_ipi(u32 lo, u32 dest);
    void eoi();
    void accept_fixed(u8 vector, bool level);
    void signal_error(u32 bit);
    void eval_lint(unsigned pin, bool prev_active);
    void update_irq();
    void signal(u32 bits, bool set) {
        if (cpu_signal) cpu_signal(bits, set);
    }
    void power_up_state();
    u64 now() const { return clock_(); }
    u64 tsc_now() const { return tsc ? tsc() : clock_(); }
    unsigned timer_mode() const { return (lvt_[kLvtTimer] >> 17) & 3; }
    unsigned timer_shift() const;
    u32 current_count(u64 now) const;
    void rearm_timer(u64 now);
    void timer_expired();
    u32 ldr() const;

    u32 initial_id_;
    ClockSource clock_;
    ApicBus& bus_;

    u64 base_;
    u32 id_;  // xAPIC ID register value (bits 31:24 of the register)
    u8 tpr_ = 0;
    u32 ldr_ = 0, dfr_ = 0xffffffff, svr_ = 0xff;
    VecBits isr_{}, tmr_{}, irr_{};
    u32 esr_ = 0, esr_pending_ = 0;
    u32 icr_lo_ = 0, icr_hi_ = 0;
    std::array<u32, kLvtCount> lvt_{};
    u32 initial_count_ = 0, dcr_ = 0;
    u64 timer_start_ = 0;        // clock ns at which the initial count was loaded
    u64 timer_next_ = ~0ull;     // clock ns of the next expiry
    u64 tsc_deadline_ = 0;       // IA32_TSC_DEADLINE (0 = disarmed)
    std::array<u8, 2> lint_level_{};
    u8 extint_msg_ = 0;          // an ExtINT message from the bus awaits INTA
    u8 sipi_vector_ = 0;
};

}  // namespace vireo
