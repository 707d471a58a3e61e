; fpu_sse: x87 and SSE availability rules and a few results (SDM Vol.3A
; 13.1-13.4 and 2.5; Vol.1 chapters 8, 10, 11):
;   SSE with CR4.OSFXSR=0 or CR0.EM=1 -> #UD, with CR0.TS=1 -> #NM;
;   MXCSR reset value, masked divide-by-zero sets ZE and gives +inf;
;   FXSAVE/FXRSTOR round trip; CVTTSD2SI integer indefinite;
;   x87 rounding control (FISTP), FSQRT, integer load/store.
%define TEST_NAME "fpu_sse"
%include "test.inc"

CR4_OSFXSR      equ 1 << 9
CR4_OSXMMEXCPT  equ 1 << 10

test_main:
        mov eax, cr0
        and eax, ~((1 << 2) | (1 << 3)) ; EM=0, TS=0
        or eax, (1 << 1) | (1 << 5)     ; MP=1, NE=1
        mov cr0, eax
        ; Without an x87 (CPUID.01H:EDX.FPU = 0) x87 instructions raise #UD, or #NM when
        ; CR0.EM = 1 (SDM Vol. 3A 2.5, Table 2-2); the x87 checks need the FPU.
        mov eax, 1
        cpuid
        test edx, 1
        jnz .have_fpu
        EXPECT_FAULT 6, NOERR, fninit
        mov eax, cr0
        or eax, 1 << 2                  ; EM
        mov cr0, eax
        EXPECT_FAULT 7, NOERR, fninit
        and eax, ~(1 << 2)
        mov cr0, eax
        jmp .sse
.have_fpu:
        fninit
        ; ---- x87 ------------------------------------------------------------------
        fild dword [i_7]
        fild dword [i_5]
        faddp st1, st0
        fistp dword [res]
        CHECK_EQ dword [res], 12, "x87: 7 + 5"
        fld qword [d_2]
        fsqrt
        fstp qword [res]
        CHECK_EQ dword [res], 0x667f3bcd, "x87: sqrt(2) low"
        CHECK_EQ dword [res + 4], 0x3ff6a09e, "x87: sqrt(2) high"
        fld qword [d_m1_5]
        fldcw [cw_down]                 ; RC = round down
        fistp dword [res]
        CHECK_EQ dword [res], -2, "x87: FISTP -1.5, RC=down"
        fld qword [d_2_5]
        fldcw [cw_near]                 ; RC = nearest even
        fistp dword [res]
        CHECK_EQ dword [res], 2, "x87: FISTP 2.5, RC=nearest (even)"

        ; ---- SSE availability ------------------------------------------------------
.sse:   mov eax, 1
        cpuid
        test edx, 1 << 25               ; SSE
        jz .no_sse
        mov eax, cr4
        and eax, ~(CR4_OSFXSR | CR4_OSXMMEXCPT)
        mov cr4, eax
        EXPECT_FAULT 6, NOERR, addps xmm0, xmm1         ; OSFXSR=0: #UD
        or eax, CR4_OSFXSR
        mov cr4, eax
        mov ebx, [fault_count]
        addps xmm0, xmm1
        CHECK_EQ ebx, dword [fault_count], "SSE with OSFXSR=1 runs"
        mov eax, cr0
        or eax, 1 << 3                  ; TS
        mov cr0, eax
        EXPECT_FAULT 7, NOERR, addps xmm0, xmm1         ; TS=1: #NM
        clts
        mov eax, cr0
        or eax, 1 << 2                  ; EM
        mov cr0, eax
        EXPECT_FAULT 6, NOERR, addps xmm0, xmm1         ; EM=1: #UD
        and eax, ~(1 << 2)
        mov cr0, eax

        ; ---- MXCSR, exceptions -------------------------------------------------------
        stmxcsr [res]
        CHECK_EQ dword [res], 0x1f80, "MXCSR after FNINIT/reset: 0x1f80"
        movss xmm0, [f_1]
        xorps xmm1, xmm1
        divss xmm0, xmm1                ; masked: +inf, ZE
        movd eax, xmm0
        CHECK_EQ eax, 0x7f800000, "1/0 masked = +inf"
        stmxcsr [res]
        mov eax, [res]
        and eax, 0x3f
        CHECK_EQ eax, 0x04, "MXCSR.ZE set"
        mov dword [res], 0x1f80         ; clear the flags
        ldmxcsr [res]
        ; (unmasked SIMD exceptions, #XM, are in simd_exc.asm)

        ; ---- CVTTSD2SI, FXSAVE/FXRSTOR --------------------------------------------------
        mov eax, 1
        cpuid
        test edx, 1 << 26               ; SSE2
        jz .no_sse2
        movsd xmm2, [d_big]
        cvttsd2si eax, xmm2
        CHECK_EQ eax, 0x80000000, "CVTTSD2SI overflow: integer indefinite"
        movsd xmm2, [d_m1_5]
        cvttsd2si eax, xmm2
        CHECK_EQ eax, -1, "CVTTSD2SI truncates"
.no_sse2:
        mov dword [res], 0x1f80         ; (CVTTSD2SI set IE/PE)
        ldmxcsr [res]
        mov dword [res], 0x11111111
        movss xmm3, [res]
        fxsave [fxarea]
        xorps xmm3, xmm3
        fxrstor [fxarea]
        movd eax, xmm3
        CHECK_EQ eax, 0x11111111, "FXSAVE/FXRSTOR restores XMM3"
        mov eax, [fxarea + 24]          ; MXCSR image
        CHECK_EQ eax, 0x1f80, "FXSAVE: MXCSR at offset 24"
.no_sse:
        ret

section .data
align 16
fxarea:         times 512 db 0
i_7:            dd 7
i_5:            dd 5
d_2:            dq 2.0
d_m1_5:         dq -1.5
d_2_5:          dq 2.5
d_big:          dq 1.0e20
f_1:            dd 1.0
cw_down:        dw 0x077f
cw_near:        dw 0x037f
res:            dd 0, 0
section .text
