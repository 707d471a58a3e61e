#!/bin/sh
# seabios_boot.sh EMU CPUS RAM [menu]
#
# Boots SeaBIOS (Debian's bios-256k.bin) on -M q35 with no boot device and judges what the
# firmware itself reports:
#   - the serial console (sercon, -nographic) shows the banner "SeaBIOS (version" and
#     "No bootable device"; with "menu", also "Press ESC for boot menu";
#   - the SeaBIOS debug log (port 0x402) reports exactly CPUS CPUs, an e820 RAM layout that
#     adds up to RAM (split at 2 GiB or 2.75 GiB as q35 does), the MCH and the ICH9 LPC on PCI
#     bus 0, the q35 ECAM at 0xb0000000, the ACPI tables (PMBASE moved to 0x600) and the
#     PS/2 keyboard;
#   - "-boot reboot-timeout=0 -no-reboot" makes SeaBIOS reset at once after the failed boot,
#     and the reset (through the ICH9 reset control register) ends the run with status 0.
set -u
emu=$1 cpus=$2 ram=$3 menu=${4:-}
out=$(mktemp "${TMPDIR:-/tmp}/fw-out.XXXXXX") || exit 2
log=$(mktemp "${TMPDIR:-/tmp}/fw-log.XXXXXX") || exit 2
trap 'rm -f "$out" "$log"' EXIT INT TERM
boot=reboot-timeout=0
[ "$menu" = menu ] && boot="$boot,menu=on,splash-time=100"

timeout --kill-after=5 60 "$emu" -M q35 -nographic -m "$ram" -smp "$cpus" -boot "$boot" -no-reboot \
    -debugcon "file:$log" -global isa-debugcon.iobase=0x402 </dev/null >"$out" 2>&1
status=$?

fail() {
    echo "FAIL: $*"
    echo "--- console"; cat "$out"
    echo "--- debug log (tail)"; tail -40 "$log"
    exit 1
}
[ "$status" -eq 0 ] || fail "exit status $status (expected 0 after SeaBIOS's reset with -no-reboot)"
grep -aq "SeaBIOS (version" "$out" || fail "no SeaBIOS banner on the serial console"
grep -aq "No bootable device" "$out" || fail "no 'No bootable device' on the serial console"
if [ "$menu" = menu ]; then
    grep -aq "Press ESC for boot menu" "$out" || fail "no boot menu prompt with -boot menu=on"
else
    grep -aq "Press ESC for boot menu" "$out" && fail "boot menu prompt without -boot menu=on"
fi
grep -aq "Found $cpus cpu(s) max supported $cpus cpu(s)" "$log" || fail "SeaBIOS did not find $cpus CPUs"
grep -aq "PCI: init bdf=00:00.0 id=8086:29c0" "$log" || fail "MCH 00:00.0 not found"
grep -aq "PCI: init bdf=00:1f.0 id=8086:2918" "$log" || fail "ICH9 LPC 00:1f.0 not found"
grep -aq "PCIe: using q35 mmconfig at 0xb0000000" "$log" || fail "ECAM not at 0xb0000000"
# ACPI through etc/table-loader: SeaBIOS then moves the PM block to 0x600 and finds the DSDT.
grep -aq "Moving pm_base to 0x600" "$log" || fail "SeaBIOS did not run the ACPI table loader"
grep -aq "ACPI: parse DSDT" "$log" || fail "SeaBIOS did not find the DSDT"
grep -aq "PS2 keyboard initialized" "$log" || fail "no PS/2 keyboard"

# RAM: the sum of the e820 RAM entries fw_cfg handed over equals -m.
want=$(numfmt --from=iec "$(echo "$ram" | sed 's/^\([0-9]*\)$/\1M/')")
got=0
for len in $(grep -a "^qemu/e820: addr" "$log" | grep -a "\[RAM\]" | awk '{ print $5 }'); do
    got=$((got + len))
done
[ "$got" = "$want" ] || fail "e820 RAM adds up to $got bytes, -m $ram is $want"
# Below 4 GiB: all of RAM up to 2.75 GiB, else 2 GiB (QEMU's q35 split).
low=$(grep -a "^qemu/e820: addr 0x0000000000000000" "$log" | awk '{ print $5 }')
low=$((low))
if [ "$want" -ge $((0xb0000000)) ]; then exp_low=$((0x80000000)); else exp_low=$want; fi
[ "$low" = "$exp_low" ] || fail "RAM below 4 GiB is $low bytes, expected $exp_low"
echo "PASS: SeaBIOS on q35, $cpus CPU(s), $ram RAM${menu:+, boot menu}"
