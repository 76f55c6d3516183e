#!/usr/bin/env python3
"""A saxion ("Internet Technology" line protocol) server, written from the spec text
(/work/shared/specs/002_*.txt) and the project's decision list where the spec is silent.

It stands in for an implementation nobody on the team wrote: the conformance suite runs against
it, plain and with one twist at a time (--variant; tests/variants/README.md lists them).
"""

import asyncio
import os
import re
import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import variantlib  # noqa: E402

TWISTS = {
    "ping-before-login": "send PING right after INIT and then every interval, also before login",
    "announce-every-departure": "send LEFT to the logged-in users when any connection closes, "
                                "even one that never logged in",
    "no-joined": "never send JOINED (a missing notification: the suite's login fragments stop "
                 "there, one root cause)",
    # Allowed: choices the spec leaves open (issue 23's zoo; zoo.json lists what --strict fails).
    "wide-names": "usernames of 2..20 characters from letters, digits, _, ! and . (dashes still "
                  "refused: \"usernames cannot contain dashes\")",
    "quiet-pong": "a PONG with no PING outstanding is ignored, not answered with FAIL05",
    "other-error-codes": "BCST from the only logged-in user is FAIL06; IDENT with its own name on "
                         "a logged-in connection is FAIL01 (\"User already logged in\")",
    "deliver-to-unidentified": "JOINED, BCST, PM_PUBKEY and LEFT also go to connections that have "
                               "not logged in (\"the connected clients\")",
    # Deviant: one real deviation from the spec's words each.
    "one-line-per-read": "handle only the first line of each read; the rest of the read is lost",
    "npm-names-recipient": "NPM carries the recipient's name instead of the sender's",
    "pm-to-everyone": "a PM is forwarded (NPM) to every other logged-in user, not the recipient only",
    "crash-on-missing-name": "IDENT without a name kills the whole server (an uncaught error)",
    # Deviant, for the differential fuzzer's tests (issue 28; not in zoo.json).
    "swapped-pm-errors": "FAIL07 and FAIL08 swapped: a PM to oneself is FAIL07, to an unknown user FAIL08 "
                         "(a swapped error code)",
    "npm-to-sender-too": "a PM's NPM also goes back to its sender (a reply sent to the sender too)",
    "name-limit-off-by-one": "usernames of up to 15 characters, one more than the decision list's 14 "
                             "(a limit off by one: a decision, so found with fuzz --strict)",
}

NAME_RE = re.compile(r"[A-Za-z0-9_]{3,14}")   # decision list: ^[A-Za-z0-9_]{3,14}$
WIDE_NAME_RE = re.compile(r"[A-Za-z0-9_!.]{2,20}")   # the wide-names twist
MAX_LINE = 64 * 1024                           # decision list: a longer line is DSCN + close
NEEDS_LOGIN = {"BCST", "USERS", "PM", "PM_PUBKEY", "PM_SESSIONKEY", "PRIVATE_MESSAGE"}


class Client:
    def __init__(self, conn):
        self.conn = conn
        self.name = None          # set once IDENT succeeds
        self.awaiting_pong = False
        self.heartbeat = None     # the task sending PINGs
        self.gone = False

    def send(self, line):
        self.conn.write(line.encode("utf-8", "surrogateescape") + b"\n")


