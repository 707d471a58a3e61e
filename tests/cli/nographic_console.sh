#!/bin/bash
# -nographic console (softmmu/chardev_mux.h, softmmu/monitor.h): serial port and monitor share
# stdio through the mux, with stdin a pipe (not a terminal). Waits for SeaBIOS on the serial
# console, then Ctrl-A c -> monitor -> "info status" -> "quit" (exit 0); Ctrl-A x (exit 0,
# "Terminated"); -serial mon:stdio; and a monitor on a TCP server with wait=off.
# Needs Debian's seabios (as tests/firmware).
set -u
VIREO=$1
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0

fail() {
    echo "FAIL: $*"
    echo "--- stdout"; cat -A "$tmp/out" | tail -30
    echo "--- stderr"; cat "$tmp/err"
    fails=$((fails + 1))
}

# wait_for FILE PATTERN SECONDS
wait_for() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -aqF -- "$2" "$1" && return 0
        sleep 0.1
    done
    return 1
}

# start ARGS...: vireo in the background, stdin from a FIFO held open on fd 3.
start() {
    rm -f "$tmp/in" "$tmp/out" "$tmp/err"
    mkfifo "$tmp/in"
    timeout --kill-after=5 60 "$VIREO" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
}

# finish EXPECTED_STATUS WHAT
finish() {
    local st
    wait "$pid"
    st=$?
    pid=
    exec 3>&-
    [ "$st" -eq "$1" ] || fail "$2: exit status $st, expected $1"
}

# 1. Ctrl-A c, info status, quit.
start -M q35 -nographic -m 128
if wait_for "$tmp/out" "SeaBIOS" 30; then
    printf '\001c' >&3
    wait_for "$tmp/out" "(qemu) " 10 || fail "no monitor prompt after Ctrl-A c"
    printf 'info status\r' >&3
    wait_for "$tmp/out" "VM status: running" 10 || fail "no 'VM status: running'"
    printf 'quit\r' >&3
else
    fail "no SeaBIOS banner on the serial console"
fi
finish 0 "quit from the monitor"

# 2. Ctrl-A x.
start -M q35 -nographic -m 128
wait_for "$tmp/out" "SeaBIOS" 30 || fail "no SeaBIOS banner (Ctrl-A x run)"
printf '\001x' >&3
finish 0 "Ctrl-A x"
grep -aq "Terminated" "$tmp/out" || fail "Ctrl-A x did not print 'Terminated'"

# 3. -serial mon:stdio is the same mux, explicitly; Ctrl-A h lists the keys.
start -M q35 -nographic -serial mon:stdio -m 128
wait_for "$tmp/out" "SeaBIOS" 30 || fail "no SeaBIOS banner (mon:stdio run)"
printf '\001h' >&3
wait_for "$tmp/out" "C-a c" 10 || fail "Ctrl-A h printed no help"
printf '\001cq\r' >&3
finish 0 "mon:stdio quit"

# 4. -monitor on a TCP server with wait=off: the guest runs before anyone connects.
port=$((20000 + RANDOM % 20000))
start -M q35 -nographic -m 128 -monitor "tcp:127.0.0.1:$port,server=on,wait=off"
if wait_for "$tmp/out" "SeaBIOS" 30 && exec 4<>"/dev/tcp/127.0.0.1/$port"; then
    : >"$tmp/mon"
    cat <&4 >"$tmp/mon" &
    reader=$!
    wait_for "$tmp/mon" "(qemu) " 10 || fail "no banner/prompt on the TCP monitor"
    printf 'info status\r\n' >&4
    wait_for "$tmp/mon" "VM status: running" 10 || fail "TCP monitor: no 'VM status: running'"
    printf 'quit\r\n' >&4
    finish 0 "quit from the TCP monitor"
    exec 4>&-
    kill "$reader" 2>/dev/null
    wait "$reader" 2>/dev/null
else
    fail "TCP monitor on port $port: no connection"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
    exec 3>&-
fi

[ "$fails" -eq 0 ] && echo "nographic console: all passed"
exit $((fails > 0))
