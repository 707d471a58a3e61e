; modes: protected -> real -> protected -> 64-bit -> compatibility -> 64-bit
; -> protected, with a mode-specific computation checked in each.
%define TEST_NAME "modes"
%include "test.inc"

SCRATCH equ 0x6000                      ; low scratch for real-mode checks

test_main:
        ; ---- 32-bit protected mode ----------------------------------------
        mov eax, 0x1234ffff
        add ax, 1                       ; 16-bit op: carry out of bit 15 only
        setc bl
        movzx ebx, bl
        CHECK_EQ eax, 0x12340000, "pm32: add ax keeps upper EAX"
        CHECK_EQ ebx, 1, "pm32: add ax carry"
        mov edx, esp
        push ax                         ; 66 push: 2 bytes
        mov ecx, edx
        sub ecx, esp
        pop ax
        CHECK_EQ ecx, 2, "pm32: o16 push size"
        push eax
        mov ecx, edx
        sub ecx, esp
        pop eax
        CHECK_EQ ecx, 4, "pm32: push size"
        ; 16-bit addressing in 32-bit code: (BX+SI) wraps at 64 KiB
        mov dword [SCRATCH + 0x10], 0xa5a5f00d
        mov ebx, 0x1234fff0             ; only BX is used
        mov esi, 0x00000020
        a16 mov eax, [bx+si]            ; 0xfff0 + 0x20 = 0x10010 -> 0x0010
        CHECK_EQ eax, dword [0x10], "pm32: a16 [bx+si] wraps to 0x0010"
        mov ecx, [SCRATCH + 0x10]
        CHECK_EQ ecx, 0xa5a5f00d, "pm32: scratch"

        ; ---- real-address mode --------------------------------------------
        mov byte [SCRATCH + 1], 0x5a
        mov byte [SCRATCH + 0x10000 + 3], 0x77
        mov dword [unreal_target], 0
        mov eax, LOW(rm_main)
        call call_real
        ; results
        CHECK_EQ dword [LOW(r_wrap_rd)], 0x5a, "rm: [bx+si] 0xffff+2 reads offset 1"
        movzx eax, byte [SCRATCH + 3]
        CHECK_EQ eax, 0xc3, "rm: [bx+si] wrapped write lands at offset 3"
        movzx eax, byte [SCRATCH + 0x10000 + 3]
        CHECK_EQ eax, 0x77, "rm: no write past the 64 KiB segment"
        CHECK_EQ dword [SCRATCH + 0x465], 0x600dcafe, "rm: ES=0x612:0x345 is linear 0x6465"
        CHECK_EQ dword [LOW(r_alias)], 0x600dcafe, "rm: read back via DS=0x646:0x5"
        CHECK_EQ dword [LOW(r_rol)], 0xabcdef89, "rm: o32 rol eax"
        CHECK_EQ dword [LOW(r_pushsz)], 0x00040002, "rm: push sizes (o32 push=4, push=2)"
        CHECK_EQ dword [LOW(r_incwrap)], 0x00010000, "rm: inc ax 0xffff -> 0, ZF"
        CHECK_EQ dword [LOW(r_int_ip)], LOW(rm_after_int), "rm: INT pushed IP of next insn"
        CHECK_EQ dword [LOW(r_int_cs)], 0, "rm: INT pushed CS"
        CHECK_EQ dword [LOW(r_int_fl)], 0x0001, "rm: INT pushed FLAGS (CF=1), IF cleared"
        CHECK_EQ dword [LOW(r_int_ret)], 0x4242, "rm: handler ran, IRET returned"
        CHECK_EQ dword [unreal_target], 0x0ddba11, "rm: unreal FS a32 store above 1 MiB"
        CHECK_EQ dword [LOW(r_unreal_rd)], 0x0ddba11, "rm: unreal FS a32 load above 1 MiB"
        ; back in protected mode: things still work
        mov eax, cr0
        and eax, 1
        CHECK_EQ eax, 1, "pm: CR0.PE set again"
        EXPECT_FAULT 6, NOERR, ud2

        ; ---- 64-bit mode ----------------------------------------------------
        call enter_long
bits 64
        mov ecx, 0xc0000080
        rdmsr
        and eax, 0x500
        CHECK_EQ rax, 0x500, "lm: EFER.LME and EFER.LMA"
        mov rax, 0x123456789abcdef0
        ror rax, 16
        mov rbx, 0xdef0123456789abc
        CHECK_EQ rax, rbx, "lm: 64-bit ror"
        mov rax, -1
        mov eax, 1                      ; 32-bit writes zero-extend
        CHECK_EQ rax, 1, "lm: mov eax zero-extends"
        mov rax, -1
        mov ax, 1                       ; 16-bit writes merge
        CHECK_EQ rax, -0xffff, "lm: mov ax merges"
        mov rdx, rsp
        push rax
        mov rcx, rdx
        sub rcx, rsp
        pop rax
        CHECK_EQ rcx, 8, "lm: push size"
        push ax
        mov rcx, rdx
        sub rcx, rsp
        pop ax
        CHECK_EQ rcx, 2, "lm: o16 push size"
        lea rax, [rel lm_data]          ; RIP-relative
        mov ebx, lm_data
        CHECK_EQ rax, rbx, "lm: RIP-relative lea"
        mov rax, [rel lm_data]
        mov rbx, 0x8877665544332211
        CHECK_EQ rax, rbx, "lm: RIP-relative load"
        mov r8d, -5
        movsxd r9, r8d
        CHECK_EQ r9, -5, "lm: movsxd / r8-r15"
        mov eax, 1
        db 0x48, 0xff, 0xc8             ; REX.W dec rax (0x48 is REX here)
        CHECK_EQ rax, 0, "lm: 0x48 is REX.W"

        ; ---- compatibility mode (CS.L=0 while EFER.LMA=1) -------------------
        push SEL_CODE32
        push compat
        retfq
