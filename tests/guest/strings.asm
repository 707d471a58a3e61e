; strings: string instructions (SDM Vol.1 7.3.9, Vol.2 MOVS/STOS/CMPS/SCAS/
; LODS, REP prefixes): REP with ECX=0, DF=1, overlapping MOVSB (byte by byte,
; not memmove), REPE CMPSB / REPNE SCASB stop conditions and final
; registers, 16-bit address size (CX/SI/DI, 64 KiB wrap), segment override
; on the source, 64-bit REP MOVSQ / SCASQ, and a REP MOVSB interrupted by
; #PF: registers must be consistent and the restart must complete the copy.
%define TEST_NAME "strings"
%include "test.inc"

SCR     equ 0x6000                      ; low scratch for 16-bit addressing

test_main:
        ; ---- REP with ECX = 0 does nothing (not even flags) -------------------
        mov esi, src
        mov edi, dst
        xor ecx, ecx
        mov byte [dst], 0x11
        stc
        rep movsb
        setc al
        movzx eax, al
        CHECK_EQ eax, 1, "REP MOVSB, ECX=0: flags untouched"
        CHECK_EQ esi, src, "REP MOVSB, ECX=0: ESI"
        CHECK_EQ edi, dst, "REP MOVSB, ECX=0: EDI"
        movzx eax, byte [dst]
        CHECK_EQ eax, 0x11, "REP MOVSB, ECX=0: no store"
        mov eax, 1
        cmp eax, 2                      ; ZF=0
        repe cmpsb                      ; ECX=0: no compare, ZF stays 0
        setz al
        movzx eax, al
        CHECK_EQ eax, 0, "REPE CMPSB, ECX=0: ZF untouched"

        ; ---- forward REP MOVSD / backward (DF=1) REP MOVSB ---------------------
        mov esi, src
        mov edi, dst
        mov ecx, 4
        rep movsd
        CHECK_EQ ecx, 0, "REP MOVSD: ECX"
        CHECK_EQ esi, src + 16, "REP MOVSD: ESI"
        CHECK_EQ edi, dst + 16, "REP MOVSD: EDI"
        CHECK_EQ dword [dst + 12], 0x0f0e0d0c, "REP MOVSD: data"
        std
        mov esi, src + 15
        mov edi, dst + 31
        mov ecx, 16
        rep movsb                       ; copies src[15..0] to dst[31..16]
        cld
        CHECK_EQ esi, src - 1, "DF=1 REP MOVSB: ESI"
        CHECK_EQ edi, dst + 15, "DF=1 REP MOVSB: EDI"
        CHECK_EQ dword [dst + 16], 0x03020100, "DF=1 REP MOVSB: data low"
        CHECK_EQ dword [dst + 28], 0x0f0e0d0c, "DF=1 REP MOVSB: data high"
        std                             ; DF=1 STOSD: 4 bytes down
        mov edi, dst + 60
        mov eax, 0xa5a5a5a5
        mov ecx, 2
        rep stosd
        cld
        CHECK_EQ edi, dst + 52, "DF=1 REP STOSD: EDI"
        CHECK_EQ dword [dst + 56], 0xa5a5a5a5, "DF=1 REP STOSD: data"

        ; ---- overlapping MOVSB is element by element -----------------------------
        mov dword [ovl], 0x44332211
        mov dword [ovl + 4], 0x88776655
        mov esi, ovl
        mov edi, ovl + 1
        mov ecx, 7
        rep movsb                       ; propagates ovl[0]
        CHECK_EQ dword [ovl], 0x11111111, "overlapping REP MOVSB (fwd) low"
        CHECK_EQ dword [ovl + 4], 0x11111111, "overlapping REP MOVSB (fwd) high"
        mov dword [ovl], 0x44332211
        mov dword [ovl + 4], 0x88776655
        std
        mov esi, ovl + 7
        mov edi, ovl + 6
        mov ecx, 7
        rep movsb                       ; backward, dst below src: propagates
        cld                             ; ovl[7] (memmove would just shift)
        CHECK_EQ dword [ovl], 0x88888888, "overlapping REP MOVSB (DF=1, dst<src)"

        ; ---- REPE CMPSB / REPNE SCASB ------------------------------------------------
        mov esi, str_a
        mov edi, str_b
        mov ecx, 16
        repe cmpsb                      ; stops after the first mismatch (index 5)
        setz al
        movzx eax, al
        CHECK_EQ eax, 0, "REPE CMPSB: ZF=0 at mismatch"
        CHECK_EQ ecx, 10, "REPE CMPSB: ECX after mismatch at index 5"
        CHECK_EQ esi, str_a + 6, "REPE CMPSB: ESI past the mismatch"
        mov esi, str_a
        mov edi, str_a
        mov ecx, 8
        repe cmpsb                      ; all equal: runs out
        setz al
        movzx eax, al
        CHECK_EQ eax, 1, "REPE CMPSB: equal -> ZF=1"
        CHECK_EQ ecx, 0, "REPE CMPSB: equal -> ECX=0"
        mov edi, str_a
        mov al, 'e'
        mov ecx, 16
        repne scasb                     ; 'e' at index 4
        CHECK_EQ ecx, 11, "REPNE SCASB: ECX"
        CHECK_EQ edi, str_a + 5, "REPNE SCASB: EDI past the match"
        mov al, 'Z'
        mov edi, str_a
        mov ecx, 8
        repne scasb                     ; not found
        setz al
        movzx eax, al
        CHECK_EQ eax, 0, "REPNE SCASB: not found -> ZF=0"
        CHECK_EQ ecx, 0, "REPNE SCASB: not found -> ECX=0"
        mov esi, src + 4
        lodsw
        movzx eax, ax
        CHECK_EQ eax, 0x0504, "LODSW"
        CHECK_EQ esi, src + 6, "LODSW: ESI += 2"

        ; ---- segment override applies to the source only ---------------------------
        SET_DESC SEL_FREE, 0x1000, 0xfffff, ACC_DATA0, FL_32    ; base 0x1000
        mov ax, SEL_FREE
        mov fs, ax
        mov esi, src - 0x1000
        mov edi, dst
        mov ecx, 4
        fs rep movsb                    ; FS:ESI -> ES:EDI
        CHECK_EQ dword [dst], 0x03020100, "FS override on MOVSB source"
        mov ax, SEL_DATA32
        mov fs, ax

        ; ---- 16-bit address size: CX/SI/DI, wrap at 64 KiB ---------------------------
        mov dword [SCR], 0
        mov dword [SCR + 0xfffc], 0
        mov esi, 0x1234fffe             ; SI = 0xfffe
        mov ecx, 0x99990004             ; CX = 4
        mov word [SCR + 0xfffe], 0xbbaa
        mov word [SCR + 0x0000], 0xddcc
        push ds
        push es
        SET_DESC SEL_FREE + 8, SCR, 0xffff, ACC_DATA0, FL_16    ; base 0x6000
        mov ax, SEL_FREE + 8
        mov ds, ax
        mov es, ax
        mov edi, 0x5678fff0             ; DI = 0xfff0
        a16 rep movsb                   ; [0xfffe],[0xffff],[0],[1] -> [0xfff0..3]
        pop es
        pop ds
        CHECK_EQ ecx, 0x99990000, "a16 REP: only CX counts"
        CHECK_EQ esi, 0x12340002, "a16 REP: SI wrapped, ESI high half kept"
        CHECK_EQ edi, 0x5678fff4, "a16 REP: DI"
        CHECK_EQ dword [SCR + 0xfff0], 0xddccbbaa, "a16 REP MOVSB data"

        ; ---- REP MOVSB interrupted by #PF, then restarted ----------------------------
        call pf_string_test

        ; ---- 64-bit ----------------------------------------------------------------------
        call enter_long
