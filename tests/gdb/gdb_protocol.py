#!/usr/bin/env python3
"""gdb_protocol.py VIREO: the gdbstub's packet layer against bad and good input.

Garbage, bad checksums, oversized and malformed packets, clients vanishing mid-packet: each
gets the protocol's error answer (or is ignored, outside packets), and the emulator keeps
serving: a good packet is answered after each. Also Ctrl-C, vCont thread steps, qRcmd, detach
and re-attach over TCP, and 'k' ending the process with status 0.
"""
import socket
import subprocess
import sys
import time

vireo = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def frame(payload):
    return b"$" + payload + b"#%02x" % (sum(payload) & 0xFF)


class Client:
    def __init__(self, port):
        for _ in range(100):
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("cannot connect to the gdbstub")
        self.buf = b""

    def send(self, raw):
        self.s.sendall(raw)

    def read_until(self, pred):
        deadline = time.time() + 10
        while not pred(self.buf):
            if time.time() > deadline:
                raise TimeoutError("no answer; have %r" % self.buf[:200])
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("stub closed the connection")
            self.buf += chunk

    def ack(self):
        """The next ack character ('+' or '-')."""
        self.read_until(lambda b: len(b) >= 1)
        c, self.buf = self.buf[:1], self.buf[1:]
        return c

    def packet(self):
        """The next packet's payload (checksum verified); acks before it are skipped."""
        self.read_until(lambda b: b"$" in b and b"#" in b[b.index(b"$"):] and
                        len(b) >= b.index(b"#", b.index(b"$")) + 3)
        start = self.buf.index(b"$")
        end = self.buf.index(b"#", start)
        payload = self.buf[start + 1:end]
        csum = int(self.buf[end + 1:end + 3], 16)
        self.buf = self.buf[end + 3:]
        check(csum == sum(payload) & 0xFF, "reply checksum for %r" % payload[:40])
        self.send(b"+")
        return payload

    def cmd(self, payload):
        self.send(frame(payload))
        a = self.ack()
        check(a == b"+", "ack for %r (got %r)" % (payload[:40], a))
        return self.packet()

    def close(self):
        self.s.close()


port = free_port()
proc = subprocess.Popen([vireo, "-nodefaults", "-nographic", "-serial", "null", "-S", "-smp", "2",
                         "-gdb", "tcp::%d" % port], stdin=subprocess.DEVNULL)
try:
    c = Client(port)
    check(c.cmd(b"?").startswith(b"T05thread:01;"), "? answered")

    # Garbage outside packets is ignored; the next good packet is answered.
    c.send(b"hello\x00\xff\r\n+++garbage")
    check(c.cmd(b"qC") == b"QC01", "good packet after garbage")

    # Wrong and non-hex checksums are NAKed.
    c.send(b"$g#00")
    check(c.ack() == b"-", "bad checksum NAKed")
    c.send(b"$g#zz")
    check(c.ack() == b"-", "non-hex checksum NAKed")

    # Oversized: acknowledged, answered with an error, nothing buffered beyond the limit.
    big = b"m" * 100000
    c.send(frame(big))
    check(c.ack() == b"+", "oversized packet acked")
    check(c.packet().startswith(b"E"), "oversized packet gets an error")

    # A '$' inside a packet starts it again.
    c.send(b"$garbage$" + frame(b"qC")[1:])
    check(c.ack() == b"+" and c.packet() == b"QC01", "restarted packet")

    # Malformed arguments get E replies; unknown packets the empty reply.
    for bad in [b"m", b"mzz,4", b"m0", b"m0,", b"M0,4:zz", b"M0,2:001122", b"p", b"p9999", b"P0=12",
                b"Hgzz", b"Hx1", b"Hg9", b"T9", b"Z0,", b"Z2,1000,0", b"vCont;x", b"vCont;s:zz", b"s12zz",
                b"qXfer:features:read:target.xml:zz", b"qXfer:features:read:target.xml:100000,10",
                b"qRcmd,zz", b"gg", b"m" + b"f" * 40 + b",1"]:
        r = c.cmd(bad)
        check(r.startswith(b"E"), "error reply for %r (got %r)" % (bad, r[:40]))
    check(c.cmd(b"qFooBar") == b"", "unknown query: empty reply")
    check(c.cmd(b"!") == b"", "unknown packet: empty reply")

    # Good packets still work.
    regs = c.cmd(b"g")
    check(len(regs) > 1000 and all(ch in b"0123456789abcdef" for ch in regs), "g reply")
    check(c.cmd(b"qfThreadInfo") == b"m01,02" and c.cmd(b"qsThreadInfo") == b"l", "thread list")
    check(c.cmd(b"T02") == b"OK" and c.cmd(b"T03").startswith(b"E"), "thread alive")
    xml = c.cmd(b"qXfer:features:read:target.xml:0,3fff")
    check(xml.startswith(b"l<?xml") and b"i386:x86-64" in xml and b"k_gs_base" in xml, "target.xml")
    check(c.cmd(b"m fffffff0,4".replace(b" ", b"")) == b"ea5be000", "read the reset vector (ljmp f000:e05b)")
    out = b""
    c.send(frame(b"qRcmd," + b"info status".hex().encode()))
    c.ack()
    while True:
        p = c.packet()
        if p.startswith(b"O") and p != b"OK":
            out += bytes.fromhex(p[1:].decode())
            continue
        check(p == b"OK", "qRcmd ends with OK")
        break
    check(b"VM status: paused (debug)" in out, "qRcmd output (%r)" % out)

    # A step of thread 2 alone (an AP waiting for its SIPI stays where it is).
    check(c.cmd(b"vCont;s:2").startswith(b"T05thread:02;"), "vCont step of thread 2")
    check(c.cmd(b"vCont;s:1").startswith(b"T05thread:01;"), "vCont step of thread 1")

    # Continue, then Ctrl-C: a SIGINT stop.
    c.send(frame(b"c"))
    check(c.ack() == b"+", "c acked")
    time.sleep(0.3)
    c.send(b"\x03")
    check(c.packet().startswith(b"T02thread:"), "Ctrl-C stops with SIGINT")

    # No-ack mode: no acks either way afterwards.
    check(c.cmd(b"QStartNoAckMode") == b"OK", "QStartNoAckMode")
    c.send(frame(b"qC"))
    check(c.packet() == b"QC01", "no-ack mode packet")

    # A client vanishing mid-packet; the next one attaches.
    c.send(b"$m0,4")
    c.close()
    time.sleep(0.3)
    check(proc.poll() is None, "alive after a client vanished mid-packet")
    c = Client(port)
    check(c.cmd(b"?").startswith(b"T05"), "re-attach after a vanished client")

    # Detach resumes; re-attach works.
    check(c.cmd(b"D") == b"OK", "detach")
    c.close()
    time.sleep(0.3)
    c = Client(port)
    check(c.cmd(b"?").startswith(b"T05"), "re-attach after detach")

    # Kill ends the process with status 0.
    c.send(frame(b"k"))
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        status = None
    check(status == 0, "k exits 0 (status %r)" % status)
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("gdb protocol test passed")