bits 32
compat:
        mov eax, 5
        db 0x48                         ; DEC EAX in compatibility mode
        CHECK_EQ eax, 4, "compat: 0x48 is DEC EAX"
        mov edx, esp
        push eax
        mov ecx, edx
        sub ecx, esp
        pop eax
        CHECK_EQ ecx, 4, "compat: push size"
        mov eax, cs
        CHECK_EQ eax, SEL_CODE32, "compat: CS"
        mov ecx, 0xc0000080
        rdmsr
        and eax, 0x400
        CHECK_EQ eax, 0x400, "compat: EFER.LMA still set"
        ; an exception in compatibility mode goes through the 64-bit IDT
        EXPECT_TRAP 3, int3
        CHECK_EQ dword [fault_cs], SEL_CODE32, "compat: #BP frame CS"
        jmp SEL_CODE64:back64
bits 64
back64:
        mov rax, 0x100000000
        add rax, rax
        shr rax, 33
        CHECK_EQ rax, 1, "lm: 64-bit again after compatibility mode"
        mov eax, cs
        CHECK_EQ rax, SEL_CODE64, "lm: CS"
        call leave_long
bits 32
        mov ecx, 0xc0000080
        rdmsr
        and eax, 0x500
        CHECK_EQ eax, 0, "pm: EFER.LME/LMA clear after leaving long mode"
        mov eax, 0x7fffffff
        inc eax
        CHECK_EQ eax, 0x80000000, "pm: 32-bit arithmetic"
        ret

section .data
align 8
lm_data:        dq 0x8877665544332211
section .bss
alignb 4
unreal_target:  resd 1

; ---- real-mode code (runs at LOW_BASE with CS=DS=ES=SS=0) -------------------
section .lowblob
bits 16
rm_main:
        ; 16-bit effective address wraps within the segment
        mov ax, SCRATCH >> 4
        mov ds, ax
        mov bx, 0xffff
        mov si, 2
        movzx edx, byte [bx+si]         ; (0xffff + 2) & 0xffff = 1
        mov cx, 0
        mov ds, cx
        mov [LOW(r_wrap_rd)], edx
        mov ds, ax
        mov si, 4
        mov byte [bx+si], 0xc3          ; offset 3
        xor ax, ax
        mov ds, ax
        ; segment arithmetic: linear = seg * 16 + offset
        mov ax, 0x0612
        mov es, ax
        mov dword [es:0x0345], 0x600dcafe
        mov ax, 0x0646
        mov fs, ax
        mov eax, [fs:0x0005]
        mov [LOW(r_alias)], eax
        xor ax, ax
        mov es, ax
        mov fs, ax
        ; 32-bit operand size via 0x66 prefix
        mov eax, 0x89abcdef
        rol eax, 8
        mov [LOW(r_rol)], eax
        ; push sizes
        mov dx, sp
        o32 push eax
        mov cx, dx
        sub cx, sp
        mov [LOW(r_pushsz) + 2], cx
        o32 pop eax
        push ax
        mov cx, dx
        sub cx, sp
        mov [LOW(r_pushsz)], cx
        pop ax
        ; 16-bit wrap and flags
        mov ax, 0xffff
        inc ax
        setz bl
        mov [LOW(r_incwrap)], ax
        mov [LOW(r_incwrap) + 2], bl
        ; real-mode INT n through the IVT (SDM Vol.3A 20.1.4)
        mov eax, [0x42 * 4]             ; save vector 0x42
        push eax
        mov word [0x42 * 4], LOW(rm_int42)
        mov word [0x42 * 4 + 2], 0
        mov ax, 0x1111
        stc                             ; IF=0 (never enabled), CF=1
        int 0x42
rm_after_int:
        mov [LOW(r_int_ret)], ax
        pop eax
        mov [0x42 * 4], eax
        ; unreal mode: load FS in protected mode with a 4 GiB limit, return to
        ; real mode keeping the descriptor cache (SDM Vol.3A 9.9.2 note on
        ; segment attributes), then use a 32-bit address above 1 MiB.
        mov eax, cr0
        or al, 1
        mov cr0, eax
        mov bx, SEL_DATA32
        mov fs, bx
        and al, ~1
        mov cr0, eax
        mov edi, unreal_target
        mov dword [fs:edi], 0x0ddba11
        mov eax, [fs:edi]
        mov [LOW(r_unreal_rd)], eax
        ret

rm_int42:
        push bp
        mov bp, sp
        movzx ecx, word [bp+2]          ; IP
        mov [LOW(r_int_ip)], ecx
        movzx ecx, word [bp+4]          ; CS
        mov [LOW(r_int_cs)], ecx
        movzx ecx, word [bp+6]          ; FLAGS as pushed
        and ecx, 0x0201                 ; keep IF, CF
        mov [LOW(r_int_fl)], ecx
        pushf
        pop cx
        mov ax, 0x4242
        pop bp
        iret

align 4
r_wrap_rd:      dd 0
r_alias:        dd 0
r_rol:          dd 0
r_pushsz:       dd 0
r_incwrap:      dd 0
r_int_ip:       dd 0
r_int_cs:       dd 0
r_int_fl:       dd 0
r_int_ret:      dd 0
r_unreal_rd:    dd 0
section .text
bits 32
