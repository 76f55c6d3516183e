"""The psuirc server's protocol: username, rooms, members, messages (spec 004_*.txt).

Replies are the spec's own strings (sections 5.10 and 6) as the spec writes them, trailing
space included ("Available rooms \\n" is the line "Available rooms "). Where the spec gives no
wording (delivery, confirmation, help) this server words it itself. Twists (args.variants) are
read through Hub.twist(name); TWISTS lists them.
"""

import os
import sys

from variantlib import LineSplitter

# Spec section 6 and 5.10, as written there (a trailing "\n" is the end of the line).
WELCOME_CLIENT = "welcome user "
CLIENT_INVALID = "client invalid"
CLIENT_ALREADY_IN = "you are already in the system"
CLIENT_EXISTS = "name exists"
INPUT_INVALID = "input invalid"
UNKNOWN_COMMAND = "command invalid Type - HELP"
ROOMS_AVAILABLE_TITLE = "Available rooms "
NO_ROOMS_TITLE = "Sorry, no rooms "
INVALID_ROOM_NAME = "invalid room name"
ROOM_DOES_NOT_EXIST = "room does not exist"
ROOM_MEMBERS = "room members "
ROOM_ADDED = "new room added"
ALREADY_MEMBER = "you are already member"
NEW_MEMBER_JOINED = "new member joined in room"
MEMBER_LEFT = "one member left the room"
YOU_LEFT_ROOM = "you left the room"
MEMBERSHIP_GRANTED = "Membership granted to the room"
NOT_MEMBER = "you are not member"
INVALID_MESSAGE_FORMAT = "invalid message format"
EXIT_SUCCESSFUL = " exit successful"     # the spec's "\n exit successful": a blank line first
INVALID_USERNAME = "invalid username"    # section 6's prose: a name under two characters

HELP_LINES = [
    "commands (any letter case):",
    "  liro                  list all rooms",
    "  lime <room>           list the members of a room",
    "  room <room>           create a room",
    "  join <room>           join a room",
    "  leve <room>           leave a room",
    "  send <room> <message> send a message to a room",
    "  help                  this text",
    "  exit                  leave the chat",
]

MAX_LABEL = 100 * 1024     # spec 4: "at most in 100k input size"
MAX_MESSAGE = 100 * 1024   # a choice: messages are bounded like labels
MAX_LINE = 256 * 1024      # a choice: longer than any valid command; beyond it, close

TWISTS = {
    "help-one-line": "help is one line naming the commands (allowed: the spec gives no text)",
    "echo-to-sender": "the sender of a room message gets it too, after the confirmation "
                      "(allowed: the spec says only that the members get it)",
    "refused-name-closes": "an invalid or taken username is answered and the connection "
                           "closed (allowed: spec 2, either side may close at any time)",
    "no-join-notice": "members already in a room are not told of a join (deviant: section 6 "
                      "NEW_MEMBER_JOINED)",
    "send-to-all": "a room message goes to every logged-in user (deviant: spec 1, only "
                   "those joined to the room)",
    "one-line-per-read": "only the first line of each read is handled (deviant: a stream "
                         "has no read boundaries)",
    "crash-on-missing-room": "\"join\" without a room name kills the server (deviant: a crash "
                             "on a missing argument, where 5.10 has INVALID_ROOM_NAME)",
}


def label_ok(text, minimum=1):
    """Spec 4: readable UTF-8 characters, at least `minimum` characters, at most 100 KiB.

    Whitespace and control characters are not readable in a label (a space would also be
    read as the next argument).
    """
    if len(text) < minimum or len(text.encode("utf-8")) > MAX_LABEL:
        return False
    return all(c.isprintable() and not c.isspace() for c in text)


def message_ok(text):
    return 0 < len(text.encode("utf-8")) <= MAX_MESSAGE and \
        all(c.isprintable() for c in text)


class Client:
    def __init__(self, conn):
        self.conn = conn
        self.name = None
        self.done = False    # exit was asked, or the connection must close

    def say(self, *lines):
        self.conn.write("".join(f"{line}\n" for line in lines).encode("utf-8"))


