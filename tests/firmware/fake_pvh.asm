; fake_pvh: the smallest ELF kernel that uses the PVH boot protocol (Xen include/public/
; arch-x86/hvm/start_info.h; Linux enters this way through arch/x86/platform/pvh/head.S), to
; test the loader against the protocol: a XEN_ELFNOTE_PHYS32_ENTRY note names the 32-bit entry.
; At entry it checks protected mode with paging off, then reads hvm_start_info at EBX and
; prints on COM1: the command line, the module (initrd) address, size and first bytes, the
; memory map entry count and its first RAM entry, and whether rsdp_paddr points at "RSD PTR ".
; Then it writes 0 to isa-debug-exit (port 0xf4): exit status 1.
bits 32
section .note.Xen note alloc noexec nowrite align=4
        dd 4, 8, 18                 ; namesz, descsz (a pointer, as Linux), XEN_ELFNOTE_PHYS32_ENTRY
        db "Xen", 0
        dq pvh_entry
section .text progbits alloc exec nowrite align=16
global pvh_entry
pvh_entry:
        mov esp, stack_top
        mov eax, cr0
        test eax, 1                 ; PE
        jz fail
        test eax, 0x80000000        ; PG must be off
        jnz fail
        cmp dword [ebx], 0x336ec578 ; hvm_start_info.magic
        jne fail
        mov ebp, ebx
        mov esi, s_cmdline
        call puts
        mov esi, [ebp + 24]         ; cmdline_paddr
        call puts
        mov esi, s_close
        call puts
        mov esi, s_mod
        call puts
        mov eax, [ebp + 12]         ; nr_modules
        call puthex
        cmp dword [ebp + 12], 0
        je .no_mod
        mov edi, [ebp + 16]         ; modlist_paddr
        mov al, ' '
        call putc
        mov eax, [edi]              ; paddr
        call puthex
        mov al, '+'
        call putc
        mov eax, [edi + 8]          ; size
        call puthex
        mov al, ' '
        call putc
        mov esi, [edi]
        mov ecx, 16
.b:     lodsb
        call putc
        loop .b
.no_mod:
        mov esi, s_nl
        call puts
        mov esi, s_map
        call puts
        mov eax, [ebp + 48]         ; memmap_entries
        call puthex
        mov edi, [ebp + 40]         ; memmap_paddr: entry 0 {addr, size, type}
        mov al, ' '
        call putc
        mov eax, [edi]
        call puthex
        mov al, '+'
        call putc
        mov eax, [edi + 8]
        call puthex
        mov al, ':'
        call putc
        mov eax, [edi + 16]
        call puthex
        mov esi, s_nl
        call puts
        mov edi, [ebp + 32]         ; rsdp_paddr
        test edi, edi
        jz fail
        cmp dword [edi], 0x20445352 ; "RSD "
        jne fail
        mov esi, s_ok
        call puts
        xor al, al
        out 0xf4, al
        jmp $
fail:   mov esi, s_fail
        call puts
        mov al, 1
        out 0xf4, al
        jmp $

puts:   lodsb
        test al, al
        jz .r
        call putc
        jmp puts
.r:     ret
putc:   push edx
        push eax
        mov dx, 0x3fd
.w:     in al, dx
        test al, 0x20
        jz .w
        pop eax
        mov dx, 0x3f8
        out dx, al
        pop edx
        ret
puthex: push ecx
        mov ecx, 8
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
        pop ecx
        ret

section .rodata
s_cmdline: db "cmdline=<", 0
s_close:   db ">", 13, 10, 0
s_mod:     db "modules=", 0
s_map:     db "memmap=", 0
s_nl:      db 13, 10, 0
s_ok:      db "FAKE-PVH-OK", 13, 10, 0
s_fail:    db "FAKE-PVH-FAIL", 13, 10, 0
section .bss
        resb 4096
stack_top:
