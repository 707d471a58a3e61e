#!/bin/sh
# linux_gdb.sh EMU GDB GUESTDIR: debugging Linux with the real gdb from the first instruction
# to userspace. The default guest's kernel as a PVH ELF (vmlinux), started paused (-S) with a
# gdbstub on a Unix socket; gdb attaches at the reset vector, breaks at the kernel's PVH entry
# (32-bit protected mode, from the ELF's XEN_ELFNOTE_PHYS32_ENTRY note), then at the entry
# point of busybox (the first user program: /init's interpreter), which must be reached in
# ring 3 (CS = 0x33) of 64-bit mode with the kernel's command line in effect; then it lets the
# guest finish its boot test and power off.
set -u
emu=$1 gdb=$2 guest=$(cd "$3" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/linux-gdb.XXXXXX") || exit 2
vpid=
trap '[ -n "$vpid" ] && kill $vpid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
fail() { echo "FAIL: $*"; echo "--- gdb"; cat "$dir/gdb.txt"; echo "--- console (tail)"; tail -20 "$dir/console.txt"; exit 1; }

# PVH entry: the note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY), a 32-bit physical address.
pvh=$(readelf -n "$guest/vmlinux" | awk '/0x00000012/ { getline; print "0x" $6 $5 $4 $3; exit }')
[ -n "$pvh" ] || fail "no PVH entry note in $guest/vmlinux"
pvh=$(printf '0x%x' "$pvh")
# busybox's entry point (static, not PIE: a fixed linear address in every process).
(cd "$dir" && zcat "$guest/initramfs.cpio.gz" | cpio -i --quiet -d bin/busybox) || fail "cpio"
bb=$(readelf -h "$dir/bin/busybox" | awk '/Entry point address/ { print $4 }')
readelf -h "$dir/bin/busybox" | grep -q 'EXEC (Executable file)' || fail "busybox is not a fixed-address executable"

sock=$dir/gdb.sock
timeout --kill-after=5 300 "$emu" -M q35 -m 512 -nographic -kernel "$guest/vmlinux" \
    -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0 vireo.test" -S -gdb "unix:$sock" \
    </dev/null >"$dir/console.txt" 2>&1 &
vpid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

timeout 280 "$gdb" -batch -nx \
    -ex 'set architecture i386:x86-64' \
    -ex 'set confirm off' \
    -ex "target remote $sock" \
    -ex 'printf "RESET pc=%#x cs=%#x\n", $pc, $cs' \
    -ex "hbreak *$pvh" \
    -ex 'continue' \
    -ex 'printf "PVH pc=%#x cr0.pe=%d cr0.pg=%d ebx=%#x\n", $pc, $cr0 & 1, ($cr0 >> 31) & 1, $rbx' \
    -ex 'delete' \
    -ex "hbreak *$bb" \
    -ex 'continue' \
    -ex 'printf "USER pc=%#x cs=%#x efer.lma=%d\n", $pc, $cs, ($efer >> 10) & 1' \
    -ex 'delete' \
    -ex 'detach' \
    >"$dir/gdb.txt" 2>&1
wait $vpid
status=$?
vpid=
grep -q "RESET pc=0xfffffff0 cs=0xf000" "$dir/gdb.txt" || fail "not attached at the reset vector"
grep -q "PVH pc=$pvh cr0.pe=1 cr0.pg=0" "$dir/gdb.txt" || fail "no stop at the PVH entry $pvh in protected mode"
grep -q "USER pc=$bb cs=0x33 efer.lma=1" "$dir/gdb.txt" || fail "no stop at busybox's entry $bb in ring 3"
grep -aq VIREO-TEST-DONE "$dir/console.txt" || fail "the guest did not finish after detach"
[ "$status" -eq 0 ] || fail "exit status $status after the guest's power-off"
echo "PASS: gdb from the reset vector to the PVH entry ($pvh) and busybox's first instruction ($bb, ring 3)"
