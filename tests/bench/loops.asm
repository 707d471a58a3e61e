; Benchmark guest: one CPU-bound loop in 64-bit mode, then isa-debug-exit. Built four times
; with -DKERNEL=0/1/2/3 (integer / memory / call-ret / scalar SSE2 floating point), the same
; loops as tier0_bench.cc, so
; Vireo and QEMU run identical guest code: tools/bench-vs-qemu times both.
%include "long_mode.inc"
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
        ENTER_LONG_MODE pml4, pdpt, pd, gdt, long64
bits 64
long64:
        mov esp, stack_top          ; zero-extends: the stack is below 4 GiB
        mov rcx, ITERS
        xor eax, eax
        xor edx, edx
        mov esi, buffer
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
%elif KERNEL == 2
.l:     call .f
        dec rcx
        jnz .l
        jmp .done
.f:     inc rax
        ret
%else
        mov rax, cr0
        and eax, ~(1 << 2)          ; EM = 0
        or eax, 1 << 1              ; MP = 1
        mov cr0, rax
        mov rax, cr4
        or eax, (1 << 9) | (1 << 10) ; OSFXSR, OSXMMEXCPT
        mov cr4, rax
        mov rax, 0x3ff8000000000000 ; 1.5
        movq xmm2, rax
.l:     cvtsi2sd xmm1, rcx
        mulsd xmm1, xmm2
        addsd xmm0, xmm1
        dec rcx
        jnz .l
%endif
.done:
        mov al, 0
        out 0xf4, al
        hlt

section .data
FLAT_GDT gdt

section .bss
alignb 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096
buffer: resb 1 << 20
        resb 16384
stack_top:
