// The instruction table and the semantics stay in step: every binder is reachable from a row
// (a renamed row would otherwise silently turn an implemented instruction into #UD).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include "frontend-x86/insn_table.h"
#include "frontend-x86/semantics/sem_common.h"

using namespace vireo::x86;

TEST(SemanticsRegistry, EveryBinderHasARow) {
    std::set<std::string> rows;
    for (const InsnRow& r : insn_rows()) rows.insert(r.mnemonic);
    for (std::string_view m : sem_mnemonics())
        EXPECT_TRUE(rows.count(std::string(m))) << "semantics for '" << m << "' match no table row";
}

TEST(SemanticsRegistry, CoreGeneralPurposeRowsAreBound) {
    // Rows of the general-purpose set that must have semantics (a shrinking list is fine,
    // a growing one is not: add semantics instead).
    std::set<std::string> bound;
    for (std::string_view m : sem_mnemonics()) bound.insert(std::string(m));
    std::vector<std::string> missing;
    for (const InsnRow& r : insn_rows()) {
        std::string m = r.mnemonic;
        if (m.empty() || m[0] == '(' || r.feature != Feature::F_BASE) continue;
        if (!bound.count(m)) missing.push_back(m);
    }
    std::set<std::string> uniq(missing.begin(), missing.end());
    std::string list;
    for (auto& m : uniq) list += m + " ";
    EXPECT_TRUE(uniq.empty()) << "base rows without semantics: " << list;
}
