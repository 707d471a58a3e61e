; exceptions: every vector that ring-0 code can raise deterministically, with
; the pushed error code and the saved EIP (fault: at the instruction; trap:
; after it), first in 32-bit protected mode, then the key ones in 64-bit mode
; (16-byte gates, IST stack switch, RSP alignment).
; SDM Vol.3A 6.15 "Exception and Interrupt Reference", 6.13 "Error Code".
%define TEST_NAME "exceptions"
%include "test.inc"

SEL_NP_DATA     equ SEL_FREE + 0x00     ; data segment, P=0
SEL_XO_CODE     equ SEL_FREE + 0x08     ; execute-only code segment
SEL_RO_DATA     equ SEL_FREE + 0x10     ; read-only data segment
SEL_NP_DATA3    equ SEL_FREE + 0x18     ; DPL3 data segment, P=0

test_main:
        SET_DESC SEL_NP_DATA, 0, 0xfffff, 0x12, FL_32   ; P=0, data r/w
        SET_DESC SEL_XO_CODE, 0, 0xfffff, 0x98, FL_32   ; code, exec-only
        SET_DESC SEL_RO_DATA, 0, 0xfffff, 0x90, FL_32   ; data, read-only
        SET_DESC SEL_NP_DATA3, 0, 0xfffff, 0x72, FL_32  ; P=0, DPL3

        ; ---- #DE (0): divide error, fault -----------------------------------
        mov eax, 1
        xor edx, edx
        xor ecx, ecx
        EXPECT_FAULT 0, NOERR, div ecx
        mov eax, 0x80000000             ; INT_MIN / -1 overflows
        mov edx, 0xffffffff
        mov ecx, -1
        EXPECT_FAULT 0, NOERR, idiv ecx
        mov ax, 0x1000                  ; quotient 0x1000 does not fit in AL
        mov bl, 1
        EXPECT_FAULT 0, NOERR, div bl
        mov ax, 0x00ff                  ; no fault: 0xff / 1 fits
        div bl
        movzx eax, ax
        CHECK_EQ eax, 0x00ff, "div bl 0xff/1"

        ; ---- #DB (1): single step (trap after the instruction following the
        ; POPF that set TF, SDM Vol.3A 17.3.1.4), DR6.BS --------------------
        ARM_FAULT .ss_resume
        pushfd
        or dword [esp], 0x100
        popfd
        nop                             ; executes, then the trap
.ss_after:
        CHECK_FAIL "single step: no #DB"
