; segments: protected-mode segmentation other than limit checks (those are
; in seglimit.asm): LAR / LSL / VERR / VERW on every kind of descriptor and
; at CPL3, ARPL, SGDT/SIDT/STR/SLDT/SMSW, non-zero data and code segment
; bases (EIP is relative to CS.base), 16-bit code segments (default operand
; size, O32 RETF back), a 16-bit stack segment (SP wraps, ESP[31:16] kept),
; conforming code called from ring 3 (CPL unchanged).
%define TEST_NAME "segments"
%include "test.inc"

S_BASED     equ SEL_FREE + 0x00         ; data, base 0x6000, limit 0xffff
S_XO        equ SEL_FREE + 0x08         ; code, execute-only
S_RO        equ SEL_FREE + 0x10         ; data, read-only, DPL3
S_LIM       equ SEL_FREE + 0x18         ; data, byte granular, limit 0x0fff, DPL3
S_GLIM      equ SEL_FREE + 0x20         ; data, 4K granular, limit 3 -> 0x3fff
S_CONF      equ SEL_FREE + 0x28         ; conforming code, DPL0
S_INTGATE   equ SEL_FREE + 0x30         ; an interrupt gate in the GDT (LAR: bad)
S_CGATE     equ SEL_FREE + 0x38         ; a call gate (LAR ok, LSL bad)
S_NP        equ SEL_FREE + 0x40         ; not-present data (LAR/LSL still ok)
S_STK16     equ SEL_FREE + 0x48         ; 16-bit stack, base 0x20000, limit 0xffff
S_CODEB     equ SEL_FREE + 0x50         ; 32-bit code, base LOW_BASE

; LAR_OK sel, expected access rights (second dword AND 0x00f0ff00; the
; accessed bit, set by segment loads, is masked: see desc_accessed.asm)
%macro LAR_OK 3
        mov eax, 0xdeadbeef
        mov ecx, %1
        lar eax, ecx
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, {%3, ": LAR ZF"}
        and eax, 0x00f0fe00
        CHECK_EQ eax, (%2) & ~0x100, {%3, ": LAR value"}
%endmacro
%macro ZF_IS 3                          ; instruction ; expected ZF ; what
        %1
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, %2, %3
%endmacro

test_main:
        SET_DESC S_BASED, 0x6000, 0xffff, ACC_DATA0, FL_16
        SET_DESC S_XO, 0, 0xfffff, 0x98, FL_32
        SET_DESC S_RO, 0, 0xfffff, 0xf0, FL_32
        SET_DESC S_LIM, 0, 0x0fff, 0xf2, 0x4            ; D/B=1, G=0
        SET_DESC S_GLIM, 0, 0x3, 0x92, FL_32            ; G=1
        SET_DESC S_CONF, 0, 0xfffff, 0x9e, FL_32        ; conforming, readable
        SET_DESC S_INTGATE, 0, 0, 0x8e, 0
        SET_DESC S_CGATE, 0, 0, 0xec, 0
        SET_DESC S_NP, 0, 0xfffff, 0x12, FL_32          ; P=0
        SET_DESC S_STK16, 0x20000, 0xffff, ACC_DATA0, FL_16
        SET_DESC S_CODEB, LOW_BASE, 0xfffff, ACC_CODE0, FL_32

        ; ---- LAR / LSL at CPL0 ---------------------------------------------------
        LAR_OK SEL_CODE32, 0x00c09a00, "flat code"
        LAR_OK SEL_DATA32, 0x00c09200, "flat data"
        LAR_OK S_LIM, 0x0040f200, "DPL3 byte-granular data"
        LAR_OK SEL_TSS32, 0x00008b00, "busy TSS"
        LAR_OK S_CGATE, 0x0000ec00, "call gate"
        LAR_OK S_NP, 0x00c01200, "not-present data"
        mov eax, 0x1234
        ZF_IS {lar eax, [lar_sel_intgate]}, 0, "LAR on an interrupt gate: ZF=0"
        CHECK_EQ eax, 0x1234, "LAR failure leaves the destination"
        ZF_IS {lar eax, [lar_sel_null]}, 0, "LAR on NULL: ZF=0"
        ZF_IS {lar eax, [lar_sel_big]}, 0, "LAR beyond the GDT limit: ZF=0"
        mov ecx, S_LIM
        ZF_IS {lsl eax, ecx}, 1, "LSL byte granular: ZF"
        CHECK_EQ eax, 0x0fff, "LSL byte granular"
        mov ecx, S_GLIM
        ZF_IS {lsl eax, ecx}, 1, "LSL 4K granular: ZF"
        CHECK_EQ eax, 0x3fff, "LSL 4K granular (limit scaled)"
        mov ecx, SEL_TSS32
        ZF_IS {lsl eax, ecx}, 1, "LSL on a TSS: ZF"
        CHECK_EQ eax, tss32_end - tss32 - 1, "LSL on a TSS"
        mov ecx, S_CGATE
        ZF_IS {lsl eax, ecx}, 0, "LSL on a call gate: ZF=0"

        ; ---- VERR / VERW ------------------------------------------------------------
        ZF_IS {verr [lar_sel_code]}, 1, "VERR readable code"
        ZF_IS {verw [lar_sel_code]}, 0, "VERW code"
        mov ax, S_XO
        ZF_IS {verr ax}, 0, "VERR execute-only code"
        mov ax, S_RO
        ZF_IS {verr ax}, 1, "VERR read-only data"
        ZF_IS {verw ax}, 0, "VERW read-only data"
        mov ax, SEL_DATA32
        ZF_IS {verw ax}, 1, "VERW writable data"
        mov ax, S_NP
        ZF_IS {verr ax}, 1, "VERR ignores the P bit"

        ; ---- ARPL ---------------------------------------------------------------------
        mov ax, 0x0010
        mov bx, 0x0003
        ZF_IS {arpl ax, bx}, 1, "ARPL raises RPL: ZF"
        movzx eax, ax
        CHECK_EQ eax, 0x0013, "ARPL raises RPL"
        mov bx, 0x0001
        ZF_IS {arpl ax, bx}, 0, "ARPL keeps a higher RPL: ZF"

        ; ---- descriptor-table registers -------------------------------------------------
        sgdt [sgdt_buf]
        movzx eax, word [sgdt_buf]
        CHECK_EQ eax, GDT_ENTRIES*8 - 1, "SGDT limit"
        CHECK_EQ dword [sgdt_buf + 2], gdt, "SGDT base"
        sidt [sgdt_buf]
        movzx eax, word [sgdt_buf]
        CHECK_EQ eax, 256*8 - 1, "SIDT limit"
        CHECK_EQ dword [sgdt_buf + 2], idt32, "SIDT base"
        mov eax, -1
        str eax
        CHECK_EQ eax, SEL_TSS32, "STR (zero-extended)"
        mov eax, -1
        sldt eax
        CHECK_EQ eax, 0, "SLDT"
        mov ebx, cr0
        smsw eax
        and ebx, 0xffff
        and eax, 0xffff
        CHECK_EQ eax, ebx, "SMSW = CR0[15:0]"

        ; ---- segment bases --------------------------------------------------------------
        mov dword [0x6010], 0x5e65e6
        mov ax, S_BASED
        mov es, ax
        mov eax, [es:0x10]
        CHECK_EQ eax, 0x5e65e6, "ES.base 0x6000 + 0x10"
        mov ax, SEL_DATA32
        mov es, ax
        ; CS.base = LOW_BASE: EIP counts from there
        jmp S_CODEB:(based_code - low_start)
