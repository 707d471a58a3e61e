; alignment: #AC (vector 17, error code 0) for a misaligned data access at
; CPL3 with CR0.AM=1 and EFLAGS.AC=1; none at CPL0, none with AC=0 or AM=0
; (SDM Vol.3A 6.15 "Interrupt 17-Alignment Check Exception").
; QEMU 7.2 TCG does not implement alignment checking: expected to fail there.
%define TEST_NAME "alignment"
%include "test.inc"

test_main:
        mov eax, cr0
        or eax, 1 << 18                 ; AM
        mov cr0, eax
        pushfd
        or dword [esp], 1 << 18         ; AC
        popfd
        mov ebx, [fault_count]
        mov eax, [misaligned + 1]       ; CPL0: never checked
        CHECK_EQ ebx, dword [fault_count], "CPL0 misaligned access: no #AC"
        call to_ring3
        mov eax, [misaligned]           ; aligned: fine
        mov ax, [misaligned + 2]
        CHECK_EQ ebx, dword [fault_count], "CPL3 aligned accesses: no #AC"
        EXPECT_FAULT 17, 0, mov eax, [misaligned + 1]
        EXPECT_FAULT 17, 0, mov word [misaligned + 1], ax
        EXPECT_FAULT 17, 0, push dword [misaligned + 2]
        pushfd
        and dword [esp], ~(1 << 18)     ; AC=0: no check
        popfd
        mov ebx, [fault_count]
        mov eax, [misaligned + 1]
        CHECK_EQ ebx, dword [fault_count], "CPL3 with AC=0: no #AC"
        int VEC_RING0
        mov eax, cr0
        and eax, ~(1 << 18)
        mov cr0, eax
        ret

section .data
align 8
misaligned:     dd 0, 0
