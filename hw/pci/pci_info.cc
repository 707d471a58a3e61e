// `info pci` text (pci_info.h). Layout: QEMU 7.2 hmp_info_pci_device(); data as its
// qmp_query_pci_device() takes it from configuration space.
#include "hw/pci/pci_info.h"

#include <cstdio>
#include "hw/pci/pci.h"

namespace vireo {

namespace {

struct ClassDesc {
    u16 class_code;
    const char* desc;
};

// QEMU hw/pci/pci.c pci_class_descriptions[] (7.2), in its order: the first match wins.
constexpr ClassDesc kClasses[] = {
    {0x0001, "VGA controller"},        {0x0100, "SCSI controller"},       {0x0101, "IDE controller"},
    {0x0102, "Floppy controller"},     {0x0103, "IPI controller"},        {0x0104, "RAID controller"},
    {0x0106, "SATA controller"},       {0x0107, "SAS controller"},        {0x0180, "Storage controller"},
    {0x0200, "Ethernet controller"},   {0x0201, "Token Ring controller"}, {0x0202, "FDDI controller"},
    {0x0203, "ATM controller"},        {0x0280, "Network controller"},    {0x0300, "VGA controller"},
    {0x0301, "XGA controller"},        {0x0302, "3D controller"},         {0x0380, "Display controller"},
    {0x0400, "Video controller"},      {0x0401, "Audio controller"},      {0x0402, "Phone"},
    {0x0403, "Audio controller"},      {0x0480, "Multimedia controller"}, {0x0500, "RAM controller"},
    {0x0501, "Flash controller"},      {0x0580, "Memory controller"},     {0x0600, "Host bridge"},
    {0x0601, "ISA bridge"},            {0x0602, "EISA bridge"},           {0x0603, "MC bridge"},
    {0x0604, "PCI bridge"},            {0x0605, "PCMCIA bridge"},         {0x0606, "NUBUS bridge"},
    {0x0607, "CARDBUS bridge"},        {0x0608, "RACEWAY bridge"},        {0x0680, "Bridge"},
    {0x0700, "Serial port"},           {0x0701, "Parallel port"},         {0x0800, "Interrupt controller"},
    {0x0801, "DMA controller"},        {0x0802, "Timer"},                 {0x0803, "RTC"},
    {0x0900, "Keyboard"},              {0x0901, "Pen"},                   {0x0902, "Mouse"},
    {0x0A00, "Dock station"},          {0x0B00, "i386 cpu"},              {0x0c00, "Firewire controller"},
    {0x0c01, "Access bus controller"}, {0x0c02, "SSA controller"},        {0x0c03, "USB controller"},
    {0x0c04, "Fibre channel controller"}, {0x0c05, "SMBus"},
};

void append(std::string& out, const char* fmt, auto... args) {
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
}

void describe_device(std::string& out, const PciDevice& d, unsigned bus_number) {
    using ull = unsigned long long;
    append(out, "  Bus %2u, device %3u, function %u:\n    ", bus_number, d.slot(), d.function());
    const u16 cls = d.cfg16(kPciClassDevice);
    if (const char* desc = pci_class_description(cls)) out += desc;
    else append(out, "Class %04u", cls);  // QEMU prints the class in decimal here
    append(out, ": PCI device %04x:%04x\n", d.cfg16(kPciVendorId), d.cfg16(kPciDeviceId));
    // A type 0 header has a subsystem ID (PCI 3.0 6.2.4); QEMU shows it only then.
    if ((d.cfg8(kPciHeaderType) & 0x7f) == 0)
        append(out, "      PCI subsystem %04x:%04x\n", d.cfg16(kPciSubsystemVendorId), d.cfg16(kPciSubsystemId));
    if (const u8 pin = d.cfg8(kPciInterruptPin))
        append(out, "      IRQ %u, pin %c\n", d.cfg8(kPciInterruptLine), static_cast<char>('A' + pin - 1));
    for (const PciDevice::BarInfo& b : d.bar_infos()) {
        const ull end = b.addr + b.size - 1;  // wraps for an unmapped BAR, as QEMU's does
        if (b.type == PciBarType::Io)
            append(out, "      BAR%u: I/O at 0x%04llx [0x%04llx].\n", b.n, static_cast<ull>(b.addr), end);
        else
            append(out, "      BAR%u: %d bit%s memory at 0x%08llx [0x%08llx].\n", b.n,
                   b.type == PciBarType::Mem64 ? 64 : 32, b.prefetch ? " prefetchable" : "",
                   static_cast<ull>(b.addr), end);
    }
    out += "      id \"" + d.id + "\"\n";
}

}  // namespace

const char* pci_class_description(u16 class_code) {
    for (const ClassDesc& c : kClasses)
        if (c.class_code == class_code) return c.desc;
    return nullptr;
}

std::string describe_pci_bus(const PciBus& bus, unsigned bus_number) {
    std::string out;
    for (unsigned devfn = 0; devfn < 256; devfn++)
        if (const PciDevice* d = bus.device(devfn)) describe_device(out, *d, bus_number);
    return out;
}

}  // namespace vireo
