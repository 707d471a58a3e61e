// QEMU's standard VGA on PCI (vga_pci.h).
#include "hw/display/vga_pci.h"
#include "hw/display/vga_render.h"

#include <cstdio>
#include <cstring>
#include "hw/i386/pc_common.h"
#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

namespace {

// QEMU's extended registers at BAR2 + 0x600 (docs/specs/standard-vga.rst).
constexpr u64 kQextOffset = 0x600, kQextSize = 8;
constexpr u32 kQextLittleEndian = 0x1e1e1e1e, kQextBigEndian = 0xbebebebe;
constexpr u64 kVgaPortsOffset = 0x400, kDispiOffset = 0x500;

u64 pow2_at_least(u64 n) {
    u64 p = 1;
    while (p < n) p <<= 1;
    return p;
}

// The VGA BIOS file, as load_firmware finds the system BIOS: -L directories, then Debian's
// seabios package. Empty when not found.
std::vector<u8> find_vga_bios(const VmConfig& cfg, const char* name) {
    std::vector<std::string> candidates;
    for (const std::string& d : cfg.data_dirs) candidates.push_back(d + "/" + name);
    candidates.push_back(std::string("/usr/share/seabios/") + name);
    for (const std::string& p : candidates) {
        std::FILE* f = std::fopen(p.c_str(), "rb");
        if (!f) continue;
        std::fclose(f);
        return read_file(p, "-vga");
    }
    return {};
}

// Does the command line put a chardev on the process's stdio (-serial stdio, -monitor stdio,
// -chardev stdio,..., mon:stdio)? Then stdout is theirs, not the text console's.
bool stdio_taken(const VmConfig& cfg) {
    auto is_stdio = [](const std::string& dev) { return dev == "stdio" || dev.rfind("mon:stdio", 0) == 0; };
    for (const ChardevSpec& c : cfg.chardevs)
        if (c.backend == "stdio") return true;
    for (const std::string& d : cfg.serials)
        if (is_stdio(d)) return true;
    for (const std::string& d : cfg.debugcons)
        if (is_stdio(d)) return true;
    for (const MonitorSpec& mon : cfg.monitors)
        if (is_stdio(mon.device)) return true;
    return false;
}

}  // namespace

StdVga::StdVga(Machine& m, u8 devfn, u32 vram_mb, const std::vector<u8>& rom)
    : PciDevice(devfn, 0x1234, 0x1111, 0x030000, /*revision=*/2) {
    // Revision 2 announces the QEMU extended registers (QEMU vga-pci.c).
    set16(kPciSubsystemVendorId, 0x1af4);
    set16(kPciSubsystemId, 0x1100);
    vram_ = m.own(MemoryRegion::ram("vga.vram", u64(vram_mb) << 20));
    register_bar(0, PciBarType::Mem32, vram_);
    set32(kPciBar0, cfg32(kPciBar0) | 0x8);  // prefetchable (PCI 3.0 6.2.5.1, bit 3)
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) { return mmio_read(off, size); };
    ops.write = [this](u64 off, u64 v, unsigned size) { mmio_write(off, v, size); };
    ops.min_access = 1;
    ops.max_access = 4;
    mmio_ = m.own(MemoryRegion::io("vga.mmio", kMmioSize, ops));
    register_bar(2, PciBarType::Mem32, mmio_);
    if (!rom.empty()) {
        MemoryRegion* r = m.own(MemoryRegion::rom("vga.rom", pow2_at_least(std::max<size_t>(rom.size(), 2048))));
        std::memcpy(r->host(), rom.data(), rom.size());
        register_rom(r);
        has_rom_ = true;
    }
    core_ = std::make_unique<VgaCore>(vram_->host(), static_cast<u32>(vram_->size()));
}

void StdVga::realize(Machine& m) {
    // Legacy ports: one byte at a time (a word write is index then data, low byte first).
    MemoryOps ports;
    ports.read = [this](u64 off, unsigned) -> u64 { return core_->port_read(static_cast<u16>(0x3b0 + off)); };
    ports.write = [this](u64 off, u64 v, unsigned) { core_->port_write(static_cast<u16>(0x3b0 + off), static_cast<u8>(v)); };
    ports.min_access = ports.max_access = 1;
    m.io_space().add_subregion(m.own(MemoryRegion::io("vga", 0x30, ports)), 0x3b0);
    // Bochs dispi (Bochs vbe.h): the 16-bit index register at 0x1ce and the data register
    // at 0x1cf; QEMU's x86 VGAs also answer data at 0x1d0.
    MemoryOps dispi;
    dispi.read = [this](u64 off, unsigned) -> u64 { return off == 0 ? core_->dispi_index() : core_->dispi_read(); };
    dispi.write = [this](u64 off, u64 v, unsigned) {
        if (off == 0) core_->set_dispi_index(static_cast<u16>(v));
        else core_->dispi_write(static_cast<u16>(v));
    };
    dispi.min_access = 1;
    dispi.max_access = 2;
    m.io_space().add_subregion(m.own(MemoryRegion::io("vbe", 3, dispi)), 0x1ce);
    // The legacy window on the PCI side of memory; the MCH routes 0xa0000-0xbffff there
    // unless SMRAM is open.
    MemoryOps win;
    win.read = [this](u64 off, unsigned) -> u64 { return core_->mem_read(static_cast<u32>(off)); };
    win.write = [this](u64 off, u64 v, unsigned) { core_->mem_write(static_cast<u32>(off), static_cast<u8>(v)); };
    win.min_access = win.max_access = 1;
    bus()->memory()->add_subregion(m.own(MemoryRegion::io("vga-lowmem", 0x20000, win)), 0xa0000, 1);
}

