; noncanon_ss: in 64-bit mode a non-canonical address in a memory reference
; that uses SS (RSP/RBP base, or implicit stack accesses) raises #SS(0), other
; references #GP(0) (SDM Vol.3A 6.15, Interrupt 12 "#SS"; Vol.1 3.3.7.1).
; QEMU 7.2 TCG raises #GP(0) for all of them: expected to fail there.
%define TEST_NAME "noncanon_ss"
%include "test.inc"

test_main:
        call enter_long
bits 64
        SET_GATE64 12, exc64_stub_12, GATE64_INT, 1     ; #SS on IST1
        SET_GATE64 13, exc64_stub_13, GATE64_INT, 1     ; (#GP too, so that a
                                                        ; wrong vector fails cleanly)
        mov rbx, 0x0000800000000000
        EXPECT_FAULT 13, 0, mov eax, [rbx]              ; DS-relative: #GP
        mov rbp, rbx
        EXPECT_FAULT 12, 0, mov eax, [rbp]              ; SS-relative: #SS
        EXPECT_FAULT 12, 0, mov eax, [rsp + rbx]        ; RSP base: #SS
        ARM_FAULT .resume
        mov [saved_rsp], rsp
        lea rsp, [rbx + 8]              ; RSP-8 is the first non-canonical
.push:  push rax                        ; address: implicit stack access
        mov rsp, [saved_rsp]
        CHECK_FAIL "PUSH with a non-canonical RSP did not fault"
.resume:
        mov rsp, [saved_rsp]
        CHECK_FAULT 12, 0, .push
        SET_GATE64 12, exc64_stub_12, GATE64_INT, 0
        SET_GATE64 13, exc64_stub_13, GATE64_INT, 0
        call leave_long
bits 32
        ret

section .data
saved_rsp:      dq 0
section .text
