// The q35 board (FIRMWARE.md; QEMU's "-M q35", pc-q35-7.2): the MCH and ICH9 on PCI bus 0,
// the legacy ISA devices behind the LPC bridge, a local APIC per CPU and the IOAPIC, fw_cfg
// for SeaBIOS, and SeaBIOS itself at the top of 4 GiB with its last 128 KiB at 0xe0000.
//
// Physical memory (QEMU pc_q35_init): RAM below 4 GiB ends at 2 GiB when RAM >= 2.75 GiB,
// else at 2.75 GiB (or the RAM size); the rest is above 4 GiB. The PCI side sits under RAM at
// lower priority: the BIOS ROM, the VGA window, the ECAM at PCIEXBAR and the BARs.
#include <ctime>
#include "frontend-x86/cpu_model.h"
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/msr.h"
#include "hw/acpi/acpi_tables.h"
#include "hw/acpi/ich9_pm.h"
#include "hw/boards.h"
#include "hw/display/vga_pci.h"
#include "hw/i386/linux_boot.h"
#include "hw/i386/multiboot.h"
#include "hw/i386/pc_common.h"
#include "hw/i386/pvh.h"
#include "hw/input/i8042.h"
#include "hw/intc/apic.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/isa/ich9_lpc.h"
#include "hw/misc/fpu_error.h"
#include "hw/misc/port92.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci-host/q35_mch.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_info.h"
#include "hw/smbios/smbios.h"
#include "hw/timer/hpet.h"
#include "hw/timer/i8254.h"
#include "hw/timer/mc146818.h"

