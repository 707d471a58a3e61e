; Benchmark guest: one CPU-bound loop in 64-bit mode, then isa-debug-exit. Built three times
; with -DKERNEL=0/1/2 (integer / memory / call-ret), the same loops as tier0_bench.cc, so
; Vireo and QEMU run identical guest code: tools/bench-vs-qemu times both.
bits 32
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003
%ifndef ITERS
%define ITERS 100000000
%endif

section .multiboot
align 4
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

section .text
global _start
_start:
        mov esp, stack_top
        ; identity-map 1 GiB with 2 MiB pages and enter 64-bit mode
        mov dword [pml4], pdpt + 3
        mov dword [pdpt], pd + 3
        xor ecx, ecx
.map:   mov eax, ecx
        shl eax, 21
        or eax, 0x83
        mov [pd + ecx * 8], eax
        inc ecx
        cmp ecx, 512
        jb .map
        lgdt [gdt_ptr]
        mov eax, cr4
        or eax, 1 << 5
        mov cr4, eax
        mov eax, pml4
        mov cr3, eax
        mov ecx, 0xc0000080
        rdmsr
        or eax, 1 << 8
        wrmsr
        mov eax, cr0
        or eax, 1 << 31
        mov cr0, eax
        jmp 0x18:long64
bits 64
long64:
        mov rsp, stack_top
        mov rcx, ITERS
        xor eax, eax
        xor edx, edx
        mov rsi, buffer
%if KERNEL == 0
.l:     add rax, rcx
        xor rdx, rax
        shl rdx, 1
        dec rcx
        jnz .l
%elif KERNEL == 1
.l:     mov rdi, rcx
        and rdi, 0xffff8
        mov rax, [rsi + rdi]
        add rax, rcx
        mov [rsi + rdi], rax
        dec rcx
        jnz .l
%else
.l:     call .f
        dec rcx
        jnz .l
        jmp .done
.f:     inc rax
        ret
%endif
.done:
        mov al, 0
        out 0xf4, al
        hlt

section .data
align 8
gdt:        dq 0
            dq 0x00cf9a000000ffff
            dq 0x00cf92000000ffff
            dq 0x00af9a000000ffff
gdt_ptr:    dw gdt_ptr - gdt - 1
            dd gdt

section .bss
alignb 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096
buffer: resb 1 << 20
        resb 16384
stack_top:
