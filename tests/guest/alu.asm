; alu: integer instructions an emulator commonly gets subtly wrong (only
; architecturally defined results and flags are compared):
; CMPXCHG/CMPXCHG8B/CMPXCHG16B, XADD, XCHG, BSWAP, BT/BTS/BTR/BTC with
; memory bit offsets beyond the operand (also negative) and masked
; immediates, shift/rotate count masking (and count 0 keeping flags), SHLD,
; MUL/IMUL CF/OF, DIV/IDIV truncation, BCD adjust, NEG/INC carry rules,
; BSF/BSR, CBW..CQO, XLAT, 16-bit LEA wrap, and 64-bit zero-extension traps
; (XCHG EAX,EAX is NOP; CMOVcc with a false condition still zero-extends).
%define TEST_NAME "alu"
%include "test.inc"

test_main:
        ; ---- CMPXCHG / CMPXCHG8B --------------------------------------------------
        mov dword [m32], 5
        mov eax, 5
        mov ecx, 9
        cmpxchg [m32], ecx
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "CMPXCHG equal: ZF"
        CHECK_EQ dword [m32], 9, "CMPXCHG equal: stored"
        mov eax, 4
        cmpxchg [m32], ecx
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, 0, "CMPXCHG differ: ZF"
        CHECK_EQ eax, 9, "CMPXCHG differ: EAX = memory"
        mov dword [m64], 0x22222222
        mov dword [m64 + 4], 0x11111111
        mov eax, 0x22222222
        mov edx, 0x11111111
        mov ebx, 0x44444444
        mov ecx, 0x33333333
        lock cmpxchg8b [m64]
        setz al
        movzx eax, al
        CHECK_EQ eax, 1, "CMPXCHG8B equal: ZF"
        CHECK_EQ dword [m64], 0x44444444, "CMPXCHG8B equal: low"
        CHECK_EQ dword [m64 + 4], 0x33333333, "CMPXCHG8B equal: high"
        xor eax, eax
        xor edx, edx
        cmpxchg8b [m64]
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, 0, "CMPXCHG8B differ: ZF"
        CHECK_EQ eax, 0x44444444, "CMPXCHG8B differ: EAX"
        CHECK_EQ edx, 0x33333333, "CMPXCHG8B differ: EDX"

        ; ---- XADD / XCHG / BSWAP ----------------------------------------------------
        mov dword [m32], 0xfffffffe
        mov eax, 3
        lock xadd [m32], eax
        setc bl
        movzx ebx, bl
        CHECK_EQ eax, 0xfffffffe, "XADD: old value in source"
        CHECK_EQ dword [m32], 1, "XADD: sum in destination"
        CHECK_EQ ebx, 1, "XADD: CF from the addition"
        mov eax, 0x12345678
        xchg [m32], eax
        CHECK_EQ eax, 1, "XCHG mem"
        CHECK_EQ dword [m32], 0x12345678, "XCHG mem: stored"
        mov eax, 0x11223344
        bswap eax
        CHECK_EQ eax, 0x44332211, "BSWAP"

        ; ---- BT family on memory: bit offset beyond the operand ---------------------
        mov dword [bits_buf - 4], 0
        mov dword [bits_buf], 0
        mov dword [bits_buf + 4], 0
        mov eax, 35                     ; dword at +4, bit 3
        bts [bits_buf], eax
        CHECK_EQ dword [bits_buf + 4], 8, "BTS [m], 35 -> bit 3 of the next dword"
        CHECK_EQ dword [bits_buf], 0, "BTS [m], 35: first dword untouched"
        mov eax, -1                     ; bit 31 of the dword before
        bts [bits_buf], eax
        CHECK_EQ dword [bits_buf - 4], 0x80000000, "BTS [m], -1 -> previous dword"
        bt [bits_buf], eax
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "BT [m], -1: CF"
        mov eax, 35
        btc [bits_buf], eax             ; toggles it back, CF = old bit = 1
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "BTC: CF = old bit"
        CHECK_EQ dword [bits_buf + 4], 0, "BTC cleared the bit"
        mov eax, -1
        btr [bits_buf], eax
        CHECK_EQ dword [bits_buf - 4], 0, "BTR [m], -1"
        bts dword [bits_buf], 35        ; immediate: masked to 3, same dword
        CHECK_EQ dword [bits_buf], 8, "BTS [m], imm 35 -> bit 3 (imm masked)"
        CHECK_EQ dword [bits_buf + 4], 0, "BTS imm does not reach the next dword"
        mov ax, -1                      ; 16-bit: bit 15 of the word before
        bts word [bits_buf], ax
        CHECK_EQ dword [bits_buf - 4], 0x80000000, "BTS word [m], -1"
        mov ebx, 1
        mov ecx, 33                     ; register operand: offset mod 32
        bts ebx, ecx
        CHECK_EQ ebx, 3, "BTS reg, 33 -> bit 1"

        ; ---- shifts and rotates -----------------------------------------------------------
        mov eax, 1
        mov cl, 33                      ; count masked to 5 bits -> 1
        shl eax, cl
        CHECK_EQ eax, 2, "SHL count masked to 5 bits"
        stc
        mov eax, 0x80000000
        mov cl, 32                      ; masked count 0: no change, flags kept
        shl eax, cl
        setc bl
        movzx ebx, bl
        CHECK_EQ eax, 0x80000000, "SHL by 32 (masked 0): value"
        CHECK_EQ ebx, 1, "SHL by masked 0: CF kept"
        mov eax, 0x80000001
        shr eax, 1
        setc bl
        movzx ebx, bl
        CHECK_EQ eax, 0x40000000, "SHR"
        CHECK_EQ ebx, 1, "SHR: CF = last bit out"
        mov eax, -8
        sar eax, 2
        CHECK_EQ eax, -2, "SAR keeps the sign"
        stc
        mov al, 0x5a
        mov cl, 9                       ; 8-bit RCL: count mod 9 = 0
        rcl al, cl
        setc bl
        movzx ebx, bl
        movzx eax, al
        CHECK_EQ eax, 0x5a, "RCL AL, 9: unchanged"
        CHECK_EQ ebx, 1, "RCL AL, 9: CF unchanged"
        clc
        mov al, 0x81
        rcl al, 1                       ; CF <- 1, AL = 0x02
        setc bl
        movzx ebx, bl
        movzx eax, al
        CHECK_EQ eax, 0x02, "RCL AL, 1"
        CHECK_EQ ebx, 1, "RCL AL, 1: CF"
        mov eax, 0x12345678
        rol eax, 8
        CHECK_EQ eax, 0x34567812, "ROL 8"
        mov eax, 0x11111111
        mov ebx, 0xabcdef01
        shld eax, ebx, 8
        CHECK_EQ eax, 0x111111ab, "SHLD 8"
        mov eax, 0x11111111
        shrd eax, ebx, 8
        CHECK_EQ eax, 0x01111111, "SHRD 8"

        ; ---- MUL / IMUL / DIV / IDIV -------------------------------------------------------
        mov eax, 0x80000000
        mov ecx, 4
        mul ecx
        setc bl
        movzx ebx, bl
        CHECK_EQ edx, 2, "MUL: EDX"
        CHECK_EQ eax, 0, "MUL: EAX"
        CHECK_EQ ebx, 1, "MUL: CF=1 when EDX != 0"
        mov eax, 3
        mul ecx
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 0, "MUL: CF=0 when EDX = 0"
        mov eax, -3
        imul eax, eax, 5
        seto bl
        movzx ebx, bl
        CHECK_EQ eax, -15, "IMUL 3-operand"
        CHECK_EQ ebx, 0, "IMUL: OF=0 when the result fits"
        mov eax, 0x40000000
        imul eax, eax, 4
        seto bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "IMUL: OF=1 on overflow"
        mov eax, -7
        cdq
        mov ecx, 2
        idiv ecx
        CHECK_EQ eax, -3, "IDIV -7/2: quotient truncates"
        CHECK_EQ edx, -1, "IDIV -7/2: remainder has the dividend's sign"
        mov edx, 1
        mov eax, 0
        mov ecx, 3
        div ecx                         ; 0x100000000 / 3
        CHECK_EQ eax, 0x55555555, "DIV 64/32: quotient"
        CHECK_EQ edx, 1, "DIV 64/32: remainder"

        ; ---- BCD (32-bit mode only) ----------------------------------------------------------
        mov al, 0x19
        add al, 0x28                    ; 0x41, AF=1
        daa
        movzx eax, al
        CHECK_EQ eax, 0x47, "DAA 19+28"
        mov al, 0x47
        sub al, 0x19                    ; 0x2e
        das
        movzx eax, al
        CHECK_EQ eax, 0x28, "DAS 47-19"
        mov ax, 63
        aam
        movzx eax, ax
        CHECK_EQ eax, 0x0603, "AAM 63"
        mov ax, 0x0603
        aad
        movzx eax, ax
        CHECK_EQ eax, 63, "AAD 0x0603"
        mov ax, 0x0009
        add al, 0x05                    ; 0x0e
        aaa
        movzx eax, ax
        CHECK_EQ eax, 0x0104, "AAA 9+5"

        ; ---- NEG / INC / ADC / flags -----------------------------------------------------------
        xor eax, eax
        neg eax
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 0, "NEG 0: CF=0"
        mov eax, 1
        neg eax
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "NEG 1: CF=1"
        stc
        mov eax, 0xffffffff
        inc eax                         ; INC leaves CF alone
        setc bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "INC keeps CF"
        mov eax, 0x7fffffff
        add eax, 1
        seto bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "ADD: OF on signed overflow"
        setp bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "ADD: PF of the low byte (0x00)"
        mov eax, 0xffffffff             ; 64-bit add through ADC
        mov edx, 0
        add eax, 2
        adc edx, 0
        CHECK_EQ edx, 1, "ADC carry chain"
        mov eax, 0
        mov edx, 1
        sub eax, 1
        sbb edx, 0
        CHECK_EQ edx, 0, "SBB borrow chain"
        CHECK_EQ eax, 0xffffffff, "SUB wrap"
        mov eax, -1
        cmp eax, 1
        setl bl
        setb cl
        movzx ebx, bl
        movzx ecx, cl
        CHECK_EQ ebx, 1, "-1 < 1 signed"
        CHECK_EQ ecx, 0, "0xffffffff > 1 unsigned"

        ; ---- BSF / BSR / CBW.. / XLAT / MOVSX / LEA ---------------------------------------------
        mov ecx, 0x00010100
        bsf eax, ecx
        CHECK_EQ eax, 8, "BSF"
        bsr eax, ecx
        CHECK_EQ eax, 16, "BSR"
        xor ecx, ecx
        bsf eax, ecx
        setz bl
        movzx ebx, bl
        CHECK_EQ ebx, 1, "BSF 0: ZF=1"
        mov eax, 0x1234ff80
        cbw
        CHECK_EQ eax, 0x1234ff80, "CBW"
        cwde
        CHECK_EQ eax, 0xffffff80, "CWDE"
        cdq
        CHECK_EQ edx, 0xffffffff, "CDQ"
        mov ebx, xlat_tab
        mov eax, 0xaaaaaa03
        xlatb
        CHECK_EQ eax, 0xaaaaaa33, "XLAT"
        mov eax, 0x80
        movsx ecx, al
        CHECK_EQ ecx, 0xffffff80, "MOVSX r32, r8"
        mov ax, 0x8000
        movzx ecx, ax
        CHECK_EQ ecx, 0x8000, "MOVZX r32, r16"
        mov ebx, 0xfff0
        mov esi, 0x20
        lea eax, [0x55550000]
        a16 lea ax, [bx+si+4]           ; 16-bit address: wraps
        CHECK_EQ eax, 0x55550014, "a16 LEA wraps, writes AX only"

        ; ---- 64-bit ------------------------------------------------------------------------------
        call enter_long
