; gdb_guest: the bare-metal guest the gdbstub tests drive (tests/gdb/run-gdb-test.sh).
; Booted by SeaBIOS on q35 (-kernel, Multiboot): the debugger attaches at the reset vector (-S)
; and stops at the labels below, one per CPU mode, in this order:
;   pm_mark  32-bit protected mode
;   rm_mark  real-address mode (copied to LOW(rm_mark) below 64 KiB: gdb breaks there)
;   lm_mark  64-bit mode; at lm_step gdb has set RAX and poke_var, which the guest checks;
;            the store at watch_store hits gdb's hardware watchpoint on watch_var.
; Without a debugger it fails: the checks below expect the values gdb writes.
%define TEST_NAME "gdb"
%include "test.inc"

section .data
align 8
global poke_var, watch_var
poke_var:       dq 0
watch_var:      dq 0
res_rbx:        dq 0
res_poke:       dq 0

section .text
bits 32
global test_main, pm_mark, lm_mark, lm_step, watch_store
test_main:
pm_mark:
        mov eax, 0x11111111
        mov eax, LOW(rm_code)
        call call_real
        CHECK_EQ dword [LOW(rm_result)], 0x1235, "real-mode code ran"
        call enter_long
bits 64
lm_mark:
        mov rax, 0x0123456789abcdef
lm_step:
        mov rbx, rax                    ; gdb sets RAX = 0x1122334455667788 before this
        mov ecx, res_rbx
        mov [rcx], rbx
        mov ecx, poke_var
        mov rdx, [rcx]                  ; gdb wrote 0x55aa55aa here
        mov ecx, res_poke
        mov [rcx], rdx
        mov ecx, watch_var
watch_store:
        mov qword [rcx], 0x77           ; gdb's watchpoint on watch_var triggers
        nop
        call leave_long
bits 32
        CHECK_EQ dword [res_rbx], 0x55667788, "gdb wrote RAX (low half)"
        CHECK_EQ dword [res_rbx + 4], 0x11223344, "gdb wrote RAX (high half)"
        CHECK_EQ dword [res_poke], 0x55aa55aa, "gdb wrote guest memory"
        CHECK_EQ dword [watch_var], 0x77, "store under the watchpoint completed"
        ret

section .lowblob
bits 16
global rm_mark
rm_code:
rm_mark:
        mov ax, 0x1234
        inc ax
        mov [LOW(rm_result)], ax
        ret
align 4
rm_result:      dd 0
section .text
bits 32
