// What the machine provides to a CPU: physical memory, I/O ports, interrupts, time, reset.
// Declared here (the CPU layer) and implemented by softmmu/, so dependencies point downward.
#pragma once
#include "frontend-x86/types.h"

namespace vireo::x86 {

class CpuHost {
public:
    virtual ~CpuHost() = default;
    // Host pointer to the 4 KiB page holding paddr if it is RAM (or ROM when !write), else
    // nullptr (MMIO, unassigned): accesses then go through phys_read/phys_write.
    virtual u8* ram_page(u64 paddr, bool write) = 0;
    virtual u64 phys_read(u64 paddr, unsigned size) = 0;
    virtual void phys_write(u64 paddr, u64 value, unsigned size) = 0;
    virtual u32 io_read(u16 port, unsigned size) = 0;
    virtual void io_write(u16 port, u32 value, unsigned size) = 0;
    // Self-modifying code: true if the page holds translated code. Writes to such pages go
    // through the slow path to phys_write(), which drops the page's translations (the same
    // path DMA writes take), so the CPU layer never invalidates blocks itself.
    virtual bool is_code_page(u64 paddr) = 0;
    // External interrupts: the vector to deliver, or -1 if none is pending any more.
    virtual int acknowledge_interrupt() = 0;
    // Triple fault / shutdown state (SDM Vol. 3A 6.15 "Interrupt 8"): the machine resets.
    virtual void shutdown_request(const char* why) = 0;
    virtual u64 tsc() = 0;            // time-stamp counter before the guest's offset
    virtual u64 random_u64() = 0;     // RDRAND/RDSEED source
    // MSRs the machine owns (e.g. the local APIC's); false: not handled here.
    virtual bool msr_read(u32 index, u64& value) { return false; }
    virtual bool msr_write(u32 index, u64 value) { return false; }
    // An MSR the CPU keeps itself was written (the APIC base: the machine's APIC follows it).
    virtual void msr_changed(u32 index, u64 value) {}
    // FERR#: a waiting x87 instruction found an unmasked exception pending with CR0.NE = 0
    // (SDM Vol. 1 8.7, D.2.1); a PC turns it into IRQ 13 (hw/misc/fpu_error.h).
    virtual void x87_ferr() {}
    // A debugger watches memory (gdbstub watchpoints): the engine sends every data access
    // through MMU_CHECKED, and the slow path reports each completed one here.
    virtual void debug_access(u64 lin, unsigned size, bool write) {}
    // Logging under -d: the category mask and the sink (nullptr when no log).
    virtual bool log_enabled(unsigned mask) { return false; }
    virtual void log(const char* text) {}
};

// -d categories (QEMU's names).
enum LogMask : unsigned {
    LOG_IN_ASM = 1u << 0, LOG_EXEC = 1u << 1, LOG_INT = 1u << 2, LOG_CPU = 1u << 3,
    LOG_MMU = 1u << 4, LOG_GUEST_ERRORS = 1u << 5, LOG_UNIMP = 1u << 6, LOG_NOCHAIN = 1u << 7,
};

}  // namespace vireo::x86
