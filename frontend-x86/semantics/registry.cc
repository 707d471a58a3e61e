// Mnemonic -> binder: joins the semantics files' lists and binds decoded instructions.
#include <string>
#include <unordered_map>
#include "frontend-x86/semantics/avx_common.h"
#include "frontend-x86/semantics/crypto_common.h"
#include "frontend-x86/semantics/sem_common.h"
#include "frontend-x86/semantics/sse_common.h"
#include "frontend-x86/semantics/x87_common.h"

namespace vireo::x86 {

namespace {
struct Registry {
    std::unordered_map<std::string_view, const SemEntry*> by_mnemonic;
    // The MMX forms share their mnemonics with the XMM ones (PADDB mm / PADDB xmm): rows with an
    // MMX operand (P, Q, N: SDM Vol. 2D A.2.1) are bound from this list alone.
    std::unordered_map<std::string_view, const SemEntry*> mmx_by_mnemonic;
    std::vector<const SemEntry*> by_row;  // indexed like insn_table().rows: resolved once
    Registry() {
        for (auto list : {sem_alu(), sem_data(), sem_control(), sem_system(), sem_string(), sem_bits(),
                          sem_sse_move(), sem_sse_int(), sem_sse_state(), sem_xsave(),
                          sem_sse_fp_arith(), sem_sse_fp_convert(), sem_sse3(), sem_ssse3(), sem_sse41_int(),
                          sem_sse41_fp(), sem_sse42_string(), sem_x87_arith(), sem_x87_move(),
                          sem_aes(), sem_clmul(), sem_sha(),
                          sem_x87_transcendental(), sem_avx_move(), sem_avx_fp(), sem_avx_convert(), sem_avx_int(),
                          sem_avx_f16c(), sem_avx_fma()})
            for (const SemEntry& e : list) by_mnemonic.emplace(e.mnemonic, &e);
        for (auto list : {sem_mmx(), sem_ssse3_mmx()})
            for (const SemEntry& e : list) mmx_by_mnemonic.emplace(e.mnemonic, &e);
        const InsnTable& t = insn_table();
        by_row.resize(t.rows.size());
        for (size_t i = 0; i < t.rows.size(); i++) {
            const ParsedRow& row = t.rows[i];
            bool mmx = false;
            for (unsigned k = 0; k < row.nops; k++)
                mmx |= row.ops[k].kind == OpKind::P || row.ops[k].kind == OpKind::Q || row.ops[k].kind == OpKind::N;
            const auto& map = mmx ? mmx_by_mnemonic : by_mnemonic;
            auto it = map.find(row.src->mnemonic);
            by_row[i] = it == map.end() ? nullptr : it->second;
        }
    }
};
const Registry& registry() {
    static const Registry r;
    return r;
}
const SemEntry* lookup(const DecodedInsn& d) {
    if (!d.row) return nullptr;
    // Rows like "cbw|cwde|cdqe" register under the whole string.
    const Registry& r = registry();
    return r.by_row[static_cast<size_t>(d.row - insn_table().rows.data())];
}
}  // namespace

std::vector<std::string_view> sem_mnemonics() {
    std::vector<std::string_view> out;
    for (auto& [m, e] : registry().by_mnemonic) out.push_back(m);
    for (auto& [m, e] : registry().mmx_by_mnemonic)
        if (!registry().by_mnemonic.count(m)) out.push_back(m);
    return out;
}

bool bind_op(const DecodedInsn& d, const CpuState&, Op& op) {
    op.len = d.length;
    op.opsize = d.opsize;
    op.addrsize = d.addrsize;
    const SemEntry* e = lookup(d);
    if (!e) return false;
    op.fn = e->bind(d, op);
    return op.fn != nullptr;
}

bool op_ends_block(const DecodedInsn& d) {
    const SemEntry* e = lookup(d);
    return e && e->ends_block;
}

}  // namespace vireo::x86
