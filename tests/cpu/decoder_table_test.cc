// The instruction table on its own: every row parses, no two rows match the same encodings, and
// hand-checked decodes with every field checked against the SDM (Vol. 2A chapter 2).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "frontend-x86/decoder.h"

namespace vireo::x86 {
namespace {

TEST(DecoderTable, EveryRowParses) {
    for (const InsnRow& r : insn_rows()) {
        ParsedRow p;
        std::string err;
        EXPECT_TRUE(parse_row(r, p, &err)) << err;
    }
    EXPECT_EQ(insn_table().rows.size(), insn_rows().size());
}

// Two rows are ambiguous when they constrain the encoding identically and their opcode ranges
// overlap: the table picks one by order and the other is dead.
TEST(DecoderTable, NoTwoRowsMatchTheSameEncodings) {
    const auto& rows = insn_table().rows;
    auto same = [](const ParsedRow& a, const ParsedRow& b) {
        return a.enc == b.enc && a.map == b.map && a.op_lo <= b.op_hi && b.op_lo <= a.op_hi &&
               a.modrm == b.modrm && a.reg == b.reg && a.modrm_exact == b.modrm_exact &&
               a.mod == b.mod && a.prefix == b.prefix && a.w == b.w && a.vex_l == b.vex_l &&
               a.i64 == b.i64 && a.o64 == b.o64 && a.norexb == b.norexb;
    };
    for (size_t i = 0; i < rows.size(); i++)
        for (size_t j = i + 1; j < rows.size(); j++)
            EXPECT_FALSE(same(rows[i], rows[j]))
                << "\"" << rows[i].src->opcode << "\" " << rows[i].src->mnemonic << " and \""
                << rows[j].src->opcode << "\" " << rows[j].src->mnemonic;
}

struct Dec {
    DecodeStatus st;
    DecodedInsn d;
};

Dec dec(int bits, std::vector<u8> bytes) {
    FeatureSet f;
    f.set();
    Dec r;
    r.st = decode(bytes.data(), bytes.size(), DecodeMode{static_cast<u8>(bits)}, f, r.d);
    return r;
}

TEST(DecoderTable, SibWithBpBaseDefaultsToSS) {
    // 48 8B 44 8D 10: MOV RAX, [RBP + RCX*4 + 0x10] (Table 2-3: SIB base 101 with mod 01 is
    // rBP; 3.7.4 / Vol. 1 3.7.5: rBP/rSP-based addresses default to SS).
    Dec r = dec(64, {0x48, 0x8B, 0x44, 0x8D, 0x10});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.mnemonic(), "mov");
    EXPECT_EQ(r.d.length, 5);
    EXPECT_EQ(r.d.opsize, 8);
    EXPECT_EQ(r.d.addrsize, 8);
    EXPECT_EQ(r.d.reg, 0);
    EXPECT_TRUE(r.d.mem);
    EXPECT_EQ(r.d.m.base, 5);
    EXPECT_EQ(r.d.m.index, 1);
    EXPECT_EQ(r.d.m.scale, 2);
    EXPECT_EQ(r.d.m.disp, 0x10);
    EXPECT_EQ(r.d.m.seg, SS);
    EXPECT_FALSE(r.d.m.rip_rel);
    EXPECT_EQ(r.d.disp_size, 1);
}

TEST(DecoderTable, DefaultSegments) {
    EXPECT_EQ(dec(64, {0x8B, 0x04, 0x24}).d.m.seg, SS);        // [rsp]
    EXPECT_EQ(dec(64, {0x8B, 0x45, 0x00}).d.m.seg, SS);        // [rbp+0]
    EXPECT_EQ(dec(64, {0x41, 0x8B, 0x45, 0x00}).d.m.seg, DS);  // [r13+0]: not rBP
    EXPECT_EQ(dec(64, {0x41, 0x8B, 0x04, 0x24}).d.m.seg, DS);  // [r12]: not rSP
    EXPECT_EQ(dec(64, {0x64, 0x8B, 0x00}).d.m.seg, FS);
    // 64-bit mode ignores the CS/DS/ES/SS overrides (Vol. 1 3.3.7.1).
    EXPECT_EQ(dec(64, {0x2E, 0x8B, 0x45, 0x00}).d.m.seg, SS);
    EXPECT_EQ(dec(32, {0x2E, 0x8B, 0x45, 0x00}).d.m.seg, CS);
}

TEST(DecoderTable, RipRelative) {
    // 48 8B 05 disp32: MOV RAX, [RIP + disp32] (2.2.1.6); a SIB with base 101 is not RIP-relative.
    Dec r = dec(64, {0x48, 0x8B, 0x05, 0x78, 0x56, 0x34, 0x12});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.length, 7);
    EXPECT_TRUE(r.d.m.rip_rel);
    EXPECT_EQ(r.d.m.base, 0xff);
    EXPECT_EQ(r.d.m.index, 0xff);
    EXPECT_EQ(r.d.m.disp, 0x12345678);
    EXPECT_EQ(r.d.m.seg, DS);
    Dec s = dec(64, {0x8B, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12});
    EXPECT_FALSE(s.d.m.rip_rel);
    EXPECT_EQ(s.d.m.base, 0xff);
    EXPECT_EQ(s.d.length, 7);
    // In 32-bit mode mod 00 rm 101 is a plain disp32.
    Dec t = dec(32, {0x8B, 0x05, 0x78, 0x56, 0x34, 0x12});
    EXPECT_FALSE(t.d.m.rip_rel);
    EXPECT_EQ(t.d.length, 6);
}

