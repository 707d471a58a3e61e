#!/usr/bin/env python3
"""QMP wire-protocol client test (Python 3 standard library only).

Starts an emulator with
    -M q35 -nodefaults -display none -m 128 -smp 2,cores=2 -S -qmp unix:SOCK,server=on,wait=off
speaks QMP to it over the Unix socket, checks every reply, and reduces each reply and event
to its *shape* (keys and JSON types, not values).

    qmp_client.py check EMU REFERENCE.json   run against EMU, compare shapes with REFERENCE
    qmp_client.py compare EMU QEMU           run against both, compare their shapes
    qmp_client.py record EMU                 print EMU's shapes (to make a REFERENCE)

REFERENCE (tests/qmp/qemu-7.2-shapes.json) was recorded from qemu-system-x86_64 7.2 with
`record`, so the check does not need QEMU installed. Exit status 0 = pass.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

COMMANDS = ["qmp_capabilities", "query-status", "query-cpus-fast", "query-version", "query-commands",
            "stop", "cont", "system_reset", "system_powerdown", "quit", "human-monitor-command"]


class Fail(Exception):
    pass


def shape(v):
    """Keys and types of a JSON value; a list's shape is its elements' (all alike)."""
    if isinstance(v, dict):
        return {k: shape(x) for k, x in sorted(v.items())}
    if isinstance(v, list):
        shapes = []
        for x in v:
            s = shape(x)
            if s not in shapes:
                shapes.append(s)
        return shapes
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "str"
    return "null"


class Session:
    def __init__(self, emu, workdir):
        self.sock_path = os.path.join(workdir, "qmp.sock")
        self.log = open(os.path.join(workdir, "emu.log"), "w+")
        args = [emu, "-M", "q35", "-nodefaults", "-display", "none", "-m", "128", "-smp", "2,cores=2", "-S",
                "-qmp", "unix:%s,server=on,wait=off" % self.sock_path]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        self.buf = b""
        self.events = []
        self.sock = self.connect()

    def connect(self):
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise Fail("emulator exited with %d before QMP came up:\n%s" % (self.proc.returncode, self.log.read()))
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                self.buf = b""
                return s
            except OSError:
                s.close()
                time.sleep(0.05)
        raise Fail("no QMP socket at " + self.sock_path)

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def read_msg(self, timeout=10.0):
        """The next message (events included), or None on timeout; raises on EOF."""
        deadline = time.time() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                d = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not d:
                raise Fail("connection closed by the emulator")
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        if not line.endswith(b"\r"):
            raise Fail("message does not end with \\r\\n: %r" % line)
        try:
            return json.loads(line[:-1])
        except ValueError:
            raise Fail("not JSON: %r" % line)

    def reply(self, data, timeout=10.0):
        """Sends data and returns the first non-event message; events are kept in self.events."""
        self.send(data)
        while True:
            m = self.read_msg(timeout)
            if m is None:
                raise Fail("no reply to %r" % data)
            if "event" in m:
                self.events.append(m)
            else:
                return m

    def wait_event(self, name, timeout=5.0):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            m = self.read_msg(max(0.0, deadline - time.time()))
            if m is None:
                raise Fail("no %s event" % name)
            if "event" not in m:
                raise Fail("unexpected message while waiting for %s: %r" % (name, m))
            self.events.append(m)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def expect(cond, what):
    if not cond:
        raise Fail(what)


def run(emu):
    """The scenario; returns [(step, shape)] and raises Fail on a wrong reply."""
    shapes = []
    workdir = tempfile.mkdtemp(prefix="qmp-client-")
    s = Session(emu, workdir)

    def record(step, msg):
        shapes.append([step, shape(msg)])
        return msg

    def ok(step, cmd, **extra):
        req = {"execute": cmd}
        req.update(extra)
        r = record(step, s.reply(json.dumps(req)))
        expect("return" in r, "%s: expected a return, got %r" % (step, r))
        return r

    def err(step, data, cls):
        r = s.reply(data)
        expect("error" in r and r["error"].get("class") == cls and isinstance(r["error"].get("desc"), str),
               "%s: expected a %s error, got %r" % (step, cls, r))
        record(step, r)
        shapes.append([step + ".class", cls])

    def event(step, name, data=None):
        e = s.wait_event(name)
        if data is not None:
            expect(e.get("data") == data, "%s: %s data %r, expected %r" % (step, name, e.get("data"), data))
        record(step, e)

    def status(step, expected):
        r = ok(step, "query-status")
        expect(r["return"]["status"] == expected, "%s: status %r, expected %r" % (step, r["return"], expected))

    try:
        g = record("greeting", s.read_msg())
        expect(g and "QMP" in g, "greeting: %r" % g)
        expect(g["QMP"]["version"]["qemu"]["major"] >= 7 and g["QMP"]["capabilities"] == ["oob"], "greeting: %r" % g)
        err("before-negotiation", '{"execute": "query-status"}', "CommandNotFound")
        r = ok("qmp_capabilities", "qmp_capabilities", id=[1, "two"])
        expect(r == {"return": {}, "id": [1, "two"]}, "qmp_capabilities: %r" % r)
        err("qmp_capabilities-again", '{"execute": "qmp_capabilities"}', "CommandNotFound")

        ok("query-version", "query-version")
        status("query-status.prelaunch", "prelaunch")
        r = ok("query-cpus-fast", "query-cpus-fast")
        expect(len(r["return"]) == 2 and r["return"][0]["cpu-index"] == 0 and r["return"][0]["target"] == "x86_64",
               "query-cpus-fast: %r" % r)
        # Values too, not only shapes: topology ids and QOM paths must be QEMU's.
        shapes.append(["query-cpus-fast.values", [{k: v for k, v in c.items() if k != "thread-id"} for c in r["return"]]])
        r = ok("query-commands", "query-commands")
        names = {c["name"] for c in r["return"]}
        expect(all(c in names for c in COMMANDS), "query-commands lacks %s" % [c for c in COMMANDS if c not in names])

        ok("cont", "cont")
        event("event.resume", "RESUME")
        status("query-status.running", "running")
        ok("stop", "stop")
        event("event.stop", "STOP")
        status("query-status.paused", "paused")
        ok("system_reset", "system_reset")
        event("event.reset", "RESET", {"guest": False, "reason": "host-qmp-system-reset"})
        status("query-status.after-reset", "prelaunch")
        ok("cont-again", "cont")
        event("event.resume-again", "RESUME")
        ok("system_powerdown", "system_powerdown")
        event("event.powerdown", "POWERDOWN")
        r = ok("human-monitor-command", "human-monitor-command", arguments={"command-line": "info status"})
        expect(r["return"] == "VM status: running\r\n", "human-monitor-command: %r" % r)
        r = ok("human-monitor-command.unknown", "human-monitor-command", arguments={"command-line": "nosuchcmd"})
        expect("nosuchcmd" in r["return"], "human-monitor-command: %r" % r)

        # Errors: QMP's class + desc.
        err("unknown-command", '{"execute": "nosuch", "id": 3}', "CommandNotFound")
        err("missing-argument", '{"execute": "human-monitor-command"}', "GenericError")
        err("wrong-type", '{"execute": "human-monitor-command", "arguments": {"command-line": 1}}', "GenericError")
        err("unexpected-argument", '{"execute": "cont", "arguments": {"a": 1}}', "GenericError")
        err("not-an-object", "[1, 2]", "GenericError")
        err("unexpected-member", '{"execute": "cont", "x": 1}', "GenericError")
        err("lacks-execute", '{"id": 1}', "GenericError")
        err("arguments-not-object", '{"execute": "cont", "arguments": []}', "GenericError")
        err("garbage", "garbage\n", "GenericError")
        err("malformed", '{"execute": }', "GenericError")
        err("unterminated-string", '"abc\n', "GenericError")
        err("byte-ff", b"\xff\n", "GenericError")
        status("alive-after-garbage", "running")
        # 64 KiB of pseudo-random bytes, then 0xff (QMP's parser reset): error replies only, and
        # the session goes on.
        x, noise = 12345, bytearray()
        for _ in range(65536):
            x = (x * 1103515245 + 12345) & 0x7fffffff
            noise.append(x >> 16 & 0xff)
        s.send(bytes(noise) + b"\xff\n")
        s.send('{"execute": "query-status", "id": "after-noise"}')
        while True:
            r = s.read_msg()
            expect(r is not None, "no reply after the noise")
            if "event" in r:
                continue
            if r.get("id") == "after-noise":
                break
            expect(r.get("error", {}).get("class") == "GenericError", "noise: %r" % r)
        expect(r.get("return", {}).get("status") == "running", "after noise: %r" % r)
        record("after-noise", r)

        # Two requests in one write; one request a byte at a time.
        s.send('{"execute": "query-version", "id": 1}{"execute": "query-status", "id": 2}')
        a = s.reply(b"")
        b = s.reply(b"")
        expect(a.get("id") == 1 and b.get("id") == 2, "concatenated: %r %r" % (a, b))
        req = b'{"execute": "query-status", "id": "split"}'
        for i in range(len(req) - 1):
            s.send(req[i:i + 1])
            time.sleep(0.002)
        r = s.reply(req[-1:])
        expect(r.get("id") == "split" and "return" in r, "split: %r" % r)

        # A client that leaves mid-command; the next one is greeted and must negotiate again.
        s.send('{"execute": "query-st')
        s.sock.close()
        s.sock = s.connect()
        g = s.read_msg()
        expect(g and "QMP" in g, "greeting after reconnect: %r" % g)
        err("after-reconnect", '{"execute": "query-status"}', "CommandNotFound")
        # Out-of-band execution (qmp-spec.txt 2.3.1, 4.1): "exec-oob" is not a member until the
        # "oob" capability is enabled; then only commands that allow it run out of band.
        err("exec-oob-before-negotiation", '{"exec-oob": "query-status", "id": 1}', "GenericError")
        r = ok("qmp_capabilities.oob", "qmp_capabilities", arguments={"enable": ["oob"]})
        err("exec-oob-not-allowed", '{"exec-oob": "query-status", "id": "oob1"}', "GenericError")
        err("exec-oob-unknown", '{"exec-oob": "nosuch", "id": "oob2"}', "CommandNotFound")
        err("exec-oob-not-string", '{"exec-oob": 1, "id": "oob3"}', "GenericError")
        err("exec-and-exec-oob", '{"execute": "query-status", "exec-oob": "query-status", "id": 4}', "GenericError")
        status("query-status.oob-session", "running")
        s.sock.close()
        s.sock = s.connect()
        expect(s.read_msg() is not None, "greeting after the oob session")
        err("capabilities-bad-enable", '{"execute": "qmp_capabilities", "arguments": {"enable": ["nosuch"]}}',
            "GenericError")
        ok("qmp_capabilities.reconnect", "qmp_capabilities")
        err("exec-oob-without-capability", '{"exec-oob": "query-status", "id": 5}', "GenericError")

        ok("quit", "quit")
        event("event.shutdown", "SHUTDOWN", {"guest": False, "reason": "host-qmp-quit"})
        try:
            rc = s.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise Fail("still running 10 s after quit")
        expect(rc == 0, "exit status %d after quit" % rc)
    finally:
        s.close()

    # SIGTERM: SHUTDOWN "host-signal", then a clean exit.
    s = Session(emu, workdir)
    try:
        s.read_msg()
        ok("qmp_capabilities.sigterm", "qmp_capabilities")
        s.proc.send_signal(signal.SIGTERM)
        event("event.shutdown-signal", "SHUTDOWN", {"guest": False, "reason": "host-signal"})
        try:
            rc = s.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise Fail("still running 10 s after SIGTERM")
        expect(rc == 0, "exit status %d after SIGTERM" % rc)
    finally:
        s.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return shapes


def compare(mine, ref, mine_name, ref_name):
    bad = 0
    ref_map = dict((k, v) for k, v in ref)
    for step, sh in mine:
        if step not in ref_map:
            print("FAIL: %s: no step %s in %s" % (mine_name, step, ref_name))
            bad += 1
        elif sh != ref_map[step]:
            print("FAIL: %s: %s has shape\n  %s\nbut %s's is\n  %s" % (mine_name, step, json.dumps(sh), ref_name,
                                                                        json.dumps(ref_map[step])))
            bad += 1
    missing = set(ref_map) - set(k for k, _ in mine)
    for step in sorted(missing):
        print("FAIL: %s: step %s missing" % (mine_name, step))
        bad += 1
    return bad


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("check", "compare", "record"):
        print(__doc__)
        return 2
    mode, emu = sys.argv[1], sys.argv[2]
    try:
        mine = run(emu)
        if mode == "record":
            print(json.dumps(mine, indent=1))
            return 0
        if mode == "check":
            with open(sys.argv[3]) as f:
                ref, ref_name = json.load(f), sys.argv[3]
        else:
            ref, ref_name = run(sys.argv[3]), sys.argv[3]
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    bad = compare(mine, ref, emu, ref_name)
    if bad:
        return 1
    print("PASS: %d QMP replies and events match %s's shapes" % (len(mine), ref_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
