; xsave: the XSAVE feature set as an OS uses it (SDM Vol.1 13.3, Vol.3A 2.6,
; Vol.2 XGETBV/XSETBV/XSAVE/XRSTOR). Runs with the default CPU, where XSAVE is
; absent, and with -cpu max (guest-max.xsave), where it is present:
;   absent: CPUID.01H:ECX.XSAVE[26] = 0, CR4.OSXSAVE reserved (#GP), XGETBV #UD;
;   present: XGETBV #UD until CR4.OSXSAVE = 1, CPUID.01H:ECX.OSXSAVE[27]
;     follows CR4, XCR0 = 1 at reset, XSETBV x87|SSE, CPUID.(0DH,0):EBX follows
;     XCR0 (576 for x87|SSE), XSETBV #GP(0) for x87 off / a bit no CPU has /
;     ECX = 1 / CPL 3; in ring 3: XGETBV, and XSAVE/XRSTOR of XMM and MXCSR
;     state with XSTATE_BV; back in ring 0: #NM with CR0.TS, #GP(0) for a
;     misaligned area, XSAVEC's compacted header.
%define TEST_NAME "xsave"
%include "test.inc"

CR4_OSFXSR      equ 1 << 9
CR4_OSXMMEXCPT  equ 1 << 10
CR4_OSXSAVE     equ 1 << 18

test_main:
        mov eax, cr0
        and eax, ~((1 << 2) | (1 << 3)) ; EM=0, TS=0
        or eax, (1 << 1) | (1 << 5)     ; MP=1, NE=1
        mov cr0, eax
        mov eax, cr4
        or eax, CR4_OSFXSR | CR4_OSXMMEXCPT
        mov cr4, eax
        mov eax, 1
        cpuid
        test ecx, 1 << 26
        jnz .present
        ; ---- XSAVE absent ----------------------------------------------------------
        and ecx, 1 << 27
        CHECK_EQ ecx, 0, "no OSXSAVE without XSAVE"
        mov eax, cr4
        or eax, CR4_OSXSAVE
        EXPECT_FAULT 13, 0, mov cr4, eax        ; reserved CR4 bit: #GP(0)
        xor ecx, ecx
        EXPECT_FAULT 6, NOERR, xgetbv
        ret

.present:
        ; ---- XSAVE present, not enabled ------------------------------------------
        mov eax, ecx
        and eax, 1 << 27
        CHECK_EQ eax, 0, "OSXSAVE clear before CR4.OSXSAVE"
        xor ecx, ecx
        EXPECT_FAULT 6, NOERR, xgetbv
        EXPECT_FAULT 6, NOERR, xsave [xarea]
        mov eax, cr4
        or eax, CR4_OSXSAVE
        mov cr4, eax
        mov eax, 1
        cpuid
        and ecx, 1 << 27
        CHECK_EQ ecx, 1 << 27, "CPUID.01H:ECX.OSXSAVE follows CR4"
        xor ecx, ecx
        xgetbv
        CHECK_EQ eax, 1, "XCR0 at reset: x87 only"
        CHECK_EQ edx, 0, "XCR0 high at reset"
        mov eax, 0xd
        xor ecx, ecx
        cpuid
        mov esi, eax
        and esi, 3
        CHECK_EQ esi, 3, "CPUID.(0DH,0):EAX has x87 and SSE"
        CHECK_EQ ebx, 576, "CPUID.(0DH,0):EBX for XCR0 = 1"
        ; ---- XSETBV ---------------------------------------------------------------
        xor ecx, ecx
        xor edx, edx
        mov eax, 2                              ; SSE without x87
        EXPECT_FAULT 13, 0, xsetbv
        mov eax, 1
        mov edx, 1 << 30                        ; bit 62: no such component
        EXPECT_FAULT 13, 0, xsetbv
        xor edx, edx
        mov ecx, 1                              ; XCR1 cannot be written
        mov eax, 3
        EXPECT_FAULT 13, 0, xsetbv
        xor ecx, ecx
        mov eax, 3
        xsetbv
        xor ecx, ecx
        xgetbv
        CHECK_EQ eax, 3, "XCR0 = x87 | SSE"
        mov eax, 0xd
        xor ecx, ecx
        cpuid
        CHECK_EQ ebx, 576, "CPUID.(0DH,0):EBX for XCR0 = 3"

        ; ---- ring 3 ---------------------------------------------------------------
        call to_ring3
        xor ecx, ecx
        xgetbv                                  ; any CPL
        mov [r3_xcr0], eax
        xor ecx, ecx
        mov eax, 3
        xor edx, edx
        EXPECT_FAULT 13, 0, xsetbv              ; CPL 3
        movups xmm5, [pattern]
        mov dword [scratch], 0x3f80             ; MXCSR: round down
        ldmxcsr [scratch]
        mov eax, 3
        xor edx, edx
        xsave [xarea]
        xorps xmm5, xmm5
        mov dword [scratch], 0x1f80
        ldmxcsr [scratch]
        mov eax, 2                              ; SSE only
        xor edx, edx
        xrstor [xarea]
        movups [r3_xmm5], xmm5
        stmxcsr [r3_mxcsr]
        int VEC_RING0
        CHECK_EQ dword [r3_xcr0], 3, "ring 3: XGETBV"
        CHECK_EQ dword [r3_xmm5], 0x03020100, "ring 3: XRSTOR gives XMM5 back (low)"
        CHECK_EQ dword [r3_xmm5 + 12], 0x0f0e0d0c, "ring 3: XRSTOR gives XMM5 back (high)"
        CHECK_EQ dword [r3_mxcsr], 0x3f80, "ring 3: XRSTOR gives MXCSR back"
        CHECK_EQ dword [xarea + 512], 3, "XSAVE: XSTATE_BV = x87 | SSE"
        CHECK_EQ dword [xarea + 520], 0, "XSAVE: XCOMP_BV untouched"
        CHECK_EQ dword [xarea + 24], 0x3f80, "XSAVE: MXCSR at 24"
        CHECK_EQ dword [xarea + 160 + 5*16], 0x03020100, "XSAVE: XMM5 at 240"

        ; ---- ring 0: #NM, alignment, XSAVEC -----------------------------------------
        mov eax, cr0
        or eax, 1 << 3                          ; TS
        mov cr0, eax
        mov eax, 3
        xor edx, edx
        EXPECT_FAULT 7, NOERR, xsave [xarea]
        clts
        EXPECT_FAULT 13, 0, xsave [xarea + 16]
        mov eax, 1
        cpuid
        mov eax, 0xd
        mov ecx, 1
        cpuid
        test eax, 2                             ; XSAVEC
        jz .done
        mov eax, 3
        xor edx, edx
        xsavec [xarea2]
        CHECK_EQ dword [xarea2 + 512], 3, "XSAVEC: XSTATE_BV"
        CHECK_EQ dword [xarea2 + 520], 3, "XSAVEC: XCOMP_BV low"
        CHECK_EQ dword [xarea2 + 524], 0x80000000, "XSAVEC: XCOMP_BV compacted bit"
        xorps xmm5, xmm5
        mov eax, 3
        xor edx, edx
        xrstor [xarea2]                         ; the compacted form
        movd eax, xmm5
        CHECK_EQ eax, 0x03020100, "XRSTOR (compacted) gives XMM5 back"
.done:
        ret

section .data
align 64
xarea:          times 1024 db 0
xarea2:         times 1024 db 0
pattern:        db 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
scratch:        dd 0
r3_xcr0:        dd 0
r3_mxcsr:       dd 0
r3_xmm5:        times 16 db 0
section .text
