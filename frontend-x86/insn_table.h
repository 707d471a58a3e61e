// The one instruction table (ARCHITECTURE.md "One source of truth for instructions").
//
// Every instruction form is one row written in the notation of the SDM opcode maps
// (Vol. 2D Appendix A): the opcode column as the SDM prints it, the mnemonic, the operands
// in Appendix A.2 notation ("Ev,Gv"), and the CPUID feature. The decoder, the disassembly
// names, the tier-0 handler binding and (later) the LLVM lifter all read these rows.
//
// Opcode column grammar (tokens separated by spaces):
//   NP | 66 | F2 | F3     mandatory prefix (NP: none of 66/F2/F3); absent: prefixes are ordinary
//   W0 | W1               REX.W / VEX.W must be 0 / 1
//   VEX.L.pp.map.W        a VEX form, e.g. VEX.LZ.F2.0F38.W0 (L: LZ/L0/128, L1/256, LIG)
//   EVEX.L.pp.map.W       an EVEX form (L: 128/256/512, LIG); ModRM always (SDM Vol. 2A 2.7)
//   0F | 0F 38 | 0F 3A    opcode map escapes
//   XX | XX-YY | XX+r     the opcode byte, a range of them, or a register in its low 3 bits
//   /0../7 | /r           ModRM present; /digit also fixes ModRM.reg
//   XX (after /r-less 0F 01 etc.)  an exact ModRM byte (e.g. "0F 01 F8" swapgs)
//   m | r                 ModRM.mod must be memory (!=3) / register (==3)
//   i64 | o64             invalid in 64-bit mode / valid only in 64-bit mode
//   d64 | f64             64-bit mode: operand size defaults to / is forced to 64 (Table A-1 notes)
//   lock                  LOCK allowed (with a memory destination)
//   rep                   F3/F2 act as REP/REPNE
//   norexb                only when REX.B is clear (90 = nop, not xchg r8)
//   asz                   the "a|b|c" mnemonic goes by address size, not operand size (JrCXZ)
//   ni                    a row that only decodes (placeholder for a group the SDM reserves)
//
// Operand grammar (Appendix A.2): kind letter + size code, or a fixed register/constant.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>
#include "frontend-x86/features.h"
#include "frontend-x86/types.h"

namespace vireo::x86 {

struct InsnRow {
    const char* opcode;
    const char* mnemonic;  // "cbw|cwde|cdqe": chosen by operand size 16|32|64
    const char* operands;
    Feature feature;
};

// Operand kinds (SDM Vol. 2D A.2.1) plus fixed registers.
enum class OpKind : u8 {
    None,
    E,    // ModRM r/m: register or memory
    G,    // ModRM reg: general register
    M,    // ModRM r/m: memory only
    R,    // ModRM r/m: register only (mod ignored for CR/DR moves)
    I,    // immediate
    J,    // relative branch offset
    O,    // moffs: absolute offset, address-size wide, no ModRM
    A,    // far pointer immediate seg:off
    Z,    // register in opcode low 3 bits (+ REX.B)
    S,    // segment register in ModRM.reg
    C,    // control register in ModRM.reg
    D,    // debug register in ModRM.reg
    B,    // VEX.vvvv general register
    X,    // string source DS:rSI
    Y,    // string destination ES:rDI
    V,    // ModRM.reg xmm/ymm
    W,    // ModRM.r/m xmm/ymm or memory
    U,    // ModRM.r/m xmm register only
    H,    // VEX.vvvv xmm/ymm
    P,    // ModRM.reg mmx
    Q,    // ModRM.r/m mmx or memory
    N,    // ModRM.r/m mmx register only
    L,    // imm8[7:4] xmm/ymm (VEX is4)
    Fixed,   // fixed general register (reg field holds the number); size as given
    SegFix,  // fixed segment register (ES/CS/SS/DS/FS/GS)
    One,     // the constant 1 (shift by one)
    ST,      // x87 stack register
};

// Size codes (SDM Vol. 2D A.2.2).
enum class OpSize : u8 {
    None, b, w, d, q, v, z, y, p, a, s, dq, qq, x, ps, pd, ss, sd, pi, si, sz /* any memory */
};

struct OperandSpec {
    OpKind kind = OpKind::None;
    OpSize size = OpSize::None;
    u8 reg = 0;  // Fixed: register number (0=rAX ... 7=rDI); SegFix: segment number
};

enum class Encoding : u8 { Legacy, Vex, Evex };
enum class Map : u8 { M1 = 0, M0F = 1, M0F38 = 2, M0F3A = 3, Count = 4 };
enum class MandatoryPrefix : u8 { Any, NP, P66, PF3, PF2 };

struct Semantics;  // tier-0 binder, defined by the semantics layer

// A row after parsing: what the decoder matches on.
struct ParsedRow {
    const InsnRow* src = nullptr;
    Encoding enc = Encoding::Legacy;
    Map map = Map::M1;
    u8 op_lo = 0, op_hi = 0;  // opcode byte range (op_hi > op_lo for XX-YY and XX+r)
    bool plus_r = false;
    bool modrm = false;
    i8 reg = -1;              // ModRM.reg must equal (the /digit), or -1
    i16 modrm_exact = -1;     // exact ModRM byte, or -1
    i8 mod = 0;               // 0: any, 1: memory only, 2: register only
    MandatoryPrefix prefix = MandatoryPrefix::Any;
    i8 w = -1;                // REX.W / VEX.W constraint
    i8 vex_l = -1;            // VEX.L constraint
    bool i64 = false, o64 = false, d64 = false, f64 = false;
    bool lock = false, rep = false, norexb = false;
    bool mnem_by_asize = false;  // "asz": mnem[] indexed by address size
    u8 nops = 0;
    OperandSpec ops[4];
    std::string_view mnem[3];  // by operand size 16/32/64 (all the same unless "a|b|c")
    const Semantics* sem = nullptr;  // tier-0 binding; nullptr: decoded but not implemented
    int specificity() const;
};

// Rows of the table, parsed once; stable for the process lifetime. The table data is
// immutable, so this is a function-local constant, not mutable global state.
struct InsnTable {
    std::vector<ParsedRow> rows;
    // bucket[enc][map][opcode] -> indices into rows, most specific first
    std::vector<u16> bucket[3][4][256];
};
const InsnTable& insn_table();

// The raw rows (insn_table_rows.cc), for tests and tools.
std::span<const InsnRow> insn_rows();
// Parse one row; returns false and sets *err on a malformed row.
bool parse_row(const InsnRow& r, ParsedRow& out, std::string* err);

}  // namespace vireo::x86
