#!/bin/bash
# `make run`: build the default Linux guest if it is not there yet (tools/make-default-guest:
# Debian's kernel and a busybox initramfs) and boot it with a shell on this terminal. The
# command line, to adapt:
#   vireo -M q35 -m 1G -nographic -kernel build/guest/vmlinuz \
#         -initrd build/guest/initramfs.cpio.gz -append "console=ttyS0"
# `poweroff` in the guest ends it (ACPI power-off, exit status 0); Ctrl-A x quits Vireo.
set -euo pipefail
BUILD="${1:-build}"
tools/make-default-guest "$BUILD/guest"
exec "$BUILD/vireo" -M q35 -m 1G -nographic -kernel "$BUILD/guest/vmlinuz" \
    -initrd "$BUILD/guest/initramfs.cpio.gz" -append "console=ttyS0"
