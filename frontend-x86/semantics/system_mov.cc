// Moves to and from segment, control and debug registers; PUSH/POP of segment registers;
// LDS/LES/LFS/LGS/LSS (SDM Vol. 2B MOV, "MOV—Move to/from Control Registers", "MOV—Move
// to/from Debug Registers", PUSH, POP; Vol. 2A LDS/LES/LFS/LGS/LSS).
#include "frontend-x86/control_regs.h"
#include "frontend-x86/debug_regs.h"
#include "frontend-x86/segmentation.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

void h_ud(CpuState& c, const Op&) { raise_ud(c); }

// ---------------------------------------------------------------- segment registers

// MOV Sreg, r/m16. Loading SS blocks interrupts (and #DB traps) for one instruction
// (SDM Vol. 3A 6.8.3) so that a following MOV rSP completes the stack switch.
template <bool Mem>
void h_mov_to_sreg(CpuState& c, const Op& o) {
    const u16 v = Mem ? mem_read<u16>(c, o.seg, op_ea(c, o)) : reg_get<u16>(c, o.r0);
    load_segment(c, o.aux, v);
    if (o.aux == SS) {
        c.irq_inhibit = true;
        end_block(c, o.next_rip);
    }
}

// MOV r/m, Sreg: a memory destination is always 16 bits; a 32/64-bit register gets the
// selector zero-extended (SDM Vol. 2B MOV, note on segment registers).
template <typename T, bool Mem>
void h_mov_from_sreg(CpuState& c, const Op& o) {
    const u16 sel = c.seg[o.aux].sel;
    if constexpr (Mem) mem_write<u16>(c, o.seg, op_ea(c, o), sel);
    else reg_set<T>(c, o.r0, static_cast<T>(sel));
}

Handler bind_sreg(const DecodedInsn& d, Op& op, bool to_sreg) {
    op.aux = d.modrm_reg();  // REX.R does not extend the segment register number
    if (op.aux > GS || (to_sreg && op.aux == CS)) return &h_ud;  // MOV CS / Sreg 6, 7: #UD
    const bool mem = d.mem;
    if (mem) fill_mem(d, op);
    else op.r0 = reg_off(d.rm);
    if (to_sreg) return mem ? &h_mov_to_sreg<true> : &h_mov_to_sreg<false>;
    if (mem) return &h_mov_from_sreg<u16, true>;
    switch (d.opsize) {
    case 2: return &h_mov_from_sreg<u16, false>;
    case 4: return &h_mov_from_sreg<u32, false>;
    default: return &h_mov_from_sreg<u64, false>;
    }
}

// ---------------------------------------------------------------- control registers

// The operand is 64 bits in 64-bit mode and 32 bits otherwise, whatever the prefixes.
u64 cr_operand(const CpuState& c, u8 reg) { return c.long64 ? c.gpr[reg] : static_cast<u32>(c.gpr[reg]); }

// CR0, CR2, CR3, CR4 and (64-bit mode, REX.R) CR8 exist; the others are #UD.
bool cr_exists(u8 n) { return n == 0 || n == 2 || n == 3 || n == 4 || n == 8; }

void h_mov_from_cr(CpuState& c, const Op& o) {
    if (!cr_exists(o.aux)) raise_ud(c);
    require_cpl0(c);
    u64 v = 0;
    switch (o.aux) {
    case 0: v = c.cr0; break;
    case 2: v = c.cr2; break;
    case 3: v = c.cr3; break;
    case 4: v = c.cr4; break;
    default: v = c.cr8; break;
    }
    c.gpr[o.r0] = c.long64 ? v : static_cast<u32>(v);
}

void h_mov_to_cr(CpuState& c, const Op& o) {
    if (!cr_exists(o.aux)) raise_ud(c);
    require_cpl0(c);
    const u64 v = cr_operand(c, o.r0);
    switch (o.aux) {
    case 0: write_cr0(c, v); break;
    case 2: c.cr2 = v; break;
    case 3: write_cr3(c, v); break;
    case 4: write_cr4(c, v); break;
    default: write_cr8(c, v); break;
    }
    // Paging, the mode or the decoding of what follows may have changed.
    end_block(c, o.next_rip);
}

// ---------------------------------------------------------------- debug registers

// DR6: B0-B3, BD, BS, BT writable, the rest fixed; DR7: bits 11, 12, 14, 15 read as 0, bit 10
// as 1 (SDM Vol. 3A 17.2.3, 17.2.4).
enum : u64 { DR6_FIXED = 0xffff0ff0, DR6_WRITABLE = 0xe00f, DR7_WRITABLE = 0xffff23ff, DR7_FIXED = 0x400 };

// Common checks (SDM Vol. 2B MOV DRn): CPL 0; DR4/DR5 are #UD with CR4.DE and alias DR6/DR7
// without it; DR8-15 do not exist; DR7.GD makes any access a #DB fault with DR6.BD set
// (17.2.4), and the processor clears GD to let the handler use the registers.
u8 dr_index(CpuState& c, u8 n) {
    require_cpl0(c);
    if (n > 7 || ((n == 4 || n == 5) && (c.cr4 & CR4_DE))) raise_ud(c);
    if (c.dr[7] & DR7_GD) {
        c.dr[6] |= DR6_BD;
        c.dr[7] &= ~DR7_GD;
        raise_fault_noerr(c, DB);
    }
    return n == 4 ? 6 : n == 5 ? 7 : n;
}

