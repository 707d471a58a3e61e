; privilege: ring transitions and their checks.
;   IRET to ring 3; INT through a DPL3 gate (stack switch to TSS.ESP0);
;   INT through a DPL0 gate from ring 3 (#GP); privileged instructions;
;   32-bit call gate with parameter copy and RETF n to the outer ring (data
;   segment registers nulled); SYSENTER/SYSEXIT; I/O permission bitmap;
;   64-bit: IRETQ to ring 3, INT with RSP0 switch (SS = NULL), SYSCALL and
;   SYSRET (STAR/LSTAR/SFMASK) to 64-bit and compatibility mode.
; SDM Vol.3A chapter 5 "Protection", 6.12.1, Vol.2 CALL/RET/SYSENTER/SYSCALL.
%define TEST_NAME "privilege"
%include "test.inc"

SEL_CALLGATE    equ SEL_FREE + 0x00     ; 32-bit call gate, DPL3 -> ring 0
IOPORT_OK       equ 0x2e0               ; unused ports; the bitmap allows
IOPORT_DENIED   equ 0x2e1               ; 0x2df and 0x2e0 only
%assign VEC_USER 0x31                   ; DPL3 interrupt gate
%assign VEC_KERN 0x32                   ; DPL0 interrupt gate

test_main:
        SET_GATE32 VEC_USER, exc_stub_%[VEC_USER], GATE_INT32 | GATE_DPL3
        ; call gate descriptor (SDM Vol.3A 5.8.3, Figure 5-8): offset 15:0,
        ; selector, param count, type 0xc | P | DPL3, offset 31:16
        mov eax, callgate_target
        mov [gdt + SEL_CALLGATE], ax
        mov word [gdt + SEL_CALLGATE + 2], SEL_CODE32
        mov byte [gdt + SEL_CALLGATE + 4], 2            ; copy 2 dwords
        mov byte [gdt + SEL_CALLGATE + 5], 0xec         ; P, DPL3, 32-bit call gate
        shr eax, 16
        mov [gdt + SEL_CALLGATE + 6], ax

        ; ---- ring 3 via IRET ------------------------------------------------
        call to_ring3
        mov eax, cs
        CHECK_EQ eax, SEL_UCODE32 | 3, "ring 3: CS"
        mov eax, ss
        CHECK_EQ eax, SEL_UDATA | 3, "ring 3: SS"
        mov eax, esp
        CHECK_EQ eax, user_stack_top, "ring 3: ESP"

        ; INT through a DPL3 gate: stack switch to SS0:ESP0 from the TSS,
        ; frame = EIP CS EFLAGS ESP SS (SDM Vol.3A 6.12.1, Figure 6-4)
        mov ebx, esp
        EXPECT_TRAP VEC_USER, int VEC_USER
        CHECK_EQ dword [fault_frame], ring0_stack_top - 20, "INT: frame at TSS.ESP0"
        CHECK_EQ dword [fault_cs], SEL_UCODE32 | 3, "INT: saved CS"
        CHECK_EQ dword [fault_ss], SEL_UDATA | 3, "INT: saved SS"
        CHECK_EQ dword [fault_esp], ebx, "INT: saved ESP"
        ; INT n / INT3 through a DPL0 gate from CPL3: #GP(vector*8 + 2)
        EXPECT_FAULT 13, VEC_KERN*8 + 2, int VEC_KERN
        EXPECT_FAULT 13, 3*8 + 2, int3
        ; privileged instructions at CPL3: #GP(0)
        EXPECT_FAULT 13, 0, cli                 ; IOPL=0 < CPL
        EXPECT_FAULT 13, 0, hlt
        EXPECT_FAULT 13, 0, mov cr0, eax
        EXPECT_FAULT 13, 0, lgdt [gdtr]
        EXPECT_FAULT 13, 0, wrmsr
        EXPECT_FAULT 13, 0, mov dr7, eax
        ; a DPL0 data segment cannot be loaded at CPL3
        mov ax, SEL_DATA32 | 3
        EXPECT_FAULT 13, SEL_DATA32, mov ds, ax
        ; nor jumped to directly: ring 0 code needs a gate
        EXPECT_FAULT 13, SEL_CODE32, jmp SEL_CODE32:0

        ; ---- call gate with parameter copy (SDM Vol.3A 5.8.5, Figure 5-13)
        mov ax, SEL_UDATA | 3
        mov es, ax
        push dword 0x1111
        push dword 0x2222
        mov [cg_user_esp], esp
        call SEL_CALLGATE | 3:0         ; offset is ignored
        mov eax, esp
        mov ebx, cs
        mov ecx, es
        mov edx, ds
        CHECK_EQ eax, user_stack_top, "call gate: RETF 8 released the params"
        CHECK_EQ ebx, SEL_UCODE32 | 3, "call gate: back in ring 3"
        CHECK_EQ ecx, 0, "RETF to CPL3: ES (DPL0) nulled"
        CHECK_EQ edx, SEL_UDATA | 3, "RETF to CPL3: DS (DPL3) kept"
        CHECK_EQ dword [cg_esp], ring0_stack_top - 24, "call gate: new stack at ESP0"
        CHECK_EQ dword [cg_cs], SEL_UCODE32 | 3, "call gate: pushed CS"
        CHECK_EQ dword [cg_p0], 0x2222, "call gate: param 0 copied"
        CHECK_EQ dword [cg_p1], 0x1111, "call gate: param 1 copied"
        mov eax, [cg_user_esp]
        CHECK_EQ dword [cg_oesp], eax, "call gate: pushed outer ESP"
        CHECK_EQ dword [cg_oss], SEL_UDATA | 3, "call gate: pushed outer SS"
        CHECK_EQ dword [cg_cpl], SEL_CODE32, "call gate: target CS (CPL0)"
        mov ax, SEL_UDATA | 3
        mov es, ax

        ; ---- I/O permission bitmap with IOPL=0 (SDM Vol.1 18.5.2) -----------
        int VEC_RING0
        and byte [tss32_iomap + (IOPORT_OK >> 3)], ~(1 << (IOPORT_OK & 7))
        and byte [tss32_iomap + ((IOPORT_OK-1) >> 3)], ~(1 << ((IOPORT_OK-1) & 7))
        call to_ring3
        mov dx, IOPORT_OK
        mov ebx, [fault_count]
        in al, dx                       ; allowed by the bitmap
        out dx, al
        dec dx
        in ax, dx                       ; 0x2df and 0x2e0: both allowed
        CHECK_EQ ebx, dword [fault_count], "CPL3 IN/OUT to bitmap-allowed ports"
        mov dx, IOPORT_DENIED
        EXPECT_FAULT 13, 0, in al, dx
        EXPECT_FAULT 13, 0, out dx, al
        mov dx, IOPORT_OK
        EXPECT_FAULT 13, 0, in ax, dx   ; second byte (0x2e1) denied
        EXPECT_FAULT 13, 0, in al, 0x80 ; denied, immediate form
        ; IOPL=3: no bitmap check, CLI allowed
        int VEC_RING0
        pushfd
        or dword [esp], 3 << 12
        popfd
        call to_ring3
        mov ebx, [fault_count]
        mov dx, IOPORT_DENIED
        in al, dx
        cli
        CHECK_EQ ebx, dword [fault_count], "IOPL=3: IN and CLI allowed"
        int VEC_RING0
        pushfd
        and dword [esp], ~(3 << 12)
        popfd

        ; ---- SYSENTER / SYSEXIT (CPUID.1:EDX.SEP[11]) -----------------------
        mov eax, 1
        cpuid
        test edx, 1 << 11
        jz .no_sep
        mov ecx, 0x174                  ; IA32_SYSENTER_CS
        xor edx, edx
        mov eax, SEL_CODE32
        wrmsr
        inc ecx                         ; IA32_SYSENTER_ESP
        mov eax, sysenter_stack_top
        wrmsr
        inc ecx                         ; IA32_SYSENTER_EIP
        mov eax, sysenter_target
        wrmsr
        call to_ring3
        mov ecx, esp                    ; SYSEXIT: ESP <- ECX, EIP <- EDX
        mov edx, .after_sysexit
        sysenter
        CHECK_FAIL "SYSENTER returned to the next instruction"
.after_sysexit:
        mov eax, cs
        mov ebx, ss
        CHECK_EQ eax, SEL_UCODE32 | 3, "SYSEXIT: CS = SYSENTER_CS+16 | 3"
        CHECK_EQ ebx, SEL_UDATA | 3, "SYSEXIT: SS = SYSENTER_CS+24 | 3"
        CHECK_EQ esp, user_stack_top, "SYSEXIT: ESP = ECX"
        CHECK_EQ dword [se_cs], SEL_CODE32, "SYSENTER: CS"
        CHECK_EQ dword [se_ss], SEL_DATA32, "SYSENTER: SS = CS+8"
        CHECK_EQ dword [se_esp], sysenter_stack_top, "SYSENTER: ESP"
        int VEC_RING0
.no_sep:

        ; ---- 64-bit mode ----------------------------------------------------
        call enter_long
bits 64
        SET_GATE64 VEC_USER, user_gate64, GATE64_INT | GATE_DPL3
        call to_ring3_64
        mov eax, cs
        CHECK_EQ rax, SEL_UCODE64 | 3, "64 ring 3: CS"
        mov rbx, rsp
        EXPECT_TRAP VEC_USER, int VEC_USER
        CHECK_EQ qword [fault_frame], ring0_stack_top - 40, "64 INT: frame at RSP0"
        CHECK_EQ qword [fault_esp], rbx, "64 INT: saved RSP"
        CHECK_EQ qword [fault_ss], SEL_UDATA | 3, "64 INT: saved SS"
        CHECK_EQ qword [h64_ss], 0, "64 INT: SS is NULL after CPL change"
        EXPECT_FAULT 13, 0, mov cr3, rax
        EXPECT_FAULT 13, 0, hlt
        mov dx, IOPORT_OK
        EXPECT_FAULT 13, 0, in al, dx   ; no I/O bitmap in tss64
        int VEC_RING0

        ; SYSCALL / SYSRET (SDM Vol.2B): EFER.SCE, STAR, LSTAR, SFMASK
        mov ecx, 0xc0000080
        rdmsr
        or eax, 1                       ; SCE
        wrmsr
        mov ecx, 0xc0000081             ; STAR
        xor eax, eax
        mov edx, (SEL_UCODE32 << 16) | SEL_CODE64
        wrmsr
        mov ecx, 0xc0000082             ; LSTAR
        mov eax, syscall_target
        xor edx, edx
        wrmsr
        mov ecx, 0xc0000084             ; SFMASK: clear DF and AC
        mov eax, 0x40400
        wrmsr
        call to_ring3_64
        pushfq
        or qword [rsp], 0x40400         ; DF=1, AC=1 (CR0.AM=0: no #AC)
        popfq
        mov rbx, rsp
        syscall
.after_syscall:
        pushfq
        pop rdx
        cld
        mov eax, cs
        mov ecx, ss
        CHECK_EQ rax, SEL_UCODE64 | 3, "SYSRET: CS = STAR[63:48]+16 | 3"
        CHECK_EQ rcx, SEL_UDATA | 3, "SYSRET: SS = STAR[63:48]+8 | 3"
        and edx, 0x40400
        CHECK_EQ rdx, 0x40400, "SYSRET: RFLAGS = R11"
        CHECK_EQ rsp, rbx, "SYSRET: RSP unchanged"
        CHECK_EQ qword [sc_rcx], .after_syscall, "SYSCALL: RCX = next RIP"
        mov rax, [sc_r11]
        and eax, 0x40400
        CHECK_EQ rax, 0x40400, "SYSCALL: R11 = RFLAGS"
        mov rax, [sc_rflags]
        and eax, 0x40400
        CHECK_EQ rax, 0, "SYSCALL: RFLAGS &= ~SFMASK"
        CHECK_EQ qword [sc_cs], SEL_CODE64, "SYSCALL: CS = STAR[47:32]"
        CHECK_EQ qword [sc_ss], SEL_DATA64, "SYSCALL: SS = STAR[47:32]+8"
        ; SYSRET without REX.W returns to compatibility mode
        mov byte [sc_to_compat], 1
        syscall
bits 32
.compat3:
        mov eax, cs
        CHECK_EQ eax, SEL_UCODE32 | 3, "SYSRET (32-bit): CS = STAR[63:48] | 3"
        mov edx, esp
        push eax                        ; 4-byte push: compatibility mode
        sub edx, esp
        pop eax
        CHECK_EQ edx, 4, "SYSRET (32-bit): compatibility mode"
        int VEC_RING0                   ; -> ring 0, compatibility mode
        mov eax, cs
        CHECK_EQ eax, SEL_CODE32, "ring 0 in compatibility mode"
        jmp SEL_CODE64:.back64
bits 64
.back64:
        mov eax, cs
        CHECK_EQ rax, SEL_CODE64, "back to 64-bit ring 0"
        call leave_long
bits 32
        ret

; ---- ring-0 targets ----------------------------------------------------------
callgate_target:                        ; CPL0 through the call gate
        mov [cg_esp], esp
        mov eax, [esp+4]
        mov [cg_cs], eax
        mov eax, [esp+8]
        mov [cg_p0], eax
        mov eax, [esp+12]
        mov [cg_p1], eax
        mov eax, [esp+16]
        mov [cg_oesp], eax
        mov eax, [esp+20]
        mov [cg_oss], eax
        mov eax, cs
        mov [cg_cpl], eax
        mov ax, SEL_DATA32              ; DPL0: must be nulled by the RETF
        mov es, ax
        retf 8

sysenter_target:
        mov [se_esp], esp
        mov eax, cs
        mov [se_cs], eax
        mov eax, ss
        mov [se_ss], eax
        sysexit

bits 64
user_gate64:                            ; record SS, then the generic path
        push rax
        mov eax, ss
        mov [h64_ss], rax
        pop rax
        jmp exc64_stub_%[VEC_USER]
syscall_target:
        mov [sc_rcx], rcx
        mov [sc_r11], r11
        pushfq
        pop rax
        mov [sc_rflags], rax
        mov eax, cs
        mov [sc_cs], rax
        mov eax, ss
        mov [sc_ss], rax
        cmp byte [sc_to_compat], 0
        jne .compat
        o64 sysret
.compat:
        mov ecx, test_main.compat3
        sysret                          ; 32-bit form
bits 32

section .data
align 8
cg_user_esp:    dd 0
cg_esp:         dd 0
cg_cs:          dd 0
cg_p0:          dd 0
cg_p1:          dd 0
cg_oesp:        dd 0
cg_oss:         dd 0
cg_cpl:         dd 0
se_esp:         dd 0
se_cs:          dd 0
se_ss:          dd 0
h64_ss:         dq -1
sc_rcx:         dq 0
sc_r11:         dq 0
sc_rflags:      dq 0
sc_cs:          dq 0
sc_ss:          dq 0
sc_to_compat:   db 0
section .bss
alignb 16
                resb 1024
sysenter_stack_top:
section .text
