; desc_accessed: loading a segment register sets the accessed bit (type bit
; 0) of its descriptor in memory, for data, stack and code segments (SDM
; Vol.3A 3.4.5.1, "accessed" bit). QEMU 7.2 TCG does not set it for CS
; loads: expected to fail there.
%define TEST_NAME "desc_accessed"
%include "test.inc"

S_D     equ SEL_FREE + 0x00
S_S     equ SEL_FREE + 0x08
S_C     equ SEL_FREE + 0x10

%macro ACCESSED 2                       ; reg <- accessed bit of selector
        movzx %1, byte [gdt + (%2) + 5]
        and %1, 1
%endmacro

test_main:
        SET_DESC S_D, 0, 0xfffff, 0x92, FL_32
        SET_DESC S_S, 0, 0xfffff, 0x92, FL_32
        SET_DESC S_C, 0, 0xfffff, 0x9a, FL_32
        ACCESSED eax, S_D
        CHECK_EQ eax, 0, "fresh data descriptor: A=0"
        mov ax, S_D
        mov es, ax
        ACCESSED eax, S_D
        CHECK_EQ eax, 1, "MOV ES sets A"
        mov ax, S_S
        mov ss, ax
        ACCESSED eax, S_S
        CHECK_EQ eax, 1, "MOV SS sets A"
        mov ax, SEL_DATA32
        mov ss, ax
        mov es, ax
        jmp S_C:.in_c
.in_c:  ACCESSED eax, S_C
        CHECK_EQ eax, 1, "far JMP sets A of the code descriptor"
        jmp SEL_CODE32:.back
.back:  ret
