; crbits: invalid control-register writes raise #GP(0) (SDM Vol.2B MOV to
; CR0/CR4, WRMSR): CR0.PG=1 with PE=0, CR0.NW=1 with CD=0, a reserved CR4
; bit, a reserved EFER bit. QEMU 7.2 TCG accepts the CR0 combinations (and
; then runs with paging on, PE off) and hangs on the CR4 write: expected to
; fail there.
%define TEST_NAME "crbits"
%include "test.inc"

test_main:
        mov ebx, cr0
        mov eax, ebx
        or eax, 1 << 29                 ; NW=1, CD=0
        and eax, ~(1 << 30)
        EXPECT_FAULT 13, 0, mov cr0, eax
        mov eax, cr0
        CHECK_EQ eax, ebx, "CR0 unchanged after #GP"
        mov eax, ebx
        and eax, ~1                     ; PE=0, PG=1
        or eax, 0x80000000
        EXPECT_FAULT 13, 0, mov cr0, eax
        mov ecx, 0xc0000080             ; EFER bit 1 is reserved
        rdmsr
        or eax, 1 << 1
        EXPECT_FAULT 13, 0, wrmsr
        mov eax, cr4                    ; CR4 bit 31 is reserved
        or eax, 0x80000000
        EXPECT_FAULT 13, 0, mov cr4, eax
        ret
