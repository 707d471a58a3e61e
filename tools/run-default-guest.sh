#!/bin/bash
# `make run`: boot the default guest on the terminal. Until the Linux guest exists (issue
# "Linux end-to-end") the default guest is the demo shell kernel built from roms/demo/.
set -euo pipefail
BUILD="${1:-build}"
exec "$BUILD/vireo" -nodefaults -nographic -serial stdio -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$BUILD/roms/demo.elf"