class Hub:
    def __init__(self, args):
        self.args = args
        self.clients = []   # connected, logged in or not (spec 2: the limit counts these)
        self.users = {}     # name -> Client
        self.rooms = {}     # name -> list of member Clients; in creation order

    def twist(self, name):
        return name in self.args.variants

    async def handle(self, conn):
        client = Client(conn)
        if len(self.clients) >= self.args.max_clients:
            # Spec 2: "the client connection limit is 6"; the error is section 6's string.
            client.say(CLIENT_INVALID)
            await conn.drain()
            return
        self.clients.append(client)
        splitter = LineSplitter(max_len=MAX_LINE, cr_alone=False)
        try:
            while not client.done:
                data = await conn.read()
                if not data:
                    break
                lines = splitter.feed(data)
                if self.twist("one-line-per-read"):
                    lines = lines[:1]
                for raw in lines:
                    self.on_line(client, raw)
                    if client.done:
                        break
                if splitter.overflow and not client.done:
                    client.say(INPUT_INVALID)
                    client.done = True
                await conn.drain()
        finally:
            self.depart(client)

    def depart(self, client):
        if client in self.clients:
            self.clients.remove(client)
        if client.name is not None and self.users.get(client.name) is client:
            del self.users[client.name]
            for name, members in self.rooms.items():
                if client in members:
                    members.remove(client)
                    for member in members:
                        member.say(MEMBER_LEFT)
        client.conn.close()

    def on_line(self, client, raw):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            client.say(INPUT_INVALID)     # spec 4: labels are readable UTF-8
            return
        if client.name is None:
            self.on_username(client, line)
            return
        command, _, rest = line.partition(" ")
        handler = self.COMMANDS.get(command.lower())
        if handler is not None:
            handler(self, client, rest)
        elif line == client.name:
            client.say(CLIENT_ALREADY_IN)
        else:
            client.say(UNKNOWN_COMMAND)

    def on_username(self, client, name):
        # Spec 5.1 and section 6: a name under two characters is "invalid username".
        if not label_ok(name, minimum=2):
            client.say(INVALID_USERNAME)
            client.done = self.twist("refused-name-closes")
        elif name in self.users:
            client.say(CLIENT_EXISTS)
            client.done = self.twist("refused-name-closes")
        else:
            client.name = name
            self.users[name] = client
            client.say(WELCOME_CLIENT)

    def room_of(self, client, name):
        """The member list of room `name`, or None after telling the client why not."""
        if not label_ok(name):
            client.say(INVALID_ROOM_NAME)
            return None
        if name not in self.rooms:
            client.say(ROOM_DOES_NOT_EXIST)
            return None
        return self.rooms[name]

    def cmd_liro(self, client, rest):
        if self.rooms:
            client.say(ROOMS_AVAILABLE_TITLE, *self.rooms)
        else:
            client.say(NO_ROOMS_TITLE)

    def cmd_lime(self, client, rest):
        members = self.room_of(client, rest)
        if members is not None:
            client.say(ROOM_MEMBERS, *(m.name for m in members))

    def cmd_room(self, client, rest):
        # An existing name cannot be created again; the spec's nearest string is this one.
        if not label_ok(rest) or rest in self.rooms:
            client.say(INVALID_ROOM_NAME)
            return
        self.rooms[rest] = []
        client.say(ROOM_ADDED)

    def cmd_join(self, client, rest):
        if self.twist("crash-on-missing-room") and not rest:
            # as an unguarded arguments[0] would: the whole server dies, every client with it
            sys.stderr.write("FATAL: IndexError: list index out of range\n")
            sys.stderr.flush()
            os._exit(1)
        members = self.room_of(client, rest)
        if members is None:
            return
        if client in members:
            client.say(ALREADY_MEMBER)
            return
        if not self.twist("no-join-notice"):
            for member in members:
                member.say(NEW_MEMBER_JOINED)
        members.append(client)
        client.say(MEMBERSHIP_GRANTED)

    def cmd_leve(self, client, rest):
        members = self.room_of(client, rest)
        if members is None:
            return
        if client not in members:
            client.say(NOT_MEMBER)
            return
        members.remove(client)
        client.say(YOU_LEFT_ROOM)
        for member in members:
            member.say(MEMBER_LEFT)

    def cmd_send(self, client, rest):
        room, _, text = rest.partition(" ")
        if not message_ok(text):
            client.say(INVALID_MESSAGE_FORMAT)
            return
        members = self.room_of(client, room)
        if members is None:
            return
        if client not in members:
            client.say(NOT_MEMBER)
            return
        delivery = f"[{room}] {client.name}: {text}"
        targets = list(self.users.values()) if self.twist("send-to-all") else members
        for member in targets:
            if member is not client:
                member.say(delivery)
        client.say(f"message delivered to {room}")
        if self.twist("echo-to-sender"):
            client.say(delivery)

    def cmd_help(self, client, rest):
        if self.twist("help-one-line"):
            client.say("commands: liro, lime <room>, room <room>, join <room>, leve <room>, "
                       "send <room> <message>, help, exit")
        else:
            client.say(*HELP_LINES)

    def cmd_exit(self, client, rest):
        client.say("", EXIT_SUCCESSFUL)
        client.done = True

    COMMANDS = {
        "liro": cmd_liro,
        "lime": cmd_lime,
        "room": cmd_room,
        "join": cmd_join,
        "leve": cmd_leve,
        "send": cmd_send,
        "help": cmd_help,
        "exit": cmd_exit,
    }
