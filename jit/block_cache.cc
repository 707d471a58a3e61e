// Block cache (block.h).
#include "jit/block.h"

namespace vireo::jit {

Block* BlockCache::find(u64 phys, u64 pc, u32 flags) const {
    auto it = map_.find(Key{phys, pc, flags});
    return it == map_.end() ? nullptr : it->second.get();
}

Block* BlockCache::insert(std::unique_ptr<Block> b) {
    Block* raw = b.get();
    raw->serial = next_serial_++;
    by_page_[raw->phys & ~0xfffull].push_back(raw);
    if (raw->phys_page2 != ~0ull) by_page_[raw->phys_page2].push_back(raw);
    auto& slot = map_[Key{raw->phys, raw->pc, raw->flags}];
    if (slot) {
        slot->valid = false;
        graveyard_.push_back(std::move(slot));
    }
    slot = std::move(b);
    return raw;
}

void BlockCache::invalidate_page(u64 ppage) {
    auto it = by_page_.find(ppage);
    if (it == by_page_.end()) return;
    std::vector<Block*> blocks = std::move(it->second);
    by_page_.erase(it);
    for (Block* b : blocks) {
        if (!b->valid) continue;
        b->valid = false;
        // A block spanning two pages is listed under both: drop the other listing too.
        for (u64 other : {static_cast<u64>(b->phys & ~0xfffull), b->phys_page2}) {
            if (other == ppage || other == ~0ull) continue;
            auto o = by_page_.find(other);
            if (o != by_page_.end()) std::erase(o->second, b);
        }
        auto m = map_.find(Key{b->phys, b->pc, b->flags});
        if (m != map_.end() && m->second.get() == b) {
            graveyard_.push_back(std::move(m->second));
            map_.erase(m);
        }
    }
    gen_++;
}

void BlockCache::invalidate_all() {
    for (auto& [k, b] : map_) {
        b->valid = false;
        graveyard_.push_back(std::move(b));
    }
    map_.clear();
    by_page_.clear();
    gen_++;
}


}  // namespace vireo::jit
