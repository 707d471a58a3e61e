; ferr: x87 errors the PC way, with CR0.NE = 0 (SDM Vol. 1 8.7 and D.2.1; ICH9 datasheet
; 5.12.1 "Coprocessor Error"): an unmasked x87 exception only sets FSW.ES; the next waiting
; x87 instruction (FWAIT) asserts FERR#, which arrives as IRQ 13 (8259 slave IR5); the handler
; writes port F0h (IRQ 13 down, IGNNE# up) and clears the error with FNCLEX. With IGNNE#
; asserted and the error still pending, waiting instructions run without a new IRQ 13. With
; CR0.NE = 1 the same pending error is #MF instead.
%define TEST_NAME "ferr"
%include "test.inc"

test_main:
        SET_GATE32 0x2d, irq13_handler, GATE_INT32      ; slave base 0x28 + IR5
        PIC_INIT 0xfb, 0xdf             ; only IR2 (the cascade) and IR13 (slave IR5)

        mov eax, cr0
        and eax, ~((1 << 2) | (1 << 3) | (1 << 5))      ; EM=0, TS=0, NE=0
        or eax, 1 << 1                                  ; MP=1
        mov cr0, eax
        fninit
        fldcw [cw_zm]                   ; divide-by-zero unmasked
        call make_error
        fnstsw ax
        and eax, 0x84
        CHECK_EQ eax, 0x84, "unmasked #Z: FSW.ZE and ES, no fault yet"
        CHECK_EQ dword [irq13_count], 0, "no IRQ 13 before a waiting instruction"
        sti
        fwait                           ; FERR# -> IRQ 13
        nop
        nop
        cli
        CHECK_EQ dword [irq13_count], 1, "FWAIT with the error pending: IRQ 13"
        movzx eax, word [h_fsw]
        and eax, 0x84
        CHECK_EQ eax, 0x84, "the handler saw the pending error"
        fnstsw ax
        and eax, 0x80
        CHECK_EQ eax, 0, "FNCLEX in the handler cleared ES"

        ; A second error; port F0h written (IGNNE#) without clearing it: no more IRQ 13.
        call make_error
        xor al, al
        out 0xf0, al
        sti
        fwait
        nop
        nop
        cli
        CHECK_EQ dword [irq13_count], 1, "IGNNE#: FWAIT runs, no IRQ 13"
        fnclex
        ; After the error is gone IGNNE# goes too: the next error interrupts again.
        fnop
        call make_error
        sti
        fwait
        nop
        nop
        cli
        CHECK_EQ dword [irq13_count], 2, "IGNNE# ends with the error: IRQ 13 again"

        ; CR0.NE = 1: the pending error is #MF at the waiting instruction.
        call make_error
        mov eax, cr0
        or eax, 1 << 5
        mov cr0, eax
        EXPECT_FAULT 16, NOERR, fwait
        fnclex
        CHECK_EQ dword [irq13_count], 2, "#MF mode: no IRQ 13"
        ret

; 1 / 0 with #Z unmasked: FSW.ZE | ES. Nothing after the FDIVP may be a waiting x87
; instruction (it would assert FERR# here), so the operands stay on the stack: four calls
; fill it at most.
make_error:
        fld1
        fldz
        fdivp st1, st0
        ret

irq13_handler:
        push eax
        fnstsw ax
        mov [h_fsw], ax
        xor al, al
        out 0xf0, al                    ; IRQ 13 down, IGNNE# up
        fnclex
        mov al, 0x20
        out 0xa0, al                    ; EOI, slave then master
        out 0x20, al
        inc dword [irq13_count]
        pop eax
        iretd

section .data
cw_zm:          dw 0x037b
h_fsw:          dw 0
irq13_count:    dd 0
section .text
