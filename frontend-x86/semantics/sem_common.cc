// Binder helpers and the stack (sem_common.h).
#include "frontend-x86/semantics/sem_common.h"

namespace vireo::x86 {

unsigned operand_bytes(const OperandSpec& s, const DecodedInsn& d) {
    switch (s.size) {
    case OpSize::b: return 1;
    case OpSize::w: return 2;
    case OpSize::d: return 4;
    case OpSize::q: return 8;
    case OpSize::v: return d.opsize;
    case OpSize::z: return d.opsize == 2 ? 2 : 4;
    case OpSize::y: return d.opsize == 8 ? 8 : 4;
    case OpSize::dq: return 16;
    default: return d.opsize;
    }
}

u8 operand_reg(const DecodedInsn& d, unsigned i) {
    const OperandSpec& s = d.row->ops[i];
    unsigned num = 0;
    switch (s.kind) {
    case OpKind::G: num = d.reg; break;
    case OpKind::E: case OpKind::R: case OpKind::Z: num = d.rm; break;
    case OpKind::B: num = d.vvvv & 15; break;
    case OpKind::Fixed: num = s.reg; break;
    default: return 0;
    }
    // Byte registers 4..7 without any REX prefix are AH, CH, DH, BH (SDM Vol. 2A 3.1.1.1).
    if (operand_bytes(s, d) == 1 && !d.rex && num >= 4 && num < 8) return static_cast<u8>((num - 4) * 8 + 1);
    return reg_off(num);
}

Loc operand_loc(const DecodedInsn& d, unsigned i) {
    switch (d.row->ops[i].kind) {
    case OpKind::E: case OpKind::M: case OpKind::O: return d.mem || d.row->ops[i].kind == OpKind::O ? Loc::Mem : Loc::Reg;
    case OpKind::I: case OpKind::One: return Loc::Imm;
    default: return Loc::Reg;
    }
}

void fill_mem(const DecodedInsn& d, Op& op) {
    if (d.row && d.row->nops) {
        for (unsigned i = 0; i < d.row->nops; i++) {
            if (d.row->ops[i].kind == OpKind::O) {  // moffs: absolute offset in the segment
                op.base = op.index = REG_ZERO;
                op.scale = 0;
                op.disp = static_cast<i64>(d.imm);
                op.seg = d.seg_override != SEG_NONE ? d.seg_override : DS;
                return;
            }
        }
    }
    op.base = d.m.base == 0xff ? REG_ZERO : d.m.base;
    op.index = d.m.index == 0xff ? REG_ZERO : d.m.index;
    op.scale = d.m.scale;
    op.disp = d.m.rip_rel ? static_cast<i64>(op.next_rip + d.m.disp) : d.m.disp;
    op.seg = d.m.seg;
}

void fill_operands(const DecodedInsn& d, Op& op, Loc locs[4]) {
    u8* slots[3] = {&op.r0, &op.r1, &op.r2};
    unsigned next_slot = 0;
    for (unsigned i = 0; i < d.row->nops && i < 4; i++) {
        locs[i] = operand_loc(d, i);
        if (locs[i] == Loc::Mem) fill_mem(d, op);
        else if (locs[i] == Loc::Reg && next_slot < 3) *slots[next_slot++] = operand_reg(d, i);
        else if (locs[i] == Loc::Reg) next_slot++;
    }
}

u64 stack_top_ea(const CpuState& c, i64 offset) {
    u64 sp = c.gpr[RSP] + static_cast<u64>(offset);
    return c.stack_size == 8 ? sp : c.stack_size == 4 ? static_cast<u32>(sp) : static_cast<u16>(sp);
}

void stack_set_rsp(CpuState& c, u64 v) {
    if (c.stack_size == 8) c.gpr[RSP] = v;
    else if (c.stack_size == 4) c.gpr[RSP] = static_cast<u32>(v);
    else c.gpr[RSP] = (c.gpr[RSP] & ~0xffffull) | static_cast<u16>(v);
}

void push_value(CpuState& c, u64 v, unsigned bytes) {
    u64 ea = stack_top_ea(c, -static_cast<i64>(bytes));
    switch (bytes) {
    case 2: mem_write<u16>(c, SS, ea, static_cast<u16>(v)); break;
    case 4: mem_write<u32>(c, SS, ea, static_cast<u32>(v)); break;
    default: mem_write<u64>(c, SS, ea, v); break;
    }
    stack_set_rsp(c, ea);
}

u64 pop_value(CpuState& c, unsigned bytes) {
    u64 ea = stack_top_ea(c, 0);
    u64 v;
    switch (bytes) {
    case 2: v = mem_read<u16>(c, SS, ea); break;
    case 4: v = mem_read<u32>(c, SS, ea); break;
    default: v = mem_read<u64>(c, SS, ea); break;
    }
    stack_set_rsp(c, ea + bytes);
    return v;
}

}  // namespace vireo::x86
