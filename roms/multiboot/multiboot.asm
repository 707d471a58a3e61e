; Vireo's Multiboot option ROM (the job QEMU's multiboot.bin does, written from the specs):
; SeaBIOS runs it as a boot entry (the PnP header's Bootstrap Entry Vector), and it
;   1. loads the kernel image and the Multiboot information the machine prepared, through the
;      fw_cfg DMA interface (QEMU docs/specs/fw_cfg.rst "DMA interface"):
;        KERNEL_ADDR/KERNEL_SIZE/KERNEL_DATA  the flat load image (segments, zero-filled bss),
;        INITRD_ADDR/INITRD_SIZE/INITRD_DATA  the Multiboot information block (at 0x9000),
;        KERNEL_ENTRY                         the 32-bit entry point;
;   2. fills the information's memory map from INT 15h E820 (so it shows what the firmware
;      reserved, e.g. its ACPI tables), Multiboot Specification 0.6.96 section 3.3;
;   3. enters 32-bit protected mode with flat segments, paging off and IF = 0 and jumps to the
;      entry with EAX = 0x2BADB002 and EBX = the information's address (section 3.2).
; The machine patches the size byte and the checksum byte when it adds the ROM to fw_cfg.

%include "option_rom.inc"

VAR_INFO        equ 0x7e10          ; information block address (scratch after DMA_DESC)
VAR_ENTRY       equ 0x7e14          ; kernel entry
GDT_COPY        equ 0x7e20          ; 3 descriptors
GDT_DESC        equ 0x7e38          ; limit + base for LGDT
FAR_TARGET      equ 0x7e40          ; offset + selector for the far jump
MB_MMAP_OFF     equ 0x100           ; where the machine left room for the memory map
MB_MMAP_MAX     equ 0x300
MB_BOOT_MAGIC   equ 0x2badb002

manufacturer: db 'Vireo', 0
product:      db 'Multiboot loader', 0

bev:
    cli
    cld
    ; The information block and the kernel image.
    mov bx, KEY_INITRD_ADDR
    call fw_cfg_read_u32
    xor dx, dx
    mov ds, dx
    mov [VAR_INFO], eax
    FW_CFG_LOAD KEY_INITRD_ADDR, KEY_INITRD_SIZE, KEY_INITRD_DATA
    FW_CFG_LOAD KEY_KERNEL_ADDR, KEY_KERNEL_SIZE, KEY_KERNEL_DATA
    mov bx, KEY_KERNEL_ENTRY
    call fw_cfg_read_u32
    xor dx, dx
    mov ds, dx
    mov [VAR_ENTRY], eax

    ; Memory map from INT 15h, AX = E820h (ACPI 6.4 15.1): entries of 20 bytes, each stored
    ; after a 4-byte size field (Multiboot "mmap" format).
    mov eax, [VAR_INFO]
    shr eax, 4
    mov es, ax                      ; info is below 1 MiB and 16-byte aligned
    mov di, MB_MMAP_OFF
    xor ebx, ebx
.e820:
    mov dword [es:di], 20
    add di, 4
    mov eax, 0xe820
    mov ecx, 20
    mov edx, 0x534d4150             ; 'SMAP'
    int 0x15
    jc .e820_done
    cmp eax, 0x534d4150
    jne .e820_done
    add di, 20
    test ebx, ebx
    jz .e820_done
    cmp di, MB_MMAP_OFF + MB_MMAP_MAX - 24
    jb .e820
.e820_done:
    cmp di, MB_MMAP_OFF + 4
    jb .no_map
    sub di, 4                       ; the unused size field
    movzx eax, di
    sub eax, MB_MMAP_OFF
    mov [es:44], eax                ; mmap_length
    or dword [es:0], 1 << 6         ; flags: mmap_* valid
.no_map:
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
    mov eax, MB_BOOT_MAGIC
    jmp ecx

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff           ; 0x08: code, base 0, 4 GiB, 32-bit
    dq 0x00cf92000000ffff           ; 0x10: data, base 0, 4 GiB

OPTION_ROM_END
