// The host side of a C guest: the same checksums() (checksums.c, same compiler and options)
// run natively, printing what the guest must print.
#include <stdio.h>
#include "checksums.h"

static void host_puts(const char* s) { fputs(s, stdout); }

int main(void) {
    checksums(host_puts);
    fputs("CGUEST-DONE\n", stdout);
    return 0;
}