TEST(DecoderTable, SixteenBitAddressing) {
    // Table 2-1: 8B 42 FE is MOV AX, [BP+SI-2], SS by default.
    Dec r = dec(16, {0x8B, 0x42, 0xFE});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.length, 3);
    EXPECT_EQ(r.d.opsize, 2);
    EXPECT_EQ(r.d.addrsize, 2);
    EXPECT_EQ(r.d.m.base, 5);
    EXPECT_EQ(r.d.m.index, 6);
    EXPECT_EQ(r.d.m.disp, -2);
    EXPECT_EQ(r.d.m.seg, SS);
    // mod 00 rm 110: disp16, no base.
    Dec s = dec(16, {0x8B, 0x06, 0x34, 0x12});
    EXPECT_EQ(s.d.length, 4);
    EXPECT_EQ(s.d.m.base, 0xff);
    EXPECT_EQ(s.d.m.disp, 0x1234);
    EXPECT_EQ(s.d.m.seg, DS);
    // 67 in 32-bit mode selects it too: [BX+SI].
    Dec t = dec(32, {0x67, 0x8B, 0x00});
    EXPECT_EQ(t.d.addrsize, 2);
    EXPECT_EQ(t.d.m.base, 3);
    EXPECT_EQ(t.d.m.index, 6);
    EXPECT_EQ(t.d.length, 3);
}

TEST(DecoderTable, Moffs) {
    // A1: MOV eAX, moffs; the offset is address-size wide (Vol. 2B MOV, note on moffs).
    Dec r = dec(64, {0xA1, 1, 2, 3, 4, 5, 6, 7, 8});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.length, 9);
    EXPECT_EQ(r.d.imm_size, 8);
    EXPECT_EQ(r.d.imm, 0x0807060504030201ull);
    EXPECT_EQ(dec(64, {0x67, 0xA1, 1, 2, 3, 4}).d.length, 6);
    EXPECT_EQ(dec(32, {0xA1, 1, 2, 3, 4}).d.length, 5);
    EXPECT_EQ(dec(16, {0xA1, 1, 2}).d.length, 3);
    EXPECT_EQ(dec(32, {0x66, 0xA1, 1, 2, 3, 4}).d.length, 6);  // 66 changes data, not offset
}

TEST(DecoderTable, FarPointer) {
    // 9A cd: CALL ptr16:32 (offset then selector); invalid in 64-bit mode.
    Dec r = dec(32, {0x9A, 0x78, 0x56, 0x34, 0x12, 0xCD, 0xAB});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.length, 7);
    EXPECT_EQ(r.d.imm, 0x12345678u);
    EXPECT_EQ(r.d.imm_size, 4);
    EXPECT_EQ(r.d.imm2, 0xABCDu);
    EXPECT_EQ(r.d.imm2_size, 2);
    Dec s = dec(16, {0xEA, 0x34, 0x12, 0xCD, 0xAB});
    EXPECT_EQ(s.d.length, 5);
    EXPECT_EQ(s.d.imm, 0x1234u);
    EXPECT_EQ(s.d.imm2, 0xABCDu);
    EXPECT_EQ(dec(64, {0x9A, 1, 2, 3, 4, 5, 6}).st, DecodeStatus::Invalid);
}

