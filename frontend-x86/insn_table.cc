// Parsing of the instruction table rows (grammar in insn_table.h) into decoder buckets.
#include "frontend-x86/insn_table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace vireo::x86 {

const char* feature_name(Feature f) {
    static constexpr const char* kNames[] = {
#define X(name) #name,
        VIREO_FEATURES(X)
#undef X
    };
    return kNames[static_cast<size_t>(f)];
}

int ParsedRow::specificity() const {
    // More constrained rows are tried first: a mandatory prefix beats none ("F3 90" pause
    // before "90" nop), an exact ModRM byte beats a /digit, a /digit beats /r.
    int s = 0;
    if (prefix != MandatoryPrefix::Any) s += 8;
    if (modrm_exact >= 0) s += 16;
    if (reg >= 0) s += 4;
    if (mod) s += 2;
    if (w >= 0) s += 2;
    if (norexb) s += 1;
    if (op_hi != op_lo && !plus_r) s -= 32;  // ranges are fallbacks
    return s;
}

namespace {

bool hexbyte(std::string_view t, u8& v) {
    if (t.size() != 2) return false;
    char buf[3] = {t[0], t[1], 0};
    char* end;
    unsigned long x = std::strtoul(buf, &end, 16);
    if (*end) return false;
    v = static_cast<u8>(x);
    return true;
}

bool parse_size(std::string_view s, OpSize& out) {
    static const std::pair<const char*, OpSize> kSizes[] = {
        {"b", OpSize::b}, {"w", OpSize::w}, {"d", OpSize::d}, {"q", OpSize::q},
        {"v", OpSize::v}, {"z", OpSize::z}, {"y", OpSize::y}, {"p", OpSize::p},
        {"a", OpSize::a}, {"s", OpSize::s}, {"dq", OpSize::dq}, {"qq", OpSize::qq},
        {"x", OpSize::x}, {"ps", OpSize::ps}, {"pd", OpSize::pd}, {"ss", OpSize::ss},
        {"sd", OpSize::sd}, {"pi", OpSize::pi}, {"si", OpSize::si}, {"", OpSize::sz}};
    for (auto& [n, v] : kSizes)
        if (s == n) { out = v; return true; }
    return false;
}

bool parse_operand(std::string_view t, OperandSpec& o) {
    static const std::pair<const char*, OperandSpec> kFixed[] = {
        {"AL", {OpKind::Fixed, OpSize::b, 0}}, {"CL", {OpKind::Fixed, OpSize::b, 1}},
        {"DX", {OpKind::Fixed, OpSize::w, 2}}, {"AX", {OpKind::Fixed, OpSize::w, 0}},
        {"eAX", {OpKind::Fixed, OpSize::z, 0}}, {"rAX", {OpKind::Fixed, OpSize::v, 0}},
        {"ES", {OpKind::SegFix, OpSize::w, 0}}, {"CS", {OpKind::SegFix, OpSize::w, 1}},
        {"SS", {OpKind::SegFix, OpSize::w, 2}}, {"DS", {OpKind::SegFix, OpSize::w, 3}},
        {"FS", {OpKind::SegFix, OpSize::w, 4}}, {"GS", {OpKind::SegFix, OpSize::w, 5}},
        {"1", {OpKind::One, OpSize::b, 0}}};
    for (auto& [n, v] : kFixed)
        if (t == n) { o = v; return true; }
    static const std::pair<char, OpKind> kKinds[] = {
        {'E', OpKind::E}, {'G', OpKind::G}, {'M', OpKind::M}, {'R', OpKind::R},
        {'I', OpKind::I}, {'J', OpKind::J}, {'O', OpKind::O}, {'A', OpKind::A},
        {'Z', OpKind::Z}, {'S', OpKind::S}, {'C', OpKind::C}, {'D', OpKind::D},
        {'B', OpKind::B}, {'X', OpKind::X}, {'Y', OpKind::Y}, {'V', OpKind::V},
        {'W', OpKind::W}, {'U', OpKind::U}, {'H', OpKind::H}, {'P', OpKind::P},
        {'Q', OpKind::Q}, {'N', OpKind::N}, {'L', OpKind::L}};
    if (t.empty()) return false;
    for (auto& [c, k] : kKinds) {
        if (t[0] != c) continue;
        o.kind = k;
        return parse_size(t.substr(1), o.size);
    }
    return false;
}

bool fail(std::string* err, const InsnRow& r, const std::string& why) {
    if (err) *err = std::string("insn row \"") + r.opcode + "\" " + r.mnemonic + ": " + why;
    return false;
}

bool parse_vex(std::string_view t, ParsedRow& p) {
    // VEX.L.pp.map.W with pp and W optional; e.g. VEX.LZ.F2.0F38.W0, VEX.128.66.0F
    // EVEX.L.pp.map.W likewise (L: 128/256/512 or LIG); SDM Vol. 2A 2.7.
    std::vector<std::string> parts;
    std::stringstream ss{std::string(t)};
    for (std::string s; std::getline(ss, s, '.');) parts.push_back(s);
    if (parts.empty() || (parts[0] != "VEX" && parts[0] != "EVEX")) return false;
    p.enc = parts[0] == "VEX" ? Encoding::Vex : Encoding::Evex;
    bool have_map = false;
    for (size_t i = 1; i < parts.size(); i++) {
        const std::string& s = parts[i];
        if (s == "LZ" || s == "L0" || s == "128") p.vex_l = 0;
        else if (s == "L1" || s == "256") p.vex_l = 1;
        else if (s == "512" && p.enc == Encoding::Evex) p.vex_l = 2;
        else if (s == "LIG") p.vex_l = -1;
        else if (s == "NP") p.prefix = MandatoryPrefix::NP;
        else if (s == "66") p.prefix = MandatoryPrefix::P66;
        else if (s == "F3") p.prefix = MandatoryPrefix::PF3;
        else if (s == "F2") p.prefix = MandatoryPrefix::PF2;
        else if (s == "0F") { p.map = Map::M0F; have_map = true; }
        else if (s == "0F38") { p.map = Map::M0F38; have_map = true; }
        else if (s == "0F3A") { p.map = Map::M0F3A; have_map = true; }
        else if (s == "W0") p.w = 0;
        else if (s == "W1") p.w = 1;
        else if (s == "WIG") p.w = -1;
        else return false;
    }
    // VEX has no "any prefix": absence of pp means NP.
    if (p.prefix == MandatoryPrefix::Any) p.prefix = MandatoryPrefix::NP;
    return have_map;
}

}  // namespace

