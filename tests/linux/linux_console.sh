#!/bin/bash
# linux_console.sh EMU GUESTDIR: the default guest used interactively, as `make run` does, on
# the -nographic console (serial + monitor mux on stdio; stdin is a FIFO here, not a terminal).
# The PVH kernel (vmlinux) is used: the same kernel as vmlinuz, booted faster.
#   1. the busybox shell runs a command; `reboot` resets the machine (ACPI reset register),
#      SeaBIOS and Linux boot again to the shell; `poweroff` there ends Vireo with status 0;
#   2. with -no-reboot, `reboot` ends Vireo with status 0 instead;
#   3. Ctrl-A x at the shell ends Vireo with status 0 ("Vireo: Terminated", QEMU's line).
set -u
emu=$1 guest=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux-console.XXXXXX") || exit 2
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; tail -40 "$tmp/out" | cat -v; exit 1; }

# count FILE PATTERN: how many lines hold PATTERN.
count() { grep -acF -- "$2" "$1"; }
# wait_count PATTERN N SECONDS: until PATTERN has appeared N times in the output.
wait_count() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        [ "$(count "$tmp/out" "$1")" -ge "$2" ] && return 0
        [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && return 1
        sleep 0.1
    done
    return 1
}
start() {
    rm -f "$tmp/in" "$tmp/out"
    mkfifo "$tmp/in"
    timeout --kill-after=5 240 "$emu" -M q35 -m 512 -nographic "$@" -kernel "$guest/vmlinux" \
        -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0" <"$tmp/in" >"$tmp/out" 2>&1 &
    pid=$!
    exec 3>"$tmp/in"
}
finish() {  # EXPECTED_STATUS WHAT
    local st
    wait "$pid"
    st=$?
    pid=
    exec 3>&-
    [ "$st" -eq "$1" ] || fail "$2: exit status $st, expected $1"
}
banner="'poweroff' turns it off"

# 1. command, reboot, boot again, poweroff.
start
wait_count "$banner" 1 120 || fail "no shell banner"
sleep 1
printf 'echo hello-$((6*7))\r' >&3
wait_count "hello-42" 1 20 || fail "the shell did not run a command"
printf 'reboot\r' >&3
wait_count "VIREO-GUEST-READY" 2 120 || fail "reboot: Linux did not come up again"
[ "$(count "$tmp/out" "SeaBIOS (version")" -ge 2 ] || fail "reboot: SeaBIOS did not run again"
wait_count "$banner" 2 60 || fail "reboot: no shell after the second boot"
sleep 1
printf 'poweroff\r' >&3
wait_count "reboot: Power down" 1 60 || fail "poweroff: no ACPI power-off"
finish 0 "poweroff"

# 2. -no-reboot: reboot ends the run.
start -no-reboot
wait_count "$banner" 1 120 || fail "-no-reboot: no shell banner"
sleep 1
printf 'reboot\r' >&3
finish 0 "reboot with -no-reboot"
[ "$(count "$tmp/out" "VIREO-GUEST-READY")" -eq 1 ] || fail "-no-reboot: the guest booted again"
grep -aq "reboot: Restarting system" "$tmp/out" || fail "-no-reboot: Linux did not restart"

# 3. Ctrl-A x.
start
wait_count "$banner" 1 120 || fail "Ctrl-A x: no shell banner"
sleep 1
printf '\001x' >&3
finish 0 "Ctrl-A x"
grep -aq "Vireo: Terminated" "$tmp/out" || fail "Ctrl-A x: no 'Vireo: Terminated'"
echo "PASS: shell command, reboot (reset and with -no-reboot), poweroff and Ctrl-A x on the console"
