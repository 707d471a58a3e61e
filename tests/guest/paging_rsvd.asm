; paging_rsvd: exact #PF error codes for reserved-bit violations. RSVD (bit
; 3) can only be set together with P (bit 0): "reserved bits are not checked
; in a paging-structure entry whose P flag is 0" (SDM Vol.3A 4.7).
; 32-bit paging: bit 21 of a 4 MiB PDE; 4-level paging: address bit 51 of a
; PTE, PS in a PML4E, XD with EFER.NXE=0; also with W/R and U/S set.
; QEMU 7.2 TCG reports RSVD without P: expected to fail there.
%define TEST_NAME "paging_rsvd"
%include "test.inc"

PF_P    equ 0x01
PF_W    equ 0x02
PF_U    equ 0x04
PF_RSVD equ 0x08

test_main:
        ; ---- 32-bit paging, 4 MiB pages ----------------------------------------
        mov dword [pd], 0x000000 | 0x87                 ; identity 0-4 MiB, user
        mov dword [pd + 4], 0x400000 | 0x87             ; 4-8 MiB
        mov dword [pd + 8], 0x400000 | (1 << 21) | 0x87 ; 8 MiB: bit 21 set
        mov eax, cr4
        or eax, 1 << 4                  ; PSE
        mov cr4, eax
        mov eax, pd
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        EXPECT_FAULT 14, PF_P | PF_RSVD, mov eax, [0x800010]
        EXPECT_FAULT 14, PF_P | PF_W | PF_RSVD, mov dword [0x800010], 0
        call to_ring3
        EXPECT_FAULT 14, PF_P | PF_U | PF_RSVD, mov eax, [0x800010]
        int VEC_RING0
        mov eax, cr0
        and eax, 0x7fffffff
        mov cr0, eax

        ; ---- 4-level paging (default identity map + a test PDPT entry) ---------
        call enter_long
bits 64
        ; PDPT[1] -> pd64: PDE 0 -> pt64; PTE 0: bit 51; PTE 1: XD (NXE=0)
        mov eax, pd64 + 0x07
        mov [lm_pdpt + 8], rax
        mov eax, pt64 + 0x07
        mov [pd64], rax
        mov rax, (1 << 51) | 0x07
        or rax, page
        mov [pt64], rax
        mov rax, (1 << 63) | 0x07
        or rax, page
        mov [pt64 + 8], rax
        mov eax, lm_pdpt + 0x87         ; PML4[1]: PS=1 is reserved
        mov [lm_pml4 + 8], rax
        mov rax, cr3
        mov cr3, rax
        mov ebx, 0x40000000
        EXPECT_FAULT 14, PF_P | PF_RSVD, mov eax, [rbx]
        EXPECT_FAULT 14, PF_P | PF_W | PF_RSVD, mov [rbx], eax
        EXPECT_FAULT 14, PF_P | PF_RSVD, mov eax, [rbx + 0x1000]
        mov rbx, 0x8000000000
        EXPECT_FAULT 14, PF_P | PF_RSVD, mov eax, [rbx]
        mov qword [lm_pml4 + 8], 0
        mov qword [lm_pdpt + 8], 0
        mov rax, cr3
        mov cr3, rax
        call leave_long
bits 32
        ret

section .bss
alignb 4096
pd:     resd 1024
pd64:   resq 512
pt64:   resq 512
page:   resb 4096
section .text
