#!/bin/sh
# linuxboot.sh EMU FAKE_BZIMAGE FAKE_PVH: -kernel/-initrd/-append with a bzImage go through
# SeaBIOS and Vireo's linuxboot option ROM as the Linux boot protocol says
# (Documentation/x86/boot.rst), and with a PVH ELF through the pvh ROM (Xen start_info.h).
# fake_bzimage.asm checks the entry state and header patches itself and prints what the loader
# handed over; this script compares that with what the protocol and QEMU's layout require:
# the command line, the initrd at (top of low RAM - 128 KiB - size) & ~4095 (QEMU 7.2), and
# the first bytes of the kernel at 0x100000 and of the initrd.
# Then the loader's bad inputs: each gets one error line and status 1.
set -u
emu=$1 kernel=$2 pvh=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linuxboot.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
printf 'INITRD-CONTENTS!and more' >"$tmp/initrd"
fail() { echo "FAIL: $*"; cat "$tmp/out"; exit 1; }

timeout --kill-after=5 30 "$emu" -nodefaults -nographic -serial stdio -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$kernel" -initrd "$tmp/initrd" \
    -append "console=ttyS0 quiet" </dev/null >"$tmp/out" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "exit status $status (the fake kernel exits through isa-debug-exit with 0)"
grep -aq "FAKE-BZIMAGE-OK" "$tmp/out" || fail "the fake kernel's entry checks failed"
grep -aq "cmdline=<console=ttyS0 quiet>" "$tmp/out" || fail "command line"
# 128 MiB: (0x8000000 - 0x20000 - 1 - 24) & ~0xfff = 0x7fdf000, size 0x18.
grep -aq "initrd=07fdf000+00000018" "$tmp/out" || fail "initrd address/size"
grep -aq "kernel=KERNEL-PAYLOAD!!" "$tmp/out" || fail "kernel at 0x100000"
grep -aq "initrd-data=INITRD-CONTENTS!" "$tmp/out" || fail "initrd contents"

# PVH: fake_pvh.asm prints what hvm_start_info holds. QEMU 7.2 gives the same lines (its
# initrd sits 160 KiB below the top of low RAM for PVH: 0x7fd7000 with -m 128).
timeout --kill-after=5 30 "$emu" -nodefaults -nographic -serial stdio -m 128 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$pvh" -initrd "$tmp/initrd" \
    -append "console=ttyS0 pvh" </dev/null >"$tmp/out" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "PVH: exit status $status"
grep -aq "FAKE-PVH-OK" "$tmp/out" || fail "PVH: the fake kernel's entry checks failed"
grep -aq "cmdline=<console=ttyS0 pvh>" "$tmp/out" || fail "PVH: command line"
grep -aq "modules=00000001 07fd7000+00000018 INITRD-CONTENTS!" "$tmp/out" || fail "PVH: module"
grep -aq "memmap=0000000[0-9a-f] 00000000+0009fc00:00000001" "$tmp/out" || fail "PVH: memory map"

# Bad input: one line on stderr, status 1, nothing on stdout.
bad() {
    expect=$1; shift
    "$emu" -nodefaults -nographic -serial stdio -m 128 "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    [ "$status" -eq 1 ] || fail "$*: status $status, expected 1"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "$*: not exactly one error line"; }
    grep -q "$expect" "$tmp/err" || { cat "$tmp/err"; fail "$*: error does not mention '$expect'"; }
    [ ! -s "$tmp/out" ] || fail "$*: output on stdout"
}
printf 'neither bzImage nor Multiboot' >"$tmp/junk"
bad "not a Linux bzImage, a Multiboot kernel or a PVH ELF" -kernel "$tmp/junk"
bad "could not open" -kernel "$kernel" -initrd "$tmp/missing"
head -c $((130 * 1024 * 1024)) /dev/zero >"$tmp/big"
bad "too large" -kernel "$kernel" -initrd "$tmp/big"
bad "longer than the kernel accepts" -kernel "$kernel" -append "$(head -c 3000 /dev/zero | tr '\0' x)"
echo "PASS: linuxboot and pvh ROMs, header patches, start_info, initrd placement; bad inputs rejected"
