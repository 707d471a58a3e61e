; stack: stack instructions with subtle operand rules (SDM Vol.2 PUSH/POP/
; PUSHA/POPA/ENTER/LEAVE/RET): PUSHAD stores the original ESP and POPAD
; skips it, 16-bit PUSHA, ENTER with nesting levels (frame pointers copied
; from the outer frame) and LEAVE, PUSH ESP (old value), POP ESP, POP [ESP]
; (address computed after the increment), PUSH [ESP], RET imm16, far
; CALL/RETF at the same privilege, PUSH imm8 sign extension, POPFD rules
; (VM/RF cannot be set; AC/ID toggle), and the same in 64-bit mode.
%define TEST_NAME "stack"
%include "test.inc"

test_main:
        ; ---- PUSHAD / POPAD --------------------------------------------------------
        mov eax, 0xa0
        mov ecx, 0xc1
        mov edx, 0xd2
        mov ebx, 0xb3
        mov ebp, 0xb5
        mov esi, 0x56
        mov edi, 0xd7
        mov [saved_esp], esp
        pushad
        mov eax, [saved_esp]
        sub eax, 32
        mov edx, esp
        CHECK_EQ edx, eax, "PUSHAD: 8 dwords"
        mov edx, [esp + 28]
        CHECK_EQ edx, 0xa0, "PUSHAD: EAX at top"
        mov edx, [esp + 24]
        CHECK_EQ edx, 0xc1, "PUSHAD: ECX"
        mov edx, [esp + 12]
        CHECK_EQ edx, dword [saved_esp], "PUSHAD: original ESP"
        mov edx, [esp]
        CHECK_EQ edx, 0xd7, "PUSHAD: EDI at bottom"
        mov dword [esp + 12], 0x12345678        ; POPAD ignores the ESP slot
        mov dword [esp + 28], 0x1a0
        popad
        CHECK_EQ eax, 0x1a0, "POPAD: EAX"
        CHECK_EQ esi, 0x56, "POPAD: ESI"
        mov edx, esp
        CHECK_EQ edx, dword [saved_esp], "POPAD: ESP not loaded from the stack"
        mov ax, 0x1111
        o16 pusha                       ; 8 words
        mov eax, [saved_esp]
        sub eax, 16
        mov edx, esp
        CHECK_EQ edx, eax, "PUSHA (16-bit): 8 words"
        movzx eax, word [esp + 14]
        CHECK_EQ eax, 0x1111, "PUSHA: AX at top"
        movzx eax, word [esp + 6]
        mov ebx, [saved_esp]
        and ebx, 0xffff
        CHECK_EQ eax, ebx, "PUSHA: original SP"
        o16 popa
        mov edx, esp
        CHECK_EQ edx, dword [saved_esp], "POPA (16-bit)"

        ; ---- ENTER / LEAVE -------------------------------------------------------------
        mov ebp, outer_frame            ; fake outer frame with 2 display slots
        mov dword [outer_frame - 4], 0xaaaa0001
        mov dword [outer_frame - 8], 0xaaaa0002
        mov edi, esp
        enter 8, 3
        lea eax, [edi - 4]              ; frame_temp
        CHECK_EQ ebp, eax, "ENTER 8,3: EBP = frame"
        CHECK_EQ dword [ebp], outer_frame, "ENTER: old EBP saved"
        CHECK_EQ dword [ebp - 4], 0xaaaa0001, "ENTER: display copied (1)"
        CHECK_EQ dword [ebp - 8], 0xaaaa0002, "ENTER: display copied (2)"
        CHECK_EQ dword [ebp - 12], eax, "ENTER: frame pointer pushed last"
        lea eax, [edi - 4 - 12 - 8]
        mov edx, esp
        CHECK_EQ edx, eax, "ENTER: ESP = frame - 12 - 8"
        leave
        mov edx, esp
        CHECK_EQ ebp, outer_frame, "LEAVE: EBP"
        CHECK_EQ edx, edi, "LEAVE: ESP"
        enter 16, 0
        mov edx, esp
        lea eax, [edi - 4]
        CHECK_EQ ebp, eax, "ENTER 16,0: EBP"
        lea eax, [edi - 20]
        CHECK_EQ edx, eax, "ENTER 16,0: ESP"
        leave

        ; ---- PUSH ESP / POP ESP / POP [ESP] / PUSH [ESP] ---------------------------------
        mov eax, esp
        push esp
        pop ebx
        CHECK_EQ ebx, eax, "PUSH ESP pushes the old value"
        mov eax, esp
        push dword 0x1000
        pop esp                         ; ESP = popped value
        mov ecx, esp
        mov esp, eax
        CHECK_EQ ecx, 0x1000, "POP ESP"
        push dword 0x77
        push dword 0x66
        pop dword [esp]                 ; stores 0x66 at the new ESP
        mov edx, [esp]
        CHECK_EQ edx, 0x66, "POP [ESP]: address after increment"
        push dword 0x55
        push dword [esp]                ; address before decrement
        mov edx, [esp]
        CHECK_EQ edx, 0x55, "PUSH [ESP]"
        add esp, 12
        push -1                         ; 6A FF
        pop eax
        CHECK_EQ eax, 0xffffffff, "PUSH imm8 sign-extends"
        mov edi, esp
        push dword 0x11
        push dword 0x22
        call ret_imm
        mov edx, esp
        CHECK_EQ edx, edi, "RET 8 released the arguments"
        CHECK_EQ eax, 0x33, "RET 8: callee saw its arguments"
        ; far CALL / RETF at CPL0
        mov edi, esp
        call SEL_CODE32:far_target
        mov edx, esp
        CHECK_EQ edx, edi, "far CALL/RETF balanced"
        CHECK_EQ eax, edi, "far CALL pushed 8 bytes"
        CHECK_EQ ebx, SEL_CODE32, "far CALL pushed CS"
        ; PUSH segment register: 4 bytes, selector in the low word
        mov edi, esp
        push ds
        mov eax, edi
        sub eax, esp
        movzx ebx, word [esp]
        pop ds
        CHECK_EQ eax, 4, "PUSH DS: 4 bytes"
        CHECK_EQ ebx, SEL_DATA32, "PUSH DS: selector"

        ; ---- POPFD -----------------------------------------------------------------------
        push dword 0x00030002 | (1 << 18) | (1 << 21)  ; VM, RF, AC, ID
        popfd
        pushfd
        pop eax
        push dword 2
        popfd
        mov ebx, eax
        and ebx, 0x30000
        CHECK_EQ ebx, 0, "POPFD cannot set VM or RF"
        and eax, 1 << 18
        CHECK_EQ eax, 1 << 18, "POPFD sets AC (486+)"

        ; ---- 64-bit ------------------------------------------------------------------------
        call enter_long