bits 64
        mov rax, -1
        db 0x90                         ; XCHG EAX,EAX = NOP: no zero-extension
        CHECK_EQ rax, -1, "64: XCHG EAX,EAX (0x90) is NOP"
        mov rcx, -1
        xchg ecx, ecx                   ; 87 C9: zero-extends
        mov rdx, 0xffffffff
        CHECK_EQ rcx, rdx, "64: XCHG ECX,ECX zero-extends"
        mov rax, -1
        mov rbx, -1
        xor ecx, ecx
        inc ecx                         ; ZF=0
        cmovz eax, ebx                  ; false, but still writes EAX
        mov rdx, 0xffffffff
        CHECK_EQ rax, rdx, "64: CMOVZ (false) zero-extends EAX"
        mov rax, 0x1122334455667788
        bswap rax
        mov rbx, 0x8877665544332211
        CHECK_EQ rax, rbx, "64: BSWAP"
        mov rax, 1
        mov cl, 65                      ; masked to 6 bits -> 1
        shl rax, cl
        CHECK_EQ rax, 2, "64: SHL count masked to 6 bits"
        mov qword [m64], 0
        mov qword [m64 + 8], 0
        mov rax, 64 + 5
        bts [m64], rax
        CHECK_EQ qword [m64 + 8], 32, "64: BTS [m], 69 -> next qword"
        mov rax, 0x8000000000000000
        mov rcx, 4
        mul rcx
        CHECK_EQ rdx, 2, "64: MUL RDX"
        mov rdx, 1
        xor eax, eax
        mov rcx, 3
        div rcx
        mov rbx, 0x5555555555555555
        CHECK_EQ rax, rbx, "64: DIV 128/64"
        mov rax, -5
        cqo
        CHECK_EQ rdx, -1, "64: CQO"
        ; CMPXCHG16B (CPUID.1:ECX.CX16[13]): needs a 16-byte aligned operand
        mov eax, 1
        cpuid
        test ecx, 1 << 13
        jz .no_cx16
        mov qword [m128], 1
        mov qword [m128 + 8], 2
        mov eax, 1
        mov edx, 2
        mov ebx, 3
        mov ecx, 4
        lock cmpxchg16b [m128]
        setz sil
        movzx esi, sil
        CHECK_EQ rsi, 1, "64: CMPXCHG16B equal: ZF"
        CHECK_EQ qword [m128 + 8], 4, "64: CMPXCHG16B stored RCX:RBX"
        EXPECT_FAULT 13, 0, cmpxchg16b [m128 + 8]       ; misaligned: #GP(0)
.no_cx16:
        call leave_long
bits 32
        ret

section .data
align 16
m128:           dq 0, 0, 0, 0
m64:            dq 0, 0
m32:            dd 0
                dd 0
bits_buf:       dd 0, 0
xlat_tab:       db 0x00, 0x11, 0x22, 0x33, 0x44
section .text