TEST(DecoderTable, EnterHasTwoImmediates) {
    Dec r = dec(64, {0xC8, 0x34, 0x12, 0x05});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.mnemonic(), "enter");
    EXPECT_EQ(r.d.length, 4);
    EXPECT_EQ(r.d.imm, 0x1234u);
    EXPECT_EQ(r.d.imm_size, 2);
    EXPECT_EQ(r.d.imm2, 5u);
    EXPECT_EQ(r.d.imm2_size, 1);
}

TEST(DecoderTable, MandatoryPrefix66IsNotOperandSize) {
    // 66 0F 38 F6: ADCX r32, r/m32 (the 66 selects the instruction, 2.1.2); REX.W makes it 64.
    Dec r = dec(64, {0x66, 0x0F, 0x38, 0xF6, 0xC1});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.mnemonic(), "adcx");
    EXPECT_EQ(r.d.opsize, 4);
    EXPECT_EQ(r.d.length, 5);
    EXPECT_EQ(r.d.reg, 0);
    EXPECT_EQ(r.d.rm, 1);
    Dec w = dec(64, {0x66, 0x48, 0x0F, 0x38, 0xF6, 0xC1});
    EXPECT_EQ(w.d.opsize, 8);
    // F3 selects ADOX; with both, F3 wins and 66 is the (ignored) operand size.
    EXPECT_EQ(dec(64, {0xF3, 0x0F, 0x38, 0xF6, 0xC1}).d.mnemonic(), "adox");
    // 66 F3 0F B8: POPCNT r16 (Vol. 2B POPCNT).
    Dec p = dec(32, {0x66, 0xF3, 0x0F, 0xB8, 0xC1});
    EXPECT_EQ(p.d.mnemonic(), "popcnt");
    EXPECT_EQ(p.d.opsize, 2);
}

TEST(DecoderTable, VexAndn) {
    // C4 E2 70 F2 C1: ANDN EAX, ECX, ECX (VEX.LZ.0F38.W0 F2; vvvv = ~1110 = ECX).
    Dec r = dec(64, {0xC4, 0xE2, 0x70, 0xF2, 0xC1});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.mnemonic(), "andn");
    EXPECT_EQ(r.d.enc, Encoding::Vex);
    EXPECT_EQ(r.d.map, Map::M0F38);
    EXPECT_EQ(r.d.length, 5);
    EXPECT_EQ(r.d.vvvv, 1);
    EXPECT_EQ(r.d.reg, 0);
    EXPECT_EQ(r.d.rm, 1);
    EXPECT_EQ(r.d.opsize, 4);
    EXPECT_EQ(dec(64, {0xC4, 0xE2, 0xF0, 0xF2, 0xC1}).d.opsize, 8);  // VEX.W1
    // VEX.L1 is #UD for ANDN; so is a 66 in front of VEX (2.3.2).
    EXPECT_EQ(dec(64, {0xC4, 0xE2, 0x74, 0xF2, 0xC1}).st, DecodeStatus::Invalid);
    EXPECT_EQ(dec(64, {0x66, 0xC4, 0xE2, 0x70, 0xF2, 0xC1}).st, DecodeStatus::Invalid);
    // In 32-bit mode C4 with mod != 11 is LES.
    EXPECT_EQ(dec(32, {0xC4, 0x00}).d.mnemonic(), "les");
}

TEST(DecoderTable, RexOnlyCountsRightBeforeTheOpcode) {
    // 48 66 8B 00: the REX is followed by a legacy prefix, so it is ignored (2.2.1).
    Dec r = dec(64, {0x48, 0x66, 0x8B, 0x00});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.rex, 0);
    EXPECT_EQ(r.d.opsize, 2);
    EXPECT_EQ(r.d.length, 4);
    Dec s = dec(64, {0x66, 0x48, 0x8B, 0x00});
    EXPECT_EQ(s.d.rex, 0x48);
    EXPECT_EQ(s.d.opsize, 8);  // REX.W wins over 66 (2.2.1.2)
    // 41 90 is XCHG r8, rax, not NOP; F3 41 90 too (not PAUSE).
    EXPECT_EQ(dec(64, {0x41, 0x90}).d.mnemonic(), "xchg");
    EXPECT_EQ(dec(64, {0xF3, 0x41, 0x90}).d.mnemonic(), "xchg");
    EXPECT_EQ(dec(64, {0xF3, 0x90}).d.mnemonic(), "pause");
}

