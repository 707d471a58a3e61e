// Tier-0 engine: decode a block once into ops, then run the ops' handlers in sequence.
#include "jit/tier0.h"

#include <cstdio>
#include <string>
#include "frontend-x86/cpu_dump.h"
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/debug_regs.h"
#include "frontend-x86/interrupts.h"
#include "frontend-x86/mem_access.h"

namespace vireo::jit {

using namespace vireo::x86;

namespace {
constexpr unsigned kMaxBlockInsns = 64;

u64 trunc_pc(u64 v, u8 code_size) {
    return code_size == 64 ? v : code_size == 32 ? static_cast<u32>(v) : static_cast<u16>(v);
}
}  // namespace

// The CS base that makes a block's pc a virtual address (none in 64-bit mode).
u64 code_cs_base(const CpuState& c) { return c.long64 ? 0 : c.seg[CS].base; }

u32 block_flags(const CpuState& c) {
    u32 f = c.code_size == 64 ? BF_CODE64 : c.code_size == 32 ? BF_CODE32 : BF_CODE16;
    f |= static_cast<u32>(c.cpl) << 2;
    // One instruction per block under TF, an interrupt shadow, or instruction breakpoints
    // (checked before each instruction).
    if ((c.eflags & TF) || c.irq_inhibit || c.dbg_exec) f |= BF_SINGLE;
    return f;
}

Tier0Engine::Tier0Engine(CpuState& c, BlockCache& cache, CodePageTracker& tracker)
    : c_(c), cache_(cache), tracker_(tracker) {}

Block* Tier0Engine::translate(u64 pc, u32 flags) {
    auto b = std::make_unique<Block>();
    b->pc = pc;
    b->cs_base = code_cs_base(c_);
    b->flags = flags;
    const bool single = (flags & BF_SINGLE) || force_single_;
    const unsigned max_insns = single ? 1 : kMaxBlockInsns;
    const u64 cs_base = c_.long64 ? 0 : c_.seg[CS].base;
    auto linear = [&](u64 ip) { return c_.long64 ? ip : static_cast<u32>(cs_base + ip); };

    // The first page: a fault here is the first instruction's fault and is raised now.
    u64 lin = linear(pc);
    u64 ppage;
    const u8* host = tlb_code_page(c_, lin, &ppage);
    b->phys = ppage | (lin & 0xfff);
    // Decode into per-engine scratch space, then give the block exactly what it needs.
    std::vector<Op>& ops = scratch_ops_;
    std::vector<DecodedInsn>& insns = scratch_insns_;
    ops.clear();
    insns.clear();
    ops.reserve(max_insns + 1);
    insns.reserve(max_insns);
    DecodeMode mode{c_.code_size};
    u64 ip = pc;
    bool ended = false;
    for (unsigned n = 0; n < max_insns; n++) {
        lin = linear(ip);
        u8 buf[16];
        size_t avail = 0;
        const u64 page_off = lin & 0xfff;
        // The first page of the block must hold this instruction's first byte.
        if ((lin & ~0xfffull) != (linear(pc) & ~0xfffull)) break;
        // A debugger breakpoint starts a block of its own (checked before each block).
        if (VIREO_UNLIKELY(bps_) && n > 0 && bps_->count(lin)) break;
        if (!host) {  // code in MMIO: read byte by byte through the bus
            for (; avail < 15 && page_off + avail < 4096; avail++)
                buf[avail] = static_cast<u8>(c_.host->phys_read(ppage + page_off + avail, 1));
        } else {
            for (; avail < 15 && page_off + avail < 4096; avail++) buf[avail] = host[page_off + avail];
        }
        DecodedInsn d;
        DecodeStatus st = decode(buf, avail, mode, c_.features, d);
        if (st == DecodeStatus::NeedMore) {
            // Crosses into the next page: fetch it (faulting only if this is the first insn).
            u64 p2;
            const u8* h2;
            try {
                h2 = tlb_code_page(c_, (lin & ~0xfffull) + 4096, &p2);
            } catch (const GuestFault&) {
                if (n == 0) throw;
                break;  // let the next block fault on this instruction
            }
            for (size_t k = 0; avail < 15; avail++, k++)
                buf[avail] = h2 ? h2[k] : static_cast<u8>(c_.host->phys_read(p2 + k, 1));
            st = decode(buf, avail, mode, c_.features, d);
            b->phys_page2 = p2;
        }
        Op op;
        op.next_rip = trunc_pc(ip + (d.length ? d.length : 1), c_.code_size);
        op.len = d.length ? d.length : 1;
        bool ok = false;
        if (st == DecodeStatus::Ok) {
            ok = bind_op(d, c_, op);
            if (!ok && c_.host->log_enabled(LOG_UNIMP)) {
                char line[128];
                std::snprintf(line, sizeof line, "unimplemented instruction %.*s at %016llx\n",
                              static_cast<int>(d.mnemonic().size()), d.mnemonic().data(),
                              static_cast<unsigned long long>(ip));
                c_.host->log(line);
            }
        }
        if (!ok) {
            op.fn = st == DecodeStatus::TooLong ? op_raise_fault : op_raise_ud;
            if (st == DecodeStatus::Invalid && d.row && d.row->src->feature == Feature::F_X87) op.fn = op_x87_absent;
            op.aux = GP;
            op.r0 = 1;  // with error code 0
            op.imm = 0;
        }
        insns.push_back(d);
        b->bytes.insert(b->bytes.end(), buf, buf + std::min<size_t>(d.length ? d.length : 1, avail));
        ops.push_back(op);
        ip = op.next_rip;
        if (!ok || op_ends_block(d)) { ended = true; break; }
        if (b->phys_page2 != ~0ull) break;
    }
    if (!ended) {
        Op g;
        g.fn = op_goto;
        g.imm2 = ip;
        g.next_rip = ip;
        ops.push_back(g);
    }
    b->insns.assign(insns.begin(), insns.end());
    b->ops.assign(ops.begin(), ops.end());
    for (size_t i = 0; i < b->insns.size(); i++) b->ops[i].insn = &b->insns[i];
    stats_.blocks_translated++;
    stats_.insns_translated += b->insns.size();
    tracker_.mark_code(b->phys & ~0xfffull);
    if (b->phys_page2 != ~0ull) tracker_.mark_code(b->phys_page2);
    if (c_.host->log_enabled(LOG_IN_ASM)) log_block(b.get());
    return cache_.insert(std::move(b));
}

void Tier0Engine::log_block(const Block* b) {
    std::string s = "----------------\nIN: \n";
    size_t off = 0;
    u64 ip = b->pc;
    for (const DecodedInsn& d : b->insns) {
        s += disassemble_line(c_.code_size, c_.long64 ? ip : c_.seg[CS].base + ip, b->bytes.data() + off,
                              d.length ? d.length : 1);
        off += d.length ? d.length : 1;
        ip += d.length ? d.length : 1;
    }
    s += "\n";
    c_.host->log(s.c_str());
}

Block* Tier0Engine::lookup() {
    if (c_.jmp_cache_stale || jmp_gen_ != cache_.generation()) {
        for (auto& e : jmp_cache_) e = nullptr;
        c_.jmp_cache_stale = false;
        jmp_gen_ = cache_.generation();
    }
    const u32 flags = block_flags(c_) | (step_mode_ ? BF_SINGLE : 0);
    const u64 pc = c_.rip;
    const u64 cs_base = code_cs_base(c_);
    Block*& slot = jmp_cache_[(pc ^ (pc >> 12)) & (kJmpCacheSize - 1)];
    if (slot && slot->pc == pc && slot->cs_base == cs_base && slot->flags == flags && slot->valid) return slot;
    const u64 lin = c_.long64 ? pc : static_cast<u32>(cs_base + pc);
    u64 ppage;
    tlb_code_page(c_, lin, &ppage);
    Block* b = cache_.find(ppage | (lin & 0xfff), pc, flags);
    if (!b || (b->phys_page2 != ~0ull && !tracker_.is_code(b->phys_page2))) b = translate(pc, flags);
    // The same physical code under another CS base (or linear alias) is the same block; the jump
    // cache and chains only trust it under the CS base it was filed with.
    if (b->cs_base == cs_base) slot = b;
    return b;
}

VIREO_ALWAYS_INLINE void Tier0Engine::execute(Block* b) {
    const Op* first = b->ops.data();
    const Op* op = first;
    // Debugger watchpoints: data accesses go through the checked slow path (CpuHost::debug_access).
    if (VIREO_UNLIKELY(watch_)) c_.mmu_idx = MMU_CHECKED;
    // Instruction breakpoints are faults taken before the instruction, unless EFLAGS.RF
    // suppresses them (SDM Vol. 3A 17.3.1.1).
    if (VIREO_UNLIKELY(c_.dbg_exec) && !(c_.eflags & RF)) {
        const u64 lin = c_.long64 ? c_.rip : static_cast<u32>(c_.seg[CS].base + c_.rip);
        if (unsigned hits = dr_exec_hits(c_, lin)) {
            dr6_record(c_, hits);
            deliver_event(c_, DB, EventKind::Exception, false, 0, c_.rip);
            return;
        }
    }
    const bool rf = c_.eflags & RF;
    c_.block_break = false;
    c_.rip_fixup = false;
    const bool tf = c_.eflags & TF;
    bool compiled = false;
    try {
        CpuState& c = c_;  // a local: the member reference would be reloaded after every call
        if (b->tier1) {
            compiled = true;
            op = first + b->tier1(c);
        } else {
            if (tier1_ && !b->tier1_tried && ++b->heat >= hot_after_) {
                b->tier1_tried = true;
                if (tier1_async_) tier1_->submit({b->phys, b->pc, b->serial, b->flags}, b->ops);
                else b->tier1 = tier1_->compile(b->ops);
            }
            // op survives into the handler below (an automatic object keeps its value when an
            // exception leaves the try block): it names the instruction that faulted.
            for (;;) {
                op->fn(c, *op);
                if (VIREO_UNLIKELY(c.block_break)) break;
                ++op;
            }
        }
        if (c_.rip_fixup) {
            c_.rip = op->next_rip;
            c_.rip_fixup = false;
        }
        c_.insn_count += static_cast<u64>(op - first) + 1;
        if (rf) c_.eflags &= ~RF;  // RF lasts for one completed instruction
        if (VIREO_UNLIKELY(c_.pending_db)) {
            // Data breakpoints: a trap after the instruction (SDM Vol. 3A 17.3.1.2).
            dr6_record(c_, c_.pending_db);
            c_.pending_db = 0;
            deliver_event(c_, DB, EventKind::Exception, false, 0, c_.rip);
            return;
        }
        if (b->flags & BF_SINGLE) {
            // A single-step trap after the instruction (SDM Vol. 3A 17.3.1.4).
            if (tf && (c_.eflags & TF)) {
                c_.dr[6] |= 1u << 14;  // BS
                deliver_event(c_, DB, EventKind::Exception, false, 0, c_.rip);
            }
        }
    } catch (const GuestFault& f) {
        const Op* cur = compiled ? first + c_.tier1_op : op;
        c_.rip = cur->rip();
        c_.rip_fixup = false;
        c_.pending_db = 0;  // the faulting instruction did not complete
        c_.insn_count += static_cast<u64>(cur - first);
        deliver_fault(c_, f);
    }
}

bool Tier0Engine::take_interrupts() {
    u32 req = c_.interrupt_request.load(std::memory_order_relaxed);
    if (req & IRQ_INIT) {
        c_.interrupt_request.fetch_and(~(IRQ_INIT | IRQ_HARD));
        cpu_init(c_);
        c_.jmp_cache_stale = true;
        return true;
    }
    if (req & IRQ_SIPI) {
        c_.interrupt_request.fetch_and(~IRQ_SIPI);
        cpu_sipi(c_, c_.sipi_vector);
        c_.jmp_cache_stale = true;
        return true;
    }
    if (c_.wait_for_sipi) return false;  // only INIT/SIPI reach a parked AP
    if (req & IRQ_NMI && !c_.nmi_blocked) {
        c_.interrupt_request.fetch_and(~IRQ_NMI);
        c_.halted = false;
        c_.nmi_blocked = true;
        deliver_event(c_, NMI_VEC, EventKind::Nmi, false, 0, c_.rip);
        return true;
    }
    if ((req & IRQ_HARD) && (c_.eflags & IF) && !c_.irq_inhibit) {
        int vec = c_.host->acknowledge_interrupt();
        if (vec >= 0) {
            c_.halted = false;
            deliver_event(c_, static_cast<u8>(vec), EventKind::External, false, 0, c_.rip);
            return true;
        }
    }
    return false;
}

// Compiled code from the tier-1 thread goes to its block if that translation is still the
// current one (not dropped by self-modifying code or a flush meanwhile).
void Tier0Engine::install_tier1() {
    tier1_done_.clear();
    tier1_->poll(tier1_done_);
    for (const Tier1Compiler::Done& d : tier1_done_)
        if (Block* b = cache_.find_serial(d.id.phys, d.id.pc, d.id.flags, d.id.serial)) b->tier1 = d.fn;
}

bool Tier0Engine::at_breakpoint() const {
    const u64 lin = c_.long64 ? c_.rip : static_cast<u32>(c_.seg[CS].base + c_.rip);
    return bps_->count(lin) != 0;
}

RunExit Tier0Engine::step(bool take_irqs) {
    if (take_irqs && c_.interrupt_request.load(std::memory_order_relaxed) & ~u32{IRQ_EXIT}) {
        try {
            if (take_interrupts()) return RunExit::Budget;  // stopped at the handler's entry
        } catch (const GuestFault& f) {
            deliver_fault(c_, f);
            return RunExit::Budget;
        }
    }
    if (c_.halted) return RunExit::Halted;
    const bool inhibit = c_.irq_inhibit;
    step_mode_ = true;
    Block* b = nullptr;
    try {
        b = lookup();
    } catch (const GuestFault& f) {
        step_mode_ = false;
        deliver_fault(c_, f);  // the step ends at the fault handler's entry
        return RunExit::Budget;
    }
    step_mode_ = false;
    stats_.block_execs++;
    execute(b);
    if (inhibit) c_.irq_inhibit = false;  // the shadowed instruction has run (SDM Vol. 3A 6.8.3)
    return RunExit::Budget;
}

RunExit Tier0Engine::run(u64 max_insns) {
    const u64 stop_at = c_.insn_count + max_insns;
    u64 turns = 0;  // blocks run or events delivered: bounds a fault loop that retires nothing
    Block* prev = nullptr;
    const bool chain_ok = !c_.host->log_enabled(LOG_NOCHAIN);
    const bool log_cpu = c_.host->log_enabled(LOG_CPU);
    const bool log_exec = c_.host->log_enabled(LOG_EXEC);
    force_single_ = force_single_ || log_cpu;
    for (;;) {
        cache_.collect();
        if (tier1_ && tier1_->pending()) install_tier1();
        if (c_.interrupt_request.load(std::memory_order_relaxed)) {
            if (c_.interrupt_request & IRQ_EXIT) {
                c_.interrupt_request.fetch_and(~IRQ_EXIT);
                return RunExit::Exit;
            }
            try {
                if (take_interrupts()) prev = nullptr;
            } catch (const GuestFault& f) {
                deliver_fault(c_, f);
                prev = nullptr;
            }
        }
        if (c_.halted) return RunExit::Halted;
        if (VIREO_UNLIKELY(bps_) && at_breakpoint()) return RunExit::Debug;
        if (c_.insn_count >= stop_at || ++turns > max_insns) return RunExit::Budget;
        const bool inhibit = c_.irq_inhibit;
        Block* b = nullptr;
        // Chained successor of the previous block, if it is still the right one.
        if (prev && prev->valid && prev->succ_gen == cache_.generation() && !c_.jmp_cache_stale && chain_ok) {
            const u32 flags = block_flags(c_);
            for (Block* s : prev->succ)
                if (s && s->pc == c_.rip && s->cs_base == code_cs_base(c_) && s->flags == flags && s->valid) {
                    b = s;
                    break;
                }
        }
        if (!b) {
            try {
                b = lookup();
            } catch (const GuestFault& f) {
                deliver_fault(c_, f);  // fetch fault at c.rip
                prev = nullptr;
                continue;
            }
            if (prev && prev->valid && chain_ok) {
                if (prev->succ_gen != cache_.generation()) {
                    prev->succ[0] = prev->succ[1] = nullptr;
                    prev->succ_gen = cache_.generation();
                }
                // Chain only within one page (ARCHITECTURE.md): prev was found under the current
                // mapping, so a successor on its own virtual and physical page is still the right
                // one after the guest switches address spaces; other targets are looked up again.
                const bool same_page = ((prev->pc ^ b->pc) >> 12) == 0 && ((prev->phys ^ b->phys) >> 12) == 0 &&
                                       prev->phys_page2 == ~0ull && b->phys_page2 == ~0ull;
                if (same_page && prev->succ[0] != b && prev->succ[1] != b) prev->succ[prev->succ[0] ? 1 : 0] = b;
            }
        }
        if (log_exec || log_cpu) {
            if (log_exec) {
                char line[96];
                std::snprintf(line, sizeof line, "Trace %u: [%08llx/%016llx/%08x]\n", c_.cpu_index,
                              static_cast<unsigned long long>(c_.seg[CS].base),
                              static_cast<unsigned long long>(c_.rip), b->flags);
                c_.host->log(line);
            }
            if (log_cpu) c_.host->log(dump_cpu_state(c_).c_str());
        }
        stats_.block_execs++;
        execute(b);
        prev = b;
        // Fast path: follow chained successors while nothing asks for the outer loop's checks.
        while (chain_ok && !log_exec && !log_cpu && !inhibit && !bps_) {
            // A pending external interrupt matters only while IF=1 (with IF=0 it waits, and
            // chaining goes on).
            const u32 req = c_.interrupt_request.load(std::memory_order_relaxed);
            if (VIREO_UNLIKELY((req & ~u32{IRQ_HARD}) | ((req & IRQ_HARD) && (c_.eflags & IF)) | c_.halted |
                               c_.irq_inhibit | c_.jmp_cache_stale | ((c_.eflags & TF) != 0)))
                break;
            if (c_.insn_count >= stop_at || prev->succ_gen != cache_.generation()) break;
            Block* n = prev->succ[0];
            const u64 cs_base = code_cs_base(c_);
            if (!n || n->pc != c_.rip || n->cs_base != cs_base) {
                n = prev->succ[1];
                if (!n || n->pc != c_.rip || n->cs_base != cs_base) break;
            }
            if (!n->valid || n->flags != block_flags(c_)) break;
            stats_.block_execs++;
            turns++;
            execute(n);
            prev = n;
        }
        b = prev;
        // The instruction under an interrupt shadow has now run (SDM Vol. 3A 6.8.3).
        if (inhibit && (b->flags & BF_SINGLE)) c_.irq_inhibit = false;
    }
}

}  // namespace vireo::jit