bool parse_row(const InsnRow& r, ParsedRow& p, std::string* err) {
    p = ParsedRow{};
    p.src = &r;
    std::stringstream ss{std::string(r.opcode)};
    std::vector<std::string> toks;
    for (std::string t; ss >> t;) toks.push_back(t);
    bool have_op = false;
    bool saw_0f = false;
    for (size_t i = 0; i < toks.size(); i++) {
        const std::string& t = toks[i];
        u8 b;
        if (!have_op && (t.rfind("VEX.", 0) == 0 || t.rfind("EVEX.", 0) == 0)) {
            if (!parse_vex(t, p)) return fail(err, r, "bad VEX spec " + t);
        } else if (!have_op && !saw_0f && p.enc == Encoding::Legacy && t == "NP") {
            p.prefix = MandatoryPrefix::NP;
        } else if (!have_op && !saw_0f && p.enc == Encoding::Legacy && i + 1 < toks.size() &&
                   (t == "66" || t == "F2" || t == "F3")) {
            p.prefix = t == "66" ? MandatoryPrefix::P66 : t == "F3" ? MandatoryPrefix::PF3
                                                                    : MandatoryPrefix::PF2;
        } else if (t == "W0" || t == "W1") {
            p.w = t == "W1";
        } else if (!have_op && t == "0F" && p.enc == Encoding::Legacy && !saw_0f) {
            saw_0f = true;
            p.map = Map::M0F;
        } else if (!have_op && saw_0f && p.map == Map::M0F && (t == "38" || t == "3A")) {
            p.map = t == "38" ? Map::M0F38 : Map::M0F3A;
        } else if (!have_op && t.size() == 5 && t[2] == '-' && hexbyte(t.substr(0, 2), b)) {
            u8 hi;
            if (!hexbyte(t.substr(3, 2), hi) || hi < b) return fail(err, r, "bad range " + t);
            p.op_lo = b;
            p.op_hi = hi;
            have_op = true;
        } else if (!have_op && t.size() == 4 && t.substr(2) == "+r" && hexbyte(t.substr(0, 2), b)) {
            p.op_lo = b;
            p.op_hi = b + 7;
            p.plus_r = true;
            have_op = true;
        } else if (!have_op && hexbyte(t, b)) {
            p.op_lo = p.op_hi = b;
            have_op = true;
        } else if (have_op && t == "/r") {
            p.modrm = true;
        } else if (have_op && t.size() == 2 && t[0] == '/' && t[1] >= '0' && t[1] <= '7') {
            p.modrm = true;
            p.reg = static_cast<i8>(t[1] - '0');
        } else if (have_op && hexbyte(t, b)) {
            p.modrm = true;
            p.modrm_exact = b;
        } else if (t == "m") { p.mod = 1;
        } else if (t == "r") { p.mod = 2;
        } else if (t == "i64") { p.i64 = true;
        } else if (t == "o64") { p.o64 = true;
        } else if (t == "d64") { p.d64 = true;
        } else if (t == "f64") { p.f64 = true;
        } else if (t == "lock") { p.lock = true;
        } else if (t == "rep") { p.rep = true;
        } else if (t == "norexb") { p.norexb = true;
        } else if (t == "asz") { p.mnem_by_asize = true;
        } else {
            return fail(err, r, "unknown token " + t);
        }
    }
    if (!have_op) return fail(err, r, "no opcode byte");
    // Maps 0F38/0F3A always have ModRM (SDM Vol. 2A 2.1.2), VEX and EVEX forms in them too;
    // EVEX always has ModRM (2.7). VEX map 0F has ModRM except VZEROUPPER/VZEROALL (VEX 0F 77),
    // so its rows say /r like legacy ones.
    if (p.map == Map::M0F38 || p.map == Map::M0F3A || p.enc == Encoding::Evex) p.modrm = true;

    std::string_view ops = r.operands;
    while (!ops.empty()) {
        size_t c = ops.find(',');
        std::string_view t = ops.substr(0, c);
        if (p.nops == 4 || !parse_operand(t, p.ops[p.nops]))
            return fail(err, r, "bad operand " + std::string(t));
        OpKind k = p.ops[p.nops].kind;
        bool needs_modrm = k == OpKind::E || k == OpKind::G || k == OpKind::M || k == OpKind::R ||
                           k == OpKind::S || k == OpKind::C || k == OpKind::D;
        if (needs_modrm && !p.modrm) return fail(err, r, "operand needs ModRM");
        p.nops++;
        if (c == std::string_view::npos) break;
        ops.remove_prefix(c + 1);
    }
    // Mnemonic "a|b|c": by operand size 16|32|64; an empty slot means "not in that size".
    // The views point into the row's string literal.
    std::string_view m = r.mnemonic;
    for (int n = 0; n < 3; n++) {
        size_t c = m.find('|');
        p.mnem[n] = m.substr(0, c);
        if (c != std::string_view::npos) m.remove_prefix(c + 1);
        else if (n == 0) { p.mnem[1] = p.mnem[2] = p.mnem[0]; break; }
        else if (n < 2) return fail(err, r, "mnemonic needs three sizes");
    }
    return true;
}

const InsnTable& insn_table() {
    static const InsnTable table = [] {
        InsnTable t;
        auto rows = insn_rows();
        t.rows.reserve(rows.size());
        for (const InsnRow& r : rows) {
            ParsedRow p;
            std::string err;
            if (!parse_row(r, p, &err)) {
                std::fprintf(stderr, "vireo: internal error: %s\n", err.c_str());
                std::abort();
            }
            t.rows.push_back(p);
        }
        for (size_t i = 0; i < t.rows.size(); i++) {
            const ParsedRow& p = t.rows[i];
            for (unsigned op = p.op_lo; op <= p.op_hi; op++)
                t.bucket[static_cast<int>(p.enc)][static_cast<int>(p.map)][op].push_back(
                    static_cast<u16>(i));
        }
        for (auto& e : t.bucket)
            for (auto& m : e)
                for (auto& b : m)
                    std::stable_sort(b.begin(), b.end(), [&](u16 a, u16 c) {
                        return t.rows[a].specificity() > t.rows[c].specificity();
                    });
        return t;
    }();
    return table;
}

}  // namespace vireo::x86
