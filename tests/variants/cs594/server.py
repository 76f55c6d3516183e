#!/usr/bin/env python3
"""A conforming cs594 server, written from the spec (003_*.txt) and specs/README.md.

It stands in for an implementation nobody on the team wrote: where the spec leaves a choice,
it makes its own (listed in tests/variants/README.md, "cs594"), not necessarily the reference
server's. Twists (--variant) turn on other behaviour; see TWISTS.

  python3 server.py --port 0 [--variant unknown-op-close] [--heartbeat 1.0] [--timeout 5.0]
"""

import json
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree from test runs

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import variantlib  # noqa: E402
from cs594_protocol import Hub  # noqa: E402

TWISTS = {
    "unknown-op-close": "an unknown op is answered by closing the connection, with no reply "
                        "(issue 22)",
    # allowed choices (issue 23's zoo; zoo.json says which decision scenarios each fails)
    "illegal-op-for-malformed": "ERR_ILLEGAL_OP wherever ERR_MALFORMED would be sent (Unknown: "
                                "'Illegal_op is currently being used instead')",
    "no-whisper-ack": "a WHISPER goes to its target only, not back to the sender",
    "join-notice-to-joiner-only": "JOIN_ROOM is answered to the joiner only, the members are not told",
    # deviations from the spec's words (zoo.json lists the scenarios each fails)
    "one-value-per-read": "only the first JSON value of each read is handled, the rest is lost",
    "message-to-all": "a MESSAGE goes to every logged-in user, not to the room's members",
    "no-user-exit": "no USER_EXIT when a user leaves (Exit app)",
    "new-inverted": "JOIN_ROOM's 'new' says false for a new room and true for an existing one",
    "crash-on-missing-field": "a MESSAGE without 'message' kills the server",
}


def add_arguments(parser):
    parser.add_argument("--heartbeat", type=float, default=1.0, metavar="SECONDS",
                        help="interval of the server's HEARTBEATs (spec: every second)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="a HEARTBEAT unanswered this long disconnects the client (spec: 5)")
    parser.add_argument("--max-value", type=int, default=256 * 1024, metavar="BYTES",
                        help="longest JSON value read; a longer one closes the connection")


def main():
    variantlib.run("cs594 test server (conforming, with twists)",
                   lambda args: Hub(args).handle, twists=TWISTS, add_arguments=add_arguments)


if __name__ == "__main__":
    main()
