// Table-driven x86-64 decoder: bytes -> DecodedInsn (SDM Vol. 2A chapter 2).
// The only knowledge of opcodes it has is the instruction table (insn_table.h); the rest is
// the encoding rules of chapter 2: prefixes, REX, VEX/EVEX, ModRM/SIB, displacement, immediates.
#pragma once
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/features.h"
#include "frontend-x86/insn_table.h"

namespace vireo::x86 {


struct DecodeMode {
    u8 code_size = 32;  // 16, 32 or 64 (64: IA-32e 64-bit mode)
};

enum class DecodeStatus : u8 {
    Ok,
    NeedMore,  // ran past the bytes given (the fetch of the next page decides)
    TooLong,   // more than 15 bytes: #GP(0) (SDM Vol. 2A 2.3.11)
    Invalid,   // #UD: no row matches, a disallowed prefix, or the feature is absent
};

struct MemOperand {
    u8 base = 0xff;   // register number 0..15, or 0xff
    u8 index = 0xff;  // register number 0..15, or 0xff
    u8 scale = 0;     // log2
    u8 seg = DS;      // effective segment (override or default)
    bool rip_rel = false;
    i64 disp = 0;
};

struct DecodedInsn {
    const ParsedRow* row = nullptr;
    u8 length = 0;
    Encoding enc = Encoding::Legacy;
    Map map = Map::M1;
    u8 opcode = 0;
    bool has_modrm = false;
    u8 modrm = 0;
    u8 opsize = 4;    // bytes: 2, 4, 8
    u8 addrsize = 4;  // bytes: 2, 4, 8
    u8 seg_override = SEG_NONE;
    bool lock = false, rep = false /*F3*/, repne = false /*F2*/, p66 = false, p67 = false;
    u8 last_rep = 0;  // 0xF2 or 0xF3, whichever came last (it decides when both are present)
    u8 rex = 0;       // 0x40 | WRXB, or 0 when absent
    bool rex_w = false;
    u8 vvvv = 0;      // VEX/EVEX register specifier (already inverted)
    u8 vex_l = 0;
    u8 reg = 0;       // ModRM.reg | REX.R << 3
    u8 rm = 0;        // ModRM.rm | REX.B << 3 (register forms), or opcode low 3 bits for +r
    bool mem = false; // r/m is memory
    MemOperand m;
    u8 disp_size = 0, imm_size = 0, imm2_size = 0;
    u64 imm = 0;      // first immediate, zero-extended from imm_size bytes
    u64 imm2 = 0;     // second immediate (ENTER's Ib, far pointer's selector)
    u8 mod() const { return modrm >> 6; }
    u8 modrm_reg() const { return (modrm >> 3) & 7; }
    std::string_view mnemonic() const;  // by operand size
};

DecodeStatus decode(const u8* bytes, size_t avail, DecodeMode mode, const FeatureSet& features,
                    DecodedInsn& out);

// Length only (no row match needed for VEX/EVEX placeholders), for tools and tests.
std::string_view decode_status_name(DecodeStatus s);

}  // namespace vireo::x86
