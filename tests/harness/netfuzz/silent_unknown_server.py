#!/usr/bin/env python3
"""The saxion variant server (tests/variants/saxion/server.py) with one twist of its own: an
unknown command gets no reply at all (no FAIL00), as some real servers do. The fuzzer's saxion
probe (an unknown command) then never draws its answer: the probe must be switched to a silence
window, not reported as a hang nor waited out on every case.
Options as the saxion server's (--port 0 prints "listening on HOST:PORT").
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "variants"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "variants", "saxion"))
sys.dont_write_bytecode = True

import server as saxion  # noqa: E402

_send = saxion.Client.send


def send_but_no_fail00(self, line):
    if not line.startswith("FAIL00"):
        _send(self, line)


saxion.Client.send = send_but_no_fail00

if __name__ == "__main__":
    saxion.main()
