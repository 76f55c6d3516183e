#!/usr/bin/env python3
"""The saxion variant server with the crash-byte twist, behind a wrapper whose last stderr line
differs on every crash ("ERROR: crash <random>"), so each crash the fuzzer finds has a signature
of its own while the writes that cause it (the byte 0xFF) are the same: findings deduplicated
by their minimised writes. Its stdout (the "listening on" line) is the server's own.
"""

import os
import secrets
import subprocess
import sys

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "variants", "saxion", "server.py")

child = subprocess.Popen([sys.executable, SERVER, "--port", "0", "--variant", "crash-byte"])
code = child.wait()
if code != 0:
    print(f"ERROR: crash {secrets.token_hex(6)}", file=sys.stderr, flush=True)
sys.exit(code if code > 0 else 1)
