#!/bin/sh
# vga_boot.sh EMU CASE [REFERENCE]
#
# QEMU's standard VGA on -M q35 with SeaBIOS and SeaVGABIOS (Debian's vgabios-stdvga.bin), judged
# by what the firmware itself reports in its debug log (port 0x402) and by what reaches stdout.
# EMU may be vireo or qemu-system-x86_64: the cases marked "both" hold for QEMU 7.2 as well,
# which is how the expectations were checked.
#
#   rom      (both) "-vga std": SeaBIOS finds 1234:1111 at 00:01.0, runs its option ROM at
#            c000:0003; SeaVGABIOS finds the Bochs dispi interface with a 16 MiB LFB at BAR0,
#            drops the same VBE modes QEMU's limits drop (19a-19e) and sets mode 3.
#   default  (both) no -vga at all: the same VGA is there (QEMU's default, -nographic or not);
#            with -nographic stdout carries only the serial console.
#   none     (both) "-vga none" and "-nodefaults": no VGA device ("PCI: No VGA devices found"),
#            SeaVGABIOS never starts.
#   quiet    (both) "-display none" with the serial port in a file: nothing at all on stdout.
#   compare  the debug log from "Scan for VGA option rom" to SeaBIOS's banner (the VGA ROM's
#            whole run: PCI location, vga_post's entry registers, VBE detection, the modes it
#            drops, mode 3) is identical on EMU and on REFERENCE (qemu-system-x86_64).
#   console  (vireo only) neither -nographic nor -display: Vireo's text console draws the VGA
#            text screen on stdout with ANSI escapes, so the banner "SeaBIOS (version" and
#            "No bootable device" appear there. (QEMU would open a GUI window instead.)
set -u
emu=$1 case=$2 ref=${3:-}
out=$(mktemp "${TMPDIR:-/tmp}/vga-out.XXXXXX") || exit 2
log=$(mktemp "${TMPDIR:-/tmp}/vga-log.XXXXXX") || exit 2
ser=$(mktemp "${TMPDIR:-/tmp}/vga-ser.XXXXXX") || exit 2
trap 'rm -f "$out" "$log" "$ser"' EXIT INT TERM

# QEMU adds a NIC by default whose iPXE ROM waits for a keypress; Vireo has none yet.
extra=
case "$emu" in *qemu*) extra="-nic none" ;; esac
vga_section() { sed -n '/^Scan for VGA option rom/,/^SeaBIOS (version/p' "$1"; }

run() {
    # shellcheck disable=SC2086
    timeout --kill-after=5 60 "$emu" -M q35 -m 128 -boot reboot-timeout=0 -no-reboot $extra \
        -debugcon "file:$log" -global isa-debugcon.iobase=0x402 "$@" </dev/null >"$out" 2>&1
    status=$?
    [ "$status" -eq 0 ] || fail "exit status $status (expected 0 after SeaBIOS's reset with -no-reboot)"
}
fail() {
    echo "FAIL ($case): $*"
    echo "--- stdout/stderr (escapes shown)"; cat -v "$out" | head -40
    echo "--- debug log (VGA lines)"; grep -a -i "vga\|vbe\|option rom\|1234" "$log"
    exit 1
}
has() { grep -aqF -- "$1" "$log" || fail "debug log lacks '$1'"; }
lacks() { grep -aqF -- "$1" "$log" && fail "debug log has '$1'"; return 0; }

check_vga_rom() {
    has "PCI: init bdf=00:01.0 id=1234:1111"
    has "PCI: Using 00:01.0 for primary VGA"
    has "Scan for VGA option rom"
    has "Running option rom at c000:0003"
    has "Start SeaVGABIOS (version"
    has "VBE DISPI: bdf 00:01.0, bar 0"
    has "VBE DISPI: lfb_addr="
    has ", size 16 MB"
    for mode in 19a 19b 19c 19d 19e; do has "Removing mode $mode"; done
    [ "$(grep -ac "Removing mode" "$log")" = 5 ] || fail "expected exactly 5 VBE modes removed"
    lacks "No VBE DISPI interface detected"
    has "set VGA mode 3"
}

case "$case" in
rom)
    run -vga std -display none -serial "file:$ser"
    check_vga_rom
    ;;
default)
    run -nographic
    check_vga_rom
    # -nographic: stdout is the serial console; the text console must stay off it (its
    # frames start by hiding the cursor, which SeaBIOS's serial console never sends).
    grep -aqF "SeaBIOS (version" "$out" || fail "no SeaBIOS banner on the serial console"
    grep -aqF "$(printf '\033[?25l')" "$out" && fail "text console output on stdout with -nographic"
    ;;
none)
    run -vga none -display none -serial "file:$ser"
    has "PCI: No VGA devices found"
    lacks "1234:1111"
    lacks "Start SeaVGABIOS"
    run -nodefaults -display none
    has "PCI: No VGA devices found"
    lacks "1234:1111"
    lacks "Start SeaVGABIOS"
    ;;
quiet)
    run -vga std -display none -serial "file:$ser"
    [ -s "$out" ] && fail "stdout is not empty with -display none"
    ;;
compare)
    [ -n "$ref" ] || { echo "compare needs a REFERENCE emulator"; exit 2; }
    run -vga std -display none -serial "file:$ser"
    check_vga_rom
    mine=$(vga_section "$log")
    emu_under_test=$emu
    emu=$ref
    extra="-nic none"
    run -vga std -display none -serial "file:$ser"
    theirs=$(vga_section "$log")
    emu=$emu_under_test
    [ "$mine" = "$theirs" ] || {
        echo "FAIL (compare): the VGA ROM's log differs from $(basename "$ref")'s"
        printf '%s\n' "$theirs" >"$ser"
        printf '%s\n' "$mine" | diff "$ser" -
        exit 1
    }
    ;;
console)
    run -vga std -serial "file:$ser"
    check_vga_rom
    grep -aqF "SeaBIOS (version" "$out" || fail "no SeaBIOS banner on the text console (stdout)"
    grep -aqF "No bootable device" "$out" || fail "no 'No bootable device' on the text console"
    grep -aqF "$(printf '\033[2J')" "$out" || fail "the text console did not clear the terminal"
    ;;
*)
    echo "usage: $0 EMU rom|default|none|quiet|console|compare [REFERENCE]"; exit 2 ;;
esac
echo "PASS: VGA $case on $(basename "$emu")"
