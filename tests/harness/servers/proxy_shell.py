"""The shell the test proxies share: start the reference server behind them, listen on a free
loopback port in front of it, serve until SIGTERM or SIGINT, and end the server however it ends."""

import asyncio
import signal
import subprocess
import sys


async def serve_in_front(name, server_command, handler_for, echo_server_lines=False):
    """handler_for(upstream_port) gives the asyncio connection handler; returns the exit status."""
    child = subprocess.Popen(server_command, stdout=subprocess.PIPE, text=True)
    try:
        upstream_port = None
        for line in child.stdout:
            if line.startswith("listening on "):
                upstream_port = int(line.rsplit(":", 1)[1])
                break
            if echo_server_lines:
                print(line, end="", flush=True)  # the server's announcements, as they are
        if upstream_port is None:
            print(f"{name}: the server did not say where it listens", file=sys.stderr)
            return 1
        server = await asyncio.start_server(handler_for(upstream_port), "127.0.0.1", 0)
        print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        server.close()
        return 0
    finally:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
