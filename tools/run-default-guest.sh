#!/bin/bash
# `make run`: boot the default guest on the terminal. Until the Linux guest exists (issue
# "Linux end-to-end") the default guest is the demo shell kernel built from roms/demo/.
set -euo pipefail
BUILD="${1:-build}"
# The demo's `exit` writes 0 to isa-debug-exit, which ends Vireo with status (0 << 1) | 1 = 1:
# that is a clean power-off, so report success for it.
status=0
"$BUILD/vireo" -nodefaults -nographic -serial stdio -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$BUILD/roms/demo.elf" || status=$?
[ "$status" -eq 1 ] && status=0
exit "$status"