bits 64
        mov esi, src
        mov edi, dst
        mov ecx, 2
        rep movsq
        mov rax, [dst + 8]
        mov rbx, 0x0f0e0d0c0b0a0908
        CHECK_EQ rax, rbx, "REP MOVSQ data"
        CHECK_EQ rdi, dst + 16, "REP MOVSQ: RDI"
        mov edi, src
        mov rax, 0x0f0e0d0c0b0a0908
        mov rcx, -1
        repne scasq
        CHECK_EQ rdi, src + 16, "REPNE SCASQ: RDI"
        CHECK_EQ rcx, -3, "REPNE SCASQ: RCX"
        mov edi, dst
        mov rax, -1
        mov ecx, 3
        rep stosq
        CHECK_EQ qword [dst + 16], -1, "REP STOSQ"
        CHECK_EQ rdi, dst + 24, "REP STOSQ: RDI"
        call leave_long
bits 32
        ret

; Copy 32 bytes from src into the last 16 bytes of a present page and the
; first 16 of a not-present one. The #PF must leave ESI/EDI/ECX consistent
; (ECX + copied = 32, ESI and EDI advanced equally, EDI <= CR2), with every
; byte below EDI copied; after mapping the page, re-running the same REP
; MOVSB (as the OS would, IRET to the saved EIP) completes the copy.
PG_VA   equ 0x00800000                  ; 4 MiB PDE 2 -> pt_str
pf_string_test:                         ; identity 0-8 MiB with two 4M pages
        mov dword [pf_pd + 0], 0x000000 | 0x87
        mov dword [pf_pd + 4], 0x400000 | 0x87
        mov dword [pf_pd + 8], pt_str + 0x07
        mov dword [pt_str + 0], pf_page0 + 0x07         ; PG_VA + 0: present
        mov dword [pt_str + 4], 0                       ; PG_VA + 0x1000: not
        mov eax, cr4
        or eax, 1 << 4                  ; PSE
        mov cr4, eax
        mov eax, pf_pd
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        mov esi, src
        mov edi, PG_VA + 0x1000 - 16
        mov ecx, 32
        ARM_FAULT .pf