void h_mov_from_dr(CpuState& c, const Op& o) {
    const u8 n = dr_index(c, o.aux);
    c.gpr[o.r0] = c.long64 ? c.dr[n] : static_cast<u32>(c.dr[n]);
}

void h_mov_to_dr(CpuState& c, const Op& o) {
    const u8 n = dr_index(c, o.aux);
    const u64 v = cr_operand(c, o.r0);
    if (n >= 6 && (v >> 32)) raise_gp0(c);  // DR6/DR7 bits 63:32 are reserved
    if (n == 6) c.dr[6] = (v & DR6_WRITABLE) | DR6_FIXED;
    else if (n == 7) {
        c.dr[7] = (v & DR7_WRITABLE) | DR7_FIXED;
        update_mode(c);  // breakpoints change how memory accesses and blocks are checked
        tlb_flush_all(c);
    }
    else c.dr[n] = v;
    end_block(c, o.next_rip);  // breakpoints may have changed
}

// ---------------------------------------------------------------- PUSH/POP Sreg

// PUSH Sreg pushes the selector zero-extended to the operand size.
template <typename T>
void h_push_seg(CpuState& c, const Op& o) { push_value(c, c.seg[o.aux].sel, sizeof(T)); }

// POP Sreg: the load's checks happen before rSP moves; the increment uses the stack width
// in force before the load (POP SS may change it).
template <typename T>
void h_pop_seg(CpuState& c, const Op& o) {
    const u64 ea = stack_top_ea(c, 0);
    const u16 v = static_cast<u16>(mem_read<T>(c, SS, ea));
    const u8 width = c.stack_size;
    load_segment(c, o.aux, v);
    const u64 sp = ea + sizeof(T);
    if (width == 8) c.gpr[RSP] = sp;
    else if (width == 4) c.gpr[RSP] = static_cast<u32>(sp);
    else c.gpr[RSP] = (c.gpr[RSP] & ~0xffffull) | static_cast<u16>(sp);
    if (o.aux == SS) {
        c.irq_inhibit = true;  // SDM Vol. 3A 6.8.3
        end_block(c, o.next_rip);
    }
}

// ---------------------------------------------------------------- LxS

// Far pointer m16:16/32/64: the offset, then the selector. The segment load (with all its
// checks) precedes the register write so a fault leaves the register unchanged.
template <typename T>
void h_load_far_pointer(CpuState& c, const Op& o) {
    const u64 ea = op_ea(c, o);
    const T off = mem_read<T>(c, o.seg, ea);
    const u16 sel = mem_read<u16>(c, o.seg, ea_plus(o, ea, sizeof(T)));
    load_segment(c, o.aux, sel);
    reg_set<T>(c, o.r0, off);
}

template <u8 Seg>
Handler bind_lxs(const DecodedInsn& d, Op& op) {
    Loc l[4];
    fill_operands(d, op, l);
    op.aux = Seg;
    switch (d.opsize) {
    case 2: return &h_load_far_pointer<u16>;
    case 4: return &h_load_far_pointer<u32>;
    default: return &h_load_far_pointer<u64>;
    }
}

}  // namespace

Handler bind_system_mov(const DecodedInsn& d, Op& op) {
    const OpKind k0 = d.row->ops[0].kind, k1 = d.row->ops[1].kind;
    if (k0 == OpKind::S) return bind_sreg(d, op, true);
    if (k1 == OpKind::S) return bind_sreg(d, op, false);
    // MOV CRn/DRn: ModRM.reg (with REX.R) names the register, r/m the GPR (mod ignored).
    op.aux = d.reg;
    op.r0 = d.rm;
    if (k0 == OpKind::C) return &h_mov_to_cr;
    if (k1 == OpKind::C) return &h_mov_from_cr;
    if (k0 == OpKind::D) return &h_mov_to_dr;
    return &h_mov_from_dr;
}

Handler bind_push_seg(const DecodedInsn& d, Op& op) {
    op.aux = d.row->ops[0].reg;
    switch (d.opsize) {
    case 2: return &h_push_seg<u16>;
    case 4: return &h_push_seg<u32>;
    default: return &h_push_seg<u64>;
    }
}

Handler bind_pop_seg(const DecodedInsn& d, Op& op) {
    op.aux = d.row->ops[0].reg;
    switch (d.opsize) {
    case 2: return &h_pop_seg<u16>;
    case 4: return &h_pop_seg<u32>;
    default: return &h_pop_seg<u64>;
    }
}

Handler bind_lds(const DecodedInsn& d, Op& op) { return bind_lxs<DS>(d, op); }
Handler bind_les(const DecodedInsn& d, Op& op) { return bind_lxs<ES>(d, op); }
Handler bind_lfs(const DecodedInsn& d, Op& op) { return bind_lxs<FS>(d, op); }
Handler bind_lgs(const DecodedInsn& d, Op& op) { return bind_lxs<GS>(d, op); }
Handler bind_lss(const DecodedInsn& d, Op& op) { return bind_lxs<SS>(d, op); }

}  // namespace vireo::x86
