// Table-driven x86-64 decoder (SDM Vol. 2A chapter 2, Vol. 2D Appendix A).
#include "frontend-x86/decoder.h"

namespace vireo::x86 {

std::string_view DecodedInsn::mnemonic() const {
    if (!row) return "(bad)";
    u8 size = row->mnem_by_asize ? addrsize : opsize;
    return row->mnem[size == 2 ? 0 : size == 4 ? 1 : 2];
}

std::string_view decode_status_name(DecodeStatus s) {
    switch (s) {
    case DecodeStatus::Ok: return "ok";
    case DecodeStatus::NeedMore: return "need-more";
    case DecodeStatus::TooLong: return "too-long";
    case DecodeStatus::Invalid: return "invalid";
    }
    return "?";
}

namespace {

constexpr size_t kMaxLen = 15;  // SDM Vol. 2A 2.3.11

struct Cursor {
    const u8* p;
    size_t avail;
    size_t pos = 0;
    DecodeStatus st = DecodeStatus::Ok;
    bool ok(size_t n) {
        if (st != DecodeStatus::Ok) return false;
        if (pos + n > kMaxLen) { st = DecodeStatus::TooLong; return false; }
        if (pos + n > avail) { st = DecodeStatus::NeedMore; return false; }
        return true;
    }
    u8 peek(size_t off = 0) const { return pos + off < avail ? p[pos + off] : 0; }
    bool can_peek(size_t off = 0) const { return pos + off < avail; }
    u64 take(size_t n) {  // little-endian, zero-extended
        u64 v = 0;
        for (size_t i = 0; i < n; i++) v |= u64(p[pos + i]) << (8 * i);
        pos += n;
        return v;
    }
};

u8 imm_bytes(const OperandSpec& o, const DecodedInsn& d) {
    switch (o.kind) {
    case OpKind::I:
    case OpKind::J:
        switch (o.size) {
        case OpSize::b: return 1;
        case OpSize::w: return 2;
        case OpSize::d: return 4;
        case OpSize::q: return 8;
        case OpSize::z: return d.opsize == 2 ? 2 : 4;
        case OpSize::v: return d.opsize;
        default: return 0;
        }
    case OpKind::O: return d.addrsize;
    case OpKind::L: return 1;  // VEX is4: the register in imm8[7:4] (SDM Vol. 2A 2.3.x)
    case OpKind::A: return d.opsize == 2 ? 2 : 4;  // plus the 2-byte selector (imm2)
    default: return 0;
    }
}

// ModRM/SIB/displacement (SDM Vol. 2A 2.1.5, Tables 2-1, 2-2, 2-3; 2.2.1.6 RIP-relative).
bool decode_modrm(Cursor& c, DecodedInsn& d, bool long64) {
    u8 mod = d.modrm >> 6, rm = d.modrm & 7;
    u8 rex_b = (d.rex & 1) << 3, rex_x = (d.rex & 2) << 2;
    d.rm = rm | rex_b;
    if (mod == 3) { d.mem = false; return true; }
    d.mem = true;
    MemOperand& m = d.m;
    u8 default_seg = DS;
    if (d.addrsize == 2) {
        static constexpr u8 kBase[8] = {3, 3, 5, 5, 6, 7, 5, 3};      // BX BX BP BP SI DI BP BX
        static constexpr u8 kIndex[8] = {6, 7, 6, 7, 0xff, 0xff, 0xff, 0xff};  // SI DI SI DI
        if (mod == 0 && rm == 6) {
            d.disp_size = 2;
        } else {
            m.base = kBase[rm];
            m.index = kIndex[rm];
            if (rm == 2 || rm == 3 || rm == 6) default_seg = SS;
            d.disp_size = mod == 1 ? 1 : mod == 2 ? 2 : 0;
        }
    } else {
        if (rm == 4) {
            if (!c.ok(1)) return false;
            u8 sib = static_cast<u8>(c.take(1));
            u8 base = sib & 7, index = ((sib >> 3) & 7) | rex_x;
            m.scale = sib >> 6;
            if (index != 4) m.index = index;
            if (base == 5 && mod == 0) {
                d.disp_size = 4;
            } else {
                m.base = base | rex_b;
                if (base == 4 || base == 5) default_seg = (m.base == 4 || m.base == 5) ? SS : DS;
            }
        } else if (rm == 5 && mod == 0) {
            d.disp_size = 4;
            m.rip_rel = long64;
        } else {
            m.base = rm | rex_b;
            if (m.base == 5) default_seg = SS;
        }
        if (mod == 1) d.disp_size = 1;
        else if (mod == 2) d.disp_size = 4;
    }
    if (d.disp_size) {
        if (!c.ok(d.disp_size)) return false;
        u64 v = c.take(d.disp_size);
        unsigned bits = d.disp_size * 8;
        m.disp = static_cast<i64>(v << (64 - bits)) >> (64 - bits);
    }
    m.seg = d.seg_override != SEG_NONE ? d.seg_override : default_seg;
    return true;
}

bool prefix_matches(const ParsedRow& r, const DecodedInsn& d, u8 last_rep) {
    switch (r.prefix) {
    case MandatoryPrefix::Any: return true;
    case MandatoryPrefix::NP: return !d.p66 && !last_rep;
    case MandatoryPrefix::P66: return d.p66 && !last_rep;
    case MandatoryPrefix::PF3: return last_rep == 0xF3;
    case MandatoryPrefix::PF2: return last_rep == 0xF2;
    }
    return false;
}


}  // namespace

DecodeStatus decode(const u8* bytes, size_t avail, DecodeMode mode, const FeatureSet& features,
                    DecodedInsn& d) {
    d = DecodedInsn{};
    Cursor c{bytes, avail};
    const bool long64 = mode.code_size == 64;
    u8 last_rep = 0;
    // Legacy prefixes (SDM Vol. 2A 2.1.1), then REX (2.2.1), which must come last.
    for (;;) {
        if (!c.ok(1)) return c.st;
        u8 b = c.peek();
        switch (b) {
        case 0xF0: d.lock = true; break;
        case 0xF2: d.repne = true; last_rep = b; break;
        case 0xF3: d.rep = true; last_rep = b; break;
        case 0x26: d.seg_override = ES; break;
        case 0x2E: d.seg_override = CS; break;
        case 0x36: d.seg_override = SS; break;
        case 0x3E: d.seg_override = DS; break;
        case 0x64: d.seg_override = FS; break;
        case 0x65: d.seg_override = GS; break;
        case 0x66: d.p66 = true; break;
        case 0x67: d.p67 = true; break;
        default:
            if (long64 && (b & 0xF0) == 0x40) {
                d.rex = b;
                c.pos++;
                // A REX not immediately before the opcode is ignored (2.2.1).
                if (!c.ok(1)) return c.st;
                u8 n = c.peek();
                bool legacy = n == 0xF0 || n == 0xF2 || n == 0xF3 || n == 0x26 || n == 0x2E ||
                              n == 0x36 || n == 0x3E || n == 0x64 || n == 0x65 || n == 0x66 ||
                              n == 0x67 || (n & 0xF0) == 0x40;
                if (legacy) { d.rex = 0; continue; }
            }
            goto opcode;
        }
        c.pos++;
    }
opcode:
    // In 64-bit mode the ES/CS/SS/DS overrides are ignored (SDM Vol. 1 3.3.7.1).
    if (long64 && d.seg_override != SEG_NONE && d.seg_override < FS) d.seg_override = SEG_NONE;
    d.rex_w = d.rex & 8;
    if (!c.ok(1)) return c.st;
    u8 b = static_cast<u8>(c.take(1));
    Encoding enc = Encoding::Legacy;
    Map map = Map::M1;
    bool vex_like = (b == 0xC4 || b == 0xC5 || b == 0x62) &&
                    (long64 || (c.can_peek() && (c.peek() & 0xC0) == 0xC0));
    if (vex_like && !c.can_peek()) return DecodeStatus::NeedMore;
    u8 vex_pp = 0;
    if (vex_like) {
        // VEX (2.3.5) / EVEX (2.7.1): no REX, 66, F2, F3 or LOCK before them (#UD).
        bool bad_prefix = d.rex || d.p66 || d.rep || d.repne || d.lock;
        u8 r_x_b = 0, mmm = 1;
        bool w = false;
        if (b == 0xC5) {
            if (!c.ok(1)) return c.st;
            u8 b1 = static_cast<u8>(c.take(1));
            r_x_b = ((~b1 >> 7) & 1) << 2;
            d.vvvv = (~b1 >> 3) & 15;
            d.vex_l = (b1 >> 2) & 1;
            vex_pp = b1 & 3;
            enc = Encoding::Vex;
        } else if (b == 0xC4) {
            if (!c.ok(2)) return c.st;
            u8 b1 = static_cast<u8>(c.take(1)), b2 = static_cast<u8>(c.take(1));
            r_x_b = (~b1 >> 5) & 7;
            mmm = b1 & 31;
            w = b2 >> 7;
            d.vvvv = (~b2 >> 3) & 15;
            d.vex_l = (b2 >> 2) & 1;
            vex_pp = b2 & 3;
            enc = Encoding::Vex;
        } else {
            if (!c.ok(3)) return c.st;
            u8 p0 = static_cast<u8>(c.take(1)), p1 = static_cast<u8>(c.take(1)),
               p2 = static_cast<u8>(c.take(1));
            r_x_b = (~p0 >> 5) & 7;
            mmm = p0 & 7;
            w = p1 >> 7;
            d.vvvv = ((~p1 >> 3) & 15) | (((~p2 >> 3) & 1) << 4);
            d.vex_l = (p2 >> 5) & 3;
            vex_pp = p1 & 3;
            enc = Encoding::Evex;
            if (p0 & 0x08) bad_prefix = true;   // P0 bit 3 must be 0
            if (!(p1 & 0x04)) bad_prefix = true;  // P1 bit 2 must be 1
        }
        d.rex = 0x40 | (w ? 8 : 0) | r_x_b;
        d.rex_w = w;
        if (!long64) { d.rex &= ~7; d.vvvv &= 7; }  // R/X/B and vvvv[3] ignored outside 64-bit
        if (mmm < 1 || mmm > 3 || bad_prefix) {
            d.length = static_cast<u8>(c.pos);
            return DecodeStatus::Invalid;
        }
        map = static_cast<Map>(mmm);
        d.p66 = vex_pp == 1;
        last_rep = vex_pp == 2 ? 0xF3 : vex_pp == 3 ? 0xF2 : 0;
        if (!c.ok(1)) return c.st;
        b = static_cast<u8>(c.take(1));
    } else if (b == 0x0F) {
        if (!c.ok(1)) return c.st;
        b = static_cast<u8>(c.take(1));
        map = Map::M0F;
        if (b == 0x38 || b == 0x3A) {
            map = b == 0x38 ? Map::M0F38 : Map::M0F3A;
            if (!c.ok(1)) return c.st;
            b = static_cast<u8>(c.take(1));
        }
    }
    d.enc = enc;
    d.map = map;
    d.opcode = b;
    d.last_rep = last_rep;

    const u8 def32 = mode.code_size != 16;
    d.addrsize = long64 ? (d.p67 ? 4 : 8) : ((def32 != d.p67) ? 4 : 2);

    const InsnTable& t = insn_table();
    const auto& bucket = t.bucket[static_cast<int>(enc)][static_cast<int>(map)][b];
    bool modrm_read = false;
    const ParsedRow* feature_missing = nullptr;
    const ParsedRow* match = nullptr;
    for (u16 idx : bucket) {
        const ParsedRow& r = t.rows[idx];
        if (r.i64 && long64) continue;
        if (r.o64 && !long64) continue;
        if (!prefix_matches(r, d, last_rep)) continue;
        if (r.w >= 0 && (d.rex_w ? 1 : 0) != r.w) continue;
        if (r.vex_l >= 0 && d.vex_l != r.vex_l) continue;
        if (r.norexb && (d.rex & 1)) continue;
        if (r.modrm && !modrm_read) {
            if (!c.ok(1)) return c.st;
            d.modrm = static_cast<u8>(c.take(1));
            d.has_modrm = modrm_read = true;
        }
        if (r.reg >= 0 && d.modrm_reg() != r.reg) continue;
        if (r.modrm_exact >= 0 && d.modrm != r.modrm_exact) continue;
        if (r.mod == 1 && d.mod() == 3) continue;
        if (r.mod == 2 && d.mod() != 3) continue;
        if (r.src->feature != Feature::F_BASE && !has(features, r.src->feature)) {
            if (!feature_missing) feature_missing = &r;
            continue;
        }
        match = &r;
        break;
    }
    const ParsedRow* r = match ? match : feature_missing;
    if (!r) {
        d.length = static_cast<u8>(c.pos);
        return DecodeStatus::Invalid;
    }
    d.row = r;
    // Operand size (SDM Vol. 2A 2.2.1.2, Table 2-4; Vol. 2D Table A-1 d64/f64). A 66 that
    // selects the row as a mandatory prefix is not an operand-size prefix (2.1.1), and VEX/EVEX
    // carry no operand-size prefix at all: there only W (64-bit mode) widens general registers.
    if (enc != Encoding::Legacy) {
        d.opsize = long64 && d.rex_w ? 8 : 4;
    } else {
        const bool osz = d.p66 && r->prefix != MandatoryPrefix::P66;
        d.opsize = long64 ? (d.rex_w ? 8 : osz ? 2 : 4) : ((def32 != osz) ? 4 : 2);
        if (long64 && (r->f64 || (r->d64 && !osz))) d.opsize = 8;
    }
    d.reg = ((d.modrm >> 3) & 7) | ((d.rex & 4) << 1);
    if (r->plus_r) d.rm = (b & 7) | ((d.rex & 1) << 3);
    if (r->modrm) {
        // An R operand (Vol. 2D A.2.1: "the R/M field may refer only to a general register",
        // MOV to/from CR/DR) ignores mod: never memory, so no SIB or displacement follows.
        bool reg_only = false;
        for (unsigned i = 0; i < r->nops; i++) reg_only |= r->ops[i].kind == OpKind::R;
        if (reg_only) {
            d.mem = false;
            d.rm = (d.modrm & 7) | ((d.rex & 1) << 3);
        } else if (!decode_modrm(c, d, long64)) {
            return c.st;
        }
    }
    for (unsigned i = 0; i < r->nops; i++) {
        u8 n = imm_bytes(r->ops[i], d);
        if (!n) continue;
        if (!c.ok(n)) return c.st;
        u64 v = c.take(n);
        if (d.imm_size == 0) { d.imm = v; d.imm_size = n; }
        else { d.imm2 = v; d.imm2_size = n; }
        if (r->ops[i].kind == OpKind::A) {  // far pointer: offset then selector
            if (!c.ok(2)) return c.st;
            d.imm2 = c.take(2);
            d.imm2_size = 2;
        }
    }
    d.length = static_cast<u8>(c.pos);
    if (r == feature_missing) return DecodeStatus::Invalid;
    // LOCK only on the listed forms with a memory destination (SDM Vol. 2A LOCK: else #UD).
    if (d.lock && !(r->lock && d.mem)) return DecodeStatus::Invalid;
    return DecodeStatus::Ok;
}

}  // namespace vireo::x86
