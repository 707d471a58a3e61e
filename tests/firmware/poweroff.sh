#!/bin/sh
# poweroff.sh EMU ELF: ACPI S5 from the guest ends the run with status 0 (after the guest's
# last output); with -no-shutdown the machine stays up, paused, until the monitor quits.
set -u
emu=$1 elf=$2
out=$(mktemp "${TMPDIR:-/tmp}/poweroff.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM
timeout --kill-after=5 30 "$emu" -nodefaults -nographic -serial stdio -m 128 -kernel "$elf" </dev/null >"$out" 2>&1
status=$?
if [ "$status" -ne 0 ] || ! grep -aq POWEROFF "$out"; then
    echo "FAIL: S5 power-off: status $status"; cat "$out"; exit 1
fi
# -no-shutdown: still there after the power-off (the monitor answers, the VM is paused), and
# gone on the monitor's quit. The monitor is driven through a FIFO once the guest's line shows.
serial=$out.serial fifo=$out.fifo
mkfifo "$fifo"
timeout --kill-after=5 30 "$emu" -nodefaults -nographic -serial "file:$serial" -monitor stdio -no-shutdown \
    -m 128 -kernel "$elf" <"$fifo" >"$out" 2>&1 &
pid=$!
exec 3>"$fifo"
i=0
while ! grep -aq POWEROFF "$serial" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.2  # the PM1_CNT write follows the line
printf 'info status\nquit\n' >&3
exec 3>&-
wait $pid
status=$?
rm -f "$serial" "$fifo"
if [ "$status" -ne 0 ] || ! grep -aq "VM status: paused (shutdown)" "$out"; then
    echo "FAIL: -no-shutdown: status $status"; cat "$out"; exit 1
fi
echo "PASS: ACPI power-off exits 0; -no-shutdown pauses"
