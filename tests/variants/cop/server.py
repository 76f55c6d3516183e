#!/usr/bin/env python3
"""A cop (ChatOS Protocol) server, written from the spec text (/work/shared/specs/001_*.txt)
and the project's decision list where the spec is silent or contradicts itself.

Binary, big-endian: a 1-byte opcode, then the fields of its table (Int32-length UTF-8 strings,
Int64 ids). The private connection is a second TCP connection per side that presents a connect
id (10); once both sides have, each gets 11 and the server relays bytes between them.
It stands in for an implementation nobody on the team wrote (tests/variants/README.md).
"""

import asyncio
import os
import re
import secrets
import struct
import sys
import time

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import variantlib  # noqa: E402

TWISTS = {
    "empty-nick": "accept a LOGIN with an empty nickname (as a real server does)",
    # Allowed: choices the spec leaves open (issue 23's zoo; zoo.json lists what --strict fails).
    "server-names-itself": "1, 2 and 6 carry \"server\" in their one field (the tables call it "
                           "\"sender\")",
    "refusal-closes": "close the connection after a refusal (2): \"the server does not allowed the "
                      "connection\"",
    "rewrite-sender": "a sender field that is not the logged-in nickname is replaced by it (and an "
                      "answer from someone not asked is dropped) instead of closing the connection",
    "short-ascii-nicks": "nicknames of 1..20 ASCII letters, digits and _ (the server's own rules)",
    "connect-id-own-view": "each 9 names its recipient as sender and the other user as receiver",
    # Deviant: one real deviation from the spec's words each.
    "established-early": "send 11 to the first connection presenting a connect id at once, before "
                         "its peer has arrived",
    "one-frame-per-read": "handle only the first frame of each read; the rest of the read is lost",
    "crash-on-unknown-opcode": "an opcode the table does not list kills the whole server",
    "public-to-anonymous": "public messages also go to connections that have not logged in",
}

MAX_STRING = 1024     # decision list: a longer string, or a negative length, is a protocol error
MAX_NICK = 32         # decision list: nicknames are 1..32 bytes
MAX_MESSAGE = 512     # spec 2.3: messages SHALL NOT exceed 512 characters (bytes, decided)
MAX_HELD = 64 * 1024  # bytes a waiting private connection holds for its peer

# Field layout of each opcode after the opcode byte: S = String, L = Long (section 3 tables).
LAYOUT = {
    0: "S", 1: "S", 2: "S", 3: "SS", 4: "SS", 5: "SSS", 6: "S",
    7: "SS", 8: "SS", 9: "SSL", 10: "L", 11: "",
}
LOGIN, ACCEPTED, REFUSED, PRIV_REQUEST, PUBLIC, PRIVATE, UNKNOWN_USER = range(7)
PRIV_ACCEPT, PRIV_REFUSE, CONNECT_ID, PRIV_CONNECT, PRIV_ESTABLISHED = range(7, 12)


class ProtocolError(Exception):
    pass


class UnknownOpcode(ProtocolError):
    pass


class Incomplete(Exception):
    pass


