; paging64: 4-level paging (SDM Vol.3A 4.5): 4K/2M/1G pages (1G only if
; CPUID.80000001H:EDX.Page1GB[26]), A bits at every level and D in the
; leaf, NX at the PTE/PDE/PML4E level with the I/D error-code bit, U/S at the
; PML4E level, reserved bits (PS in a PML4E, address bit 51), 64-bit CR2 in
; the upper canonical half, non-canonical addresses (#GP, not #PF), global
; pages.
%define TEST_NAME "paging64"
%include "test.inc"

PF_P    equ 0x01
PF_W    equ 0x02
PF_U    equ 0x04
PF_RSVD equ 0x08
PF_ID   equ 0x10

PTE_P   equ 0x001
PTE_W   equ 0x002
PTE_U   equ 0x004
PTE_A   equ 0x020
PTE_D   equ 0x040
PTE_PS  equ 0x080
PTE_G   equ 0x100
NX_HI   equ 0x80000000                  ; bit 63 (high dword)
PRW     equ PTE_P | PTE_W
PRWU    equ PTE_P | PTE_W | PTE_U

VA_BASE equ 0x40000000                  ; PDPTE 1 -> pd_test, PDE 0 -> pt_test
VA_NP   equ VA_BASE + 0x0000
VA_DATA equ VA_BASE + 0x1000            ; page_a
VA_CODE equ VA_BASE + 0x2000            ; page_code, supervisor
VA_UNX  equ VA_BASE + 0x3000            ; page_code, user, NX
VA_RSVD equ VA_BASE + 0x4000            ; bit 51 set
VA_G    equ VA_BASE + 0x5000            ; global
VA_USR  equ VA_BASE + 0x6000            ; page_b, user
VA_NXD  equ VA_BASE + 0x7000            ; page_a, NX
VA_2M   equ VA_BASE + 0x200000          ; 2M page -> 0x800000
VA_1G   equ 0x80000000                  ; PDPTE 2: 1G page -> 0
%define VA_PML4NX   0x0000008000000000  ; PML4E 1, NX, -> identity PDPT
%define VA_PML4SUP  0x0000010000000000  ; PML4E 2, U/S=0, -> identity PDPT
%define VA_PML4RSV  0x0000018000000000  ; PML4E 3, PS (reserved) set
%define VA_AD       0x0000020000000000  ; PML4E 4, fresh path for A bits
%define VA_HIGH     0xffff800000000000  ; PML4E 256 -> 2M page at 0x800000

%macro EXPECT_PF_RSVD 2+                ; P not compared (see paging32.asm)
        ARM_FAULT %%resume
%%insn: %2
        CHECK_FAIL "expected #PF, none was raised"
%%resume:
        CHECK_EQ qword [fault_vec], 14, "exception vector"
        mov rax, [fault_err]
        or rax, PF_P
        CHECK_EQ rax, (%1) | PF_P, "error code (P ignored)"
        CHECK_EQ qword [fault_eip], %%insn, "saved RIP"
%endmacro

; FETCH_FAULT err, target(imm32 or reg): call target, which must #PF
%macro FETCH_FAULT 2
        ARM_FAULT %%resume
        mov [rsp_save], rsp
        mov rax, %2
        call rax
        CHECK_FAIL "fetch did not fault"
%%resume:
        mov rsp, [rsp_save]
        mov rax, %2
        CHECK_EQ qword [fault_vec], 14, "exception vector"
        CHECK_EQ qword [fault_err], %1, "error code"
        CHECK_EQ qword [fault_eip], rax, "saved RIP"
        CHECK_EQ qword [fault_cr2], rax, "CR2"
%endmacro

%macro SETPTE 4                         ; table, index, low, high
        mov dword [%1 + (%2)*8], %3
        mov dword [%1 + (%2)*8 + 4], %4
%endmacro

test_main:
        mov eax, 0x80000001
        cpuid
        mov [ext_edx], edx
        ; identity: 0-2M in 4K pages, 2M-128M in 2M pages, all user
        xor ecx, ecx
.id:    mov eax, ecx
        shl eax, 12
        or eax, PRWU
        mov [pt0 + ecx*8], eax
        inc ecx
        cmp ecx, 512
        jb .id
        SETPTE pd0, 0, pt0 + PRWU, 0
        mov ecx, 1
.id2:   mov eax, ecx
        shl eax, 21
        or eax, PTE_PS | PRWU
        mov [pd0 + ecx*8], eax
        inc ecx
        cmp ecx, 64
        jb .id2
        SETPTE pml4, 0, pdpt0 + PRWU, 0
        SETPTE pdpt0, 0, pd0 + PRWU, 0
        SETPTE pdpt0, 1, pd_test + PRWU, 0
        test dword [ext_edx], 1 << 26
        jz .no1g
        SETPTE pdpt0, 2, 0 + (PTE_PS | PRW), 0
.no1g:
        SETPTE pd_test, 0, pt_test + PRWU, 0
        SETPTE pd_test, 1, 0x800000 + (PTE_PS | PRW), 0
        SETPTE pt_test, 1, page_a + PRW, 0
        SETPTE pt_test, 2, page_code + PRW, 0
        SETPTE pt_test, 3, page_code + PRWU, NX_HI
        SETPTE pt_test, 4, page_a + PRW, 0x00080000     ; bit 51
        SETPTE pt_test, 5, page_a + (PRW | PTE_G), 0
        SETPTE pt_test, 6, page_b + PRWU, 0
        SETPTE pt_test, 7, page_a + PRW, NX_HI
        SETPTE pml4, 1, pdpt0 + PRWU, NX_HI
        SETPTE pml4, 2, pdpt0 + PRW, 0                  ; supervisor only
        SETPTE pml4, 3, pdpt0 + (PRWU | PTE_PS), 0      ; PS: reserved
        SETPTE pml4, 4, pdpt_ad + PRWU, 0               ; A=0 everywhere
        SETPTE pdpt_ad, 0, pd_ad + PRWU, 0
        SETPTE pd_ad, 0, pt_ad + PRWU, 0
        SETPTE pt_ad, 0, page_a + PRWU, 0
        SETPTE pml4, 256, pdpt_hi + PRW, 0
        SETPTE pdpt_hi, 0, pd_hi + PRW, 0
        SETPTE pd_hi, 0, 0x800000 + (PTE_PS | PRW), 0
        mov dword [page_a], 0xaaaa0001
        mov dword [page_b], 0xbbbb0002
        mov dword [0x800000 + 0x10], 0x2e2e2e2e
        mov byte [page_code], 0xb8      ; mov eax, 0x600dc0de; ret
        mov dword [page_code + 1], 0x600dc0de
        mov byte [page_code + 5], 0xc3
        mov eax, cr4
        or eax, 1 << 7                  ; PGE
        mov cr4, eax
        mov dword [lm_cr3], pml4
        call enter_long
bits 64
        mov rax, cr0
        or eax, 0x10000                 ; WP
        mov cr0, rax
        test dword [ext_edx], 1 << 20   ; CPUID.80000001H:EDX.NX
        jz .nonx1
        mov ecx, 0xc0000080
        rdmsr
        or eax, 1 << 11                 ; EFER.NXE
        wrmsr
.nonx1:

        ; ---- 4K / 2M translations, A at every level, D in the leaf -----------
        mov eax, [VA_DATA]
        CHECK_EQ rax, 0xaaaa0001, "4K read"
        mov eax, [VA_2M + 0x10]
        CHECK_EQ rax, 0x2e2e2e2e, "2M read"
        mov rbx, VA_AD
        mov eax, [rbx]
        CHECK_EQ rax, 0xaaaa0001, "read via the A/D path"
        mov eax, [pml4 + 4*8]
        and eax, PTE_A
        CHECK_EQ rax, PTE_A, "PML4E.A"
        mov eax, [pdpt_ad]
        and eax, PTE_A
        CHECK_EQ rax, PTE_A, "PDPTE.A"
        mov eax, [pd_ad]
        and eax, PTE_A
        CHECK_EQ rax, PTE_A, "PDE.A"
        mov eax, [pt_ad]
        and eax, PTE_A | PTE_D
        CHECK_EQ rax, PTE_A, "PTE.A, not D, after a read"
        mov dword [rbx + 8], 1
        mov eax, [pt_ad]
        and eax, PTE_A | PTE_D
        CHECK_EQ rax, PTE_A | PTE_D, "PTE.D after a write"
        mov dword [VA_2M + 0x20], 1
        mov eax, [pd_test + 1*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ rax, PTE_A | PTE_D, "2M PDE A and D"

        ; ---- 1 GiB page ---------------------------------------------------------
        test dword [ext_edx], 1 << 26
        jz .skip1g
        mov ebx, VA_1G + page_a         ; (>= 2 GiB: not a disp32)
        mov eax, [rbx]
        CHECK_EQ rax, 0xaaaa0001, "1G page read"
        mov dword [rbx + 12], 0x1616
        mov eax, [page_a + 12]
        CHECK_EQ rax, 0x1616, "1G page write"
        mov eax, [pdpt0 + 2*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ rax, PTE_A | PTE_D, "1G PDPTE A and D"
.skip1g:

        ; ---- not present, upper half, CR2 is 64 bits ----------------------------
        EXPECT_FAULT 14, 0, mov eax, [VA_NP]
        mov rbx, VA_HIGH
        mov eax, [rbx + 0x10]
        CHECK_EQ rax, 0x2e2e2e2e, "upper-half 2M page read"
        add rbx, 0x200000 + 0x123       ; PDE 1 of pd_hi: not present
        EXPECT_FAULT 14, PF_W, mov [rbx], eax
        CHECK_EQ qword [fault_cr2], rbx, "64-bit CR2"
        ; non-canonical: #GP(0), no #PF, CR2 untouched
        mov rbx, 0x0000800000000000
        EXPECT_FAULT 13, 0, mov eax, [rbx]
        mov rbx, 0xffff7fffffffffff
        EXPECT_FAULT 13, 0, mov [rbx], eax

        ; ---- reserved bits ------------------------------------------------------
        EXPECT_PF_RSVD PF_RSVD, mov eax, [VA_RSVD]
        mov rbx, VA_PML4RSV
        EXPECT_PF_RSVD PF_RSVD | PF_W, mov [rbx], eax

        ; ---- WP for supervisor writes --------------------------------------------
        SETPTE pt_test, 1, page_a + PTE_P, 0
        invlpg [VA_DATA]
        EXPECT_FAULT 14, PF_P | PF_W, mov dword [VA_DATA], 0
        SETPTE pt_test, 1, page_a + PRW, 0
        invlpg [VA_DATA]

        ; ---- NX -------------------------------------------------------------------
        mov eax, VA_CODE
        call rax
        CHECK_EQ rax, 0x600dc0de, "code on an executable page ran"
        test dword [ext_edx], 1 << 20
        jz .nonx2
        mov eax, [VA_NXD]
        CHECK_EQ rax, 0xaaaa0001, "read from an NX page"
        FETCH_FAULT PF_P | PF_ID, VA_NXD
        FETCH_FAULT PF_ID, VA_NP + 0x40
        mov rbx, VA_PML4NX
        add rbx, page_code
        mov eax, [rbx]
        CHECK_EQ rax, 0x0dc0deb8, "read below an NX PML4E"
        FETCH_FAULT PF_P | PF_ID, rbx   ; NX in the PML4E applies
        call to_ring3_64
        FETCH_FAULT PF_P | PF_U | PF_ID, VA_UNX
        FETCH_FAULT PF_P | PF_U | PF_ID, VA_CODE
        int VEC_RING0
.nonx2:

        ; ---- user mode -------------------------------------------------------------
        call to_ring3_64
        mov eax, [VA_USR]
        CHECK_EQ rax, 0xbbbb0002, "user read of a user page"
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [VA_DATA]
        EXPECT_FAULT 14, PF_P | PF_U | PF_W, mov [VA_2M], eax
        mov rbx, VA_PML4SUP             ; U/S=0 in the PML4E only
        add rbx, page_b
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [rbx]
        int VEC_RING0
        mov eax, [rbx]                  ; fine for the supervisor
        CHECK_EQ rax, 0xbbbb0002, "supervisor read via the U/S=0 PML4E"

        ; ---- global pages ------------------------------------------------------------
        mov eax, [VA_G]
        CHECK_EQ rax, 0xaaaa0001, "global page -> page_a"
        SETPTE pt_test, 5, page_b + (PRW | PTE_G), 0
        invlpg [VA_G]
        mov eax, [VA_G]
        CHECK_EQ rax, 0xbbbb0002, "global page after INVLPG -> page_b"
        SETPTE pt_test, 5, page_a + (PRW | PTE_G), 0
        mov rax, cr4
        and eax, ~(1 << 7)
        mov cr4, rax
        or eax, 1 << 7
        mov cr4, rax
        mov eax, [VA_G]
        CHECK_EQ rax, 0xaaaa0001, "global page after a PGE toggle -> page_a"
        SETPTE pt_test, 6, page_a + PRWU, 0
        mov rax, cr3
        mov cr3, rax
        mov eax, [VA_USR]
        CHECK_EQ rax, 0xaaaa0001, "non-global page after CR3 reload"

        mov ecx, 0xc0000080
        rdmsr
        and eax, ~(1 << 11)             ; NXE off
        wrmsr
        call leave_long
bits 32
        mov eax, cr4
        and eax, ~(1 << 7)
        mov cr4, eax
        ret

section .data
align 8
ext_edx:        dd 0
rsp_save:       dq 0
section .bss
alignb 4096
pml4:           resq 512
pdpt0:          resq 512
pd0:            resq 512
pt0:            resq 512
pd_test:        resq 512
pt_test:        resq 512
pdpt_ad:        resq 512
pd_ad:          resq 512
pt_ad:          resq 512
pdpt_hi:        resq 512
pd_hi:          resq 512
page_a:         resb 4096
page_b:         resb 4096
page_code:      resb 4096
section .text
