; poweroff: a Multiboot kernel that prints a line on COM1 and turns the machine off the way
; an ACPI OS does for S5 (ACPI 6.4 7.4.2, 4.8.3.2.1): SLP_TYPa from the DSDT's \_S5 package
; (0 on q35, as QEMU) with SLP_EN (bit 13) written to PM1a_CNT. SeaBIOS ran the table loader,
; so the PM block is at 0x600 (PM1a_CNT at 0x604), the FADT's values.
bits 32
section .multiboot progbits alloc noexec nowrite align=4
        dd 0x1BADB002, 0, -0x1BADB002
section .text
global _start
_start:
        mov esi, msg
.next:  lodsb
        test al, al
        jz .off
        mov dx, 0x3fd               ; LSR: wait for THRE
.wait:  in al, dx
        test al, 0x20
        jz .wait
        mov al, [esi - 1]
        mov dx, 0x3f8
        out dx, al
        jmp .next
.off:   mov dx, 0x604
        mov ax, 1 << 13             ; SLP_TYP 0, SLP_EN
        out dx, ax
.hang:  hlt                         ; -no-shutdown: the vCPUs stop here
        jmp .hang
section .rodata
msg:    db "POWEROFF", 13, 10, 0
