// Memory regions and flattened address spaces (memory.h).
#include "softmmu/memory.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sys/mman.h>

namespace vireo {

namespace {
u8* map_anonymous(u64 size) {
    if (!size) return nullptr;
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return static_cast<u8*>(p);
}
}  // namespace

std::unique_ptr<MemoryRegion> MemoryRegion::ram(std::string name, u64 size) {
    std::unique_ptr<MemoryRegion> m(new MemoryRegion(std::move(name), Kind::Ram, size));
    m->host_ = map_anonymous(size);
    m->owns_host_ = true;
    if (!m->host_ && size) throw std::bad_alloc();
    return m;
}
std::unique_ptr<MemoryRegion> MemoryRegion::rom(std::string name, u64 size) {
    auto m = ram(std::move(name), size);
    m->kind_ = Kind::Rom;
    return m;
}
std::unique_ptr<MemoryRegion> MemoryRegion::io(std::string name, u64 size, MemoryOps ops) {
    std::unique_ptr<MemoryRegion> m(new MemoryRegion(std::move(name), Kind::Io, size));
    m->ops_ = std::move(ops);
    return m;
}
std::unique_ptr<MemoryRegion> MemoryRegion::container(std::string name, u64 size) {
    return std::unique_ptr<MemoryRegion>(new MemoryRegion(std::move(name), Kind::Container, size));
}
std::unique_ptr<MemoryRegion> MemoryRegion::alias(std::string name, MemoryRegion* target, u64 offset, u64 size) {
    std::unique_ptr<MemoryRegion> m(new MemoryRegion(std::move(name), Kind::Alias, size));
    m->alias_target_ = target;
    m->alias_offset_ = offset;
    return m;
}
MemoryRegion::~MemoryRegion() {
    if (owns_host_ && host_) munmap(host_, size_);
}

void MemoryRegion::changed() {
    // Every ancestor moves: an address space may be rooted at any container (e.g. the PCI
    // side of memory, read through by the chipset).
    for (MemoryRegion* r = this; r; r = r->parent_) r->gen_++;
}
void MemoryRegion::add_subregion(MemoryRegion* sub, u64 addr, int priority) {
    subs_.push_back({sub, addr, priority});
    sub->parent_ = this;
    changed();
}
void MemoryRegion::del_subregion(MemoryRegion* sub) {
    std::erase_if(subs_, [&](const Sub& s) { return s.mr == sub; });
    sub->parent_ = nullptr;
    changed();
}
void MemoryRegion::set_enabled(bool on) {
    if (enabled_ == on) return;
    enabled_ = on;
    changed();
}
void MemoryRegion::set_alias_offset(u64 offset) {
    alias_offset_ = offset;
    changed();
}
void MemoryRegion::set_readonly(bool ro) {
    readonly_ = ro;
    changed();
}

AddressSpace::AddressSpace(std::string name, MemoryRegion* root, u64 unassigned_value)
    : name_(std::move(name)), root_(root), unassigned_(unassigned_value) {}

namespace {
// Paint `mr` (placed at `base`, visible only inside [lo, hi)) into the gaps of `out`.
// Children are painted highest priority first, so earlier paint wins.
void paint(std::vector<FlatRange>& out, MemoryRegion* mr, u64 base, u64 lo, u64 hi, u64 offset_in_mr, bool ro);

void paint_leaf(std::vector<FlatRange>& out, MemoryRegion* leaf, u64 start, u64 end, u64 offset, bool ro) {
    // Insert [start, end) minus what is already covered. out is kept sorted by start.
    u64 cur = start;
    std::vector<FlatRange> add;
    auto it = std::lower_bound(out.begin(), out.end(), start, [](const FlatRange& r, u64 v) { return r.end <= v; });
    while (cur < end) {
        if (it == out.end() || it->start >= end) {
            add.push_back({cur, end, leaf, offset + (cur - start), ro});
            break;
        }
        if (it->start > cur) add.push_back({cur, it->start, leaf, offset + (cur - start), ro});
        cur = std::max(cur, it->end);
        ++it;
    }
    for (auto& r : add) out.insert(std::lower_bound(out.begin(), out.end(), r.start,
                                                    [](const FlatRange& a, u64 v) { return a.start < v; }), r);
}

void paint(std::vector<FlatRange>& out, MemoryRegion* mr, u64 base, u64 lo, u64 hi, u64 off, bool ro) {
    if (!mr->enabled()) return;
    ro = ro || mr->readonly();
    u64 s = std::max(base, lo), e = std::min(base + (mr->size() - off), hi);
    if (mr->size() - off == 0 || base + (mr->size() - off) < base) e = hi;  // 2^64-sized roots
    if (s >= e) return;
    switch (mr->kind()) {
    case MemoryRegion::Kind::Ram:
    case MemoryRegion::Kind::Rom:
    case MemoryRegion::Kind::Io:
        paint_leaf(out, mr, s, e, off + (s - base), ro);
        break;
    case MemoryRegion::Kind::Alias: {
        // An alias shows its target's view, shifted.
        paint(out, mr->alias_target(), base - mr->alias_offset() - off, s, e, 0, ro);
        break;
    }
    case MemoryRegion::Kind::Container: {
        std::vector<MemoryRegion::Sub> kids = mr->subregions();
        std::stable_sort(kids.begin(), kids.end(), [](auto& a, auto& b) { return a.priority > b.priority; });
        for (auto& k : kids) paint(out, k.mr, base - off + k.addr, s, e, 0, ro);
        break;
    }
    }
}
}  // namespace

void AddressSpace::render() {
    view_.clear();
    last_ = nullptr;
    paint(view_, root_, 0, 0, root_->size() ? root_->size() : ~0ull, 0, false);
    rendered_gen_ = root_->generation();
}

const std::vector<FlatRange>& AddressSpace::view() {
    if (rendered_gen_ != root_->generation()) render();
    return view_;
}

const FlatRange* AddressSpace::lookup(u64 addr) {
    if (rendered_gen_ != root_->generation()) render();
    if (last_ && addr >= last_->start && addr < last_->end) return last_;
    auto it = std::upper_bound(view_.begin(), view_.end(), addr, [](u64 v, const FlatRange& r) { return v < r.start; });
    if (it == view_.begin()) return nullptr;
    --it;
    if (addr >= it->end) return nullptr;
    last_ = &*it;
    return last_;
}

namespace {
u64 io_read_sized(const MemoryRegion* mr, u64 off, unsigned size) {
    const MemoryOps& ops = mr->ops();
    if (!ops.read) return 0;
    if (size >= ops.min_access && size <= ops.max_access) return ops.read(off, size);
    if (size > ops.max_access) {  // split, little-endian
        u64 v = 0;
        for (unsigned i = 0; i < size; i += ops.max_access)
            v |= io_read_sized(mr, off + i, ops.max_access) << (8 * i);
        return v;
    }
    // widen: read the aligned min_access unit and extract
    u64 aligned = off & ~u64(ops.min_access - 1);
    u64 v = ops.read(aligned, ops.min_access);
    v >>= 8 * (off - aligned);
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}
void io_write_sized(const MemoryRegion* mr, u64 off, u64 v, unsigned size) {
    const MemoryOps& ops = mr->ops();
    if (!ops.write) return;
    if (size >= ops.min_access && size <= ops.max_access) return ops.write(off, v, size);
    if (size > ops.max_access) {
        const u64 mask = ops.max_access >= 8 ? ~0ull : (1ull << (8 * ops.max_access)) - 1;
        for (unsigned i = 0; i < size; i += ops.max_access)
            io_write_sized(mr, off + i, (v >> (8 * i)) & mask, ops.max_access);
        return;
    }
    // narrower than the device accepts: widen with zeros in the other bytes
    u64 aligned = off & ~u64(ops.min_access - 1);
    ops.write(aligned, v << (8 * (off - aligned)), ops.min_access);
}
}  // namespace

u64 AddressSpace::read(u64 addr, unsigned size) {
    const FlatRange* r = lookup(addr);
    if (!r || addr + size > r->end) {
        // An access that starts in an I/O region and fits that region's own extent goes to it
        // whole, even where a higher-priority region covers its tail (QEMU dispatches by the
        // first byte too: 0xcf9, the ICH9 reset register, sits inside CONFIG_ADDRESS).
        if (r && !r->mr->host() && r->offset + (addr - r->start) + size <= r->mr->size())
            return io_read_sized(r->mr, r->offset + (addr - r->start), size);
        if (r && addr + size > r->end) {  // straddles two ranges: byte by byte
            u64 v = 0;
            for (unsigned i = 0; i < size; i++) v |= read(addr + i, 1) << (8 * i);
            return v;
        }
        if (unassigned_hook) unassigned_hook(addr, size, false);
        return size >= 8 ? unassigned_ : unassigned_ & ((1ull << (8 * size)) - 1);
    }
    u64 off = r->offset + (addr - r->start);
    if (r->mr->host()) {
        u64 v = 0;
        std::memcpy(&v, r->mr->host() + off, size);
        return v;
    }
    return io_read_sized(r->mr, off, size);
}

void AddressSpace::write(u64 addr, u64 value, unsigned size) {
    const FlatRange* r = lookup(addr);
    if (!r) {
        if (unassigned_hook) unassigned_hook(addr, size, true);
        return;
    }
    if (addr + size > r->end) {
        if (!r->mr->host() && r->offset + (addr - r->start) + size <= r->mr->size())
            return io_write_sized(r->mr, r->offset + (addr - r->start), value, size);  // as read()
        for (unsigned i = 0; i < size; i++) write(addr + i, (value >> (8 * i)) & 0xff, 1);
        return;
    }
    u64 off = r->offset + (addr - r->start);
    if (r->mr->host()) {
        if (r->readonly) return;
        if (write_hook) write_hook(addr, size);
        std::memcpy(r->mr->host() + off, &value, size);
        return;
    }
    io_write_sized(r->mr, off, value, size);
}

u8* AddressSpace::host_ptr(u64 addr, u64 len, bool write) {
    const FlatRange* r = lookup(addr);
    if (!r || !r->mr->host() || addr + len > r->end || addr + len < addr) return nullptr;
    if (write && r->readonly) return nullptr;
    return r->mr->host() + r->offset + (addr - r->start);
}

bool AddressSpace::dma_read(u64 addr, void* buf, u64 len) {
    u8* out = static_cast<u8*>(buf);
    while (len) {
        const FlatRange* r = lookup(addr);
        if (!r) return false;
        u64 n = std::min(len, r->end - addr);
        if (r->mr->host()) std::memcpy(out, r->mr->host() + r->offset + (addr - r->start), n);
        else for (u64 i = 0; i < n; i++) out[i] = static_cast<u8>(read(addr + i, 1));
        addr += n; out += n; len -= n;
    }
    return true;
}

bool AddressSpace::dma_write(u64 addr, const void* buf, u64 len) {
    const u8* in = static_cast<const u8*>(buf);
    while (len) {
        const FlatRange* r = lookup(addr);
        if (!r) return false;
        u64 n = std::min(len, r->end - addr);
        if (r->mr->host()) {
            if (!r->readonly) {
                if (write_hook) write_hook(addr, n);
                std::memcpy(r->mr->host() + r->offset + (addr - r->start), in, n);
            }
        } else {
            for (u64 i = 0; i < n; i++) write(addr + i, in[i], 1);
        }
        addr += n; in += n; len -= n;
    }
    return true;
}

std::string describe_tree(const MemoryRegion& mr, u64 base, int depth) {
    static const char* kKinds[] = {"ram", "rom", "i/o", "container", "alias"};
    char line[256];
    std::snprintf(line, sizeof line, "%*s%016llx-%016llx (prio ?, %s): %s%s\n", depth * 2, "",
                  static_cast<unsigned long long>(base),
                  static_cast<unsigned long long>(base + mr.size() - 1),
                  kKinds[static_cast<int>(mr.kind())], mr.name().c_str(), mr.enabled() ? "" : " [disabled]");
    std::string s = line;
    for (auto& sub : mr.subregions()) s += describe_tree(*sub.mr, base + sub.addr, depth + 1);
    return s;
}

}  // namespace vireo
