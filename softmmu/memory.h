// The memory API (ARCHITECTURE.md "Memory"): regions (RAM, ROM, MMIO with valid access sizes,
// aliases, containers with priorities) rendered into a flat, sorted view per address space.
// The I/O port space is an AddressSpace too.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "frontend-x86/types.h"

namespace vireo {

struct MemoryOps {
    std::function<u64(u64 offset, unsigned size)> read;
    std::function<void(u64 offset, u64 value, unsigned size)> write;
    unsigned min_access = 1, max_access = 8;  // valid access sizes; others are split/widened
};

class MemoryRegion {
public:
    enum class Kind : u8 { Ram, Rom, Io, Container, Alias };

    static std::unique_ptr<MemoryRegion> ram(std::string name, u64 size);
    static std::unique_ptr<MemoryRegion> rom(std::string name, u64 size);
    static std::unique_ptr<MemoryRegion> io(std::string name, u64 size, MemoryOps ops);
    static std::unique_ptr<MemoryRegion> container(std::string name, u64 size);
    static std::unique_ptr<MemoryRegion> alias(std::string name, MemoryRegion* target, u64 offset, u64 size);
    ~MemoryRegion();

    // Containers: map a subregion at addr with a priority (higher wins where they overlap).
    void add_subregion(MemoryRegion* sub, u64 addr, int priority = 0);
    void del_subregion(MemoryRegion* sub);
    void set_enabled(bool on);
    void set_alias_offset(u64 offset);
    void set_readonly(bool ro);  // RAM (or an alias of it) that ignores writes (PAM "read RAM" mode)

    const std::string& name() const { return name_; }
    Kind kind() const { return kind_; }
    u64 size() const { return size_; }
    u8* host() const { return host_; }  // RAM/ROM backing, else nullptr
    bool readonly() const { return kind_ == Kind::Rom || readonly_; }
    const MemoryOps& ops() const { return ops_; }
    bool enabled() const { return enabled_; }
    MemoryRegion* alias_target() const { return alias_target_; }
    u64 alias_offset() const { return alias_offset_; }
    struct Sub { MemoryRegion* mr; u64 addr; int priority; };
    const std::vector<Sub>& subregions() const { return subs_; }

    // Bumped on every change at or below this region: address spaces re-render when it moves.
    u64 generation() const { return gen_; }

private:
    friend class AddressSpace;
    MemoryRegion(std::string name, Kind k, u64 size) : name_(std::move(name)), kind_(k), size_(size) {}
    std::string name_;
    Kind kind_;
    u64 size_;
    u8* host_ = nullptr;
    bool owns_host_ = false;
    bool readonly_ = false;
    bool enabled_ = true;
    MemoryOps ops_;
    std::vector<Sub> subs_;
    void changed();
    MemoryRegion* parent_ = nullptr;
    u64 gen_ = 0;
    MemoryRegion* alias_target_ = nullptr;
    u64 alias_offset_ = 0;
};

// One piece of the flattened view: [start, end) maps to `mr` at `offset`.
struct FlatRange {
    u64 start, end;
    MemoryRegion* mr;
    u64 offset;
    bool readonly = false;  // ROM, read-only RAM, or seen through a read-only alias
};

class AddressSpace {
public:
    AddressSpace(std::string name, MemoryRegion* root, u64 unassigned_value);
    const FlatRange* lookup(u64 addr);
    u64 read(u64 addr, unsigned size);
    void write(u64 addr, u64 value, unsigned size);
    // Host pointer to the RAM/ROM byte at addr if [addr, addr+len) lies in one RAM/ROM range.
    u8* host_ptr(u64 addr, u64 len, bool write);
    // DMA: bounds-checked bulk copies; false (and nothing done past the bad byte) when a part
    // is unassigned. Writes notify the write hook (self-modifying-code tracking).
    bool dma_read(u64 addr, void* buf, u64 len);
    bool dma_write(u64 addr, const void* buf, u64 len);
    std::function<void(u64 addr, u64 len)> write_hook;
    // An access that hit no region (logged under -d guest_errors by the machine).
    std::function<void(u64 addr, unsigned size, bool write)> unassigned_hook;
    const std::vector<FlatRange>& view();
    const std::string& name() const { return name_; }
    MemoryRegion* root() const { return root_; }

private:
    void render();
    std::string name_;
    MemoryRegion* root_;
    u64 unassigned_;
    u64 rendered_gen_ = ~0ull;
    std::vector<FlatRange> view_;
    const FlatRange* last_ = nullptr;
};

// `info mtree`-style description of a region tree.
std::string describe_tree(const MemoryRegion& root, u64 base = 0, int depth = 0);

}  // namespace vireo
