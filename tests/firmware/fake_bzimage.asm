; fake_bzimage: the smallest image that follows the Linux boot protocol (Documentation/x86/
; boot.rst), to test a loader against the protocol rather than against Linux: one setup sector
; with a 2.15 header (two setup sectors), then a 512-byte "protected-mode kernel". Its setup code checks what the
; boot loader must have done and reports on COM1:
;   - type_of_loader (0x210) set, CAN_USE_HEAP (0x211 bit 7) set, heap_end_ptr (0x224) = 0xfe00;
;   - cmd_line_ptr (0x228) points at the command line: printed as "cmdline=<...>";
;   - ramdisk_image/ramdisk_size (0x218/0x21c): printed as hex;
;   - the first bytes at 0x100000 (the kernel) and at ramdisk_image (the initrd), fetched with
;     INT 15h AH=87h (the BIOS block move, as real-mode setup code may use): printed;
;   - DS = SS = 0x1000 and CS = 0x1020 at entry.
; Then it writes 0 to isa-debug-exit (port 0xf4): exit status 1.
bits 16
org 0
        times 0x1f1 - ($ - $$) db 0
setup_sects:    db 2
root_flags:     dw 0
syssize:        dd 1                ; 16-byte paragraphs of the protected-mode part
ram_size:       dw 0
vid_mode:       dw 0xffff
root_dev:       dw 0
boot_flag:      dw 0xaa55
; 0x200: the real-mode entry point (CS:IP = 0x1020:0000)
        jmp short start
header:         db "HdrS"
version:        dw 0x020f
realmode_swtch: dd 0
start_sys_seg:  dw 0
kernel_version: dw 0
type_of_loader: db 0
loadflags:      db 0x01             ; LOADED_HIGH: a bzImage
setup_move_size: dw 0
code32_start:   dd 0x100000
ramdisk_image:  dd 0
ramdisk_size:   dd 0
bootsect_kludge: dd 0
heap_end_ptr:   dw 0
ext_loader_ver: db 0
ext_loader_type: db 0
cmd_line_ptr:   dd 0
initrd_addr_max: dd 0x7fffffff
kernel_alignment: dd 0x200000
relocatable_kernel: db 0
min_alignment:  db 0
xloadflags:     dw 0
cmdline_size:   dd 2047
        times 0x280 - ($ - $$) db 0

%define HDR(x) (x - $$)
start:
        mov ax, cs
        cmp ax, 0x1020
        jne fail
        mov ax, ds
        cmp ax, 0x1000
        jne fail
        mov ax, ss
        cmp ax, 0x1000
        jne fail
        cmp byte [HDR(type_of_loader)], 0
        je fail
        test byte [HDR(loadflags)], 0x80
        jz fail
        cmp word [HDR(heap_end_ptr)], 0xfe00
        jne fail
        ; cmdline=<...>
        mov si, HDR(s_cmdline)
        call puts
        mov eax, [HDR(cmd_line_ptr)]
        push ds
        shr eax, 4
        mov ds, ax
        xor si, si
        call puts
        pop ds
        mov si, HDR(s_close)
        call puts
        ; initrd=ADDR+SIZE
        mov si, HDR(s_initrd)
        call puts
        mov eax, [HDR(ramdisk_image)]
        call puthex
        mov al, '+'
        call putc
        mov eax, [HDR(ramdisk_size)]
        call puthex
        mov si, HDR(s_nl)
        call puts
        ; kernel=<first bytes at 0x100000>
        mov si, HDR(s_kernel)
        call puts
        mov eax, 0x100000
        call peek16
        mov si, HDR(s_nl)
        call puts
        cmp dword [HDR(ramdisk_size)], 0
        je .done
        mov si, HDR(s_data)
        call puts
        mov eax, [HDR(ramdisk_image)]
        call peek16
        mov si, HDR(s_nl)
        call puts
.done:
        mov si, HDR(s_ok)
        call puts
        xor ax, ax
        out 0xf4, al
        jmp $
fail:
        mov si, HDR(s_fail)
        call puts
        mov al, 1
        out 0xf4, al
        jmp $

; Print 16 bytes at physical EAX (printable ones as is), via INT 15h AH=87h into `buf`.
peek16:
        mov [HDR(gdt_src) + 2], ax
        shr eax, 16
        mov [HDR(gdt_src) + 4], al
        mov [HDR(gdt_src) + 7], ah
        mov eax, ds
        shl eax, 4
        add eax, HDR(buf)
        mov [HDR(gdt_dst) + 2], ax
        shr eax, 16
        mov [HDR(gdt_dst) + 4], al
        mov [HDR(gdt_dst) + 7], ah
        push es
        mov ax, ds
        mov es, ax
        mov si, HDR(gdt)
        mov cx, 8                   ; words
        mov ah, 0x87
        int 0x15
        pop es
        jc fail
        mov si, HDR(buf)
        mov cx, 16
.b:     lodsb
        cmp al, 0x20
        jb .dot
        cmp al, 0x7e
        jbe .p
.dot:   mov al, '.'
.p:     call putc
        loop .b
        ret

puts:   lodsb
        test al, al
        jz .r
        call putc
        jmp puts
.r:     ret

putc:   push dx
        push ax
        mov dx, 0x3fd
.w:     in al, dx
        test al, 0x20
        jz .w
        pop ax
        mov dx, 0x3f8
        out dx, al
        pop dx
        ret

puthex: mov cx, 8
.h:     rol eax, 4
        push eax
        and al, 0x0f
        add al, '0'
        cmp al, '9'
        jbe .d
        add al, 'a' - '0' - 10
.d:     call putc
        pop eax
        loop .h
        ret

s_cmdline: db "cmdline=<", 0
s_close:   db ">", 13, 10, 0
s_initrd:  db "initrd=", 0
s_kernel:  db "kernel=", 0
s_data:    db "initrd-data=", 0
s_nl:      db 13, 10, 0
s_ok:      db "FAKE-BZIMAGE-OK", 13, 10, 0
s_fail:    db "FAKE-BZIMAGE-FAIL", 13, 10, 0
align 8
gdt:       times 16 db 0
gdt_src:   dw 0xffff, 0, 0x9300, 0
gdt_dst:   dw 0xffff, 0, 0x9300, 0
           times 16 db 0
buf:       times 16 db 0
        times 1536 - ($ - $$) db 0
; The "protected-mode kernel".
        db "KERNEL-PAYLOAD!!"
        times 2048 - ($ - $$) db 0
