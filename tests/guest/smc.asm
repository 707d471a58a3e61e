; smc: self-modifying code must take effect (SDM Vol.3A 8.1.3: a store to
; code that is about to run is honoured; a jump makes it safe everywhere).
;   - patch the immediate of the very next instruction, repeatedly
;   - patch the opcode of the next instruction
;   - REP STOSB over the instructions that follow it
;   - rewrite a function on another page after it has run, call it again
;   - 64-bit: the same, plus writing through an alias mapping (another
;     linear address of the same physical page) and running both aliases
%define TEST_NAME "smc"
%include "test.inc"

test_main:
        ; ---- next instruction's immediate, in a loop ---------------------------
        mov ecx, 1
.loop:  mov [.imm + 1], cl              ; B0 ib: patch ib
.imm:   mov al, 0
        movzx eax, al
        CHECK_EQ eax, ecx, "patched imm8 of the next instruction"
        inc ecx
        cmp ecx, 4
        jbe .loop
        ; ---- next instruction's opcode: 2 NOPs become INC EAX; INC EAX --------
        xor eax, eax
        mov word [.ops], 0x4040
.ops:   nop
        nop
        CHECK_EQ eax, 2, "patched opcodes of the next instruction"
        ; ---- REP STOSB overwrites what follows it ---------------------------------
        mov edi, .target
        mov ecx, 5
        mov al, 0x90
        rep stosb
.target:
        jmp strict near .stale          ; E9 rel32: 5 bytes -> NOPs
        jmp .after_stos
.stale: CHECK_FAIL "REP STOSB over the next instruction: old code ran"
.after_stos:
        ; ---- function on another page --------------------------------------------
        mov byte [code_page], 0xb8              ; mov eax, 0x1111
        mov dword [code_page + 1], 0x1111
        mov byte [code_page + 5], 0xc3          ; ret
        call code_page
        CHECK_EQ eax, 0x1111, "code_page v1"
        mov word [code_page + 1], 0x2222        ; new immediate
        call code_page
        CHECK_EQ eax, 0x2222, "code_page v2 (patched imm)"
        mov esi, func_v3                        ; a whole new body
        mov edi, code_page
        mov ecx, func_v3_end - func_v3
        rep movsb
        mov eax, 5
        call code_page
        CHECK_EQ eax, 5 * 3 + 1, "code_page v3 (copied body)"

        ; ---- 64-bit mode -------------------------------------------------------------
        call enter_long
bits 64
        mov ecx, 1
.loop64:
        mov [.imm64 + 1], ecx           ; B8 id: patch id
.imm64: mov eax, strict dword 0
        CHECK_EQ rax, rcx, "64: patched imm32 of the next instruction"
        inc ecx
        cmp ecx, 4
        jbe .loop64
        mov byte [code_page], 0xb8
        mov dword [code_page + 1], 0x3333
        mov byte [code_page + 5], 0xc3
        mov eax, code_page
        call rax
        CHECK_EQ rax, 0x3333, "64: code_page v1"
        mov word [code_page + 1], 0x4444
        mov eax, code_page
        call rax
        CHECK_EQ rax, 0x4444, "64: code_page v2"
        ; alias: PDPT[1] = PDPT[0], so VA 1 GiB + x -> physical x
        mov rax, [lm_pdpt]
        mov [lm_pdpt + 8], rax
        mov rax, cr3
        mov cr3, rax
        mov ebx, 0x40000000 + code_page ; alias of code_page
        call rbx                        ; run through the alias
        CHECK_EQ rax, 0x4444, "64: code_page via the alias"
        mov word [rbx + 1], 0x5555      ; write through the alias
        mov eax, code_page
        call rax                        ; run through the identity map
        CHECK_EQ rax, 0x5555, "64: identity run after a write via the alias"
        mov word [code_page + 1], 0x6666        ; write via identity
        call rbx                                ; run via the alias
        CHECK_EQ rax, 0x6666, "64: alias run after a write via identity"
        mov qword [lm_pdpt + 8], 0
        mov rax, cr3
        mov cr3, rax
        call leave_long
bits 32
        ret

; position-independent body copied to code_page: EAX = EAX*3 + 1
func_v3:
        lea eax, [eax + eax*2 + 1]
        ret
func_v3_end:

section .bss
alignb 4096
code_page:      resb 4096
section .text
