"""Shared part of the variant test servers (tests/variants/<id>/server.py).

Each variant server is a small, independent implementation of one protocol with optional
"twists" (--variant NAME) that play choices or defects of real servers. This module does what
every one of them needs, so a server file holds only its protocol:

  - the command line: --host, --port (0 = the OS picks), --variant NAME[,NAME] (repeatable),
    --count-file PATH, --fixed-port N, --verbose, plus the server's own options;
  - an asyncio TCP listener that prints "listening on HOST:PORT" (flushed) once it listens;
  - a count of accepted connections, rewritten to --count-file on every accept;
  - the common twists: fixed-port, crash-byte;
  - a clean exit (code 0) on SIGTERM or SIGINT.

A server calls run(): see its docstring. Python 3 standard library only.
"""

import argparse
import asyncio
import os
import signal
import sys
import traceback

# Twists every server accepts; servers add their own with run(twists=...).
COMMON_TWISTS = {
    "fixed-port": "listen on --fixed-port N, ignoring --port, and print no listening line "
                  "(a server with a hard-coded port)",
    "crash-byte": "die with a Python traceback (exit code 1) when a client sends the byte 0xFF",
}

DEFAULT_FIXED_PORT = 47917   # the "hard-coded" port of the fixed-port twist


def crash(error):
    """An uncaught error that ends the whole process, as in a server without a handler per
    connection: the error on stderr, exit code 1, every connection gone."""
    print(f"FATAL: {error}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(1)


class CrashByteError(RuntimeError):
    """Raised deep inside the crash-byte twist's decoding, so the traceback is long."""


def log(args, text):
    """A diagnostic line on stderr when --verbose is given."""
    if args.verbose:
        print(f"[{os.getpid()}] {text}", file=sys.stderr, flush=True)


def _variant_list(value):
    return [name.strip() for name in value.split(",") if name.strip()]


def parse_args(description, twists, add_arguments=None, argv=None):
    """Parses the common options and the server's own; args.variants is a frozenset of names.

    An unknown twist name is an error (exit code 2) naming it and listing the known ones.
    """
    known = dict(COMMON_TWISTS)
    known.update(twists or {})
    epilog = "twists (--variant):\n" + "\n".join(
        f"  {name}: {help_text}" for name, help_text in sorted(known.items()))
    parser = argparse.ArgumentParser(description=description, epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 = the OS picks")
    parser.add_argument("--variant", action="append", default=[], type=_variant_list,
                        metavar="NAME[,NAME]", help="turn on twists (repeatable)")
    parser.add_argument("--count-file", metavar="PATH",
                        help="write the number of accepted connections here on every accept")
    parser.add_argument("--fixed-port", type=int, default=DEFAULT_FIXED_PORT, metavar="N",
                        help="the hard-coded port of the fixed-port twist")
    parser.add_argument("--verbose", action="store_true", help="log connections on stderr")
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    names = [name for group in args.variant for name in group]
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"unknown variant {unknown[0]!r} in --variant "
                     f"(known: {', '.join(sorted(known))})")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is out of range 0..65535")
    args.variants = frozenset(names)
    return args


class Conn:
    """One accepted client connection: reads and writes bytes, knows its number and peer.

    read() applies the crash-byte twist, so protocol code never sees a 0xFF with it on.
    """

    def __init__(self, server, reader, writer, number):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.number = number
        self.peer = writer.get_extra_info("peername")
        self.closed = False

    async def read(self, limit=65536):
        """The next bytes from the client; b"" once it has closed (or on a reset), and once this
        side has closed it: bytes that come while it lingers are not handled."""
        if self.closed:
            return b""
        try:
            data = await self.reader.read(limit)
        except (ConnectionError, OSError, RuntimeError):
            data = b""
        if self.closed:
            return b""
        if data and "crash-byte" in self.server.args.variants and b"\xff" in data:
            self.server.crash(data, self)
        return data

    def write(self, data):
        """Queues bytes for the client; nothing happens once the connection is closed."""
        if self.closed or self.writer.is_closing():
            return
        try:
            self.writer.write(data)
        except (ConnectionError, OSError, RuntimeError):
            self.close()

    async def drain(self):
        try:
            await self.writer.drain()
        except (ConnectionError, OSError, RuntimeError):
            self.close()

    def close(self):
        """Ends the connection the way a careful server does: see _linger."""
        if not self.closed:
            self.closed = True
            try:
                asyncio.get_running_loop().create_task(self._linger())
            except RuntimeError:  # no loop running (the server is gone): just close
                self.writer.close()

    async def _linger(self, limit=1.0):
        # Closing a socket that still holds unread bytes sends a reset, and a reset makes the
        # client's kernel drop replies it has not read yet (the DSCN before the close, say):
        # send what is queued, end-of-file, read until the client's end-of-file, then close.
        try:
            await self.writer.drain()
            if self.writer.can_write_eof():
                self.writer.write_eof()
            async def discard():
                while await self.reader.read(65536):
                    pass
            await asyncio.wait_for(discard(), limit)
        except (asyncio.TimeoutError, ConnectionError, OSError, RuntimeError):
            pass
        finally:
            try:
                self.writer.close()
            except (ConnectionError, OSError, RuntimeError):
                pass


class Server:
    """The listener: accepts, counts, hands each connection to the protocol's handler."""

    def __init__(self, args, handler):
        self.args = args
        self.handler = handler
        self.accepted = 0
        self.stopping = None
        self.open = set()         # connections not yet closed, closed on SIGTERM

    def _write_count(self):
        if not self.args.count_file:
            return
        # Written whole then renamed, so a reader never sees a half-written number.
        tmp = f"{self.args.count_file}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(f"{self.accepted}\n")
        os.replace(tmp, self.args.count_file)

    async def _on_accept(self, reader, writer):
        self.accepted += 1
        self._write_count()
        conn = Conn(self, reader, writer, self.accepted)
        self.open.add(conn)
        log(self.args, f"accepted #{conn.number} from {conn.peer}")
        try:
            await self.handler(conn)
        except asyncio.CancelledError:
            pass               # the server is stopping: end quietly
        except Exception:  # a bug in a handler ends that connection, never the server
            traceback.print_exc(file=sys.stderr)
        finally:
            self.open.discard(conn)
            conn.close()
            log(self.args, f"closed #{conn.number}")

    def crash(self, data, conn):
        """The crash-byte twist: a deep, long traceback on stderr, then exit code 1."""
        offset = data.index(b"\xff")
        try:
            _decode_field(data, offset)
        except CrashByteError:
            print(f"FATAL: unhandled CrashByteError in connection #{conn.number} from "
                  f"{conn.peer}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(1)

    async def serve(self):
        loop = asyncio.get_running_loop()
        self.stopping = loop.create_future()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._stop)
        fixed = "fixed-port" in self.args.variants
        port = self.args.fixed_port if fixed else self.args.port
        try:
            listener = await asyncio.start_server(self._on_accept, self.args.host, port,
                                                  reuse_address=True)
        except OSError as e:
            print(f"error: cannot listen on {self.args.host}:{port}: {e.strerror}",
                  file=sys.stderr, flush=True)
            return 1
        bound = listener.sockets[0].getsockname()
        if not fixed:
            print(f"listening on {bound[0]}:{bound[1]}", flush=True)
        log(self.args, f"listening on {bound[0]}:{bound[1]} variants={sorted(self.args.variants)}")
        await self.stopping
        listener.close()
        for conn in list(self.open):
            conn.close()   # handlers see EOF and end; newer Pythons' wait_closed waits for them
        await asyncio.sleep(0.05)
        return 0

    def _stop(self):
        if self.stopping and not self.stopping.done():
            self.stopping.set_result(None)


# A chain of distinct decoder stages, as a real server's call stack would be: the traceback is
# many lines long (more than a 10-line tail keeps), the exception's name on its last line.
def _decode_field(data, offset):
    return _read_frame(data, offset)


def _read_frame(data, offset):
    return _decode_header(data, offset)


def _decode_header(data, offset):
    return _decode_opcode(data, offset)


def _decode_opcode(data, offset):
    return _lookup_handler(data, offset)


def _lookup_handler(data, offset):
    return _decode_length(data, offset)


def _decode_length(data, offset):
    return _decode_text(data, offset)


def _decode_text(data, offset):
    return _check_byte(data, offset)


def _check_byte(data, offset):
    raise CrashByteError(f"unexpected byte 0xff at offset {offset} of a {len(data)}-byte read")


def run(description, handler_factory, twists=None, add_arguments=None, argv=None):
    """Parses the command line, builds the handler and serves until SIGTERM or SIGINT.

    handler_factory(args) returns `async def handle(conn: Conn)`, called once per accepted
    connection; the connection is closed when it returns. args.variants holds the twists.
    twists maps the server's own twist names to a line of help. Exits with the serve status.
    """
    args = parse_args(description, twists, add_arguments, argv)
    handler = handler_factory(args)
    try:
        status = asyncio.run(Server(args, handler).serve())
    except KeyboardInterrupt:
        status = 0
    sys.exit(status)


class LineSplitter:
    """Splits a byte stream into lines at \\n, \\r\\n and (if cr_alone) a lone \\r.

    A CR LF split across two feeds is one terminator. A pending line longer than max_len
    without a terminator sets `overflow` (the caller decides what that means).
    """

    def __init__(self, max_len=65536, cr_alone=True):
        self.max_len = max_len
        self.cr_alone = cr_alone
        self.buf = bytearray()
        self.after_cr = False
        self.overflow = False

    def feed(self, data):
        """Returns the complete lines (bytes, without terminators) found so far."""
        lines = []
        for byte in data:
            if self.after_cr:
                self.after_cr = False
                if byte == 0x0A:
                    continue
            if byte == 0x0A:
                lines.append(bytes(self.buf))
                self.buf.clear()
            elif byte == 0x0D and self.cr_alone:
                lines.append(bytes(self.buf))
                self.buf.clear()
                self.after_cr = True
            else:
                self.buf.append(byte)
                if len(self.buf) > self.max_len:
                    self.overflow = True
                    break
        if not self.cr_alone:
            lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
        return lines
