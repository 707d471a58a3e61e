// Shared pieces of the instruction semantics: register access, operand locations, and the
// helpers binders use to pick a specialized handler (ARCHITECTURE.md: semantics written once,
// option (a): the same C++ is compiled natively for tier 0 and to bitcode for tier 1).
#pragma once
#include <cstring>
#include <span>
#include <string_view>
#include <vector>
#include "frontend-x86/flags.h"
#include "frontend-x86/mem_access.h"
#include "frontend-x86/op.h"

namespace vireo::x86 {

// ---- registers: operands are byte offsets into gpr[] (AH..BH are offsets 1, 9, 17, 25) ----
template <typename T>
VIREO_ALWAYS_INLINE T reg_get(const CpuState& c, u8 off) {
    T v;
    std::memcpy(&v, reinterpret_cast<const u8*>(c.gpr) + off, sizeof(T));
    return v;
}
template <typename T>
VIREO_ALWAYS_INLINE void reg_set(CpuState& c, u8 off, T v) {
    if constexpr (sizeof(T) == 4) {
        c.gpr[off >> 3] = v;  // 32-bit results zero-extend to 64 (SDM Vol. 1 3.4.1.1)
    } else {
        std::memcpy(reinterpret_cast<u8*>(c.gpr) + off, &v, sizeof(T));
    }
}
inline u8 reg_off(unsigned regnum) { return static_cast<u8>(regnum * 8); }

template <unsigned Bytes> struct UIntOf;
template <> struct UIntOf<1> { using type = u8; using stype = i8; };
template <> struct UIntOf<2> { using type = u16; using stype = i16; };
template <> struct UIntOf<4> { using type = u32; using stype = i32; };
template <> struct UIntOf<8> { using type = u64; using stype = i64; };
template <typename T> using SignedOf = typename UIntOf<sizeof(T)>::stype;

template <typename T>
constexpr T sign_bit() { return static_cast<T>(T(1) << (8 * sizeof(T) - 1)); }

// ---- operand locations ----
enum class Loc : u8 { Reg, Mem, Imm };

// Where a data operand lives: r0/r1 slots hold register byte offsets; Mem uses the op's EA.
template <typename T, Loc L, int Slot>
VIREO_ALWAYS_INLINE T opnd_read(CpuState& c, const Op& o) {
    if constexpr (L == Loc::Imm) return static_cast<T>(o.imm);
    else if constexpr (L == Loc::Mem) return mem_read<T>(c, o.seg, op_ea(c, o));
    else return reg_get<T>(c, Slot == 0 ? o.r0 : Slot == 1 ? o.r1 : o.r2);
}

// ---- binder helpers ----
unsigned operand_bytes(const OperandSpec& s, const DecodedInsn& d);
// Register byte offset for operand i (E in register form, G, Z, Fixed, B).
u8 operand_reg(const DecodedInsn& d, unsigned i);
// Location of operand i (Reg, Mem or Imm).
Loc operand_loc(const DecodedInsn& d, unsigned i);
// Fill the op's memory-operand fields from the decoded ModRM/SIB (RIP-relative made absolute).
void fill_mem(const DecodedInsn& d, Op& op);
// Fill r0/r1/r2 and memory fields for all operands; returns the location of each.
void fill_operands(const DecodedInsn& d, Op& op, Loc locs[4]);
// Immediate sign-extended from its encoded size to 64 bits.
inline u64 imm_sext(const DecodedInsn& d) {
    unsigned bits = d.imm_size * 8;
    return bits >= 64 ? d.imm : static_cast<u64>(static_cast<i64>(d.imm << (64 - bits)) >> (64 - bits));
}

inline unsigned size_index(unsigned bytes) { return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3; }

// Binder: fill op, return the handler or nullptr (not implemented).
using Binder = Handler (*)(const DecodedInsn& d, Op& op);
struct SemEntry {
    const char* mnemonic;
    Binder bind;
    bool ends_block;
};
// Each semantics file contributes a list; registry.cc joins them.
std::span<const SemEntry> sem_alu();
std::span<const SemEntry> sem_data();
std::span<const SemEntry> sem_control();
std::span<const SemEntry> sem_system();
std::span<const SemEntry> sem_string();
std::span<const SemEntry> sem_bits();

// Every mnemonic with semantics (for the table/semantics consistency test).
std::vector<std::string_view> sem_mnemonics();

// Generic stack access (SDM Vol. 1 6.2): SS-relative, stack-address-size wide rSP.
void push_value(CpuState& c, u64 v, unsigned bytes);
u64 pop_value(CpuState& c, unsigned bytes);
u64 stack_top_ea(const CpuState& c, i64 offset);  // rSP+offset truncated to the stack size
void stack_set_rsp(CpuState& c, u64 v);

}  // namespace vireo::x86
