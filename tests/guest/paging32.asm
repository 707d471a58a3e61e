; paging32: 32-bit paging (SDM Vol.3A 4.3): 4 KiB and 4 MiB (PSE) pages,
; #PF error codes (P, W/R, U/S, RSVD) and CR2, accessed/dirty bits, CR0.WP,
; PDE/PTE permission combination, INVLPG and CR3 reload taking effect.
; (A stale translation being used without INVLPG is NOT asserted.)
%define TEST_NAME "paging32"
%include "test.inc"

PF_P    equ 1
PF_W    equ 2
PF_U    equ 4
PF_RSVD equ 8

PTE_P   equ 0x001
PTE_W   equ 0x002
PTE_U   equ 0x004
PTE_A   equ 0x020
PTE_D   equ 0x040
PDE_PS  equ 0x080

VA_BASE equ 0x40000000                  ; PDE 256 -> pt_test
VA_NP   equ VA_BASE + 0x0000            ; not present
VA_RO   equ VA_BASE + 0x1000            ; supervisor, read-only -> page_a
VA_RW   equ VA_BASE + 0x2000            ; supervisor, read/write -> page_a
VA_USR  equ VA_BASE + 0x3000            ; user, read/write -> page_b
VA_URO  equ VA_BASE + 0x4000            ; user, read-only -> page_b
VA_SWAP equ VA_BASE + 0x5000            ; page_a or page_b
VA_4M   equ 0x40400000                  ; PDE 257: 4 MiB page -> 8 MiB
VA_4MR  equ 0x40800000                  ; PDE 258: 4 MiB page, bit 21 set
VA_ROPD equ 0x40c00000                  ; PDE 259 -> pt_test, PDE R/W=0
VA_SUPD equ 0x41000000                  ; PDE 260 -> pt_test, PDE U/S=0
VA_HOLE equ 0x80000000                  ; PDE 512: not present

; #PF with RSVD set; the P bit of the error code is not compared
%macro EXPECT_PF_RSVD 2+
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

test_main:
        ; identity map 0-4 MiB with 4 KiB pages (user, writable) via pt_low,
        ; 4-12 MiB with two 4 MiB pages
        xor ecx, ecx