void StdVga::reset() {
    PciDevice::reset();
    core_->reset();
    big_endian_fb_ = false;
}

void StdVga::describe_state(StateVisitor& v) {
    PciDevice::describe_state(v);
    core_->describe_state(v);
    v.field("big_endian_fb", &big_endian_fb_, sizeof big_endian_fb_);
}

u64 StdVga::mmio_read(u64 off, unsigned size) {
    u64 v = 0;
    if (off >= kVgaPortsOffset && off + size <= kVgaPortsOffset + 0x20) {
        for (unsigned i = 0; i < size; i++)
            v |= u64(core_->port_read(static_cast<u16>(0x3c0 + off - kVgaPortsOffset + i))) << (8 * i);
        return v;
    }
    if (off >= kDispiOffset && off + size <= kDispiOffset + 2 * dispi::kCount) {
        // Each 16-bit register at 0x500 + 2 * index (QEMU vga-pci.c "bochs dispi interface").
        for (u64 a = off & ~1ull; a < off + size; a += 2) {
            core_->set_dispi_index(static_cast<u16>((a - kDispiOffset) / 2));
            const u64 reg = core_->dispi_read();
            const int shift = static_cast<int>(8 * (a - off));
            v |= shift >= 0 ? reg << shift : reg >> -shift;
        }
        return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
    }
    if (off >= kQextOffset && off < kQextOffset + kQextSize) {
        const u64 regs = kQextSize | u64(big_endian_fb_ ? kQextBigEndian : kQextLittleEndian) << 32;
        return (regs >> (8 * (off - kQextOffset))) & (size >= 8 ? ~0ull : (1ull << (8 * size)) - 1);
    }
    return 0;
}

void StdVga::mmio_write(u64 off, u64 v, unsigned size) {
    if (off >= kVgaPortsOffset && off + size <= kVgaPortsOffset + 0x20) {
        for (unsigned i = 0; i < size; i++)
            core_->port_write(static_cast<u16>(0x3c0 + off - kVgaPortsOffset + i), static_cast<u8>(v >> (8 * i)));
        return;
    }
    if (off >= kDispiOffset && off + size <= kDispiOffset + 2 * dispi::kCount) {
        if (size < 2 || (off & 1)) return;  // registers are written whole
        for (unsigned i = 0; i < size; i += 2) {
            core_->set_dispi_index(static_cast<u16>((off + i - kDispiOffset) / 2));
            core_->dispi_write(static_cast<u16>(v >> (8 * i)));
        }
        return;
    }
    if (off == kQextOffset + 4 && size == 4) {
        if (v == kQextBigEndian) big_endian_fb_ = true;
        else if (v == kQextLittleEndian) big_endian_fb_ = false;
    }
}

void add_std_vga(Machine& m, PciBus& bus, const VmConfig& cfg) {
    const bool asked = cfg.vga == "std";
    if (!asked && (!cfg.vga.empty() || cfg.nodefaults)) return;  // -vga none, or -nodefaults
    const char* kRomName = "vgabios-stdvga.bin";
    const std::vector<u8> rom = find_vga_bios(cfg, kRomName);
    if (rom.empty() && asked)
        throw OptionError(std::string("-vga std: could not find VGA BIOS '") + kRomName +
                          "' (install the seabios package or use -L)");
    if (rom.size() > (1u << 24)) throw OptionError(std::string("-vga std: VGA BIOS '") + kRomName + "' is too large");
    auto dev = std::make_unique<StdVga>(m, StdVga::kDevfn, 16, rom);
    StdVga* vga = dev.get();
    bus.plug(vga);
    m.add_device(std::move(dev));
    m.screen = [vga](RgbImage& out, std::string& err) { return render_vga(vga->core(), out, err); };

    // Vireo's text console (no GUI yet): only when stdout is the display, i.e. neither
    // -nographic nor any -display was given, and no chardev is on stdio. Chardevs are created
    // after the board's devices, so the machine's own list is checked again at the first
    // refresh.
    if (cfg.nographic || !cfg.display.empty() || stdio_taken(cfg)) return;
    auto decided = std::make_shared<bool>(false);
    Machine* mp = &m;
    m.add_timer(
        [vga, decided]() -> u64 {
            if (vga->console()) return vga->console()->next_ns();
            return *decided ? ~0ull : 0;
        },
        [vga, decided, mp](u64 now) {
            if (!*decided) {
                *decided = true;
                for (const auto& c : mp->chardevs())
                    if (c->is_stdio()) return;
                vga->start_console([](std::string_view bytes) {
                    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
                    std::fflush(stdout);
                });
            }
            if (vga->console()) vga->console()->tick(now);
        });
}

}  // namespace vireo
