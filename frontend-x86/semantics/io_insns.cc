// IN/OUT with an immediate port or DX (SDM Vol. 2A IN, Vol. 2B OUT): the I/O permission check
// (io_permission.h), then the machine's port space. A device access can change anything
// (interrupt lines, memory maps, reset), so the block ends after each.
#include "frontend-x86/cpu_host.h"
#include "frontend-x86/io_permission.h"
#include "frontend-x86/semantics/system.h"

namespace vireo::x86 {

namespace {

template <unsigned Size, bool Dx>
u16 port_of(const CpuState& c, const Op& o) {
    return Dx ? static_cast<u16>(c.gpr[RDX]) : static_cast<u16>(o.imm);
}

template <unsigned Size, bool Dx>
void h_in(CpuState& c, const Op& o) {
    const u16 port = port_of<Size, Dx>(c, o);
    check_io_permission(c, port, Size);
    const u32 v = c.host->io_read(port, Size);
    if constexpr (Size == 1) reg_set<u8>(c, 0, static_cast<u8>(v));
    else if constexpr (Size == 2) reg_set<u16>(c, 0, static_cast<u16>(v));
    else reg_set<u32>(c, 0, v);  // zero-extends RAX
    end_block(c, o.next_rip);
}

template <unsigned Size, bool Dx>
void h_out(CpuState& c, const Op& o) {
    const u16 port = port_of<Size, Dx>(c, o);
    check_io_permission(c, port, Size);
    const u32 mask = Size == 4 ? 0xffffffffu : (1u << (8 * Size)) - 1;
    c.host->io_write(port, static_cast<u32>(c.gpr[RAX]) & mask, Size);
    end_block(c, o.next_rip);
}

// Opcodes E4-E7 (port in imm8) and EC-EF (port in DX); bit 0 clear: byte, else the operand
// size (16 or 32 bits; REX.W does not make it 64).
template <template <unsigned, bool> class H>
Handler bind_io(const DecodedInsn& d, Op& op) {
    op.imm = d.imm & 0xff;
    const bool dx = d.opcode >= 0xec;
    const unsigned size = !(d.opcode & 1) ? 1 : d.opsize == 2 ? 2 : 4;
    switch (size) {
    case 1: return dx ? &H<1, true>::run : &H<1, false>::run;
    case 2: return dx ? &H<2, true>::run : &H<2, false>::run;
    default: return dx ? &H<4, true>::run : &H<4, false>::run;
    }
}
template <unsigned S, bool D> struct In { static void run(CpuState& c, const Op& o) { h_in<S, D>(c, o); } };
template <unsigned S, bool D> struct Out { static void run(CpuState& c, const Op& o) { h_out<S, D>(c, o); } };

}  // namespace

Handler bind_in(const DecodedInsn& d, Op& op) { return bind_io<In>(d, op); }
Handler bind_out(const DecodedInsn& d, Op& op) { return bind_io<Out>(d, op); }

}  // namespace vireo::x86
