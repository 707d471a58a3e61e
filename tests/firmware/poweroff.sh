#!/bin/sh
# poweroff.sh EMU ELF: ACPI S5 from the guest ends the run with status 0 (after the guest's
# last output).
set -u
emu=$1 elf=$2
out=$(mktemp "${TMPDIR:-/tmp}/poweroff.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM
timeout --kill-after=5 30 "$emu" -nodefaults -nographic -serial stdio -m 128 -kernel "$elf" </dev/null >"$out" 2>&1
status=$?
if [ "$status" -ne 0 ] || ! grep -aq POWEROFF "$out"; then
    echo "FAIL: S5 power-off: status $status"; cat "$out"; exit 1
fi
echo "PASS: ACPI power-off exits 0"
