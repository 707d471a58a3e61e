// The bare-metal side of a C guest: checksums() (checksums.c) printing on COM1.
#include "checksums.h"

static inline void outb(unsigned short port, unsigned char v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline unsigned char inb(unsigned short port) {
    unsigned char v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void serial_puts(const char* s) {
    for (; *s; s++) {
        while (!(inb(0x3fd) & 0x20)) {}  // THR empty (16550 LSR bit 5)
        outb(0x3f8, (unsigned char)*s);
    }
}

int guest_main(void) {
    checksums(serial_puts);
    serial_puts("CGUEST-DONE\n");
    return 0;  // isa-debug-exit status 1
}
