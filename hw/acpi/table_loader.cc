// The etc/table-loader command file (table_loader.h; SeaBIOS src/fw/romfile_loader.h).
#include "hw/acpi/table_loader.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace vireo {

namespace {
void put_le32(u8* p, u32 v) {
    for (int i = 0; i < 4; i++) p[i] = static_cast<u8>(v >> (8 * i));
}
void put_name(u8* p, std::string_view name) {
    // File names are NUL-terminated within their 56 bytes (fw_cfg names have the same limit).
    if (name.empty() || name.size() >= TableLoader::kFileNameSize)
        throw std::invalid_argument("table-loader: bad file name '" + std::string(name) + "'");
    std::memcpy(p, name.data(), name.size());
}
}  // namespace

u8* TableLoader::new_entry(Command c) {
    blob_.resize(blob_.size() + kEntrySize, 0);
    u8* e = blob_.data() + blob_.size() - kEntrySize;
    put_le32(e, c);
    return e + 4;  // the union
}

void TableLoader::alloc(std::string_view file, u32 align, bool fseg) {
    if (align == 0 || (align & (align - 1))) throw std::invalid_argument("table-loader: alignment not a power of 2");
    u8* p = new_entry(kAllocate);
    put_name(p, file);
    put_le32(p + kFileNameSize, align);
    p[kFileNameSize + 4] = fseg ? kZoneFseg : kZoneHigh;
}

void TableLoader::add_pointer(std::string_view dest_file, u32 dest_offset, u8 size, std::string_view src_file) {
    if (size != 1 && size != 2 && size != 4 && size != 8) throw std::invalid_argument("table-loader: bad pointer size");
    u8* p = new_entry(kAddPointer);
    put_name(p, dest_file);
    put_name(p + kFileNameSize, src_file);
    put_le32(p + 2 * kFileNameSize, dest_offset);
    p[2 * kFileNameSize + 4] = size;
}

void TableLoader::add_checksum(std::string_view file, u32 start, u32 length, u32 checksum_offset) {
    u8* p = new_entry(kAddChecksum);
    put_name(p, file);
    put_le32(p + kFileNameSize, checksum_offset);
    put_le32(p + kFileNameSize + 4, start);
    put_le32(p + kFileNameSize + 8, length);
}

}  // namespace vireo
