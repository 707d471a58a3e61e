// Page-table walks (SDM Vol. 3A 4.3 32-bit, 4.4 PAE, 4.5 4-level and 5-level paging;
// 4.6 access rights and protection keys; 4.7 page-fault error codes; 4.8 accessed and dirty
// flags).
#include "frontend-x86/paging.h"
#include <cstdio>
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/cpu_model.h"

namespace vireo::x86 {

namespace {

enum : u64 { PTE_P = 1, PTE_W = 2, PTE_U = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80,
             PTE_G = 0x100, PTE_NX = 1ull << 63 };

constexpr u64 kAddrMask = ((1ull << kPhysAddrBits) - 1) & ~0xfffull;

struct Walker {
    CpuState& c;
    bool probe;  // no side effects, no faults

    u64 read_pte(u64 pa, bool wide) {
        return wide ? c.host->phys_read(pa, 8) : c.host->phys_read(pa, 4);
    }
    void set_bits(u64 pa, u64 old, u64 bits, bool wide) {
        if (probe || (old & bits) == bits) return;
        // A/D updates are locked read-modify-writes of the entry (SDM 4.8).
        if (wide) c.host->phys_write(pa, old | bits, 8);
        else c.host->phys_write(pa, static_cast<u32>(old | bits), 4);
    }
};

}  // namespace

static bool walk(CpuState& c, u64 lin, Access a, u8 mmu_idx, Translation& t, bool probe) {
    if (!c.paging_mode) {
        t.paddr = c.long64 || (c.efer & EFER_LMA) ? lin : static_cast<u32>(lin);
        t.read = t.write = t.exec = true;
        t.global = false;
        return true;
    }
    Walker w{c, probe};
    const bool user = mmu_idx == MMU_USER;
    const bool is_write = a == Access::Write, is_exec = a == Access::Exec;
    const bool nxe = c.efer & EFER_NXE;
    u32 pfec = (is_write ? PFEC_W : 0) | (user ? PFEC_U : 0);
    if (is_exec && (nxe || (c.cr4 & CR4_SMEP)) && c.paging_mode >= 3) pfec |= PFEC_I;
    else if (is_exec && (c.cr4 & CR4_SMEP)) pfec |= PFEC_I;

    const bool wide = c.paging_mode >= 3;
    // Reserved: address bits above MAXPHYADDR; in PAE entries up to bit 62 as well, while
    // 4-level entries ignore bits 62:52 (SDM Vol. 3A Tables 4-8..4-11 and 4-15..4-20).
    const u64 rsvd_hi = !wide ? 0
                        : c.paging_mode == 3 ? (~((1ull << kPhysAddrBits) - 1) & ~PTE_NX)
                                             : (~((1ull << kPhysAddrBits) - 1) & ~PTE_NX & ~(0x7ffull << 52));
    const u64 nx_rsvd = wide && !nxe ? PTE_NX : 0;

    auto fault = [&](u32 extra) -> bool {
        if (probe) return false;
        if (c.host->log_enabled(LOG_MMU)) {
            char line[128];
            std::snprintf(line, sizeof line, "mmu: #PF lin=%016llx error=%x cr3=%016llx mode=%u\n",
                          static_cast<unsigned long long>(lin), pfec | extra,
                          static_cast<unsigned long long>(c.cr3), c.paging_mode);
            c.host->log(line);
        }
        raise_pf(c, lin, pfec | extra);
    };

    // Levels: table address, index shift, number of index bits, entry list for A bits.
    u64 entries_pa[5];
    u64 entries[5];
    int n = 0;
    bool allow_w = true, allow_u = true, allow_x = true;
    u64 page_size = 4096;
    u64 frame = 0;
    bool global = false;

    if (c.paging_mode == 2) {
        // 32-bit paging: PDE (4 MiB with CR4.PSE and PS), then PTE.
        u64 pde_pa = (c.cr3 & 0xfffff000ull) + ((lin >> 22) & 0x3ff) * 4;
        u64 pde = w.read_pte(pde_pa, false);
        if (!(pde & PTE_P)) return fault(0);
        entries_pa[n] = pde_pa; entries[n++] = pde;
        allow_w &= !!(pde & PTE_W); allow_u &= !!(pde & PTE_U);
        if ((pde & PTE_PS) && (c.cr4 & CR4_PSE)) {
            // PSE-36: bits 20:13 hold physical address bits 39:32; bit 21 is reserved.
            if (pde & (1u << 21)) return fault(PFEC_P | PFEC_RSVD);
            frame = (pde & 0xffc00000ull) | (((pde >> 13) & 0xff) << 32);
            page_size = 4u << 20;
            global = (pde & PTE_G) && (c.cr4 & CR4_PGE);
        } else {
            u64 pte_pa = (pde & 0xfffff000ull) + ((lin >> 12) & 0x3ff) * 4;
            u64 pte = w.read_pte(pte_pa, false);
            if (!(pte & PTE_P)) return fault(0);
            entries_pa[n] = pte_pa; entries[n++] = pte;
            allow_w &= !!(pte & PTE_W); allow_u &= !!(pte & PTE_U);
            frame = pte & 0xfffff000ull;
            global = (pte & PTE_G) && (c.cr4 & CR4_PGE);
        }
    } else {
        // PAE: PDPTE, PDE, PTE. 4-level: PML4E (bits 47:39) down; 5-level (CR4.LA57) adds the
        // PML5E for bits 56:48 above it (SDM 4.5.1).
        int levels = c.paging_mode == 3 ? 3 : c.paging_mode;
        u64 table = c.paging_mode == 3 ? (c.cr3 & 0xffffffe0ull) : (c.cr3 & kAddrMask);
        for (int lvl = levels; lvl >= 1; lvl--) {
            unsigned shift = 12 + 9 * (lvl - 1);
            unsigned idx_bits = (c.paging_mode == 3 && lvl == 3) ? 2 : 9;
            u64 idx = (lin >> shift) & ((1u << idx_bits) - 1);
            u64 pa = table + idx * 8;
            u64 e = w.read_pte(pa, true);
            if (!(e & PTE_P)) return fault(0);
            // PAE PDPTEs have reserved bits 1,2,5-8 and no rights (SDM 4.4.1).
            bool pae_pdpte = c.paging_mode == 3 && lvl == 3;
            u64 rsvd = (e & rsvd_hi) | (e & nx_rsvd);
            if (pae_pdpte && (e & 0x1e6)) rsvd |= 1;
            if (lvl >= 4 && (e & PTE_PS)) rsvd |= 1;   // no PS in PML4E/PML5E
            // 1-GiB pages only where CPUID.80000001H:EDX.Page1GB says so (SDM 4.5.4).
            if (lvl == 3 && !pae_pdpte && (e & PTE_PS) && !model_has(c, ModelFlag::MF_PDPE1GB)) rsvd |= 1;
            if (rsvd) return fault(PFEC_P | PFEC_RSVD);
            if (!pae_pdpte) {
                entries_pa[n] = pa; entries[n++] = e;
                allow_w &= !!(e & PTE_W); allow_u &= !!(e & PTE_U);
                if (nxe && (e & PTE_NX)) allow_x = false;
            }
            if (lvl <= 3 && lvl >= 2 && (e & PTE_PS) && !pae_pdpte) {
                page_size = 1ull << shift;
                // Reserved: address bits below the page size except PAT (bit 12).
                if (e & ((page_size - 1) & ~0x1fffull)) return fault(PFEC_P | PFEC_RSVD);
                frame = e & kAddrMask & ~(page_size - 1);
                global = (e & PTE_G) && (c.cr4 & CR4_PGE);
                break;
            }
            if (lvl == 1) {
                frame = e & kAddrMask;
                global = (e & PTE_G) && (c.cr4 & CR4_PGE);
            }
            table = e & kAddrMask;
        }
    }

    // Access rights (SDM 4.6).
    const bool wp = c.cr0 & CR0_WP;
    const bool smap_blocks = allow_u && !user && (c.cr4 & CR4_SMAP) && mmu_idx == MMU_KERNEL;
    // Protection keys (SDM 4.6.2): with 4-level or 5-level paging and CR4.PKE, data accesses
    // to user-mode addresses also obey PKRU for the key in bits 62:59 of the leaf entry: AD
    // forbids reads and writes, WD forbids writes (supervisor writes only when CR0.WP = 1).
    // Instruction fetches are not checked; a debugger probe is not an access.
    bool pk_read = true, pk_write = true;
    if (allow_u && c.paging_mode >= 4 && (c.cr4 & CR4_PKE) && !probe) {
        const unsigned key = static_cast<unsigned>(entries[n - 1] >> 59) & 15;
        const u32 rights = c.pkru >> (2 * key);
        if (rights & 1) pk_read = pk_write = false;
        else if ((rights & 2) && (user || wp)) pk_write = false;
    }
    const bool pk_fault = !is_exec && !(is_write ? pk_write : pk_read);
    bool ok = true;
    if (user) {
        if (!allow_u) ok = false;
        else if (is_write && !allow_w) ok = false;
        else if (is_exec && !allow_x) ok = false;
    } else {
        if (is_write && !allow_w && wp) ok = false;
        if (is_exec && !allow_x) ok = false;
        if (is_exec && allow_u && (c.cr4 & CR4_SMEP)) ok = false;
        // SMAP: explicit accesses with EFLAGS.AC=1 (MMU_KERNEL_AC) may touch user pages.
        if (!is_exec && smap_blocks) ok = false;
    }
    // SDM 4.7: PK is set whenever the key forbids the data access, with or without another
    // violation.
    if (!ok || pk_fault) return fault(PFEC_P | (pk_fault ? PFEC_PK : 0));

    // Accessed on every level; dirty on the final entry for writes (SDM 4.8).
    for (int i = 0; i < n; i++) {
        bool last = i == n - 1;
        w.set_bits(entries_pa[i], entries[i], PTE_A | (last && is_write ? PTE_D : 0), c.paging_mode >= 3);
    }
    const bool dirty = (entries[n - 1] & PTE_D) || is_write;
    t.paddr = frame + (lin & (page_size - 1));
    // Writes go through the TLB only once the dirty bit is set, so the first one sets it.
    // What the TLB may cache for this index: the rights of later accesses, not just this one.
    t.read = (user ? allow_u : !smap_blocks) && pk_read;
    t.write = dirty && (user ? allow_w && allow_u : (allow_w || !wp)) && !smap_blocks && pk_write;
    t.exec = allow_x && (user ? allow_u : !(allow_u && (c.cr4 & CR4_SMEP)));
    t.global = global;
    return true;
}

void page_translate(CpuState& c, u64 lin, Access a, u8 mmu_idx, Translation& t) {
    walk(c, lin, a, mmu_idx, t, false);
}

bool page_probe(CpuState& c, u64 lin, u64* paddr) {
    Translation t;
    if (!walk(c, lin, Access::Read, MMU_KERNEL_AC, t, true)) return false;
    *paddr = t.paddr;
    return true;
}

}  // namespace vireo::x86