.insn:  rep movsb
        CHECK_FAIL "REP MOVSB into a not-present page did not fault"
.pf:    CHECK_EQ dword [fault_vec], 14, "string #PF: vector"
        CHECK_EQ dword [fault_eip], .insn, "string #PF: EIP = the REP MOVSB"
        mov eax, edi
        sub eax, PG_VA + 0x1000 - 16    ; bytes done (per EDI)
        mov ebx, esi
        sub ebx, src                    ; bytes done (per ESI)
        CHECK_EQ eax, ebx, "string #PF: ESI and EDI advanced equally"
        mov edx, ecx
        add edx, eax
        CHECK_EQ edx, 32, "string #PF: ECX + done = count"
        mov edx, [fault_cr2]
        cmp edi, edx
        setbe dl
        movzx edx, dl
        CHECK_EQ edx, 1, "string #PF: EDI <= CR2"
        mov edx, [fault_cr2]
        and edx, ~0xfff
        CHECK_EQ edx, PG_VA + 0x1000, "string #PF: CR2 in the missing page"
        mov dword [pt_str + 4], pf_page1 + 0x07
        invlpg [PG_VA + 0x1000]
        rep movsb                       ; restart with the saved registers
        CHECK_EQ ecx, 0, "restarted REP MOVSB: ECX"
        mov eax, [pf_page0 + 0x1000 - 4]
        CHECK_EQ eax, 0x0f0e0d0c, "restarted REP MOVSB: bytes 12..15"
        mov eax, [pf_page1 + 12]
        CHECK_EQ eax, 0x1f1e1d1c, "restarted REP MOVSB: bytes 28..31"
        mov eax, cr0
        and eax, 0x7fffffff
        mov cr0, eax
        ret

section .data
align 16
src:    db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
        db 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
        db 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
        db 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f
str_a:  db "abcdefghijklmnop"
str_b:  db "abcdeXghijklmnop"
align 16
dst:    times 64 db 0
ovl:    times 8 db 0
section .bss
alignb 4096
pf_pd:          resd 1024
pt_str:         resd 1024
pf_page0:       resb 4096
pf_page1:       resb 4096
section .text
