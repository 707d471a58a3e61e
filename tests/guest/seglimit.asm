; seglimit: segment limit and type checks on data accesses in protected
; mode (SDM Vol.3A 5.3 "Limit Checking", 5.4 "Type Checking"): past the limit
; of a byte- and a page-granular segment (#GP(0)), an access straddling the
; limit, expand-down segments, a stack-segment limit (#SS(0)), writes to a
; read-only data segment or through CS, a NULL data segment, and a near JMP
; beyond the CS limit. QEMU 7.2 TCG does not check data-segment limits or
; types: expected to fail there.
%define TEST_NAME "seglimit"
%include "test.inc"

S_LIM       equ SEL_FREE + 0x00         ; data, byte granular, limit 0xfff
S_GLIM      equ SEL_FREE + 0x08         ; data, 4K granular, limit 0 (0xfff)
S_EXPDN     equ SEL_FREE + 0x10         ; data, expand-down, limit 0xfff, B=1
S_RO        equ SEL_FREE + 0x18         ; data, read-only, flat
S_SSLIM     equ SEL_FREE + 0x20         ; stack, limit 0x7ffffff (128 MiB)
S_CSLIM     equ SEL_FREE + 0x28         ; code, base = lim_code, limit 0xff

test_main:
        SET_DESC S_LIM, 0x10000, 0xfff, ACC_DATA0, 0x4
        SET_DESC S_GLIM, 0x10000, 0, ACC_DATA0, FL_32
        SET_DESC S_EXPDN, 0x10000, 0xfff, 0x96, 0x4     ; type 6: r/w, expand-down
        SET_DESC S_RO, 0, 0xfffff, 0x90, FL_32
        SET_DESC S_SSLIM, 0, 0x7fff, ACC_DATA0, FL_32
        SET_DESC S_CSLIM, lim_code, 0xff, ACC_CODE0, 0x4

        mov ax, S_LIM
        mov fs, ax
        mov eax, [fs:0xffc]             ; last whole dword: fine
        mov al, [fs:0xfff]
        EXPECT_FAULT 13, 0, mov al, [fs:0x1000]
        EXPECT_FAULT 13, 0, mov eax, [fs:0xffd]         ; straddles the limit
        EXPECT_FAULT 13, 0, mov dword [fs:0x2000], 0
        mov ax, S_GLIM
        mov fs, ax
        mov al, [fs:0xfff]              ; G=1, limit 0 -> 0xfff
        EXPECT_FAULT 13, 0, mov al, [fs:0x1000]
        mov ax, S_EXPDN
        mov fs, ax
        mov eax, [fs:0x1000]            ; expand-down: valid above the limit
        mov eax, [fs:0xfffffffc]
        EXPECT_FAULT 13, 0, mov eax, [fs:0x800]
        EXPECT_FAULT 13, 0, mov eax, [fs:0xffe]         ; straddles
        mov ax, S_RO
        mov fs, ax
        mov eax, [fs:scratch]
        EXPECT_FAULT 13, 0, mov [fs:scratch], eax       ; read-only
        EXPECT_FAULT 13, 0, mov [cs:scratch], eax       ; code is never writable
        xor eax, eax
        mov fs, ax                      ; loading NULL is fine ...
        EXPECT_FAULT 13, 0, mov eax, [fs:scratch]       ; ... using it is not
        mov ax, SEL_DATA32
        mov fs, ax

        ; stack segment limit: #SS(0) for an EBP-based access beyond it
        mov ax, S_SSLIM
        mov ss, ax
        mov ebp, 0x8000000
        EXPECT_FAULT 12, 0, mov eax, [ebp]
        EXPECT_FAULT 12, 0, mov eax, [esp + 0x8000000]
        mov ax, SEL_DATA32
        mov ss, ax

        ; code segment limit: a near JMP past it faults at the JMP
        call S_CSLIM:0
        CHECK_EQ dword [fault_vec], 13, "JMP past the CS limit: vector"
        CHECK_EQ dword [fault_err], 0, "JMP past the CS limit: error code"
        CHECK_EQ dword [fault_eip], lim_code.jmp - lim_code, "JMP past the CS limit: EIP"
        ret

; runs with CS.base = lim_code, CS.limit = 0xff
lim_code:
        ARM_FAULT lim_code.resume - lim_code
.jmp:   jmp strict near $ + 0x200       ; target offset > 0xff
        CHECK_FAIL "JMP past the CS limit did not fault"
.resume:
        retf

section .data
scratch:        dd 0
section .text