.id:    mov eax, ecx
        shl eax, 12
        or eax, PTE_P | PTE_W | PTE_U
        mov [pt_low + ecx*4], eax
        inc ecx
        cmp ecx, 1024
        jb .id
        mov dword [pd + 0*4], pt_low + (PTE_P | PTE_W | PTE_U)
        mov dword [pd + 1*4], 0x400000 | PDE_PS | PTE_P | PTE_W | PTE_U
        mov dword [pd + 2*4], 0x800000 | PDE_PS | PTE_P | PTE_W | PTE_U
        mov dword [pd + 256*4], pt_test + (PTE_P | PTE_W | PTE_U)
        mov dword [pd + 257*4], 0x800000 | PDE_PS | PTE_P | PTE_W
        mov dword [pd + 258*4], 0x800000 | (1 << 21) | PDE_PS | PTE_P | PTE_W
        mov dword [pd + 259*4], pt_test + (PTE_P | PTE_U)      ; R/W=0
        mov dword [pd + 260*4], pt_test + (PTE_P | PTE_W)      ; U/S=0
        mov dword [pt_test + 1*4], page_a + PTE_P
        mov dword [pt_test + 2*4], page_a + (PTE_P | PTE_W)
        mov dword [pt_test + 3*4], page_b + (PTE_P | PTE_W | PTE_U)
        mov dword [pt_test + 4*4], page_b + (PTE_P | PTE_U)
        mov dword [pt_test + 5*4], page_a + (PTE_P | PTE_W)
        mov dword [page_a], 0xaaaa0001
        mov dword [page_b], 0xbbbb0002
        mov dword [0x800000 + 0x1234], 0x4d4d4d4d

        mov eax, cr4
        or eax, 1 << 4                  ; CR4.PSE
        mov cr4, eax
        mov eax, pd
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80010000              ; PG | WP
        mov cr0, eax

        ; ---- reads, A/D on a 4 KiB page ---------------------------------------
        mov eax, [VA_RO]
        CHECK_EQ eax, 0xaaaa0001, "read through a 4K PTE"
        mov eax, [pt_test + 1*4]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A, "read sets PTE.A only"
        mov eax, [pd + 256*4]
        and eax, PTE_A
        CHECK_EQ eax, PTE_A, "PDE.A set by the walk"
        mov eax, [VA_RW]
        mov eax, [pt_test + 2*4]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A, "VA_RW: read sets A, not D"
        mov dword [VA_RW + 8], 0x12345678
        mov eax, [pt_test + 2*4]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A | PTE_D, "write sets PTE.D"
        CHECK_EQ dword [page_a + 8], 0x12345678, "write reached page_a"

        ; ---- not present: error code P=0, CR2 = linear address ----------------
        EXPECT_FAULT 14, 0, mov eax, [VA_NP + 0x10]
        CHECK_EQ dword [fault_cr2], VA_NP + 0x10, "CR2 (read, not present)"
        EXPECT_FAULT 14, PF_W, mov dword [VA_NP + 0x20], 1
        CHECK_EQ dword [fault_cr2], VA_NP + 0x20, "CR2 (write, not present)"
        EXPECT_FAULT 14, 0, mov eax, [VA_HOLE + 0x44]
        CHECK_EQ dword [fault_cr2], VA_HOLE + 0x44, "CR2 (PDE not present)"
        ; instruction fetch: no I/D bit without NX/SMEP; EIP = CR2 = target
        ARM_FAULT .fetch_resume
        mov [esp_save], esp
        mov eax, VA_NP + 0x30
        call eax
        CHECK_FAIL "executed a not-present page"
