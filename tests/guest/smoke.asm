%define TEST_NAME "smoke"
%include "test.inc"
test_main:
        mov eax, 5
        CHECK_EQ eax, 5, "eax"
        EXPECT_FAULT 6, NOERR, ud2
        EXPECT_TRAP 3, int3
        call enter_long
bits 64
        mov rax, 0x123456789
        mov rbx, rax
        CHECK_EQ rax, rbx, "rax"
        EXPECT_FAULT 6, NOERR, ud2
        call to_ring3_64
        EXPECT_FAULT 13, 0, cli
        int VEC_RING0
        call leave_long
bits 32
        call to_ring3
        EXPECT_FAULT 13, 0, cli
        int VEC_RING0
        mov eax, LOW(rmf)
        call call_real
        CHECK_EQ dword [LOW(rmres)], 0x1234, "real"
        ret
section .lowblob
bits 16
rmf:    mov word [LOW(rmres)], 0x1234
        ret
rmres: dd 0
