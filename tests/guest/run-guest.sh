#!/bin/sh
# run-guest.sh EMU ELF [extra emulator args...]
#
# Boots one guest test kernel with the fixed Vireo/QEMU command line and
# judges it: success (exit 0) only if the emulator exits with status 1
# (isa-debug-exit written with 0) AND the serial output contains "PASS"
# (and no "FAIL").
# A triple fault (reset -> the loader runs the kernel again), a hang or a
# crash shows up as a timeout or a missing PASS. On failure the captured
# output is printed.
#
# Environment: GUEST_TIMEOUT (seconds, default 20).
set -u
if [ $# -lt 2 ]; then
    echo "usage: $0 EMU ELF [extra args...]" >&2
    exit 2
fi
emu=$1
elf=$2
shift 2
timeout_s=${GUEST_TIMEOUT:-20}
out=$(mktemp "${TMPDIR:-/tmp}/guest-out.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM

timeout --kill-after=5 "$timeout_s" "$emu" -nodefaults -nographic \
    -serial stdio -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 \
    -kernel "$elf" "$@" </dev/null >"$out" 2>&1
status=$?

name=$(basename "$elf" .elf)
if [ "$status" -eq 1 ] && grep -aq "PASS" "$out" && ! grep -aq "FAIL" "$out"; then
    grep -a "PASS" "$out"
    exit 0
fi
case $status in
    124|137) why="timeout after ${timeout_s}s (hang or reset loop)" ;;
    1)       why="exit status 1 but no PASS line" ;;
    3)       why="test reported failure (exit status 3)" ;;
    *)       why="emulator exit status $status" ;;
esac
echo "guest test $name FAILED: $why"
echo "---- output (last 40 lines) ----"
tail -n 40 "$out" | cut -c1-300
echo "----------------"
exit 1
