; Vireo's 32-bit boot option ROM, built twice (the job of QEMU's multiboot.bin and pvh.bin,
; written from the specs): SeaBIOS runs it as a boot entry (the PnP header's Bootstrap Entry
; Vector), and it
;   1. loads, through the fw_cfg DMA interface (QEMU docs/specs/fw_cfg.rst), what the machine
;      prepared: the boot information block (SETUP_ADDR/SIZE/DATA, below 1 MiB, 16-byte
;      aligned), the flat kernel image (KERNEL_ADDR/SIZE/DATA: segments, zero-filled bss), and
;      for PVH the initrd (INITRD_*) and command line (CMDLINE_*); the entry is KERNEL_ENTRY;
;   2. fills the information's memory map from INT 15h E820 (so it shows what the firmware
;      reserved, e.g. its ACPI tables):
;        multiboot.bin: Multiboot 0.6.96 3.3 "mmap" entries at +0x100, mmap_length, flags bit 6;
;        pvh.bin: hvm_memmap_table_entry at +0x100, memmap_entries (Xen
;          include/public/arch-x86/hvm/start_info.h), and rsdp_paddr from the RSDP search of
;          ACPI 6.4 5.2.5.1 (the firmware's 0xe0000-0xfffff area);
;   3. enters 32-bit protected mode with flat segments, paging off and IF = 0 and jumps to the
;      entry with EBX = the information's address (and EAX = 0x2BADB002 for Multiboot, 3.2).
; The machine patches the size byte and the checksum byte when it adds the ROM to fw_cfg.

%include "option_rom.inc"

VAR_INFO        equ 0x7e10          ; information block address (scratch after DMA_DESC)
VAR_ENTRY       equ 0x7e14          ; kernel entry
GDT_COPY        equ 0x7e20          ; 3 descriptors
GDT_DESC        equ 0x7e38          ; limit + base for LGDT
FAR_TARGET      equ 0x7e40          ; offset + selector for the far jump
MMAP_OFF        equ 0x100           ; where the machine left room for the memory map
MMAP_MAX        equ 0x300
MB_BOOT_MAGIC   equ 0x2badb002

manufacturer: db 'Vireo', 0
%ifdef PVH
product:      db 'PVH loader', 0
%else
product:      db 'Multiboot loader', 0
%endif

bev:
    cli
    cld
    ; The information block and the kernel image (and for PVH the initrd and command line).
    mov bx, KEY_SETUP_ADDR
    call fw_cfg_read_u32
    xor dx, dx
    mov ds, dx
    mov [VAR_INFO], eax
    FW_CFG_LOAD KEY_SETUP_ADDR, KEY_SETUP_SIZE, KEY_SETUP_DATA
    FW_CFG_LOAD KEY_KERNEL_ADDR, KEY_KERNEL_SIZE, KEY_KERNEL_DATA
%ifdef PVH
    FW_CFG_LOAD KEY_INITRD_ADDR, KEY_INITRD_SIZE, KEY_INITRD_DATA
    FW_CFG_LOAD KEY_CMDLINE_ADDR, KEY_CMDLINE_SIZE, KEY_CMDLINE_DATA
%endif
    mov bx, KEY_KERNEL_ENTRY
    call fw_cfg_read_u32
    xor dx, dx
    mov ds, dx
    mov [VAR_ENTRY], eax

    ; Memory map from INT 15h, AX = E820h (ACPI 6.4 15.1), 20 bytes an entry.
    mov eax, [VAR_INFO]
    shr eax, 4
    mov es, ax                      ; info is below 1 MiB and 16-byte aligned
    mov di, MMAP_OFF
    xor ebx, ebx
    xor ebp, ebp                    ; entries
.e820:
%ifdef PVH
    mov dword [es:di + 20], 0       ; hvm_memmap_table_entry.reserved
%else
    mov dword [es:di], 20           ; Multiboot: a size field before each entry
    add di, 4
%endif
    mov eax, 0xe820
    mov ecx, 20
    mov edx, 0x534d4150             ; 'SMAP'
    int 0x15
    jc .e820_fail
    cmp eax, 0x534d4150
    jne .e820_fail
    inc ebp
%ifdef PVH
    add di, 24
%else
    add di, 20
%endif
    test ebx, ebx                   ; 0 after the last entry
    jz .e820_done
    cmp di, MMAP_OFF + MMAP_MAX - 24
    jb .e820
    jmp .e820_done
.e820_fail:
%ifndef PVH
    sub di, 4                       ; no entry after this size field
%endif
.e820_done:
%ifdef PVH
    mov [es:48], ebp                ; memmap_entries
    ; rsdp_paddr: "RSD PTR " on a 16-byte boundary in 0xe0000-0xfffff.
    mov ax, 0xe000
    mov fs, ax
    xor si, si
.rsdp:
    cmp dword [fs:si], 0x20445352   ; "RSD "
    jne .rsdp_next
    cmp dword [fs:si + 4], 0x20525450  ; "PTR "
    je .rsdp_found
.rsdp_next:
    add si, 16
    jnz .rsdp
    mov ax, fs
    cmp ax, 0xf000
    je .rsdp_done                   ; not found: rsdp_paddr stays 0
    mov ax, 0xf000
    mov fs, ax
    jmp .rsdp
.rsdp_found:
    movzx eax, si
    mov dx, fs
    movzx edx, dx
    shl edx, 4
    add eax, edx
    mov [es:32], eax                ; rsdp_paddr (low half; the high half is 0)
.rsdp_done:
%else
    test ebp, ebp
    jz .no_map
    movzx eax, di
    sub eax, MMAP_OFF
    mov [es:44], eax                ; mmap_length
    or dword [es:0], 1 << 6         ; flags: mmap_* valid
.no_map:
%endif
    cli

    ; Protected mode: a flat GDT copied to low RAM (DS = 0 here).
    mov si, gdt
    mov di, GDT_COPY
    xor ax, ax
    mov es, ax
    mov cx, 24
.copy:
    mov al, [cs:si]
    mov [es:di], al
    inc si
    inc di
    loop .copy
    mov word [GDT_DESC], 23
    mov dword [GDT_DESC + 2], GDT_COPY
    mov ax, cs
    movzx eax, ax
    shl eax, 4
    add eax, pm32
    mov [FAR_TARGET], eax           ; linear address of pm32 in the ROM
    mov word [FAR_TARGET + 4], 0x08
    lgdt [GDT_DESC]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword far [FAR_TARGET]

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov ebx, [VAR_INFO]
    mov ecx, [VAR_ENTRY]
%ifndef PVH
    mov eax, MB_BOOT_MAGIC
%endif
    jmp ecx

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff           ; 0x08: code, base 0, 4 GiB, 32-bit
    dq 0x00cf92000000ffff           ; 0x10: data, base 0, 4 GiB

OPTION_ROM_END
