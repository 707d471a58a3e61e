; paging_ext: the paging extensions, each checked where CPUID reports it and
; checked to be absent (#GP/#UD) where it does not:
;   LA57 (CPUID.07H:ECX[16], SDM Vol.3A 4.5): CR4.LA57 set in 32-bit mode
;     before IA-32e mode starts 5-level paging; a mapping at 2^48 (48-bit
;     non-canonical, 57-bit canonical) and at 0xff00... (upper half) with
;     code run there, A in the PML5E, #PF with a 57-bit CR2 (PML5E absent,
;     0xffff8000... now unmapped), #GP for a 57-bit non-canonical address,
;     LA57 frozen while EFER.LMA=1 (2.5), 57 bits in CPUID 80000008H EAX.
;   PKU (07H:ECX[3], 4.6.2): CR4.PKE and OSPKE (07H:ECX[4]), RDPKRU/WRPKRU
;     with their #GP(0)/#UD (Vol.2B), a user page with key 1: AD and WD for
;     user and supervisor data accesses, #PF error code P|U|PK (+W) (4.7),
;     WD for supervisor writes only with CR0.WP=1, fetches unaffected, a
;     WRPKRU in ring 3 seen by the next access; CR4.PKE=0 turns keys off.
;   INVPCID (07H:EBX[10], Vol.2A INVPCID): each type drops a stale
;     translation; #GP(0) for type > 3, descriptor bits 63:12, a
;     non-canonical type-0 address, PCID != 0 with CR4.PCIDE=0, CPL 3.
;   PCID (01H:ECX[17], 4.10.1): CR4.PCIDE needs IA-32e mode and
;     CR3[11:0]=0 (Vol.2B MOV CR4); MOV CR3 bit 63 is not stored (4.10.4.1).
; QEMU 7.2 TCG passes it with -cpu max, which has LA57 and PKU but neither
; PCID nor INVPCID (so QEMU checks only their #UD/absence); with its default
; CPU QEMU hangs on the reserved CR4.LA57 write (as in crbits), so
; guest-qemu.paging_ext is expected to fail. QEMU also lets CR4.PCIDE be set
; without PCID; tests/unit/pcid_test.cc checks that #GP.
%define TEST_NAME "paging_ext"
%include "test.inc"

PF_P    equ 0x01
PF_W    equ 0x02
PF_U    equ 0x04
PF_PK   equ 0x20

PTE_P   equ 0x001
PTE_W   equ 0x002
PTE_U   equ 0x004
PTE_A   equ 0x020
PTE_PS  equ 0x080
PTE_G   equ 0x100
PRWU    equ PTE_P | PTE_W | PTE_U
KEY1_HI equ 1 << (59 - 32)              ; protection key 1 (entry bits 62:59)

CR0_WP    equ 1 << 16
CR4_PGE   equ 1 << 7
CR4_LA57  equ 1 << 12
CR4_PCIDE equ 1 << 17
CR4_PKE   equ 1 << 22

PKRU_AD1 equ 1 << 2                     ; access disable, key 1
PKRU_WD1 equ 1 << 3                     ; write disable, key 1

VA_PK   equ 0x40000000                  ; pt_test[0]: page_pk, user, key 1
VA_K0   equ 0x40001000                  ; pt_test[1]: page_k0, user, key 0
VA_INV  equ 0x40002000                  ; pt_test[2]: page_a or page_b
VA_INVG equ 0x40003000                  ; pt_test[3]: the same, global
%define VA57_LO  0x0001000000000000     ; PML5E 1   -> 2M page at 0x800000
%define VA57_HI  0xff00000000000000     ; PML5E 256 -> the same 2M page
%define VA57_NP  0x0001000000200123     ; PDE 1 under PML5E 1: not present
%define VA57_NP5 0x0002000000000000     ; PML5E 2: not present
%define VA57_NC  0x0100000000000000     ; bit 56 set, bits 63:57 clear
%define VA48_HI  0xffff800000000000     ; 48-bit upper half = PML5E 511: absent
%define NONCANON 0x0000800000000000     ; non-canonical with 4-level paging

%macro SETPTE 4                         ; table, index, low, high
        mov dword [%1 + (%2)*8], %3
        mov dword [%1 + (%2)*8 + 4], %4
%endmacro

; nasm knows RDPKRU/WRPKRU only in 64-bit code; they exist in every mode
%define RDPKRU32 db 0x0f, 0x01, 0xee
%define WRPKRU32 db 0x0f, 0x01, 0xef

; WRPKRU_V value: PKRU := value (ECX = EDX = 0)
%macro WRPKRU_V 1
        mov eax, %1
        xor ecx, ecx
        xor edx, edx
        wrpkru
%endmacro

; CHECK_OSPKE 0|1: CPUID.07H:ECX.OSPKE[4] mirrors CR4.PKE
%macro CHECK_OSPKE 1
        mov eax, 7
        xor ecx, ecx
        cpuid
        shr ecx, 4
        and ecx, 1
        CHECK_EQ rcx, %1, "CPUID.07H:ECX.OSPKE"
%endmacro

; INVPCID_DESC pcid, addr: fill the descriptor (64-bit code)
%macro INVPCID_DESC 2
        mov rax, %1
        mov [invdesc], rax
        mov rax, %2
        mov [invdesc + 8], rax
%endmacro

test_main:
        call read_cpuid
        call build_tables
        call legacy_checks
        test dword [l7_ecx], 1 << 16
        jz .no57
        call five_level
.no57:  call four_level
        ret

; ---- CPUID ---------------------------------------------------------------------
read_cpuid:
        xor eax, eax
        cpuid
        cmp eax, 7
        jb .no7
        mov eax, 7
        xor ecx, ecx
        cpuid
        mov [l7_ebx], ebx
        mov [l7_ecx], ecx
.no7:   mov eax, 1
        cpuid
        mov [l1_ecx], ecx
        mov eax, 0x80000000
        cpuid
        cmp eax, 0x80000008
        jb .no8
        mov eax, 0x80000008
        cpuid
        mov [x8_eax], eax
.no8:   ret

; ---- page tables -------------------------------------------------------------------
; pml4: [0] -> pdpt0: [0] -> pd0 (identity 0-128M in 2M user pages),
;                     [1] -> pd_test: [0] -> pt_test (VA_* pages)
; pml5: [0] -> pml4, [1] and [256] -> pml4_hi -> pdpt_hi -> pd_hi: [0] 2M at 0x800000
build_tables:
        xor ecx, ecx
.id:    mov eax, ecx
        shl eax, 21
        or eax, PTE_PS | PRWU
        mov [pd0 + ecx*8], eax
        inc ecx
        cmp ecx, 64
        jb .id
        SETPTE pml4, 0, pdpt0 + PRWU, 0
        SETPTE pdpt0, 0, pd0 + PRWU, 0
        SETPTE pdpt0, 1, pd_test + PRWU, 0
        SETPTE pd_test, 0, pt_test + PRWU, 0
        SETPTE pt_test, 0, page_pk + PRWU, KEY1_HI
        SETPTE pt_test, 1, page_k0 + PRWU, 0
        SETPTE pt_test, 2, page_a + PRWU, 0
        SETPTE pt_test, 3, page_a + (PRWU | PTE_G), 0
        SETPTE pml5, 0, pml4 + PRWU, 0
        SETPTE pml5, 1, pml4_hi + PRWU, 0
        SETPTE pml5, 256, pml4_hi + PRWU, 0
        SETPTE pml4_hi, 0, pdpt_hi + PRWU, 0
        SETPTE pdpt_hi, 0, pd_hi + PRWU, 0
        SETPTE pd_hi, 0, 0x800000 + (PTE_PS | PRWU), 0
        mov dword [page_pk], 0x9c9c0001
        mov byte [page_pk + 0x800], 0xb8        ; mov eax, 0x9e9e0001; ret
        mov dword [page_pk + 0x801], 0x9e9e0001
        mov byte [page_pk + 0x805], 0xc3
        mov dword [page_k0], 0x6b6b0000
        mov dword [page_a], 0xaaaa0001
        mov dword [page_b], 0xbbbb0002
        mov dword [0x800010], 0x57575757
        mov byte [0x800100], 0xb8               ; mov eax, 0x5757c0de; ret
        mov dword [0x800101], 0x5757c0de
        mov byte [0x800105], 0xc3
        ret

; ---- 32-bit protected mode, paging off ----------------------------------------------
legacy_checks:
        test dword [l1_ecx], 1 << 17
        jz .nopcid
        mov eax, cr4                    ; PCIDE only in IA-32e mode (Vol.2B MOV CR4)
        or eax, CR4_PCIDE
        EXPECT_FAULT 13, 0, mov cr4, eax
.nopcid:
        test dword [l7_ecx], 1 << 16
        jnz .la57
        mov eax, cr4
        or eax, CR4_LA57
        EXPECT_FAULT 13, 0, mov cr4, eax
.la57:  test dword [l7_ecx], 1 << 3
        jnz .pku
        mov eax, cr4
        or eax, CR4_PKE
        EXPECT_FAULT 13, 0, mov cr4, eax
        xor ecx, ecx
        EXPECT_FAULT 6, NOERR, RDPKRU32
        jmp .pkdone
.pku:   xor ecx, ecx                    ; present, but CR4.PKE=0: #UD
        EXPECT_FAULT 6, NOERR, RDPKRU32
        xor edx, edx
        EXPECT_FAULT 6, NOERR, WRPKRU32
.pkdone:
        test dword [l7_ebx], 1 << 10
        jnz .inv
        xor eax, eax
        EXPECT_FAULT 6, NOERR, invpcid eax, [invdesc]
        ret
.inv:   ; outside 64-bit mode: 32-bit type register, 64-bit descriptor address
        mov eax, 4
        EXPECT_FAULT 13, 0, invpcid eax, [invdesc]
        mov dword [invdesc + 12], 0x00008000    ; address 0x0000800000000000
        xor eax, eax
        EXPECT_FAULT 13, 0, invpcid eax, [invdesc]
        mov eax, 2
        invpcid eax, [invdesc]
        mov dword [invdesc + 12], 0
        ret

; ---- 5-level paging -----------------------------------------------------------------------
five_level:
        mov eax, [x8_eax]
        shr eax, 8
        and eax, 0xff
        CHECK_EQ eax, 57, "CPUID.80000008H:EAX[15:8] linear-address bits"
        mov eax, cr4
        or eax, CR4_LA57                ; legal outside IA-32e mode
        mov cr4, eax
        mov eax, cr4
        and eax, CR4_LA57
        CHECK_EQ eax, CR4_LA57, "CR4.LA57 set in protected mode"
        mov dword [lm_cr3], pml5
        call enter_long
bits 64
        mov rax, cr0
        or eax, CR0_WP
        mov cr0, rax
        ; a mapping above 2^48: 48-bit non-canonical, 57-bit canonical
        mov rbx, VA57_LO
        mov eax, [rbx + 0x10]
        CHECK_EQ rax, 0x57575757, "read at 2^48 + 0x10"
        mov dword [rbx + 0x20], 0x1234
        mov eax, [0x800020]
        CHECK_EQ rax, 0x1234, "write at 2^48 + 0x20"
        mov eax, [pml5 + 8]
        and eax, PTE_A
        CHECK_EQ rax, PTE_A, "PML5E.A"
        mov rbx, VA57_HI
        mov eax, [rbx + 0x20]
        CHECK_EQ rax, 0x1234, "read at 0xff00000000000020"
        mov rax, VA57_LO + 0x100
        call rax
        CHECK_EQ rax, 0x5757c0de, "code run at 2^48 + 0x100"
        mov rax, VA57_HI + 0x100
        call rax
        CHECK_EQ rax, 0x5757c0de, "code run at 0xff00000000000100"
        ; page faults carry all 57 bits in CR2
        mov rbx, VA57_NP
        EXPECT_FAULT 14, PF_W, mov [rbx], eax
        mov rax, [fault_cr2]
        CHECK_EQ rax, VA57_NP, "CR2 of a 57-bit address"
        mov rbx, VA57_NP5
        EXPECT_FAULT 14, 0, mov eax, [rbx]
        mov rax, [fault_cr2]
        CHECK_EQ rax, VA57_NP5, "CR2 for an absent PML5E"
        mov rbx, VA48_HI
        EXPECT_FAULT 14, 0, mov eax, [rbx]
        ; non-canonical for 57 bits: #GP(0), not #PF
        mov rbx, VA57_NC
        EXPECT_FAULT 13, 0, mov eax, [rbx]
        ; CR4.LA57 cannot change while EFER.LMA=1
        mov rax, cr4
        and eax, ~CR4_LA57
        EXPECT_FAULT 13, 0, mov cr4, rax
        mov rax, cr4
        and eax, CR4_LA57
        CHECK_EQ rax, CR4_LA57, "CR4.LA57 still set"
        call leave_long
bits 32
        mov eax, cr4
        and eax, ~CR4_LA57              ; legal again outside IA-32e mode
        mov cr4, eax
        mov eax, cr4
        and eax, CR4_LA57
        CHECK_EQ eax, 0, "CR4.LA57 cleared in protected mode"
        ret

; ---- 4-level paging: LA57 frozen, PKU, INVPCID, PCID --------------------------------------
four_level:
        mov eax, cr4
        or eax, CR4_PGE
        mov cr4, eax
        mov dword [lm_cr3], pml4
        call enter_long
bits 64
        mov rax, cr0
        or eax, CR0_WP
        mov cr0, rax
        mov rax, cr4                    ; reserved, or frozen in IA-32e mode
        or eax, CR4_LA57
        EXPECT_FAULT 13, 0, mov cr4, rax
        call pku_checks
        call invpcid_checks
        call pcid_checks
        mov rax, cr0
        and eax, ~CR0_WP
        mov cr0, rax
        call leave_long
bits 32
        mov eax, cr4
        and eax, ~CR4_PGE
        mov cr4, eax
        ret

bits 64
pku_checks:
        test dword [l7_ecx], 1 << 3
        jnz .have
        mov rax, cr4
        or eax, CR4_PKE
        EXPECT_FAULT 13, 0, mov cr4, rax
        xor ecx, ecx
        EXPECT_FAULT 6, NOERR, rdpkru
        ret
.have:
        CHECK_OSPKE 0
        mov rax, cr4
        or eax, CR4_PKE
        mov cr4, rax
        CHECK_OSPKE 1
        ; RDPKRU/WRPKRU operands (Vol.2B): ECX (and EDX for WRPKRU) must be 0
        WRPKRU_V 0
        mov rdx, -1
        xor ecx, ecx
        rdpkru
        CHECK_EQ rax, 0, "RDPKRU after WRPKRU 0"
        CHECK_EQ rdx, 0, "RDPKRU clears RDX"
        mov ecx, 1
        EXPECT_FAULT 13, 0, rdpkru
        mov eax, PKRU_AD1
        mov ecx, 1
        xor edx, edx
        EXPECT_FAULT 13, 0, wrpkru
        xor ecx, ecx
        mov edx, 1
        EXPECT_FAULT 13, 0, wrpkru
        xor ecx, ecx
        rdpkru
        CHECK_EQ rax, 0, "PKRU unchanged by a faulting WRPKRU"

        ; supervisor accesses to a user page with key 1
        mov eax, [VA_PK]
        CHECK_EQ rax, 0x9c9c0001, "key-1 page, PKRU=0"
        WRPKRU_V PKRU_AD1
        EXPECT_FAULT 14, PF_P | PF_PK, mov eax, [VA_PK]
        CHECK_EQ qword [fault_cr2], VA_PK, "CR2 of a key fault"
        EXPECT_FAULT 14, PF_P | PF_W | PF_PK, mov dword [VA_PK + 4], 0
        mov eax, [VA_K0]
        CHECK_EQ rax, 0x6b6b0000, "key-0 page with AD1"
        WRPKRU_V PKRU_WD1
        mov eax, [VA_PK]
        CHECK_EQ rax, 0x9c9c0001, "supervisor read with WD1"
        EXPECT_FAULT 14, PF_P | PF_W | PF_PK, mov dword [VA_PK + 4], 0
        mov rax, cr0                    ; WP=0: WD does not bind the supervisor
        and eax, ~CR0_WP
        mov cr0, rax
        mov dword [VA_PK + 4], 0x44
        mov eax, [page_pk + 4]
        CHECK_EQ rax, 0x44, "supervisor write with WD1, WP=0"
        mov rax, cr0
        or eax, CR0_WP
        mov cr0, rax

        ; user accesses; WRPKRU works at CPL 3 and the next access sees it
        WRPKRU_V 0
        call to_ring3_64
        mov eax, [VA_PK]
        CHECK_EQ rax, 0x9c9c0001, "user read, PKRU=0"
        mov dword [VA_PK + 8], 0x88
        WRPKRU_V PKRU_AD1
        EXPECT_FAULT 14, PF_P | PF_U | PF_PK, mov eax, [VA_PK]
        EXPECT_FAULT 14, PF_P | PF_W | PF_U | PF_PK, mov dword [VA_PK + 8], 0
        mov eax, VA_PK + 0x800          ; keys do not apply to fetches
        call rax
        CHECK_EQ rax, 0x9e9e0001, "user fetch from a key-1 page with AD1"
        mov eax, [VA_K0]
        CHECK_EQ rax, 0x6b6b0000, "user read of a key-0 page with AD1"
        WRPKRU_V PKRU_WD1
        mov eax, [VA_PK + 8]
        CHECK_EQ rax, 0x88, "user read with WD1"
        EXPECT_FAULT 14, PF_P | PF_W | PF_U | PF_PK, mov dword [VA_PK + 8], 0
        xor ecx, ecx
        rdpkru
        CHECK_EQ rax, PKRU_WD1, "RDPKRU at CPL 3"
        WRPKRU_V 0
        mov dword [VA_PK + 8], 0x99
        int VEC_RING0
        mov eax, [page_pk + 8]
        CHECK_EQ rax, 0x99, "user write after WRPKRU 0"

        ; CR4.PKE=0: keys are ignored, RDPKRU is #UD, OSPKE clear
        WRPKRU_V PKRU_AD1 | PKRU_WD1
        mov rax, cr4
        and eax, ~CR4_PKE
        mov cr4, rax
        mov eax, [VA_PK]
        CHECK_EQ rax, 0x9c9c0001, "key-1 page with CR4.PKE=0"
        mov dword [VA_PK + 12], 1
        CHECK_OSPKE 0
        xor ecx, ecx
        EXPECT_FAULT 6, NOERR, rdpkru
        ret

; INV_STALE type, va, pte_index: va maps page_a (cached), then page_b without
; an INVLPG; INVPCID type must drop the stale translation
%macro INV_STALE 3
        SETPTE pt_test, %3, page_a + PRWU, 0
        invlpg [%2]
        mov eax, [%2]
        CHECK_EQ rax, 0xaaaa0001, "mapping before INVPCID"
        mov eax, [pt_test + (%3)*8]     ; same flags (G), page_b
        and eax, 0xfff
        add eax, page_b
        mov [pt_test + (%3)*8], eax
        INVPCID_DESC 0, %2
        mov eax, %1
        invpcid rax, [invdesc]
        mov eax, [%2]
        CHECK_EQ rax, 0xbbbb0002, "mapping after INVPCID"
%endmacro

invpcid_checks:
        test dword [l7_ebx], 1 << 10
        jnz .have
        xor eax, eax
        EXPECT_FAULT 6, NOERR, invpcid rax, [invdesc]
        ret
.have:
        INV_STALE 0, VA_INV, 2
        INV_STALE 1, VA_INV, 2
        INV_STALE 3, VA_INV, 2
        SETPTE pt_test, 3, page_a + (PRWU | PTE_G), 0
        INV_STALE 2, VA_INVG, 3         ; type 2 also drops global translations
        ; #GP(0) cases
        INVPCID_DESC 0, 0
        mov eax, 4
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        INVPCID_DESC 0x1000, 0          ; descriptor bits 63:12
        mov eax, 2
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        INVPCID_DESC 0, NONCANON
        xor eax, eax
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        mov eax, 1                      ; the address matters only to type 0
        invpcid rax, [invdesc]
        INVPCID_DESC 1, VA_INV          ; PCID 1 with CR4.PCIDE=0
        xor eax, eax
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        mov eax, 1
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        INVPCID_DESC 0, 0
        call to_ring3_64
        mov eax, 2
        EXPECT_FAULT 13, 0, invpcid rax, [invdesc]
        int VEC_RING0
        ret

pcid_checks:
        test dword [l1_ecx], 1 << 17
        jnz .have
        ; (Without PCID, CR4.PCIDE is reserved; QEMU 7.2 TCG lets it be set, so
        ; that #GP is left to tests/unit/pcid_test.cc.)
        ret
.have:
        mov rax, cr3
        or eax, 0x8                     ; PWT: CR3[11:0] != 0
        mov cr3, rax
        mov rax, cr4
        or eax, CR4_PCIDE
        EXPECT_FAULT 13, 0, mov cr4, rax
        mov eax, pml4
        mov cr3, rax
        mov rax, cr4
        or eax, CR4_PCIDE
        mov cr4, rax
        ; MOV CR3 with bit 63 (no invalidation): the bit is not stored
        mov rax, 1 << 63
        or rax, pml4 + 5
        mov cr3, rax
        mov rbx, cr3
        CHECK_EQ rbx, pml4 + 5, "CR3 = PML4 | PCID 5 after MOV CR3 with bit 63"
        mov eax, [VA_K0]
        CHECK_EQ rax, 0x6b6b0000, "access with PCID 5"
        test dword [l7_ebx], 1 << 10
        jz .noinv
        INVPCID_DESC 5, VA_K0           ; PCID != 0 is fine with PCIDE=1
        xor eax, eax
        invpcid rax, [invdesc]
        mov eax, 1
        invpcid rax, [invdesc]
.noinv: mov eax, pml4
        mov cr3, rax
        mov rax, cr4
        and eax, ~CR4_PCIDE
        mov cr4, rax
        ret
bits 32

section .data
align 16
invdesc:        dq 0, 0                 ; INVPCID descriptor: PCID, linear address
l7_ebx:         dd 0
l7_ecx:         dd 0
l1_ecx:         dd 0
x8_eax:         dd 0

section .bss
alignb 4096
pml5:           resq 512
pml4:           resq 512
pdpt0:          resq 512
pd0:            resq 512
pd_test:        resq 512
pt_test:        resq 512
pml4_hi:        resq 512
pdpt_hi:        resq 512
pd_hi:          resq 512
page_pk:        resb 4096
page_k0:        resb 4096
page_a:         resb 4096
page_b:         resb 4096
section .text