based_back:
        CHECK_EQ dword [based_eip], based_code.here - low_start, "EIP relative to CS.base"
        CHECK_EQ dword [based_cs], S_CODEB, "CS in the based segment"

        ; ---- 16-bit code segment ----------------------------------------------------------
        call SEL_CODE16:LOW(code16)
        CHECK_EQ dword [LOW(c16_push)], 0x00040002, "16-bit code: push sizes"
        CHECK_EQ dword [LOW(c16_add)], 0x12340000, "16-bit code: add ax keeps EAX high"

        ; ---- 16-bit stack segment: SP wraps, ESP[31:16] untouched ----------------------
        mov [saved_esp], esp
        mov ax, S_STK16
        mov ss, ax
        mov esp, 0x12340000             ; SP = 0
        push word 0x4321                ; SP = 0xfffe, at 0x20000 + 0xfffe
        mov ebx, esp
        pop ax                          ; SP wraps back to 0
        mov ecx, esp
        mov dx, SEL_DATA32
        mov ss, dx
        mov esp, [saved_esp]
        CHECK_EQ ebx, 0x1234fffe, "16-bit SS: push decrements SP only"
        CHECK_EQ ecx, 0x12340000, "16-bit SS: pop wraps SP to 0"
        movzx eax, word [0x20000 + 0xfffe]
        CHECK_EQ eax, 0x4321, "16-bit SS: push wrote base + 0xfffe"

        ; ---- conforming code from ring 3 ---------------------------------------------------
        call to_ring3
        call S_CONF | 3:conf_target     ; same privilege: CPL stays 3
        CHECK_EQ dword [conf_cs], S_CONF | 3, "conforming code: CS.RPL = CPL = 3"
        mov ecx, SEL_DATA32
        ZF_IS {lar eax, ecx}, 0, "CPL3: LAR on DPL0 data fails"
        mov ecx, S_CONF
        ZF_IS {lar eax, ecx}, 1, "CPL3: LAR on conforming code ok"
        mov ax, SEL_DATA32
        ZF_IS {verr ax}, 0, "CPL3: VERR on DPL0 data fails"
        mov ax, S_LIM | 3
        ZF_IS {verw ax}, 1, "CPL3: VERW on DPL3 data ok"
        int VEC_RING0
        ret

conf_target:
        mov eax, cs
        mov [conf_cs], eax
        retf

section .data
align 4
lar_sel_intgate: dd S_INTGATE
lar_sel_null:   dd 0
lar_sel_big:    dd 0x1000
lar_sel_code:   dw SEL_CODE32
sgdt_buf:       times 8 db 0
saved_esp:      dd 0
conf_cs:        dd 0
based_eip:      dd 0
based_cs:       dd 0

section .lowblob
bits 32
based_code:                             ; runs with CS.base = LOW_BASE
        call .here
.here:  pop eax                         ; EIP (offset in CS), not linear
        mov [based_eip], eax            ; DS is flat
        mov eax, cs
        mov [based_cs], eax
        jmp SEL_CODE32:based_back
bits 16
code16:                                 ; 16-bit protected mode, SS still 32-bit
        mov edx, esp
        push ax
        mov ecx, edx
        sub ecx, esp
        pop ax
        mov [LOW(c16_push)], cx
        push eax                        ; 0x66 push: 4 bytes
        mov ecx, edx
        sub ecx, esp
        pop eax
        mov [LOW(c16_push) + 2], cx
        mov eax, 0x1234ffff
        add ax, 1
        mov [LOW(c16_add)], eax
        o32 retf                        ; the 32-bit caller pushed CS:EIP
align 4
c16_push:       dd 0
c16_add:        dd 0
section .text
bits 32
