#!/usr/bin/env python3
"""A timer scenario against a test server of our own under libfaketime x10 (issue 25).

The conforming saxion test server (tests/variants/saxion/server.py, Python asyncio) runs with
its clocks 10 times fast (profile clock: {faketime: 10}); the suite's named waits are divided
by 10. The timer scenarios must pass, in a fraction of their real-time length, and the same
scenarios must fail against the server with a wrong PING interval (6 s, not 10 s): faked time
hides no wrong timer.

usage: faketime_check.py RELAYCHECK  (exit 77: libfaketime is not installed; ctest skips)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# ping-after-login checks "not before 8 s" (100 ms of slack at x10 for a late harness), the others
# deadlines only; pong-timeout's 0.5 s of slack would be 50 ms at x10: too little under CI load.
SCENARIOS = ["saxion.heartbeat.ping-after-login", "saxion.heartbeat.unanswered-ping", "saxion.heartbeat.pong-keeps-client"]
# Each of them waits 11-17 s at the spec's values; at x10 about 1.5 s. 6 s allows a loaded machine.
MAX_SCENARIO_MS = 6000


def libfaketime_present():
    if os.environ.get("RELAYCHECK_LIBFAKETIME"):
        return True
    return any(os.path.exists(f"/usr/lib/{arch}/faketime/libfaketimeMT.so.1")
               for arch in ("x86_64-linux-gnu", "aarch64-linux-gnu"))


def run(relaycheck, profile, report):
    cmd = [relaycheck, "run", "--profile", os.path.join(HERE, profile), "--strict", "--quiet", "--jobs", "3",
           "--report", "json:" + report]
    for s in SCENARIOS:
        cmd += ["--filter", s]
    started = time.monotonic()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    took = time.monotonic() - started
    with open(report) as f:
        return done.returncode, json.load(f), done.stdout, took


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    if not libfaketime_present():
        print("SKIP: libfaketime is not installed (Debian: apt-get install libfaketime; scripts/test installs it)")
        return 77
    relaycheck = sys.argv[1]
    if not os.access(relaycheck, os.X_OK):
        print(f"FAIL: cannot run relaycheck at {relaycheck} (missing, or being relinked by a build)")
        return 1
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        code, doc, out, took = run(relaycheck, "saxion-faketime.yaml", os.path.join(tmp, "good.json"))
        status = {r["id"]: r["status"] for r in doc["results"]}
        print(f"conforming server, faketime x10: exit {code}, {took:.1f} s, {status}, clock: {doc.get('clock')}")
        if code != 0 or any(status.get(s) != "pass" for s in SCENARIOS):
            failures.append("the conforming server must pass every timer scenario under faketime x10:\n" + out)
        if doc.get("clock") != "faketime x10 (the target's clock runs 10 times fast)":
            failures.append(f"the report must name the clock, got {doc.get('clock')!r}")
        for r in doc["results"]:
            if r["duration_ms"] > MAX_SCENARIO_MS:
                failures.append(f"{r['id']} took {r['duration_ms']:.0f} ms: faked time did not speed it up")

        code, doc, out, took = run(relaycheck, "saxion-faketime-wrong-ping.yaml", os.path.join(tmp, "wrong.json"))
        status = {r["id"]: r["status"] for r in doc["results"]}
        print(f"PING every 6 s, faketime x10: exit {code}, {took:.1f} s, {status}")
        if code == 0 or status.get("saxion.heartbeat.ping-after-login") != "fail":
            failures.append("a PING 6 s after login must fail saxion.heartbeat.ping-after-login under faketime x10:\n" + out)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
