"""Splits a cs594 byte stream into JSON values (spec: Message Format; framing unspecified).

Clients send objects back to back, with or without whitespace between them, split anywhere
across reads. The splitter finds where each value ends by counting brackets outside strings,
so one invalid value is reported alone and the stream stays in step. State is kept between
feeds, so bytes fed one at a time are scanned once each.
"""

import json

WHITESPACE = b" \t\r\n"
TOKEN_STOP = b" \t\r\n{[\""   # a bare token (number, literal, garbage) ends before these


class Malformed:
    """A complete value that is not valid UTF-8 JSON; `reason` says why."""

    def __init__(self, reason):
        self.reason = reason

    def __repr__(self):
        return f"Malformed({self.reason!r})"


class TooLarge(Exception):
    """A value grew past max_value bytes without ending: the stream cannot be followed."""


class JsonStream:
    def __init__(self, max_value=256 * 1024):
        self.max_value = max_value
        self.buf = bytearray()
        self._reset_scan()

    def _reset_scan(self):
        self.kind = None      # None (between values), "nest", "string", "token"
        self.pos = 0          # next byte of buf to scan
        self.depth = 0
        self.in_string = False
        self.escape = False

    def feed(self, data):
        """Returns the values completed by data: parsed JSON values or Malformed markers.

        Raises TooLarge when a value is longer than max_value.
        """
        self.buf += data
        out = []
        while True:
            end = self._scan()
            if end is None:
                break
            text = bytes(self.buf[:end])
            del self.buf[:end]
            self._reset_scan()
            out.append(_parse(text))
        if self.kind is not None and len(self.buf) > self.max_value:
            raise TooLarge(f"a JSON value longer than {self.max_value} bytes")
        return out

    def _scan(self):
        """The end offset of the first complete value in buf, or None if it is not complete."""
        buf = self.buf
        n = len(buf)
        if self.kind is None:
            start = 0
            while start < n and buf[start] in WHITESPACE:
                start += 1
            del buf[:start]
            n = len(buf)
            if n == 0:
                return None
            first = buf[0]
            self.kind = "nest" if first in b"{[" else "string" if first == 0x22 else "token"
            self.pos = 0
            if self.kind == "string":
                self.in_string = True
                self.pos = 1
        i = self.pos
        if self.kind == "token":
            while i < n and buf[i] not in TOKEN_STOP:
                i += 1
            self.pos = i
            return i if i < n else None
        while i < n:
            byte = buf[i]
            i += 1
            if self.in_string:
                if self.escape:
                    self.escape = False
                elif byte == 0x5C:      # backslash
                    self.escape = True
                elif byte == 0x22:      # closing quote
                    self.in_string = False
                    if self.kind == "string":
                        return i
            elif byte == 0x22:
                self.in_string = True
            elif byte in b"{[":
                self.depth += 1
            elif byte in b"}]":
                self.depth -= 1
                if self.depth == 0:
                    return i
        self.pos = i
        return None


def _parse(text):
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as e:
        return Malformed(f"invalid UTF-8 at byte {e.start}")
    try:
        value = json.loads(decoded)
        # A "\ud800" escape gives a lone surrogate: no character, and not writable as UTF-8.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return value
    except RecursionError:
        return Malformed("nested too deeply")
    except UnicodeEncodeError:
        return Malformed("a lone surrogate escape")
    except ValueError as e:
        return Malformed(f"invalid JSON: {e}")
