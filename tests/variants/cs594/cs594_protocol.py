"""The cs594 server's protocol: users, rooms, whispers, heartbeats (spec 003_*.txt).

Hub holds the shared state; Client is one connection. Each request handler checks its fields
(missing or of the wrong type: ERR_MALFORMED, as Message Format says) and then the rule its
spec section states. Twists are read from args.variants through Hub.twist(name).
"""

import asyncio
import json
import os
import sys

from json_stream import JsonStream, Malformed, TooLarge

# Operation codes and error codes (spec: Operation Codes, Error Messages).
ERR, LOGIN, LIST_ROOMS, LIST_USERS, JOIN_ROOM, LEAVE_ROOM, MESSAGE, USER_EXIT, HEARTBEAT, \
    WHISPER = range(10)
ERR_UNKNOWN, ERR_ILLEGAL_OP, ERR_ILLEGAL_LEN, ERR_NAME_EXISTS, ERR_ILLEGAL_NAME, \
    ERR_ILLEGAL_MSG, ERR_MALFORMED, ERR_TIMEOUT, ERR_ILLEGAL_WISP, ERR_NOT_IN_ROOM = range(10, 20)

MAX_NAME = 32   # spec, Illegal Name: "less than 1 character or greater than 32"


class BadRequest(Exception):
    """A request answered with one error object and otherwise ignored."""

    def __init__(self, code, **fields):
        super().__init__(code)
        self.reply = {"op": code, **fields}


def name_error(name, key):
    """The error for a user or room name, or None (spec: Illegal Name, both sections)."""
    if not 1 <= len(name) <= MAX_NAME:
        return BadRequest(ERR_ILLEGAL_LEN, **{key: name})
    # '.' is reserved for whisper rooms; control characters are a choice of this server.
    if "." in name or any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in name):
        return BadRequest(ERR_ILLEGAL_NAME, **{key: name})
    return None


def field(req, key, kind=str):
    """req[key], which must exist with the given type (spec: Message Format)."""
    value = req.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise BadRequest(ERR_MALFORMED)
    return value


class Room:
    def __init__(self, name, pair=None):
        self.name = name
        self.members = []    # Clients, in join order
        self.pair = pair     # for a whisper room: the two user names that may see it

    def visible_to(self, client):
        return self.pair is None or client.name in self.pair


class Client:
    def __init__(self, hub, conn):
        self.hub = hub
        self.conn = conn
        self.name = None                 # set by LOGIN
        self.rooms = []                  # Rooms this client is in
        self.unanswered_since = None     # when the oldest unanswered HEARTBEAT was sent

    def send(self, obj):
        self.conn.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")


