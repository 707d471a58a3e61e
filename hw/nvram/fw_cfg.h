// QEMU's firmware configuration device ("fw_cfg") on the x86 I/O ports (FIRMWARE.md section 1).
// The interface is QEMU's, described in its docs/specs/fw_cfg.rst; SeaBIOS (src/fw/paravirt.c)
// and Linux (drivers/firmware/qemu_fw_cfg.c, the boot ROMs) are the clients.
//
//   0x510  selector, 16-bit write: chooses an item and rewinds its offset to 0
//   0x511  data, byte reads: the next byte of the selected item, 0 past its end (writes ignored)
//   0x514  DMA address, high 32 bits (big-endian); reading 0x514..0x51b gives "QEMU CFG"
//   0x518  DMA address, low 32 bits (big-endian); this write runs the transfer
//
// Items are plain byte strings keyed by a 16-bit selector. Named files get keys from 0x20 on and
// are listed in the directory item 0x19. All items are read-only to the guest: a DMA write sets
// the error bit (QEMU allows writes only to a few special files, which Vireo does not have).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "softmmu/device.h"

namespace vireo {

class AddressSpace;
class MemoryRegion;

// Well-known selector keys (QEMU include/standard-headers/linux/qemu_fw_cfg.h, and the x86
// "arch local" keys of hw/i386/fw_cfg.h).
namespace fw_cfg_key {
enum : u16 {
    kSignature = 0x00,
    kId = 0x01,
    kUuid = 0x02,
    kRamSize = 0x03,
    kNoGraphic = 0x04,
    kNbCpus = 0x05,
    kMachineId = 0x06,
    kKernelAddr = 0x07,
    kKernelSize = 0x08,
    kKernelCmdline = 0x09,
    kInitrdAddr = 0x0a,
    kInitrdSize = 0x0b,
    kBootDevice = 0x0c,
    kNuma = 0x0d,
    kBootMenu = 0x0e,
    kMaxCpus = 0x0f,
    kKernelEntry = 0x10,
    kKernelData = 0x11,
    kInitrdData = 0x12,
    kCmdlineAddr = 0x13,
    kCmdlineSize = 0x14,
    kCmdlineData = 0x15,
    kSetupAddr = 0x16,
    kSetupSize = 0x17,
    kSetupData = 0x18,
    kFileDir = 0x19,
    kFileFirst = 0x20,
    kWriteChannel = 0x4000,  // selector bit: ignored (the legacy write channel is gone)
    kArchLocal = 0x8000,
    // x86 (hw/i386/fw_cfg.h: FW_CFG_ARCH_LOCAL + n)
    kAcpiTables = 0x8000,
    kSmbiosEntries = 0x8001,
    kIrq0Override = 0x8002,
    kE820Table = 0x8003,
    kHpet = 0x8004,
};
}  // namespace fw_cfg_key

class FwCfg : public Device {
public:
    static constexpr u16 kIoBase = 0x510;
    static constexpr u16 kIoSize = 0x0c;         // 0x510..0x51b
    static constexpr size_t kMaxFileName = 56;   // including the NUL (FW_CFG_MAX_FILE_PATH)
    static constexpr size_t kDirEntrySize = 64;  // struct fw_cfg_file
    // FW_CFG_ID bits (fw_cfg.rst "Feature bitmap")
    static constexpr u32 kIdTraditional = 0x01, kIdDma = 0x02;
    // DMA control bits (fw_cfg.rst "DMA interface")
    static constexpr u32 kDmaError = 0x01, kDmaRead = 0x02, kDmaSkip = 0x04, kDmaSelect = 0x08,
                         kDmaWrite = 0x10;

    // DMA transfers read and write guest memory through `dma` (the machine's memory space).
    explicit FwCfg(AddressSpace& dma);
    const char* type_name() const override { return "fw_cfg_io"; }
    void realize(Machine& m) override;  // maps the ports at 0x510
    void reset() override;              // selects key 0 (QEMU fw_cfg_reset)
    void describe_state(StateVisitor& v) override;

    // ---- Board side: what the guest will see. Adding a key again replaces it.
    void add_bytes(u16 key, std::vector<u8> data);
    void add_string(u16 key, std::string_view s);  // with its NUL, as fw_cfg_add_string
    void add_u16(u16 key, u16 v);                  // little-endian (fw_cfg_add_i16 ...)
    void add_u32(u16 key, u32 v);
    void add_u64(u16 key, u64 v);
    // A named file: returns its key (0x20, 0x21, ... in the order files are added). Throws
    // std::invalid_argument for a name that is empty, too long, or already present.
    u16 add_file(std::string name, std::vector<u8> data);
    // Replace the contents of an existing file; throws std::invalid_argument if absent.
    void modify_file(std::string_view name, std::vector<u8> data);

    // ---- Read back (tests, and builders that patch items).
    const std::vector<u8>* entry(u16 key) const;  // nullptr if absent
    const std::vector<u8>* file(std::string_view name) const;
    std::optional<u16> file_key(std::string_view name) const;

    // ---- The ports, as offsets from 0x510 (the region's callbacks).
    u64 io_read(u64 offset, unsigned size);
    void io_write(u64 offset, u64 value, unsigned size);
    std::unique_ptr<MemoryRegion> make_region();

    u16 selector() const { return selector_; }
    u32 offset() const { return offset_; }

private:
    void select(u16 key);
    u8 read_data_byte();
    void dma_transfer(u64 desc_addr);
    void rebuild_directory();

    std::map<u16, std::vector<u8>> entries_;  // by key & ~kWriteChannel
    std::map<std::string, u16, std::less<>> files_;  // name -> key; the map keeps them sorted
    AddressSpace& dma_;
    // Guest-visible state.
    u16 selector_ = 0;  // as last selected
    u32 offset_ = 0;    // into the selected item (QEMU's cur_offset)
    u64 dma_addr_ = 0;  // descriptor address being assembled from 0x514/0x518
};

}  // namespace vireo