namespace vireo {

extern const unsigned char multiboot_rom[], linuxboot_rom[], pvh_rom[];
extern const std::size_t multiboot_rom_size, linuxboot_rom_size, pvh_rom_size;

namespace {

constexpr u64 kGiB = 1ull << 30;

struct RamLayout {
    u64 below_4g, above_4g;
};

RamLayout q35_ram_layout(u64 ram_size) {
    // QEMU hw/i386/pc_q35.c: lowmem = 2 GiB if RAM >= 0xb0000000, else 0xb0000000.
    const u64 lowmem = ram_size >= 0xb0000000ull ? 0x80000000ull : 0xb0000000ull;
    if (ram_size >= lowmem) return {lowmem, ram_size - lowmem};
    return {ram_size, 0};
}

// -bios FILE, else bios-256k.bin; looked for as given, then in each -L directory, then in
// Debian's seabios package. (QEMU's own ROM directory is deliberately not searched.)
std::vector<u8> load_firmware(const VmConfig& cfg) {
    const std::string name = cfg.bios.empty() ? "bios-256k.bin" : cfg.bios;
    std::vector<std::string> candidates;
    if (!cfg.bios.empty()) candidates.push_back(name);
    for (const std::string& d : cfg.data_dirs) candidates.push_back(d + "/" + name);
    candidates.push_back("/usr/share/seabios/" + name);
    for (const std::string& p : candidates) {
        std::FILE* f = std::fopen(p.c_str(), "rb");
        if (!f) continue;
        std::fclose(f);
        std::vector<u8> rom = read_file(p, "-bios");
        // QEMU x86_bios_rom_init: a multiple of 64 KiB, at most 16 MiB.
        if (rom.empty() || rom.size() % 65536 || rom.size() > (16u << 20))
            throw OptionError("-bios: '" + p + "' has an invalid size (" + std::to_string(rom.size()) + " bytes)");
        return rom;
    }
    throw OptionError("-bios: could not find firmware '" + name + "' (install the seabios package or use -bios/-L)");
}

// The CMOS bytes QEMU's pc_cmos_init fills (FIRMWARE.md 4).
void fill_cmos(Mc146818& rtc, const VmConfig& cfg, const RamLayout& ram) {
    rtc.set_cmos(0x15, 640 & 0xff);  // base memory in KiB
    rtc.set_cmos(0x16, 640 >> 8);
    u64 ext_kb = ram.below_4g / 1024 > 1024 ? ram.below_4g / 1024 - 1024 : 0;  // above 1 MiB
    if (ext_kb > 65535) ext_kb = 65535;
    for (unsigned reg : {0x17u, 0x30u}) {
        rtc.set_cmos(reg, ext_kb & 0xff);
        rtc.set_cmos(reg + 1, static_cast<u8>(ext_kb >> 8));
    }
    u64 hi = ram.below_4g > (16u << 20) ? (ram.below_4g - (16u << 20)) >> 16 : 0;  // above 16 MiB
    if (hi > 65535) hi = 65535;
    rtc.set_cmos(0x34, hi & 0xff);
    rtc.set_cmos(0x35, static_cast<u8>(hi >> 8));
    const u64 above = ram.above_4g >> 16;
    rtc.set_cmos(0x5b, above & 0xff);
    rtc.set_cmos(0x5c, (above >> 8) & 0xff);
    rtc.set_cmos(0x5d, (above >> 16) & 0xff);
    rtc.set_cmos(0x5f, static_cast<u8>(cfg.smp.cpus - 1));
    // Boot order (QEMU set_boot_dev): a = 1 floppy, c = 2 disk, d = 3 CD-ROM, n = 4 network.
    std::string order = cfg.boot.get_or("order", "cad");
    u8 bds[3] = {0, 0, 0};
    for (size_t i = 0; i < order.size() && i < 3; i++) {
        switch (order[i]) {
        case 'a': bds[i] = 1; break;
        case 'c': bds[i] = 2; break;
        case 'd': bds[i] = 3; break;
        case 'n': bds[i] = 4; break;
        default: throw OptionError(std::string("-boot: invalid boot device '") + order[i] + "'");
        }
    }
    rtc.set_cmos(0x3d, static_cast<u8>(bds[1] << 4 | bds[0]));
    rtc.set_cmos(0x38, static_cast<u8>(bds[2] << 4 | 1));  // bit 0: no floppy boot signature check
    rtc.set_cmos(0x10, 0);  // no floppy drives
    rtc.set_cmos(0x14, 0x06);  // equipment: FPU, PS/2 mouse
}

// An option ROM image as SeaBIOS wants it (PCI Firmware 3.0 / BIOS Boot Specification): the
// size byte in 512-byte units and a checksum byte that makes all bytes sum to zero.
std::vector<u8> option_rom(const unsigned char* data, size_t size) {
    std::vector<u8> rom(data, data + size);
    rom.resize((rom.size() + 511) / 512 * 512, 0);
    rom[2] = static_cast<u8>(rom.size() / 512);
    rom.back() = 0;
    u8 sum = 0;
    for (u8 b : rom) sum = static_cast<u8>(sum + b);
    rom.back() = static_cast<u8>(-sum);
    return rom;
}

std::vector<u8> e820_table(const RamLayout& ram) {
    // etc/e820 (FIRMWARE.md 1): little-endian {u64 address, u64 length, u32 type}, 1 = RAM.
    std::vector<u8> t;
    auto entry = [&t](u64 addr, u64 len, u32 type) {
        for (int i = 0; i < 8; i++) t.push_back(static_cast<u8>(addr >> (8 * i)));
        for (int i = 0; i < 8; i++) t.push_back(static_cast<u8>(len >> (8 * i)));
        for (int i = 0; i < 4; i++) t.push_back(static_cast<u8>(type >> (8 * i)));
    };
    entry(0, ram.below_4g, 1);
    if (ram.above_4g) entry(4 * kGiB, ram.above_4g, 1);
    return t;
}

}  // namespace

std::unique_ptr<Machine> create_q35(const VmConfig& cfg) {
    const RamLayout ram = q35_ram_layout(cfg.ram_size);
    auto m = std::make_unique<Machine>(cfg, /*map_ram=*/false);
    Machine* mp = m.get();
    MemoryRegion& sys = m->system_memory();
    // 0xa0000-0xfffff is never plain DRAM: the MCH's SMRAM and PAM overlays decide it.
    if (ram.below_4g < (2u << 20)) throw OptionError("-m: the q35 machine needs at least 2 MiB of RAM");
    sys.add_subregion(m->own(MemoryRegion::alias("ram-low", m->ram_region(), 0, 0xa0000)), 0, 0);
    sys.add_subregion(m->own(MemoryRegion::alias("ram-below-4g", m->ram_region(), 0x100000, ram.below_4g - 0x100000)),
                      0x100000, 0);
    if (ram.above_4g)
        sys.add_subregion(m->own(MemoryRegion::alias("ram-above-4g", m->ram_region(), ram.below_4g, ram.above_4g)), 4 * kGiB, 0);
    // The PCI side of memory, under RAM.
    MemoryRegion* pci_mem = m->own(MemoryRegion::container("pci", 0));
    sys.add_subregion(pci_mem, 0, -1);
    // Firmware: the image at the top of 4 GiB, its last 128 KiB also at 0xe0000 ("isa-bios").
    const std::vector<u8> bios = load_firmware(cfg);
    MemoryRegion* bios_rom = m->own(MemoryRegion::rom("pc.bios", bios.size()));
    std::copy(bios.begin(), bios.end(), bios_rom->host());
    pci_mem->add_subregion(bios_rom, 4 * kGiB - bios.size(), 0);
    const u64 isa_size = std::min<u64>(bios.size(), 128 * 1024);
    pci_mem->add_subregion(m->own(MemoryRegion::alias("isa-bios", bios_rom, bios.size() - isa_size, isa_size)),
                           0x100000 - isa_size, 0);

    // CPUs, a local APIC each, the IOAPIC.
    create_cpus(*m, cfg);
    ApicBus* apic_bus = m->keep(std::make_unique<ApicBus>());
    std::vector<Apic*> apics;
    for (auto& v : m->cpus()) {
        x86::CpuState* c = v.state.get();
        auto apic = std::make_unique<Apic>(c->cpu_index, m->clock(), *apic_bus);
        Apic* a = apic.get();
        a->tsc = [mp, c] { return mp->tsc() + static_cast<u64>(c->tsc_offset); };
        a->cpu_signal = [c, a](u32 bits, bool set) {
            if (bits & x86::IRQ_SIPI) c->sipi_vector = a->sipi_vector();
            if (set) c->interrupt_request.fetch_or(bits);
            else c->interrupt_request.fetch_and(~bits);
        };
        a->set_base(c->apic_base);
        apic_bus->add(a);
        apics.push_back(a);
        m->add_timer([a] { return a->next_event_ns(); }, [a](u64 now) { a->update(now); });
        m->add_device(std::move(apic));
    }
    auto current_apic = [mp, apics]() -> Apic* {
        x86::CpuState* c = mp->current_cpu();
        return apics[c ? c->cpu_index : 0];
    };
    sys.add_subregion(m->own(Apic::make_region(current_apic)), Apic::kDefaultBase, 2);
    m->msr_read_hook = [current_apic](u32 index, u64& v) { return current_apic()->msr_read(index, v); };
    m->msr_write_hook = [current_apic](u32 index, u64 v) { return current_apic()->msr_write(index, v); };
    m->msr_changed_hook = [current_apic](u32 index, u64 v) {
        if (index == x86::MSR_APIC_BASE) current_apic()->set_base(v);
    };
    auto ioapic_dev = std::make_unique<IoApic>(*apic_bus);
    IoApic* ioapic = ioapic_dev.get();
    m->add_device(std::move(ioapic_dev));

    // The 8259 pair reaches the CPUs through LINT0 (ExtINT); INTA asks it for the vector.
    auto pic_dev = std::make_unique<I8259>();
    I8259* pic = pic_dev.get();
    pic->intr = IrqLine("intr", [apics](bool level) {
        for (Apic* a : apics) a->set_lint(0, level);
    });
    m->add_device(std::move(pic_dev));
    m->irq_ack = [current_apic, pic]() {
        const int v = current_apic()->acknowledge();
        return v == Apic::kExtInt ? pic->acknowledge() : v;
    };
    // ISA IRQ n: 8259 input n and IOAPIC pin n, except IRQ0 on pin 2 (the MADT override).
    auto isa_irq = [pic, ioapic](unsigned n) {
        return IrqLine("isa-irq" + std::to_string(n), [pic, ioapic, n](bool level) {
            if (n < 16) pic->set_irq(n, level);
            if (n < IoApic::kPins) ioapic->set_irq(n == 0 ? 2 : n, level);
        });
    };

    // PCI: the host bridge's configuration ports, MCH 00:00.0, LPC 00:1f.0.
    PciBus* pci = m->keep(std::make_unique<PciBus>(pci_mem, &m->io_space()));
    m->add_device(std::make_unique<PciConfigPorts>(*pci));
    auto mch_dev = std::make_unique<Q35Mch>(m->ram_region(), pci_mem, &sys, ram.below_4g);
    pci->plug(mch_dev.get());
    m->add_device(std::move(mch_dev));
    auto pm_dev = std::make_unique<Ich9Pm>(m->clock());
    Ich9Pm* pm = pm_dev.get();
    m->add_device(std::move(pm_dev));
    m->add_timer([pm] { return pm->next_event_ns(); }, [pm](u64 now) { pm->update(now); });
    pm->on_power_off = [mp] { mp->guest_shutdown(); };
    m->on_powerdown = [pm] { pm->power_button(); };
    auto lpc_dev = std::make_unique<Ich9Lpc>(*pm);
    Ich9Lpc* lpc = lpc_dev.get();
    pci->plug(lpc);
    m->add_device(std::move(lpc_dev));
    lpc->pic_irq = [pic](unsigned irq, bool level) { pic->set_irq(irq, level); };
    lpc->ioapic_irq = [ioapic](unsigned gsi, bool level) { ioapic->set_irq(gsi, level); };
    lpc->on_reset_request = [mp] { mp->request_reset(); };
    pci->route_intx = [lpc](PciDevice& d, unsigned pin, bool level) { lpc->pci_intx(d, pin, level); };

    // Legacy devices behind the LPC.
    // With the HPET in legacy replacement mode its timers 0 and 1 take over IRQ0 and IRQ8
    // (HPET 1.0a 2.3.9.2.2): the PIT's and RTC's outputs are cut off meanwhile.
    auto legacy = std::make_shared<bool>(false);
    auto gated = [legacy](IrqLine line) {
        return IrqLine(line.name, [legacy, line](bool level) { line.set(level && !*legacy); });
    };
    auto pit_dev = std::make_unique<I8254>(m->clock());
    I8254* pit = pit_dev.get();
    pit->irq0 = gated(isa_irq(0));
    m->add_timer([pit] { return pit->next_event_ns(); }, [pit](u64 now) { pit->update(now); });
    m->add_device(std::move(pit_dev));
    auto rtc_dev = std::make_unique<Mc146818>(m->clock(), static_cast<u64>(std::time(nullptr)));
    Mc146818* rtc = rtc_dev.get();
    rtc->irq = gated(isa_irq(8));
    m->add_timer([rtc] { return rtc->next_event_ns(); }, [rtc](u64 now) { rtc->update(now); });
    m->add_device(std::move(rtc_dev));
    fill_cmos(*rtc, cfg, ram);
    if (cfg.machine_props.get_bool("hpet", true)) {
        auto hpet_dev = std::make_unique<Hpet>(m->clock());
        Hpet* hpet = hpet_dev.get();
        for (unsigned n = 0; n < IoApic::kPins; n++) hpet->ioapic[n] = ioapic->input(n);
        hpet->pic_irq0 = pic->input(0);
        hpet->pic_irq8 = pic->input(8);
        hpet->on_legacy_change = [legacy, pic, ioapic](bool on) {
            *legacy = on;
            if (!on) return;
            pic->set_irq(0, false);
            ioapic->set_irq(2, false);
            pic->set_irq(8, false);
            ioapic->set_irq(8, false);
        };
        m->add_timer([hpet] { return hpet->next_event_ns(); }, [hpet](u64 now) { hpet->update(now); });
        m->add_device(std::move(hpet_dev));
    }
    auto kbc_dev = std::make_unique<I8042>();
    I8042* kbc = kbc_dev.get();
    m->key_event = [kbc](u16 set2, bool down) { kbc->keyboard().key_event(set2, down); };
    kbc_dev->irq1 = isa_irq(1);
    kbc_dev->irq12 = isa_irq(12);
    kbc_dev->on_reset_request = [mp] { mp->request_reset(); };
    m->add_device(std::move(kbc_dev));
    auto p92 = std::make_unique<Port92>();
    p92->on_reset_request = [mp] { mp->request_reset(); };
    m->add_device(std::move(p92));
    auto fpu_err = std::make_unique<FpuError>();
    fpu_err->irq13 = isa_irq(13);
    m->add_device(std::move(fpu_err));

    // fw_cfg: what SeaBIOS reads (FIRMWARE.md 1).
    auto fw_dev = std::make_unique<FwCfg>(m->memory());
    FwCfg* fw = fw_dev.get();
    m->add_device(std::move(fw_dev));
    namespace k = fw_cfg_key;
    fw->add_bytes(k::kUuid, std::vector<u8>(16, 0));
    fw->add_u64(k::kRamSize, cfg.ram_size);
    fw->add_u16(k::kNoGraphic, cfg.nographic ? 1 : 0);
    fw->add_u16(k::kNbCpus, static_cast<u16>(cfg.smp.cpus));
    fw->add_u16(k::kMaxCpus, static_cast<u16>(cfg.smp.max_cpus));
    fw->add_u16(k::kBootMenu, cfg.boot.get_bool("menu", false) ? 1 : 0);
    // NUMA: node count 0, then one u64 per possible CPU (no NUMA).
    fw->add_bytes(k::kNuma, std::vector<u8>(8 * (1 + cfg.smp.max_cpus), 0));
    fw->add_u32(k::kIrq0Override, 1);  // IRQ0 is on IOAPIC pin 2
    fw->add_file("etc/e820", e820_table(ram));
    // ACPI (FIRMWARE.md 5): SeaBIOS runs the table loader and, seeing it, moves PMBASE to 0x600.
    AcpiConfig acpi;
    acpi.cpus = cfg.smp.cpus;
    acpi.ram_below_4g = ram.below_4g;
    acpi.ram_above_4g = ram.above_4g;
    acpi.hpet = cfg.machine_props.get_bool("hpet", true);
    install_acpi(*fw, build_q35_acpi(acpi));
    // SMBIOS (FIRMWARE.md 1): ours, as QEMU's pc-q35-7.2 builds them; SeaBIOS adds only type 0.
    SmbiosConfig smbios;
    smbios.cpus = cfg.smp.cpus;
    smbios.sockets = cfg.smp.sockets;
    smbios.dies = cfg.smp.dies;
    smbios.cores = cfg.smp.cores;
    smbios.threads = cfg.smp.threads;
    smbios.ram_size = cfg.ram_size;
    smbios.ram_below_4g = ram.below_4g;
    smbios.ram_above_4g = ram.above_4g;
    const x86::CpuidResult id1 = x86::cpuid(*m->cpus().front().state, 1, 0);
    smbios.cpuid_version = id1.eax;
    smbios.cpuid_features = id1.edx;
    install_smbios(*fw, smbios);
    if (cfg.boot.has("splash-time")) {
        const u64 ms = cfg.boot.get_number("splash-time", 0);
        fw->add_file("etc/boot-menu-wait", {static_cast<u8>(ms), static_cast<u8>(ms >> 8)});
    }
    if (cfg.boot.has("reboot-timeout")) {
        const u32 t = static_cast<u32>(cfg.boot.get_number("reboot-timeout", 0));
        fw->add_file("etc/boot-fail-wait", {static_cast<u8>(t), static_cast<u8>(t >> 8), static_cast<u8>(t >> 16),
                                            static_cast<u8>(t >> 24)});
    }

    add_std_vga(*m, *pci, cfg);  // 00:01.0, as QEMU places the default VGA
    add_user_devices(*m, cfg, pci, isa_irq);
    warn_ignored_globals(cfg);
    if (!cfg.kernel.empty()) {
        // As QEMU: the kernel goes through fw_cfg, and an option ROM of Vireo's own that SeaBIOS
        // boots first puts it in place and enters it.
        const std::vector<u8> image = read_file(cfg.kernel, "-kernel");
        std::string rom_name;
        if (is_linux_kernel(image)) {
            std::vector<u8> initrd;
            if (!cfg.initrd.empty()) initrd = read_file(cfg.initrd, "-initrd");
            LinuxBootImage lb = linux_boot_build(image, std::move(initrd), cfg.append, cfg.kernel, cfg.initrd, ram.below_4g);
            fw->add_u32(k::kSetupAddr, LinuxBootImage::kSetupAddr);
            fw->add_u32(k::kSetupSize, static_cast<u32>(lb.setup.size()));
            fw->add_bytes(k::kSetupData, std::move(lb.setup));
            fw->add_u32(k::kKernelAddr, LinuxBootImage::kKernelAddr);
            fw->add_u32(k::kKernelSize, static_cast<u32>(lb.kernel.size()));
            fw->add_bytes(k::kKernelData, std::move(lb.kernel));
            fw->add_u32(k::kInitrdAddr, lb.initrd_addr);
            fw->add_u32(k::kInitrdSize, static_cast<u32>(lb.initrd.size()));
            fw->add_bytes(k::kInitrdData, std::move(lb.initrd));
            fw->add_u32(k::kCmdlineAddr, LinuxBootImage::kCmdlineAddr);
            fw->add_u32(k::kCmdlineSize, static_cast<u32>(lb.cmdline.size()));
            fw->add_bytes(k::kCmdlineData, std::move(lb.cmdline));
            rom_name = "linuxboot.bin";
            fw->add_file("genroms/" + rom_name, option_rom(linuxboot_rom, linuxboot_rom_size));
        } else if (is_multiboot(image)) {
            if (!cfg.initrd.empty()) throw OptionError("-initrd: Multiboot modules are not supported yet");
            const MultibootImage mb = multiboot_build(image, cfg.append, cfg.kernel, ram.below_4g);
            fw->add_u32(k::kKernelAddr, static_cast<u32>(mb.load_addr));
            fw->add_u32(k::kKernelSize, static_cast<u32>(mb.image.size()));
            fw->add_bytes(k::kKernelData, mb.image);
            fw->add_u32(k::kKernelEntry, mb.entry);
            fw->add_u32(k::kSetupAddr, static_cast<u32>(mb.info_addr));
            fw->add_u32(k::kSetupSize, static_cast<u32>(mb.info.size()));
            fw->add_bytes(k::kSetupData, mb.info);
            rom_name = "multiboot.bin";
            fw->add_file("genroms/" + rom_name, option_rom(multiboot_rom, multiboot_rom_size));
        } else if (is_pvh_kernel(image)) {
            std::vector<u8> initrd;
            if (!cfg.initrd.empty()) initrd = read_file(cfg.initrd, "-initrd");
            PvhImage pvh = pvh_build(image, std::move(initrd), cfg.append, cfg.kernel, cfg.initrd, ram.below_4g);
            fw->add_u32(k::kKernelAddr, static_cast<u32>(pvh.kernel.load_addr));
            fw->add_u32(k::kKernelSize, static_cast<u32>(pvh.kernel.bytes.size()));
            fw->add_bytes(k::kKernelData, std::move(pvh.kernel.bytes));
            fw->add_u32(k::kKernelEntry, pvh.entry);
            fw->add_u32(k::kSetupAddr, PvhImage::kInfoAddr);
            fw->add_u32(k::kSetupSize, static_cast<u32>(pvh.info.size()));
            fw->add_bytes(k::kSetupData, std::move(pvh.info));
            fw->add_u32(k::kInitrdAddr, pvh.initrd_addr);
            fw->add_u32(k::kInitrdSize, static_cast<u32>(pvh.initrd.size()));
            fw->add_bytes(k::kInitrdData, std::move(pvh.initrd));
            fw->add_u32(k::kCmdlineAddr, PvhImage::kCmdlineAddr);
            fw->add_u32(k::kCmdlineSize, static_cast<u32>(pvh.cmdline.size()));
            fw->add_bytes(k::kCmdlineData, std::move(pvh.cmdline));
            rom_name = "pvh.bin";
            fw->add_file("genroms/" + rom_name, option_rom(pvh_rom, pvh_rom_size));
        } else {
            throw OptionError("-kernel: " + cfg.kernel + ": not a Linux bzImage, a Multiboot kernel or a PVH ELF");
        }
        const std::string order = "/rom@genroms/" + rom_name + "\n";
        fw->add_file("bootorder", std::vector<u8>(order.begin(), order.end()));
    } else if (!cfg.initrd.empty()) {
        throw OptionError("-initrd: only allowed with -kernel");
    }

    // Chardevs last: an error above must not leave a half-written file behind.
    add_serial_ports(*m, cfg, isa_irq);
    add_debugcons(*m, cfg);
    m->describe_pci = [pci] { return describe_pci_bus(*pci); };
    m->device_props = [](const Device& d) -> std::string {  // `info qtree`: PCI addresses
        auto* p = dynamic_cast<const PciDevice*>(&d);
        if (!p) return {};
        char b[24];
        std::snprintf(b, sizeof b, "addr = %02x.%x", p->slot(), p->function());
        return b;
    };
    for (auto& d : m->devices()) d->reset();
    return m;
}

}  // namespace vireo
