// Architectural state of one x86-64 logical processor (SDM Vol. 3A chapter 2 and 3), plus the
// per-vCPU soft-TLB arrays the inline memory fast path reads (mem_access.h).
#pragma once
#include <atomic>
#include "frontend-x86/features.h"
#include "frontend-x86/types.h"

namespace vireo::x86 {

// Segment registers in ModRM.reg order (SDM Vol. 2A Table 2-2 "Sreg").
enum Seg : u8 { ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5, SEG_NONE = 0xff };

enum Gpr : u8 { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
                REG_ZERO = 16 /* reads as 0: the "no base/index" slot of address computation */ };

// RFLAGS bits (SDM Vol. 1 3.4.3).
enum : u64 {
    CF = 1u << 0, PF = 1u << 2, AF = 1u << 4, ZF = 1u << 6, SF = 1u << 7, TF = 1u << 8,
    IF = 1u << 9, DF = 1u << 10, OF = 1u << 11, IOPL = 3u << 12, NT = 1u << 14, RF = 1u << 16,
    VM = 1u << 17, AC = 1u << 18, VIF = 1u << 19, VIP = 1u << 20, ID = 1u << 21,
    ARITH_FLAGS = CF | PF | AF | ZF | SF | OF,
};

// Control register bits (SDM Vol. 3A 2.5).
enum : u64 {
    CR0_PE = 1u << 0, CR0_MP = 1u << 1, CR0_EM = 1u << 2, CR0_TS = 1u << 3, CR0_ET = 1u << 4,
    CR0_NE = 1u << 5, CR0_WP = 1u << 16, CR0_AM = 1u << 18, CR0_NW = 1u << 29,
    CR0_CD = 1u << 30, CR0_PG = 1u << 31,
    CR4_VME = 1u << 0, CR4_PVI = 1u << 1, CR4_TSD = 1u << 2, CR4_DE = 1u << 3,
    CR4_PSE = 1u << 4, CR4_PAE = 1u << 5, CR4_MCE = 1u << 6, CR4_PGE = 1u << 7,
    CR4_PCE = 1u << 8, CR4_OSFXSR = 1u << 9, CR4_OSXMMEXCPT = 1u << 10, CR4_UMIP = 1u << 11,
    CR4_LA57 = 1u << 12, CR4_FSGSBASE = 1u << 16, CR4_PCIDE = 1u << 17,
    CR4_OSXSAVE = 1u << 18, CR4_SMEP = 1u << 20, CR4_SMAP = 1u << 21, CR4_PKE = 1u << 22,
    EFER_SCE = 1u << 0, EFER_LME = 1u << 8, EFER_LMA = 1u << 10, EFER_NXE = 1u << 11,
};

// Exception vectors (SDM Vol. 3A Table 6-1).
enum Vector : u8 {
    DE = 0, DB = 1, NMI_VEC = 2, BP = 3, OF_VEC = 4, BR = 5, UD = 6, NM = 7, DF_VEC = 8,
    TS = 10, NP = 11, SS_VEC = 12, GP = 13, PF_VEC = 14, MF = 16, AC_VEC = 17, MC = 18,
    XM = 19, VE = 20, CP = 21,
};

// A segment register with its hidden descriptor cache (SDM Vol. 3A 3.4.3).
// attr holds descriptor bits 40..47 in 0..7 (type, S, DPL, P) and 52..55 in 12..15 (AVL, L, D/B, G).
struct Segment {
    u16 sel = 0;
    u16 attr = 0;
    u32 limit = 0;  // byte granular (G already applied)
    u64 base = 0;
    u8 access = 0;  // derived: SEG_ACC_* (which accesses the fast path may allow)
    u8 dpl() const { return (attr >> 5) & 3; }
    bool present() const { return attr & 0x80; }
    bool s() const { return attr & 0x10; }  // code/data (not system)
    u8 type() const { return attr & 15; }
    bool code() const { return s() && (attr & 8); }
    bool db() const { return attr & 0x4000; }
    bool l() const { return attr & 0x2000; }
};
enum : u8 { SEG_ACC_R = 1, SEG_ACC_W = 2, SEG_ACC_SLOW = 4 /* expand-down or unusable */ };
enum : u16 { SEG_ATTR_P = 0x80, SEG_ATTR_S = 0x10, SEG_ATTR_DB = 0x4000, SEG_ATTR_L = 0x2000,
             SEG_ATTR_G = 0x8000 };

struct TableReg {
    u64 base = 0;
    u32 limit = 0xffff;
};

// One soft-TLB entry: host = addend + linear on a hit. A tag is the page's linear address;
// low bits set (TLB_INVALID / TLB_SLOW) force the slow path (MMIO, code-tracked page, watch).
struct TlbEntry {
    u64 tag_read = ~0ull;
    u64 tag_write = ~0ull;
    u64 tag_exec = ~0ull;
    uintptr_t addend = 0;
    u64 paddr = 0;  // physical page, for the slow path
};
enum : u64 { TLB_INVALID = 1, TLB_SLOW = 2 };
constexpr unsigned kTlbBits = 8;
constexpr unsigned kTlbSize = 1u << kTlbBits;
// MMU indexes: the access rights a TLB entry was filled for.
// MMU_CHECKED is never filled: every access through it takes the slow path, which applies the
// checks the fast path cannot make (alignment checking, data breakpoints) with the rights of
// the real index (mmu_rights_idx()).
enum MmuIdx : u8 { MMU_KERNEL = 0, MMU_KERNEL_AC = 1, MMU_USER = 2, MMU_CHECKED = 3, MMU_COUNT = 4 };

// Lazy arithmetic flags (flags.h): the last flag-setting operation and its operands.
enum CcOp : u8 {
    CC_EFLAGS,  // flags are materialized in cc_src
    CC_ADD, CC_ADC, CC_SUB, CC_SBB, CC_LOGIC, CC_INC, CC_DEC, CC_NEG,
    CC_COUNT
};

// MXCSR (SDM Vol. 1 10.2.3): exception flags 0-5, DAZ 6, exception masks 7-12, rounding
// control 13-14, FTZ 15. Bits 16-31 are reserved: writing a 1 there is #GP(0).
enum : u32 {
    MXCSR_IE = 1u << 0, MXCSR_DE = 1u << 1, MXCSR_ZE = 1u << 2, MXCSR_OE = 1u << 3,
    MXCSR_UE = 1u << 4, MXCSR_PE = 1u << 5, MXCSR_DAZ = 1u << 6, MXCSR_IM = 1u << 7,
    MXCSR_DM = 1u << 8, MXCSR_ZM = 1u << 9, MXCSR_OM = 1u << 10, MXCSR_UM = 1u << 11,
    MXCSR_PM = 1u << 12, MXCSR_RC = 3u << 13, MXCSR_FZ = 1u << 15,
    kMxcsrReset = 0x1F80,  // SDM Vol. 3A Table 9-1: all exceptions masked, round to nearest
    // The writable bits FXSAVE reports as MXCSR_MASK (SDM Vol. 1 11.6.6): DAZ is supported.
    // (AMD hosts also report bit 17, MM, misaligned-SSE exception mask, which Vireo lacks.)
    kMxcsrMask = 0xFFFF,
};

// One vector register, 32 bytes: XMM i is bytes 0-15 and the upper half of YMM i bytes 16-31
// (SDM Vol. 1 14.1.1: the low 128 bits of YMM i are XMM i). One contiguous 32-byte slot per
// register keeps the AVX forms simple later: a VEX.128 write zeroes bytes 16-31 of the same
// slot, a 256-bit operand is one object, XSAVE's YMM_Hi128 component is bytes 16-31 of each.
// Only the low 16 bytes are used until AVX is implemented. Lanes are little-endian, as in
// the GPRs (the host is assumed little-endian, like gpr[] byte offsets for AH..BH).
struct alignas(32) VecReg {
    u8 b[32];
};

// x87 FPU state as FXSAVE/FXRSTOR carry it (SDM Vol. 1 8.1, Table 10-2). The arithmetic is not
// implemented yet; the state is architectural already (reset values, FXSAVE/FXRSTOR).
struct X87State {
    u8 r[8][10] = {};  // physical registers R0..R7, 80-bit raw (ST(i) is R[(TOP + i) & 7])
    u16 fcw = 0x0040;  // RESET value (SDM Vol. 3A Table 9-1; FNINIT gives 0x037F)
    u16 fsw = 0;       // TOP is bits 11-13
    u8 ftw = 0xFF;     // abridged tag word (SDM Vol. 1 10.5.1.1): bit i set = R i not empty;
                       // RESET's tag word 5555H (all "zero") means all valid
    u16 fop = 0;       // last non-control instruction opcode, 11 bits
    u64 fip = 0, fdp = 0;  // last instruction / data pointer (offsets)
    u16 fcs = 0, fds = 0;  // their selectors (the 32-bit FXSAVE layout carries them)
};

class CpuHost;  // the machine side: memory, I/O, interrupts (cpu_host.h)
struct CpuModel;  // the named CPU model CPUID reports (cpu_model.h)

struct CpuState {
    u64 gpr[17] = {};  // gpr[REG_ZERO] is always 0
    u64 rip = 0;

