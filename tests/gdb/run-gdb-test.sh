#!/bin/sh
# run-gdb-test.sh VIREO GDB ELF
#
# The gdbstub end to end, with the real gdb in batch mode against gdb_guest.elf on q35 with
# SeaBIOS and -smp 2: attach at the reset vector (-S, a Unix socket), step in real mode,
# break in protected, real and 64-bit mode, read and write registers and memory, hit a
# hardware watchpoint, list the vCPUs as threads, run a monitor command, detach. Then the
# guest runs to its end and checks what gdb wrote (PASS on the serial port, exit status 1
# through isa-debug-exit). Every expectation is a grep over gdb's output.
set -u
vireo=$1
gdb=$2
elf=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/gdbtest.XXXXXX") || exit 2
trap 'kill $vpid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

sym() { printf '0x%x' "0x$(nm "$elf" | awk -v s="$1" '$3 == s { print $1 }')"; }
PM=$(sym pm_mark)
LM=$(sym lm_mark)
LMSTEP=$(sym lm_step)
WSTORE=$(sym watch_store)
POKE=$(sym poke_var)
WATCH=$(sym watch_var)
RM=$(printf '0x%x' $((0x8000 + $(sym rm_mark) - $(sym low_start))))

sock=$dir/gdb.sock
timeout --kill-after=5 60 "$vireo" -nodefaults -nographic -serial "file:$dir/serial.txt" -m 128 -smp 2 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$elf" -S -gdb "unix:$sock" \
    </dev/null >"$dir/vireo.txt" 2>&1 &
vpid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

timeout 60 "$gdb" -batch -nx \
    -ex 'set architecture i386:x86-64' \
    -ex 'set confirm off' \
    -ex "target remote $sock" \
    -ex 'printf "RESET pc=%#x cs=%#x\n", $pc, $cs' \
    -ex 'stepi' \
    -ex 'printf "REALSTEP pc=%#x cs=%#x cr0.pe=%d\n", $pc, $cs, $cr0 & 1' \
    -ex 'monitor info status' \
    -ex "break *$PM" \
    -ex "break *$RM" \
    -ex "hbreak *$LM" \
    -ex 'continue' \
    -ex 'printf "PM pc=%#x cr0.pe=%d efer=%#x\n", $pc, $cr0 & 1, $efer' \
    -ex 'continue' \
    -ex 'printf "RM pc=%#x cs=%#x cr0.pe=%d\n", $pc, $cs, $cr0 & 1' \
    -ex 'stepi' \
    -ex 'printf "RMSTEP pc=%#x ax=%#x\n", $pc, $rax & 0xffff' \
    -ex 'continue' \
    -ex 'printf "LM pc=%#x efer.lma=%d cs.l=%d\n", $pc, ($efer >> 10) & 1, $cs != 0' \
    -ex 'stepi' \
    -ex 'printf "LMSTEP pc=%#x rax=%#lx\n", $pc, $rax' \
    -ex 'set $rax = 0x1122334455667788' \
    -ex "set {long}$POKE = 0x55aa55aa" \
    -ex "printf \"POKE %#lx\\n\", *(long *)$POKE" \
    -ex "monitor xp /1xg $POKE" \
    -ex 'info registers rax cr3 fs_base k_gs_base' \
    -ex 'p $xmm0.uint128' \
    -ex 'p $st0' \
    -ex "watch *(long *)$WATCH" \
    -ex 'continue' \
    -ex 'printf "WATCH pc=%#x\n", $pc' \
    -ex 'info threads' \
    -ex 'thread 2' \
    -ex 'printf "T2 pc=%#x\n", $pc' \
    -ex 'stepi' \
    -ex 'printf "T2STEP pc=%#x\n", $pc' \
    -ex 'thread 1' \
    -ex 'delete' \
    -ex 'detach' \
    >"$dir/gdb.txt" 2>&1
wait $vpid
status=$?
vpid=

fail=0
expect() {
    if ! grep -aqF -- "$1" "$dir/gdb.txt"; then
        echo "missing in gdb output: $1"
        fail=1
    fi
}
expect "RESET pc=0xfffffff0 cs=0xf000"
expect "REALSTEP pc=0xfe05b cs=0xf000 cr0.pe=0"
expect "VM status: paused (debug)"
expect "PM pc=$PM cr0.pe=1"
expect "RM pc=$RM cs=0 cr0.pe=0"
expect "RMSTEP pc=$(printf '0x%x' $((RM + 3))) ax=0x1234"
expect "LM pc=$LM efer.lma=1"
expect "LMSTEP pc=$LMSTEP rax=0x123456789abcdef"
expect "POKE 0x55aa55aa"
expect "Hardware watchpoint 4: *(long *)$WATCH"
expect "Old value = 0"
expect "New value = 119"
expect "WATCH pc=$(printf '0x%x' $((WSTORE + 7)))"
expect "Thread 2 (CPU#1"
expect "T2 pc="
expect "T2STEP pc="
expect "$(printf '%016x' $POKE): 0x0000000055aa55aa"
expect "[Inferior 1 (Remote target) detached]"
if ! grep -aq PASS "$dir/serial.txt" || [ "$status" -ne 1 ]; then
    echo "guest did not pass after detach (vireo exit status $status)"
    fail=1
fi
if [ $fail -ne 0 ]; then
    echo "---- gdb output"; cat "$dir/gdb.txt"
    echo "---- serial"; cat "$dir/serial.txt"
    echo "---- vireo"; cat "$dir/vireo.txt"
    exit 1
fi
echo "gdb test passed"