class Chat:
    """All connections of one server and the protocol rules between them."""

    def __init__(self, args):
        self.args = args
        self.users = {}           # name -> Client, in login order
        self.clients = set()      # every open connection, logged in or not
        self.name_re = WIDE_NAME_RE if "wide-names" in args.variants else NAME_RE
        if "name-limit-off-by-one" in args.variants:
            self.name_re = re.compile(r"[A-Za-z0-9_]{3,15}")

    def twist(self, name):
        return name in self.args.variants

    def others(self, client):
        return [c for c in self.users.values() if c is not client]

    def audience(self, client):
        """Who hears of a user's join, broadcast, key or departure: the other logged-in users,
        or with the deliver-to-unidentified twist every other open connection."""
        if self.twist("deliver-to-unidentified"):
            return [c for c in self.clients if c is not client and not c.gone]
        return self.others(client)

    # --- connection life ---------------------------------------------------------------------

    async def handle(self, conn):
        client = Client(conn)
        self.clients.add(client)
        client.send(f"INIT {self.args.greeting}")
        if "ping-before-login" in self.args.variants:
            self.start_heartbeat(client)
        splitter = variantlib.LineSplitter(max_len=MAX_LINE, cr_alone=True)
        try:
            while not client.gone:
                data = await conn.read()
                if not data:
                    break
                lines = splitter.feed(data)
                if self.twist("one-line-per-read"):
                    lines = lines[:1]   # the deviation: the other lines of this read are lost
                for raw in lines:
                    if client.gone:
                        break
                    self.on_line(client, raw.decode("utf-8", "surrogateescape"))
                if splitter.overflow and not client.gone:
                    client.send("DSCN Line too long")
                    break
        finally:
            self.depart(client)

    def depart(self, client):
        """Ends a connection once: stops its heartbeat, frees its name, tells the others."""
        if client.gone:
            return
        client.gone = True
        self.clients.discard(client)
        if client.heartbeat and client.heartbeat is not asyncio.current_task():
            client.heartbeat.cancel()
        if client.name is not None:
            del self.users[client.name]
            for other in self.audience(client):
                other.send(f"LEFT {client.name}")
        elif "announce-every-departure" in self.args.variants:
            # The twist: a departure nobody joined as is announced anyway, like a server that
            # announces every closed socket (a readiness probe then shows up in scenarios).
            for other in self.users.values():
                other.send("LEFT null")
        client.conn.close()

    def start_heartbeat(self, client):
        if client.heartbeat is None:
            client.heartbeat = asyncio.get_running_loop().create_task(self.ping_loop(client))

    async def ping_loop(self, client):
        # The first PING comes one interval after the start (login, or connect with the twist,
        # where it comes at once); the next one interval after the previous PING.
        if "ping-before-login" not in self.args.variants:
            await asyncio.sleep(self.args.ping_interval)
        while not client.gone:
            client.awaiting_pong = True
            client.send("PING")
            await asyncio.sleep(self.args.pong_timeout)
            if client.gone:
                return
            if client.awaiting_pong:
                client.send("DSCN Pong timeout")
                self.depart(client)
                return
            await asyncio.sleep(max(0.0, self.args.ping_interval - self.args.pong_timeout))

    # --- commands ----------------------------------------------------------------------------

    def on_line(self, client, line):
        command, _, rest = line.partition(" ")
        if command in NEEDS_LOGIN and client.name is None:
            client.send("FAIL03 User must login first")
            return
        handler = {
            "IDENT": self.ident, "BCST": self.bcst, "USERS": self.users_list, "QUIT": self.quit,
            "PONG": self.pong, "PM": self.pm, "PM_PUBKEY": self.pm_pubkey,
            "PM_SESSIONKEY": self.pm_sessionkey, "PRIVATE_MESSAGE": self.private_message,
            "OK": self.client_ack,
        }.get(command)
        if handler is None:
            client.send("FAIL00 Unknown command")
            return
        handler(client, rest)

    def ident(self, client, name):
        if not name and self.twist("crash-on-missing-name"):
            variantlib.crash(f"IndexError: list index out of range (IDENT without a name)")
        if client.name is not None:
            if name == client.name and self.twist("other-error-codes"):
                client.send("FAIL01 User already logged in")
            else:
                client.send("FAIL04 User cannot login twice")
        elif not self.name_re.fullmatch(name):
            client.send("FAIL02 Username has an invalid format or length")
        elif name in self.users:
            client.send("FAIL01 User already logged in")
        else:
            client.name = name
            self.users[name] = client
            client.send(f"OK IDENT {name}")
            if "no-joined" not in self.args.variants:
                for other in self.audience(client):
                    other.send(f"JOINED {name}")
            self.start_heartbeat(client)

    def bcst(self, client, text):
        if not self.others(client) and self.twist("other-error-codes"):
            client.send("FAIL06 You are the only connected user")
            return
        client.send(f"OK BCST {text}")
        for other in self.audience(client):
            other.send(f"BCST {client.name} {text}")

    def users_list(self, client, _):
        if len(self.users) < 2:
            client.send("FAIL06 You are the only connected user")
        else:
            client.send("OK USERS " + ":".join(self.users))

    def quit(self, client, _):
        client.send("OK GOODBYE")
        self.depart(client)

    def pong(self, client, _):
        if client.awaiting_pong:
            client.awaiting_pong = False
        elif not self.twist("quiet-pong"):
            client.send("FAIL05 Pong without ping")

    def recipient(self, client, name):
        """The logged-in user a private command names, or None after sending the FAIL."""
        swapped = self.twist("swapped-pm-errors")
        if name == client.name:
            client.send("FAIL07 User does not exist" if swapped else "FAIL08 Cannot send private message to yourself")
            return None
        target = self.users.get(name)
        if target is None:
            client.send("FAIL08 Cannot send private message to yourself" if swapped else "FAIL07 User does not exist")
        return target

    def pm(self, client, rest):
        name, _, text = rest.partition(" ")
        target = self.recipient(client, name)
        if target:
            client.send(f"OK PM {name} {text}")
            sender = name if self.twist("npm-names-recipient") else client.name
            receivers = self.others(client) if self.twist("pm-to-everyone") else [target]
            if self.twist("npm-to-sender-too"):
                receivers = receivers + [client]
            for receiver in receivers:
                receiver.send(f"NPM {sender} {text}")

    def pm_pubkey(self, client, key):
        # The spec shows no ack to the sender; the key goes to every other logged-in user.
        for other in self.audience(client):
            other.send(f"PM_PUBKEY {client.name} {key}")

    def pm_sessionkey(self, client, rest):
        name, _, key = rest.partition(" ")
        target = self.recipient(client, name)
        if target:
            target.send(f"PM_SESSIONKEY {client.name} {key}")

    def private_message(self, client, rest):
        name, _, text = rest.partition(" ")
        target = self.recipient(client, name)
        if target:
            client.send(f"OK PRIVATE_MESSAGE {name} {text}")
            target.send(f"RECEIVE_PRIVATE_MSG {client.name} {text}")

    def client_ack(self, client, rest):
        # Clients acknowledge relayed keys with "OK PM_PUBKEY" / "OK PM_SESSIONKEY" (the spec's
        # flow); nothing answers them. Any other OK from a client is not a command.
        if rest.split(" ", 1)[0] not in ("PM_PUBKEY", "PM_SESSIONKEY"):
            client.send("FAIL00 Unknown command")


def add_arguments(parser):
    parser.add_argument("--ping-interval", type=float, default=10.0, metavar="SECONDS",
                        help="time between PINGs (default 10)")
    parser.add_argument("--pong-timeout", type=float, default=3.0, metavar="SECONDS",
                        help="time a PING waits for its PONG (default 3)")
    parser.add_argument("--greeting", default="Welcome to the server!",
                        help="text after INIT")


def main():
    variantlib.run("saxion test server", lambda args: Chat(args).handle, twists=TWISTS,
                   add_arguments=add_arguments)


if __name__ == "__main__":
    main()