    // Lazy flags: cc_op with the result (cc_dst), second operand (cc_src), carry-in or first
    // operand (cc_src2), operand width in bytes (cc_size).
    u64 cc_dst = 0, cc_src = 0, cc_src2 = 0;
    u8 cc_op = CC_EFLAGS;
    u8 cc_size = 4;
    u64 eflags = 2;  // all bits but the arithmetic ones (which live in the lazy state)

    Segment seg[6];
    Segment ldtr, tr;
    TableReg gdtr, idtr;
    u64 cr0 = CR0_ET | CR0_CD | CR0_NW, cr2 = 0, cr3 = 0, cr4 = 0, cr8 = 0;
    u64 efer = 0;
    u64 xcr0 = 1;
    u64 xss = 0;  // IA32_XSS (MSR 0DA0H): supervisor XSAVE components; none exist yet
    // Protection-key rights for user-mode pages (SDM Vol. 3A 4.6.2): AD for key k in bit 2k,
    // WD in bit 2k+1. RDPKRU/WRPKRU reach it; reset value 0.
    u32 pkru = 0;
    u64 dr[8] = {0, 0, 0, 0, 0xffff0ff0, 0x400, 0xffff0ff0, 0x400};

    // SSE state (SDM Vol. 1 10.2): XMM0-15 (YMM upper halves beside them, see VecReg), MXCSR;
    // and the x87 state FXSAVE carries. INIT keeps both (SDM Vol. 3A Table 9-1).
    VecReg xmm[16] = {};
    u32 mxcsr = kMxcsrReset;
    X87State x87;
    // IGNNE# input (CR0.NE = 0 only): the board asserts it when the IRQ 13 handler writes port
    // F0h; it lasts while the x87 error stays pending (x87_enter).
    bool ignne = false;

