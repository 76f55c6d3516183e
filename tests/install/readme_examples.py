#!/usr/bin/env python3
"""Runs one `build/bin/...` example line of README.md as written, bounded in time.

The line runs in a temporary directory where build/ is the build tree, so what it writes (out/,
known.yaml) lands there. What a line assumes of the user's machine, the harness provides
without touching the line's flags:
  - 127.0.0.1:1337, "any running server": a reference server of the line's protocol is started
    on a free port, and the line's port becomes that one;
  - a relaycheck-server line is a server: it must say "listening on" (its 1337 becomes a free
    port), then end cleanly on SIGTERM;
  - `--profile my-server`: the user's own profile, here one saxion server (`protocol: saxion`):
    the reference server launched with its timers / 60 (clock: {scale: 60}, docs/profiles.md), in a scenario root that is the
    source tree's plus that profile ($RELAYCHECK_SCENARIOS);
  - `report ... run1.json run2.json`: two earlier runs' JSON reports (saxion.ident.* in-process, spawned).
Passes when the line exits 0 and each report, pcap and event file it names is written.

usage: readme_examples.py SOURCE_DIR BUILD_DIR INDEX   (INDEX: 0-based among the example lines)
       readme_examples.py SOURCE_DIR BUILD_DIR --count
"""
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import tempfile
import time

src, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
LINE_TIMEOUT = 300  # seconds; the fuzz example runs its 1 minute, the reference profile about 1 under load


def example_lines():
    """Every README line that starts with build/bin/ (tests/install/CMakeLists.txt counts the same)."""
    with open(os.path.join(src, "README.md"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.startswith("build/bin/")]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def start_server(protocol, listen="127.0.0.1:0", argv=None):
    """A relaycheck-server; returns (process, HOST:PORT it listens on)."""
    cmd = argv or [os.path.join(build, "bin", "relaycheck-server"), "--protocol", protocol, "--listen", listen]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    # Bounded: the server prints its address at once (moose after making its RSA key).
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        line = p.stdout.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"listening on (\S+)", line)
        if m:
            return p, m.group(1)
    stop(p)
    fail(f"{' '.join(cmd)} did not say 'listening on' within 30 s: {''.join(seen)[-2000:]}")


def stop(p):
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            return p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    return p.returncode


def scenario_root_with_my_server(work):
    """The source tree's scenarios and requirement lists, plus profiles/my-server.yaml."""
    root = os.path.join(work, "data", "scenarios")
    os.makedirs(os.path.join(root, "profiles"))
    for entry in os.listdir(os.path.join(src, "scenarios")):
        if entry != "profiles":
            os.symlink(os.path.join(src, "scenarios", entry), os.path.join(root, entry))
    for entry in os.listdir(os.path.join(src, "scenarios", "profiles")):
        os.symlink(os.path.join(src, "scenarios", "profiles", entry), os.path.join(root, "profiles", entry))
    os.symlink(os.path.join(src, "docs"), os.path.join(work, "data", "docs"))
    with open(os.path.join(root, "profiles", "my-server.yaml"), "w", encoding="utf-8") as f:
        f.write("# The README's my-server: here the reference server, its timers / 60.\n"
                "name: my-server\nprotocol: saxion\nlaunch:\n"
                '  command: ["{bin}/relaycheck-server", "--protocol", "{protocol}", "--listen", "127.0.0.1:{port}",'
                ' "--log-level", "warn"]\n  start_timeout: 30s\nclock: {scale: 60}\nknown_failures: []\n')
    return root


def outputs_named(argv):
    """Files and directories the line says it writes."""
    out = []
    for i, a in enumerate(argv[:-1]):
        value = argv[i + 1]
        if a == "--report" and ":" in value:
            out.append(value.split(":", 1)[1])
        elif a in ("--pcap", "--events", "--write-baseline") and value != "-":
            out.append(value)
        elif a == "--html":
            out.append(value)
    return out


def main():
    lines = example_lines()
    if sys.argv[3] == "--count":
        print(len(lines))
        return
    line = lines[int(sys.argv[3])]
    print("README:", line)
    argv = shlex.split(line, comments=True)
    servers = []
    with tempfile.TemporaryDirectory() as work:
        os.symlink(build, os.path.join(work, "build"))
        env = dict(os.environ)
        env.pop("RELAYCHECK_SCENARIOS", None)
        try:
            if argv[0] == "build/bin/relaycheck-server":
                argv = [a.replace("127.0.0.1:1337", "127.0.0.1:0") for a in argv]
                p, address = start_server(None, argv=[os.path.join(work, argv[0])] + argv[1:])
                code = stop(p)
                if code != 0:
                    fail(f"listened on {address}, then exited {code} on SIGTERM")
                print(f"PASS: listened on {address}, ended cleanly on SIGTERM")
                return
            if "127.0.0.1:1337" in argv:
                spec = " ".join(argv)
                m = re.search(r"--filter (\w+)\.", spec) or re.search(r"--protocol (\w+)", spec)
                p, address = start_server(m.group(1) if m else "saxion")
                servers.append(p)
                argv = [address if a == "127.0.0.1:1337" else a for a in argv]
            if "my-server" in argv:
                env["RELAYCHECK_SCENARIOS"] = scenario_root_with_my_server(work)
            if argv[1:2] == ["report"]:
                for name, target in (("run1.json", ["inprocess"]), ("run2.json", ["spawn", "--jobs", "8"])):
                    made = subprocess.run([os.path.join(build, "bin", "relaycheck"), "run", "--filter", "saxion.ident.*",
                                           "--quiet", "--report", "json:" + name, "--target"] + target,
                                          cwd=work, env=env, timeout=60, capture_output=True, text=True)
                    if made.returncode != 0:
                        fail(f"could not make {name}: {made.stdout[-1000:]}{made.stderr[-1000:]}")
            # Its own process group, so a timeout ends the servers it launched too.
            p = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
            try:
                output, _ = p.communicate(timeout=LINE_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGTERM)
                output, _ = p.communicate(timeout=30)
                fail(f"did not finish in {LINE_TIMEOUT} s: {output[-3000:]}")
            if p.returncode != 0:
                fail(f"exited {p.returncode}:\n{output[-4000:]}")
            for path in outputs_named(argv):
                full = os.path.join(work, path)
                if not os.path.exists(full) or (os.path.isfile(full) and os.path.getsize(full) == 0) or \
                        (os.path.isdir(full) and not os.listdir(full)):
                    fail(f"exited 0 but wrote nothing at {path}:\n{output[-2000:]}")
            print(output[-600:])
            print("PASS")
        finally:
            for s in servers:
                stop(s)


main()