class Hub:
    def __init__(self, args):
        self.args = args
        self.users = {}    # name -> Client
        self.rooms = {}    # name -> Room, in creation order

    def twist(self, name):
        return name in self.args.variants

    # ---- connection life ----

    async def handle(self, conn):
        client = Client(self, conn)
        beat = asyncio.ensure_future(self._heartbeat(client))
        stream = JsonStream(self.args.max_value)
        try:
            while not conn.closed:
                data = await conn.read()
                if not data:
                    break
                client.unanswered_since = None   # any traffic answers the heartbeat
                try:
                    values = stream.feed(data)
                except TooLarge:
                    # The end of the value cannot be found, so nothing after it can be read.
                    client.send({"op": ERR_UNKNOWN})
                    break
                if self.twist("one-value-per-read"):
                    values = values[:1]          # deviant: the rest of the read is lost
                for value in values:
                    if conn.closed:
                        break
                    self.on_value(client, value)
                await conn.drain()
        finally:
            beat.cancel()
            self.depart(client)

    async def _heartbeat(self, client):
        # Spec, Heart Beat: every second; not responded to within 5 s -> disconnected.
        loop = asyncio.get_running_loop()
        start = loop.time()
        tick = 0
        while not client.conn.closed:
            tick += 1
            await asyncio.sleep(max(0.0, start + tick * self.args.heartbeat - loop.time()))
            now = loop.time()
            since = client.unanswered_since
            if since is not None and now - since >= self.args.timeout - 0.001:
                client.conn.close()
                self.depart(client)
                return
            client.send({"op": HEARTBEAT})
            if client.unanswered_since is None:
                client.unanswered_since = now

    def depart(self, client):
        """Forgets a closed client; the others learn of a logged-in one (spec: Exit app)."""
        client.conn.close()
        if client.name is None or self.users.get(client.name) is not client:
            return
        del self.users[client.name]
        for room in list(client.rooms):
            self._remove_member(room, client)
        if self.twist("no-user-exit"):
            return                               # deviant: Exit app's broadcast is missing
        for other in self.users.values():
            other.send({"op": USER_EXIT, "user": client.name})

    # ---- requests ----

    def on_value(self, client, value):
        try:
            if isinstance(value, Malformed) or not isinstance(value, dict):
                raise BadRequest(ERR_MALFORMED)
            op = field(value, "op", int)
            handler = self.HANDLERS.get(op)
            if handler is None:
                if self.twist("unknown-op-close"):
                    client.conn.close()
                    return
                raise BadRequest(ERR_ILLEGAL_OP)
            if client.name is None and op not in (LOGIN, HEARTBEAT):
                raise BadRequest(ERR_ILLEGAL_OP)    # a choice: nothing but LOGIN before login
            handler(self, client, value)
        except BadRequest as e:
            if self.twist("illegal-op-for-malformed") and e.reply.get("op") == ERR_MALFORMED:
                # allowed: Malformed is "Not implemented"; Unknown: "Illegal_op is currently
                # being used instead"
                e.reply["op"] = ERR_ILLEGAL_OP
            client.send(e.reply)

    def on_login(self, client, req):
        name = field(req, "username")
        if client.name is not None:
            raise BadRequest(ERR_ILLEGAL_OP)        # a choice: one login per connection
        error = name_error(name, "user")
        if error:
            raise error
        if name in self.users:
            raise BadRequest(ERR_NAME_EXISTS, user=name)
        client.name = name
        self.users[name] = client
        client.send({"op": LOGIN, "username": name})

    def on_heartbeat(self, client, req):
        pass    # its arrival already answered the server's heartbeat

    def on_list_rooms(self, client, req):
        names = [r.name for r in self.rooms.values() if r.visible_to(client)]
        client.send({"op": LIST_ROOMS, "rooms": names})

    def on_list_users(self, client, req):
        # Spec, List Users: "If it matches a room name, only the users in that room".
        room = self.rooms.get(req.get("room")) if isinstance(req.get("room"), str) else None
        if "room" in req and not isinstance(req["room"], str):
            raise BadRequest(ERR_MALFORMED)
        if room is not None and room.visible_to(client):
            users = [m.name for m in room.members]
        else:
            users = list(self.users)
        client.send({"op": LIST_USERS, "users": users})

    def check_user(self, client, req, key="user"):
        # The examples carry the sender's name; one that is not the sender is invalid data.
        if key in req and field(req, key) != client.name:
            raise BadRequest(ERR_MALFORMED)

    def on_join(self, client, req):
        name = field(req, "room")
        self.check_user(client, req)
        error = name_error(name, "room")
        if error:
            raise error
        room = self.rooms.get(name)
        if room is not None and client in room.members:
            client.send({"op": JOIN_ROOM, "user": client.name, "room": name, "new": False})
            return
        new = room is None
        if new:
            room = self.rooms[name] = Room(name)
        self._add_member(room, client)
        flag = (not new) if self.twist("new-inverted") else new   # deviant: a wrong field meaning
        # allowed: Join Room names only the joiner ("a message back saying they've joined")
        told = [client] if self.twist("join-notice-to-joiner-only") else room.members
        for member in told:
            member.send({"op": JOIN_ROOM, "user": client.name, "room": name, "new": flag})

    def on_leave(self, client, req):
        name = field(req, "room")
        self.check_user(client, req)
        room = self.rooms.get(name)
        if room is None or client not in room.members:
            raise BadRequest(ERR_NOT_IN_ROOM)
        notice = {"op": LEAVE_ROOM, "room": name, "user": client.name}
        for member in room.members:
            member.send(notice)
        self._remove_member(room, client)

    def on_message(self, client, req):
        if self.twist("crash-on-missing-field") and "message" not in req:
            # deviant: a missing field kills the whole server, as an unguarded req["message"] would
            sys.stderr.write("FATAL: KeyError: 'message'\n")
            sys.stderr.flush()
            os._exit(1)
        name = field(req, "room")
        text = field(req, "message")
        self.check_user(client, req)
        room = self.rooms.get(name)
        if room is None or client not in room.members:
            raise BadRequest(ERR_NOT_IN_ROOM)
        out = {"op": MESSAGE, "user": client.name, "room": name, "message": text}
        # deviant: "notify all clients currently in the room" becomes every logged-in user
        for member in (list(self.users.values()) if self.twist("message-to-all") else room.members):
            member.send(out)

    def on_whisper(self, client, req):
        target_name = field(req, "target")
        # The spec's own example says 'Message'; replies say 'message'.
        text = field(req, "message" if "message" in req else "Message")
        self.check_user(client, req, "sender")
        target = self.users.get(target_name)
        if target is None or target is client:
            raise BadRequest(ERR_ILLEGAL_WISP, user=target_name)
        name = f"{client.name}.{target_name}"
        room = self.rooms.get(name)
        if room is None:
            room = self.rooms[name] = Room(name, pair=(client.name, target_name))
        for member in (client, target):
            if member not in room.members:
                self._add_member(room, member)
        out = {"op": WHISPER, "sender": client.name, "target": target_name, "room": name,
               "message": text}
        target.send(out)
        if not self.twist("no-whisper-ack"):   # allowed: the spec does not say the sender gets it
            client.send(out)

    # ---- rooms ----

    def _add_member(self, room, client):
        room.members.append(client)
        client.rooms.append(room)

    def _remove_member(self, room, client):
        room.members.remove(client)
        client.rooms.remove(room)
        if not room.members:
            del self.rooms[room.name]   # a choice: a room lives while it has members

    HANDLERS = {
        LOGIN: on_login,
        LIST_ROOMS: on_list_rooms,
        LIST_USERS: on_list_users,
        JOIN_ROOM: on_join,
        LEAVE_ROOM: on_leave,
        MESSAGE: on_message,
        HEARTBEAT: on_heartbeat,
        WHISPER: on_whisper,
    }
