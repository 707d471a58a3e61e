#!/bin/sh
# linux_boot.sh EMU GUESTDIR CPUS [KERNEL [ARGS...]]: boots the default guest (tools/make-default-guest:
# Debian's kernel and a busybox initramfs) on q35 through SeaBIOS and the linuxboot ROM (KERNEL
# vmlinuz, the default) or the PVH ROM (KERNEL vmlinux, the same kernel as a PVH ELF), with ACPI
# on, console on ttyS0 and `vireo.test`, which makes its /init run checks and power off; ARGS
# go to the emulator too (e.g. -cpu max).
# Passes if:
#   - the run ends with status 0 (ACPI S5 power-off, as QEMU exits 0 on it);
#   - /init reached userspace (VIREO-GUEST-READY) and finished (VIREO-TEST-DONE);
#   - uname -r is the packaged kernel's version, nproc and /proc/cpuinfo show CPUS CPUs;
#   - sha256sum computed in the guest equals the host's for the same input;
#   - dmesg has none of: "TSC calibration failed" (but see below), "nobody cared",
#     "lost interrupts", "clocksource ... unstable", "Call Trace".
# "tsc: Fast TSC calibration failed" is not counted: QEMU 7.2 TCG prints it too (the fast PIT
# loop assumes real-time execution); the kernel then calibrates the slow way and says so.
set -u
emu=$1 guest=$2 cpus=$3 kernel=${4:-vmlinuz}
if [ $# -ge 4 ]; then shift 4; else shift $#; fi
out=$(mktemp "${TMPDIR:-/tmp}/linux-boot.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM
timeout --kill-after=10 300 "$emu" -M q35 -m 512 -smp "$cpus" -nographic \
    -kernel "$guest/$kernel" -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0 vireo.test" "$@" \
    </dev/null >"$out" 2>&1
status=$?
fail() { echo "FAIL: $*"; tail -60 "$out"; exit 1; }
[ "$status" -eq 0 ] || fail "exit status $status (expected 0 from the guest's ACPI power-off)"
grep -aq VIREO-GUEST-READY "$out" || fail "the guest's /init did not run"
grep -aq VIREO-TEST-DONE "$out" || fail "the guest's checks did not finish"
kver=$(sed -n 's/^linux-image-\([^ ]*\) .*/\1/p' "$guest/stamp")
grep -aq "uname: $kver" "$out" || fail "uname -r is not $kver"
grep -aq "nproc: $cpus" "$out" || fail "nproc is not $cpus"
grep -aq "cpuinfo-processors: $cpus" "$out" || fail "/proc/cpuinfo does not list $cpus CPUs"
want=$(printf vireo | sha256sum | cut -d' ' -f1)
grep -aq "sha256: $want" "$out" || fail "sha256sum in the guest differs from the host's ($want)"
if grep -a "dmesg-warning:" "$out" | grep -av "Fast TSC calibration failed" | grep -q .; then
    grep -a "dmesg-warning:" "$out"
    fail "warnings in dmesg"
fi
echo "PASS: Linux $kver ($kernel${*:+ $*}) to userspace and power-off with $cpus CPU(s)"