    // MSRs (msr.cc)
    u64 star = 0, lstar = 0, cstar = 0, sfmask = 0, kernel_gs_base = 0;
    u64 sysenter_cs = 0, sysenter_esp = 0, sysenter_eip = 0;
    u64 tsc_aux = 0, pat = 0x0007040600070406ull, apic_base = 0xfee00900, misc_enable = 1;
    u64 syscfg = 0;  // AMD SYSCFG (MSR 0xc0010010), AMD models only
    u64 mtrr_def_type = 0, mtrr_fixed[11] = {}, mtrr_var[16] = {};
    i64 tsc_offset = 0;

    // Derived mode (recomputed by update_mode()): what decoding and access checks depend on.
    u8 cpl = 0;
    u8 code_size = 16;     // 16, 32, 64
    u8 stack_size = 2;     // bytes: SS.B or 64-bit mode
    bool long64 = false;   // IA-32e 64-bit sub-mode
    bool pe = false, vm86 = false;
    u8 mmu_idx = MMU_KERNEL;
    bool align_check = false;      // CR0.AM && EFLAGS.AC && CPL 3: #AC on misaligned data
    bool dbg_exec = false;         // an instruction breakpoint is enabled in DR7
    bool dbg_data = false;         // a data breakpoint is enabled in DR7
    u8 pending_db = 0;             // data-breakpoint hits of the current instruction (trap)
    u8 paging_mode = 0;    // 0 none, 2 32-bit, 3 PAE, 4 4-level, 5 5-level