bits 64
        mov rdi, rsp
        push -2                         ; imm8 sign-extended to 64
        pop rax
        CHECK_EQ rax, -2, "64: PUSH imm8"
        push 0x7fffffff
        mov rbx, rdi
        sub rbx, rsp
        pop rax
        CHECK_EQ rbx, 8, "64: PUSH imm32 is 8 bytes"
        push fs
        mov rbx, rdi
        sub rbx, rsp
        pop fs
        CHECK_EQ rbx, 8, "64: PUSH FS is 8 bytes"
        mov rbp, 0x1122334455667788
        enter 32, 0
        lea rax, [rdi - 8]
        CHECK_EQ rbp, rax, "64: ENTER: RBP"
        mov rbx, 0x1122334455667788
        CHECK_EQ qword [rbp], rbx, "64: ENTER saved RBP (8 bytes)"
        lea rax, [rdi - 40]
        mov rdx, rsp
        CHECK_EQ rdx, rax, "64: ENTER: RSP"
        leave
        mov rdx, rsp
        CHECK_EQ rdx, rdi, "64: LEAVE"
        mov rax, rsp
        push rsp
        pop rdx
        CHECK_EQ rdx, rax, "64: PUSH RSP"
        call leave_long
bits 32
        ret

ret_imm:                                ; RET 8
        mov eax, [esp + 4]
        add eax, [esp + 8]
        ret 8

far_target:
        lea eax, [esp + 8]              ; ESP before the far call
        mov ebx, [esp + 4]
        and ebx, 0xffff
        retf

section .data
align 4
saved_esp:      dd 0
                dd 0, 0, 0
outer_frame:    dd 0
section .text
