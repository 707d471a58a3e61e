; icebp: INT1 / ICEBP (opcode 0xf1) raises #DB as a trap, saved EIP after
; the instruction, and - unlike INT n - without the gate DPL check
; (SDM Vol.2A INT n/INTO/INT3/INT1; Vol.3A 6.15 #DB).
; QEMU 7.2 TCG raises #UD for 0xf1: expected to fail there.
%define TEST_NAME "icebp"
%include "test.inc"

test_main:
        EXPECT_TRAP 1, db 0xf1
        ; from CPL3 through the DPL0 #DB gate: still #DB (no #GP)
        call to_ring3
        EXPECT_TRAP 1, db 0xf1
        int VEC_RING0
        ; 64-bit mode
        call enter_long
bits 64
        EXPECT_TRAP 1, db 0xf1
        call leave_long
bits 32
        ret