class Decoder:
    """Incremental frame decoder; bad lengths are errors as soon as the length field is read."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data

    def next_frame(self):
        """(opcode, [fields]) or None while incomplete; raises ProtocolError on a bad frame."""
        if not self.buf:
            return None
        op = self.buf[0]
        if op not in LAYOUT:
            raise UnknownOpcode(f"unknown opcode {op}")
        pos = 1
        fields = []
        try:
            for kind in LAYOUT[op]:
                if kind == "L":
                    fields.append(self._take(pos, 8, ">q"))
                    pos += 8
                    continue
                size = self._take(pos, 4, ">i")
                if size < 0 or size > MAX_STRING:
                    raise ProtocolError(f"string length {size} at byte {pos}")
                pos += 4
                if len(self.buf) < pos + size:
                    raise Incomplete()
                try:
                    fields.append(bytes(self.buf[pos:pos + size]).decode("utf-8"))
                except UnicodeDecodeError as e:
                    raise ProtocolError(f"invalid UTF-8 at byte {pos + e.start}") from None
                pos += size
        except Incomplete:
            return None
        del self.buf[:pos]
        return op, fields

    def _take(self, pos, size, fmt):
        if len(self.buf) < pos + size:
            raise Incomplete()
        return struct.unpack_from(fmt, self.buf, pos)[0]


def encode(op, *fields):
    out = bytearray([op])
    for field in fields:
        if isinstance(field, int):
            out += struct.pack(">q", field)
        else:
            raw = field.encode("utf-8")
            out += struct.pack(">i", len(raw)) + raw
    return bytes(out)


def nickname_ok(nick, allow_empty):
    raw = nick.encode("utf-8")
    if len(raw) > MAX_NICK or (not raw and not allow_empty):
        return False
    # No control characters (C0, DEL, C1) and no spaces (ASCII space, no-break space).
    return not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in " \u00a0" for c in nick)


class Conn:
    """Server-side state of one TCP connection: a main (user) one or a private one."""

    def __init__(self, io):
        self.io = io
        self.nick = None          # set when LOGIN is accepted
        self.frames_seen = 0
        self.private_id = None    # set when it presented a connect id (10)
        self.peer = None          # the other end of its bridge, once established
        self.held = bytearray()   # bytes sent before the peer arrived
        self.last_active = time.monotonic()
        self.gone = False

    def send(self, data):
        self.io.write(data)


class ConnectId:
    def __init__(self, users):
        self.users = users        # (requester, answerer) nicknames
        self.waiting = None       # the first private connection that presented it
        self.used = False
        self.conns = []           # the private connections made with it


class Chat:
    def __init__(self, args):
        self.args = args
        self.users = {}           # nick -> Conn
        self.requests = set()     # (requester, receiver) asked and not yet answered
        self.ids = {}             # connect id -> ConnectId
        self.conns = set()        # every open connection

    def twist(self, name):
        return name in self.args.variants

    # --- connection life ---------------------------------------------------------------------

    async def handle(self, io):
        conn = Conn(io)
        self.conns.add(conn)
        decoder = Decoder()
        watchdog = asyncio.get_running_loop().create_task(self.inactivity(conn))
        try:
            while not conn.gone:
                data = await io.read()
                if not data:
                    break
                self.touch(conn)
                if conn.peer is not None or conn.private_id is not None:
                    self.relay(conn, bytes(data))
                    continue
                decoder.feed(data)
                while not conn.gone and conn.private_id is None:
                    frame = decoder.next_frame()
                    if frame is None:
                        break
                    conn.frames_seen += 1
                    self.on_frame(conn, *frame)
                    if self.twist("one-frame-per-read"):
                        decoder.buf.clear()   # the deviation: the rest of this read is lost
                        break
                if conn.private_id is not None and decoder.buf and not conn.gone:
                    # Bytes after the 10 in the same read are bridge data, not frames.
                    rest, decoder.buf = bytes(decoder.buf), bytearray()
                    self.relay(conn, rest)
        except UnknownOpcode as e:
            if self.twist("crash-on-unknown-opcode"):
                variantlib.crash(f"KeyError: {e} (no handler for it)")
            variantlib.log(self.args, f"protocol error: {e}")
        except ProtocolError as e:
            variantlib.log(self.args, f"protocol error: {e}")
        finally:
            watchdog.cancel()
            self.depart(conn)

    def touch(self, conn):
        now = time.monotonic()
        conn.last_active = now
        if conn.peer is not None:
            conn.peer.last_active = now   # on a bridge, traffic either way keeps both alive

    async def inactivity(self, conn):
        # Spec 5: a client inactive for more than 5 minutes is disconnected.
        while not conn.gone:
            left = conn.last_active + self.args.inactivity_timeout - time.monotonic()
            if left <= 0:
                self.depart(conn)
                return
            await asyncio.sleep(left)

    def depart(self, conn):
        """Ends a connection once, with everything that depended on it."""
        if conn.gone:
            return
        conn.gone = True
        self.conns.discard(conn)
        conn.io.close()
        if conn.peer is not None:
            self.depart(conn.peer)        # a bridge closes as a whole
        if conn.private_id is not None:
            record = self.ids.get(conn.private_id)
            if record and record.waiting is conn:
                del self.ids[conn.private_id]   # its half never arrived: the id is void
        if conn.nick is not None and self.users.get(conn.nick) is conn:
            nick = conn.nick
            del self.users[nick]
            # Spec 4: others in a connection with him are notified of his departure; here by
            # the close of the private connections negotiated with him.
            self.requests = {r for r in self.requests if nick not in r}
            for cid, record in list(self.ids.items()):
                if nick in record.users:
                    del self.ids[cid]
                    for other in record.conns:
                        self.depart(other)

    # --- frames ------------------------------------------------------------------------------

    def on_frame(self, conn, op, fields):
        if conn.nick is None:
            if op == LOGIN:
                self.login(conn, fields[0])
            elif op == PRIV_CONNECT and conn.frames_seen == 1:
                self.private_connect(conn, fields[0])
            else:
                raise ProtocolError(f"opcode {op} before login")   # spec 5
            return
        handler = {PRIV_REQUEST: self.request, PUBLIC: self.public, PRIVATE: self.private,
                   PRIV_ACCEPT: self.answer, PRIV_REFUSE: self.answer}.get(op)
        if handler is None:
            raise ProtocolError(f"opcode {op} not accepted from a logged-in client")
        handler(conn, op, fields)

    def login(self, conn, nick):
        allow_empty = "empty-nick" in self.args.variants
        ok = nickname_ok(nick, allow_empty)
        if self.twist("short-ascii-nicks"):
            ok = bool(re.fullmatch(r"[A-Za-z0-9_]{1,20}", nick))
        if nick in self.users or not ok:
            conn.send(encode(REFUSED, self.named(nick)))
            if self.twist("refusal-closes"):
                self.depart(conn)
            return
        conn.nick = nick
        self.users[nick] = conn
        conn.send(encode(ACCEPTED, self.named(nick)))

    def named(self, nick):
        """The one field of 1, 2 and 6: the nickname concerned, or the server's own name."""
        return "server" if self.twist("server-names-itself") else nick

    def own(self, conn, nick):
        """The logged-in nickname a sender field must hold (decision list: anti-spoofing)."""
        if nick != conn.nick:
            if self.twist("rewrite-sender"):
                return conn.nick    # the source identified by its login, as 2.3 asks
            raise ProtocolError(f"sender {nick!r} is not {conn.nick!r}")
        return nick

    def request(self, conn, op, fields):
        sender, receiver = fields
        sender = self.own(conn, sender)
        target = self.users.get(receiver)
        if target is None:
            conn.send(encode(UNKNOWN_USER, self.named(receiver)))
            return
        self.requests.add((sender, receiver))
        target.send(encode(PRIV_REQUEST, sender, receiver))

    def answer(self, conn, op, fields):
        # 7 and 8 keep the request's roles: sender asked, receiver (this client) answers.
        sender, receiver = fields
        receiver = self.own(conn, receiver)
        if (sender, receiver) not in self.requests:
            return                          # nothing asked: nothing to answer
        self.requests.discard((sender, receiver))
        requester = self.users.get(sender)
        if requester is None:
            return
        requester.send(encode(op, sender, receiver))
        if op == PRIV_ACCEPT:
            cid = self.new_id()
            self.ids[cid] = ConnectId((sender, receiver))
            requester.send(encode(CONNECT_ID, sender, receiver, cid))
            if self.twist("connect-id-own-view"):
                conn.send(encode(CONNECT_ID, receiver, sender, cid))
            else:
                conn.send(encode(CONNECT_ID, sender, receiver, cid))

    def new_id(self):
        while True:
            cid = secrets.randbits(63)
            if cid and cid not in self.ids:
                return cid

    def message_ok(self, text):
        if len(text.encode("utf-8")) > MAX_MESSAGE:
            raise ProtocolError("message over 512 bytes")

    def public(self, conn, op, fields):
        sender, text = fields
        sender = self.own(conn, sender)
        self.message_ok(text)
        frame = encode(PUBLIC, sender, text)
        for user in self.users.values():    # "broadcast it for each connected users"
            user.send(frame)
        if self.twist("public-to-anonymous"):
            for other in self.conns:
                if other.nick is None and other.private_id is None and not other.gone:
                    other.send(frame)

    def private(self, conn, op, fields):
        sender, receiver, text = fields
        sender = self.own(conn, sender)
        self.message_ok(text)
        target = self.users.get(receiver)
        if target is None:
            conn.send(encode(UNKNOWN_USER, self.named(receiver)))
            return
        target.send(encode(PRIVATE, sender, receiver, text))

    # --- the private connection --------------------------------------------------------------

    def private_connect(self, conn, cid):
        record = self.ids.get(cid)
        if record is None or record.used:
            raise ProtocolError(f"connect id {cid} unknown or used")
        conn.private_id = cid
        record.conns.append(conn)
        if record.waiting is None:
            record.waiting = conn
            if self.twist("established-early"):
                conn.send(bytes([PRIV_ESTABLISHED]))   # the deviation: its peer is not there yet
            return
        first, record.waiting, record.used = record.waiting, None, True
        first.peer, conn.peer = conn, first
        if not self.twist("established-early"):
            first.send(bytes([PRIV_ESTABLISHED]))
        conn.send(bytes([PRIV_ESTABLISHED]))
        for end in (first, conn):
            if end.held:
                end.peer.send(bytes(end.held))
                end.held.clear()

    def relay(self, conn, data):
        if conn.peer is not None:
            conn.peer.send(data)
            return
        conn.held += data
        if len(conn.held) > MAX_HELD:
            raise ProtocolError("a waiting private connection sent more than 64 KiB")


def add_arguments(parser):
    parser.add_argument("--inactivity-timeout", type=float, default=300.0, metavar="SECONDS",
                        help="close a connection that sends nothing for this long (default 300)")


def main():
    variantlib.run("cop test server", lambda args: Chat(args).handle, twists=TWISTS,
                   add_arguments=add_arguments)


if __name__ == "__main__":
    main()
