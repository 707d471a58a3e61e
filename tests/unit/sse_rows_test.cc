// The SSE/SSE2/FXSR and SSE3/SSSE3/SSE4.1/SSE4.2 rows of the instruction table that carry a
// mnemonic have semantics (a renamed row or binder would otherwise turn an implemented form
// into #UD), and every semantics entry for them binds a handler for each of its rows' register
// and memory forms (maps 0F, 0F 38 and 0F 3A).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include "frontend-x86/cpu_state.h"
#include "frontend-x86/decoder.h"
#include "frontend-x86/insn_table.h"
#include "frontend-x86/op.h"
#include "frontend-x86/semantics/sem_common.h"

using namespace vireo;
using namespace vireo::x86;

namespace {
constexpr Feature kSseFeatures[] = {Feature::F_SSE,   Feature::F_SSE2,  Feature::F_FXSR, Feature::F_SSE3,
                                    Feature::F_SSSE3, Feature::F_SSE41, Feature::F_SSE42};
bool sse_feature(Feature f) {
    for (Feature g : kSseFeatures)
        if (f == g) return true;
    return false;
}
}  // namespace

TEST(SseRows, NamedRowsAreBound) {
    std::set<std::string> bound;
    for (std::string_view m : sem_mnemonics()) bound.insert(std::string(m));
    unsigned named = 0;
    for (const InsnRow& r : insn_rows()) {
        if (!sse_feature(r.feature)) continue;
        if (r.mnemonic[0] == '(') continue;
        named++;
        EXPECT_TRUE(bound.count(r.mnemonic)) << r.opcode << " " << r.mnemonic << " has no semantics";
    }
    EXPECT_GE(named, 220u);
}

TEST(SseRows, EveryFormBinds) {
    // Each named SSE/SSE2 row, encoded with a register and (where allowed) a memory ModRM in
    // 64-bit mode, decodes to that row and binds a handler.
    FeatureSet fs;
    for (Feature f : kSseFeatures) set(fs, f);
    CpuState c;
    unsigned forms = 0;
    for (const ParsedRow& p : insn_table().rows) {
        const Feature f = p.src->feature;
        if (!sse_feature(f) || p.src->mnemonic[0] == '(') continue;
        if (p.enc != Encoding::Legacy || p.map == Map::M1) continue;
        for (int mod : {0, 3}) {
            if ((mod == 3 && p.mod == 1) || (mod == 0 && p.mod == 2)) continue;
            std::vector<u8> b;
            if (p.prefix == MandatoryPrefix::P66) b.push_back(0x66);
            if (p.prefix == MandatoryPrefix::PF3) b.push_back(0xF3);
            if (p.prefix == MandatoryPrefix::PF2) b.push_back(0xF2);
            b.push_back(0x0F);
            if (p.map == Map::M0F38) b.push_back(0x38);
            if (p.map == Map::M0F3A) b.push_back(0x3A);
            b.push_back(p.op_lo);
            const u8 reg = p.reg >= 0 ? static_cast<u8>(p.reg) : 1;
            b.push_back(static_cast<u8>(mod << 6 | reg << 3 | (mod == 3 ? 2 : 3)));  // xmm2 / [rbx]
            b.push_back(0x01);  // an imm8 if the form has one
            DecodedInsn d;
            ASSERT_EQ(decode(b.data(), b.size(), DecodeMode{64}, fs, d), DecodeStatus::Ok) << p.src->opcode;
            EXPECT_EQ(d.row, &p) << p.src->opcode << " decodes to " << d.mnemonic();
            Op op;
            EXPECT_TRUE(bind_op(d, c, op)) << p.src->opcode << " " << p.src->mnemonic << (mod == 3 ? " reg" : " mem");
            forms++;
        }
    }
    EXPECT_GE(forms, 300u);
}
