; pit_irq: the legacy timer path end to end — 8254 channel 0 in mode 2 (rate generator,
; Intel 8254 datasheet "Mode 2"), through the 8259A master (ICW1-ICW4 remapped to vector
; 0x20, datasheet "Initialization Command Words"), delivered to the CPU while it sleeps in
; HLT (SDM Vol. 3A 6.8: HLT resumes on an interrupt), with EOI (OCW2) after each tick.
; Checks: ticks arrive, each wakes HLT, the masked line (OCW1) stops them, and IF=0 holds them.
%define TEST_NAME "pit_irq"
%include "test.inc"

TICKS   equ 20

test_main:
        SET_GATE32 0x20, tick_handler, GATE_INT32
        PIC_INIT 0xfe, 0xff             ; master: only IR0; slave: all masked
        ; PIT channel 0, lobyte/hibyte, mode 2, binary: 1193 counts = ~1 kHz.
        mov al, 0x34
        out 0x43, al
        mov ax, 1193
        out 0x40, al
        mov al, ah
        out 0x40, al

        mov dword [ticks], 0
        mov dword [wakeups], 0
        sti
.wait:  hlt                             ; sleeps until the next tick
        inc dword [wakeups]
        cmp dword [ticks], TICKS
        jb .wait
        cli
        mov eax, [ticks]
        CHECK_EQ eax, TICKS, "ticks counted"
        mov eax, [wakeups]
        CHECK_EQ eax, TICKS, "each tick woke HLT once"

        ; IF=0: the interrupt stays pending; a busy wait sees no ticks.
        mov ecx, 2000000
.spin1: loop .spin1
        CHECK_EQ dword [ticks], TICKS, "no delivery with IF=0"
        ; STI then HLT: the pending tick is taken (after the STI shadow) and wakes HLT.
        sti
        hlt
        cli
        mov eax, [ticks]
        CHECK_EQ eax, TICKS + 1, "pending tick delivered after STI"

        ; OCW1: mask IR0; with IF=1 no more ticks arrive during a busy wait.
        mov al, 0xff
        out 0x21, al
        mov eax, [ticks]
        mov [saved], eax
        sti
        mov ecx, 3000000
.spin2: loop .spin2
        cli
        mov eax, [ticks]
        CHECK_EQ eax, dword [saved], "masked IR0 delivers nothing"
        ret

tick_handler:
        push eax
        inc dword [ticks]
        mov al, 0x20                    ; OCW2: non-specific EOI
        out 0x20, al
        pop eax
        iretd

section .data
ticks:   dd 0
wakeups: dd 0
saved:   dd 0
