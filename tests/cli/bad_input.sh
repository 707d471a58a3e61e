#!/bin/bash
# A user can type anything: each bad command line gets exactly one line on stderr starting
# "vireo: ", exit status 1, nothing on stdout and no files left behind.
set -u
VIREO=$1
DEMO=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'not a kernel\n' > "$tmp/junk.bin"
fails=0
n=0

bad() {  # bad "expected stderr pattern" args...
    local want=$1
    shift
    n=$((n + 1))
    "$VIREO" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local st=$?
    local lines
    lines=$(wc -l <"$tmp/err")
    if [ "$st" -ne 1 ] || [ "$lines" -ne 1 ] || [ -s "$tmp/out" ] || ! grep -q "^vireo: .*$want" "$tmp/err"; then
        echo "FAIL: vireo $* -> status $st, stderr ($lines lines): $(cat "$tmp/err") stdout: $(head -c 200 "$tmp/out")"
        fails=$((fails + 1))
    fi
}

bad "invalid option" -foo
bad "requires an argument" -m
bad "" -m 12Q
bad "not supported yet" -vnc :0
bad "" -smp 0
bad "" -M nosuchmachine
bad "" -cpu nosuchcpu -kernel "$DEMO"
bad "" -device nosuchdevice
bad "" -device isa-debug-exit,iobase=0x10000
bad "" -d nosuchitem
bad "tier1-threshold must be" -accel tcg,tier1=on,tier1-threshold=0 -kernel "$DEMO"
bad "could not open" -kernel "$tmp/missing.elf"
bad "not a Linux bzImage, a Multiboot kernel or a PVH ELF" -kernel "$tmp/junk.bin"
bad "" -initrd "$tmp/junk.bin"
bad "" -kernel "$DEMO" -m 1
bad "" -serial "file:$tmp/serial.out" -kernel "$tmp/missing.elf"
if [ -e "$tmp/serial.out" ]; then
    echo "FAIL: a failed start left $tmp/serial.out behind"
    fails=$((fails + 1))
fi
bad "" -D /nonexistent-dir/log -kernel "$DEMO"

# Help requests answer on stdout and exit 0 (-d help exits 1 like QEMU).
for h in -version -help "-cpu help" "-machine help" "-device help"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    if ! "$VIREO" $h >"$tmp/out" 2>"$tmp/err" || [ ! -s "$tmp/out" ]; then
        echo "FAIL: vireo $h"
        fails=$((fails + 1))
    fi
done

echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
