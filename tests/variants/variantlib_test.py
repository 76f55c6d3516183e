#!/usr/bin/env python3
"""Checks the common part every variant server shares (variantlib.py), through a real server
(saxion's): the listening line, the accept count, the fixed-port and crash-byte twists, a clean
SIGTERM exit and a clear error for an unknown twist. Loopback only; every process is ended.
Run: python3 tests/variants/variantlib_test.py
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SAXION = os.path.join(HERE, "saxion", "server.py")
COP = os.path.join(HERE, "cop", "server.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Launched:
    """A server process for one test, ended (SIGTERM, then SIGKILL) however the test ends."""

    def __init__(self, *args, script=SAXION):
        self.proc = subprocess.Popen([sys.executable, script, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)

    def port_from_stdout(self):
        line = self.proc.stdout.readline()
        if not line.startswith("listening on 127.0.0.1:"):
            raise AssertionError(f"unexpected first stdout line {line!r}")
        return int(line.rsplit(":", 1)[1])

    def end(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def connect(port, deadline=5.0):
    end = time.monotonic() + deadline
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


class VariantLibTest(unittest.TestCase):
    def launch(self, *args, script=SAXION):
        server = Launched(*args, script=script)
        self.addCleanup(server.end)
        return server

    def test_listening_line_names_the_port_and_counts_accepts(self):
        with tempfile.TemporaryDirectory() as tmp:
            count_file = os.path.join(tmp, "count")
            server = self.launch("--port", "0", "--count-file", count_file)
            port = server.port_from_stdout()
            self.assertFalse(os.path.exists(count_file), "counted before any accept")
            with connect(port) as a:
                self.assertEqual(a.recv(100).split(b" ")[0], b"INIT")
                with connect(port) as b:
                    b.recv(100)
                    with open(count_file, encoding="ascii") as f:
                        self.assertEqual(f.read().strip(), "2")

    def test_sigterm_ends_the_server_cleanly(self):
        server = self.launch("--port", "0")
        port = server.port_from_stdout()
        with connect(port) as a:
            a.recv(100)
            server.proc.send_signal(signal.SIGTERM)
            self.assertEqual(server.proc.wait(timeout=5), 0)
            self.assertEqual(a.recv(100), b"", "the open connection was not closed")
        self.assertEqual(server.proc.stderr.read(), "")

    def test_fixed_port_ignores_port_and_prints_nothing(self):
        fixed = free_port()
        server = self.launch("--port", "0", "--variant", "fixed-port", "--fixed-port", str(fixed))
        with connect(fixed) as a:
            self.assertTrue(a.recv(100).startswith(b"INIT"))
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=5)
        self.assertEqual(server.proc.stdout.read(), "")

    def test_crash_byte_dies_with_a_long_traceback(self):
        for script in (SAXION, COP):
            server = self.launch("--port", "0", "--variant", "crash-byte", script=script)
            port = server.port_from_stdout()
            with connect(port) as a:
                a.sendall(b"\xff")
                self.assertEqual(server.proc.wait(timeout=5), 1)
            lines = server.proc.stderr.read().splitlines()
            self.assertGreater(len(lines), 10)
            self.assertIn("CrashByteError", lines[0])
            self.assertTrue(lines[-1].startswith("variantlib.CrashByteError: unexpected byte 0xff"),
                            lines[-1])

    def test_crash_byte_off_survives_the_byte(self):
        server = self.launch("--port", "0")
        port = server.port_from_stdout()
        with connect(port) as a:
            a.recv(100)
            a.sendall(b"\xff\n")
            self.assertTrue(a.recv(100).startswith(b"FAIL00"))
        self.assertIsNone(server.proc.poll())

    def test_unknown_twist_is_a_clear_error(self):
        proc = subprocess.run([sys.executable, SAXION, "--variant", "crash-byte,no-such"],
                              capture_output=True, text=True, timeout=10)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown variant 'no-such'", proc.stderr)
        self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
