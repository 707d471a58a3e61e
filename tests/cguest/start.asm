; The bare-metal start of the C guests (tests/cguest): a PVH ELF (Xen start_info.h; the note
; below names the 32-bit entry), so `vireo -kernel` and `qemu-system-x86_64 -kernel` boot it
; through their PVH option ROMs. From 32-bit protected mode it turns on the FPU and SSE (CR0.MP,
; CR4.OSFXSR/OSXMMEXCPT), and XSAVE with x87|SSE|AVX state when CPUID has AVX (CR4.OSXSAVE,
; XCR0 = 7), enters 64-bit mode with the first GiB identity-mapped, calls guest_main() and
; reports its return value through isa-debug-exit (port 0xf4).
%include "long_mode.inc"
bits 32
section .note.Xen note alloc noexec nowrite align=4
        dd 4, 8, 18                 ; namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY
        db "Xen", 0
        dq pvh_entry

section .text
global pvh_entry
extern guest_main
pvh_entry:
        mov esp, stack_top
        mov eax, cr0
        and eax, ~(1 << 2)          ; EM = 0
        or eax, (1 << 1) | (1 << 5) ; MP, NE
        mov cr0, eax
        mov eax, cr4
        or eax, (1 << 9) | (1 << 10) ; OSFXSR, OSXMMEXCPT
        mov cr4, eax
        mov eax, 1
        cpuid
        test ecx, 1 << 28           ; AVX (and so XSAVE)
        jz .no_avx
        mov eax, cr4
        or eax, 1 << 18             ; OSXSAVE
        mov cr4, eax
        xor ecx, ecx
        xor edx, edx
        mov eax, 7                  ; x87 | SSE | AVX
        xsetbv
.no_avx:
        ENTER_LONG_MODE pml4, pdpt, pd, gdt, long64
bits 64
long64:
        mov rsp, stack_top
        call guest_main
        out 0xf4, al                ; isa-debug-exit: status (al << 1) | 1
        hlt

section .data
FLAT_GDT gdt

section .bss
alignb 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4096
        resb 65536
stack_top:
