// fw_cfg on x86 I/O ports (fw_cfg.h). Section names below are those of QEMU's
// docs/specs/fw_cfg.rst.
#include "hw/nvram/fw_cfg.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "softmmu/machine.h"
#include "softmmu/memory.h"

namespace vireo {

namespace {
// "QEMU CFG" (FW_CFG_DMA_SIGNATURE), readable byte by byte from the DMA address register in
// memory order: the register is big-endian and the signature is 0x51454d5520434647.
constexpr char kDmaSignature[8] = {'Q', 'E', 'M', 'U', ' ', 'C', 'F', 'G'};
constexpr u64 kDmaRegOffset = 4;  // 0x514 - 0x510

u32 be32(const u8* p) { return u32(p[0]) << 24 | u32(p[1]) << 16 | u32(p[2]) << 8 | p[3]; }
u64 be64(const u8* p) { return u64(be32(p)) << 32 | be32(p + 4); }
void put_be32(u8* p, u32 v) {
    p[0] = u8(v >> 24);
    p[1] = u8(v >> 16);
    p[2] = u8(v >> 8);
    p[3] = u8(v);
}
std::vector<u8> le_bytes(u64 v, unsigned n) {
    std::vector<u8> out(n);
    for (unsigned i = 0; i < n; i++) out[i] = u8(v >> (8 * i));
    return out;
}
u16 entry_index(u16 key) { return key & u16(~fw_cfg_key::kWriteChannel); }
}  // namespace

FwCfg::FwCfg(AddressSpace& dma) : dma_(dma) {
    // "Signature" (key 0x00) and "Revision / feature bitmap" (key 0x01, a 32-bit LE value).
    add_bytes(fw_cfg_key::kSignature, {'Q', 'E', 'M', 'U'});
    add_u32(fw_cfg_key::kId, kIdTraditional | kIdDma);
    rebuild_directory();
}

void FwCfg::realize(Machine& m) { m.io_space().add_subregion(m.own(make_region()), kIoBase); }

void FwCfg::reset() {
    select(fw_cfg_key::kSignature);
    dma_addr_ = 0;
}

void FwCfg::describe_state(StateVisitor& v) {
    v.field("selector", &selector_, sizeof selector_);
    v.field("offset", &offset_, sizeof offset_);
    v.field("dma_addr", &dma_addr_, sizeof dma_addr_);
}

// ---- Items

void FwCfg::add_bytes(u16 key, std::vector<u8> data) { entries_[entry_index(key)] = std::move(data); }

void FwCfg::add_string(u16 key, std::string_view s) {
    std::vector<u8> d(s.begin(), s.end());
    d.push_back(0);
    add_bytes(key, std::move(d));
}

void FwCfg::add_u16(u16 key, u16 v) { add_bytes(key, le_bytes(v, 2)); }
void FwCfg::add_u32(u16 key, u32 v) { add_bytes(key, le_bytes(v, 4)); }
void FwCfg::add_u64(u16 key, u64 v) { add_bytes(key, le_bytes(v, 8)); }

u16 FwCfg::add_file(std::string name, std::vector<u8> data) {
    if (name.empty() || name.size() >= kMaxFileName)
        throw std::invalid_argument("fw_cfg: bad file name '" + name + "'");
    if (files_.count(name)) throw std::invalid_argument("fw_cfg: duplicate file name '" + name + "'");
    // Keys are handed out in the order files arrive and never move, so a returned key stays
    // valid; the directory itself is sorted by name, as QEMU's is (QEMU additionally renumbers
    // keys to follow that order, which no firmware depends on).
    const u16 key = static_cast<u16>(fw_cfg_key::kFileFirst + files_.size());
    if (key >= fw_cfg_key::kWriteChannel) throw std::invalid_argument("fw_cfg: too many files");
    files_.emplace(std::move(name), key);
    entries_[key] = std::move(data);
    rebuild_directory();
    return key;
}

void FwCfg::modify_file(std::string_view name, std::vector<u8> data) {
    auto it = files_.find(name);
    if (it == files_.end()) throw std::invalid_argument("fw_cfg: no file '" + std::string(name) + "'");
    entries_[it->second] = std::move(data);
    rebuild_directory();  // the size changed
}

// "File directory": u32 BE count, then struct fw_cfg_file {u32 BE size, u16 BE select,
// u16 reserved, char name[56]} per file, sorted by name.
void FwCfg::rebuild_directory() {
    std::vector<u8> dir(4 + files_.size() * kDirEntrySize, 0);
    put_be32(dir.data(), static_cast<u32>(files_.size()));
    u8* e = dir.data() + 4;
    for (const auto& [name, key] : files_) {
        put_be32(e, static_cast<u32>(entries_[key].size()));
        e[4] = u8(key >> 8);
        e[5] = u8(key);
        std::memcpy(e + 8, name.data(), name.size());
        e += kDirEntrySize;
    }
    entries_[fw_cfg_key::kFileDir] = std::move(dir);
}

const std::vector<u8>* FwCfg::entry(u16 key) const {
    auto it = entries_.find(entry_index(key));
    return it == entries_.end() ? nullptr : &it->second;
}

const std::vector<u8>* FwCfg::file(std::string_view name) const {
    auto k = file_key(name);
    return k ? entry(*k) : nullptr;
}

std::optional<u16> FwCfg::file_key(std::string_view name) const {
    auto it = files_.find(name);
    if (it == files_.end()) return std::nullopt;
    return it->second;
}

// ---- Traditional interface ("Selector (Control) Register", "Data Register")

void FwCfg::select(u16 key) {
    selector_ = key;
    offset_ = 0;
}

u8 FwCfg::read_data_byte() {
    // An absent item and a read past the end both give 0; the offset stops at the end.
    const std::vector<u8>* e = entry(selector_);
    if (!e || offset_ >= e->size()) return 0;
    return (*e)[offset_++];
}

u64 FwCfg::io_read(u64 offset, unsigned size) {
    // QEMU's x86 "comb" region answers data reads at 0x510 and 0x511; 0x512/0x513 are not
    // decoded; the DMA register reads back its signature.
    u64 v = 0;
    for (unsigned i = 0; i < size; i++) {
        const u64 off = offset + i;
        u8 b;
        if (off < 2) b = read_data_byte();
        else if (off < kDmaRegOffset) b = 0xff;
        else if (off < kDmaRegOffset + 8) b = static_cast<u8>(kDmaSignature[off - kDmaRegOffset]);
        else b = 0xff;
        v |= u64(b) << (8 * i);
    }
    return v;
}

void FwCfg::io_write(u64 offset, u64 value, unsigned size) {
    if (offset == 0 && size == 2) {
        select(static_cast<u16>(value));
        return;
    }
    // Byte writes to the data register are ignored (fw_cfg.rst: "writes ... have no effect"
    // since QEMU 2.4). The DMA address register is big-endian: the guest stores each half with
    // cpu_to_be32, so the port value is byte-swapped. The low-half write starts the transfer.
    if (size != 4) return;
    const u32 half = __builtin_bswap32(static_cast<u32>(value));
    if (offset == kDmaRegOffset) {
        dma_addr_ = u64(half) << 32;
    } else if (offset == kDmaRegOffset + 4) {
        dma_addr_ |= half;
        const u64 addr = dma_addr_;
        dma_addr_ = 0;  // QEMU clears it before the next access
        dma_transfer(addr);
    }
}

std::unique_ptr<MemoryRegion> FwCfg::make_region() {
    MemoryOps ops;
    ops.read = [this](u64 off, unsigned size) -> u64 { return io_read(off, size); };
    ops.write = [this](u64 off, u64 v, unsigned size) { io_write(off, v, size); };
    ops.min_access = 1;
    ops.max_access = 4;
    return MemoryRegion::io("fw_cfg", kIoSize, ops);
}

// ---- "DMA interface"
//
// The descriptor is struct FWCfgDmaAccess {be32 control; be32 length; be64 address}. Select
// (key in control bits 31:16) happens first, then one of read / write / skip for `length`
// bytes from the shared offset; reads past the end of the item fill with zeros without moving
// the offset. Afterwards control is stored back as 0, or with the error bit set. Every guest
// memory access goes through the address space, so a descriptor or buffer that is not in RAM
// gives the error bit, never a host fault.
void FwCfg::dma_transfer(u64 desc_addr) {
    u8 desc[16];
    if (!dma_.dma_read(desc_addr, desc, sizeof desc)) {
        u8 err[4];
        put_be32(err, kDmaError);
        dma_.dma_write(desc_addr, err, sizeof err);
        return;
    }
    const u32 control = be32(desc);
    u32 length = be32(desc + 4);
    u64 addr = be64(desc + 8);

    if (control & kDmaSelect) select(static_cast<u16>(control >> 16));
    enum class Op { Read, Write, Skip } op;
    if (control & kDmaRead) op = Op::Read;
    else if (control & kDmaWrite) op = Op::Write;
    else if (control & kDmaSkip) op = Op::Skip;
    else length = 0;  // select only (or nothing)

    const std::vector<u8>* e = entry(selector_);
    u32 result = 0;
    static constexpr std::array<u8, 4096> kZeros{};
    while (length > 0 && !(result & kDmaError)) {
        u32 n;
        if (!e || offset_ >= e->size()) {
            // Past the end: a read zero-fills (in pieces, so a huge length costs no host
            // memory), a skip does nothing, a write fails.
            n = std::min<u32>(length, kZeros.size());
            if (op == Op::Read && !dma_.dma_write(addr, kZeros.data(), n)) result |= kDmaError;
            if (op == Op::Write) result |= kDmaError;
        } else {
            n = static_cast<u32>(std::min<u64>(length, e->size() - offset_));
            if (op == Op::Read && !dma_.dma_write(addr, e->data() + offset_, n)) result |= kDmaError;
            if (op == Op::Write) result |= kDmaError;  // no item is guest-writable
            offset_ += n;
        }
        addr += n;
        length -= n;
    }
    u8 out[4];
    put_be32(out, result);
    dma_.dma_write(desc_addr, out, sizeof out);
}

}  // namespace vireo