TEST(DecoderTable, LengthLimits) {
    std::vector<u8> b(14, 0x66);
    b.push_back(0x90);
    Dec ok = dec(64, b);
    EXPECT_EQ(ok.st, DecodeStatus::Ok);
    EXPECT_EQ(ok.d.length, 15);
    b.insert(b.begin(), 0x66);  // 16 bytes: #GP (2.3.11)
    EXPECT_EQ(dec(64, b).st, DecodeStatus::TooLong);
    // Truncated: the displacement is missing.
    EXPECT_EQ(dec(64, {0x48, 0x8B, 0x44, 0x8D}).st, DecodeStatus::NeedMore);
    EXPECT_EQ(dec(64, {0x0F}).st, DecodeStatus::NeedMore);
    EXPECT_EQ(dec(32, {0xE8, 1, 2}).st, DecodeStatus::NeedMore);
}

TEST(DecoderTable, ModeAndLockValidity) {
    EXPECT_EQ(dec(64, {0x06}).st, DecodeStatus::Invalid);  // PUSH ES: i64
    EXPECT_EQ(dec(32, {0x06}).st, DecodeStatus::Ok);
    EXPECT_EQ(dec(32, {0x63, 0xC1}).d.mnemonic(), "arpl");  // 63: ARPL / MOVSXD (o64)
    EXPECT_EQ(dec(64, {0x63, 0xC1}).d.mnemonic(), "movsxd");
    EXPECT_EQ(dec(64, {0xF0, 0x01, 0x00}).st, DecodeStatus::Ok);       // LOCK ADD [rax], eax
    EXPECT_EQ(dec(64, {0xF0, 0x01, 0xC0}).st, DecodeStatus::Invalid);  // register destination
    EXPECT_EQ(dec(64, {0xF0, 0x8B, 0x00}).st, DecodeStatus::Invalid);  // MOV is not lockable
    EXPECT_EQ(dec(64, {0x8E, 0xC8}).st, DecodeStatus::Invalid);        // MOV CS, r: #UD
    EXPECT_EQ(dec(64, {0x0F, 0x01, 0xF8}).d.mnemonic(), "swapgs");
    EXPECT_EQ(dec(32, {0x0F, 0x01, 0xF8}).st, DecodeStatus::Invalid);  // SWAPGS: o64
    // Near branches in 64-bit mode: 64-bit operand size, rel32 even with 66 (Table A-1 f64).
    Dec j = dec(64, {0x66, 0xE8, 1, 2, 3, 4});
    EXPECT_EQ(j.d.length, 6);
    EXPECT_EQ(j.d.opsize, 8);
    EXPECT_EQ(dec(64, {0x50}).d.opsize, 8);        // PUSH: d64
    EXPECT_EQ(dec(64, {0x66, 0x50}).d.opsize, 2);  // d64 still takes 66
}

TEST(DecoderTable, RegisterOnlyOperandsIgnoreMod) {
    // MOV r, CR0 (0F 20): mod is ignored, so no SIB or displacement (Vol. 2B MOV to/from CR).
    Dec r = dec(64, {0x0F, 0x20, 0x44, 0x24, 0x10});
    ASSERT_EQ(r.st, DecodeStatus::Ok);
    EXPECT_EQ(r.d.length, 3);
    EXPECT_FALSE(r.d.mem);
    EXPECT_EQ(r.d.rm, 4);
}

TEST(DecoderTable, JrcxzFollowsAddressSize) {
    EXPECT_EQ(dec(64, {0xE3, 0x00}).d.mnemonic(), "jrcxz");
    EXPECT_EQ(dec(64, {0x67, 0xE3, 0x00}).d.mnemonic(), "jecxz");
    EXPECT_EQ(dec(32, {0x67, 0xE3, 0x00}).d.mnemonic(), "jcxz");
    EXPECT_EQ(dec(16, {0xE3, 0x00}).d.mnemonic(), "jcxz");
}

}  // namespace
}  // namespace vireo::x86
