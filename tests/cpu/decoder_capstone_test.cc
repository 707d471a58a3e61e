// The decoder against capstone 4.0.2 (ARCHITECTURE.md: capstone is the oracle the decoder is
// tested against, never on the execution path).
//
// Two sweeps, each in 16-, 32- and 64-bit mode:
//  - exhaustive: every opcode of every map (one-byte, 0F, 0F 38, 0F 3A, and the VEX and EVEX
//    maps) with no prefix, 66, F2, F3, 67, REX.W (64-bit), LOCK and a segment override, each
//    with a representative set of ModRM forms (every mod, register/memory, SIB and disp forms)
//    and padding bytes after;
//  - random: 1,000,000 byte strings per mode from a fixed seed, a third of them uniformly
//    random, the rest prefix-heavy and biased towards the escape maps.
// Both decoders get the same 24 bytes. When both decode, the lengths must agree, and the
// mnemonics too (after the small alias table below) unless Vireo's row is a decode-only
// placeholder (a mnemonic starting with '('). When only one of them decodes, that is a
// disagreement as well. Disagreements where capstone is wrong are excused by
// decoder_known_differences.txt, each line citing the SDM; every other disagreement fails
// the test, printing the first examples and the most frequent patterns (in the table's own
// opcode notation, ready to look up).
//
// VIREO_DECODER_EXAMPLES=N prints N examples instead of 25.
#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "frontend-x86/decoder.h"

#ifndef VIREO_DECODER_KNOWN_DIFFERENCES
#define VIREO_DECODER_KNOWN_DIFFERENCES "tests/cpu/decoder_known_differences.txt"
#endif

