#!/bin/sh
# run-sabotage.sh EMU TEST.asm... - mutation check of the tests themselves.
#
# For every CHECK_EQ #n in a test (EXPECT_* expand to several; CHECK_FAIL
# lines, which only run when something already went wrong, are skipped),
# rebuild it with -DSABOTAGE=n, which inverts that one check, and run it: the
# run must FAIL. A sabotaged build that still passes means check #n never
# executed (e.g. skipped for lack of a CPUID feature) - it is listed, as is
# one whose run failed without naming check #n.
# Uses nasm, ld and run-guest.sh from this directory. JOBS=N for parallelism,
# GUEST_ARGS="..." for extra emulator arguments (e.g. "-accel tcg -cpu max").
set -u
here=$(cd "$(dirname "$0")" && pwd)
emu=$1
shift
jobs=${JOBS:-$(nproc)}
work=$(mktemp -d "${TMPDIR:-/tmp}/sabotage.XXXXXX")
trap 'rm -rf "$work"' EXIT
GUEST_ARGS=${GUEST_ARGS:-}
LDWARN=
ld --no-warn-rwx-segments --version >/dev/null 2>&1 && LDWARN=--no-warn-rwx-segments
export here emu work GUEST_ARGS LDWARN
status=0
for src in "$@"; do
    name=$(basename "$src" .asm)
    nasm -f elf32 -I"$here/lib/" "$src" -o "$work/$name.o" || exit 2
    nm "$work/$name.o" | sed -n 's/.*\.\.@chk_\([0-9]*\)$/\1/p' | sort -n >"$work/$name.list"
    n=$(wc -l <"$work/$name.list")
    xargs <"$work/$name.list" -P "$jobs" -I{} sh -c '
        o=$work/'"$name"'.{}
        nasm -f elf32 -I"$here/lib/" -DSABOTAGE={} "'"$src"'" -o $o.o &&
        ld -m elf_i386 $LDWARN -T "$here/link.ld" $o.o -o $o.elf &&
        if "$here/run-guest.sh" "$emu" $o.elf $GUEST_ARGS >$o.log 2>&1; then
            echo "{}" >> "$work/'"$name"'.alive"
        elif ! grep -q "check #{} at" $o.log; then
            echo "{}" >> "$work/'"$name"'.other"
        fi'
    if [ -s "$work/$name.alive" ]; then
        echo "$name: $n checks, still PASS when sabotaged: $(sort -n "$work/$name.alive" | tr '\n' ' ')"
        status=1
    elif [ -s "$work/$name.other" ]; then
        echo "$name: $n checks, sabotage failed some other way: $(sort -n "$work/$name.other" | tr '\n' ' ')"
        status=1
    else
        echo "$name: all $n checks can fail"
    fi
done
exit $status
