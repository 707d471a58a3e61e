; smoke: the framework itself - serial output, CHECK_EQ, exception
; recording in 32- and 64-bit mode, ring 3 and back, the real-mode round
; trip. If this fails, look at lib/ (or the emulator's basics) first.
%define TEST_NAME "smoke"
%include "test.inc"

test_main:
        mov eax, 5
        CHECK_EQ eax, 5, "CHECK_EQ itself"
        EXPECT_FAULT 6, NOERR, ud2
        EXPECT_TRAP 3, int3
        call to_ring3
        EXPECT_FAULT 13, 0, cli
        int VEC_RING0
        mov eax, cs
        CHECK_EQ eax, SEL_CODE32, "back in ring 0"
        mov eax, LOW(rm_func)
        call call_real
        CHECK_EQ dword [LOW(rm_result)], 0x1234, "real-mode round trip"
        call enter_long
bits 64
        mov rax, 0x123456789
        mov rbx, rax
        CHECK_EQ rax, rbx, "64-bit CHECK_EQ"
        EXPECT_FAULT 6, NOERR, ud2
        call to_ring3_64
        EXPECT_FAULT 13, 0, cli
        int VEC_RING0
        call leave_long
bits 32
        ret

section .lowblob
bits 16
rm_func:
        mov word [LOW(rm_result)], 0x1234
        ret
rm_result:      dd 0
section .text
bits 32
