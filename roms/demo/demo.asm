; The interim default guest of `make run`: a Multiboot kernel with a tiny line shell on COM1.
; It exercises the CPU core from a terminal until the Linux guest exists (issue "Linux
; end-to-end"). Commands: help, cpuid, long (enter 64-bit mode and back), exit.
%include "long_mode.inc"
bits 32
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003
COM1     equ 0x3f8

section .multiboot
align 4
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

section .text
global _start
_start:
        mov esp, stack_top
        mov esi, banner
        call puts
prompt:
        mov esi, prompt_str
        call puts
        mov edi, line
.read:  call getc
        cmp al, 13
        je .done
        cmp al, 10
        je .done
        cmp al, 8
        je .bs
        cmp al, 127
        je .bs
        cmp edi, line + 62
        jae .read
        stosb
        call putc
        jmp .read
.bs:    cmp edi, line
        je .read
        dec edi
        mov esi, bs_str
        call puts
        jmp .read
.done:  mov byte [edi], 0
        mov esi, crlf
        call puts
        mov esi, line
        mov edi, cmd_help
        call streq
        je do_help
        mov edi, cmd_cpuid
        call streq
        je do_cpuid
        mov edi, cmd_long
        call streq
        je do_long
        mov edi, cmd_exit
        call streq
        je do_exit
        cmp byte [line], 0
        je prompt
        mov esi, unknown
        call puts
        jmp prompt

do_help:
        mov esi, help_str
        call puts
        jmp prompt

do_cpuid:
        xor eax, eax
        cpuid
        mov [vendor], ebx
        mov [vendor + 4], edx
        mov [vendor + 8], ecx
        mov esi, vendor_pre
        call puts
        mov esi, vendor
        call puts
        mov esi, crlf
        call puts
        jmp prompt

do_long:
        ; Enter 64-bit mode, compute, come back (roms/include/long_mode.inc).
        ENTER_LONG_MODE pml4, pdpt, pd, gdt, .in64
bits 64
.in64:  mov rax, 0x0123456789abcdef
        bswap rax
        mov [rel long_result], rax
        push 0x08
        lea rax, [rel .back32]
        push rax
        retfq
bits 32
.back32:
        mov eax, cr0
        and eax, ~(1 << 31)
        mov cr0, eax
        mov ecx, 0xc0000080
        rdmsr
        and eax, ~(1 << 8)
        wrmsr
        mov esi, long_msg
        call puts
        mov eax, [long_result + 4]
        call puthex
        mov eax, [long_result]
        call puthex
        mov esi, crlf
        call puts
        jmp prompt

do_exit:
        mov esi, bye
        call puts
        mov al, 0
        out 0xf4, al        ; isa-debug-exit, when present
        cli
.h:     hlt
        jmp .h

; ---- helpers ----
streq:  ; compare [esi] with [edi]; ZF=1 if equal. Preserves esi.
        push esi
.l:     mov al, [esi]
        cmp al, [edi]
        jne .ne
        test al, al
        jz .eq
        inc esi
        inc edi
        jmp .l
.ne:    pop esi
        or esp, esp          ; ZF=0
        ret
.eq:    pop esi
        cmp eax, eax         ; ZF=1
        ret

putc:   push edx
        push eax
        mov dx, COM1 + 5
.w:     in al, dx
        test al, 0x20
        jz .w
        pop eax
        mov dx, COM1
        out dx, al
        pop edx
        ret

getc:   push edx
        mov dx, COM1 + 5
.w:     in al, dx
        test al, 1
        jz .w
        mov dx, COM1
        in al, dx
        pop edx
        ret

puts:   lodsb
        test al, al
        jz .e
        call putc
        jmp puts
.e:     ret

puthex: mov ecx, 8
.l:     rol eax, 4
        push eax
        and al, 15
        add al, '0'
        cmp al, '9'
        jbe .d
        add al, 7
.d:     call putc
        pop eax
        loop .l
        ret

section .data
banner:     db 13, 10, "Vireo demo guest: a Multiboot kernel on the tier-0 CPU core.", 13, 10
            db "(The Linux default guest arrives with the Linux end-to-end issue.)", 13, 10
            db "Type 'help'.", 13, 10, 0
prompt_str: db "vireo> ", 0
bs_str:     db 8, " ", 8, 0
crlf:       db 13, 10, 0
unknown:    db "unknown command; try 'help'", 13, 10, 0
help_str:   db "help   this text", 13, 10, "cpuid  show the CPU vendor", 13, 10
            db "long   enter 64-bit mode, compute, come back", 13, 10, "exit   power off", 13, 10, 0
vendor_pre: db "CPU vendor: ", 0
long_msg:   db "64-bit mode ran: bswap(0x0123456789abcdef) = 0x", 0
bye:        db "bye", 13, 10, 0
cmd_help:   db "help", 0
cmd_cpuid:  db "cpuid", 0
cmd_long:   db "long", 0
cmd_exit:   db "exit", 0
FLAT_GDT gdt

section .bss
alignb 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096
vendor: resb 16
line:   resb 64
long_result: resq 1
        resb 8192
stack_top:
