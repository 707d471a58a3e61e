// The "mini" board: RAM, the 8259 PIC pair and 8254 PIT (IRQ0), COM1-COM4 16550 UARTs wired
// to -serial, and the devices given with
// -device. It is the machine for bare-metal tests until the q35 board exists (issue "q35
// platform"); -kernel takes a Multiboot image, loaded directly.
#include <fstream>
#include <iterator>
#include "frontend-x86/cpu_model.h"
#include "hw/boards.h"
#include "hw/char/serial.h"
#include "hw/intc/i8259.h"
#include "hw/timer/i8254.h"
#include "hw/i386/multiboot.h"

namespace vireo {

namespace {

std::vector<u8> read_file(const std::string& path, const char* option) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw OptionError(std::string(option) + ": could not open '" + path + "'");
    return std::vector<u8>(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

std::unique_ptr<Machine> create_mini(const VmConfig& cfg) {
    auto m = std::make_unique<Machine>(cfg);
    const std::string model_name = cfg.cpu_model.empty() ? "qemu64" : cfg.cpu_model;
    const x86::CpuModel* model = x86::find_cpu_model(model_name);
    if (!model) throw OptionError("-cpu: unknown CPU model '" + model_name + "'");
    for (unsigned i = 0; i < cfg.smp.cpus; i++) {
        x86::CpuState& c = m->add_cpu({});
        x86::cpu_apply_model(c, *model);
        m->reset_cpu(c);  // again: the model sets the reset signature
    }
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
    for (const DeviceSpec& d : cfg.devices) {
        const DeviceType* t = find_device_type(d.driver);
        if (!t) throw OptionError("-device " + d.driver + ": device '" + d.driver + "' is unknown or not supported yet");
        auto dev = t->create(d.props);
        dev->id = d.id;
        m->add_device(std::move(dev));
    }
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
    // COM1..COM4 (ISA ports 0x3f8, 0x2f8, 0x3e8, 0x2e8; IRQ 4, 3, 4, 3).
    static constexpr u16 kPorts[4] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
    static constexpr unsigned kIrqs[4] = {4, 3, 4, 3};
    std::vector<std::string> serials = cfg.serials;
    if (serials.empty() && !cfg.nodefaults) serials.push_back(cfg.nographic ? "stdio" : "null");
    unsigned port = 0;
    for (const std::string& s : serials) {
        if (s == "none") continue;
        if (port == 4) throw OptionError("-serial: too many serial ports (at most 4)");
        Chardev* chr = m->add_chardev(chardev_from_shorthand(s, "-serial"));
        auto uart = std::make_unique<Serial16550>(kPorts[port], kIrqs[port]);
        uart->set_chardev(chr);
        m->set_serial(port, chr);
        m->add_device(std::move(uart));
        port++;
    }
    return m;
}

}  // namespace vireo
