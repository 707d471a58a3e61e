// SeaBIOS's ACPI "linker/loader" script, the fw_cfg file etc/table-loader (FIRMWARE.md section
// 1). The firmware runs its commands in order: it allocates each named fw_cfg file in guest
// memory, then patches pointers between them and fixes checksums, so the tables can point at
// each other without the emulator knowing where they will land. Format: SeaBIOS
// src/fw/romfile_loader.h (struct romfile_loader_entry_s), semantics as QEMU's
// hw/acpi/bios-linker-loader.c produces them. Each command is 128 bytes, little-endian.
#pragma once
#include <string_view>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

class TableLoader {
public:
    static constexpr size_t kEntrySize = 128;
    static constexpr size_t kFileNameSize = 56;  // ROMFILE_LOADER_FILESZ, with the NUL
    enum Command : u32 { kAllocate = 1, kAddPointer = 2, kAddChecksum = 3, kWritePointer = 4 };
    enum Zone : u8 { kZoneHigh = 1, kZoneFseg = 2 };

    // ALLOCATE {char file[56]; u32 align; u8 zone}: copy fw_cfg file `file` into guest memory,
    // aligned to `align` (a power of two), in the F segment (0xf0000-0xfffff, where the RSDP
    // must be) or in high memory. Must come before any command naming the file.
    void alloc(std::string_view file, u32 align, bool fseg);

    // ADD_POINTER {char dest_file[56]; char src_file[56]; u32 offset; u8 size}: add the guest
    // address of src_file to the `size`-byte (1, 2, 4 or 8) little-endian value at
    // dest_file + dest_offset. The builder stores the offset within src_file there beforehand,
    // so after loading it holds the address of that byte of src_file.
    void add_pointer(std::string_view dest_file, u32 dest_offset, u8 size, std::string_view src_file);

    // ADD_CHECKSUM {char file[56]; u32 offset; u32 start; u32 length}: the byte at
    // file + checksum_offset is decreased by the 8-bit sum of [start, start + length), so the
    // range then sums to 0 (whatever the byte held before).
    void add_checksum(std::string_view file, u32 start, u32 length, u32 checksum_offset);

    // The command file, a multiple of 128 bytes.
    const std::vector<u8>& blob() const { return blob_; }

private:
    u8* new_entry(Command c);
    std::vector<u8> blob_;
};

}  // namespace vireo
