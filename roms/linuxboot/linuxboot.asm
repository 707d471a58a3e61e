; Vireo's Linux boot option ROM (the job of QEMU's linuxboot_dma.bin, written from the Linux
; boot protocol, Documentation/x86/boot.rst): SeaBIOS runs it as a boot entry; it DMA-loads,
; through fw_cfg, what the machine prepared from -kernel/-initrd/-append:
;   SETUP_ADDR/SIZE/DATA     the real-mode setup code with its patched header (0x10000),
;   KERNEL_ADDR/SIZE/DATA    the protected-mode kernel (0x100000),
;   INITRD_ADDR/SIZE/DATA    the initrd (where the header's ramdisk_image says),
;   CMDLINE_ADDR/SIZE/DATA   the command line (0x20000, cmd_line_ptr),
; then enters the setup code as boot.rst "Running the kernel" says: DS = ES = FS = GS = SS =
; the setup segment, SP just below the command line (heap_end_ptr + 0x200 = 0xfe00 + 0x200),
; and a far jump to the setup segment + 0x20, offset 0.

%include "option_rom.inc"

SETUP_SEG equ 0x1000                ; 0x10000 >> 4: where the machine put the setup code

manufacturer: db 'Vireo', 0
product:      db 'Linux loader', 0

bev:
    cli
    cld
    FW_CFG_LOAD KEY_SETUP_ADDR, KEY_SETUP_SIZE, KEY_SETUP_DATA
    FW_CFG_LOAD KEY_KERNEL_ADDR, KEY_KERNEL_SIZE, KEY_KERNEL_DATA
    FW_CFG_LOAD KEY_INITRD_ADDR, KEY_INITRD_SIZE, KEY_INITRD_DATA
    FW_CFG_LOAD KEY_CMDLINE_ADDR, KEY_CMDLINE_SIZE, KEY_CMDLINE_DATA
    mov ax, SETUP_SEG
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, 0xfff0
    jmp SETUP_SEG + 0x20:0

OPTION_ROM_END
