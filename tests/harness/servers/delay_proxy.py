#!/usr/bin/env python3
"""The reference server behind a proxy that delays every chunk, each way, by --delay-ms.

    delay_proxy.py --server-bin PATH --protocol ID [--delay-ms 5] [--server-arg ARG ...]

Starts `relaycheck-server --protocol ID --listen 127.0.0.1:0` as a child and relays its main
port with the delay, keeping the byte order of each direction. What the child announces before
"listening on" (moose: "attribute public-key-pem ...", "control listening on HOST:PORT") is
printed as it is, so the control channel is reached directly, without the delay: this is how a
scenario that races a client's packet against the control channel is caught (docs/protocols/moose.md,
moose.disconnect.leaves-pool). Prints "listening on 127.0.0.1:PORT" for the proxy's port.
SIGTERM or SIGINT stops the child and exits 0. Python 3 standard library only.
"""

import argparse
import asyncio
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import proxy_shell  # noqa: E402


async def pump(reader, writer, delay):
    """Copies reader to writer, each chunk `delay` seconds after it arrived, in order."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            await asyncio.sleep(max(0.0, due - loop.time()))
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            queue.put_nowait((loop.time() + delay, data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((0, None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def relay(upstream_port, delay, client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, server_writer, delay), pump(server_reader, client_writer, delay),
                         return_exceptions=True)


async def main(args):
    command = [args.server_bin, "--protocol", args.protocol, "--listen", "127.0.0.1:0", "--log-level", "warn"] + args.server_arg
    delay = args.delay_ms / 1000.0
    return await proxy_shell.serve_in_front("delay_proxy", command, lambda port: lambda r, w: relay(port, delay, r, w),
                                            echo_server_lines=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-bin", required=True)
    parser.add_argument("--protocol", required=True)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--server-arg", action="append", default=[], help="passed to the server (repeatable)")
    sys.exit(asyncio.run(main(parser.parse_args())))
