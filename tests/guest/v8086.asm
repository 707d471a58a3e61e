; v8086: virtual-8086 mode (SDM Vol.3A chapter 20) without VME.
; Enter with IRET (EFLAGS.VM=1) from ring 0; run 16-bit code (seg*16+off
; addressing, 16-bit wrap, 0x66 prefix); with IOPL<3, INT n / CLI / PUSHF
; trap to the ring-0 monitor as #GP(0); IN/OUT follow the TSS I/O bitmap
; whatever IOPL is; with IOPL=3, INT n goes through a DPL3 IDT gate to ring 0
; (9-dword frame on TSS.ESP0, DS/ES/FS/GS nulled) and IRET returns to v86;
; HLT (#GP) hands control back to protected mode.
%define TEST_NAME "v8086"
%include "test.inc"

SCRATCH equ 0x6000
IOPORT_OK equ 0x2e0
%assign VEC_V86INT 0x22

test_main:
        SET_GATE32 13, v86_monitor, GATE_INT32
        SET_GATE32 VEC_V86INT, v86_int_handler, GATE_INT32 | GATE_DPL3
        and byte [tss32_iomap + (IOPORT_OK >> 3)], ~(1 << (IOPORT_OK & 7))

        ; ---- IOPL = 0 ----------------------------------------------------------
        mov eax, LOW(v86_iopl0)
        xor ebx, ebx
        call run_v86
        CHECK_EQ dword [SCRATCH + 0x10], 0x1234, "v86: DS=0x600:0x10 -> 0x6010"
        movzx eax, word [SCRATCH + 0x20]
        CHECK_EQ eax, 0x1234, "v86: read back via ES=0x601:0"
        movzx eax, byte [SCRATCH + 0x30]
        CHECK_EQ eax, 0x77, "v86: [bx+si] wraps at 64 KiB"
        CHECK_EQ dword [SCRATCH + 0x40], 0x23456780, "v86: o32 shl"
        ; #GP(0) log: INT 0x21, CLI, PUSHF, IN (denied port), HLT
        CHECK_EQ dword [gp_count], 5, "monitor: number of #GP from v86"
        CHECK_EQ dword [gp_ops], 0xecfa9ccd, "monitor: INT, PUSHF, CLI, IN faulted (in order)"
        CHECK_EQ dword [gp_ops + 4], 0xf4, "monitor: HLT faulted"
        CHECK_EQ dword [gp_errs], 0, "monitor: all #GP error codes 0"
        CHECK_EQ dword [gp_vm], 5, "monitor: VM=1 in every saved EFLAGS"
        CHECK_EQ dword [gp_nullsegs], 5, "monitor: DS/ES/FS/GS null on entry"
        CHECK_EQ dword [gp_esp], ring0_stack_top - 40, "monitor: frame on TSS.ESP0"
        CHECK_EQ dword [gp_frame_ds], SCRATCH >> 4, "monitor: v86 DS in frame"
        CHECK_EQ dword [gp_frame_es], (SCRATCH >> 4) + 1, "monitor: v86 ES in frame"
        CHECK_EQ dword [LOW(v86_in_ok)], 1, "v86: IN from a bitmap-allowed port ran"

        ; ---- IOPL = 3 ----------------------------------------------------------
        mov dword [gp_count], 0
        mov dword [gp_ops], 0
        mov dword [gp_ops + 4], 0
        mov eax, LOW(v86_iopl3)
        mov ebx, 3 << 12
        call run_v86
        CHECK_EQ dword [int_count], 1, "IOPL=3: INT n reached the IDT handler"
        CHECK_EQ dword [int_esp], ring0_stack_top - 36, "INT from v86: 9-dword frame"
        CHECK_EQ dword [int_nullsegs], 1, "INT from v86: data segments nulled"
        CHECK_EQ dword [int_frame_ds], 0x0123, "INT from v86: DS in frame"
        CHECK_EQ dword [int_frame_gs], 0x0456, "INT from v86: GS in frame"
        mov eax, [int_eflags]
        and eax, 0x23000
        CHECK_EQ eax, 0x23000, "INT from v86: VM=1, IOPL=3 in frame"
        CHECK_EQ dword [LOW(v86_after_int)], 0xbeef, "IRET back into v86"
        movzx eax, word [LOW(v86_flags)]
        and eax, 0x3000
        CHECK_EQ eax, 0x3000, "IOPL=3: PUSHF ran and shows IOPL"
        CHECK_EQ dword [gp_count], 2, "IOPL=3: only IN (bitmap) and HLT faulted"
        CHECK_EQ dword [gp_ops], 0xf4ec, "IOPL=3: faulting opcodes"
        ret

; run_v86: EAX = entry (linear, CS=0), EBX = extra EFLAGS bits (IOPL).
; IRET with VM=1 pops EIP CS EFLAGS ESP SS ES DS FS GS (SDM Vol.3A 20.2.5)
run_v86:
        pushad
        mov [v86_saved_esp], esp
        push dword 0                    ; GS
        push dword 0                    ; FS
        push dword 0                    ; DS
        push dword 0                    ; ES
        push dword 0                    ; SS
        push dword RM_STACK             ; ESP
        or ebx, 0x20002                 ; VM
        push ebx                        ; EFLAGS
        push dword 0                    ; CS
        push eax                        ; EIP
        iretd
v86_exit:
        mov esp, [v86_saved_esp]
        popad
        ret

; #GP monitor. Frame: +0 error, +4 EIP, +8 CS, +12 EFLAGS, +16 ESP, +20 SS,
; +24 ES, +28 DS, +32 FS, +36 GS (SS is the ring-0 SS from TSS.SS0).
v86_monitor:
        test dword [ss:esp+12], 0x20000
        jz exc_stub_13                  ; not from v86: generic handler
        push eax
        push ebx
        ; now: +8 error ... +40 GS
        mov eax, ds
        mov ebx, es
        or eax, ebx
        mov ebx, fs
        or eax, ebx
        mov ebx, gs
        or eax, ebx
        mov bx, SEL_DATA32
        mov ds, bx
        mov es, bx
        test eax, eax
        jnz .segs_not_null
        inc dword [gp_nullsegs]
.segs_not_null:
        lea eax, [esp+8]
        mov [gp_esp], eax
        mov eax, [esp+8]
        or [gp_errs], eax
        test dword [esp+20], 0x20000
        jz .novm
        inc dword [gp_vm]
.novm:  mov eax, [esp+36]
        mov [gp_frame_ds], eax
        mov eax, [esp+32]
        mov [gp_frame_es], eax
        ; opcode at CS*16 + IP
        movzx eax, word [esp+16]
        shl eax, 4
        add eax, [esp+12]
        movzx eax, byte [eax]
        mov ebx, [gp_count]
        mov [gp_ops + ebx], al
        inc dword [gp_count]
        cmp al, 0xf4
        je .exit
        mov ebx, 1                      ; skip the instruction
        cmp al, 0xcd                    ; INT imm8
        je .two
        cmp al, 0xe4                    ; IN AL, imm8
        jb .skip
        cmp al, 0xe7                    ; .. OUT imm8, AX
        ja .skip
.two:   mov ebx, 2
.skip:  add [esp+12], ebx
        pop ebx
        pop eax
        add esp, 4                      ; error code
        iretd                           ; back to v86 (pops ES DS FS GS too)
.exit:  mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        jmp v86_exit

; INT 0x22 from v86 with IOPL=3: frame +0 EIP ... +32 GS
v86_int_handler:
        push eax
        mov eax, ds
        push ebx
        mov ebx, es
        or eax, ebx
        mov ebx, fs
        or eax, ebx
        mov ebx, gs
        or eax, ebx
        mov bx, SEL_DATA32
        mov ds, bx
        test eax, eax
        jnz .nn
        mov dword [int_nullsegs], 1
.nn:    lea eax, [esp+8]
        mov [int_esp], eax
        mov eax, [esp+8+8]
        mov [int_eflags], eax
        mov eax, [esp+8+24]
        mov [int_frame_ds], eax
        mov eax, [esp+8+32]
        mov [int_frame_gs], eax
        inc dword [int_count]
        pop ebx
        pop eax
        iretd                           ; DS is restored from the v86 frame

section .data
align 4
v86_saved_esp:  dd 0
gp_count:       dd 0
gp_ops:         dd 0, 0
gp_errs:        dd 0
gp_vm:          dd 0
gp_nullsegs:    dd 0
gp_esp:         dd 0
gp_frame_ds:    dd 0
gp_frame_es:    dd 0
int_count:      dd 0
int_esp:        dd 0
int_eflags:     dd 0
int_nullsegs:   dd 0
int_frame_ds:   dd 0
int_frame_gs:   dd 0

; ---- v86 code (runs at LOW_BASE, CS=0) -------------------------------------
section .lowblob
bits 16
v86_iopl0:
        mov ax, SCRATCH >> 4
        mov ds, ax
        mov word [0x10], 0x1234         ; linear 0x6010
        mov ax, (SCRATCH >> 4) + 1
        mov es, ax
        mov bx, [es:0x0000]             ; 0x0610:0 = linear 0x6010 again
        mov [0x20], bx
        mov bx, 0xffff
        mov si, 0x31
        mov byte [bx+si], 0x77          ; (0xffff + 0x31) & 0xffff = 0x30
        mov eax, 0x12345678
        shl eax, 4
        mov [0x40], eax
        int 0x21                        ; IOPL<3: #GP(0)
        pushf                           ; #GP(0)
        cli                             ; #GP(0)
        mov dx, IOPORT_OK
        in al, dx                       ; allowed by the bitmap
        xor ax, ax
        mov fs, ax
        mov dword [fs:LOW(v86_in_ok)], 1
        inc dx
        in al, dx                       ; denied: #GP(0)
        hlt                             ; #GP(0): back to protected mode

v86_iopl3:
        mov ax, 0x0123
        mov ds, ax
        mov ax, 0x0456
        mov gs, ax
        int VEC_V86INT                  ; IOPL=3: through the IDT
        xor ax, ax
        mov ds, ax
        mov word [LOW(v86_after_int)], 0xbeef
        pushf                           ; IOPL=3: no fault
        pop ax
        mov [LOW(v86_flags)], ax
        cli                             ; no fault (IF stays 0)
        mov dx, IOPORT_OK + 1
        in al, dx                       ; bitmap still applies: #GP(0)
        hlt

align 4
v86_in_ok:      dd 0
v86_after_int:  dd 0
v86_flags:      dd 0
section .text
bits 32
