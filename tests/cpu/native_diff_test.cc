// Native-differential test (STYLE.md: "test against something that cannot be wrong the same
// way"): every user-level instruction form Vireo implements runs from the same initial state
// natively on the x86-64 host and in Vireo's tier 0, and the results are compared: all GPRs,
// the RFLAGS arithmetic bits the SDM defines for the instruction (undefined ones are masked,
// per instruction and sometimes per input, e.g. OF after multi-bit shifts), DF, and the whole
// data area the instruction could touch. Cases that fault natively (#DE, #GP, #PF, #UD) must
// raise the same exception in Vireo, with the same registers at the fault (the kernel's signal
// context gives the native ones) and, for #PF, the same faulting address: REP string forms run
// into not-present pages part-way to check the state of the faulting iteration.
//
// How the native side runs: the instruction is assembled into a trampoline in a fixed low
// executable mapping that loads all 16 GPRs and RFLAGS from a state block (absolute disp32
// addressing, so no register is needed as a pointer), runs the instruction, and stores them
// back. Faults arrive as signals (sigsetjmp/siglongjmp on an alternate stack); the kernel's
// trap number gives the vector. The 32-bit-only instructions (DAA, DAS, AAA, AAS, AAM, AAD,
// INC/DEC 40+r, PUSHA/POPA) run natively in compatibility mode: the trampoline far-returns to
// Linux's 32-bit user code segment (0x23) and back to 0x33; Vireo runs them in compatibility
// mode too (CS.L = 0, CS.D = 1 under EFER.LMA). So every form has a real-CPU reference.
//
// The Vireo side runs tier 0 on a FlatRamHost whose identity-paged RAM holds the data area at
// the same linear address as the native one, and the instruction at the same address as in the
// native trampoline (RIP-relative operands and RIP-dependent results agree).
//
// Environment: VIREO_NATIVE_DIFF_STATES=N initial states per form (default 256),
// VIREO_NATIVE_DIFF_SEED=S, VIREO_NATIVE_DIFF_FILTER=substring of form names to run,
// VIREO_NATIVE_DIFF_EXAMPLES=N mismatches printed per test (default 12; at most
// VIREO_NATIVE_DIFF_PER_FORM=M per form, default 2),
// VIREO_NATIVE_DIFF_VERBOSE=1 prints each form as it runs,
// VIREO_NATIVE_DIFF_STRICT=1 also compares the flags the SDM leaves undefined (to see how
// Vireo's choices match this host; expected to differ between Intel and AMD hosts).
#include <array>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <bit>
#include <cmath>
#include "tests/cpu/native_diff_fp.h"
#include "tests/cpu/native_diff_harness.h"
#include "tests/cpu/native_diff_x87.h"

