// The instruction table rows: SDM Vol. 2D Appendix A, Tables A-2 (one-byte map), A-3 (two-byte
// map), A-4/A-5 (three-byte maps) and A-6 (groups), plus the VEX-encoded general-purpose
// instructions (BMI1/BMI2). Grammar: see insn_table.h.
//
// Rows named "(simd)" / "(x87)" / "(vex)" are decode-only placeholders for the FPU/SIMD
// issue: they give the right length and raise #UD (logged under -d unimp) until the real
// rows replace them.
#include "frontend-x86/insn_table.h"

namespace vireo::x86 {
namespace {
using enum Feature;

#define ALU(op, name)                                         \
    {#op "0 /r lock", name, "Eb,Gb", F_BASE},                 \
    {#op "1 /r lock", name, "Ev,Gv", F_BASE},                 \
    {#op "2 /r", name, "Gb,Eb", F_BASE},                      \
    {#op "3 /r", name, "Gv,Ev", F_BASE},                      \
    {#op "4", name, "AL,Ib", F_BASE},                         \
    {#op "5", name, "rAX,Iz", F_BASE}
#define ALU2(op, name)                                        \
    {#op "8 /r lock", name, "Eb,Gb", F_BASE},                 \
    {#op "9 /r lock", name, "Ev,Gv", F_BASE},                 \
    {#op "A /r", name, "Gb,Eb", F_BASE},                      \
    {#op "B /r", name, "Gv,Ev", F_BASE},                      \
    {#op "C", name, "AL,Ib", F_BASE},                         \
    {#op "D", name, "rAX,Iz", F_BASE}
#define GRP1(op, ops, lk)                                    \
    {#op " /0" lk, "add", ops, F_BASE}, {#op " /1" lk, "or", ops, F_BASE},    \
    {#op " /2" lk, "adc", ops, F_BASE}, {#op " /3" lk, "sbb", ops, F_BASE},   \
    {#op " /4" lk, "and", ops, F_BASE}, {#op " /5" lk, "sub", ops, F_BASE},   \
    {#op " /6" lk, "xor", ops, F_BASE}, {#op " /7", "cmp", ops, F_BASE}
#define GRP2(op, ops)                                                          \
    {#op " /0", "rol", ops, F_BASE}, {#op " /1", "ror", ops, F_BASE},          \
    {#op " /2", "rcl", ops, F_BASE}, {#op " /3", "rcr", ops, F_BASE},          \
    {#op " /4", "shl", ops, F_BASE}, {#op " /5", "shr", ops, F_BASE},          \
    {#op " /6", "shl", ops, F_BASE}, {#op " /7", "sar", ops, F_BASE}

// SIMD placeholders (see the header comment). S2: the NP (MMX/SSE) and 66 (SSE2) columns;
// S4: all four prefix columns; SP: the one column its spec names. The I forms have an imm8.
#define SP(spec) {spec, "(simd)", "", F_SSE}
#define SIP(spec) {spec, "(simd)", "Ib", F_SSE}
#define S2(spec) SP("NP " spec), SP("66 " spec)
#define S4(spec) S2(spec), SP("F3 " spec), SP("F2 " spec)
// The four columns of an SSE/SSE2 floating-point arithmetic opcode: PS, PD, SS, SD.
#define FP4(op, name)                                                                        \
    {"NP 0F " op " /r", name "ps", "Vps,Wps", F_SSE}, {"66 0F " op " /r", name "pd", "Vpd,Wpd", F_SSE2}, \
    {"F3 0F " op " /r", name "ss", "Vss,Wss", F_SSE}, {"F2 0F " op " /r", name "sd", "Vsd,Wsd", F_SSE2}
#define X(spec) {spec, "(x87)", "", F_X87}
#define F87(spec, name) {spec, name, "", F_X87}
#define V(spec) {spec, "(avx)", "", F_AVX}
#define VI(spec) {spec, "(avx)", "Ib", F_AVX}
#define K(spec) {spec, "(avx512)", "", F_AVX512}
#define KI(spec) {spec, "(avx512)", "Ib", F_AVX512}
#define EVEX_MAPS(pp)                                                                       \
    {"EVEX." pp ".0F 00-6F /r", "(avx512)", "", F_AVX512},                                  \
    {"EVEX." pp ".0F 70-73 /r", "(avx512)", "Ib", F_AVX512},                                \
    {"EVEX." pp ".0F 74-C1 /r", "(avx512)", "", F_AVX512},                                  \
    {"EVEX." pp ".0F C2 /r", "(avx512)", "Ib", F_AVX512},                                   \
    {"EVEX." pp ".0F C3 /r", "(avx512)", "", F_AVX512},                                     \
    {"EVEX." pp ".0F C4-C6 /r", "(avx512)", "Ib", F_AVX512},                                \
    {"EVEX." pp ".0F C7-FF /r", "(avx512)", "", F_AVX512},                                  \
    {"EVEX." pp ".0F38 00-FF /r", "(avx512)", "", F_AVX512},                                \
    {"EVEX." pp ".0F3A 00-FF /r", "(avx512)", "Ib", F_AVX512}

constexpr InsnRow kRows[] = {
    // ---- one-byte map (Table A-2) ----
    ALU(0, "add"), ALU2(0, "or"), ALU(1, "adc"), ALU2(1, "sbb"),
    ALU(2, "and"), ALU2(2, "sub"), ALU(3, "xor"),
    {"38 /r", "cmp", "Eb,Gb", F_BASE}, {"39 /r", "cmp", "Ev,Gv", F_BASE},
    {"3A /r", "cmp", "Gb,Eb", F_BASE}, {"3B /r", "cmp", "Gv,Ev", F_BASE},
    {"3C", "cmp", "AL,Ib", F_BASE}, {"3D", "cmp", "rAX,Iz", F_BASE},
    {"06 i64", "push", "ES", F_BASE}, {"07 i64", "pop", "ES", F_BASE},
    {"0E i64", "push", "CS", F_BASE},
    {"16 i64", "push", "SS", F_BASE}, {"17 i64", "pop", "SS", F_BASE},
    {"1E i64", "push", "DS", F_BASE}, {"1F i64", "pop", "DS", F_BASE},
    {"27 i64", "daa", "", F_BASE}, {"2F i64", "das", "", F_BASE},
    {"37 i64", "aaa", "", F_BASE}, {"3F i64", "aas", "", F_BASE},
    {"40+r i64", "inc", "Zv", F_BASE}, {"48+r i64", "dec", "Zv", F_BASE},
    {"50+r d64", "push", "Zv", F_BASE}, {"58+r d64", "pop", "Zv", F_BASE},
    {"60 i64", "pushaw|pushal|", "", F_BASE}, {"61 i64", "popaw|popal|", "", F_BASE},
    {"62 /r m i64", "bound", "Gv,Ma", F_BASE},
    {"63 /r i64", "arpl", "Ew,Gw", F_BASE},
    {"63 /r o64", "movsxd", "Gv,Ed", F_BASE},
    {"68 d64", "push", "Iz", F_BASE}, {"69 /r", "imul", "Gv,Ev,Iz", F_BASE},
    {"6A d64", "push", "Ib", F_BASE}, {"6B /r", "imul", "Gv,Ev,Ib", F_BASE},
    {"6C rep", "insb", "Yb,DX", F_BASE}, {"6D rep", "insw|insd|insd", "Yz,DX", F_BASE},
    {"6E rep", "outsb", "DX,Xb", F_BASE}, {"6F rep", "outsw|outsd|outsd", "DX,Xz", F_BASE},
    {"70 f64", "jo", "Jb", F_BASE}, {"71 f64", "jno", "Jb", F_BASE}, {"72 f64", "jb", "Jb", F_BASE},
    {"73 f64", "jae", "Jb", F_BASE}, {"74 f64", "je", "Jb", F_BASE}, {"75 f64", "jne", "Jb", F_BASE},
    {"76 f64", "jbe", "Jb", F_BASE}, {"77 f64", "ja", "Jb", F_BASE}, {"78 f64", "js", "Jb", F_BASE},
    {"79 f64", "jns", "Jb", F_BASE}, {"7A f64", "jp", "Jb", F_BASE}, {"7B f64", "jnp", "Jb", F_BASE},
    {"7C f64", "jl", "Jb", F_BASE}, {"7D f64", "jge", "Jb", F_BASE}, {"7E f64", "jle", "Jb", F_BASE},
    {"7F f64", "jg", "Jb", F_BASE},
    GRP1(80, "Eb,Ib", " lock"), GRP1(81, "Ev,Iz", " lock"), GRP1(83, "Ev,Ib", " lock"),
    {"82 /0 i64 lock", "add", "Eb,Ib", F_BASE}, {"82 /1 i64 lock", "or", "Eb,Ib", F_BASE},
    {"82 /2 i64 lock", "adc", "Eb,Ib", F_BASE}, {"82 /3 i64 lock", "sbb", "Eb,Ib", F_BASE},
    {"82 /4 i64 lock", "and", "Eb,Ib", F_BASE}, {"82 /5 i64 lock", "sub", "Eb,Ib", F_BASE},
    {"82 /6 i64 lock", "xor", "Eb,Ib", F_BASE}, {"82 /7 i64", "cmp", "Eb,Ib", F_BASE},
    {"84 /r", "test", "Eb,Gb", F_BASE}, {"85 /r", "test", "Ev,Gv", F_BASE},
    {"86 /r lock", "xchg", "Eb,Gb", F_BASE}, {"87 /r lock", "xchg", "Ev,Gv", F_BASE},
    {"88 /r", "mov", "Eb,Gb", F_BASE}, {"89 /r", "mov", "Ev,Gv", F_BASE},
    {"8A /r", "mov", "Gb,Eb", F_BASE}, {"8B /r", "mov", "Gv,Ev", F_BASE},
    // Sreg is ModRM.reg 0-5; 6 and 7 are reserved and MOV to CS is #UD (SDM Vol. 2B MOV).
    {"8C /0", "mov", "Ev,Sw", F_BASE}, {"8C /1", "mov", "Ev,Sw", F_BASE},
    {"8C /2", "mov", "Ev,Sw", F_BASE}, {"8C /3", "mov", "Ev,Sw", F_BASE},
    {"8C /4", "mov", "Ev,Sw", F_BASE}, {"8C /5", "mov", "Ev,Sw", F_BASE},
    {"8E /0", "mov", "Sw,Ew", F_BASE}, {"8E /2", "mov", "Sw,Ew", F_BASE},
    {"8E /3", "mov", "Sw,Ew", F_BASE}, {"8E /4", "mov", "Sw,Ew", F_BASE},
    {"8E /5", "mov", "Sw,Ew", F_BASE},
    {"8D /r m", "lea", "Gv,M", F_BASE}, {"8F /0 d64", "pop", "Ev", F_BASE},
    {"F3 90 norexb", "pause", "", F_BASE},
    {"90 norexb", "nop", "", F_BASE},
    {"90+r", "xchg", "Zv,rAX", F_BASE},
    {"98", "cbw|cwde|cdqe", "", F_BASE}, {"99", "cwd|cdq|cqo", "", F_BASE},
    {"9A i64", "lcall", "Ap", F_BASE}, {"9B", "wait", "", F_BASE},
    {"9C d64", "pushf|pushfd|pushfq", "", F_BASE}, {"9D d64", "popf|popfd|popfq", "", F_BASE},
    {"9E", "sahf", "", F_BASE}, {"9F", "lahf", "", F_BASE},
    {"A0", "mov", "AL,Ob", F_BASE}, {"A1", "mov", "rAX,Ov", F_BASE},
    {"A2", "mov", "Ob,AL", F_BASE}, {"A3", "mov", "Ov,rAX", F_BASE},
    {"A4 rep", "movsb", "Yb,Xb", F_BASE}, {"A5 rep", "movsw|movsd|movsq", "Yv,Xv", F_BASE},
    {"A6 rep", "cmpsb", "Xb,Yb", F_BASE}, {"A7 rep", "cmpsw|cmpsd|cmpsq", "Xv,Yv", F_BASE},
    {"A8", "test", "AL,Ib", F_BASE}, {"A9", "test", "rAX,Iz", F_BASE},
    {"AA rep", "stosb", "Yb,AL", F_BASE}, {"AB rep", "stosw|stosd|stosq", "Yv,rAX", F_BASE},
    {"AC rep", "lodsb", "AL,Xb", F_BASE}, {"AD rep", "lodsw|lodsd|lodsq", "rAX,Xv", F_BASE},
    {"AE rep", "scasb", "AL,Yb", F_BASE}, {"AF rep", "scasw|scasd|scasq", "rAX,Yv", F_BASE},
    {"B0+r", "mov", "Zb,Ib", F_BASE}, {"B8+r", "mov", "Zv,Iv", F_BASE},
    GRP2(C0, "Eb,Ib"), GRP2(C1, "Ev,Ib"),
    {"C2 f64", "ret", "Iw", F_BASE}, {"C3 f64", "ret", "", F_BASE},
    {"C4 /r m i64", "les", "Gz,Mp", F_BASE}, {"C5 /r m i64", "lds", "Gz,Mp", F_BASE},
    {"C6 /0", "mov", "Eb,Ib", F_BASE}, {"C7 /0", "mov", "Ev,Iz", F_BASE},
    {"C6 F8", "xabort", "Ib", F_RTM}, {"C7 F8", "xbegin", "Jz", F_RTM},
    {"C8 d64", "enter", "Iw,Ib", F_BASE}, {"C9 d64", "leave", "", F_BASE},
    {"CA", "retf", "Iw", F_BASE}, {"CB", "retf", "", F_BASE},
    {"CC", "int3", "", F_BASE}, {"CD", "int", "Ib", F_BASE}, {"CE i64", "into", "", F_BASE},
    {"CF", "iret|iretd|iretq", "", F_BASE},
    GRP2(D0, "Eb,1"), GRP2(D1, "Ev,1"), GRP2(D2, "Eb,CL"), GRP2(D3, "Ev,CL"),
    {"D4 i64", "aam", "Ib", F_BASE}, {"D5 i64", "aad", "Ib", F_BASE},
    {"D7", "xlatb", "", F_BASE},
    // x87 escapes (SDM Vol. 2D Tables A-7..A-22): every memory form except the reserved D9 /1,
    // DB /4, DB /6 and DD /5; the register forms the SDM lists (ModRM C0-FF). Semantics in
    // semantics/x87_*.cc; the transcendentals are still "(x87)" placeholders.
    F87("D8 /0", "fadd"), F87("D8 /1", "fmul"), F87("D8 /2", "fcom"), F87("D8 /3", "fcomp"),
    F87("D8 /4", "fsub"), F87("D8 /5", "fsubr"), F87("D8 /6", "fdiv"), F87("D8 /7", "fdivr"),
    F87("D9 /0 m", "fld"), F87("D9 /2 m", "fst"), F87("D9 /3 m", "fstp"), F87("D9 /4 m", "fldenv"),
    F87("D9 /5 m", "fldcw"), F87("D9 /6 m", "fnstenv"), F87("D9 /7 m", "fnstcw"),
    F87("D9 /0 r", "fld"), F87("D9 /1 r", "fxch"), F87("D9 D0", "fnop"), F87("D9 E0", "fchs"),
    F87("D9 E1", "fabs"), F87("D9 E4", "ftst"), F87("D9 E5", "fxam"), F87("D9 E8", "fld1"),
    F87("D9 E9", "fldl2t"), F87("D9 EA", "fldl2e"), F87("D9 EB", "fldpi"), F87("D9 EC", "fldlg2"),
    F87("D9 ED", "fldln2"), F87("D9 EE", "fldz"),
    X("D9 F0"), X("D9 F1"), X("D9 F2"), X("D9 F3"), F87("D9 F4", "fxtract"), F87("D9 F5", "fprem1"),
    F87("D9 F6", "fdecstp"), F87("D9 F7", "fincstp"), F87("D9 F8", "fprem"), X("D9 F9"),
    F87("D9 FA", "fsqrt"), X("D9 FB"), F87("D9 FC", "frndint"), F87("D9 FD", "fscale"), X("D9 FE"),
    X("D9 FF"),
    F87("DA /0 m", "fiadd"), F87("DA /1 m", "fimul"), F87("DA /2 m", "ficom"), F87("DA /3 m", "ficomp"),
    F87("DA /4 m", "fisub"), F87("DA /5 m", "fisubr"), F87("DA /6 m", "fidiv"), F87("DA /7 m", "fidivr"),
    F87("DA /0 r", "fcmovb"), F87("DA /1 r", "fcmove"), F87("DA /2 r", "fcmovbe"), F87("DA /3 r", "fcmovu"),
    F87("DA E9", "fucompp"),
    F87("DB /0 m", "fild"), {"DB /1 m", "fisttp", "", F_SSE3}, F87("DB /2 m", "fist"),
    F87("DB /3 m", "fistp"), F87("DB /5 m", "fld"), F87("DB /7 m", "fstp"),
    F87("DB /0 r", "fcmovnb"), F87("DB /1 r", "fcmovne"), F87("DB /2 r", "fcmovnbe"),
    F87("DB /3 r", "fcmovnu"), F87("DB E2", "fnclex"), F87("DB E3", "fninit"),
    F87("DB /5 r", "fucomi"), F87("DB /6 r", "fcomi"),
    F87("DC /0", "fadd"), F87("DC /1", "fmul"), F87("DC /2 m", "fcom"), F87("DC /3 m", "fcomp"),
    F87("DC /4 m", "fsub"), F87("DC /5 m", "fsubr"), F87("DC /6 m", "fdiv"), F87("DC /7 m", "fdivr"),
    F87("DC /4 r", "fsubr"), F87("DC /5 r", "fsub"), F87("DC /6 r", "fdivr"), F87("DC /7 r", "fdiv"),
    F87("DD /0 m", "fld"), {"DD /1 m", "fisttp", "", F_SSE3}, F87("DD /2 m", "fst"),
    F87("DD /3 m", "fstp"), F87("DD /4 m", "frstor"), F87("DD /6 m", "fnsave"), F87("DD /7 m", "fnstsw"),
    F87("DD /0 r", "ffree"), F87("DD /2 r", "fst"), F87("DD /3 r", "fstp"), F87("DD /4 r", "fucom"),
    F87("DD /5 r", "fucomp"),
    F87("DE /0 m", "fiadd"), F87("DE /1 m", "fimul"), F87("DE /2 m", "ficom"), F87("DE /3 m", "ficomp"),
    F87("DE /4 m", "fisub"), F87("DE /5 m", "fisubr"), F87("DE /6 m", "fidiv"), F87("DE /7 m", "fidivr"),
    F87("DE /0 r", "faddp"), F87("DE /1 r", "fmulp"), F87("DE D9", "fcompp"), F87("DE /4 r", "fsubrp"),
    F87("DE /5 r", "fsubp"), F87("DE /6 r", "fdivrp"), F87("DE /7 r", "fdivp"),
    F87("DF /0 m", "fild"), {"DF /1 m", "fisttp", "", F_SSE3}, F87("DF /2 m", "fist"),
    F87("DF /3 m", "fistp"), F87("DF /4 m", "fbld"), F87("DF /5 m", "fild"), F87("DF /6 m", "fbstp"),
    F87("DF /7 m", "fistp"), F87("DF E0", "fnstsw"), F87("DF /5 r", "fucomip"), F87("DF /6 r", "fcomip"),
    {"E0 f64", "loopne", "Jb", F_BASE}, {"E1 f64", "loope", "Jb", F_BASE},
    {"E2 f64", "loop", "Jb", F_BASE}, {"E3 f64 asz", "jcxz|jecxz|jrcxz", "Jb", F_BASE},
    {"E4", "in", "AL,Ib", F_BASE}, {"E5", "in", "eAX,Ib", F_BASE},
    {"E6", "out", "Ib,AL", F_BASE}, {"E7", "out", "Ib,eAX", F_BASE},
    {"E8 f64", "call", "Jz", F_BASE}, {"E9 f64", "jmp", "Jz", F_BASE},
    {"EA i64", "ljmp", "Ap", F_BASE}, {"EB f64", "jmp", "Jb", F_BASE},
    {"EC", "in", "AL,DX", F_BASE}, {"ED", "in", "eAX,DX", F_BASE},
    {"EE", "out", "DX,AL", F_BASE}, {"EF", "out", "DX,eAX", F_BASE},
    {"F1", "int1", "", F_BASE}, {"F4", "hlt", "", F_BASE}, {"F5", "cmc", "", F_BASE},
    {"F6 /0", "test", "Eb,Ib", F_BASE}, {"F6 /1", "test", "Eb,Ib", F_BASE},
    {"F6 /2 lock", "not", "Eb", F_BASE}, {"F6 /3 lock", "neg", "Eb", F_BASE},
    {"F6 /4", "mul", "Eb", F_BASE}, {"F6 /5", "imul", "Eb", F_BASE},
    {"F6 /6", "div", "Eb", F_BASE}, {"F6 /7", "idiv", "Eb", F_BASE},
    {"F7 /0", "test", "Ev,Iz", F_BASE}, {"F7 /1", "test", "Ev,Iz", F_BASE},
    {"F7 /2 lock", "not", "Ev", F_BASE}, {"F7 /3 lock", "neg", "Ev", F_BASE},
    {"F7 /4", "mul", "Ev", F_BASE}, {"F7 /5", "imul", "Ev", F_BASE},
    {"F7 /6", "div", "Ev", F_BASE}, {"F7 /7", "idiv", "Ev", F_BASE},
    {"F8", "clc", "", F_BASE}, {"F9", "stc", "", F_BASE}, {"FA", "cli", "", F_BASE},
    {"FB", "sti", "", F_BASE}, {"FC", "cld", "", F_BASE}, {"FD", "std", "", F_BASE},
    {"FE /0 lock", "inc", "Eb", F_BASE}, {"FE /1 lock", "dec", "Eb", F_BASE},
    {"FF /0 lock", "inc", "Ev", F_BASE}, {"FF /1 lock", "dec", "Ev", F_BASE},
    {"FF /2 f64", "call", "Ev", F_BASE}, {"FF /3 m", "lcall", "Mp", F_BASE},
    {"FF /4 f64", "jmp", "Ev", F_BASE}, {"FF /5 m", "ljmp", "Mp", F_BASE},
    {"FF /6 d64", "push", "Ev", F_BASE},

    // ---- two-byte map (Table A-3) and its groups (Table A-6) ----
    {"0F 00 /0", "sldt", "Ev", F_BASE}, {"0F 00 /1", "str", "Ev", F_BASE},
    {"0F 00 /2", "lldt", "Ew", F_BASE}, {"0F 00 /3", "ltr", "Ew", F_BASE},
    {"0F 00 /4", "verr", "Ew", F_BASE}, {"0F 00 /5", "verw", "Ew", F_BASE},
    {"0F 01 /0 m", "sgdt", "Ms", F_BASE}, {"0F 01 /1 m", "sidt", "Ms", F_BASE},
    {"0F 01 /2 m", "lgdt", "Ms", F_BASE}, {"0F 01 /3 m", "lidt", "Ms", F_BASE},
    {"0F 01 /4", "smsw", "Ev", F_BASE}, {"0F 01 /6", "lmsw", "Ew", F_BASE},
    {"0F 01 /7 m", "invlpg", "M", F_BASE},
    {"F3 0F 01 /5 m", "rstorssp", "Mq", F_CET},
    {"0F 01 C1", "vmcall", "", F_VMX}, {"0F 01 C2", "vmlaunch", "", F_VMX},
    {"0F 01 C3", "vmresume", "", F_VMX}, {"0F 01 C4", "vmxoff", "", F_VMX},
    {"NP 0F 01 C5", "pconfig", "", F_PCONFIG},
    {"0F 01 C8", "monitor", "", F_MONITOR}, {"0F 01 C9", "mwait", "", F_MONITOR},
    {"0F 01 CA", "clac", "", F_SMAP}, {"0F 01 CB", "stac", "", F_SMAP},
    {"0F 01 CF", "encls", "", F_SGX},
    {"0F 01 D0", "xgetbv", "", F_XSAVE}, {"0F 01 D1", "xsetbv", "", F_XSAVE},
    {"0F 01 D4", "vmfunc", "", F_VMX}, {"0F 01 D5", "xend", "", F_RTM},
    {"0F 01 D6", "xtest", "", F_RTM}, {"0F 01 D7", "enclu", "", F_SGX},
    {"0F 01 D8", "vmrun", "", F_SVM}, {"0F 01 D9", "vmmcall", "", F_SVM},
    {"0F 01 DA", "vmload", "", F_SVM}, {"0F 01 DB", "vmsave", "", F_SVM},
    {"0F 01 DC", "stgi", "", F_SVM}, {"0F 01 DD", "clgi", "", F_SVM},
    {"0F 01 DE", "skinit", "", F_SVM}, {"0F 01 DF", "invlpga", "", F_SVM},
    {"NP 0F 01 E8", "serialize", "", F_SERIALIZE},
    {"NP 0F 01 EE", "rdpkru", "", F_PKU}, {"NP 0F 01 EF", "wrpkru", "", F_PKU},
    {"0F 01 F8 o64", "swapgs", "", F_BASE}, {"0F 01 F9", "rdtscp", "", F_RDTSCP},
    {"0F 01 FA", "monitorx", "", F_MONITORX}, {"0F 01 FB", "mwaitx", "", F_MONITORX},
    {"0F 01 FC", "clzero", "", F_CLZERO},
    {"0F 02 /r", "lar", "Gv,Ew", F_BASE}, {"0F 03 /r", "lsl", "Gv,Ew", F_BASE},
    {"0F 05", "syscall", "", F_SYSCALL}, {"0F 06", "clts", "", F_BASE},
    {"0F 07", "sysret", "", F_SYSCALL}, {"0F 08", "invd", "", F_BASE},
    {"0F 09", "wbinvd", "", F_BASE}, {"0F 0B", "ud2", "", F_BASE},
    // PREFETCH/PREFETCHW: every AMD64 processor has them whatever CPUID says (AMD APM Vol. 3
    // "PREFETCH/PREFETCHW": supported when long mode is), Linux uses them on any AMD CPU with
    // LM, and QEMU runs them as NOPs on every model. So no feature gate here.
    {"0F 0D /0 m", "prefetch", "Mb", F_BASE}, {"0F 0D /1 m", "prefetchw", "Mb", F_BASE},
    {"0F 0D /r m", "prefetch", "Mb", F_BASE},  // /2-/7: aliases of /0 (AMD APM PREFETCH)
    {"0F 18 /0 m", "prefetchnta", "Mb", F_BASE}, {"0F 18 /1 m", "prefetcht0", "Mb", F_BASE},
    {"0F 18 /2 m", "prefetcht1", "Mb", F_BASE}, {"0F 18 /3 m", "prefetcht2", "Mb", F_BASE},
    {"F3 0F 1E FA", "endbr64", "", F_BASE}, {"F3 0F 1E FB", "endbr32", "", F_BASE},
    {"0F 18-1F /r", "nop", "Ev", F_BASE},
    {"0F 20 /r", "mov", "Ry,Cy", F_BASE}, {"0F 21 /r", "mov", "Ry,Dy", F_BASE},
    {"0F 22 /r", "mov", "Cy,Ry", F_BASE}, {"0F 23 /r", "mov", "Dy,Ry", F_BASE},
    {"0F 30", "wrmsr", "", F_MSR}, {"0F 31", "rdtsc", "", F_TSC}, {"0F 32", "rdmsr", "", F_MSR},
    {"0F 33", "rdpmc", "", F_BASE}, {"0F 34", "sysenter", "", F_SEP},
    {"0F 35", "sysexit", "", F_SEP}, {"0F 37", "getsec", "", F_SGX},
    {"0F 40 /r", "cmovo", "Gv,Ev", F_CMOV}, {"0F 41 /r", "cmovno", "Gv,Ev", F_CMOV},
    {"0F 42 /r", "cmovb", "Gv,Ev", F_CMOV}, {"0F 43 /r", "cmovae", "Gv,Ev", F_CMOV},
    {"0F 44 /r", "cmove", "Gv,Ev", F_CMOV}, {"0F 45 /r", "cmovne", "Gv,Ev", F_CMOV},
    {"0F 46 /r", "cmovbe", "Gv,Ev", F_CMOV}, {"0F 47 /r", "cmova", "Gv,Ev", F_CMOV},
    {"0F 48 /r", "cmovs", "Gv,Ev", F_CMOV}, {"0F 49 /r", "cmovns", "Gv,Ev", F_CMOV},
    {"0F 4A /r", "cmovp", "Gv,Ev", F_CMOV}, {"0F 4B /r", "cmovnp", "Gv,Ev", F_CMOV},
    {"0F 4C /r", "cmovl", "Gv,Ev", F_CMOV}, {"0F 4D /r", "cmovge", "Gv,Ev", F_CMOV},
    {"0F 4E /r", "cmovle", "Gv,Ev", F_CMOV}, {"0F 4F /r", "cmovg", "Gv,Ev", F_CMOV},
    {"0F 77", "emms", "", F_MMX},
    {"0F 78 /r", "vmread", "Ey,Gy", F_VMX}, {"0F 79 /r", "vmwrite", "Gy,Ey", F_VMX},
    {"0F 80 f64", "jo", "Jz", F_BASE}, {"0F 81 f64", "jno", "Jz", F_BASE},
    {"0F 82 f64", "jb", "Jz", F_BASE}, {"0F 83 f64", "jae", "Jz", F_BASE},
    {"0F 84 f64", "je", "Jz", F_BASE}, {"0F 85 f64", "jne", "Jz", F_BASE},
    {"0F 86 f64", "jbe", "Jz", F_BASE}, {"0F 87 f64", "ja", "Jz", F_BASE},
    {"0F 88 f64", "js", "Jz", F_BASE}, {"0F 89 f64", "jns", "Jz", F_BASE},
    {"0F 8A f64", "jp", "Jz", F_BASE}, {"0F 8B f64", "jnp", "Jz", F_BASE},
    {"0F 8C f64", "jl", "Jz", F_BASE}, {"0F 8D f64", "jge", "Jz", F_BASE},
    {"0F 8E f64", "jle", "Jz", F_BASE}, {"0F 8F f64", "jg", "Jz", F_BASE},
    {"0F 90 /r", "seto", "Eb", F_BASE}, {"0F 91 /r", "setno", "Eb", F_BASE},
    {"0F 92 /r", "setb", "Eb", F_BASE}, {"0F 93 /r", "setae", "Eb", F_BASE},
    {"0F 94 /r", "sete", "Eb", F_BASE}, {"0F 95 /r", "setne", "Eb", F_BASE},
    {"0F 96 /r", "setbe", "Eb", F_BASE}, {"0F 97 /r", "seta", "Eb", F_BASE},
    {"0F 98 /r", "sets", "Eb", F_BASE}, {"0F 99 /r", "setns", "Eb", F_BASE},
    {"0F 9A /r", "setp", "Eb", F_BASE}, {"0F 9B /r", "setnp", "Eb", F_BASE},
    {"0F 9C /r", "setl", "Eb", F_BASE}, {"0F 9D /r", "setge", "Eb", F_BASE},
    {"0F 9E /r", "setle", "Eb", F_BASE}, {"0F 9F /r", "setg", "Eb", F_BASE},
    {"0F A0 d64", "push", "FS", F_BASE}, {"0F A1 d64", "pop", "FS", F_BASE},
    {"0F A2", "cpuid", "", F_BASE}, {"0F A3 /r", "bt", "Ev,Gv", F_BASE},
    {"0F A4 /r", "shld", "Ev,Gv,Ib", F_BASE}, {"0F A5 /r", "shld", "Ev,Gv,CL", F_BASE},
    {"0F A8 d64", "push", "GS", F_BASE}, {"0F A9 d64", "pop", "GS", F_BASE},
    {"0F AA", "rsm", "", F_BASE}, {"0F AB /r lock", "bts", "Ev,Gv", F_BASE},
    {"0F AC /r", "shrd", "Ev,Gv,Ib", F_BASE}, {"0F AD /r", "shrd", "Ev,Gv,CL", F_BASE},
    {"NP 0F AE /0 m", "fxsave|fxsave|fxsave64", "M", F_FXSR},
    {"NP 0F AE /1 m", "fxrstor|fxrstor|fxrstor64", "M", F_FXSR},
    {"NP 0F AE /2 m", "ldmxcsr", "Md", F_SSE}, {"NP 0F AE /3 m", "stmxcsr", "Md", F_SSE},
    {"NP 0F AE /4 m", "xsave|xsave|xsave64", "M", F_XSAVE},
    {"NP 0F AE /5 m", "xrstor|xrstor|xrstor64", "M", F_XSAVE},
    {"NP 0F AE /6 m", "xsaveopt|xsaveopt|xsaveopt64", "M", F_XSAVEOPT}, {"NP 0F AE /7 m", "clflush", "Mb", F_CLFLUSH},
    {"66 0F AE /6 m", "clwb", "Mb", F_CLWB}, {"66 0F AE /7 m", "clflushopt", "Mb", F_CLFLUSHOPT},
    {"NP 0F AE /5 r", "lfence", "", F_SSE2}, {"NP 0F AE /6 r", "mfence", "", F_SSE2},
    {"NP 0F AE /7 r", "sfence", "", F_SSE},
    {"F3 0F AE /0 r o64", "rdfsbase", "Ry", F_FSGSBASE}, {"F3 0F AE /1 r o64", "rdgsbase", "Ry", F_FSGSBASE},
    {"F3 0F AE /2 r o64", "wrfsbase", "Ry", F_FSGSBASE}, {"F3 0F AE /3 r o64", "wrgsbase", "Ry", F_FSGSBASE},
    {"F3 0F AE /6 r", "umonitor", "Ry", F_WAITPKG}, {"66 0F AE /6 r", "tpause", "Ry", F_WAITPKG},
    {"F2 0F AE /6 r", "umwait", "Ry", F_WAITPKG},
    {"0F AF /r", "imul", "Gv,Ev", F_BASE},
    {"0F B0 /r lock", "cmpxchg", "Eb,Gb", F_BASE}, {"0F B1 /r lock", "cmpxchg", "Ev,Gv", F_BASE},
    {"0F B2 /r m", "lss", "Gv,Mp", F_BASE}, {"0F B3 /r lock", "btr", "Ev,Gv", F_BASE},
    {"0F B4 /r m", "lfs", "Gv,Mp", F_BASE}, {"0F B5 /r m", "lgs", "Gv,Mp", F_BASE},
    {"0F B6 /r", "movzx", "Gv,Eb", F_BASE}, {"0F B7 /r", "movzx", "Gv,Ew", F_BASE},
    {"F3 0F B8 /r", "popcnt", "Gv,Ev", F_POPCNT},
    {"0F B9 /r", "ud1", "Gv,Ev", F_BASE},
    {"0F BA /4", "bt", "Ev,Ib", F_BASE}, {"0F BA /5 lock", "bts", "Ev,Ib", F_BASE},
    {"0F BA /6 lock", "btr", "Ev,Ib", F_BASE}, {"0F BA /7 lock", "btc", "Ev,Ib", F_BASE},
    {"0F BB /r lock", "btc", "Ev,Gv", F_BASE},
    {"F3 0F BC /r", "tzcnt", "Gv,Ev", F_BMI1}, {"0F BC /r", "bsf", "Gv,Ev", F_BASE},
    {"F3 0F BD /r", "lzcnt", "Gv,Ev", F_LZCNT}, {"0F BD /r", "bsr", "Gv,Ev", F_BASE},
    {"0F BE /r", "movsx", "Gv,Eb", F_BASE}, {"0F BF /r", "movsx", "Gv,Ew", F_BASE},
    {"0F C0 /r lock", "xadd", "Eb,Gb", F_BASE}, {"0F C1 /r lock", "xadd", "Ev,Gv", F_BASE},
    {"0F C3 /r m", "movnti", "My,Gy", F_SSE2},
    {"0F C7 /1 m W1 lock", "cmpxchg16b", "Mdq", F_CX16}, {"0F C7 /1 m lock", "cmpxchg8b", "Mq", F_CX8},
    {"0F C7 /3 m", "xrstors|xrstors|xrstors64", "M", F_XSAVES},
    {"0F C7 /4 m", "xsavec|xsavec|xsavec64", "M", F_XSAVEC},
    {"0F C7 /5 m", "xsaves|xsaves|xsaves64", "M", F_XSAVES},
    {"NP 0F C7 /6 m", "vmptrld", "Mq", F_VMX}, {"66 0F C7 /6 m", "vmclear", "Mq", F_VMX},
    {"F3 0F C7 /6 m", "vmxon", "Mq", F_VMX}, {"NP 0F C7 /7 m", "vmptrst", "Mq", F_VMX},
    {"0F C7 /6 r", "rdrand", "Rv", F_RDRAND}, {"F3 0F C7 /7 r", "rdpid", "Ry", F_RDPID},
    {"0F C7 /7 r", "rdseed", "Rv", F_RDSEED},
    {"0F C8+r", "bswap", "Zy", F_BASE},
    {"0F FF /r", "ud0", "Gv,Ev", F_BASE},

    // ---- three-byte maps (Tables) ----
    // MOVBE: 66 is its operand-size prefix (Vol. 2B MOVBE r16, m16), so no mandatory prefix;
    // F2 selects CRC32 (with 66 as CRC32's operand size).
    {"0F 38 F0 /r m", "movbe", "Gv,Mv", F_MOVBE}, {"0F 38 F1 /r m", "movbe", "Mv,Gv", F_MOVBE},
    {"F2 0F 38 F0 /r", "crc32", "Gy,Eb", F_SSE42}, {"F2 0F 38 F1 /r", "crc32", "Gy,Ev", F_SSE42},
    {"66 0F 38 F6 /r", "adcx", "Gy,Ey", F_ADX}, {"F3 0F 38 F6 /r", "adox", "Gy,Ey", F_ADX},
    {"66 0F 38 80 /r m", "invept", "Gy,Mdq", F_VMX}, {"66 0F 38 81 /r m", "invvpid", "Gy,Mdq", F_VMX},
    {"66 0F 38 82 /r m", "invpcid", "Gy,Mdq", F_INVPCID},

    // ---- SSE..SSE4.2, AES, SHA: Table cells with a mandatory-prefix column ----
    // A prefix column the SDM leaves empty is #UD: F2/F3 on an instruction that does not define
    // them is reserved (SDM Vol. 2A 2.1.1). The SSE/SSE2 moves, logic, integer, shuffle and
    // pack/unpack forms have semantics (semantics/sse_*.cc), and so do the floating-point
    // arithmetic, compares and conversions (semantics/sse_fp_*.cc over softfloat/); the other
    // cells are still placeholders (length and validity only): the MMX (NP) columns of
    // 0F 60-7F/C4-C5/D1-FE, the MMX<->XMM conversions (0F 2A/2C/2D NP and 66), the SSE3 cells.
    {"NP 0F 10 /r", "movups", "Vps,Wps", F_SSE}, {"NP 0F 11 /r", "movups", "Wps,Vps", F_SSE},
    {"66 0F 10 /r", "movupd", "Vpd,Wpd", F_SSE2}, {"66 0F 11 /r", "movupd", "Wpd,Vpd", F_SSE2},
    {"F3 0F 10 /r", "movss", "Vx,Wss", F_SSE}, {"F3 0F 11 /r", "movss", "Wss,Vss", F_SSE},
    {"F2 0F 10 /r", "movsd", "Vx,Wsd", F_SSE2}, {"F2 0F 11 /r", "movsd", "Wsd,Vsd", F_SSE2},
    {"NP 0F 12 /r m", "movlps", "Vq,Mq", F_SSE}, {"NP 0F 12 /r r", "movhlps", "Vq,Uq", F_SSE},
    {"66 0F 12 /r m", "movlpd", "Vq,Mq", F_SSE2}, SP("F3 0F 12 /r"), SP("F2 0F 12 /r"),
    {"NP 0F 13 /r m", "movlps", "Mq,Vq", F_SSE}, {"66 0F 13 /r m", "movlpd", "Mq,Vq", F_SSE2},
    {"NP 0F 14 /r", "unpcklps", "Vx,Wx", F_SSE}, {"66 0F 14 /r", "unpcklpd", "Vx,Wx", F_SSE2},
    {"NP 0F 15 /r", "unpckhps", "Vx,Wx", F_SSE}, {"66 0F 15 /r", "unpckhpd", "Vx,Wx", F_SSE2},
    {"NP 0F 16 /r m", "movhps", "Vq,Mq", F_SSE}, {"NP 0F 16 /r r", "movlhps", "Vq,Uq", F_SSE},
    {"66 0F 16 /r m", "movhpd", "Vq,Mq", F_SSE2}, SP("F3 0F 16 /r"),
    {"NP 0F 17 /r m", "movhps", "Mq,Vq", F_SSE}, {"66 0F 17 /r m", "movhpd", "Mq,Vq", F_SSE2},
    {"NP 0F 28 /r", "movaps", "Vps,Wps", F_SSE}, {"NP 0F 29 /r", "movaps", "Wps,Vps", F_SSE},
    {"66 0F 28 /r", "movapd", "Vpd,Wpd", F_SSE2}, {"66 0F 29 /r", "movapd", "Wpd,Vpd", F_SSE2},
    SP("NP 0F 2A /r"), SP("66 0F 2A /r"),
    {"F3 0F 2A /r", "cvtsi2ss", "Vss,Ey", F_SSE}, {"F2 0F 2A /r", "cvtsi2sd", "Vsd,Ey", F_SSE2},
    {"NP 0F 2B /r m", "movntps", "Mps,Vps", F_SSE}, {"66 0F 2B /r m", "movntpd", "Mpd,Vpd", F_SSE2},
    SP("NP 0F 2C-2D /r"), SP("66 0F 2C-2D /r"),
    {"F3 0F 2C /r", "cvttss2si", "Gy,Wss", F_SSE}, {"F3 0F 2D /r", "cvtss2si", "Gy,Wss", F_SSE},
    {"F2 0F 2C /r", "cvttsd2si", "Gy,Wsd", F_SSE2}, {"F2 0F 2D /r", "cvtsd2si", "Gy,Wsd", F_SSE2},
    {"NP 0F 2E /r", "ucomiss", "Vss,Wss", F_SSE}, {"NP 0F 2F /r", "comiss", "Vss,Wss", F_SSE},
    {"66 0F 2E /r", "ucomisd", "Vsd,Wsd", F_SSE2}, {"66 0F 2F /r", "comisd", "Vsd,Wsd", F_SSE2},
    {"NP 0F 50 /r r", "movmskps", "Gd,Ups", F_SSE}, {"66 0F 50 /r r", "movmskpd", "Gd,Upd", F_SSE2},
    FP4("51", "sqrt"),
    {"NP 0F 52 /r", "rsqrtps", "Vps,Wps", F_SSE}, {"NP 0F 53 /r", "rcpps", "Vps,Wps", F_SSE},
    {"F3 0F 52 /r", "rsqrtss", "Vss,Wss", F_SSE}, {"F3 0F 53 /r", "rcpss", "Vss,Wss", F_SSE},
    {"NP 0F 54 /r", "andps", "Vps,Wps", F_SSE}, {"66 0F 54 /r", "andpd", "Vpd,Wpd", F_SSE2},
    {"NP 0F 55 /r", "andnps", "Vps,Wps", F_SSE}, {"66 0F 55 /r", "andnpd", "Vpd,Wpd", F_SSE2},
    {"NP 0F 56 /r", "orps", "Vps,Wps", F_SSE}, {"66 0F 56 /r", "orpd", "Vpd,Wpd", F_SSE2},
    {"NP 0F 57 /r", "xorps", "Vps,Wps", F_SSE}, {"66 0F 57 /r", "xorpd", "Vpd,Wpd", F_SSE2},
    FP4("58", "add"), FP4("59", "mul"),
    {"NP 0F 5A /r", "cvtps2pd", "Vpd,Wps", F_SSE2}, {"66 0F 5A /r", "cvtpd2ps", "Vps,Wpd", F_SSE2},
    {"F3 0F 5A /r", "cvtss2sd", "Vsd,Wss", F_SSE2}, {"F2 0F 5A /r", "cvtsd2ss", "Vss,Wsd", F_SSE2},
    {"NP 0F 5B /r", "cvtdq2ps", "Vps,Wdq", F_SSE2}, {"66 0F 5B /r", "cvtps2dq", "Vdq,Wps", F_SSE2},
    {"F3 0F 5B /r", "cvttps2dq", "Vdq,Wps", F_SSE2},
    FP4("5C", "sub"), FP4("5D", "min"), FP4("5E", "div"), FP4("5F", "max"),
    SP("NP 0F 60-6B /r"),
    {"66 0F 60 /r", "punpcklbw", "Vx,Wx", F_SSE2}, {"66 0F 61 /r", "punpcklwd", "Vx,Wx", F_SSE2},
    {"66 0F 62 /r", "punpckldq", "Vx,Wx", F_SSE2}, {"66 0F 63 /r", "packsswb", "Vx,Wx", F_SSE2},
    {"66 0F 64 /r", "pcmpgtb", "Vx,Wx", F_SSE2}, {"66 0F 65 /r", "pcmpgtw", "Vx,Wx", F_SSE2},
    {"66 0F 66 /r", "pcmpgtd", "Vx,Wx", F_SSE2}, {"66 0F 67 /r", "packuswb", "Vx,Wx", F_SSE2},
    {"66 0F 68 /r", "punpckhbw", "Vx,Wx", F_SSE2}, {"66 0F 69 /r", "punpckhwd", "Vx,Wx", F_SSE2},
    {"66 0F 6A /r", "punpckhdq", "Vx,Wx", F_SSE2}, {"66 0F 6B /r", "packssdw", "Vx,Wx", F_SSE2},
    {"66 0F 6C /r", "punpcklqdq", "Vx,Wx", F_SSE2}, {"66 0F 6D /r", "punpckhqdq", "Vx,Wx", F_SSE2},
    SP("NP 0F 6E-6F /r"),
    {"66 0F 6E /r", "movd|movd|movq", "Vy,Ey", F_SSE2},
    {"66 0F 6F /r", "movdqa", "Vx,Wx", F_SSE2}, {"F3 0F 6F /r", "movdqu", "Vx,Wx", F_SSE2},
    SIP("NP 0F 70 /r"), {"66 0F 70 /r", "pshufd", "Vx,Wx,Ib", F_SSE2},
    {"F3 0F 70 /r", "pshufhw", "Vx,Wx,Ib", F_SSE2}, {"F2 0F 70 /r", "pshuflw", "Vx,Wx,Ib", F_SSE2},
    SIP("NP 0F 71 /2 r"), SIP("NP 0F 71 /4 r"), SIP("NP 0F 71 /6 r"),
    {"66 0F 71 /2 r", "psrlw", "Ux,Ib", F_SSE2}, {"66 0F 71 /4 r", "psraw", "Ux,Ib", F_SSE2},
    {"66 0F 71 /6 r", "psllw", "Ux,Ib", F_SSE2},
    SIP("NP 0F 72 /2 r"), SIP("NP 0F 72 /4 r"), SIP("NP 0F 72 /6 r"),
    {"66 0F 72 /2 r", "psrld", "Ux,Ib", F_SSE2}, {"66 0F 72 /4 r", "psrad", "Ux,Ib", F_SSE2},
    {"66 0F 72 /6 r", "pslld", "Ux,Ib", F_SSE2},
    SIP("NP 0F 73 /2 r"), SIP("NP 0F 73 /6 r"),
    {"66 0F 73 /2 r", "psrlq", "Ux,Ib", F_SSE2}, {"66 0F 73 /3 r", "psrldq", "Ux,Ib", F_SSE2},
    {"66 0F 73 /6 r", "psllq", "Ux,Ib", F_SSE2}, {"66 0F 73 /7 r", "pslldq", "Ux,Ib", F_SSE2},
    SP("NP 0F 74-76 /r"),
    {"66 0F 74 /r", "pcmpeqb", "Vx,Wx", F_SSE2}, {"66 0F 75 /r", "pcmpeqw", "Vx,Wx", F_SSE2},
    {"66 0F 76 /r", "pcmpeqd", "Vx,Wx", F_SSE2},
    SP("66 0F 7C-7D /r"), SP("F2 0F 7C-7D /r"), SP("NP 0F 7E-7F /r"),
    {"66 0F 7E /r", "movd|movd|movq", "Ey,Vy", F_SSE2}, {"66 0F 7F /r", "movdqa", "Wx,Vx", F_SSE2},
    {"F3 0F 7E /r", "movq", "Vx,Wq", F_SSE2}, {"F3 0F 7F /r", "movdqu", "Wx,Vx", F_SSE2},
    {"NP 0F C2 /r", "cmpps", "Vps,Wps,Ib", F_SSE}, {"66 0F C2 /r", "cmppd", "Vpd,Wpd,Ib", F_SSE2},
    {"F3 0F C2 /r", "cmpss", "Vss,Wss,Ib", F_SSE}, {"F2 0F C2 /r", "cmpsd", "Vsd,Wsd,Ib", F_SSE2},
    SIP("NP 0F C4 /r"), {"66 0F C4 /r", "pinsrw", "Vdq,Ew,Ib", F_SSE2},
    SIP("NP 0F C5 /r r"), {"66 0F C5 /r r", "pextrw", "Gd,Udq,Ib", F_SSE2},
    {"NP 0F C6 /r", "shufps", "Vps,Wps,Ib", F_SSE}, {"66 0F C6 /r", "shufpd", "Vpd,Wpd,Ib", F_SSE2},
    SP("66 0F D0 /r"), SP("F2 0F D0 /r"), SP("NP 0F D1-D5 /r"),
    {"66 0F D1 /r", "psrlw", "Vx,Wx", F_SSE2}, {"66 0F D2 /r", "psrld", "Vx,Wx", F_SSE2},
    {"66 0F D3 /r", "psrlq", "Vx,Wx", F_SSE2}, {"66 0F D4 /r", "paddq", "Vx,Wx", F_SSE2},
    {"66 0F D5 /r", "pmullw", "Vx,Wx", F_SSE2}, {"66 0F D6 /r", "movq", "Wq,Vq", F_SSE2},
    SP("F3 0F D6 /r r"), SP("F2 0F D6 /r r"), SP("NP 0F D7 /r r"),
    {"66 0F D7 /r r", "pmovmskb", "Gd,Ux", F_SSE2},
    SP("NP 0F D8-E5 /r"),
    {"66 0F D8 /r", "psubusb", "Vx,Wx", F_SSE2}, {"66 0F D9 /r", "psubusw", "Vx,Wx", F_SSE2},
    {"66 0F DA /r", "pminub", "Vx,Wx", F_SSE2}, {"66 0F DB /r", "pand", "Vx,Wx", F_SSE2},
    {"66 0F DC /r", "paddusb", "Vx,Wx", F_SSE2}, {"66 0F DD /r", "paddusw", "Vx,Wx", F_SSE2},
    {"66 0F DE /r", "pmaxub", "Vx,Wx", F_SSE2}, {"66 0F DF /r", "pandn", "Vx,Wx", F_SSE2},
    {"66 0F E0 /r", "pavgb", "Vx,Wx", F_SSE2}, {"66 0F E1 /r", "psraw", "Vx,Wx", F_SSE2},
    {"66 0F E2 /r", "psrad", "Vx,Wx", F_SSE2}, {"66 0F E3 /r", "pavgw", "Vx,Wx", F_SSE2},
    {"66 0F E4 /r", "pmulhuw", "Vx,Wx", F_SSE2}, {"66 0F E5 /r", "pmulhw", "Vx,Wx", F_SSE2},
    {"66 0F E6 /r", "cvttpd2dq", "Vx,Wpd", F_SSE2}, {"F3 0F E6 /r", "cvtdq2pd", "Vx,Wq", F_SSE2},
    {"F2 0F E6 /r", "cvtpd2dq", "Vx,Wpd", F_SSE2}, SP("NP 0F E7 /r m"),
    {"66 0F E7 /r m", "movntdq", "Mx,Vx", F_SSE2},
    SP("NP 0F E8-EF /r"),
    {"66 0F E8 /r", "psubsb", "Vx,Wx", F_SSE2}, {"66 0F E9 /r", "psubsw", "Vx,Wx", F_SSE2},
    {"66 0F EA /r", "pminsw", "Vx,Wx", F_SSE2}, {"66 0F EB /r", "por", "Vx,Wx", F_SSE2},
    {"66 0F EC /r", "paddsb", "Vx,Wx", F_SSE2}, {"66 0F ED /r", "paddsw", "Vx,Wx", F_SSE2},
    {"66 0F EE /r", "pmaxsw", "Vx,Wx", F_SSE2}, {"66 0F EF /r", "pxor", "Vx,Wx", F_SSE2},
    SP("F2 0F F0 /r m"), SP("NP 0F F1-F6 /r"),
    {"66 0F F1 /r", "psllw", "Vx,Wx", F_SSE2}, {"66 0F F2 /r", "pslld", "Vx,Wx", F_SSE2},
    {"66 0F F3 /r", "psllq", "Vx,Wx", F_SSE2}, {"66 0F F4 /r", "pmuludq", "Vx,Wx", F_SSE2},
    {"66 0F F5 /r", "pmaddwd", "Vx,Wx", F_SSE2}, {"66 0F F6 /r", "psadbw", "Vx,Wx", F_SSE2},
    SP("NP 0F F7 /r r"), {"66 0F F7 /r r", "maskmovdqu", "Vdq,Udq", F_SSE2},
    SP("NP 0F F8-FE /r"),
    {"66 0F F8 /r", "psubb", "Vx,Wx", F_SSE2}, {"66 0F F9 /r", "psubw", "Vx,Wx", F_SSE2},
    {"66 0F FA /r", "psubd", "Vx,Wx", F_SSE2}, {"66 0F FB /r", "psubq", "Vx,Wx", F_SSE2},
    {"66 0F FC /r", "paddb", "Vx,Wx", F_SSE2}, {"66 0F FD /r", "paddw", "Vx,Wx", F_SSE2},
    {"66 0F FE /r", "paddd", "Vx,Wx", F_SSE2},
    // Table A-4 (0F 38): SSSE3 (MMX and XMM forms), SSE4.1/4.2, SHA, AES.
    S2("0F 38 00-0B /r"), SP("66 0F 38 10 /r"), SP("66 0F 38 14-15 /r"), SP("66 0F 38 17 /r"),
    S2("0F 38 1C-1E /r"), SP("66 0F 38 20-25 /r"), SP("66 0F 38 28-29 /r"), SP("66 0F 38 2A /r m"),
    SP("66 0F 38 2B /r"), SP("66 0F 38 30-35 /r"), SP("66 0F 38 37-41 /r"),
    SP("NP 0F 38 C8-CD /r"), SP("66 0F 38 CF /r"), SP("66 0F 38 DB-DF /r"),
    // Table A-5 (0F 3A), all with an imm8.
    SIP("66 0F 3A 08-0E /r"), SIP("NP 0F 3A 0F /r"), SIP("66 0F 3A 0F /r"), SIP("66 0F 3A 14-17 /r"),
    SIP("66 0F 3A 20-22 /r"), SIP("66 0F 3A 40-42 /r"), SIP("66 0F 3A 44 /r"), SIP("66 0F 3A 60-63 /r"),
    SIP("NP 0F 3A CC /r"), SIP("66 0F 3A CE-CF /r"), SIP("66 0F 3A DF /r"),

    // ---- AVX, AVX2, FMA, F16C, AES, GFNI and the AVX-512 opmask instructions (VEX) ----
    // Placeholders as above. Rows without L or W accept both (LIG/WIG).
    V("VEX.NP.0F 10-11 /r"), V("VEX.66.0F 10-11 /r"), V("VEX.F3.0F 10-11 /r"), V("VEX.F2.0F 10-11 /r"),
    V("VEX.L0.NP.0F 12 /r"), V("VEX.L0.66.0F 12 /r m"), V("VEX.F3.0F 12 /r"), V("VEX.F2.0F 12 /r"),
    V("VEX.L0.NP.0F 13 /r m"), V("VEX.L0.66.0F 13 /r m"), V("VEX.NP.0F 14-15 /r"), V("VEX.66.0F 14-15 /r"),
    V("VEX.L0.NP.0F 16 /r"), V("VEX.L0.66.0F 16 /r m"), V("VEX.F3.0F 16 /r"),
    V("VEX.L0.NP.0F 17 /r m"), V("VEX.L0.66.0F 17 /r m"),
    V("VEX.NP.0F 28-29 /r"), V("VEX.66.0F 28-29 /r"), V("VEX.F3.0F 2A /r"), V("VEX.F2.0F 2A /r"),
    V("VEX.NP.0F 2B /r m"), V("VEX.66.0F 2B /r m"), V("VEX.F3.0F 2C-2D /r"), V("VEX.F2.0F 2C-2D /r"),
    V("VEX.NP.0F 2E-2F /r"), V("VEX.66.0F 2E-2F /r"),
    V("VEX.NP.0F 50 /r r"), V("VEX.66.0F 50 /r r"),
    V("VEX.NP.0F 51 /r"), V("VEX.66.0F 51 /r"), V("VEX.F3.0F 51 /r"), V("VEX.F2.0F 51 /r"),
    V("VEX.NP.0F 52-53 /r"), V("VEX.F3.0F 52-53 /r"), V("VEX.NP.0F 54-57 /r"), V("VEX.66.0F 54-57 /r"),
    V("VEX.NP.0F 58-5A /r"), V("VEX.66.0F 58-5A /r"), V("VEX.F3.0F 58-5A /r"), V("VEX.F2.0F 58-5A /r"),
    V("VEX.NP.0F 5B /r"), V("VEX.66.0F 5B /r"), V("VEX.F3.0F 5B /r"),
    V("VEX.NP.0F 5C-5F /r"), V("VEX.66.0F 5C-5F /r"), V("VEX.F3.0F 5C-5F /r"), V("VEX.F2.0F 5C-5F /r"),
    V("VEX.66.0F 60-6D /r"), V("VEX.L0.66.0F 6E /r"), V("VEX.66.0F 6F /r"), V("VEX.F3.0F 6F /r"),
    VI("VEX.66.0F 70 /r"), VI("VEX.F3.0F 70 /r"), VI("VEX.F2.0F 70 /r"),
    VI("VEX.66.0F 71 /2 r"), VI("VEX.66.0F 71 /4 r"), VI("VEX.66.0F 71 /6 r"),
    VI("VEX.66.0F 72 /2 r"), VI("VEX.66.0F 72 /4 r"), VI("VEX.66.0F 72 /6 r"),
    VI("VEX.66.0F 73 /2 r"), VI("VEX.66.0F 73 /3 r"), VI("VEX.66.0F 73 /6 r"),
    VI("VEX.66.0F 73 /7 r"),
    V("VEX.66.0F 74-76 /r"),
    {"VEX.L0.NP.0F 77", "vzeroupper", "", F_AVX}, {"VEX.L1.NP.0F 77", "vzeroall", "", F_AVX},
    V("VEX.66.0F 7C-7D /r"), V("VEX.F2.0F 7C-7D /r"), V("VEX.L0.66.0F 7E /r"), V("VEX.L0.F3.0F 7E /r"),
    V("VEX.66.0F 7F /r"), V("VEX.F3.0F 7F /r"),
    {"VEX.L0.NP.0F AE /2 m", "vldmxcsr", "Md", F_AVX}, {"VEX.L0.NP.0F AE /3 m", "vstmxcsr", "Md", F_AVX},
    VI("VEX.NP.0F C2 /r"), VI("VEX.66.0F C2 /r"), VI("VEX.F3.0F C2 /r"), VI("VEX.F2.0F C2 /r"),
    VI("VEX.L0.66.0F C4 /r"), VI("VEX.L0.66.0F C5 /r r"), VI("VEX.NP.0F C6 /r"), VI("VEX.66.0F C6 /r"),
    V("VEX.66.0F D0 /r"), V("VEX.F2.0F D0 /r"), V("VEX.66.0F D1-D5 /r"), V("VEX.L0.66.0F D6 /r"),
    V("VEX.66.0F D7 /r r"), V("VEX.66.0F D8-E6 /r"), V("VEX.F3.0F E6 /r"), V("VEX.F2.0F E6 /r"),
    V("VEX.66.0F E7 /r m"), V("VEX.66.0F E8-EF /r"), V("VEX.F2.0F F0 /r m"), V("VEX.66.0F F1-F6 /r"),
    V("VEX.L0.66.0F F7 /r r"), V("VEX.66.0F F8-FE /r"),
    // AVX-512 opmask instructions (VEX-encoded; W selects the mask width).
    K("VEX.L1.NP.0F 41-42 /r r"), K("VEX.L1.66.0F 41-42 /r r"), K("VEX.L0.NP.0F 44 /r r"),
    K("VEX.L0.66.0F 44 /r r"), K("VEX.L1.NP.0F 45-47 /r r"), K("VEX.L1.66.0F 45-47 /r r"),
    K("VEX.L1.NP.0F 4A /r r"), K("VEX.L1.66.0F 4A /r r"), K("VEX.L1.66.0F.W0 4B /r r"),
    K("VEX.L1.NP.0F 4B /r r"), K("VEX.L0.NP.0F 90 /r"), K("VEX.L0.66.0F 90 /r"),
    K("VEX.L0.NP.0F 91 /r m"), K("VEX.L0.66.0F 91 /r m"), K("VEX.L0.NP.0F.W0 92-93 /r r"),
    K("VEX.L0.66.0F.W0 92-93 /r r"), K("VEX.L0.F2.0F 92-93 /r r"), K("VEX.L0.NP.0F 98-99 /r r"),
    K("VEX.L0.66.0F 98-99 /r r"), KI("VEX.L0.66.0F3A 30-33 /r r"),
    // VEX 0F 38 (Table A-4).
    V("VEX.66.0F38 00-0B /r"), V("VEX.66.0F38.W0 0C-0F /r"), V("VEX.66.0F38.W0 13 /r"),
    V("VEX.L1.66.0F38.W0 16 /r"), V("VEX.66.0F38 17 /r"), V("VEX.66.0F38.W0 18 /r"),
    V("VEX.L1.66.0F38.W0 19 /r"), V("VEX.L1.66.0F38.W0 1A /r m"), V("VEX.66.0F38 1C-1E /r"),
    V("VEX.66.0F38 20-25 /r"), V("VEX.66.0F38 28-29 /r"), V("VEX.66.0F38 2A /r m"), V("VEX.66.0F38 2B /r"),
    V("VEX.66.0F38.W0 2C-2F /r m"), V("VEX.66.0F38 30-35 /r"), V("VEX.L1.66.0F38.W0 36 /r"),
    V("VEX.66.0F38 37-40 /r"), V("VEX.L0.66.0F38 41 /r"), V("VEX.66.0F38 45 /r"), V("VEX.66.0F38.W0 46 /r"),
    V("VEX.66.0F38 47 /r"), V("VEX.66.0F38.W0 58-59 /r"), V("VEX.L1.66.0F38.W0 5A /r m"),
    V("VEX.66.0F38.W0 78-79 /r"), V("VEX.66.0F38 8C /r m"), V("VEX.66.0F38 8E /r m"),
    V("VEX.66.0F38 90-93 /r m"), V("VEX.66.0F38 96-9F /r"), V("VEX.66.0F38 A6-AF /r"),
    V("VEX.66.0F38 B6-BF /r"), V("VEX.66.0F38.W0 CF /r"), V("VEX.L0.66.0F38 DB /r"),
    V("VEX.66.0F38 DC-DF /r"),
    // VEX 0F 3A (Table A-5), all with an imm8.
    VI("VEX.L1.66.0F3A.W1 00-01 /r"), VI("VEX.66.0F3A.W0 02 /r"), VI("VEX.66.0F3A.W0 04-05 /r"),
    VI("VEX.L1.66.0F3A.W0 06 /r"), VI("VEX.66.0F3A 08-0F /r"), VI("VEX.L0.66.0F3A 14-17 /r"),
    VI("VEX.L1.66.0F3A.W0 18-19 /r"), VI("VEX.66.0F3A.W0 1D /r"), VI("VEX.L0.66.0F3A 20-22 /r"),
    VI("VEX.L1.66.0F3A.W0 38-39 /r"), VI("VEX.66.0F3A 40 /r"), VI("VEX.L0.66.0F3A 41 /r"),
    VI("VEX.66.0F3A 42 /r"), VI("VEX.66.0F3A 44 /r"), VI("VEX.L1.66.0F3A.W0 46 /r"),
    VI("VEX.66.0F3A.W0 4A-4C /r"), VI("VEX.L0.66.0F3A 60-63 /r"), VI("VEX.66.0F3A.W1 CE-CF /r"),
    VI("VEX.L0.66.0F3A DF /r"),

    // ---- EVEX (AVX-512) ----
    // Length-only placeholders for the whole EVEX space of maps 0F, 0F 38 and 0F 3A until the
    // AVX-512 issue: ModRM always, imm8 in map 0F 3A and for 0F 70-73, C2, C4-C6 (SDM Vol. 2A
    // 2.7; the imm8 positions follow the VEX/legacy maps). They raise #UD like every
    // placeholder.
    EVEX_MAPS("NP"), EVEX_MAPS("66"), EVEX_MAPS("F3"), EVEX_MAPS("F2"),

    // ---- VEX-encoded general-purpose instructions (BMI1/BMI2) ----
    {"VEX.LZ.NP.0F38 F2 /r", "andn", "Gy,By,Ey", F_BMI1},
    {"VEX.LZ.NP.0F38 F3 /1", "blsr", "By,Ey", F_BMI1},
    {"VEX.LZ.NP.0F38 F3 /2", "blsmsk", "By,Ey", F_BMI1},
    {"VEX.LZ.NP.0F38 F3 /3", "blsi", "By,Ey", F_BMI1},
    {"VEX.LZ.NP.0F38 F5 /r", "bzhi", "Gy,Ey,By", F_BMI2},
    {"VEX.LZ.F3.0F38 F5 /r", "pext", "Gy,By,Ey", F_BMI2},
    {"VEX.LZ.F2.0F38 F5 /r", "pdep", "Gy,By,Ey", F_BMI2},
    {"VEX.LZ.F2.0F38 F6 /r", "mulx", "By,Gy,Ey", F_BMI2},
    {"VEX.LZ.NP.0F38 F7 /r", "bextr", "Gy,Ey,By", F_BMI1},
    {"VEX.LZ.66.0F38 F7 /r", "shlx", "Gy,Ey,By", F_BMI2},
    {"VEX.LZ.F3.0F38 F7 /r", "sarx", "Gy,Ey,By", F_BMI2},
    {"VEX.LZ.F2.0F38 F7 /r", "shrx", "Gy,Ey,By", F_BMI2},
    {"VEX.LZ.F2.0F3A F0 /r", "rorx", "Gy,Ey,Ib", F_BMI2},
};
}  // namespace

std::span<const InsnRow> insn_rows() { return kRows; }

}  // namespace vireo::x86
