#!/usr/bin/env python3
"""A tiny saxion-like server for the launcher tests (tests/harness/launcher_*).

It greets each connection with an INIT line and answers every line with FAIL00, and reports
through side files rather than the protocol: --count-file holds the number of connections it
has accepted (rewritten on every accept), --pid-file its pid. Twists for the tests: --silent
never greets or answers (a slow server), --crash-on-connect N writes N numbered stderr lines
and aborts on the first connection, --listen-after-ms waits before it listens.
"""
import argparse
import asyncio
import os
import sys
import time


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count-file")
    p.add_argument("--pid-file")
    p.add_argument("--silent", action="store_true")
    p.add_argument("--crash-on-connect", type=int, default=0)
    p.add_argument("--listen-after-ms", type=int, default=0)
    a = p.parse_args()
    if a.pid_file:
        write_atomically(a.pid_file, str(os.getpid()))
    accepted = 0

    async def serve(reader, writer):
        nonlocal accepted
        accepted += 1
        if a.count_file:
            write_atomically(a.count_file, str(accepted))
        if a.crash_on_connect:
            for i in range(1, a.crash_on_connect + 1):
                print(f"stderr line {i} of {a.crash_on_connect}", file=sys.stderr)
            sys.stderr.flush()
            os.abort()
        if a.silent:
            await reader.read()  # until the client goes
            writer.close()
            return
        writer.write(b"INIT Welcome to the server!\n")
        await writer.drain()
        while line := await reader.readline():
            writer.write(b"FAIL00 Unknown command\n")
            await writer.drain()
        writer.close()

    time.sleep(a.listen_after_ms / 1000)
    server = await asyncio.start_server(serve, "127.0.0.1", a.port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
