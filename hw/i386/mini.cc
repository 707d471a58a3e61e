// The "mini" board: RAM, the 8259 PIC pair and 8254 PIT (IRQ0), COM1-COM4 16550 UARTs wired
// to -serial, and the devices given with
// -device. It is the machine for bare-metal tests until the q35 board exists (issue "q35
// platform"); -kernel takes a Multiboot image, loaded directly.
#include "hw/boards.h"
#include "hw/char/serial.h"
#include "hw/intc/i8259.h"
#include "hw/timer/i8254.h"
#include "hw/i386/multiboot.h"
#include "hw/i386/pc_common.h"

namespace vireo {

std::unique_ptr<Machine> create_mini(const VmConfig& cfg) {
    auto m = std::make_unique<Machine>(cfg);
    create_cpus(*m, cfg);
    // The legacy interrupt controller and timer: PIT OUT0 -> PIC IR0, PIC INTR -> CPU 0
    // (the INTA cycle is the CPU's acknowledge_interrupt()).
    auto pic = std::make_unique<I8259>();
    auto pit = std::make_unique<I8254>(m->clock());
    I8259* pic_p = pic.get();
    I8254* pit_p = pit.get();
    x86::CpuState* bsp = m->cpus()[0].state.get();
    pic->intr = IrqLine("intr", [bsp](bool level) {
        if (level) bsp->interrupt_request.fetch_or(x86::IRQ_HARD);
        else bsp->interrupt_request.fetch_and(~x86::IRQ_HARD);
    });
    pit->irq0 = pic->input(0);
    m->irq_ack = [pic_p] { return pic_p->acknowledge(); };
    m->add_timer([pit_p] { return pit_p->next_event_ns(); }, [pit_p](u64 now) { pit_p->update(now); });
    m->add_device(std::move(pic));
    m->add_device(std::move(pit));
    add_user_devices(*m, cfg, nullptr, [pic_p](unsigned irq) { return pic_p->input(irq); });
    warn_ignored_globals(cfg);
    if (!cfg.kernel.empty()) {
        auto image = std::make_shared<std::vector<u8>>(read_file(cfg.kernel, "-kernel"));
        if (!is_multiboot(*image))
            throw OptionError("-kernel: " + cfg.kernel + ": not a Multiboot image (the mini machine boots only Multiboot)");
        Machine* mp = m.get();
        auto load = [mp, image, &cfg]() { multiboot_load(*mp, *mp->cpus()[0].state, *image, cfg.append, cfg.kernel); };
        load();
        m->on_reset = load;
    } else if (!cfg.initrd.empty()) {
        throw OptionError("-initrd: only allowed with -kernel");
    }
    // Chardevs last: an error above must not leave a half-written -serial file behind.
    add_serial_ports(*m, cfg, [pic_p](unsigned irq) { return pic_p->input(irq); });
    add_debugcons(*m, cfg);
    return m;
}

}  // namespace vireo