.ss_resume:
        CHECK_FAULT 1, NOERR, .ss_after
        mov eax, [fault_dr6]
        and eax, 0x4000
        CHECK_EQ eax, 0x4000, "single step: DR6.BS"
        mov eax, [fault_eflags]
        and eax, 0x100
        CHECK_EQ eax, 0x100, "single step: saved EFLAGS.TF"
        ; (INT1/ICEBP is in icebp.asm: QEMU 7.2 TCG raises #UD for it)
        ; DR0 instruction breakpoint: fault, EIP = the instruction, DR6.B0
        mov eax, .bp_insn
        mov dr0, eax
        mov eax, 0x00000001             ; L0, R/W0=00 (exec), LEN0=00
        mov dr7, eax
        ARM_FAULT .bp_resume
.bp_insn:
        nop
        CHECK_FAIL "DR0 execute breakpoint: no #DB"
.bp_resume:
        xor eax, eax
        mov dr7, eax
        CHECK_FAULT 1, NOERR, .bp_insn
        mov eax, [fault_dr6]
        and eax, 0x000f
        CHECK_EQ eax, 1, "DR0 breakpoint: DR6.B0"
        ; DR1 data write breakpoint: trap after the writing instruction
        mov eax, dbg_var
        mov dr1, eax
        mov eax, (1 << 2) | (01b << 20) | (11b << 22)   ; L1, write, 4 bytes
        mov dr7, eax
        ARM_FAULT .wp_resume
        mov dword [dbg_var], 0x1234
.wp_after:
        CHECK_FAIL "DR1 write breakpoint: no #DB"
.wp_resume:
        xor eax, eax
        mov dr7, eax
        CHECK_FAULT 1, NOERR, .wp_after
        mov eax, [fault_dr6]
        and eax, 0x000f
        CHECK_EQ eax, 2, "DR1 breakpoint: DR6.B1"
        CHECK_EQ dword [dbg_var], 0x1234, "DR1 breakpoint: write done"

        ; ---- #BP (3): trap, saved EIP after INT3 (1 byte) / INT 3 (2 bytes)
        EXPECT_TRAP 3, int3
        EXPECT_TRAP 3, db 0xcd, 0x03

        ; ---- #OF (4): INTO traps only with OF=1 ----------------------------
        mov al, 0x7f
        add al, 1                       ; OF=1
        EXPECT_TRAP 4, into
        mov ebx, [fault_count]
        xor eax, eax                    ; OF=0
        into
        CHECK_EQ ebx, dword [fault_count], "INTO with OF=0 must not trap"

        ; ---- #BR (5): BOUND, fault ------------------------------------------
        mov eax, 21
        EXPECT_FAULT 5, NOERR, bound eax, [bounds]
        mov eax, 9
        EXPECT_FAULT 5, NOERR, bound eax, [bounds]
        mov ebx, [fault_count]
        mov eax, 10
        bound eax, [bounds]             ; bounds are inclusive
        mov eax, 20
        bound eax, [bounds]
        CHECK_EQ ebx, dword [fault_count], "BOUND within [10,20] must not fault"

        ; ---- #UD (6) --------------------------------------------------------
        EXPECT_FAULT 6, NOERR, ud2
        EXPECT_FAULT 6, NOERR, db 0x0f, 0xff, 0xc0      ; UD0
        EXPECT_FAULT 6, NOERR, db 0xf0, 0x90            ; LOCK NOP
        EXPECT_FAULT 6, NOERR, db 0xf0, 0x01, 0xd8      ; LOCK ADD EAX,EBX
        EXPECT_FAULT 6, NOERR, db 0x8e, 0xc8            ; MOV CS,AX
        mov ebx, [fault_count]
        lock add dword [dbg_var], 1     ; LOCK with a memory operand is fine
        CHECK_EQ ebx, dword [fault_count], "LOCK ADD [mem] must not fault"

        ; ---- #NM (7): CR0.TS / CR0.EM ---------------------------------------
        ; x87 instructions raise #NM with CR0.TS or CR0.EM whether or not an FPU exists
        ; (SDM Vol. 3A Table 2-2); the checks that run x87 code need CPUID.01H:EDX.FPU.
        mov eax, 1
        cpuid
        and edx, 1
        mov [fpu_present], edx
        jz .nm_nofpu0
        fninit
.nm_nofpu0:
        mov eax, cr0
        or eax, 1 << 3                  ; TS
        mov cr0, eax
        EXPECT_FAULT 7, NOERR, fld1
        mov eax, cr0
        or eax, 1 << 1                  ; MP=1, TS=1: WAIT faults too
        mov cr0, eax
        EXPECT_FAULT 7, NOERR, fwait
        and eax, ~(1 << 1)              ; MP=0, TS=1: WAIT does not
        mov cr0, eax
        mov ebx, [fault_count]
        fwait
        CHECK_EQ ebx, dword [fault_count], "WAIT with MP=0 TS=1 must not fault"
        clts
        mov eax, cr0
        or eax, 1 << 2                  ; EM
        mov cr0, eax
        EXPECT_FAULT 7, NOERR, fld1
        and eax, ~(1 << 2)
        mov cr0, eax
        cmp dword [fpu_present], 0
        je .nm_nofpu1
        mov ebx, [fault_count]
        fld1                            ; fine again
        fstp st0
        CHECK_EQ ebx, dword [fault_count], "x87 with TS=EM=0 must not fault"
        jmp .nm_done
.nm_nofpu1:
        EXPECT_FAULT 6, NOERR, fld1     ; no FPU, TS=EM=0: #UD
.nm_done:

        and byte [idt32 + 3*8 + 5], 0x7f
        EXPECT_FAULT 11, 3*8 + 2, int3
        or byte [idt32 + 3*8 + 5], 0x80

        ; ---- #MF (16): pending unmasked x87 exception, CR0.NE=1 ------------
        cmp dword [fpu_present], 0
        je .mf_done
        mov eax, cr0
        or eax, 1 << 5                  ; NE
        mov cr0, eax
        fninit
        fldcw [fpu_cw_zm_clear]         ; unmask zero-divide
        fld1
        fldz
        fdivp st1, st0                  ; sets ZE, exception now pending
        EXPECT_FAULT 16, NOERR, fwait   ; reported on the next waiting insn
        fnclex
        fninit
.mf_done:

        ; ---- 64-bit mode ----------------------------------------------------
        call enter_long
bits 64
        mov eax, 1
        xor edx, edx
        xor ecx, ecx
        EXPECT_FAULT 0, NOERR, div rcx
        EXPECT_FAULT 6, NOERR, ud2
        EXPECT_FAULT 6, NOERR, db 0xce                  ; INTO: invalid in 64-bit
        EXPECT_FAULT 6, NOERR, db 0x0e                  ; PUSH CS: invalid
        EXPECT_TRAP 3, int3
        mov rax, 0x8000000000000000     ; non-canonical -> #GP(0)
        EXPECT_FAULT 13, 0, mov rbx, [rax]
        mov ax, 0x100
        EXPECT_FAULT 13, 0x100, mov ds, ax
        mov ax, SEL_NP_DATA
        EXPECT_FAULT 11, SEL_NP_DATA, mov es, ax
        EXPECT_FAULT 12, SEL_NP_DATA, mov ss, ax
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        ; #PF beyond the 1 GiB identity map: not present, read, supervisor
        mov eax, 0x40000000
        EXPECT_FAULT 14, 0, mov rbx, [rax]
        mov rax, [fault_cr2]
        CHECK_EQ rax, 0x40000000, "64: CR2"
        mov eax, 0x40000000
        EXPECT_FAULT 14, 2, mov [rax], rbx
        ; the frame always has SS:RSP; RSP is 16-byte aligned first
        ; (SDM Vol.3A 6.14.2)
        mov rbx, rsp
        and rsp, ~15
        sub rsp, 8                      ; misaligned by 8
        mov rcx, rsp
        EXPECT_TRAP 3, int3
        CHECK_EQ qword [fault_esp], rcx, "64: saved RSP"
        and rcx, ~15
        sub rcx, 40                     ; RIP slot after 5 pushes
        CHECK_EQ qword [fault_frame], rcx, "64: frame 16-byte aligned"
        mov rsp, rbx
        ; IST1 (SDM Vol.3A 6.14.5): unconditional stack switch
        SET_GATE64 3, exc64_stub_3, GATE64_INT, 1
        mov rcx, rsp
        EXPECT_TRAP 3, int3
        CHECK_EQ qword [fault_esp], rcx, "64 IST: saved RSP is the old RSP"
        mov eax, ist1_stack_top - 40
        CHECK_EQ qword [fault_frame], rax, "64 IST: frame on IST1 stack"
        SET_GATE64 3, exc64_stub_3, GATE64_INT, 0
        ; #DF in 64-bit mode: #GP gate not present
        and byte [idt64 + 13*16 + 5], 0x7f
        ARM_FAULT .df64_resume
        mov ax, 0x100
        mov ds, ax
        CHECK_FAIL "64: no #DF"
.df64_resume:
        or byte [idt64 + 13*16 + 5], 0x80
        mov ax, SEL_DATA32
        mov ds, ax
        CHECK_EQ qword [fault_vec], 8, "64: #DF vector"
        CHECK_EQ qword [fault_err], 0, "64: #DF error code"
        call leave_long
bits 32
        ret

section .data
align 8
bounds:         dd 10, 20
dbg_var:        dd 0
fpu_present:    dd 0
fpu_cw_zm_clear: dw 0x037b
saved_idtr:     dw 0
                dd 0
small_idtr:     dw 0
                dd 0
section .text
