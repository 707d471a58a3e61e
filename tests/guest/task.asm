; task: 32-bit hardware task switching (SDM Vol.3A chapter 7):
; JMP to a TSS descriptor (busy bits move, no back-link, NT=0, state saved in
; the old TSS, CR0.TS set), CALL through a task gate (NT=1, back-link, old
; task stays busy), IRET back to the caller, INT through an IDT task gate,
; JMP/CALL to a busy TSS (#GP), TSS limit < 0x67 (#TS), not-present TSS (#NP).
%define TEST_NAME "task"
%include "test.inc"

SEL_TSSB        equ SEL_FREE + 0x00
SEL_TSSC        equ SEL_FREE + 0x08
SEL_TSSD        equ SEL_FREE + 0x10     ; limit 0x60: too small
SEL_TSSE        equ SEL_FREE + 0x18     ; for the IDT task gate
SEL_TASKGATE    equ SEL_FREE + 0x20     ; GDT task gate -> SEL_TSSC
SEL_TSSNP       equ SEL_FREE + 0x28     ; not present
VEC_TASK        equ 0x40

; TSS field offsets (SDM Vol.3A Figure 7-2)
T_LINK  equ 0x00
T_CR3   equ 0x1c
T_EIP   equ 0x20
T_EFL   equ 0x24
T_EAX   equ 0x28
T_EBX   equ 0x34
T_ESP   equ 0x38

%macro TSS32 3                          ; EIP, ESP, EAX
        dd 0                            ; link
        dd 0, 0, 0, 0, 0, 0             ; ESP0 SS0 ESP1 SS1 ESP2 SS2
        dd 0                            ; CR3 (paging is off)
        dd %1                           ; EIP
        dd 2                            ; EFLAGS
        dd %3, 0, 0, 0                  ; EAX ECX EDX EBX
        dd %2, 0, 0, 0                  ; ESP EBP ESI EDI
        dd SEL_DATA32, SEL_CODE32, SEL_DATA32, SEL_DATA32, SEL_DATA32, SEL_DATA32
        dd 0                            ; LDT
        dw 0, 104                       ; T, I/O map base (= limit + 1: none)
%endmacro

%macro BUSY 2                           ; reg <- busy bit (0/2) of TSS selector
        movzx %1, byte [gdt + (%2) + 5]
        and %1, 2
%endmacro

test_main:
        SET_DESC SEL_TSSB, tss_b, 0x67, ACC_TSS, 0
        SET_DESC SEL_TSSC, tss_c, 0x67, ACC_TSS, 0
        SET_DESC SEL_TSSD, tss_d, 0x60, ACC_TSS, 0
        SET_DESC SEL_TSSE, tss_e, 0x67, ACC_TSS, 0
        SET_DESC SEL_TSSNP, tss_d, 0x67, ACC_TSS & 0x7f, 0
        mov word [gdt + SEL_TASKGATE + 2], SEL_TSSC
        mov byte [gdt + SEL_TASKGATE + 5], 0x85         ; P, DPL0, task gate
        SET_GATE32 VEC_TASK, 0, GATE_TASK, SEL_TSSE

        ; ---- JMP to a TSS ------------------------------------------------------
        mov ebx, 0x12345678
        mov eax, 0xaaaa
        jmp SEL_TSSB:0                  ; offset ignored
.back_from_b:                           ; B jumps back here (saved EIP)
        mov ecx, ebx
        CHECK_EQ ecx, 0x12345678, "EBX restored from TSS A"
        str eax
        CHECK_EQ eax, SEL_TSS32, "TR = A after JMP back"
        BUSY eax, SEL_TSSB
        CHECK_EQ eax, 0, "B not busy after JMP away"
        BUSY eax, SEL_TSS32
        CHECK_EQ eax, 2, "A busy again"
        CHECK_EQ dword [b_ran], 1, "task B ran"
        CHECK_EQ dword [tss_b + T_EIP], task_b.after_jmp, "B's EIP saved in its TSS"
        clts

        ; ---- CALL through a task gate, IRET back ------------------------------
        mov eax, 0x5555
        call SEL_TASKGATE:0
        mov ecx, eax
        CHECK_EQ ecx, 0x5555, "EAX restored after the nested task's IRET"
        str eax
        CHECK_EQ eax, SEL_TSS32, "TR = A after IRET"
        BUSY eax, SEL_TSSC
        CHECK_EQ eax, 0, "C not busy after IRET"
        CHECK_EQ dword [c_ran], 1, "task C ran"
        pushfd
        pop eax
        and eax, 1 << 14
        CHECK_EQ eax, 0, "A's NT still 0"
        clts

        ; ---- INT through an IDT task gate --------------------------------------
        int VEC_TASK
        CHECK_EQ dword [e_ran], 1, "task E ran through the IDT task gate"
        BUSY eax, SEL_TSSE
        CHECK_EQ eax, 0, "E not busy after IRET"
        clts

        ; ---- failures ----------------------------------------------------------
        EXPECT_FAULT 13, SEL_TSS32, jmp SEL_TSS32:0     ; busy (current) task
        EXPECT_FAULT 13, SEL_TSS32, call SEL_TSS32:0
        EXPECT_FAULT 10, SEL_TSSD, jmp SEL_TSSD:0       ; limit < 0x67
        EXPECT_FAULT 11, SEL_TSSNP, jmp SEL_TSSNP:0
        BUSY eax, SEL_TSSD
        CHECK_EQ eax, 0, "failed switch left D not busy"
        str eax
        CHECK_EQ eax, SEL_TSS32, "failed switches left TR alone"
        ret

; ---- task B: entered by JMP --------------------------------------------------
task_b:
        CHECK_EQ eax, 0xb0b0, "B: EAX loaded from TSS B"
        str eax
        CHECK_EQ eax, SEL_TSSB, "B: TR"
        BUSY eax, SEL_TSSB
        CHECK_EQ eax, 2, "B: own TSS busy"
        BUSY eax, SEL_TSS32
        CHECK_EQ eax, 0, "B: JMP cleared A's busy bit"
        pushfd
        pop eax
        and eax, 1 << 14
        CHECK_EQ eax, 0, "B: NT=0 after JMP"
        CHECK_EQ dword [tss_b + T_LINK], 0, "B: no back-link after JMP"
        CHECK_EQ dword [tss32 + T_EBX], 0x12345678, "B: A's EBX saved in TSS A"
        CHECK_EQ dword [tss32 + T_EAX], 0xaaaa, "B: A's EAX saved in TSS A"
        CHECK_EQ dword [tss32 + T_EIP], test_main.back_from_b, "B: A's EIP saved"
        mov eax, cr0
        and eax, 1 << 3
        CHECK_EQ eax, 1 << 3, "B: CR0.TS set by the task switch"
        mov dword [b_ran], 1
        jmp SEL_TSS32:0
.after_jmp:
        CHECK_FAIL "task B resumed"

; ---- task C: entered by CALL through a task gate -------------------------------
task_c:
        pushfd
        pop eax
        and eax, 1 << 14
        CHECK_EQ eax, 1 << 14, "C: NT=1 after CALL"
        CHECK_EQ dword [tss_c + T_LINK], SEL_TSS32, "C: back-link = A"
        BUSY eax, SEL_TSS32
        CHECK_EQ eax, 2, "C: A stays busy (nested)"
        BUSY eax, SEL_TSSC
        CHECK_EQ eax, 2, "C: own TSS busy"
        ; a CALL to the busy outer task must fail
        EXPECT_FAULT 13, SEL_TSS32, call SEL_TSS32:0
        mov dword [c_ran], 1
        iretd                           ; NT=1: task return to A

; ---- task E: entered by INT through a task gate --------------------------------
task_e:
        pushfd
        pop eax
        and eax, 1 << 14
        CHECK_EQ eax, 1 << 14, "E: NT=1 after INT"
        CHECK_EQ dword [tss_e + T_LINK], SEL_TSS32, "E: back-link = A"
        mov dword [e_ran], 1
        iretd

section .data
align 16
tss_b:  TSS32 task_b, stack_b_top, 0xb0b0
tss_c:  TSS32 task_c, stack_c_top, 0
tss_d:  TSS32 task_c, stack_c_top, 0
tss_e:  TSS32 task_e, stack_e_top, 0
b_ran:  dd 0
c_ran:  dd 0
e_ran:  dd 0
section .bss
alignb 16
        resb 2048
stack_b_top:
        resb 2048
stack_c_top:
        resb 2048
stack_e_top:
section .text
