#!/usr/bin/env python3
"""A conforming server with one twist: the reference server behind a proxy that adds it.

    twist_proxy.py --server-bin PATH --protocol ID --twist NAME

Starts `relaycheck-server --protocol ID --listen 127.0.0.1:0` as a child, listens on a free
loopback port itself, prints "listening on 127.0.0.1:PORT" and relays every connection to the
child, changing it as the twist says:

  saxion-ping-early       PING right after INIT and every --ping-interval (200 ms), before login
                          too; the PONGs that answer them are swallowed; 10 unanswered PINGs
                          get "DSCN Pong timeout" and a close (the spec leaves the first PING's
                          time open, so a conforming client answers whenever it comes)
  cs594-unknown-op-close  an object whose op is no client operation (1..9) closes the
                          connection, without a reply (the spec allows dropping the client)
  cop-empty-nickname      a first LOGIN with the empty nickname is accepted (LOGIN_ACCEPTED "")
  saxion-unknown-close    a line with an unknown command closes the connection (to test how the
                          runner copes with a barrier probe that does not fit a server)
  saxion-unknown-silent   a line with an unknown command gets no reply at all (the same)

--count-file PATH rewrites PATH with the number of accepted connections on every accept.
SIGTERM or SIGINT stops the child and exits 0. Python 3 standard library only.
"""

import argparse
import asyncio
import json
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import proxy_shell  # noqa: E402

CS594_CLIENT_OPS = range(1, 10)


class Twist:
    """Per connection: filters for each direction and a hook when the connection starts."""

    def __init__(self, args, to_client, to_server, close):
        self.args, self.to_client, self.to_server, self.close = args, to_client, to_server, close

    async def started(self):
        pass

    def from_server(self, data):
        self.to_client(data)

    def from_client(self, data):
        self.to_server(data)

    def stop(self):
        pass


class SaxionPingEarly(Twist):
    def __init__(self, *a):
        super().__init__(*a)
        self.server_line = b""   # server bytes not yet ending a line (PINGs go between lines)
        self.client_held = b""   # client bytes at a line start that may yet be a PONG
        self.client_mid_line = False
        self.unanswered = 0
        self.greeted = asyncio.Event()
        self.task = None

    async def started(self):
        self.task = asyncio.ensure_future(self.pinger())

    async def pinger(self):
        await self.greeted.wait()
        while True:
            if self.unanswered >= 10:
                self.to_client(b"DSCN Pong timeout\n")
                self.close()
                return
            self.unanswered += 1
            self.to_client(b"PING\n")
            await asyncio.sleep(self.args.ping_interval)

    def from_server(self, data):
        self.server_line += data
        cut = self.server_line.rfind(b"\n") + 1
        if cut:
            self.to_client(self.server_line[:cut])
            self.server_line = self.server_line[cut:]
            self.greeted.set()  # INIT is the first line

    def from_client(self, data):
        out = b""
        for b in data:
            c = bytes([b])
            if self.client_mid_line:
                out += c
                self.client_mid_line = c not in (b"\n", b"\r")  # saxion ends lines with either
                continue
            self.client_held += c
            if self.client_held in (b"PONG\n", b"PONG\r\n") and self.unanswered > 0:
                self.unanswered -= 1
                self.client_held = b""
            elif not b"PONG\r\n".startswith(self.client_held) and not b"PONG\n".startswith(self.client_held):
                out += self.client_held
                self.client_mid_line = not self.client_held.endswith((b"\n", b"\r"))
                self.client_held = b""
        if out:
            self.to_server(out)

    def stop(self):
        if self.task:
            self.task.cancel()


class Cs594UnknownOpClose(Twist):
    def __init__(self, *a):
        super().__init__(*a)
        self.buffer = ""
        self.decoder = json.JSONDecoder()

    def from_client(self, data):
        text = data.decode("utf-8", "replace")
        start = len(self.buffer)
        self.buffer += text
        pos = 0
        while True:
            while pos < len(self.buffer) and self.buffer[pos].isspace():
                pos += 1
            try:
                value, end = self.decoder.raw_decode(self.buffer, pos)
            except ValueError:
                break
            op = value.get("op") if isinstance(value, dict) else None
            if isinstance(op, int) and not isinstance(op, bool) and op not in CS594_CLIENT_OPS:
                before = max(0, pos - start)  # what of this chunk came before the object
                if before:
                    self.to_server(text[:before].encode())
                self.close()
                return
            pos = end
        self.buffer = self.buffer[pos:] if len(self.buffer) - pos < 65536 else ""
        self.to_server(data)


