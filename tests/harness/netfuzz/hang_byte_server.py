#!/usr/bin/env python3
"""The conforming saxion variant server (tests/variants/saxion/server.py) with one twist of its
own: once any client sends the byte 0xFE, the server stops reading every connection, old and
new (it still accepts, and still greets with INIT on accept), so nobody is answered again: a hang
the network fuzzer must report as one (a greeting on a fresh connection is not an answer).
Options as the saxion server's (--port 0 prints "listening on HOST:PORT").
"""

import asyncio
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "variants"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "variants", "saxion"))
sys.dont_write_bytecode = True

import variantlib  # noqa: E402
import server as saxion  # noqa: E402

_hung = False
_read = variantlib.Conn.read


async def read_until_hung(self, limit=65536):
    global _hung
    if not _hung:
        data = await _read(self, limit)
        if b"\xfe" not in data:
            return data
        _hung = True
    await asyncio.get_running_loop().create_future()  # never done: the connection waits forever


variantlib.Conn.read = read_until_hung

if __name__ == "__main__":
    saxion.main()