namespace vireo::test::native_diff {
namespace {

// Known failures (see native_diff_harness.h).
// Empty now: the forms that were here (REP string compares with both F2 and F3) pass since the
// decoder records which of F2/F3 came last.
constexpr std::array<KnownFailure, 0> kKnownFailures{};

}  // namespace

const KnownFailure* known_failure(const std::string& name) {
    return find_known_failure(kKnownFailures, name);
}

namespace {

// ------------------------------------------------------------------------------------------
// Form catalogue helpers.
//
// Register choices per operand size: (reg, rm) pairs. For bytes: DL/DH (no REX: 4..7 are the
// high bytes), AH/AL, and DIL/R9B (REX). For the rest: RDX/RSI and R15/R9.
struct RegPair { int reg, rm; bool rex; };
std::vector<RegPair> reg_pairs(unsigned bits) {
    if (bits == 8) return {{2, 6, false}, {4, 0, false}, {7, 9, true}};
    return {{2, 6, false}, {15, 9, false}};
}
// Memory forms: base RBX or R13 (with reg R10 so REX.R and REX.B are both exercised).
std::vector<std::pair<int, int>> mem_choices(unsigned bits) {
    if (bits == 8) return {{2, 3}, {4, 3}, {10, 13}};
    return {{2, 3}, {10, 13}};
}
const char* size_name(unsigned bits) { return bits == 8 ? "8" : bits == 16 ? "16" : bits == 32 ? "32" : "64"; }

// Prefixes for an operand size with an opcode that has a byte form (opcode) and a v form (+1).
Enc sized(unsigned bits, std::vector<u8> op_byte, std::vector<u8> op_v, std::vector<u8> extra_pre = {}) {
    Enc e;
    e.pre = extra_pre;
    if (bits == 16) e.pre.push_back(0x66);
    e.w = bits == 64;
    e.op = bits == 8 ? op_byte : op_v;
    return e;
}

Form make(std::string name, const Enc& e, unsigned bits) {
    Form f;
    f.name = std::move(name);
    f.code = encode(e);
    f.opbits = bits;
    if (e.modrm && e.rm.mem) {
        f.mem_base = e.rm.base;
        f.mem_disp = e.rm.disp;
        f.mem_size = bits / 8;
    }
    return f;
}

// Forms of a "Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev" instruction in every size, register and memory.
void add_rm_reg(std::vector<Form>& out, const std::string& name, u8 op, u64 flags, bool both_dirs = true,
                std::vector<u8> pre = {}) {
    for (unsigned bits : {8, 16, 32, 64}) {
        for (int dir = 0; dir < (both_dirs ? 2 : 1); dir++) {
            const u8 o = static_cast<u8>(op + 2 * dir);
            for (auto p : reg_pairs(bits)) {
                Enc e = sized(bits, {o}, {static_cast<u8>(o + 1)}, pre);
                e.reg = p.reg;
                e.rm = R(p.rm);
                e.force_rex = p.rex;
                Form f = make(name + " r" + size_name(bits) + (dir ? " Gv,Ev reg" : " Ev,Gv reg"), e, bits);
                f.flags = flags;
                out.push_back(f);
            }
            for (auto [reg, base] : mem_choices(bits)) {
                Enc e = sized(bits, {o}, {static_cast<u8>(o + 1)}, pre);
                e.reg = reg;
                e.rm = M(base);
                Form f = make(name + " r" + size_name(bits) + (dir ? " Gv,Ev mem" : " Ev,Gv mem"), e, bits);
                f.flags = flags;
                out.push_back(f);
            }
        }
    }
}

// Group forms "op /digit" with an immediate of imm_bytes (0: none), every size.
void add_group(std::vector<Form>& out, const std::string& name, u8 op_b, u8 op_v, int digit, u64 flags,
               int imm_b, int imm_v /* -1: z (2 or 4) */, std::vector<unsigned> sizes = {8, 16, 32, 64},
               Rng* rng = nullptr) {
    Rng local(std::hash<std::string>()(name) + digit);
    Rng& r = rng ? *rng : local;
    for (unsigned bits : sizes) {
        const int ib = bits == 8 ? imm_b : imm_v == -1 ? (bits == 16 ? 2 : 4) : imm_v;
        for (int variant = 0; variant < 4; variant++) {
            const bool mem = variant >= 2;
            Enc e = sized(bits, {op_b}, {op_v});
            e.reg = digit;
            if (mem) e.rm = variant == 2 ? M(3) : M(13, -8);
            else e.rm = variant == 0 ? R(bits == 8 ? 7 : 6) : R(bits == 8 ? 11 : 12);
            if (bits == 8 && variant == 0) e.force_rex = (r() & 1);  // BH or DIL
            // A few immediates per form: edges and random.
            std::vector<u64> imms = {0, 1, ~0ull, 0x80, 0x7f, r(), r()};
            if (ib == 0) imms = {0};
            for (u64 iv : imms) {
                e.imm = le(iv, ib);
                char nm[160];
                std::snprintf(nm, sizeof nm, "%s r%s %s imm=%s", name.c_str(), size_name(bits), mem ? "mem" : "reg",
                              hex(e.imm).c_str());
                Form f = make(nm, e, bits);
                f.flags = flags;
                f.states = ib ? 96 : 0;
                out.push_back(f);
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// ALU, INC/DEC/NEG/NOT, TEST.
std::vector<Form> alu_forms() {
    std::vector<Form> v;
    const struct { const char* name; u8 base; int digit; u64 flags; } ops[] = {
        {"add", 0x00, 0, ALL}, {"or", 0x08, 1, ALL & ~AF}, {"adc", 0x10, 2, ALL}, {"sbb", 0x18, 3, ALL},
        {"and", 0x20, 4, ALL & ~AF}, {"sub", 0x28, 5, ALL}, {"xor", 0x30, 6, ALL & ~AF}, {"cmp", 0x38, 7, ALL},
    };
    for (auto& o : ops) {
        add_rm_reg(v, o.name, o.base, o.flags);
        // AL,Ib / rAX,Iz
        for (unsigned bits : {8, 16, 32, 64}) {
            Enc e = sized(bits, {static_cast<u8>(o.base + 4)}, {static_cast<u8>(o.base + 5)});
            e.modrm = false;
            for (u64 iv : {0ull, 1ull, 0x80ull, 0x7fffffffull, 0x80000000ull, 0xdeadbeefull}) {
                e.imm = le(iv, bits == 8 ? 1 : bits == 16 ? 2 : 4);
                Form f = make(std::string(o.name) + " acc r" + size_name(bits) + " imm=" + hex(e.imm), e, bits);
                f.flags = o.flags;
                f.states = 512;
                v.push_back(f);
            }
        }
        add_group(v, o.name, 0x80, 0x81, o.digit, o.flags, 1, -1);
        add_group(v, std::string(o.name) + " (83)", 0x80, 0x83, o.digit, o.flags, 1, 1, {16, 32, 64});
    }
    add_rm_reg(v, "test", 0x84, ALL & ~AF, false);
    add_group(v, "test", 0xF6, 0xF7, 0, ALL & ~AF, 1, -1);
    for (unsigned bits : {8, 16, 32, 64}) {
        Enc e = sized(bits, {0xA8}, {0xA9});
        e.modrm = false;
        e.imm = le(0x8001, bits == 8 ? 1 : bits == 16 ? 2 : 4);
        Form f = make(std::string("test acc r") + size_name(bits), e, bits);
        f.flags = ALL & ~AF;
        v.push_back(f);
    }
    add_group(v, "inc", 0xFE, 0xFF, 0, ALL, 0, 0);
    add_group(v, "dec", 0xFE, 0xFF, 1, ALL, 0, 0);
    add_group(v, "not", 0xF6, 0xF7, 2, ALL, 0, 0);
    add_group(v, "neg", 0xF6, 0xF7, 3, ALL, 0, 0);
    // LOCK forms (memory destination).
    for (unsigned bits : {8, 32, 64}) {
        Enc e = sized(bits, {0x00}, {0x01}, {0xF0});
        e.reg = 2;
        e.rm = M(3);
        Form f = make(std::string("lock add r") + size_name(bits) + " mem", e, bits);
        v.push_back(f);
        Enc e2 = sized(bits, {0xFE}, {0xFF}, {0xF0});
        e2.reg = 1;
        e2.rm = M(13);
        Form g = make(std::string("lock dec r") + size_name(bits) + " mem", e2, bits);
        v.push_back(g);
    }
    // XOR r,r / SUB r,r zero idioms.
    for (unsigned bits : {32, 64}) {
        for (u8 op : {0x31, 0x29}) {
            Enc e = sized(bits, {op}, {op});
            e.reg = 5;
            e.rm = R(5);
            Form f = make(std::string(op == 0x31 ? "xor" : "sub") + " same reg r" + size_name(bits), e, bits);
            f.flags = op == 0x31 ? ALL & ~AF : ALL;
            v.push_back(f);
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// Shifts and rotates (SDM Vol. 2B SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR), SHLD/SHRD.
u64 shift_flags(int digit, unsigned bits, unsigned raw) {
    const unsigned cnt = raw & (bits == 64 ? 63 : 31);
    if (!cnt) return ALL;  // nothing changes
    u64 m;
    if (digit <= 3) {  // rotates: only CF and OF are affected
        m = ALL;
        if (cnt != 1) m &= ~OF;
    } else {
        m = ALL & ~AF;  // AF undefined for a nonzero count
        if (cnt != 1) m &= ~OF;
        if ((digit == 4 || digit == 5 || digit == 6) && cnt >= bits) m &= ~CF;
    }
    return m;
}

std::vector<Form> shift_forms() {
    std::vector<Form> v;
    static const char* names[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal(/6)", "sar"};
    for (int digit = 0; digit < 8; digit++) {
        for (unsigned bits : {8, 16, 32, 64}) {
            for (int variant = 0; variant < 3; variant++) {
                const bool mem = variant == 2;
                const Rm rm = mem ? M(13) : variant == 0 ? R(bits == 8 ? 6 : 6) : R(11);
                // by 1
                {
                    Enc e = sized(bits, {0xD0}, {0xD1});
                    e.reg = digit;
                    e.rm = rm;
                    Form f = make(std::string(names[digit]) + " r" + size_name(bits) + (mem ? " mem" : " reg") + ",1", e, bits);
                    f.flags = shift_flags(digit, bits, 1);
                    f.states = 96;
                    v.push_back(f);
                }
                // by CL: random counts, biased to 0..size+1
                {
                    Enc e = sized(bits, {0xD2}, {0xD3});
                    e.reg = digit;
                    e.rm = rm;
                    Form f = make(std::string(names[digit]) + " r" + size_name(bits) + (mem ? " mem" : " reg") + ",cl", e, bits);
                    f.setup = [bits](Input& in, Rng& r, unsigned) {
                        if (r() % 4) in.gpr[RCX] = (in.gpr[RCX] & ~0xffull) | (r() % (bits + 3));
                    };
                    f.flags_fn = [digit, bits](const Input& in) { return shift_flags(digit, bits, in.gpr[RCX] & 0xff); };
                    v.push_back(f);
                }
                // by imm8
                for (unsigned cnt : {0u, 1u, 2u, bits - 1, bits, bits + 1, 31u, 0xffu}) {
                    Enc e = sized(bits, {0xC0}, {0xC1});
                    e.reg = digit;
                    e.rm = rm;
                    e.imm = {static_cast<u8>(cnt)};
                    Form f = make(std::string(names[digit]) + " r" + size_name(bits) + (mem ? " mem" : " reg") + ",imm " + std::to_string(cnt), e, bits);
                    f.flags = shift_flags(digit, bits, cnt);
                    f.states = 64;
                    v.push_back(f);
                }
            }
        }
    }
    // SHLD/SHRD
    for (int right = 0; right < 2; right++) {
        for (unsigned bits : {16, 32, 64}) {
            for (int variant = 0; variant < 2; variant++) {
                const bool mem = variant == 1;
                const std::string nm = std::string(right ? "shrd" : "shld") + " r" + size_name(bits) + (mem ? " mem" : " reg");
                auto flags_of = [bits](unsigned raw) {
                    const unsigned cnt = raw & (bits == 64 ? 63 : 31);
                    if (!cnt) return ALL;
                    u64 m = ALL & ~AF;
                    if (cnt != 1) m &= ~OF;
                    return m;
                };
                auto undefined = [bits](unsigned raw) { return bits == 16 && (raw & 31) > 16; };
                {
                    Enc e = sized(bits, {}, {0x0F, static_cast<u8>(right ? 0xAD : 0xA5)});
                    e.reg = 10;
                    e.rm = mem ? M(3) : R(7);
                    Form f = make(nm + ",cl", e, bits);
                    f.setup = [bits](Input& in, Rng& r, unsigned) {
                        if (r() % 4) in.gpr[RCX] = (in.gpr[RCX] & ~0xffull) | (r() % (bits + 3));
                    };
                    f.flags_fn = [flags_of](const Input& in) { return flags_of(in.gpr[RCX] & 0xff); };
                    f.skip = [undefined](const Input& in) { return undefined(in.gpr[RCX] & 0xff); };
                    v.push_back(f);
                }
                for (unsigned cnt : {0u, 1u, 7u, bits - 1, bits, 31u, 63u}) {
                    if (bits == 16 && (cnt & 31) > 16) continue;
                    Enc e = sized(bits, {}, {0x0F, static_cast<u8>(right ? 0xAC : 0xA4)});
                    e.reg = 10;
                    e.rm = mem ? M(3) : R(7);
                    e.imm = {static_cast<u8>(cnt)};
                    Form f = make(nm + ",imm " + std::to_string(cnt), e, bits);
                    f.flags = flags_of(cnt);
                    f.states = 96;
                    v.push_back(f);
                }
            }
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// MUL/IMUL/DIV/IDIV, CBW family.
std::vector<Form> muldiv_forms() {
    std::vector<Form> v;
    // One-operand forms: F6/F7 /4 mul, /5 imul, /6 div, /7 idiv.
    for (int digit = 4; digit < 8; digit++) {
        static const char* names[8] = {"", "", "", "", "mul", "imul", "div", "idiv"};
        for (unsigned bits : {8, 16, 32, 64}) {
            for (int variant = 0; variant < 3; variant++) {
                const bool mem = variant == 2;
                Enc e = sized(bits, {0xF6}, {0xF7});
                e.reg = digit;
                e.rm = mem ? M(3) : variant == 0 ? R(bits == 8 ? 7 : 6) : R(9);
                if (bits == 8 && variant == 0) e.force_rex = false;  // BH
                Form f = make(std::string(names[digit]) + " r" + size_name(bits) + (mem ? " mem" : " reg"), e, bits);
                f.flags = digit < 6 ? (CF | OF) : 0;
                if (digit >= 6) {
                    const bool sgn = digit == 7;
                    const int rmreg = mem ? -1 : e.rm.reg;
                    const bool bh = bits == 8 && !mem && e.rm.reg == 7 && !e.force_rex;
                    // Make most divisions fit: a small high half (DIV) or a sign-extended
                    // dividend (IDIV); keep some overflowing and zero divisors.
                    f.setup = [bits, sgn, rmreg, bh, mem](Input& in, Rng& r, unsigned k) {
                        const u64 mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
                        const unsigned kind = k % 8;
                        if (kind < 5) {
                            if (bits == 8) {
                                // AX / r8: make AH small or the sign extension of AL
                                u64 ax = in.gpr[RAX] & 0xffff;
                                u8 al = static_cast<u8>(ax);
                                u8 ahv = sgn ? ((al & 0x80) ? 0xff : 0) : static_cast<u8>(r() % 4);
                                in.gpr[RAX] = (in.gpr[RAX] & ~0xffffull) | (u64(ahv) << 8) | al;
                            } else {
                                const u64 a = in.gpr[RAX] & mask;
                                const u64 hi = sgn ? ((a >> (bits - 1)) & 1 ? mask : 0) : (r() % 4);
                                in.gpr[RDX] = (in.gpr[RDX] & ~mask) | hi;
                            }
                            // divisor: nonzero, larger than the high half
                            if (mem) {
                                const u64 off = in.gpr[3] + 0x10 - kDataAddr;
                                u64 d = get_mem(in, off, bits / 8);
                                if (!(d & mask)) d |= 5;
                                if (!sgn) d |= 1ull << (bits - 1);
                                put_mem(in, off, d, bits / 8);
                            } else if (rmreg >= 0) {
                                u64& d = bh ? in.gpr[RBX] : in.gpr[rmreg];
                                const unsigned sh = bh ? 8 : 0;
                                if (!((d >> sh) & mask)) d |= u64(5) << sh;
                                if (!sgn) d |= 1ull << (bits - 1 + sh);
                            }
                        }
                    };
                }
                v.push_back(f);
            }
        }
    }
    // IMUL Gv,Ev / Gv,Ev,Iz / Gv,Ev,Ib
    for (unsigned bits : {16, 32, 64}) {
        for (int variant = 0; variant < 2; variant++) {
            const bool mem = variant == 1;
            const Rm rm = mem ? M(13) : R(6);
            Enc e = sized(bits, {}, {0x0F, 0xAF});
            e.reg = 10;
            e.rm = rm;
            Form f = make(std::string("imul2 r") + size_name(bits) + (mem ? " mem" : " reg"), e, bits);
            f.flags = CF | OF;
            v.push_back(f);
            for (u64 iv : {0ull, 1ull, 0xffffffffull, 0x7fffull, 0x12345678ull}) {
                Enc e3 = sized(bits, {}, {0x69});
                e3.reg = 1;
                e3.rm = rm;
                e3.imm = le(iv, bits == 16 ? 2 : 4);
                Form g = make(std::string("imul3 Iz r") + size_name(bits) + (mem ? " mem" : " reg") + " imm=" + hex(e3.imm), e3, bits);
                g.flags = CF | OF;
                g.states = 96;
                v.push_back(g);
                Enc e4 = sized(bits, {}, {0x6B});
                e4.reg = 14;
                e4.rm = rm;
                e4.imm = le(iv, 1);
                Form h = make(std::string("imul3 Ib r") + size_name(bits) + (mem ? " mem" : " reg") + " imm=" + hex(e4.imm), e4, bits);
                h.flags = CF | OF;
                h.states = 96;
                v.push_back(h);
            }
        }
    }
    // CBW/CWDE/CDQE, CWD/CDQ/CQO
    for (unsigned bits : {16, 32, 64}) {
        for (u8 op : {0x98, 0x99}) {
            Enc e = sized(bits, {}, {op});
            e.modrm = false;
            Form f = make(std::string(op == 0x98 ? "cbw-family" : "cwd-family") + " r" + size_name(bits), e, bits);
            v.push_back(f);
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// Data movement.
std::vector<Form> data_forms() {
    std::vector<Form> v;
    add_rm_reg(v, "mov", 0x88, ALL);
    add_group(v, "mov", 0xC6, 0xC7, 0, ALL, 1, -1);
    // B0+r / B8+r (imm64 with REX.W)
    for (unsigned bits : {8, 16, 32, 64}) {
        for (int reg : {1, 6, 12}) {
            Enc e = sized(bits, {static_cast<u8>(0xB0 + (reg & 7))}, {static_cast<u8>(0xB8 + (reg & 7))});
            e.modrm = false;
            if (reg & 8) e.force_rex = true;
            e.imm = le(0x8877665544332211ull, bits / 8);
            std::vector<u8> code = encode(e);
            if (reg & 8) {  // REX.B for the +r register
                for (auto& b : code)
                    if ((b & 0xF0) == 0x40) { b |= 1; break; }
            }
            Form f;
            f.name = std::string("mov +r imm r") + size_name(bits) + " " + kRegNames[reg];
            f.code = code;
            f.opbits = bits;
            f.states = 32;
            v.push_back(f);
        }
    }
    // moffs: A0-A3 with a 64-bit absolute address in the data area
    for (unsigned bits : {8, 16, 32, 64}) {
        for (int store = 0; store < 2; store++) {
            Enc e = sized(bits, {static_cast<u8>(store ? 0xA2 : 0xA0)}, {static_cast<u8>(store ? 0xA3 : 0xA1)});
            e.modrm = false;
            e.imm = le(kDataAddr + 0x1ffe, 8);
            Form f = make(std::string("mov moffs r") + size_name(bits) + (store ? " store" : " load"), e, bits);
            f.states = 64;
            v.push_back(f);
        }
    }
    // MOVZX/MOVSX (0F B6/B7/BE/BF), MOVSXD (63)
    for (u8 op : {0xB6, 0xB7, 0xBE, 0xBF}) {
        const unsigned src = (op & 1) ? 16 : 8;
        for (unsigned bits : {16, 32, 64}) {
            for (int variant = 0; variant < 3; variant++) {
                Enc e = sized(bits, {}, {0x0F, op});
                e.reg = variant == 1 ? 11 : 2;
                e.rm = variant == 2 ? M(3) : variant == 0 ? R(7) : R(5);
                if (variant == 1) e.force_rex = true;
                Form f = make(std::string(op >= 0xBE ? "movsx" : "movzx") + " r" + size_name(bits) + "<-" +
                                  std::to_string(src) + (variant == 2 ? " mem" : " reg"),
                              e, bits);
                if (variant == 2) f.mem_size = src / 8;
                f.opbits = src;
                v.push_back(f);
            }
        }
    }
    for (unsigned bits : {16, 32, 64}) {
        for (int mem = 0; mem < 2; mem++) {
            Enc e = sized(bits, {}, {0x63});
            e.reg = 9;
            e.rm = mem ? M(3) : R(2);
            Form f = make(std::string("movsxd r") + size_name(bits) + (mem ? " mem" : " reg"), e, bits);
            f.mem_size = mem ? (bits == 16 ? 2 : 4) : 0;
            f.opbits = 32;
            v.push_back(f);
        }
    }
    // LEA with SIB, scales, disp32, 16-bit operand size, 32-bit address size, RIP-relative.
    {
        struct L { const char* name; std::vector<u8> code; };
        const L leas[] = {
            {"lea r64 [rbx+rsi*4+0x12345678]", {0x48, 0x8D, 0x84, 0xB3, 0x78, 0x56, 0x34, 0x12}},
            {"lea r32 [rbx+rsi*4+0x12345678]", {0x8D, 0x84, 0xB3, 0x78, 0x56, 0x34, 0x12}},
            {"lea r16 [rbx+rsi*4-8]", {0x66, 0x8D, 0x44, 0xB3, 0xF8}},
            {"lea r64 addr32 [r13+r9*8+0x80]", {0x67, 0x4B, 0x8D, 0x84, 0xCD, 0x80, 0, 0, 0}},
            {"lea r32 addr32 [rax+rax*2]", {0x67, 0x8D, 0x04, 0x40}},
            {"lea r64 [rip+0x1000]", {0x48, 0x8D, 0x05, 0x00, 0x10, 0x00, 0x00}},
            {"lea r64 [disp32]", {0x48, 0x8D, 0x04, 0x25, 0xF0, 0xFF, 0xFF, 0xFF}},
            {"lea r64 [rbp+r12*2]", {0x4A, 0x8D, 0x44, 0x65, 0x00}},
        };
        for (const L& l : leas) {
            Form f;
            f.name = l.name;
            f.code = l.code;
            v.push_back(f);
        }
    }
    // RIP-relative load from the data area.
    {
        Form f;
        f.name = "mov r64 [rip+disp32]";
        f.code = {0x48, 0x8B, 0x05, 0, 0, 0, 0};
        // The displacement is fixed up once the instruction's address is known (below).
        f.states = 32;
        v.push_back(f);
    }
    // GS-overridden memory operands (segment base kGsBase). 64-bit code only: the process's GS
    // selector is null, which compatibility mode cannot use.
    {
        struct G { const char* name; std::vector<u8> code; bool compat; unsigned bits; };
        const G gs[] = {
            {"gs mov r64 [rbx+0x10]", {0x65, 0x48, 0x8B, 0x43, 0x10}, false, 64},
            {"gs add [rbx+0x10],edx", {0x65, 0x01, 0x53, 0x10}, false, 32},
            {"gs xchg [rbx+0x10],dl", {0x65, 0x86, 0x53, 0x10}, false, 8},
            {"gs sub [rbx+0x10],dx", {0x65, 0x66, 0x29, 0x53, 0x10}, false, 16},
        };
        for (const G& g : gs) {
            Form f;
            f.name = g.name;
            f.code = g.code;
            f.compat32 = g.compat;
            f.opbits = g.bits;
            f.mem_base = RBX;
            f.mem_size = g.bits / 8;
            f.mem_seg_base = kGsBase;
            v.push_back(f);
        }
    }
    // XCHG (86/87 reg and mem, 90+r, 87 C0 xchg eax,eax zero-extends)
    add_rm_reg(v, "xchg", 0x86, ALL, false);
    for (unsigned bits : {16, 32, 64}) {
        for (int reg : {3, 11}) {
            Enc e = sized(bits, {}, {static_cast<u8>(0x90 + (reg & 7))});
            e.modrm = false;
            std::vector<u8> code = encode(e);
            if (reg & 8) {
                if (bits == 64) code[code.size() - 2] |= 1;
                else code.insert(code.end() - 1, 0x41);
            }
            Form f;
            f.name = std::string("xchg rAX,+r r") + size_name(bits) + " " + kRegNames[reg];
            f.code = code;
            f.opbits = bits;
            v.push_back(f);
        }
    }
    {
        Form f;
        f.name = "xchg eax,eax (87 C0)";
        f.code = {0x87, 0xC0};
        v.push_back(f);
        Form g;
        g.name = "nop (90)";
        g.code = {0x90};
        v.push_back(g);
    }
    // XADD, CMPXCHG (with LOCK too)
    for (u8 base : {0xC0, 0xB0}) {
        const char* nm = base == 0xC0 ? "xadd" : "cmpxchg";
        for (unsigned bits : {8, 16, 32, 64}) {
            for (int variant = 0; variant < 4; variant++) {
                Enc e = sized(bits, {0x0F, base}, {0x0F, static_cast<u8>(base + 1)}, variant == 3 ? std::vector<u8>{0xF0} : std::vector<u8>{});
                e.reg = variant == 1 ? 9 : 2;
                e.rm = variant >= 2 ? M(13) : variant == 0 ? R(6) : R(0);
                Form f = make(std::string(variant == 3 ? "lock " : "") + nm + " r" + size_name(bits) +
                                  (variant >= 2 ? " mem" : variant == 0 ? " reg" : " reg,rax"),
                              e, bits);
                if (base == 0xB0) {
                    // Equal half of the time.
                    const bool mem = variant >= 2;
                    const int rmr = e.rm.reg;
                    const bool high = bits == 8 && !mem && rmr == 6;  // DH
                    f.setup = [bits, mem, rmr, high](Input& in, Rng& r, unsigned k) {
                        if (k & 1) return;
                        const u64 mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
                        u64 dest = mem ? get_mem(in, in.gpr[13] + 0x10 - kDataAddr, bits / 8)
                                       : high ? in.gpr[RDX] >> 8 : in.gpr[rmr];
                        in.gpr[RAX] = (in.gpr[RAX] & ~mask) | (dest & mask);
                    };
                }
                v.push_back(f);
            }
        }
    }
    // CMPXCHG8B / CMPXCHG16B (16B needs 16-byte alignment: #GP otherwise)
    for (int wide = 0; wide < 2; wide++) {
        for (int lock = 0; lock < 2; lock++) {
            Enc e;
            if (lock) e.pre = {0xF0};
            e.w = wide;
            e.op = {0x0F, 0xC7};
            e.reg = 1;
            e.rm = M(13, 0);
            Form f = make(std::string(lock ? "lock " : "") + (wide ? "cmpxchg16b" : "cmpxchg8b"), e, 64);
            f.mem_size = wide ? 16 : 8;
            f.setup = [wide](Input& in, Rng& r, unsigned k) {
                u64 off = kOpLo + (r() % (kOpHi - kOpLo - 32));
                if (wide) off &= ~15ull;
                if (wide && k % 8 == 7) off |= 8;  // misaligned: #GP(0)
                if (!wide && k % 5 == 4) off = 0x2000 - 4;  // page-crossing
                in.gpr[13] = kDataAddr + off;
                const unsigned n = wide ? 8 : 4;
                if (k & 1) {  // equal
                    put_mem(in, off, in.gpr[RAX], n);
                    put_mem(in, off + n, in.gpr[RDX], n);
                } else if (k & 2) {  // low half equal only
                    put_mem(in, off, in.gpr[RAX], n);
                }
            };
            f.flags = ALL;
            v.push_back(f);
        }
    }
    // BSWAP (32/64; the 16-bit form is undefined), MOVBE (memory forms)
    for (unsigned bits : {32, 64}) {
        for (int reg : {1, 13}) {
            Enc e = sized(bits, {}, {0x0F, static_cast<u8>(0xC8 + (reg & 7))});
            e.modrm = false;
            std::vector<u8> code = encode(e);
            if (reg & 8) {
                if (bits == 64) code[0] |= 1;
                else code.insert(code.begin(), 0x41);
            }
            Form f;
            f.name = std::string("bswap r") + size_name(bits) + " " + kRegNames[reg];
            f.code = code;
            v.push_back(f);
        }
    }
    for (unsigned bits : {16, 32, 64}) {
        for (int store = 0; store < 2; store++) {
            Enc e = sized(bits, {}, {0x0F, 0x38, static_cast<u8>(store ? 0xF1 : 0xF0)});
            e.reg = store ? 10 : 1;
            e.rm = M(3);
            v.push_back(make(std::string("movbe r") + size_name(bits) + (store ? " store" : " load"), e, bits));
        }
    }
    // SETcc (reg incl. high byte, mem), CMOVcc (reg, mem; 32-bit always writes)
    for (int cc = 0; cc < 16; cc++) {
        for (int variant = 0; variant < 3; variant++) {
            Enc e;
            e.op = {0x0F, static_cast<u8>(0x90 + cc)};
            e.rm = variant == 2 ? M(3) : variant == 0 ? R(5) : R(10);  // CH / R10B
            Form f = make("setcc " + std::to_string(cc) + (variant == 2 ? " mem" : " reg"), e, 8);
            f.states = 128;
            v.push_back(f);
        }
        for (unsigned bits : {16, 32, 64}) {
            for (int mem = 0; mem < 2; mem++) {
                Enc e = sized(bits, {}, {0x0F, static_cast<u8>(0x40 + cc)});
                e.reg = 2;
                e.rm = mem ? M(13) : R(14);
                Form f = make("cmovcc " + std::to_string(cc) + " r" + size_name(bits) + (mem ? " mem" : " reg"), e, bits);
                f.states = 128;
                v.push_back(f);
            }
        }
    }
    // LAHF/SAHF/CLC/STC/CMC/CLD/STD
    for (auto [nm, op] : std::initializer_list<std::pair<const char*, u8>>{
             {"lahf", 0x9F}, {"sahf", 0x9E}, {"clc", 0xF8}, {"stc", 0xF9}, {"cmc", 0xF5}, {"cld", 0xFC}, {"std", 0xFD}}) {
        Form f;
        f.name = nm;
        f.code = {op};
        f.random_df = true;
        v.push_back(f);
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// PUSH / POP
std::vector<Form> stack_forms() {
    std::vector<Form> v;
    auto stack_setup = [](Input& in, Rng& r, unsigned) {
        in.gpr[RSP] = kStackInit + 8 * (static_cast<i64>(r() % 64) - 32) + ((r() % 8 == 0) ? r() % 8 : 0);
    };
    auto add = [&](std::string nm, std::vector<u8> code, bool compat32 = false) {
        Form f;
        f.name = std::move(nm);
        f.code = std::move(code);
        f.compat32 = compat32;
        f.setup = stack_setup;
        f.states = 96;
        v.push_back(f);
        return &v.back();
    };
    for (int reg : {0, 3, 4, 5, 9, 15}) {
        const u8 lo = reg & 7;
        std::vector<u8> rex = reg & 8 ? std::vector<u8>{0x41} : std::vector<u8>{};
        auto with = [&](std::vector<u8> pre, u8 op) {
            std::vector<u8> c = pre;
            c.insert(c.end(), rex.begin(), rex.end());
            c.push_back(op);
            return c;
        };
        add(std::string("push r64 ") + kRegNames[reg], with({}, 0x50 + lo));
        add(std::string("push r16 ") + kRegNames[reg], with({0x66}, 0x50 + lo));
        add(std::string("pop r64 ") + kRegNames[reg], with({}, 0x58 + lo));
        add(std::string("pop r16 ") + kRegNames[reg], with({0x66}, 0x58 + lo));
    }
    // LEAVE / ENTER (nesting levels copy frame pointers from the old frame) / XLAT
    auto frame_setup = [](Input& in, Rng& r, unsigned) {
        in.gpr[RSP] = kStackInit - 8 * (r() % 32);
        in.gpr[RBP] = kStackInit + 8 * (r() % 64);
    };
    for (auto [nm, code] : std::initializer_list<std::pair<const char*, std::vector<u8>>>{
             {"leave", {0xC9}}, {"leave (16-bit)", {0x66, 0xC9}},
             {"enter 0x20,0", {0xC8, 0x20, 0x00, 0x00}}, {"enter 0x8,1", {0xC8, 0x08, 0x00, 0x01}},
             {"enter 0,3", {0xC8, 0x00, 0x00, 0x03}}, {"enter 0x10,2 (16-bit)", {0x66, 0xC8, 0x10, 0x00, 0x02}}}) {
        Form* g = add(nm, code);
        g->setup = frame_setup;
    }
    {
        Form* g = add("xlatb", {0xD7});
        g->setup = [](Input& in, Rng& r, unsigned) { in.gpr[RBX] = kDataAddr + 0x1000 + r() % 0x2000; };
        g = add("xlatb addr32", {0x67, 0xD7});
        g->setup = [](Input& in, Rng& r, unsigned) { in.gpr[RBX] = (r() << 32) | (kDataAddr + 0x1000 + r() % 0x2000); };
    }
    add("push imm8", {0x6A, 0x80});
    add("push imm32", {0x68, 0x78, 0x56, 0x34, 0x92});
    add("push imm16", {0x66, 0x68, 0x34, 0x92});
    // push/pop memory, including rSP-relative (POP computes the address after the increment)
    Form* f = add("push qword [rbx+0x10]", {0xFF, 0x73, 0x10});
    f->mem_base = 3, f->mem_size = 8;
    f = add("push word [rbx+0x10]", {0x66, 0xFF, 0x73, 0x10});
    f->mem_base = 3, f->mem_size = 2;
    f = add("pop qword [rbx+0x10]", {0x8F, 0x43, 0x10});
    f->mem_base = 3, f->mem_size = 8;
    f = add("pop word [r13+0x10]", {0x66, 0x41, 0x8F, 0x45, 0x10});
    f->mem_base = 13, f->mem_size = 2;
    add("push qword [rsp+8]", {0xFF, 0x74, 0x24, 0x08});
    add("pop qword [rsp+8]", {0x8F, 0x44, 0x24, 0x08});
    add("pop qword [rsp-8]", {0x8F, 0x44, 0x24, 0xF8});
    // 32-bit mode: PUSH/POP r32, PUSHA/POPA, INC/DEC 40+r
    for (int reg : {0, 4, 6}) {
        add(std::string("push r32 ") + kRegNames[reg], {static_cast<u8>(0x50 + reg)}, true);
        add(std::string("pop r32 ") + kRegNames[reg], {static_cast<u8>(0x58 + reg)}, true);
    }
    add("pushad", {0x60}, true);
    add("popad", {0x61}, true);
    add("pushaw", {0x66, 0x60}, true);
    add("popaw", {0x66, 0x61}, true);
    add("push imm32 (32-bit)", {0x68, 0x78, 0x56, 0x34, 0x92}, true);
    for (int reg : {0, 3, 7}) {
        for (int pre = 0; pre < 2; pre++) {
            std::vector<u8> p = pre ? std::vector<u8>{0x66} : std::vector<u8>{};
            std::vector<u8> ci = p, cd = p;
            ci.push_back(static_cast<u8>(0x40 + reg));
            cd.push_back(static_cast<u8>(0x48 + reg));
            Form* g = add(std::string("inc 40+r r") + (pre ? "16 " : "32 ") + kRegNames[reg], ci, true);
            g->opbits = pre ? 16 : 32;
            g = add(std::string("dec 48+r r") + (pre ? "16 " : "32 ") + kRegNames[reg], cd, true);
            g->opbits = pre ? 16 : 32;
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// String instructions.
//
// rSI/rDI are placed so that every element the instruction could touch (rCX of them, in the
// direction DF gives) lies in pages 1..3; rCX is mostly small, sometimes up to several
// thousand (the long REP path, the page-crossing fast path and the 4096-iteration re-execute),
// and rSI/rDI sometimes overlap closely (MOVS must copy element by element). With a 67 prefix
// the registers carry random upper halves, which the 32-bit address size must ignore.
struct StrKind { const char* name; u8 op; bool si, di, cmp; };
// Inputs for a string form: see the comment above string_forms().
void string_setup(Input& in, Rng& r, unsigned size, int rep, bool a32, const StrKind& kk, u64 src_base = 0) {
    const bool df = in.rflags & DF;
    u64 cnt;
    const unsigned sel = r() % 16;
    if (!rep) cnt = 1;
    else if (sel == 0) cnt = 0;
    else if (sel < 10) cnt = 1 + r() % 40;
    else if (sel < 14) cnt = 1 + r() % (0x1800 / size);
    else cnt = std::min<u64>(4000 + r() % 1000, 0x2f00 / size);  // > 4096 iterations
    const u64 span = std::max<u64>(cnt, 1) * size;
    auto place = [&](u64 lo_bound) -> u64 {
        // a start such that [start, start+span) (forward) or
        // (start-span+size .. start+size) (backward) is in [lo_bound, kOpHi)
        const u64 room = kOpHi - lo_bound - span;
        u64 s = lo_bound + (room ? r() % room : 0);
        return df ? s + span - size : s;
    };
    u64 si = place(kOpLo), di = place(kOpLo);
    if (kk.si && kk.di && r() % 4 == 0) {
        // close overlap: di = si +/- a few bytes (clamped into range)
        const i64 delta = static_cast<i64>(r() % (2 * size + 3)) - static_cast<i64>(size + 1);
        const u64 lo = df ? kOpLo + span - size : kOpLo;
        const u64 hi = df ? kOpHi - size : kOpHi - span;
        u64 nd = si + delta;
        if (nd >= lo && nd <= hi) di = nd;
    }
    if (kk.cmp && rep) {
        // Make the comparisons run: equal (REPE) or different (REPNE) up
        // to a random element.
        const bool want_equal = rep == 1;
        const u64 stop = r() % (cnt + 2);
        const u64 step = df ? u64(0) - size : size;
        for (u64 i = 0; i < cnt && i < 0x3000 / size; i++) {
            const u64 doff = di + i * step, soff = si + i * step;
            const u64 val = kk.si ? get_mem(in, soff, size) : in.gpr[RAX];
            const bool equal = (i == stop) ? !want_equal : want_equal;
            if (equal) put_mem(in, doff, val, size);
            else if (get_mem(in, doff, size) == (val & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1)))
                put_mem(in, doff, val ^ 1, size);
        }
    }
    const u64 hi_si = a32 ? (r() << 32) : 0, hi_di = a32 ? (r() << 32) : 0;
    in.gpr[RSI] = hi_si | (kDataAddr + si - src_base);
    in.gpr[RDI] = hi_di | (kDataAddr + di);
    in.gpr[RCX] = (a32 ? (r() << 32) : 0) | cnt;
    if (!rep) in.gpr[RCX] = r();
}

std::vector<Form> string_forms() {
    std::vector<Form> v;
    const StrKind kinds[] = {{"movs", 0xA4, true, true, false}, {"cmps", 0xA6, true, true, true},
                             {"stos", 0xAA, false, true, false}, {"lods", 0xAC, true, false, false},
                             {"scas", 0xAE, false, true, true}};
    for (const StrKind& k : kinds) {
        for (unsigned bits : {8, 16, 32, 64}) {
            for (int rep = 0; rep < 3; rep++) {  // none, F3, F2
                for (int a32 = 0; a32 < 2; a32++) {
                    if (!k.cmp && rep == 2 && bits != 8) continue;
                    Enc e = sized(bits, {k.op}, {static_cast<u8>(k.op + 1)});
                    e.modrm = false;
                    if (a32) e.pre.insert(e.pre.begin(), 0x67);
                    if (rep) e.pre.insert(e.pre.begin(), rep == 1 ? 0xF3 : 0xF2);
                    const char* rn = rep == 0 ? "" : rep == 1 ? (k.cmp ? "repe " : "rep ") : (k.cmp ? "repne " : "rep(F2) ");
                    Form f = make(std::string(rn) + k.name + " r" + size_name(bits) + (a32 ? " addr32" : ""), e, bits);
                    f.random_df = true;
                    f.states = rep ? 160 : 96;
                    const unsigned size = bits / 8;
                    const StrKind kk = k;
                    f.setup = [size, rep, a32, kk](Input& in, Rng& r, unsigned) { string_setup(in, r, size, rep, a32, kk); };
                    v.push_back(f);
                }
            }
        }
        // A GS override applies to the source only (ES:rDI is fixed).
        if (k.si) {
            for (int rep = 0; rep < 2; rep++) {
                Form f;
                f.name = std::string("gs ") + (rep ? "rep " : "") + k.name + "d";
                f.code = {0x65};
                if (rep) f.code.insert(f.code.begin(), 0xF3);
                f.code.push_back(static_cast<u8>(k.op + 1));
                f.opbits = 32;
                f.random_df = true;
                f.setup = [kk = k, rep](Input& in, Rng& r, unsigned) { string_setup(in, r, 4, rep, false, kk, kGsBase); };
                v.push_back(f);
            }
        }
        // Both F2 and F3: the last one decides (REPE vs REPNE for the compares).
        if (k.cmp) {
            for (int order = 0; order < 2; order++) {
                Form f;
                f.name = std::string(k.name) + (order ? " f3 f2" : " f2 f3");
                f.code = {static_cast<u8>(order ? 0xF3 : 0xF2), static_cast<u8>(order ? 0xF2 : 0xF3), k.op};
                f.setup = [kk = k](Input& in, Rng& r, unsigned) { string_setup(in, r, 1, 1, false, kk); };
                f.random_df = true;
                f.opbits = 8;
                v.push_back(f);
            }
        }
        // REP forms that run into a not-present page part-way: the #PF must report the
        // registers of the faulting iteration (elements before it done, rCX counting them).
        for (unsigned bits : {8, 32, 64}) {
            for (int a32 = 0; a32 < 2; a32++) {
                Enc e = sized(bits, {k.op}, {static_cast<u8>(k.op + 1)});
                e.modrm = false;
                if (a32) e.pre.insert(e.pre.begin(), 0x67);
                e.pre.insert(e.pre.begin(), 0xF3);
                Form f = make(std::string("rep ") + k.name + " r" + size_name(bits) + (a32 ? " addr32" : "") + " #PF", e, bits);
                f.random_df = true;
                f.states = 128;
                const unsigned size = bits / 8;
                const StrKind kk = k;
                f.setup = [size, a32, kk](Input& in, Rng& r, unsigned) {
                    const bool df = in.rflags & DF;
                    const u64 cnt = 1 + r() % 300;
                    // The crossing pointer: forward it runs past the end of the data area,
                    // backward below its start; the other one stays well inside.
                    u64 cross;
                    if (!df) cross = kDataSize - size * (1 + r() % cnt) + ((size > 1 && r() % 4 == 0) ? r() % size : 0);
                    else cross = r() % std::min<u64>(std::max<u64>((cnt - 1) * size, 1), 0x1000);
                    const u64 other = df ? 0x3800 + r() % 0x800 : 0x1000 + r() % 0x800;
                    const bool si_crosses = kk.si && (!kk.di || (r() & 1));
                    u64 si = si_crosses ? cross : other, di = si_crosses ? other : cross;
                    if (kk.cmp) {
                        // keep the compare going (REPE: equal elements)
                        for (u64 i = 0; i < cnt; i++) {
                            const u64 so = si + (df ? -i * size : i * size), dofs = di + (df ? -i * size : i * size);
                            if (so > kDataSize - size || dofs > kDataSize - size) break;  // (wraps below 0 too)
                            put_mem(in, dofs, kk.si ? get_mem(in, so, size) : in.gpr[RAX], size);
                        }
                    }
                    const u64 hi_si = a32 ? (r() << 32) : 0, hi_di = a32 ? (r() << 32) : 0;
                    in.gpr[RSI] = hi_si | (kDataAddr + si);
                    in.gpr[RDI] = hi_di | (kDataAddr + di);
                    in.gpr[RCX] = (a32 ? (r() << 32) : 0) | cnt;
                };
                v.push_back(f);
            }
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// Bit instructions.
std::vector<Form> bit_forms() {
    std::vector<Form> v;
    // BT/BTS/BTR/BTC Ev,Gv (0F A3/AB/B3/BB) and Ev,Ib (0F BA /4../7)
    const struct { const char* name; u8 op; int digit; } bts[] = {
        {"bt", 0xA3, 4}, {"bts", 0xAB, 5}, {"btr", 0xB3, 6}, {"btc", 0xBB, 7}};
    for (auto& b : bts) {
        for (unsigned bits : {16, 32, 64}) {
            for (int variant = 0; variant < 4; variant++) {
                const bool mem = variant >= 2;
                Enc e = sized(bits, {}, {0x0F, b.op}, variant == 3 && b.op != 0xA3 ? std::vector<u8>{0xF0} : std::vector<u8>{});
                e.reg = variant == 1 ? 12 : 2;
                e.rm = mem ? M(13, 0) : variant == 0 ? R(6) : R(9);
                Form f = make(std::string(variant == 3 && b.op != 0xA3 ? "lock " : "") + b.name + " r" + size_name(bits) +
                                  (mem ? " mem,reg" : " reg,reg"),
                              e, bits);
                f.flags = CF | ZF;
                if (mem) {
                    // Signed bit offsets reaching +/- 0x1000 bytes around the operand.
                    const int offreg = e.reg;
                    f.setup = [bits, offreg](Input& in, Rng& r, unsigned k) {
                        const u64 mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
                        in.gpr[13] = kDataAddr + 0x2000 + (r() % 64) * (bits / 8) - 32 * (bits / 8);
                        i64 off;
                        switch (k % 6) {
                        case 0: off = static_cast<i64>(r() % 64) - 32; break;
                        case 1: off = bits == 16 ? -32768 : -(0x1000 * 8 - 64); break;
                        case 2: off = bits == 16 ? 32767 : 0x7fff; break;
                        case 3: off = -1; break;
                        default: off = static_cast<i64>(r() % (0x1f00 * 8)) - 0xf80 * 8; break;
                        }
                        if (bits == 16) off = static_cast<i16>(off);
                        in.gpr[offreg] = (in.gpr[offreg] & ~mask) | (static_cast<u64>(off) & mask);
                    };
                }
                v.push_back(f);
            }
            for (u8 imm : {0, 5, 15, 31, 33, 63, 0x7f, 0xff}) {
                for (int mem = 0; mem < 2; mem++) {
                    Enc e = sized(bits, {}, {0x0F, 0xBA});
                    e.reg = b.digit;
                    e.rm = mem ? M(3) : R(11);
                    e.imm = {imm};
                    Form f = make(std::string(b.name) + " r" + size_name(bits) + (mem ? " mem" : " reg") + ",imm " + std::to_string(imm), e, bits);
                    f.flags = CF | ZF;
                    f.states = 48;
                    v.push_back(f);
                }
            }
        }
    }
    // BSF/BSR, TZCNT/LZCNT, POPCNT
    const struct { const char* name; std::vector<u8> pre; u8 op; u64 flags; } scans[] = {
        {"bsf", {}, 0xBC, ZF}, {"bsr", {}, 0xBD, ZF}, {"tzcnt", {0xF3}, 0xBC, CF | ZF},
        {"lzcnt", {0xF3}, 0xBD, CF | ZF}, {"popcnt", {0xF3}, 0xB8, ALL}};
    for (auto& s : scans) {
        for (unsigned bits : {16, 32, 64}) {
            for (int variant = 0; variant < 3; variant++) {
                Enc e = sized(bits, {}, {0x0F, s.op});
                e.pre.insert(e.pre.end(), s.pre.begin(), s.pre.end());
                e.reg = variant == 1 ? 8 : 2;
                e.rm = variant == 2 ? M(3) : variant == 0 ? R(6) : R(15);
                Form f = make(std::string(s.name) + " r" + size_name(bits) + (variant == 2 ? " mem" : " reg"), e, bits);
                f.flags = s.flags;
                // Zero sources often (BSF/BSR leave the destination unchanged then).
                const bool mem = variant == 2;
                const int src = e.rm.reg;
                f.setup = [bits, mem, src](Input& in, Rng& r, unsigned k) {
                    if (k % 5) return;
                    const u64 mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
                    if (mem) put_mem(in, in.gpr[3] + 0x10 - kDataAddr, 0, bits / 8);
                    else in.gpr[src] &= ~mask;
                };
                v.push_back(f);
            }
        }
    }
    // ADCX/ADOX
    for (int ox = 0; ox < 2; ox++) {
        for (unsigned bits : {32, 64}) {
            for (int mem = 0; mem < 2; mem++) {
                Enc e;
                e.pre = {static_cast<u8>(ox ? 0xF3 : 0x66)};
                e.w = bits == 64;
                e.op = {0x0F, 0x38, 0xF6};
                e.reg = 11;
                e.rm = mem ? M(3) : R(1);
                v.push_back(make(std::string(ox ? "adox" : "adcx") + " r" + size_name(bits) + (mem ? " mem" : " reg"), e, bits));
            }
        }
    }
    // CRC32 r32/r64 <- r/m8/16/32/64
    for (unsigned src : {8, 16, 32, 64}) {
        for (int variant = 0; variant < 3; variant++) {
            Enc e;
            if (src == 16) e.pre = {0x66};
            e.pre.push_back(0xF2);
            e.w = src == 64 || (src == 8 && variant == 1);
            e.op = {0x0F, 0x38, static_cast<u8>(src == 8 ? 0xF0 : 0xF1)};
            e.reg = variant == 1 ? 9 : 2;
            e.rm = variant == 2 ? M(3) : R(src == 8 && variant == 0 ? 7 : 6);  // BH for bytes
            Form f = make(std::string("crc32 r") + (e.w ? "64" : "32") + "<-" + size_name(src) + (variant == 2 ? " mem" : " reg"), e, src);
            v.push_back(f);
        }
    }
    // BMI1/BMI2 (VEX). Roles: reg = ModRM.reg, vvvv, rm.
    struct Bmi { const char* name; int map, pp; u8 op; int digit; u64 flags; bool imm; };
    const Bmi bmis[] = {
        {"andn", 2, 0, 0xF2, -1, SF | ZF | CF | OF, false},
        {"blsr", 2, 0, 0xF3, 1, SF | ZF | CF | OF, false},
        {"blsmsk", 2, 0, 0xF3, 2, SF | ZF | CF | OF, false},
        {"blsi", 2, 0, 0xF3, 3, SF | ZF | CF | OF, false},
        {"bzhi", 2, 0, 0xF5, -1, SF | ZF | CF | OF, false},
        {"pext", 2, 2, 0xF5, -1, ALL, false},
        {"pdep", 2, 3, 0xF5, -1, ALL, false},
        {"mulx", 2, 3, 0xF6, -1, ALL, false},
        {"bextr", 2, 0, 0xF7, -1, ZF | CF | OF, false},
        {"shlx", 2, 1, 0xF7, -1, ALL, false},
        {"sarx", 2, 2, 0xF7, -1, ALL, false},
        {"shrx", 2, 3, 0xF7, -1, ALL, false},
        {"rorx", 3, 3, 0xF0, -1, ALL, true},
    };
    for (const Bmi& b : bmis) {
        for (unsigned bits : {32, 64}) {
            for (int variant = 0; variant < 4; variant++) {
                const bool mem = variant >= 2;
                const int reg = b.digit >= 0 ? b.digit : variant == 1 ? 12 : 2;
                const int vvvv = variant == 1 ? 9 : (variant == 3 ? 2 : 7);  // variant 3: mulx hi == lo
                const Rm rm = mem ? M(variant == 3 ? 13 : 3) : variant == 0 ? R(6) : R(14);
                std::vector<u8> imm;
                if (b.imm) imm = {static_cast<u8>(variant * 13 + 1)};
                Form f;
                f.name = std::string(b.name) + " r" + size_name(bits) + (mem ? " mem" : " reg") + (variant == 3 ? " (reg==vvvv)" : "");
                f.code = vex_insn(b.map, b.pp, bits == 64, b.op, reg, vvvv, rm, imm);
                f.opbits = bits;
                if (mem) {
                    f.mem_base = rm.base;
                    f.mem_size = bits / 8;
                }
                f.flags = b.flags;
                if (std::string(b.name) == "bextr" || std::string(b.name) == "bzhi") {
                    // control in vvvv: start/length (or index) bytes biased to interesting values
                    f.setup = [vvvv, bits](Input& in, Rng& r, unsigned) {
                        const u64 start = r() % 4 == 0 ? r() & 0xff : r() % (bits + 8);
                        const u64 len = r() % 4 == 0 ? (r() & 0xff) : r() % (bits + 8);
                        in.gpr[vvvv] = (in.gpr[vvvv] & ~0xffffull) | start | (len << 8);
                    };
                }
                v.push_back(f);
            }
        }
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// BCD adjusts (32-bit mode only): AL x CF x AF exhaustively, with random AH and flags.
std::vector<Form> bcd_forms() {
    std::vector<Form> v;
    auto add = [&](std::string nm, std::vector<u8> code, u64 flags) {
        Form f;
        f.name = std::move(nm);
        f.code = std::move(code);
        f.compat32 = true;
        f.flags = flags;
        f.states = 1024;
        f.setup = [](Input& in, Rng&, unsigned k) {
            in.gpr[RAX] = (in.gpr[RAX] & ~0xffull) | (k & 0xff);
            in.rflags = (in.rflags & ~(CF | AF)) | ((k & 0x100) ? CF : 0) | ((k & 0x200) ? AF : 0);
        };
        v.push_back(f);
    };
    add("daa", {0x27}, CF | AF | SF | ZF | PF);
    add("das", {0x2F}, CF | AF | SF | ZF | PF);
    add("aaa", {0x37}, CF | AF);
    add("aas", {0x3F}, CF | AF);
    for (u8 base : {10, 16, 1, 2, 7, 255, 0}) {
        add("aam " + std::to_string(base), {0xD4, base}, SF | ZF | PF);
        add("aad " + std::to_string(base), {0xD5, base}, SF | ZF | PF);
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// SSE/SSE2 (legacy encodings). Every form runs with all 16 XMM registers and MXCSR loaded from
// the input (FXRSTOR64 natively) and compared after; memory forms also check the data area and
// the 16-byte alignment rule (#GP(0) for aligned forms: one case in eight is misaligned).
// Register choices exercise REX.R/REX.B (xmm8-15) and the same register on both sides.
Enc sse_enc(u8 pfx, std::vector<u8> op, int reg, Rm rm, std::vector<u8> imm = {}, bool w = false) {
    Enc e;
    if (pfx) e.pre = {pfx};
    e.op = {0x0F};
    e.op.insert(e.op.end(), op.begin(), op.end());
    e.reg = reg;
    e.rm = rm;
    e.imm = std::move(imm);
    e.w = w;
    return e;
}
Form sse_form(const std::string& name, const Enc& e, unsigned mem_size, unsigned align) {
    Form f = make(name, e, 64);
    f.simd = true;
    if (e.rm.mem) {
        f.mem_size = mem_size;
        f.mem_align = align;
    }
    return f;
}
const char* pfx_name(u8 p) { return p == 0x66 ? "66 " : p == 0xF3 ? "F3 " : p == 0xF2 ? "F2 " : "NP "; }

// xmm,xmm/m forms: four register pairs and two memory forms.
constexpr std::pair<int, int> kXmmPairs[] = {{1, 2}, {9, 14}, {3, 3}, {15, 0}};
constexpr std::pair<int, int> kXmmMem[] = {{5, 3}, {12, 13}};

void add_sse_rm(std::vector<Form>& v, const std::string& name, u8 pfx, u8 op, unsigned mem_size, unsigned align,
                std::vector<u8> imm = {}, bool regs = true, bool mems = true,
                std::function<void(Input&, Rng&, unsigned)> setup = {}) {
    char nm[160];
    if (regs)
        for (auto [reg, rm] : kXmmPairs) {
            std::snprintf(nm, sizeof nm, "%s xmm%d,xmm%d%s%s [%s0F %02X]", name.c_str(), reg, rm, imm.empty() ? "" : " imm=",
                          hex(imm).c_str(), pfx_name(pfx), op);
            Form f = sse_form(nm, sse_enc(pfx, {op}, reg, R(rm), imm), 0, 0);
            f.setup = setup;
            v.push_back(f);
        }
    if (mems)
        for (auto [reg, base] : kXmmMem) {
            std::snprintf(nm, sizeof nm, "%s xmm%d,m%u [%s]%s%s [%s0F %02X]", name.c_str(), reg, mem_size * 8,
                          kRegNames[base], imm.empty() ? "" : " imm=", hex(imm).c_str(), pfx_name(pfx), op);
            Form f = sse_form(nm, sse_enc(pfx, {op}, reg, M(base), imm), mem_size, align);
            f.setup = setup;
            v.push_back(f);
        }
}

// Shift counts from an xmm/m128: the low quadword, mostly small (and the edges around the
// element width), sometimes huge.
std::function<void(Input&, Rng&, unsigned)> shift_count_setup(int rm_xmm, int mem_base, int mem_disp) {
    return [=](Input& in, Rng& r, unsigned) {
        if (r() % 8 == 0) return;
        const u64 cnt = r() % 4 == 0 ? (r() % 3 == 0 ? ~0ull - r() % 4 : 1ull << (r() % 64)) : r() % 70;
        if (mem_base >= 0) put_mem(in, in.gpr[mem_base] + mem_disp - kDataAddr, cnt, 8);
        else std::memcpy(in.fx + 160 + 16 * rm_xmm, &cnt, 8);
    };
}

std::vector<Form> sse_int_forms() {
    std::vector<Form> v;
    struct Bin { const char* name; u8 pfx, op; };
    static constexpr Bin kBin[] = {
        {"punpcklbw", 0x66, 0x60}, {"punpcklwd", 0x66, 0x61}, {"punpckldq", 0x66, 0x62}, {"packsswb", 0x66, 0x63},
        {"pcmpgtb", 0x66, 0x64}, {"pcmpgtw", 0x66, 0x65}, {"pcmpgtd", 0x66, 0x66}, {"packuswb", 0x66, 0x67},
        {"punpckhbw", 0x66, 0x68}, {"punpckhwd", 0x66, 0x69}, {"punpckhdq", 0x66, 0x6A}, {"packssdw", 0x66, 0x6B},
        {"punpcklqdq", 0x66, 0x6C}, {"punpckhqdq", 0x66, 0x6D},
        {"pcmpeqb", 0x66, 0x74}, {"pcmpeqw", 0x66, 0x75}, {"pcmpeqd", 0x66, 0x76},
        {"paddq", 0x66, 0xD4}, {"pmullw", 0x66, 0xD5}, {"psubusb", 0x66, 0xD8}, {"psubusw", 0x66, 0xD9},
        {"pminub", 0x66, 0xDA}, {"pand", 0x66, 0xDB}, {"paddusb", 0x66, 0xDC}, {"paddusw", 0x66, 0xDD},
        {"pmaxub", 0x66, 0xDE}, {"pandn", 0x66, 0xDF}, {"pavgb", 0x66, 0xE0}, {"pavgw", 0x66, 0xE3},
        {"pmulhuw", 0x66, 0xE4}, {"pmulhw", 0x66, 0xE5}, {"psubsb", 0x66, 0xE8}, {"psubsw", 0x66, 0xE9},
        {"pminsw", 0x66, 0xEA}, {"por", 0x66, 0xEB}, {"paddsb", 0x66, 0xEC}, {"paddsw", 0x66, 0xED},
        {"pmaxsw", 0x66, 0xEE}, {"pxor", 0x66, 0xEF}, {"pmuludq", 0x66, 0xF4}, {"pmaddwd", 0x66, 0xF5},
        {"psadbw", 0x66, 0xF6}, {"psubb", 0x66, 0xF8}, {"psubw", 0x66, 0xF9}, {"psubd", 0x66, 0xFA},
        {"psubq", 0x66, 0xFB}, {"paddb", 0x66, 0xFC}, {"paddw", 0x66, 0xFD}, {"paddd", 0x66, 0xFE},
        {"unpcklps", 0, 0x14}, {"unpcklpd", 0x66, 0x14}, {"unpckhps", 0, 0x15}, {"unpckhpd", 0x66, 0x15},
        {"andps", 0, 0x54}, {"andpd", 0x66, 0x54}, {"andnps", 0, 0x55}, {"andnpd", 0x66, 0x55},
        {"orps", 0, 0x56}, {"orpd", 0x66, 0x56}, {"xorps", 0, 0x57}, {"xorpd", 0x66, 0x57},
    };
    for (const Bin& b : kBin) add_sse_rm(v, b.name, b.pfx, b.op, 16, 16);
    // Shifts by xmm/m128.
    struct Sh { const char* name; u8 op; };
    static constexpr Sh kSh[] = {{"psrlw", 0xD1}, {"psrld", 0xD2}, {"psrlq", 0xD3}, {"psraw", 0xE1},
                                 {"psrad", 0xE2}, {"psllw", 0xF1}, {"pslld", 0xF2}, {"psllq", 0xF3}};
    for (const Sh& s : kSh) {
        for (auto [reg, rm] : kXmmPairs) {
            if (reg == rm) continue;
            char nm[96];
            std::snprintf(nm, sizeof nm, "%s xmm%d,xmm%d", s.name, reg, rm);
            Form f = sse_form(nm, sse_enc(0x66, {s.op}, reg, R(rm)), 0, 0);
            f.setup = shift_count_setup(rm, -1, 0);
            v.push_back(f);
        }
        for (auto [reg, base] : kXmmMem) {
            char nm[96];
            std::snprintf(nm, sizeof nm, "%s xmm%d,m128 [%s]", s.name, reg, kRegNames[base]);
            Form f = sse_form(nm, sse_enc(0x66, {s.op}, reg, M(base)), 16, 16);
            f.setup = shift_count_setup(0, base, 0x10);
            v.push_back(f);
        }
    }
    // Shifts by imm8 (66 0F 71-73 /digit ib).
    struct ShI { const char* name; u8 op; int digit; };
    static constexpr ShI kShI[] = {{"psrlw", 0x71, 2}, {"psraw", 0x71, 4}, {"psllw", 0x71, 6},
                                   {"psrld", 0x72, 2}, {"psrad", 0x72, 4}, {"pslld", 0x72, 6},
                                   {"psrlq", 0x73, 2}, {"psrldq", 0x73, 3}, {"psllq", 0x73, 6}, {"pslldq", 0x73, 7}};
    for (const ShI& s : kShI)
        for (int rm : {2, 11})
            for (u8 imm : {0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 200, 255}) {
                char nm[96];
                std::snprintf(nm, sizeof nm, "%s xmm%d,%u", s.name, rm, imm);
                Form f = sse_form(nm, sse_enc(0x66, {s.op}, s.digit, R(rm), {imm}), 0, 0);
                f.states = 512;
                v.push_back(f);
            }
    // Shuffles with imm8.
    struct Shuf { const char* name; u8 pfx, op; };
    static constexpr Shuf kShuf[] = {{"pshufd", 0x66, 0x70}, {"pshufhw", 0xF3, 0x70}, {"pshuflw", 0xF2, 0x70},
                                     {"shufps", 0, 0xC6}, {"shufpd", 0x66, 0xC6}};
    for (const Shuf& s : kShuf)
        for (u8 imm : {0x00, 0x1B, 0xE4, 0x4E, 0xB1, 0xFF, 0x93, 0x02})
            add_sse_rm(v, s.name, s.pfx, s.op, 16, 16, {imm});
    for (Form& f : v)
        if (!f.states) f.states = 2048;
    // PINSRW xmm, r32/m16, imm8 and PEXTRW r32, xmm, imm8; PMOVMSKB, MOVMSKPS/PD.
    for (u8 imm : {0, 1, 2, 3, 4, 5, 6, 7, 0xF9}) {
        char nm[96];
        for (auto [x, g] : {std::pair{2, 6}, std::pair{10, 9}, std::pair{7, 0}}) {
            std::snprintf(nm, sizeof nm, "pinsrw xmm%d,r%d,%u", x, g, imm);
            v.push_back(sse_form(nm, sse_enc(0x66, {0xC4}, x, R(g), {imm}), 0, 0));
            std::snprintf(nm, sizeof nm, "pextrw r%d,xmm%d,%u", g, x, imm);
            v.push_back(sse_form(nm, sse_enc(0x66, {0xC5}, g, R(x), {imm}), 0, 0));
        }
        std::snprintf(nm, sizeof nm, "pinsrw xmm12,m16 [r13],%u", imm);
        v.push_back(sse_form(nm, sse_enc(0x66, {0xC4}, 12, M(13), {imm}), 2, 0));
    }
    for (auto [g, x] : {std::pair{2, 6}, std::pair{10, 9}, std::pair{0, 15}}) {
        char nm[96];
        std::snprintf(nm, sizeof nm, "pmovmskb r%d,xmm%d", g, x);
        v.push_back(sse_form(nm, sse_enc(0x66, {0xD7}, g, R(x)), 0, 0));
        std::snprintf(nm, sizeof nm, "movmskps r%d,xmm%d", g, x);
        v.push_back(sse_form(nm, sse_enc(0, {0x50}, g, R(x)), 0, 0));
        std::snprintf(nm, sizeof nm, "movmskpd r%d,xmm%d", g, x);
        v.push_back(sse_form(nm, sse_enc(0x66, {0x50}, g, R(x)), 0, 0));
    }
    for (Form& f : v)
        if (!f.states) f.states = 1024;
    return v;
}

// ------------------------------------------------------------------------------------------
// MMX (SDM Vol. 1 chapter 9) and the SSE/SSE2 forms on MMX registers. Inputs have random x87
// state (TOP, tags, register contents incl. exponent fields; FCW/FSW); in 3 of 4 cases the
// pending unmasked x87 exception is cleared so the instruction runs (else #MF, SDM Vol. 1
// 9.5.3). The whole x87 state is compared: MMi = significand of R i, exponent field FFFFH
// after a write, TOP = 0, all tags valid (Table 9-3).
// Physical register i is FXSAVE slot (i - TOP) & 7 (FXSAVE stores ST(0)..ST(7)).
u8* fx_phys(Input& in, int i) {
    const unsigned top = (fx_get<u16>(in.fx, 2) >> 11) & 7;
    return in.fx + 32 + 16 * ((i - top) & 7);
}
void mmx_setup(Input& in, Rng& r) {
    for (unsigned i = 0; i < 8; i++)  // edge-biased element values in half the registers
        if (r() & 1) {
            u8 tmp[16];
            gen_vec(r, tmp);
            std::memcpy(in.fx + 32 + 16 * i, tmp, 8);
        }
    if (r() % 4 == 0) return;
    u16 fsw = fx_get<u16>(in.fx, 2);
    const u16 fcw = fx_get<u16>(in.fx, 0);
    fsw = static_cast<u16>(fsw & ~(0x8080 | (~fcw & 0x3F)));
    std::memcpy(in.fx + 2, &fsw, 2);
    std::memset(in.fx + 6, 0, 18);  // FOP/FIP/FDP: AMD saves them only with ES set
}
Form mmx_form(const std::string& name, const Enc& e, unsigned mem_size, unsigned align = 0) {
    Form f = sse_form(name, e, mem_size, align);
    f.x87 = true;
    f.random_x87 = true;
    f.setup = [](Input& in, Rng& r, unsigned) { mmx_setup(in, r); };
    return f;
}
// mm,mm/m pairs: REX.R/REX.B are ignored for MMX registers (9 -> mm1, 10 -> mm2).
constexpr std::pair<int, int> kMmPairs[] = {{1, 2}, {3, 3}, {7, 0}, {9, 10}};
constexpr std::pair<int, int> kMmMem[] = {{5, 3}, {4, 13}};

void add_mmx_rm(std::vector<Form>& v, const std::string& name, u8 pfx, u8 op, unsigned mem_size,
                std::vector<u8> imm = {}, unsigned align = 0) {
    char nm[160];
    for (auto [reg, rm] : kMmPairs) {
        std::snprintf(nm, sizeof nm, "%s %d,%d%s%s [%s0F %02X]", name.c_str(), reg, rm, imm.empty() ? "" : " imm=",
                      hex(imm).c_str(), pfx_name(pfx), op);
        v.push_back(mmx_form(nm, sse_enc(pfx, {op}, reg, R(rm), imm), 0));
    }
    for (auto [reg, base] : kMmMem) {
        std::snprintf(nm, sizeof nm, "%s %d,m%u [%s]%s%s [%s0F %02X]", name.c_str(), reg, mem_size * 8, kRegNames[base],
                      imm.empty() ? "" : " imm=", hex(imm).c_str(), pfx_name(pfx), op);
        v.push_back(mmx_form(nm, sse_enc(pfx, {op}, reg, M(base), imm), mem_size, align));
    }
}

std::vector<Form> mmx_forms() {
    std::vector<Form> v;
    struct Bin { const char* name; u8 op; unsigned src; };
    static constexpr Bin kBin[] = {
        {"punpcklbw", 0x60, 4}, {"punpcklwd", 0x61, 4}, {"punpckldq", 0x62, 4}, {"packsswb", 0x63, 8},
        {"pcmpgtb", 0x64, 8}, {"pcmpgtw", 0x65, 8}, {"pcmpgtd", 0x66, 8}, {"packuswb", 0x67, 8},
        {"punpckhbw", 0x68, 8}, {"punpckhwd", 0x69, 8}, {"punpckhdq", 0x6A, 8}, {"packssdw", 0x6B, 8},
        {"pcmpeqb", 0x74, 8}, {"pcmpeqw", 0x75, 8}, {"pcmpeqd", 0x76, 8}, {"movq", 0x6F, 8},
        {"paddq", 0xD4, 8}, {"pmullw", 0xD5, 8}, {"psubusb", 0xD8, 8}, {"psubusw", 0xD9, 8},
        {"pminub", 0xDA, 8}, {"pand", 0xDB, 8}, {"paddusb", 0xDC, 8}, {"paddusw", 0xDD, 8},
        {"pmaxub", 0xDE, 8}, {"pandn", 0xDF, 8}, {"pavgb", 0xE0, 8}, {"pavgw", 0xE3, 8},
        {"pmulhuw", 0xE4, 8}, {"pmulhw", 0xE5, 8}, {"psubsb", 0xE8, 8}, {"psubsw", 0xE9, 8},
        {"pminsw", 0xEA, 8}, {"por", 0xEB, 8}, {"paddsb", 0xEC, 8}, {"paddsw", 0xED, 8},
        {"pmaxsw", 0xEE, 8}, {"pxor", 0xEF, 8}, {"pmuludq", 0xF4, 8}, {"pmaddwd", 0xF5, 8},
        {"psadbw", 0xF6, 8}, {"psubb", 0xF8, 8}, {"psubw", 0xF9, 8}, {"psubd", 0xFA, 8},
        {"psubq", 0xFB, 8}, {"paddb", 0xFC, 8}, {"paddw", 0xFD, 8}, {"paddd", 0xFE, 8},
    };
    for (const Bin& b : kBin) add_mmx_rm(v, b.name, 0, b.op, b.src);
    // MOVQ mm/m64, mm (0F 7F) and MOVNTQ m64, mm (0F E7).
    add_mmx_rm(v, "movq store", 0, 0x7F, 8);
    for (auto [reg, base] : kMmMem) v.push_back(mmx_form("movntq m64 [" + std::string(kRegNames[base]) + "] mm" + std::to_string(reg),
                                                         sse_enc(0, {0xE7}, reg, M(base)), 8));
    // Shifts by mm/m64: counts mostly small and around the element widths, sometimes huge.
    struct Sh { const char* name; u8 op; };
    static constexpr Sh kSh[] = {{"psrlw", 0xD1}, {"psrld", 0xD2}, {"psrlq", 0xD3}, {"psraw", 0xE1},
                                 {"psrad", 0xE2}, {"psllw", 0xF1}, {"pslld", 0xF2}, {"psllq", 0xF3}};
    for (const Sh& s : kSh) {
        const size_t first = v.size();
        add_mmx_rm(v, s.name, 0, s.op, 8);
        for (size_t i = first; i < v.size(); i++) {
            Form& f = v[i];
            const int rm = f.code.back() & 7, base = f.mem_base;
            f.setup = [rm, base](Input& in, Rng& r, unsigned) {
                mmx_setup(in, r);
                if (r() % 8 == 0) return;
                const u64 cnt = r() % 4 == 0 ? (r() % 3 == 0 ? ~0ull - r() % 4 : 1ull << (r() % 64)) : r() % 70;
                if (base >= 0) put_mem(in, in.gpr[base] + 0x10 - kDataAddr, cnt, 8);
                else std::memcpy(fx_phys(in, rm), &cnt, 8);
            };
        }
    }
    // Shifts by imm8 (NP 0F 71-73 /digit ib).
    struct ShI { const char* name; u8 op; int digit; };
    static constexpr ShI kShI[] = {{"psrlw", 0x71, 2}, {"psraw", 0x71, 4}, {"psllw", 0x71, 6}, {"psrld", 0x72, 2},
                                   {"psrad", 0x72, 4}, {"pslld", 0x72, 6}, {"psrlq", 0x73, 2}, {"psllq", 0x73, 6}};
    for (const ShI& s : kShI)
        for (int rm : {2, 7, 11})
            for (u8 imm : {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 200, 255}) {
                char nm[96];
                std::snprintf(nm, sizeof nm, "%s mm%d,%u", s.name, rm, imm);
                Form f = mmx_form(nm, sse_enc(0, {s.op}, s.digit, R(rm), {imm}), 0);
                f.states = 256;
                v.push_back(f);
            }
    for (u8 imm : {0x00, 0x1B, 0xE4, 0x4E, 0xB1, 0xFF, 0x93}) add_mmx_rm(v, "pshufw", 0, 0x70, 8, {imm});
    // MOVD/MOVQ between mm and r/m32/r/m64 (REX.W), both directions.
    for (bool w : {false, true})
        for (u8 op : {0x6E, 0x7E}) {
            const std::string nm = std::string(w ? "movq" : "movd") + (op == 0x6E ? " mm,r/m" : " r/m,mm");
            for (auto [mm, g] : {std::pair{1, 2}, std::pair{6, 11}, std::pair{0, 0}}) {
                Form f = mmx_form(nm + " mm" + std::to_string(mm) + " r" + std::to_string(g), sse_enc(0, {op}, mm, R(g), {}, w), 0);
                v.push_back(f);
            }
            for (auto [mm, base] : kMmMem)
                v.push_back(mmx_form(nm + " m [" + kRegNames[base] + "] mm" + std::to_string(mm),
                                     sse_enc(0, {op}, mm, M(base), {}, w), w ? 8 : 4));
        }
    // PINSRW mm, r32/m16, imm8; PEXTRW r32, mm, imm8; PMOVMSKB r32, mm.
    for (u8 imm : {0, 1, 2, 3, 6, 0xFD}) {
        for (auto [mm, g] : {std::pair{2, 6}, std::pair{9, 12}, std::pair{7, 0}}) {
            char nm[96];
            std::snprintf(nm, sizeof nm, "pinsrw mm%d,r%d,%u", mm, g, imm);
            v.push_back(mmx_form(nm, sse_enc(0, {0xC4}, mm, R(g), {imm}), 0));
            std::snprintf(nm, sizeof nm, "pextrw r%d,mm%d,%u", g, mm, imm);
            v.push_back(mmx_form(nm, sse_enc(0, {0xC5}, g, R(mm), {imm}), 0));
        }
        v.push_back(mmx_form("pinsrw mm4,m16 [r13]," + std::to_string(imm), sse_enc(0, {0xC4}, 4, M(13), {imm}), 2));
    }
    for (auto [g, mm] : {std::pair{2, 6}, std::pair{10, 9}, std::pair{0, 7}})
        v.push_back(mmx_form("pmovmskb r" + std::to_string(g) + ",mm" + std::to_string(mm), sse_enc(0, {0xD7}, g, R(mm)), 0));
    // MASKMOVQ mm1, mm2: stores to [rdi] (in the data area, sometimes near its guard pages).
    for (auto [a, b] : {std::pair{1, 2}, std::pair{3, 3}, std::pair{0, 7}}) {
        Form f = mmx_form("maskmovq mm" + std::to_string(a) + ",mm" + std::to_string(b), sse_enc(0, {0xF7}, a, R(b)), 0);
        f.setup = [](Input& in, Rng& r, unsigned) {
            mmx_setup(in, r);
            in.gpr[RDI] = kDataAddr + pick_off(r, 8);
        };
        v.push_back(f);
    }
    // MOVQ2DQ xmm, mm (F3 0F D6) and MOVDQ2Q mm, xmm (F2 0F D6): register forms only.
    for (auto [x, m] : {std::pair{1, 2}, std::pair{9, 10}, std::pair{15, 0}}) {
        v.push_back(mmx_form("movq2dq xmm" + std::to_string(x) + ",mm" + std::to_string(m & 7), sse_enc(0xF3, {0xD6}, x, R(m)), 0));
        v.push_back(mmx_form("movdq2q mm" + std::to_string(x & 7) + ",xmm" + std::to_string(m), sse_enc(0xF2, {0xD6}, x, R(m)), 0));
    }
    // Conversions. The mm sources (CVTPI2PS/PD) are integers; the xmm/m sources FP values.
    {
        char nm[96];
        for (auto [x, m] : {std::pair{1, 2}, std::pair{9, 10}, std::pair{15, 0}}) {
            for (auto [name, pfx, op] : {std::tuple{"cvtpi2ps", 0, 0x2A}, std::tuple{"cvtpi2pd", 0x66, 0x2A}}) {
                std::snprintf(nm, sizeof nm, "%s xmm%d,mm%d", name, x, m & 7);
                v.push_back(mmx_form(nm, sse_enc(static_cast<u8>(pfx), {static_cast<u8>(op)}, x, R(m)), 0));
            }
            for (auto [name, pfx, op] : {std::tuple{"cvtps2pi", 0, 0x2D}, std::tuple{"cvttps2pi", 0, 0x2C},
                                         std::tuple{"cvtpd2pi", 0x66, 0x2D}, std::tuple{"cvttpd2pi", 0x66, 0x2C}}) {
                std::snprintf(nm, sizeof nm, "%s mm%d,xmm%d", name, x & 7, m);
                v.push_back(mmx_form(nm, sse_enc(static_cast<u8>(pfx), {static_cast<u8>(op)}, x, R(m)), 0));
            }
        }
        for (auto [reg, base] : kXmmMem) {
            for (auto [name, pfx, op] : {std::tuple{"cvtpi2ps", 0, 0x2A}, std::tuple{"cvtpi2pd", 0x66, 0x2A},
                                         std::tuple{"cvtps2pi", 0, 0x2D}, std::tuple{"cvttps2pi", 0, 0x2C}}) {
                std::snprintf(nm, sizeof nm, "%s %d,m64 [%s]", name, reg, kRegNames[base]);
                Form f = mmx_form(nm, sse_enc(static_cast<u8>(pfx), {static_cast<u8>(op)}, reg, M(base)), 8);
                // CVTPI2PS xmm, m64 transitions to MMX state and takes a pending x87 exception
                // (SDM Vol. 2A CVTPI2PS: "This instruction causes a transition ..." for either
                // source); AMD hosts do neither with a memory source. Start from the state the
                // transition produces (TOP = 0, all tags valid, nothing pending) so both agree.
                if (std::string(name) == "cvtpi2ps")
                    f.setup = [](Input& in, Rng& r, unsigned) {
                        mmx_setup(in, r);
                        const u16 fcw = fx_get<u16>(in.fx, 0);
                        const u16 fsw = static_cast<u16>(fx_get<u16>(in.fx, 2) & ~(0x3880 | 0x8000 | (~fcw & 0x3F)));
                        std::memcpy(in.fx + 2, &fsw, 2);
                        in.fx[4] = 0xFF;
                        std::memset(in.fx + 6, 0, 18);
                    };
                v.push_back(f);
            }
            for (auto [name, op] : {std::pair{"cvtpd2pi", 0x2D}, std::pair{"cvttpd2pi", 0x2C}}) {
                std::snprintf(nm, sizeof nm, "%s mm%d,m128 [%s]", name, reg & 7, kRegNames[base]);
                v.push_back(mmx_form(nm, sse_enc(0x66, {static_cast<u8>(op)}, reg, M(base)), 16, 16));
            }
        }
    }
    for (Form& f : v)
        if (!f.states) f.states = 1024;
    return v;
}

std::vector<Form> sse_move_forms() {
    std::vector<Form> v;
    // Whole-register loads (Vx,Wx) and stores (Wx,Vx); aligned forms #GP(0) on a misaligned
    // operand, the unaligned ones straddle pages now and then.
    struct Mv { const char* name; u8 pfx, load, store; bool aligned; };
    static constexpr Mv kMv[] = {{"movups", 0, 0x10, 0x11, false}, {"movupd", 0x66, 0x10, 0x11, false},
                                 {"movdqu", 0xF3, 0x6F, 0x7F, false}, {"movaps", 0, 0x28, 0x29, true},
                                 {"movapd", 0x66, 0x28, 0x29, true}, {"movdqa", 0x66, 0x6F, 0x7F, true}};
    for (const Mv& m : kMv) {
        add_sse_rm(v, std::string(m.name) + " load", m.pfx, m.load, 16, m.aligned ? 16 : 0);
        add_sse_rm(v, std::string(m.name) + " store", m.pfx, m.store, 16, m.aligned ? 16 : 0);
    }
    add_sse_rm(v, "movntps", 0, 0x2B, 16, 16, {}, false);
    add_sse_rm(v, "movntpd", 0x66, 0x2B, 16, 16, {}, false);
    add_sse_rm(v, "movntdq", 0x66, 0xE7, 16, 16, {}, false);
    // Scalar moves, halves, MOVQ.
    add_sse_rm(v, "movss load", 0xF3, 0x10, 4, 0);
    add_sse_rm(v, "movss store", 0xF3, 0x11, 4, 0);
    add_sse_rm(v, "movsd load", 0xF2, 0x10, 8, 0);
    add_sse_rm(v, "movsd store", 0xF2, 0x11, 8, 0);
    add_sse_rm(v, "movlps load", 0, 0x12, 8, 0, {}, false);
    add_sse_rm(v, "movhlps", 0, 0x12, 8, 0, {}, true, false);
    add_sse_rm(v, "movlpd load", 0x66, 0x12, 8, 0, {}, false);
    add_sse_rm(v, "movlps store", 0, 0x13, 8, 0, {}, false);
    add_sse_rm(v, "movlpd store", 0x66, 0x13, 8, 0, {}, false);
    add_sse_rm(v, "movhps load", 0, 0x16, 8, 0, {}, false);
    add_sse_rm(v, "movlhps", 0, 0x16, 8, 0, {}, true, false);
    add_sse_rm(v, "movhpd load", 0x66, 0x16, 8, 0, {}, false);
    add_sse_rm(v, "movhps store", 0, 0x17, 8, 0, {}, false);
    add_sse_rm(v, "movhpd store", 0x66, 0x17, 8, 0, {}, false);
    add_sse_rm(v, "movq load", 0xF3, 0x7E, 8, 0);
    add_sse_rm(v, "movq store", 0x66, 0xD6, 8, 0);
    // MOVD/MOVQ between GPRs or memory and XMM (66 [REX.W] 0F 6E / 7E).
    for (bool w : {false, true}) {
        const char* n = w ? "movq" : "movd";
        for (u8 op : {0x6E, 0x7E}) {
            char nm[96];
            for (auto [x, g] : {std::pair{2, 6}, std::pair{10, 9}, std::pair{15, 0}}) {
                std::snprintf(nm, sizeof nm, "%s %s xmm%d r%d [66 0F %02X]", n, op == 0x6E ? "load" : "store", x, g, op);
                v.push_back(sse_form(nm, sse_enc(0x66, {op}, x, R(g), {}, w), 0, 0));
            }
            for (auto [x, base] : kXmmMem) {
                std::snprintf(nm, sizeof nm, "%s %s xmm%d m [%s] [66 0F %02X]", n, op == 0x6E ? "load" : "store", x,
                              kRegNames[base], op);
                v.push_back(sse_form(nm, sse_enc(0x66, {op}, x, M(base), {}, w), w ? 8 : 4, 0));
            }
        }
    }
    // MASKMOVDQU xmm, xmm: stores the selected bytes at [rDI].
    for (auto [x, m] : {std::pair{1, 2}, std::pair{9, 14}, std::pair{4, 4}}) {
        char nm[96];
        std::snprintf(nm, sizeof nm, "maskmovdqu xmm%d,xmm%d", x, m);
        Form f = sse_form(nm, sse_enc(0x66, {0xF7}, x, R(m)), 0, 0);
        f.setup = [](Input& in, Rng& r, unsigned) { in.gpr[RDI] = kDataAddr + pick_off(r, 16); };
        v.push_back(f);
    }
    // Compatibility mode (xmm0-7, 32-bit addressing).
    struct C32 { const char* name; u8 pfx, op; int reg, rm; bool mem; unsigned size, align; };
    static constexpr C32 kC32[] = {{"movdqa load", 0x66, 0x6F, 1, 3, true, 16, 16},
                                   {"movdqu store", 0xF3, 0x7F, 7, 3, true, 16, 0},
                                   {"pxor", 0x66, 0xEF, 2, 6, false, 0, 0},
                                   {"movd load", 0x66, 0x6E, 5, 1, false, 0, 0},
                                   {"movd store", 0x66, 0x7E, 4, 2, false, 0, 0},
                                   {"pshufd", 0x66, 0x70, 0, 7, false, 0, 0}};
    for (const C32& k : kC32) {
        const std::vector<u8> imm = k.op == 0x70 ? std::vector<u8>{0x1B} : std::vector<u8>{};
        Form f = sse_form(std::string(k.name) + " (32-bit)", sse_enc(k.pfx, {k.op}, k.reg, k.mem ? M(k.rm) : R(k.rm), imm),
                          k.size, k.align);
        f.compat32 = true;
        f.states = 2048;
        v.push_back(f);
    }
    for (Form& f : v)
        if (!f.states) f.states = 2048;
    return v;
}

// LDMXCSR/STMXCSR, FXSAVE/FXRSTOR (and the REX.W forms).
std::vector<Form> sse_state_forms() {
    std::vector<Form> v;
    for (auto [base, disp] : {std::pair{3, 0x10}, std::pair{13, 0x10}}) {
        char nm[96];
        std::snprintf(nm, sizeof nm, "ldmxcsr [%s]", kRegNames[base]);
        Form f = sse_form(nm, sse_enc(0, {0xAE}, 2, M(base, disp)), 4, 0);
        // Valid values, and now and then a reserved bit (18-31: bits 16-17 differ between
        // vendors, AMD's MM is bit 17) for #GP(0).
        f.setup = [base](Input& in, Rng& r, unsigned) {
            u32 m = static_cast<u32>(r() & 0xffff);
            if (r() % 8 == 0) m |= 1u << (18 + r() % 14);
            put_mem(in, in.gpr[base] + 0x10 - kDataAddr, m, 4);
        };
        v.push_back(f);
        std::snprintf(nm, sizeof nm, "stmxcsr [%s]", kRegNames[base]);
        v.push_back(sse_form(nm, sse_enc(0, {0xAE}, 3, M(base, disp)), 4, 0));
        v.back().states = 4096;
        v[v.size() - 2].states = 4096;
        for (bool w : {false, true}) {
            std::snprintf(nm, sizeof nm, "fxsave%s [%s]", w ? "64" : "", kRegNames[base]);
            Form s = sse_form(nm, sse_enc(0, {0xAE}, 0, M(base, disp), {}, w), 512, 16);
            s.random_x87 = true;
            s.mem_ignore_off = 28;  // MXCSR_MASK: the host's
            s.mem_ignore_len = 4;
            s.states = 4096;
            v.push_back(s);
            std::snprintf(nm, sizeof nm, "fxrstor%s [%s]", w ? "64" : "", kRegNames[base]);
            Form rs = sse_form(nm, sse_enc(0, {0xAE}, 1, M(base, disp), {}, w), 512, 16);
            rs.states = 4096;
            rs.setup = [base, w](Input& in, Rng& r, unsigned) {
                const u64 off = in.gpr[base] + 0x10 - kDataAddr;
                // FXRSTOR64's FIP/FDP as code would have them: canonical addresses (what a host
                // keeps of a non-canonical one differs: AMD rewrites bits 63:56).
                if (w)
                    for (unsigned p : {8u, 16u})
                        put_mem(in, off + p, static_cast<u64>(static_cast<i64>(r() << 16) >> 16), 8);
                u32 m = r() % 4 ? 0x1F80 : static_cast<u32>(r() & 0xffff);
                if (r() % 16 == 0) m |= 1u << (18 + r() % 14);
                put_mem(in, off + 24, m, 4);
            };
            v.push_back(rs);
        }
    }
    // Compatibility mode: the 32-bit image (Table 10-2), XMM0-7 only.
    for (bool save : {true, false}) {
        Form f = sse_form(save ? "fxsave [rbx] (32-bit)" : "fxrstor [rbx] (32-bit)",
                          sse_enc(0, {0xAE}, save ? 0 : 1, M(3)), 512, 16);
        f.compat32 = true;
        f.random_x87 = save;
        f.mem_ignore_off = 28;
        f.mem_ignore_len = 4;
        f.states = 4096;
        if (!save)
            f.setup = [](Input& in, Rng& r, unsigned) {
                put_mem(in, static_cast<u32>(in.gpr[RBX]) + 0x10 - kDataAddr + 24,
                        r() % 16 ? 0x1F80 : 0x1F80 | 1u << (18 + r() % 14), 4);
            };
        v.push_back(f);
    }
    return v;
}

// ------------------------------------------------------------------------------------------
// SSE/SSE2 floating point (semantics/sse_fp_*.cc over frontend-x86/softfloat/). Every element
// comes from an edge-biased generator: ±0, the smallest and largest denormals, the smallest and
// largest normals, ±inf, QNaNs and SNaNs with various payloads, 1.0 and its neighbours, values
// around the integer limits, random values; and operand pairs made to hit cancellation, the
// rounding boundaries (an addend of about half an ulp) and overflow/underflow. MXCSR cycles
// through the 4 rounding modes x DAZ x FTZ, all exceptions masked in 3 states of 4 and random
// masks in the 4th (unmasked exceptions: #XM with the destination unchanged), with random
// exception flags already set now and then. XMM, MXCSR and EFLAGS are compared bit for bit.

// Setup for an FP form: every XMM element of type B random FP; element pairs (dst, src) made by
// gen_fp_pair, the source in register src_xmm or in memory at [mem_base + 0x10] (mem_bytes).
// int_src: the source elements are 32-bit integers (CVTDQ2PS/PD).
template <typename B>
std::function<void(Input&, Rng&, unsigned)> fp_setup(int dst_xmm, int src_xmm, int mem_base, unsigned mem_bytes,
                                                     bool int_src = false) {
    return [=](Input& in, Rng& r, unsigned k) {
        fx_put<u32>(in.fx, 24, fp_mxcsr(r, k));
        for (unsigned i = 0; i < 16; i++)
            for (unsigned l = 0; l < 16 / sizeof(B); l++) fx_put<B>(in.fx, 160 + 16 * i + l * sizeof(B), gen_fp<B>(r));
        for (unsigned l = 0; l < 16 / sizeof(B); l++) {
            B a, b;
            gen_fp_pair<B>(r, a, b);
            if (int_src) b = static_cast<B>(gen_value(r, 8 * sizeof(B)));
            if (dst_xmm >= 0) fx_put<B>(in.fx, 160 + 16 * dst_xmm + l * sizeof(B), a);
            if (src_xmm >= 0) fx_put<B>(in.fx, 160 + 16 * src_xmm + l * sizeof(B), b);
            else if (mem_base >= 0 && (l + 1) * sizeof(B) <= mem_bytes)
                put_mem(in, in.gpr[mem_base] + 0x10 - kDataAddr + l * sizeof(B), b, sizeof(B));
        }
    };
}

// xmm,xmm/m forms of an FP instruction (element type B; the source elements of type S).
template <typename B, typename S = B>
void add_fp_rm(std::vector<Form>& v, const std::string& name, u8 pfx, u8 op, unsigned mem_size, unsigned align,
               std::vector<u8> imm = {}, bool int_src = false, unsigned states = 2048) {
    char nm[160];
    const char* immstr = imm.empty() ? "" : " imm=";
    for (auto [reg, rm] : kXmmPairs) {
        std::snprintf(nm, sizeof nm, "%s xmm%d,xmm%d%s%s [%s0F %02X]", name.c_str(), reg, rm, immstr, hex(imm).c_str(),
                      pfx_name(pfx), op);
        Form f = sse_form(nm, sse_enc(pfx, {op}, reg, R(rm), imm), 0, 0);
        f.setup = reg == rm ? fp_setup<S>(reg, -1, -1, 0, int_src) : fp_setup<S>(-1, rm, -1, 0, int_src);
        if (reg != rm && sizeof(B) == sizeof(S)) f.setup = fp_setup<S>(reg, rm, -1, 0, int_src);
        f.states = states;
        v.push_back(f);
    }
    for (auto [reg, base] : kXmmMem) {
        std::snprintf(nm, sizeof nm, "%s xmm%d,m%u [%s]%s%s [%s0F %02X]", name.c_str(), reg, mem_size * 8, kRegNames[base],
                      immstr, hex(imm).c_str(), pfx_name(pfx), op);
        Form f = sse_form(nm, sse_enc(pfx, {op}, reg, M(base), imm), mem_size, align);
        f.setup = fp_setup<S>(sizeof(B) == sizeof(S) ? reg : -1, -1, base, mem_size, int_src);
        f.states = states;
        v.push_back(f);
    }
}

// RCPPS/RSQRTPS: within the SDM bound (|relative error| <= 1.5 * 2^-12) of the host's value,
// or bit-identical (special cases: zeros, infinities, NaNs, flushed tiny results). Vireo gives
// the correctly rounded value (softfloat/fp_approx.cc); the host's table is vendor-specific.
bool rcp_close(const u8* x, const u8* y) {
    for (unsigned l = 0; l < 4; l++) {
        const u32 a = fx_get<u32>(x, 4 * l), b = fx_get<u32>(y, 4 * l);
        if (a == b) continue;
        const float fa = std::bit_cast<float>(a), fb = std::bit_cast<float>(b);
        if (!std::isfinite(fa) || !std::isfinite(fb) || fa == 0 || fb == 0) return false;
        // Vireo's value is the exact one rounded (relative error <= 2^-24): the host's must be
        // within the SDM's 1.5 * 2^-12 of it (with a margin for that rounding).
        if (std::fabs(static_cast<double>(fa) - fb) > (1.5 * 0x1p-12 + 0x1p-22) * std::fabs(static_cast<double>(fb))) return false;
    }
    return true;
}

std::vector<Form> sse_fp_arith_forms() {
    std::vector<Form> v;
    struct Op { const char* name; u8 op; };
    static constexpr Op kOps[] = {{"add", 0x58}, {"mul", 0x59}, {"sub", 0x5C}, {"min", 0x5D},
                                  {"div", 0x5E}, {"max", 0x5F}, {"sqrt", 0x51}};
    for (const Op& o : kOps) {
        const std::string n = o.name;
        add_fp_rm<u32>(v, n + "ps", 0, o.op, 16, 16);
        add_fp_rm<u64>(v, n + "pd", 0x66, o.op, 16, 16);
        add_fp_rm<u32>(v, n + "ss", 0xF3, o.op, 4, 0);
        add_fp_rm<u64>(v, n + "sd", 0xF2, o.op, 8, 0);
    }
    return v;
}

std::vector<Form> sse_fp_compare_forms() {
    std::vector<Form> v;
    for (u8 pred = 0; pred < 8; pred++) {
        add_fp_rm<u32>(v, "cmpps", 0, 0xC2, 16, 16, {pred}, false, 1024);
        add_fp_rm<u64>(v, "cmppd", 0x66, 0xC2, 16, 16, {pred}, false, 1024);
        add_fp_rm<u32>(v, "cmpss", 0xF3, 0xC2, 4, 0, {pred}, false, 1024);
        add_fp_rm<u64>(v, "cmpsd", 0xF2, 0xC2, 8, 0, {pred}, false, 1024);
    }
    // imm8 bits 7:3 are ignored by the legacy forms.
    add_fp_rm<u32>(v, "cmpps", 0, 0xC2, 16, 16, {0xF9}, false, 1024);
    add_fp_rm<u64>(v, "cmpsd", 0xF2, 0xC2, 8, 0, {0x2E}, false, 1024);
    add_fp_rm<u32>(v, "ucomiss", 0, 0x2E, 4, 0);
    add_fp_rm<u32>(v, "comiss", 0, 0x2F, 4, 0);
    add_fp_rm<u64>(v, "ucomisd", 0x66, 0x2E, 8, 0);
    add_fp_rm<u64>(v, "comisd", 0x66, 0x2F, 8, 0);
    return v;
}

std::vector<Form> sse_fp_approx_forms() {
    std::vector<Form> v;
    add_fp_rm<u32>(v, "rsqrtps", 0, 0x52, 16, 16);
    add_fp_rm<u32>(v, "rcpps", 0, 0x53, 16, 16);
    add_fp_rm<u32>(v, "rsqrtss", 0xF3, 0x52, 4, 0);
    add_fp_rm<u32>(v, "rcpss", 0xF3, 0x53, 4, 0);
    for (Form& f : v) f.xmm_close = rcp_close;
    return v;
}

std::vector<Form> sse_fp_convert_forms() {
    std::vector<Form> v;
    add_fp_rm<u64, u32>(v, "cvtps2pd", 0, 0x5A, 8, 0);
    add_fp_rm<u32, u64>(v, "cvtpd2ps", 0x66, 0x5A, 16, 16);
    add_fp_rm<u64, u32>(v, "cvtss2sd", 0xF3, 0x5A, 4, 0);
    add_fp_rm<u32, u64>(v, "cvtsd2ss", 0xF2, 0x5A, 8, 0);
    add_fp_rm<u32>(v, "cvtdq2ps", 0, 0x5B, 16, 16, {}, true);
    add_fp_rm<u32>(v, "cvtps2dq", 0x66, 0x5B, 16, 16);
    add_fp_rm<u32>(v, "cvttps2dq", 0xF3, 0x5B, 16, 16);
    add_fp_rm<u32, u64>(v, "cvttpd2dq", 0x66, 0xE6, 16, 16);
    add_fp_rm<u64, u32>(v, "cvtdq2pd", 0xF3, 0xE6, 8, 0, {}, true);
    add_fp_rm<u32, u64>(v, "cvtpd2dq", 0xF2, 0xE6, 16, 16);
    char nm[128];
    // CVTSI2SS/SD xmm, r/m32 (r/m64 with REX.W).
    for (auto [pfx, name] : {std::pair<u8, const char*>{0xF3, "cvtsi2ss"}, {0xF2, "cvtsi2sd"}})
        for (bool w : {false, true}) {
            for (auto [x, g] : {std::pair{1, 2}, std::pair{12, 9}}) {
                std::snprintf(nm, sizeof nm, "%s xmm%d,%s%d", name, x, w ? "r" : "e", g);
                Form f = sse_form(nm, sse_enc(pfx, {0x2A}, x, R(g), {}, w), 0, 0);
                f.setup = fp_setup<u32>(-1, -1, -1, 0);
                v.push_back(f);
            }
            std::snprintf(nm, sizeof nm, "%s xmm7,m%d [r13]", name, w ? 64 : 32);
            Form f = sse_form(nm, sse_enc(pfx, {0x2A}, 7, M(13), {}, w), w ? 8 : 4, 0);
            f.setup = fp_setup<u32>(-1, -1, -1, 0);
            v.push_back(f);
        }
    // CVT(T)SS2SI / CVT(T)SD2SI r32/r64, xmm/m.
    struct C { const char* name; u8 pfx, op; bool dbl; };
    static constexpr C kC[] = {{"cvttss2si", 0xF3, 0x2C, false}, {"cvtss2si", 0xF3, 0x2D, false},
                               {"cvttsd2si", 0xF2, 0x2C, true}, {"cvtsd2si", 0xF2, 0x2D, true}};
    for (const C& c : kC)
        for (bool w : {false, true}) {
            for (auto [g, x] : {std::pair{0, 3}, std::pair{11, 14}}) {
                std::snprintf(nm, sizeof nm, "%s %s%d,xmm%d", c.name, w ? "r" : "e", g, x);
                Form f = sse_form(nm, sse_enc(c.pfx, {c.op}, g, R(x), {}, w), 0, 0);
                f.setup = c.dbl ? fp_setup<u64>(-1, x, -1, 0) : fp_setup<u32>(-1, x, -1, 0);
                v.push_back(f);
            }
            std::snprintf(nm, sizeof nm, "%s %s2,m [rbx]", c.name, w ? "r" : "e");
            Form f = sse_form(nm, sse_enc(c.pfx, {c.op}, 2, M(3), {}, w), c.dbl ? 8 : 4, 0);
            f.setup = c.dbl ? fp_setup<u64>(-1, -1, 3, 8) : fp_setup<u32>(-1, -1, 3, 4);
            v.push_back(f);
        }
    // Compatibility mode (xmm0-7, 32-bit GPRs and addressing).
    {
        Form a = sse_form("addsd xmm1,xmm2 (32-bit)", sse_enc(0xF2, {0x58}, 1, R(2)), 0, 0);
        a.setup = fp_setup<u64>(1, 2, -1, 0);
        Form b = sse_form("cvtsi2ss xmm3,m32 [rbx] (32-bit)", sse_enc(0xF3, {0x2A}, 3, M(3)), 4, 0);
        b.setup = fp_setup<u32>(-1, -1, -1, 0);
        Form c = sse_form("cvtsd2si eax,xmm5 (32-bit)", sse_enc(0xF2, {0x2D}, 0, R(5)), 0, 0);
        c.setup = fp_setup<u64>(-1, 5, -1, 0);
        Form d = sse_form("ucomiss xmm6,m32 [rbx] (32-bit)", sse_enc(0, {0x2E}, 6, M(3)), 4, 0);
        d.setup = fp_setup<u32>(6, -1, 3, 4);
        for (Form* f : {&a, &b, &c, &d}) {
            f->compat32 = true;
            v.push_back(*f);
        }
    }
    for (Form& f : v)
        if (!f.states) f.states = 2048;
    return v;
}

// RIP-relative forms need their displacement computed from the instruction's address.
void fix_rip_relative(std::vector<Form>& forms) {
    for (Form& f : forms) {
        if (f.name != "mov r64 [rip+disp32]") continue;
        // The trampoline puts the instruction at a fixed offset; compute it once.
        Native& n = harness().native;
        const u64 at = n.load(f.code, false);
        const i64 disp = static_cast<i64>(kDataAddr + 0x2345) - static_cast<i64>(at + f.code.size());
        for (int i = 0; i < 4; i++) f.code[3 + i] = static_cast<u8>(disp >> (8 * i));
    }
}

// ------------------------------------------------------------------------------------------
TEST(NativeDiff, Alu) { harness().run_all("alu", alu_forms()); }
TEST(NativeDiff, ShiftsRotates) { harness().run_all("shifts", shift_forms()); }
TEST(NativeDiff, MulDiv) { harness().run_all("muldiv", muldiv_forms()); }
TEST(NativeDiff, DataMovement) {
    auto forms = data_forms();
    fix_rip_relative(forms);
    harness().run_all("data", forms);
}
TEST(NativeDiff, Stack) { harness().run_all("stack", stack_forms()); }
TEST(NativeDiff, Strings) { harness().run_all("strings", string_forms()); }
TEST(NativeDiff, Bits) {
    if (!__builtin_cpu_supports("bmi") || !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("popcnt") ||
        !__builtin_cpu_supports("sse4.2"))
        GTEST_SKIP() << "host lacks BMI1/BMI2/POPCNT/SSE4.2";
    harness().run_all("bits", bit_forms());
}
TEST(NativeDiff, Bcd32) { harness().run_all("bcd (32-bit)", bcd_forms()); }
TEST(NativeDiff, SseInteger) { harness().run_all("sse integer/logic/shuffle", sse_int_forms()); }
TEST(NativeDiff, Mmx) { harness().run_all("mmx (and sse/sse2 on mm registers)", mmx_forms()); }
TEST(NativeDiff, SseMoves) { harness().run_all("sse moves", sse_move_forms()); }
TEST(NativeDiff, SseFpArith) { harness().run_all("sse fp arithmetic (add/sub/mul/div/min/max/sqrt)", sse_fp_arith_forms()); }
TEST(NativeDiff, SseFpCompare) { harness().run_all("sse fp compares (cmpps../comiss..)", sse_fp_compare_forms()); }
TEST(NativeDiff, SseFpConvert) { harness().run_all("sse fp conversions", sse_fp_convert_forms()); }
TEST(NativeDiff, SseFpApprox) { harness().run_all("sse rcp/rsqrt (within the SDM bound)", sse_fp_approx_forms()); }
TEST(NativeDiff, SseState) { harness().run_all("sse state (ldmxcsr/stmxcsr/fxsave/fxrstor)", sse_state_forms()); }
TEST(NativeDiff, X87Arith) { harness().run_all("x87 arithmetic/compare/one-operand", x87::x87_arith_forms()); }
TEST(NativeDiff, X87Move) { harness().run_all("x87 loads/stores/conversions/constants", x87::x87_move_forms()); }
TEST(NativeDiff, X87Transcendental) {
    harness().run_all("x87 transcendentals (fsin/fcos/fsincos/fptan/fpatan/f2xm1/fyl2x/fyl2xp1)",
                      x87::x87_transcendental_forms());
}
TEST(NativeDiff, X87Control) { harness().run_all("x87 control (fninit/fldcw/fnstenv/fnsave/...)", x87::x87_control_forms()); }

// ------------------------------------------------------------------------------------------
// Not differential: forms the host cannot run for us. 16-bit addressing needs data below
// 64 KiB (not mappable in a Linux process) and INS/OUTS need I/O privilege. The expectations
// are computed by hand from the SDM (string instruction pages; Vol. 1 7.3.9).
struct Tier0Only : ::testing::Test {
    Vireo& v = harness().vireo;
    u8* ram = v.host.ram();
    Input in{};
    void SetUp() override {
        ASSERT_TRUE(harness().native.ok);
        std::memcpy(in.mem.data(), harness().base_image.data(), kDataSize);
        in.gpr[RSP] = kStackInit;
        in.rflags = 0x202;
    }
    Output run(std::vector<u8> code) {
        v.load(code, kCodeAddr, /*compat32=*/true);
        return v.run(in);
    }
};

// REP MOVSB with a 67 prefix in 32-bit code: SI/DI/CX wrap at 64 KiB and only their low 16 bits
// change (SDM Vol. 2B REP: "the count register is CX" with 16-bit addressing).
TEST_F(Tier0Only, Addr16MovsWrapsAndKeepsUpperBits) {
    const u8 src[4] = {0x11, 0x22, 0x33, 0x44};
    ram[0xFFFE] = src[0], ram[0xFFFF] = src[1], ram[0x0000] = src[2], ram[0x0001] = src[3];
    in.gpr[RSI] = 0x1234FFFE, in.gpr[RDI] = 0x5678C000, in.gpr[RCX] = 0x9ABC0004;
    const Output o = run({0x67, 0xF3, 0xA4});
    ASSERT_EQ(o.fault, -1);
    for (int i = 0; i < 4; i++) EXPECT_EQ(ram[0xC000 + i], src[i]) << i;
    EXPECT_EQ(o.gpr[RSI], 0x12340002u);
    EXPECT_EQ(o.gpr[RDI], 0x5678C004u);
    EXPECT_EQ(o.gpr[RCX], 0x9ABC0000u);
}

// Backward REP STOSB through offset 0, and a word store at offset FFFFH: the offset wraps, the
// access itself does not (the second byte is at linear 10000H with a 4 GiB segment limit).
TEST_F(Tier0Only, Addr16StosBackwardAndStraddle) {
    in.gpr[RAX] = 0xA5, in.gpr[RDI] = 0x00000001, in.gpr[RCX] = 3;
    in.rflags |= DF;
    ram[0xFFFE] = 0;
    Output o = run({0x67, 0xF3, 0xAA});
    ASSERT_EQ(o.fault, -1);
    EXPECT_EQ(ram[0x0001], 0xA5);
    EXPECT_EQ(ram[0x0000], 0xA5);
    EXPECT_EQ(ram[0xFFFF], 0xA5);
    EXPECT_EQ(ram[0xFFFE], 0);
    EXPECT_EQ(o.gpr[RDI], 0xFFFEu);
    in.rflags &= ~DF;
    in.gpr[RAX] = 0xBEEF, in.gpr[RDI] = 0xFFFF;
    o = run({0x66, 0x67, 0xAB});  // stosw
    ASSERT_EQ(o.fault, -1);
    EXPECT_EQ(ram[0xFFFF], 0xEF);
    EXPECT_EQ(ram[0x10000], 0xBE);
    EXPECT_EQ(o.gpr[RDI], 0x0001u);
}

// REPNE SCASB with 16-bit addressing stops at the match, CX counting the compares.
TEST_F(Tier0Only, Addr16RepneScas) {
    for (int i = 0; i < 16; i++) ram[0xD000 + i] = static_cast<u8>(0x40 + i);
    in.gpr[RAX] = 0x45, in.gpr[RDI] = 0xD000, in.gpr[RCX] = 0x10;
    const Output o = run({0x67, 0xF2, 0xAE});
    ASSERT_EQ(o.fault, -1);
    EXPECT_EQ(o.gpr[RDI], 0xD006u);
    EXPECT_EQ(o.gpr[RCX], 0x10u - 6);
    EXPECT_TRUE(o.rflags & ZF);
}

// With EFLAGS.TF a REP string instruction traps after each iteration, with RIP still at the
// instruction while iterations remain (SDM Vol. 3A 17.3.1.4; one element, then #DB).
TEST_F(Tier0Only, SingleStepRepOneIterationPerTrap) {
    in.gpr[RSI] = 0xB200, in.gpr[RDI] = 0xB300, in.gpr[RCX] = 5;
    v.extra_eflags = TF;
    const Output o = run({0xF3, 0xA4});
    v.extra_eflags = 0;
    ASSERT_EQ(o.fault, DB);
    EXPECT_EQ(o.gpr[RCX], 4u);
    EXPECT_EQ(o.gpr[RSI], 0xB201u);
    EXPECT_EQ(o.gpr[RDI], 0xB301u);
    u64 pushed_rip;
    std::memcpy(&pushed_rip, ram + o.gpr[RSP], 8);
    EXPECT_EQ(pushed_rip, v.code_at);
}

// REP OUTSB / OUTSD / INSW through the machine's ports (FlatRamHost: reads give all-ones,
// writes are recorded). rCX = 0 does nothing, not even the I/O permission check.
TEST_F(Tier0Only, InsOuts) {
    ram[0xB000] = 1, ram[0xB001] = 2, ram[0xB002] = 3;
    v.host.io_writes.clear();
    in.gpr[RSI] = 0xB000, in.gpr[RCX] = 3, in.gpr[RDX] = 0x3F8;
    Output o = run({0xF3, 0x6E});
    ASSERT_EQ(o.fault, -1);
    ASSERT_EQ(v.host.io_writes.size(), 3u);
    for (unsigned i = 0; i < 3; i++) {
        EXPECT_EQ(v.host.io_writes[i].port, 0x3F8);
        EXPECT_EQ(v.host.io_writes[i].value, i + 1);
        EXPECT_EQ(v.host.io_writes[i].size, 1u);
    }
    EXPECT_EQ(o.gpr[RSI], 0xB003u);
    EXPECT_EQ(o.gpr[RCX], 0u);

    v.host.io_writes.clear();
    std::memcpy(ram + 0xB010, "\x78\x56\x34\x12", 4);
    in.gpr[RSI] = 0xB010, in.gpr[RDX] = 0x80;
    o = run({0x6F});  // outsd, no REP
    ASSERT_EQ(v.host.io_writes.size(), 1u);
    EXPECT_EQ(v.host.io_writes[0].value, 0x12345678u);
    EXPECT_EQ(v.host.io_writes[0].size, 4u);
    EXPECT_EQ(o.gpr[RSI], 0xB014u);

    std::memset(ram + 0xB100, 0, 8);
    in.gpr[RDI] = 0xB100, in.gpr[RCX] = 2, in.gpr[RDX] = 0x60;
    o = run({0x66, 0xF3, 0x6D});  // rep insw
    ASSERT_EQ(o.fault, -1);
    for (int i = 0; i < 4; i++) EXPECT_EQ(ram[0xB100 + i], 0xFF) << i;
    EXPECT_EQ(ram[0xB104], 0);
    EXPECT_EQ(o.gpr[RDI], 0xB104u);

    v.host.io_writes.clear();
    in.gpr[RCX] = 0;
    o = run({0xF3, 0x6E});
    EXPECT_EQ(o.fault, -1);
    EXPECT_TRUE(v.host.io_writes.empty());
}

// An unmasked SIMD floating-point exception is #XM with CR4.OSXMMEXCPT = 1 and #UD without it
// (SDM Vol. 3A 6.15, interrupt 19); either way the destination is unchanged and the flag is set
// (Vol. 1 11.5.1). Linux always sets OSXMMEXCPT, so the host cannot show the #UD case.
TEST_F(Tier0Only, SimdFpExceptionWithoutOsxmmexcptIsUd) {
    fx_put<u32>(in.fx, 24, 0x1F80 & ~MXCSR_ZM);  // divide-by-zero unmasked
    fx_put<u32>(in.fx, 160 + 16 * 1, 0x3F800000);  // xmm1 = 1.0, xmm2 = 0
    const std::vector<u8> divss = {0xF3, 0x0F, 0x5E, 0xCA};
    v.c.cr4 &= ~CR4_OSXMMEXCPT;
    Output o = run(divss);
    v.c.cr4 |= CR4_OSXMMEXCPT;
    EXPECT_EQ(o.fault, UD);
    EXPECT_EQ(fx_get<u32>(o.fx, 160 + 16), 0x3F800000u);
    EXPECT_EQ(fx_get<u32>(o.fx, 24) & 0x3f, MXCSR_ZE);
    o = run(divss);
    EXPECT_EQ(o.fault, XM);
    EXPECT_EQ(fx_get<u32>(o.fx, 160 + 16), 0x3F800000u);
    // Masked: infinity, ZE set.
    fx_put<u32>(in.fx, 24, 0x1F80);
    o = run(divss);
    EXPECT_EQ(o.fault, -1);
    EXPECT_EQ(fx_get<u32>(o.fx, 160 + 16), 0x7F800000u);
    EXPECT_EQ(fx_get<u32>(o.fx, 24), 0x1F80u | MXCSR_ZE);
}

}  // namespace
}  // namespace vireo::test::native_diff