class CopEmptyNickname(Twist):
    def __init__(self, *a):
        super().__init__(*a)
        self.first = b""
        self.decided = False

    def from_client(self, data):
        if self.decided:
            return self.to_server(data)
        self.first += data
        empty_login = b"\x00\x00\x00\x00\x00"
        if len(self.first) < 5 and empty_login.startswith(self.first):
            return
        self.decided = True
        if self.first.startswith(empty_login):
            self.to_client(b"\x01\x00\x00\x00\x00")  # LOGIN_ACCEPTED ""
            self.first = self.first[5:]
        if self.first:
            self.to_server(self.first)


SAXION_COMMANDS = {"IDENT", "BCST", "QUIT", "USERS", "PM", "PONG", "PM_PUBKEY", "PM_SESSIONKEY", "PRIVATE_MESSAGE", "OK"}


class SaxionUnknown(Twist):
    """Client lines are passed on whole; one with an unknown command is closed on or dropped."""
    close_on_unknown = True

    def __init__(self, *a):
        super().__init__(*a)
        self.line = b""

    def from_client(self, data):
        self.line += data
        while b"\n" in self.line:
            line, self.line = self.line.split(b"\n", 1)
            command = line.strip(b"\r").split(b" ", 1)[0].decode("utf-8", "replace")
            if command in SAXION_COMMANDS:
                self.to_server(line + b"\n")
            elif self.close_on_unknown:
                self.close()
                return


class SaxionUnknownSilent(SaxionUnknown):
    close_on_unknown = False


TWISTS = {"saxion-unknown-close": SaxionUnknown, "saxion-unknown-silent": SaxionUnknownSilent,
"saxion-ping-early": SaxionPingEarly, "cs594-unknown-op-close": Cs594UnknownOpClose,
          "cop-empty-nickname": CopEmptyNickname}


async def relay(args, upstream_port, counter, reader, writer):
    try:
        await relay_one(args, upstream_port, counter, reader, writer)
    except asyncio.CancelledError:  # the proxy is stopping
        writer.close()


async def relay_one(args, upstream_port, counter, reader, writer):
    counter[0] += 1
    if args.count_file:
        with open(args.count_file, "w") as f:
            f.write(f"{counter[0]}\n")
    try:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        writer.close()
        return
    closed = asyncio.Event()

    def close():
        closed.set()

    def send(w):
        def write(data):
            if not closed.is_set():
                w.write(data)
        return write

    twist = TWISTS[args.twist](args, send(writer), send(up_writer), close)
    await twist.started()

    async def pump(source, handle):
        try:
            while not closed.is_set():
                data = await source.read(65536)
                if not data:
                    break
                handle(data)
        except (ConnectionError, OSError):
            pass
        closed.set()

    from_client = asyncio.ensure_future(pump(reader, twist.from_client))
    tasks = [from_client, asyncio.ensure_future(pump(up_reader, twist.from_server)),
             asyncio.ensure_future(closed.wait())]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    if from_client.done():
        up_writer.close()  # the client left: tell the server at once, as a direct connection would
    else:
        await asyncio.sleep(0.01)  # let what was written to the client go out
    twist.stop()
    for t in tasks:
        t.cancel()
    for w in (writer, up_writer):
        try:
            w.close()
        except OSError:
            pass


async def main(args):
    command = [args.server_bin, "--protocol", args.protocol, "--listen", "127.0.0.1:0", "--log-level", "warn"]
    counter = [0]
    return await proxy_shell.serve_in_front("twist_proxy", command, lambda port: lambda r, w: relay(args, port, counter, r, w))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-bin", required=True)
    parser.add_argument("--protocol", required=True)
    parser.add_argument("--twist", required=True, choices=sorted(TWISTS))
    parser.add_argument("--ping-interval", type=float, default=0.2)
    parser.add_argument("--count-file")
    sys.exit(asyncio.run(main(parser.parse_args())))