    // Interrupt shadow (STI, MOV SS: SDM Vol. 3A 6.8.3) and halt state.
    bool irq_inhibit = false;
    bool halted = false;
    bool wait_for_sipi = false;    // an AP after RESET/INIT: only a SIPI starts it (SDM 10.4)
    u8 sipi_vector = 0;            // the vector of the last start-up IPI (IRQ_SIPI)
    bool yield_on_pause = false;   // PAUSE ends the vCPU's turn (several vCPUs share a thread)
    bool nmi_blocked = false;
    std::atomic<u32> interrupt_request{0};

    // Engine bookkeeping: the request to leave the current block after the op being executed
    // (a branch, SMC on this block, a mode change).
    u32 tier1_op = 0;  // tier-1 code: index of the op being executed (for precise faults)
    // A debugger watches memory: implicit accesses (sys_read/sys_write) report to
    // CpuHost::debug_access too (explicit ones take the MMU_CHECKED path).
    bool debug_watch = false;
    bool block_break = false;
    bool rip_fixup = false;        // block_break came from a side effect: resume at the next insn
    bool jmp_cache_stale = false;  // the TLB was flushed: virtual-PC lookups must be redone
    u64 insn_count = 0;            // retired instructions, counted per block

    FeatureSet features;
    const CpuModel* model = nullptr;  // nullptr: the default model (cpu_model.h)
    u32 cpu_index = 0;
    CpuHost* host = nullptr;

    TlbEntry tlb[MMU_COUNT][kTlbSize];
};

enum InterruptRequest : u32 {
    IRQ_HARD = 1u << 0,  // an external interrupt is pending at the controller
    IRQ_NMI = 1u << 1,
    IRQ_INIT = 1u << 2,
    IRQ_SIPI = 1u << 3,
    IRQ_EXIT = 1u << 4,  // leave the execution loop (main loop work, stop, quit)
    IRQ_SMI = 1u << 5,
};

// The access rights index for the current CPL/AC/SMAP state (what MMU_CHECKED stands for).
u8 mmu_rights_idx(const CpuState& c);
// Recompute the derived mode fields after CR0/CR4/EFER/CS/SS/EFLAGS.VM/AC or DR7 change.
void update_mode(CpuState& c);
// Architectural reset (SDM Vol. 3A 9.1.1, Table 9-1).
void cpu_reset(CpuState& c);
// INIT (SDM Vol. 3A 9.1, Table 9-1 "INIT" column; 10.4.7.3): the registers as after RESET but
// MSRs, x87/SSE state and caches are kept; an AP (APIC base BSP flag clear) then waits for a
// start-up IPI, the BSP restarts at the reset vector.
void cpu_init(CpuState& c);
// Start-up IPI to a CPU waiting for one (SDM Vol. 3A 10.4.4): real mode at vector << 12.
void cpu_sipi(CpuState& c, u8 vector);

}  // namespace vireo::x86
