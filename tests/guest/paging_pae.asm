; paging_pae: PAE paging (SDM Vol.3A 4.4): 4 KiB and 2 MiB pages, NX with
; the I/D error-code bit (EFER.NXE), XD as a reserved bit when NXE=0, U/S,
; A/D bits, reserved physical-address bits, global pages (INVLPG and a
; CR4.PGE toggle must flush them).
%define TEST_NAME "paging_pae"
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
PDE_PS  equ 0x080
PTE_G   equ 0x100
NX_HI   equ 0x80000000                  ; bit 63, in the high dword

VA_BASE equ 0x40000000                  ; PDPTE 1 -> pd_test, PDE 0 -> pt_test
VA_NP   equ VA_BASE + 0x0000            ; not present
VA_DATA equ VA_BASE + 0x1000            ; supervisor r/w -> page_a
VA_CODE equ VA_BASE + 0x2000            ; supervisor r/w, executable -> page_code
VA_UNX  equ VA_BASE + 0x3000            ; user r/w, NX -> page_code
VA_RSVD equ VA_BASE + 0x4000            ; bit 51 set -> reserved
VA_G    equ VA_BASE + 0x5000            ; global, page_a or page_b
VA_USR  equ VA_BASE + 0x6000            ; user r/w -> page_b
VA_NXD  equ VA_BASE + 0x7000            ; supervisor r/w, NX -> page_a
VA_2M   equ VA_BASE + 0x200000          ; PDE 1: 2 MiB page -> 8 MiB
VA_2MNX equ VA_BASE + 0x400000          ; PDE 2: 2 MiB page, NX -> page_code's 2M

%macro EXPECT_PF_RSVD 2+                ; P not compared (see paging32.asm)
        ARM_FAULT %%resume
%%insn: %2
        CHECK_FAIL "expected #PF, none was raised"
%%resume:
        CHECK_EQ dword [fault_vec], 14, "exception vector"
        mov eax, [fault_err]
        or eax, PF_P
        CHECK_EQ eax, (%1) | PF_P, "error code (P ignored)"
        CHECK_EQ dword [fault_eip], %%insn, "saved EIP"
%endmacro

; SETPTE table, index, low dword, high dword
%macro SETPTE 4
        mov dword [%1 + (%2)*8], %3
        mov dword [%1 + (%2)*8 + 4], %4
%endmacro

test_main:
        mov eax, 0x80000001
        cpuid
        mov [ext_edx], edx
        ; identity: 0-2 MiB 4K pages (pt_low), 2-12 MiB 2M pages; all user
        xor ecx, ecx
.id:    mov eax, ecx
        shl eax, 12
        or eax, PTE_P | PTE_W | PTE_U
        mov [pt_low + ecx*8], eax
        inc ecx
        cmp ecx, 512
        jb .id
        SETPTE pd_low, 0, pt_low + (PTE_P | PTE_W | PTE_U), 0
        mov ecx, 1
