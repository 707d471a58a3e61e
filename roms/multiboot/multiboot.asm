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

bits 16
org 0

FW_CFG_SELECT   equ 0x510
FW_CFG_DATA     equ 0x511
FW_CFG_DMA_HI   equ 0x514
FW_CFG_DMA_LO   equ 0x518
KEY_KERNEL_ADDR equ 0x07
KEY_KERNEL_SIZE equ 0x08
KEY_INITRD_ADDR equ 0x0a
KEY_INITRD_SIZE equ 0x0b
KEY_KERNEL_ENTRY equ 0x10
KEY_KERNEL_DATA equ 0x11
KEY_INITRD_DATA equ 0x12
DMA_CTL_SELECT  equ 0x08
DMA_CTL_READ    equ 0x02
; Scratch in low RAM, just past the boot sector's 0x7c00-0x7dff: the ROM itself is read-only
; by the time SeaBIOS calls a boot entry.
DMA_DESC        equ 0x7e00          ; fw_cfg DMA descriptor (16 bytes, aligned)
VAR_INFO        equ 0x7e10          ; information block address
VAR_ENTRY       equ 0x7e14          ; kernel entry
GDT_COPY        equ 0x7e20          ; 3 descriptors
GDT_DESC        equ 0x7e38          ; limit + base for LGDT
FAR_TARGET      equ 0x7e40          ; offset + selector for the far jump
MB_MMAP_OFF     equ 0x100           ; where the machine left room for the memory map
MB_MMAP_MAX     equ 0x300
MB_BOOT_MAGIC   equ 0x2badb002

rom_start:
    db 0x55, 0xaa                   ; option ROM signature
    db 0                            ; size in 512-byte units (patched)
    jmp short init                  ; initialisation entry at offset 3
    times 0x18 - ($ - $$) db 0
    dw 0                            ; no PCI data structure
    dw pnp_header                   ; PnP expansion header (PnP BIOS spec 1.0a, 3.2)

align 16
pnp_header:
    db '$PnP'
    db 1                            ; structure revision
    db 2                            ; length in 16-byte units
    dw 0                            ; next header: none
    db 0                            ; reserved
    db 0                            ; checksum (SeaBIOS does not check it)
    dd 0                            ; device identifier
    dw manufacturer
    dw product
    db 0, 0, 0                      ; device type code
    db 0x04                         ; device indicators: IPL device
    dw 0                            ; boot connection vector
    dw 0                            ; disconnect vector
    dw bev                          ; bootstrap entry vector
    dw 0                            ; reserved
    dw 0                            ; static resource information vector

manufacturer: db 'Vireo', 0
product:      db 'Multiboot loader', 0

init:
    retf

; Read the 32-bit little-endian fw_cfg item `key` (in BX) into EAX, through the I/O ports.
read_u32:
    mov dx, FW_CFG_SELECT
    mov ax, bx
    out dx, ax
    mov dx, FW_CFG_DATA
    mov cx, 4
.byte:
    in al, dx
    ror eax, 8
    loop .byte
    ret

; DMA item BX (length ECX) to physical address EDI; waits for completion.
dma_read:
    xor ax, ax
    mov es, ax
    movzx eax, bx
    shl eax, 16
    or eax, DMA_CTL_SELECT | DMA_CTL_READ
    bswap eax
    mov [es:DMA_DESC], eax          ; control (big-endian)
    mov eax, ecx
    bswap eax
    mov [es:DMA_DESC + 4], eax      ; length
    mov dword [es:DMA_DESC + 8], 0  ; address, high half
    mov eax, edi
    bswap eax
    mov [es:DMA_DESC + 12], eax     ; address, low half
    mov dx, FW_CFG_DMA_HI
    xor eax, eax
    out dx, eax
    mov dx, FW_CFG_DMA_LO
    mov eax, DMA_DESC
    bswap eax
    out dx, eax                     ; starts the transfer
.wait:
    mov eax, [es:DMA_DESC]
    bswap eax
    test eax, ~1                    ; done when only the error bit may remain
    jnz .wait
    ret

bev:
    cli
    cld
    ; The information block and the kernel image.
    mov bx, KEY_INITRD_ADDR
    call read_u32
    xor dx, dx
    mov ds, dx
    mov [VAR_INFO], eax
    mov esi, eax
    mov bx, KEY_INITRD_SIZE
    call read_u32
    mov ecx, eax
    mov edi, esi
    mov bx, KEY_INITRD_DATA
    call dma_read
    mov bx, KEY_KERNEL_ADDR
    call read_u32
    mov edi, eax
    mov bx, KEY_KERNEL_SIZE
    call read_u32
    mov ecx, eax
    mov bx, KEY_KERNEL_DATA
    call dma_read
    mov bx, KEY_KERNEL_ENTRY
    call read_u32
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

    db 0                            ; the checksum byte lands here or in the padding
    times (512 - (($ - $$) % 512)) % 512 db 0  ; whole 512-byte units
