// Shared PC board pieces (pc_common.h).
#include "hw/i386/pc_common.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include "frontend-x86/cpu_model.h"
#include "hw/char/debugcon.h"
#include "hw/char/serial.h"
#include "softmmu/monitor.h"
#include "hw/pci/pci.h"

namespace vireo {

std::vector<u8> read_file(const std::string& path, const char* option) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw OptionError(std::string(option) + ": could not open '" + path + "'");
    return std::vector<u8>(std::istreambuf_iterator<char>(f), {});
}

void create_cpus(Machine& m, const VmConfig& cfg) {
    const std::string model_name = cfg.cpu_model.empty() ? "qemu64" : cfg.cpu_model;
    const x86::CpuModel* model = x86::find_cpu_model(model_name);
    if (!model) throw OptionError("-cpu: unknown CPU model '" + model_name + "'");
    for (unsigned i = 0; i < cfg.smp.cpus; i++) {
        x86::CpuState& c = m.add_cpu({});
        x86::cpu_apply_model(c, *model);
        m.reset_cpu(c);  // again: the model sets the reset signature
    }
    // -accel tcg,tier1=on[,tier1-threshold=N]: Vireo's tier 1 (jit/tier1.h), off by default.
    for (const KeyValues& a : cfg.accels) {
        if (a.get_or("accel", "") != "tcg") continue;
        if (!a.get_bool("tier1", false)) break;
        const u64 hot = a.get_number("tier1-threshold", 50000);
        if (hot == 0 || hot > 0xffffffffu) throw OptionError("-accel tcg: tier1-threshold must be 1 to 4294967295");
        if (!m.enable_tier1(static_cast<u32>(hot)))
            throw OptionError("-accel tcg,tier1=on: tier 1 cannot run in this binary (no symbol table?)");
        break;
    }
}

void add_user_devices(Machine& m, const VmConfig& cfg, PciBus* pci, const IsaIrqs& isa_irqs) {
    for (const DeviceSpec& d : cfg.devices) {
        const DeviceType* t = find_device_type(d.driver);
        if (!t) throw OptionError("-device " + d.driver + ": device '" + d.driver + "' is unknown or not supported yet");
        // -global DRIVER.PROP=VALUE is a default for every DRIVER: the device's own props win.
        KeyValues props;
        for (const GlobalProp& g : cfg.globals)
            if (g.driver == d.driver) props.add(g.property, g.value);
        props.append(d.props);
        auto dev = t->create(props);
        dev->id = d.id;
        if (auto* isa = dynamic_cast<IsaIrqUser*>(dev.get())) isa->connect_isa_irqs(isa_irqs);
        auto* pdev = dynamic_cast<PciDevice*>(dev.get());
        if (pdev) {
            if (!pci) throw OptionError("-device " + d.driver + ": this machine has no PCI bus");
            // addr=SLOT[.FN] (QEMU's PCI address property), else the first free slot.
            int devfn = -1;
            if (auto a = d.props.get("addr")) {
                unsigned slot = 0, fn = 0;
                char dot = 0;
                const int n = std::sscanf(a->c_str(), "%x%c%x", &slot, &dot, &fn);
                if (n < 1 || (n >= 2 && dot != '.') || n == 2 || slot > 31 || fn > 7)
                    throw OptionError("-device " + d.driver + ": Property 'addr' doesn't take value '" + *a + "'");
                devfn = static_cast<int>(slot << 3 | fn);
            } else {
                for (unsigned slot = 1; slot < 32 && devfn < 0; slot++)
                    if (!pci->device(slot << 3)) devfn = static_cast<int>(slot << 3);
            }
            if (devfn < 0) throw OptionError("-device " + d.driver + ": no free PCI slot");
            if (pci->device(static_cast<unsigned>(devfn)))
                throw OptionError("-device " + d.driver + ": PCI address " + d.props.get_or("addr", "") + " is in use");
            pdev->set_devfn(static_cast<u8>(devfn));
        }
        Device* added = m.add_device(std::move(dev));
        if (pdev) pci->plug(static_cast<PciDevice*>(added));
    }
}

void add_serial_ports(Machine& m, const VmConfig& cfg, const std::function<IrqLine(unsigned)>& isa_irq) {
    static constexpr u16 kPorts[4] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
    static constexpr unsigned kIrqs[4] = {4, 3, 4, 3};
    // QEMU's defaults (-nographic: mon:stdio), -chardev, "chardev:ID", "mon:DEV" (monitor.h).
    std::vector<Chardev*> chrs = create_serial_chardevs(m, cfg);
    if (chrs.size() > 4) throw OptionError("-serial: too many serial ports (at most 4)");
    for (unsigned port = 0; port < chrs.size(); port++) {
        auto uart = std::make_unique<Serial16550>(kPorts[port], kIrqs[port]);
        uart->set_chardev(chrs[port]);
        if (isa_irq) {
            IrqLine line = isa_irq(kIrqs[port]);
            uart->irq_line = [line](bool level) { line.set(level); };
        }
        m.set_serial(port, chrs[port]);
        m.add_device(std::move(uart));
    }
    create_monitors(m, cfg);  // -monitor, -mon, and -nographic's default monitor
}

void warn_ignored_globals(const VmConfig& cfg) {
    for (const GlobalProp& g : cfg.globals) {
        if (g.driver == "isa-debugcon" || find_device_type(g.driver)) continue;  // applied
        std::fprintf(stderr, "vireo: warning: -global %s: ignored (Vireo has no '%s' property to set)\n",
                     g.raw.c_str(), g.driver.c_str());
    }
}

void add_debugcons(Machine& m, const VmConfig& cfg) {
    u64 iobase = 0xe9;
    for (const GlobalProp& g : cfg.globals) {
        if (g.driver != "isa-debugcon") continue;
        if (g.property != "iobase") throw OptionError("-global " + g.raw + ": property '" + g.property + "' not found");
        KeyValues kv;
        kv.add("iobase", g.value);
        iobase = kv.get_number("iobase", 0xe9);
        if (iobase > 0xffff) throw OptionError("-global " + g.raw + ": iobase out of range");
    }
    for (const std::string& d : cfg.debugcons) {
        if (d == "none") continue;
        Chardev* chr = frontend_chardev(m, d, "-debugcon", "debugcon0");
        m.add_device(std::make_unique<DebugCon>(static_cast<u16>(iobase), 0xe9, chr));
    }
}

}  // namespace vireo