namespace vireo::x86 {
namespace {

constexpr int kModes[3] = {16, 32, 64};
constexpr size_t kBuf = 24;  // bytes handed to both decoders: more than the 15-byte limit
constexpr size_t kRandomPerMode = 1'000'000;

// ---------------------------------------------------------------------------------------------
// Capstone's names that differ from Vireo's (which follow the SDM). One line per difference,
// with the reason.
struct Alias {
    const char* capstone;
    const char* vireo;
    const char* why;
};
constexpr Alias kAliases[] = {
    {"movabs", "mov", "AT&T name capstone keeps for MOV B8+r with REX.W and for A0-A3 (moffs)"},
    {"sal", "shl", "Group 2 /6: capstone says sal; SDM Vol. 2B SAL/SHL: one instruction, D0-D3 "
                   "and C0/C1 /6 behave as /4 (Vireo names both shl)"},
    {"retfq", "retf", "REX.W CA/CB: capstone appends q; SDM Vol. 2B RET calls it RET (far)"},
    {"ud2b", "ud1", "0F B9: capstone's old name UD2B; SDM Vol. 2B UD calls it UD1"},
    {"vcvtpd2psx", "vcvtpd2ps", "VEX.128 66 0F 5A with m128: capstone's AT&T-style width suffix; SDM Vol. 2A CVTPD2PS"},
    {"vcvtpd2psy", "vcvtpd2ps", "VEX.256 66 0F 5A with m256: capstone's width suffix; SDM Vol. 2A CVTPD2PS"},
    {"vcvtpd2dqx", "vcvtpd2dq", "VEX.128 F2 0F E6 with m128: capstone's width suffix; SDM Vol. 2A CVTPD2DQ"},
    {"vcvtpd2dqy", "vcvtpd2dq", "VEX.256 F2 0F E6 with m256: capstone's width suffix; SDM Vol. 2A CVTPD2DQ"},
    {"vcvttpd2dqx", "vcvttpd2dq", "VEX.128 66 0F E6 with m128: capstone's width suffix; SDM Vol. 2A CVTTPD2DQ"},
    {"vcvttpd2dqy", "vcvttpd2dq", "VEX.256 66 0F E6 with m256: capstone's width suffix; SDM Vol. 2A CVTTPD2DQ"},
};

// Prefix words capstone prints in front of the mnemonic; Vireo keeps prefixes as flags.
constexpr const char* kPrefixWords[] = {"lock", "rep",      "repe",     "repz", "repne",
                                        "repnz", "xacquire", "xrelease", "bnd",  "notrack"};

std::string normalize_capstone(const char* mnemonic) {
    std::string m = mnemonic;
    for (;;) {
        size_t sp = m.find(' ');
        if (sp == std::string::npos) break;
        std::string head = m.substr(0, sp);
        bool prefix = false;
        for (const char* w : kPrefixWords) prefix |= head == w;
        if (!prefix) break;
        m.erase(0, sp + 1);
    }
    for (const Alias& a : kAliases)
        if (m == a.capstone) return a.vireo;
    // CMPPS/CMPPD/CMPSS/CMPSD with imm8 0-7: capstone prints the SDM's pseudo-op names
    // (SDM Vol. 2A CMPPS Table 3-4, "cmpltps" = CMPPS imm8 1); Vireo keeps the real mnemonic.
    static constexpr const char* kCmpPred[] = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};
    if (m.size() > 5 && m.starts_with("cmp")) {
        const std::string mid = m.substr(3, m.size() - 5), tail = m.substr(m.size() - 2);
        if (tail == "ps" || tail == "pd" || tail == "ss" || tail == "sd")
            for (const char* p : kCmpPred)
                if (mid == p) return "cmp" + tail;
    }
    // VCMPPS etc. with imm8 0-31: the 32 pseudo-op names of SDM Vol. 2A CMPPS Table 3-5.
    static constexpr const char* kVcmpPred[] = {
        "eq",    "lt",     "le",     "unord",   "neq",    "nlt",    "nle",    "ord",
        "eq_uq", "nge",    "ngt",    "false",   "neq_oq", "ge",     "gt",     "true",
        "eq_os", "lt_oq",  "le_oq",  "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s",
        "eq_us", "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq",  "true_us"};
    if (m.size() > 6 && m.starts_with("vcmp")) {
        const std::string mid = m.substr(4, m.size() - 6), tail = m.substr(m.size() - 2);
        if (tail == "ps" || tail == "pd" || tail == "ss" || tail == "sd")
            for (const char* p : kVcmpPred)
                if (mid == p) return "vcmp" + tail;
    }
    return m;
}

class Capstone {
public:
    explicit Capstone(int bits) {
        cs_mode m = bits == 16 ? CS_MODE_16 : bits == 32 ? CS_MODE_32 : CS_MODE_64;
        ok_ = cs_open(CS_ARCH_X86, m, &h_) == CS_ERR_OK;
        if (!ok_) return;
        cs_option(h_, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
        insn_ = cs_malloc(h_);
    }
    ~Capstone() {
        if (insn_) cs_free(insn_, 1);
        if (ok_) cs_close(&h_);
    }
    bool ok() const { return ok_; }
    bool decode(const u8* b, size_t n) {
        const u8* p = b;
        size_t left = n;
        u64 addr = 0x1000;
        return cs_disasm_iter(h_, &p, &left, &addr, insn_);
    }
    const cs_insn& insn() const { return *insn_; }

private:
    csh h_ = 0;
    bool ok_ = false;
    cs_insn* insn_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// A raw look at the bytes, independent of Vireo's tables: which prefixes, which map and opcode,
// the ModRM byte. Known differences and the summary of disagreements are keyed on it.
struct Raw {
    bool lock = false, p66 = false, p67 = false, seg = false;
    u8 last_rep = 0, rex = 0;
    Encoding enc = Encoding::Legacy;
    Map map = Map::M1;
    int vex_map = 1;  // VEX.mmmmm / EVEX.mmm as encoded (may name an undefined map)
    u8 op = 0;
    bool have_modrm = false;
    u8 modrm = 0;
    bool w = false;
    u8 l = 0;
    bool vex_after_bad_prefix = false;  // 66/F2/F3/LOCK/REX in front of a VEX/EVEX prefix
    bool vvvv_used = false;             // VEX/EVEX.vvvv names a register (not 1111b)
};

Raw scan(const u8* b, size_t n, int bits) {
    Raw r;
    size_t i = 0;
    for (; i < n; i++) {
        u8 x = b[i];
        if (x == 0xF0) r.lock = true;
        else if (x == 0xF2 || x == 0xF3) r.last_rep = x;
        else if (x == 0x66) r.p66 = true;
        else if (x == 0x67) r.p67 = true;
        else if (x == 0x26 || x == 0x2E || x == 0x36 || x == 0x3E || x == 0x64 || x == 0x65)
            r.seg = true;
        else if (bits == 64 && (x & 0xF0) == 0x40) { r.rex = x; continue; }
        else break;
        r.rex = 0;  // a REX followed by a legacy prefix is ignored (SDM Vol. 2A 2.2.1)
    }
    if (i >= n) return r;
    u8 x = b[i++];
    bool vex = (x == 0xC4 || x == 0xC5 || x == 0x62) && i < n &&
               (bits == 64 || (b[i] & 0xC0) == 0xC0);
    r.vex_after_bad_prefix = vex && (r.p66 || r.last_rep || r.lock || r.rex);
    if (vex && x == 0xC5 && i + 1 < n) {
        r.enc = Encoding::Vex;
        r.vex_map = 1;
        r.l = (b[i] >> 2) & 1;
        r.vvvv_used = ((b[i] >> 3) & 15) != 15;
        u8 pp = b[i] & 3;
        r.p66 = pp == 1;
        r.last_rep = pp == 2 ? 0xF3 : pp == 3 ? 0xF2 : 0;
        i += 1;
    } else if (vex && x == 0xC4 && i + 2 < n) {
        r.enc = Encoding::Vex;
        r.vex_map = b[i] & 31;
        r.w = b[i + 1] >> 7;
        r.l = (b[i + 1] >> 2) & 1;
        r.vvvv_used = ((b[i + 1] >> 3) & 15) != 15;
        u8 pp = b[i + 1] & 3;
        r.p66 = pp == 1;
        r.last_rep = pp == 2 ? 0xF3 : pp == 3 ? 0xF2 : 0;
        i += 2;
    } else if (vex && x == 0x62 && i + 3 < n) {
        r.enc = Encoding::Evex;
        r.vex_map = b[i] & 7;
        r.w = b[i + 1] >> 7;
        r.l = (b[i + 2] >> 5) & 3;
        u8 pp = b[i + 1] & 3;
        r.p66 = pp == 1;
        r.last_rep = pp == 2 ? 0xF3 : pp == 3 ? 0xF2 : 0;
        i += 3;
    } else if (x == 0x0F && i < n) {
        r.map = Map::M0F;
        r.vex_map = 1;
        x = b[i++];
        if ((x == 0x38 || x == 0x3A) && i < n) {
            r.map = x == 0x38 ? Map::M0F38 : Map::M0F3A;
            r.vex_map = x == 0x38 ? 2 : 3;
            x = b[i++];
        }
        r.op = x;
        r.w = r.rex & 8;
        if (i < n) { r.have_modrm = true; r.modrm = b[i]; }
        return r;
    } else {
        r.op = x;
        r.vex_map = 0;
        r.w = r.rex & 8;
        if (i < n) { r.have_modrm = true; r.modrm = b[i]; }
        return r;
    }
    if (r.vex_map >= 1 && r.vex_map <= 3) r.map = static_cast<Map>(r.vex_map);
    if (i < n) r.op = b[i++];
    if (i < n) { r.have_modrm = true; r.modrm = b[i]; }
    return r;
}

const char* map_name(const Raw& r) {
    if (r.enc == Encoding::Legacy) {
        static const char* kNames[] = {"", "0F ", "0F 38 ", "0F 3A "};
        return kNames[static_cast<int>(r.map)];
    }
    return "";
}

// The raw view as a pattern in the table's notation: "64 F2 0F 38 F0 /1 r".
std::string pattern_of(const Raw& r) {
    char buf[96];
    const char* pp = r.p66 ? "66 " : r.last_rep == 0xF3 ? "F3 " : r.last_rep == 0xF2 ? "F2 " : "";
    if (r.enc != Encoding::Legacy) {
        const char* ppv = r.p66 ? "66" : r.last_rep == 0xF3 ? "F3" : r.last_rep == 0xF2 ? "F2" : "NP";
        std::snprintf(buf, sizeof buf, "%s.L%d.%s.map%d.W%d %02X", r.enc == Encoding::Vex ? "VEX" : "EVEX",
                      r.l, ppv, r.vex_map, r.w ? 1 : 0, r.op);
    } else {
        std::snprintf(buf, sizeof buf, "%s%s%02X", pp, map_name(r), r.op);
    }
    std::string s = buf;
    if (r.have_modrm) {
        std::snprintf(buf, sizeof buf, " /%d %s", (r.modrm >> 3) & 7, (r.modrm >> 6) == 3 ? "r" : "m");
        s += buf;
    }
    if (r.lock) s += " +lock";
    if (r.w && r.enc == Encoding::Legacy) s += " +W1";
    if (r.p67) s += " +67";
    return s;
}

// ---------------------------------------------------------------------------------------------
// Known differences: decoder_known_differences.txt. Line format:
//   MODES KIND PATTERN... ; SDM reference and why
// MODES: 16,32,64 (any subset) or "all". KIND: capstone-only (capstone decodes, Vireo #UD),
// vireo-only, length, mnemonic. PATTERN: the table's opcode grammar (insn_table.h), matched
// against the raw bytes, plus qualifiers "+lock" (a LOCK prefix is present), "+66", "+67", "+seg",
// "+rep" (any F2/F3 prefix), "+prefix-ignored" (capstone decodes the same instruction with the
// 66/F2/F3 prefixes taken out: it ignored them), "+lock-ud" (Vireo decodes the same instruction
// and raises #UD only because of the LOCK prefix), "+vex" / "+evex" (the encoding),
// "+vex-prefix" (66, F2, F3, LOCK or REX in front of VEX/EVEX), "+vvvv" (VEX.vvvv is not
// 1111b) and "modrm=XX-YY" (ModRM byte
// range). The pattern "*" matches any opcode (with qualifiers to narrow it). The
// opcode may list several ranges separated by commas ("0C-0F,13").
enum class Kind { Agree, Length, Mnemonic, VireoOnly, CapstoneOnly };
const char* kind_name(Kind k) {
    switch (k) {
    case Kind::Agree: return "agree";
    case Kind::Length: return "length";
    case Kind::Mnemonic: return "mnemonic";
    case Kind::VireoOnly: return "vireo-only";
    case Kind::CapstoneOnly: return "capstone-only";
    }
    return "?";
}

struct Known {
    std::string line;
    unsigned modes = 0;  // bit 0: 16, bit 1: 32, bit 2: 64
    Kind kind = Kind::Agree;
    std::vector<std::string> opcodes;  // one per opcode range: "VEX.66.0F38.W1 0C-0F,13" is two
    std::vector<InsnRow> rows;         // rows[i].opcode points into opcodes[i]
    std::vector<ParsedRow> pats;
    bool want_lock = false, want_66 = false, want_67 = false, want_seg = false, want_rep = false;
    bool want_prefix_ignored = false, want_lock_ud = false;
    bool any_opcode = false, want_vex = false, want_evex = false, want_vex_prefix = false;
    bool want_vvvv = false;
    int modrm_lo = -1, modrm_hi = -1;
    u64 hits = 0;
};

bool parse_hex_range(const std::string& s, int& lo, int& hi) {
    auto dash = s.find('-');
    char* end;
    lo = static_cast<int>(std::strtol(s.substr(0, dash).c_str(), &end, 16));
    if (*end) return false;
    hi = lo;
    if (dash != std::string::npos) {
        hi = static_cast<int>(std::strtol(s.substr(dash + 1).c_str(), &end, 16));
        if (*end) return false;
    }
    return lo >= 0 && hi <= 255 && lo <= hi;
}

std::vector<Known> load_known(std::string* err) {
    std::vector<Known> out;
    std::ifstream f(VIREO_DECODER_KNOWN_DIFFERENCES);
    if (!f) {
        *err = std::string("cannot open ") + VIREO_DECODER_KNOWN_DIFFERENCES;
        return out;
    }
    std::string line;
    int lineno = 0;
    while (std::getline(f, line)) {
        lineno++;
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        size_t semi = line.find(';');
        std::string why = semi == std::string::npos ? "" : line.substr(semi + 1);
        if (why.find("SDM") == std::string::npos) {
            *err = "line " + std::to_string(lineno) + ": no SDM reference after ';'";
            return {};
        }
        std::istringstream ss(line.substr(0, semi));
        std::string modes, kind, tok;
        ss >> modes >> kind;
        Known k;
        k.line = line;
        if (modes == "all") k.modes = 7;
        else {
            std::istringstream ms(modes);
            for (std::string m; std::getline(ms, m, ',');) {
                if (m == "16") k.modes |= 1;
                else if (m == "32") k.modes |= 2;
                else if (m == "64") k.modes |= 4;
                else { *err = "line " + std::to_string(lineno) + ": bad mode " + m; return {}; }
            }
        }
        if (kind == "capstone-only") k.kind = Kind::CapstoneOnly;
        else if (kind == "vireo-only") k.kind = Kind::VireoOnly;
        else if (kind == "length") k.kind = Kind::Length;
        else if (kind == "mnemonic") k.kind = Kind::Mnemonic;
        else { *err = "line " + std::to_string(lineno) + ": bad kind " + kind; return {}; }
        std::string opcode;
        while (ss >> tok) {
            if (tok == "+lock") k.want_lock = true;
            else if (tok == "+66") k.want_66 = true;
            else if (tok == "+67") k.want_67 = true;
            else if (tok == "+seg") k.want_seg = true;
            else if (tok == "+rep") k.want_rep = true;
            else if (tok == "+prefix-ignored") k.want_prefix_ignored = true;
            else if (tok == "+lock-ud") k.want_lock_ud = true;
            else if (tok == "+vex") k.want_vex = true;
            else if (tok == "+evex") k.want_evex = true;
            else if (tok == "+vex-prefix") k.want_vex_prefix = true;
            else if (tok == "+vvvv") k.want_vvvv = true;
            else if (tok == "*") k.any_opcode = true;
            else if (tok.rfind("modrm=", 0) == 0) {
                if (!parse_hex_range(tok.substr(6), k.modrm_lo, k.modrm_hi)) {
                    *err = "line " + std::to_string(lineno) + ": bad " + tok;
                    return {};
                }
            } else opcode += (opcode.empty() ? "" : " ") + tok;
        }
        // The opcode token may list several ranges: "0C-0F,13,18-1A".
        std::istringstream os(opcode);
        std::vector<std::string> toks;
        for (std::string t; os >> t;) toks.push_back(t);
        size_t opi = toks.size();
        for (size_t i = 0; i < toks.size() && opi == toks.size(); i++)
            if (toks[i].find(',') != std::string::npos) opi = i;
        if (k.any_opcode) {
            if (!opcode.empty()) {
                *err = "line " + std::to_string(lineno) + ": '*' and an opcode";
                return {};
            }
        } else if (opi == toks.size()) {
            k.opcodes.push_back(opcode);
        } else {
            std::istringstream rs(toks[opi]);
            for (std::string r; std::getline(rs, r, ',');) {
                std::string o;
                for (size_t i = 0; i < toks.size(); i++) o += (i ? " " : "") + (i == opi ? r : toks[i]);
                k.opcodes.push_back(o);
            }
        }
        out.push_back(std::move(k));
    }
    // Parse the patterns once the strings stop moving (the rows point into them).
    for (Known& k : out) {
        k.rows.resize(k.opcodes.size());
        k.pats.resize(k.opcodes.size());
        for (size_t i = 0; i < k.opcodes.size(); i++) {
            k.rows[i] = InsnRow{k.opcodes[i].c_str(), "x", "", Feature::F_BASE};
            std::string perr;
            if (!parse_row(k.rows[i], k.pats[i], &perr)) {
                *err = "known difference \"" + k.line + "\": " + perr;
                return {};
            }
        }
    }
    return out;
}

bool pattern_matches(const Known& k, const ParsedRow& p, const Raw& r) {
    if (p.enc != r.enc) return false;
    if (r.enc != Encoding::Legacy && (r.vex_map < 1 || r.vex_map > 3)) return false;
    if (p.map != r.map || r.op < p.op_lo || r.op > p.op_hi) return false;
    switch (p.prefix) {
    case MandatoryPrefix::Any: break;
    case MandatoryPrefix::NP: if (r.p66 || r.last_rep) return false; break;
    case MandatoryPrefix::P66: if (!r.p66 || r.last_rep) return false; break;
    case MandatoryPrefix::PF3: if (r.last_rep != 0xF3) return false; break;
    case MandatoryPrefix::PF2: if (r.last_rep != 0xF2) return false; break;
    }
    if (p.w >= 0 && r.w != (p.w == 1)) return false;
    if (p.vex_l >= 0 && r.l != p.vex_l) return false;
    bool need_modrm = p.reg >= 0 || p.mod || p.modrm_exact >= 0 || k.modrm_lo >= 0;
    if (need_modrm && !r.have_modrm) return false;
    if (p.reg >= 0 && ((r.modrm >> 3) & 7) != p.reg) return false;
    if (p.mod == 1 && (r.modrm >> 6) == 3) return false;
    if (p.mod == 2 && (r.modrm >> 6) != 3) return false;
    if (p.modrm_exact >= 0 && r.modrm != p.modrm_exact) return false;
    if (k.modrm_lo >= 0 && (r.modrm < k.modrm_lo || r.modrm > k.modrm_hi)) return false;
    if (k.want_lock && !r.lock) return false;
    if (k.want_66 && !r.p66) return false;
    if (k.want_67 && !r.p67) return false;
    if (k.want_seg && !r.seg) return false;
    if (k.want_rep && !r.last_rep) return false;
    return true;
}

// prefix_ignored: capstone decodes the bytes the same way (mnemonic and length) with the
// 66/F2/F3 prefixes taken out, i.e. it ignored them.
// lock_ud: Vireo matched a row and raised #UD only for the LOCK prefix.
bool known_matches(const Known& k, const Raw& r, int mode_idx, Kind kind, bool prefix_ignored,
                   bool lock_ud) {
    if (!(k.modes & (1u << mode_idx)) || k.kind != kind) return false;
    if (k.want_prefix_ignored && !prefix_ignored) return false;
    if (k.want_lock_ud && !lock_ud) return false;
    if (k.want_vex && r.enc != Encoding::Vex) return false;
    if (k.want_evex && r.enc != Encoding::Evex) return false;
    if (k.want_vex_prefix && !r.vex_after_bad_prefix) return false;
    if (k.want_vvvv && !r.vvvv_used) return false;
    if (k.any_opcode) return true;
    for (const ParsedRow& p : k.pats)
        if (pattern_matches(k, p, r)) return true;
    return false;
}

// ---------------------------------------------------------------------------------------------
struct Example {
    int bits;
    Kind kind;
    std::vector<u8> bytes;
    std::string vireo, capstone;
};

class Checker {
public:
    Checker() : cs_{Capstone(16), Capstone(32), Capstone(64)} {
        features_.set();
        std::string err;
        known_ = load_known(&err);
        load_error_ = err;
        if (const char* e = std::getenv("VIREO_DECODER_EXAMPLES")) max_examples_ = std::atoi(e);
    }
    const std::string& load_error() const { return load_error_; }
    bool capstone_ok() const { return cs_[0].ok() && cs_[1].ok() && cs_[2].ok(); }

    void check(const u8* b, int mode_idx) {
        cases_[mode_idx]++;
        int bits = kModes[mode_idx];
        DecodedInsn d;
        DecodeStatus st = decode(b, kBuf, DecodeMode{static_cast<u8>(bits)}, features_, d);
        bool v_ok = st == DecodeStatus::Ok;
        Capstone& cs = cs_[mode_idx];
        bool c_ok = cs.decode(b, kBuf);
        Kind kind = Kind::Agree;
        if (v_ok && c_ok) {
            if (d.length != cs.insn().size) kind = Kind::Length;
            else {
                std::string_view vm = d.mnemonic();
                if (!vm.empty() && vm[0] != '(' && normalize_capstone(cs.insn().mnemonic) != vm)
                    kind = Kind::Mnemonic;
            }
        } else if (v_ok) kind = Kind::VireoOnly;
        else if (c_ok) kind = Kind::CapstoneOnly;
        if (kind == Kind::Agree) return;
        Raw r = scan(b, kBuf, bits);
        bool prefix_ignored = false;
        if (kind == Kind::CapstoneOnly && (r.p66 || r.last_rep)) {
            // Take the 66/F2/F3 bytes out of the prefixes and ask capstone again.
            std::string mnem = normalize_capstone(cs.insn().mnemonic);
            unsigned len = cs.insn().size;
            u8 c[kBuf] = {};
            size_t n = 0, i = 0;
            for (; i < kBuf; i++) {
                u8 x = b[i];
                bool legacy = x == 0x66 || x == 0x67 || x == 0xF0 || x == 0xF2 || x == 0xF3 ||
                              x == 0x26 || x == 0x2E || x == 0x36 || x == 0x3E || x == 0x64 ||
                              x == 0x65 || (bits == 64 && (x & 0xF0) == 0x40);
                if (!legacy) break;
                if (x != 0x66 && x != 0xF2 && x != 0xF3) c[n++] = x;
            }
            unsigned removed = static_cast<unsigned>(i - n);
            for (; i < kBuf; i++) c[n++] = b[i];
            prefix_ignored = cs.decode(c, kBuf) && cs.insn().size + removed == len &&
                             normalize_capstone(cs.insn().mnemonic) == mnem;
            cs.decode(b, kBuf);  // restore the original decode for the report
        }
        bool lock_ud = false;
        if (kind == Kind::CapstoneOnly && st == DecodeStatus::Invalid && d.row && d.lock)
            lock_ud = true;
        for (Known& k : known_)
            if (known_matches(k, r, mode_idx, kind, prefix_ignored, lock_ud)) {
                k.hits++;
                excused_++;
                return;
            }
        failures_++;
        std::string key = std::to_string(bits) + " " + kind_name(kind) + " " + pattern_of(r);
        auto& cl = clusters_[key];
        if (cl.count++ == 0) cl.example = describe(b, bits, kind, st, d, c_ok);
        if (static_cast<int>(examples_.size()) < max_examples_)
            examples_.push_back(describe(b, bits, kind, st, d, c_ok));
    }

    // Starts a new sweep: the failure count, examples and patterns are per sweep.
    void begin(const char* sweep) {
        failures_ = 0;
        examples_.clear();
        clusters_.clear();
        ran_.push_back(sweep);
    }
    bool ran(const std::string& sweep) const {
        return std::find(ran_.begin(), ran_.end(), sweep) != ran_.end();
    }
    u64 cases(int mode_idx) const { return cases_[mode_idx]; }
    u64 failures() const { return failures_; }
    u64 excused() const { return excused_; }
    const std::vector<Known>& known() const { return known_; }

    std::string report() const {
        std::string s;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%llu disagreements; first examples:\n",
                      static_cast<unsigned long long>(failures_));
        s += buf;
        for (const std::string& e : examples_) s += "  " + e + "\n";
        std::vector<std::pair<u64, std::string>> top;
        for (auto& [key, cl] : clusters_) top.push_back({cl.count, key + "  e.g. " + cl.example});
        std::sort(top.begin(), top.end(), [](auto& a, auto& b) { return a.first > b.first; });
        s += "most frequent patterns (mode kind pattern):\n";
        for (size_t i = 0; i < top.size() && i < static_cast<size_t>(max_examples_) * 2; i++) {
            std::snprintf(buf, sizeof buf, "  %8llu  ", static_cast<unsigned long long>(top[i].first));
            s += buf + top[i].second + "\n";
        }
        if (top.size() > static_cast<size_t>(max_examples_) * 2)
            s += "  ... " + std::to_string(top.size() - max_examples_ * 2) + " more patterns\n";
        return s;
    }

private:
    std::string describe(const u8* b, int bits, Kind kind, DecodeStatus st, const DecodedInsn& d,
                         bool c_ok) {
        std::string s;
        char buf[256];
        std::snprintf(buf, sizeof buf, "[%d-bit %s] ", bits, kind_name(kind));
        s += buf;
        unsigned shown = std::max<unsigned>(d.length, c_ok ? cs_[bits == 16 ? 0 : bits == 32 ? 1 : 2].insn().size : 0);
        shown = std::clamp<unsigned>(shown + 2, 6, kBuf);
        for (unsigned i = 0; i < shown; i++) {
            std::snprintf(buf, sizeof buf, "%02x ", b[i]);
            s += buf;
        }
        std::string_view m = d.mnemonic();
        std::snprintf(buf, sizeof buf, "| vireo: %s len %u %.*s (opsize %u addr %u) ",
                      std::string(decode_status_name(st)).c_str(), d.length,
                      static_cast<int>(m.size()), m.data(), d.opsize, d.addrsize);
        s += buf;
        if (c_ok) {
            const cs_insn& in = cs_[bits == 16 ? 0 : bits == 32 ? 1 : 2].insn();
            std::snprintf(buf, sizeof buf, "| capstone: len %u %s %s", in.size, in.mnemonic, in.op_str);
        } else {
            std::snprintf(buf, sizeof buf, "| capstone: invalid");
        }
        s += buf;
        return s;
    }

    struct Cluster {
        u64 count = 0;
        std::string example;
    };
    Capstone cs_[3];
    FeatureSet features_;
    std::vector<Known> known_;
    std::string load_error_;
    int max_examples_ = 25;
    u64 cases_[3] = {};
    u64 failures_ = 0, excused_ = 0;
    std::vector<std::string> examples_;
    std::vector<std::string> ran_;
    std::map<std::string, Cluster> clusters_;
};

// ---------------------------------------------------------------------------------------------
// Case generation.

// Padding after the ModRM/SIB bytes: varied so immediates, displacements and 3DNow! suffixes
// vary, but deterministic.
void pad(u8* b, size_t from, u32 seed) {
    u32 x = seed * 2654435761u + 0x9E3779B9u;
    for (size_t i = from; i < kBuf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = static_cast<u8>(x);
    }
}

// ModRM forms: every reg/rm for mod 3; every reg with rm 0 (plain base), 4 (SIB), 5 (disp32 /
// RIP-relative / [di]) and 6 ([bp] in 16-bit) for mod 0..2. A SIB byte follows rm 4; its base
// 5 (disp32 when mod is 0) and index 4 (none) forms appear among them.
struct ModrmForm {
    u8 modrm;
    u8 sib;
};
std::vector<ModrmForm> modrm_forms(bool small) {
    static constexpr u8 kSib[] = {0x24, 0x25, 0x8D, 0xE5, 0x44, 0x05, 0xA4, 0x1D};
    std::vector<ModrmForm> v;
    for (int mod = 0; mod < 4; mod++)
        for (int reg = 0; reg < 8; reg++) {
            if (mod == 3) {
                if (small) v.push_back({static_cast<u8>(0xC0 | reg << 3 | (reg ^ 1)), 0});
                else
                    for (int rm = 0; rm < 8; rm++) v.push_back({static_cast<u8>(0xC0 | reg << 3 | rm), 0});
                continue;
            }
            static constexpr u8 kRm[] = {0, 4, 5, 6};
            for (int i = 0; i < 4; i++) {
                if (small && i != (reg + mod) % 4) continue;
                v.push_back({static_cast<u8>(mod << 6 | reg << 3 | kRm[i]), kSib[(reg + mod + i) % 8]});
            }
        }
    return v;
}

// Writes prefix bytes + opcode bytes + ModRM (+SIB) + padding into b.
void build(u8* b, std::initializer_list<u8> head, const u8* opbytes, size_t nop, ModrmForm f,
           u32 seed) {
    size_t i = 0;
    for (u8 x : head) b[i++] = x;
    for (size_t k = 0; k < nop; k++) b[i++] = opbytes[k];
    b[i++] = f.modrm;
    b[i++] = f.sib;  // a SIB byte when the form has one; the first padding byte otherwise
    pad(b, i, seed);
}

Checker& checker() {
    static Checker c;
    return c;
}

void expect_clean(const char* what) {
    Checker& c = checker();
    EXPECT_EQ(c.failures(), 0u) << what << ": " << c.report();
}

TEST(DecoderCapstone, Setup) {
    Checker& c = checker();
    ASSERT_TRUE(c.capstone_ok());
    ASSERT_EQ(c.load_error(), "");
}

TEST(DecoderCapstone, ExhaustiveOpcodes) {
    Checker& c = checker();
    ASSERT_TRUE(c.capstone_ok());
    ASSERT_EQ(c.load_error(), "");
    c.begin("exhaustive");
    u8 b[kBuf];
    u64 before = c.cases(0) + c.cases(1) + c.cases(2);
    const std::vector<ModrmForm> full = modrm_forms(false), small = modrm_forms(true);
    u32 seed = 0;
    for (int mi = 0; mi < 3; mi++) {
        const bool m64 = kModes[mi] == 64;
        // Legacy maps with each prefix.
        std::vector<std::vector<u8>> prefixes = {{}, {0x66}, {0xF2}, {0xF3}, {0x67}, {0xF0}, {0x64}};
        if (m64) prefixes.push_back({0x48});
        static const std::vector<u8> kEsc[] = {{}, {0x0F}, {0x0F, 0x38}, {0x0F, 0x3A}};
        for (const auto& esc : kEsc)
            for (int op = 0; op < 256; op++)
                for (const auto& pre : prefixes)
                    for (const ModrmForm& f : full) {
                        u8 ops[4];
                        size_t n = 0;
                        for (u8 x : pre) ops[n++] = x;
                        for (u8 x : esc) ops[n++] = x;
                        ops[n++] = static_cast<u8>(op);
                        build(b, {}, ops, n, f, seed++);
                        c.check(b, mi);
                    }
        // VEX: C5 (map 0F) and C4 (maps 0F, 0F38, 0F3A and two undefined maps), every L, pp
        // and W, with vvvv = 1111 and R/X/B clear (so 16/32-bit mode sees VEX, not LDS/LES).
        // Each also with 66 and REX (both #UD before VEX) and with 67 and a segment override.
        std::vector<std::vector<u8>> vex_pre = {{}, {0x67}, {0x64}, {0x66}};
        if (m64) vex_pre.push_back({0x41});
        for (int op = 0; op < 256; op++)
            for (const auto& pre : vex_pre)
                for (int l = 0; l < 2; l++)
                    for (int pp = 0; pp < 4; pp++) {
                        for (const ModrmForm& f : small) {
                            u8 ops[8];
                            size_t n = 0;
                            for (u8 x : pre) ops[n++] = x;
                            ops[n++] = 0xC5;
                            ops[n++] = static_cast<u8>(0xF8 | l << 2 | pp);
                            ops[n++] = static_cast<u8>(op);
                            build(b, {}, ops, n, f, seed++);
                            c.check(b, mi);
                        }
                        for (int map : {1, 2, 3, 0, 4})
                            for (int w = 0; w < 2; w++)
                                for (const ModrmForm& f : small) {
                                    if (!pre.empty() && (map == 0 || map == 4)) continue;
                                    u8 ops[8];
                                    size_t n = 0;
                                    for (u8 x : pre) ops[n++] = x;
                                    ops[n++] = 0xC4;
                                    ops[n++] = static_cast<u8>(0xE0 | map);
                                    ops[n++] = static_cast<u8>(w << 7 | 0x78 | l << 2 | pp);
                                    ops[n++] = static_cast<u8>(op);
                                    build(b, {}, ops, n, f, seed++);
                                    c.check(b, mi);
                                }
                    }
        // EVEX: maps 1..3 (and 5, 6: AVX512-FP16), every pp, W and L'L 0..2; V' and vvvv
        // unused, no masking.
        for (int op = 0; op < 256; op++)
            for (int map : {1, 2, 3, 5, 6})
                for (int pp = 0; pp < 4; pp++)
                    for (int w = 0; w < 2; w++)
                        for (int ll = 0; ll < 3; ll++)
                            for (const ModrmForm& f : small) {
                                u8 ops[6] = {0x62, static_cast<u8>(0xF0 | map),
                                             static_cast<u8>(w << 7 | 0x7C | pp),
                                             static_cast<u8>(ll << 5 | 0x08), static_cast<u8>(op)};
                                build(b, {}, ops, 5, f, seed++);
                                c.check(b, mi);
                            }
    }
    u64 total = c.cases(0) + c.cases(1) + c.cases(2) - before;
    std::printf("exhaustive: %llu cases\n", static_cast<unsigned long long>(total));
    expect_clean("exhaustive sweep");
}

// Random byte strings: a third uniformly random; the rest 0-4 legacy prefixes (and a REX in
// 64-bit mode) in front of an opcode drawn from all maps, including VEX and EVEX.
void random_sweep(int mi) {
    Checker& c = checker();
    c.begin(kModes[mi] == 16 ? "random16" : kModes[mi] == 32 ? "random32" : "random64");
    std::mt19937_64 rng(0x5EED0000u + kModes[mi]);
    static constexpr u8 kPrefixes[] = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x36,
                                       0x3E, 0x26, 0x64, 0x65, 0x66, 0xF3, 0x66};
    const bool m64 = kModes[mi] == 64;
    u8 b[kBuf];
    for (size_t n = 0; n < kRandomPerMode; n++) {
        u64 r = rng();
        for (size_t i = 0; i < kBuf; i += 8) {
            u64 x = rng();
            std::memcpy(b + i, &x, std::min<size_t>(8, kBuf - i));
        }
        if (n % 3 != 0) {
            size_t i = 0;
            int np = static_cast<int>(r % 5);
            r /= 5;
            for (int k = 0; k < np; k++, r /= 16) b[i++] = kPrefixes[(r % 16) % sizeof kPrefixes];
            if (m64 && (r & 1)) b[i++] = static_cast<u8>(0x40 | ((r >> 1) & 15));
            r >>= 5;
            switch (r % 8) {
            case 0: case 1: break;                                    // one-byte map
            case 2: case 3: b[i++] = 0x0F; break;                     // 0F
            case 4: b[i++] = 0x0F; b[i++] = 0x38; break;              // 0F 38
            case 5: b[i++] = 0x0F; b[i++] = 0x3A; break;              // 0F 3A
            case 6:                                                   // VEX
                b[i] = (r & 8) ? 0xC4 : 0xC5;
                if ((r & 16) || !m64) b[i + 1] |= 0xC0;               // 16/32-bit: VEX, not LES/LDS
                if (b[i] == 0xC4 && (r & 32)) b[i + 1] = (b[i + 1] & 0xE0) | (1 + (r >> 6) % 3);
                break;
            case 7:                                                   // EVEX
                b[i] = 0x62;
                if ((r & 16) || !m64) b[i + 1] |= 0xC0;
                if (r & 32) { b[i + 1] &= ~0x08; b[i + 2] |= 0x04; b[i + 1] = (b[i + 1] & 0xF8) | (1 + (r >> 6) % 3); }
                break;
            }
        }
        c.check(b, mi);
    }
}

TEST(DecoderCapstone, Random16) {
    ASSERT_TRUE(checker().capstone_ok());
    random_sweep(0);
    expect_clean("random, 16-bit");
}
TEST(DecoderCapstone, Random32) {
    ASSERT_TRUE(checker().capstone_ok());
    random_sweep(1);
    expect_clean("random, 32-bit");
}
TEST(DecoderCapstone, Random64) {
    ASSERT_TRUE(checker().capstone_ok());
    random_sweep(2);
    expect_clean("random, 64-bit");
}

// Every known difference must still be needed, so the list only shrinks. Meaningful only when
// the whole suite ran (not under a --gtest_filter).
TEST(DecoderCapstone, KnownDifferencesAllUsed) {
    Checker& c = checker();
    if (!c.ran("exhaustive") || !c.ran("random16") || !c.ran("random32") || !c.ran("random64"))
        GTEST_SKIP() << "needs the exhaustive and random sweeps in the same run";
    for (const Known& k : c.known()) EXPECT_GT(k.hits, 0u) << "unused known difference: " << k.line;
    for (const Known& k : c.known())
        std::printf("known difference excused %llu times: %s\n",
                    static_cast<unsigned long long>(k.hits), k.line.c_str());
}

}  // namespace
}  // namespace vireo::x86
