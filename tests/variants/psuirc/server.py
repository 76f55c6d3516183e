#!/usr/bin/env python3
"""A conforming psuirc server, written from the spec (004_*.txt) and specs/README.md.

It stands in for an implementation nobody on the team wrote: replies are the spec's strings
as the spec writes them, and where the spec gives no wording or rule this server makes its
own choice (tests/variants/README.md, "psuirc"). Twists (--variant) in psuirc_protocol.TWISTS.

  python3 server.py --port 0 [--max-clients 6] [--variant help-one-line]
"""

import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree from test runs

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import variantlib  # noqa: E402
from psuirc_protocol import TWISTS, Hub  # noqa: E402


def add_arguments(parser):
    parser.add_argument("--max-clients", type=int, default=6, metavar="N",
                        help="connections served at once (spec 2: the limit is 6)")


def main():
    variantlib.run("psuirc test server (conforming, with twists)",
                   lambda args: Hub(args).handle, twists=TWISTS, add_arguments=add_arguments)


if __name__ == "__main__":
    main()
