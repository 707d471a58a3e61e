#!/bin/sh
# run_cguest.sh EMU GUEST.elf HOST-PROGRAM: the checksums of the same object code computed on
# the host and in the guest (vireo -cpu max, q35, PVH boot through SeaBIOS) must be the same
# lines; the guest ends through isa-debug-exit (status 1).
set -u
emu=$1 guest=$2 host=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/cguest.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT INT TERM
"$host" >"$dir/want" || { echo "FAIL: the host program failed"; exit 1; }
timeout --kill-after=5 100 "$emu" -M q35 -cpu max -m 128 -nographic -nodefaults -serial stdio \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$guest" </dev/null >"$dir/out" 2>&1
status=$?
# (SeaBIOS's "Booting from ROM.." has no newline: the first line follows it.)
tr -d '\r' <"$dir/out" | grep -a -o -E '[a-z0-9-]+=[0-9a-f]{16}$|CGUEST-DONE$' >"$dir/got"
if ! cmp -s "$dir/want" "$dir/got"; then
    echo "FAIL: guest checksums differ from the host's"
    diff "$dir/want" "$dir/got"
    tail -5 "$dir/out"
    exit 1
fi
[ "$status" -eq 1 ] || { echo "FAIL: exit status $status (expected 1 from isa-debug-exit)"; exit 1; }
echo "PASS: $(grep -c = "$dir/want") checksums equal to the host's"