.id2:   mov eax, ecx
        shl eax, 21
        or eax, PDE_PS | PTE_P | PTE_W | PTE_U
        mov [pd_low + ecx*8], eax
        inc ecx
        cmp ecx, 6
        jb .id2
        ; PAE PDPTEs: only P and the address (R/W, U/S are reserved there)
        SETPTE pdpt, 0, pd_low + PTE_P, 0
        SETPTE pdpt, 1, pd_test + PTE_P, 0
        SETPTE pd_test, 0, pt_test + (PTE_P | PTE_W | PTE_U), 0
        SETPTE pd_test, 1, 0x800000 + (PDE_PS | PTE_P | PTE_W), 0
        SETPTE pd_test, 2, 0x000000 + (PDE_PS | PTE_P | PTE_W), NX_HI
        SETPTE pt_test, 1, page_a + (PTE_P | PTE_W), 0
        SETPTE pt_test, 7, page_a + (PTE_P | PTE_W), NX_HI
        SETPTE pt_test, 2, page_code + (PTE_P | PTE_W), 0
        SETPTE pt_test, 3, page_code + (PTE_P | PTE_W | PTE_U), NX_HI
        SETPTE pt_test, 4, page_a + (PTE_P | PTE_W), 0x00080000   ; bit 51
        SETPTE pt_test, 5, page_a + (PTE_P | PTE_W | PTE_G), 0
        SETPTE pt_test, 6, page_b + (PTE_P | PTE_W | PTE_U), 0
        mov dword [page_a], 0xaaaa0001
        mov dword [page_b], 0xbbbb0002
        mov dword [0x800000 + 0x10], 0x2e2e2e2e
        ; page_code: "mov eax, 0x600dc0de; ret"
        mov byte [page_code], 0xb8
        mov dword [page_code + 1], 0x600dc0de
        mov byte [page_code + 5], 0xc3

        mov eax, pdpt
        mov cr3, eax
        mov eax, cr4
        or eax, (1 << 5) | (1 << 7)     ; PAE, PGE
        mov cr4, eax
        mov eax, cr0
        or eax, 0x80010000              ; PG, WP
        mov cr0, eax

        ; ---- basic 4K and 2M translation, A/D ----------------------------------
        mov eax, [VA_DATA]
        CHECK_EQ eax, 0xaaaa0001, "read through a PAE 4K PTE"
        mov eax, [pt_test + 1*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A, "read sets A only"
        mov dword [VA_DATA + 4], 7
        mov eax, [pt_test + 1*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A | PTE_D, "write sets D"
        mov eax, [VA_2M + 0x10]
        CHECK_EQ eax, 0x2e2e2e2e, "read through a 2M PDE"
        mov eax, [pd_test + 1*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A, "2M read sets PDE.A only"
        mov dword [VA_2M + 0x1ffffc], 0x2f2f2f2f
        mov eax, [pd_test + 1*8]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A | PTE_D, "2M write sets PDE.D"
        CHECK_EQ dword [0x800000 + 0x1ffffc], 0x2f2f2f2f, "2M write reached 0x9ffffc"
        EXPECT_FAULT 14, 0, mov eax, [VA_NP]
        CHECK_EQ dword [fault_cr2], VA_NP, "CR2"

        ; ---- NXE=0: bit 63 is reserved ----------------------------------------
        EXPECT_PF_RSVD PF_RSVD, mov eax, [VA_NXD]
        ; reserved physical-address bit 51 (MAXPHYADDR < 52)
        EXPECT_PF_RSVD PF_RSVD, mov eax, [VA_RSVD]
        EXPECT_PF_RSVD PF_RSVD | PF_W, mov dword [VA_RSVD], 0
        ; executable page runs
        mov eax, VA_CODE
        call eax
        CHECK_EQ eax, 0x600dc0de, "code on an executable page ran"

        ; ---- NX (CPUID.80000001H:EDX.NX[20]) ------------------------------------
        test dword [ext_edx], 1 << 20
        jz .no_nx
        mov ecx, 0xc0000080
        rdmsr
        or eax, 1 << 11                 ; EFER.NXE
        wrmsr
        mov eax, [VA_NXD]               ; NX does not affect data reads
        CHECK_EQ eax, 0xaaaa0001, "NXE=1: read from an NX page"
        ARM_FAULT .nx1
        mov [esp_save], esp
        mov eax, VA_NXD
        call eax
        CHECK_FAIL "executed an NX page"
.nx1:   mov esp, [esp_save]
        CHECK_FAULT 14, PF_P | PF_ID, VA_NXD
        CHECK_EQ dword [fault_cr2], VA_NXD, "CR2 (NX fetch)"
        ARM_FAULT .nx2                  ; not present + fetch: I/D, no P
        mov [esp_save], esp
        mov eax, VA_NP + 0x40
        call eax
        CHECK_FAIL "executed a not-present page"
.nx2:   mov esp, [esp_save]
        CHECK_FAULT 14, PF_ID, VA_NP + 0x40
        ARM_FAULT .nx3                  ; NX in a 2M PDE
        mov [esp_save], esp
        mov eax, VA_2MNX + page_code
        call eax
        CHECK_FAIL "executed an NX 2M page"
.nx3:   mov esp, [esp_save]
        CHECK_FAULT 14, PF_P | PF_ID, VA_2MNX + page_code
        mov eax, VA_2MNX + page_code    ; reading it is fine
        mov eax, [eax]
        CHECK_EQ eax, 0x0dc0deb8, "read from an NX 2M page"
        ; user mode: NX + U/S in the error code
        call to_ring3
        ARM_FAULT .nx4
        mov [esp_save], esp
        mov eax, VA_UNX
        call eax
        CHECK_FAIL "user executed an NX page"
.nx4:   mov esp, [esp_save]
        CHECK_FAULT 14, PF_P | PF_U | PF_ID, VA_UNX
        ARM_FAULT .nx5                  ; supervisor page, fetch at CPL3
        mov [esp_save], esp
        mov eax, VA_CODE
        call eax
        CHECK_FAIL "user executed a supervisor page"
.nx5:   mov esp, [esp_save]
        CHECK_FAULT 14, PF_P | PF_U | PF_ID, VA_CODE
        mov eax, [VA_USR]
        CHECK_EQ eax, 0xbbbb0002, "user read of a user page"
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [VA_DATA]
        EXPECT_FAULT 14, PF_P | PF_U | PF_W, mov [VA_2M], eax
        int VEC_RING0
        mov ecx, 0xc0000080
        rdmsr
        and eax, ~(1 << 11)
        wrmsr
.no_nx:

        ; ---- global pages (CR4.PGE, PTE.G) --------------------------------------
        mov eax, [VA_G]
        CHECK_EQ eax, 0xaaaa0001, "global page -> page_a"
        SETPTE pt_test, 5, page_b + (PTE_P | PTE_W | PTE_G), 0
        invlpg [VA_G]                   ; INVLPG also drops global entries
        mov eax, [VA_G]
        CHECK_EQ eax, 0xbbbb0002, "global page after INVLPG -> page_b"
        SETPTE pt_test, 5, page_a + (PTE_P | PTE_W | PTE_G), 0
        mov eax, cr4                    ; toggling PGE flushes everything
        and eax, ~(1 << 7)              ; (SDM Vol.3A 4.10.4.1)
        mov cr4, eax
        or eax, 1 << 7
        mov cr4, eax
        mov eax, [VA_G]
        CHECK_EQ eax, 0xaaaa0001, "global page after a PGE toggle -> page_a"
        ; a non-global translation must follow a CR3 reload
        SETPTE pt_test, 6, page_a + (PTE_P | PTE_W | PTE_U), 0
        mov eax, cr3
        mov cr3, eax
        mov eax, [VA_USR]
        CHECK_EQ eax, 0xaaaa0001, "non-global page after CR3 reload"

        mov eax, cr0
        and eax, 0x7fffffff
        mov cr0, eax
        mov eax, cr4
        and eax, ~((1 << 5) | (1 << 7))
        mov cr4, eax
        ret

section .data
ext_edx:        dd 0
esp_save:       dd 0
section .bss
alignb 4096
pdpt:           resq 512                ; only 4 entries used (32-byte aligned)
pd_low:         resq 512
pd_test:        resq 512
pt_low:         resq 512
pt_test:        resq 512
page_a:         resb 4096
page_b:         resb 4096
page_code:      resb 4096
section .text