.fetch_resume:
        mov esp, [esp_save]
        CHECK_FAULT 14, 0, VA_NP + 0x30
        CHECK_EQ dword [fault_cr2], VA_NP + 0x30, "CR2 (fetch)"

        ; ---- CR0.WP: supervisor writes to read-only pages ----------------------
        EXPECT_FAULT 14, PF_P | PF_W, mov dword [VA_RO + 4], 0xdead
        CHECK_EQ dword [fault_cr2], VA_RO + 4, "CR2 (write, read-only)"
        CHECK_EQ dword [page_a + 4], 0, "faulting write had no effect"
        mov eax, cr0
        and eax, ~0x10000               ; WP=0: supervisor may write
        mov cr0, eax
        invlpg [VA_RO]
        mov ebx, [fault_count]
        mov dword [VA_RO + 4], 0x600d
        CHECK_EQ ebx, dword [fault_count], "WP=0: supervisor write to R/O page"
        CHECK_EQ dword [page_a + 4], 0x600d, "WP=0 write reached page_a"
        mov eax, [pt_test + 1*4]
        and eax, PTE_D
        CHECK_EQ eax, PTE_D, "WP=0 write sets D"
        mov eax, cr0
        or eax, 0x10000
        mov cr0, eax
        invlpg [VA_RO]
        ; R/W=0 in the PDE wins over R/W=1 in the PTE
        EXPECT_FAULT 14, PF_P | PF_W, mov dword [VA_ROPD + 0x2000], 1
        mov eax, [VA_ROPD + 0x2000 + 8]
        CHECK_EQ eax, 0x12345678, "read through a R/O PDE"

        ; ---- 4 MiB pages: A/D in the PDE, reserved bit 21 ----------------------
        mov eax, [VA_4M + 0x1234]
        CHECK_EQ eax, 0x4d4d4d4d, "read through a 4M PDE"
        mov eax, [pd + 257*4]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A, "4M read sets PDE.A only"
        mov dword [VA_4M + 0x3ffffc], 0x44444444
        mov eax, [pd + 257*4]
        and eax, PTE_A | PTE_D
        CHECK_EQ eax, PTE_A | PTE_D, "4M write sets PDE.D"
        CHECK_EQ dword [0x800000 + 0x3ffffc], 0x44444444, "4M write reached 0xbffffc"
        ; bit 21 of a 4 MiB PDE is reserved (PSE-36: 20:13 are address bits
        ; 39:32; SDM Vol.3A Table 4-5) -> RSVD
        ; (QEMU 7.2 TCG leaves P=0 in RSVD error codes, so P is not compared
        ; here; paging_rsvd.asm checks the exact error code.)
        EXPECT_PF_RSVD PF_RSVD, mov eax, [VA_4MR + 0x10]
        CHECK_EQ dword [fault_cr2], VA_4MR + 0x10, "CR2 (RSVD)"
        EXPECT_PF_RSVD PF_W | PF_RSVD, mov dword [VA_4MR], 1

        ; ---- INVLPG and CR3 reload make a changed PTE take effect --------------
        mov eax, [VA_SWAP]
        CHECK_EQ eax, 0xaaaa0001, "VA_SWAP -> page_a"
        mov dword [pt_test + 5*4], page_b + (PTE_P | PTE_W)
        invlpg [VA_SWAP]
        mov eax, [VA_SWAP]
        CHECK_EQ eax, 0xbbbb0002, "after INVLPG: VA_SWAP -> page_b"
        mov dword [pt_test + 5*4], page_a + (PTE_P | PTE_W)
        mov eax, cr3
        mov cr3, eax
        mov eax, [VA_SWAP]
        CHECK_EQ eax, 0xaaaa0001, "after CR3 reload: VA_SWAP -> page_a"
        mov dword [pt_test + 5*4], 0    ; now not present
        invlpg [VA_SWAP]
        EXPECT_FAULT 14, 0, mov eax, [VA_SWAP]

        ; ---- user mode: U/S bit --------------------------------------------------
        call to_ring3
        mov eax, [VA_USR]
        CHECK_EQ eax, 0xbbbb0002, "user read of a user page"
        mov dword [VA_USR + 4], 0x3333
        mov eax, [VA_URO + 4]
        CHECK_EQ eax, 0x3333, "user read of a user R/O page"
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [VA_RO]
        EXPECT_FAULT 14, PF_P | PF_W | PF_U, mov dword [VA_RO], 1
        EXPECT_FAULT 14, PF_P | PF_W | PF_U, mov dword [VA_URO], 1
        EXPECT_FAULT 14, PF_U, mov eax, [VA_NP]
        EXPECT_FAULT 14, PF_W | PF_U, mov dword [VA_NP], 1
        ; U=1 in the PTE but U=0 in the PDE: supervisor-only
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [VA_SUPD + 0x3000]
        ; 4 MiB page with U=0
        EXPECT_FAULT 14, PF_P | PF_U, mov eax, [VA_4M]
        ; instruction fetch from a supervisor page at CPL3
        ARM_FAULT .ufetch_resume
        mov [esp_save], esp
        mov eax, VA_RO
        call eax
        CHECK_FAIL "user executed a supervisor page"
.ufetch_resume:
        mov esp, [esp_save]
        CHECK_FAULT 14, PF_P | PF_U, VA_RO
        int VEC_RING0
        ; supervisor may read and (WP applies to R/O only) write user pages
        mov dword [VA_USR + 8], 0x5555
        CHECK_EQ dword [page_b + 8], 0x5555, "supervisor write to a user page"

        mov eax, cr0
        and eax, 0x7fffffff
        mov cr0, eax
        ret

section .data
esp_save:       dd 0
section .bss
alignb 4096
pd:             resd 1024
pt_low:         resd 1024
pt_test:        resd 1024
page_a:         resb 4096
page_b:         resb 4096
section .text
