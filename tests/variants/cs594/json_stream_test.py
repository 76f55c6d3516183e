#!/usr/bin/env python3
"""Checks the cs594 test server's JSON stream splitter (json_stream.py): the same values at
every split of the stream, invalid values reported alone with the stream kept in step, and
the size bound. No network. Run: python3 tests/variants/cs594/json_stream_test.py
"""

import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree from test runs
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from json_stream import JsonStream, Malformed, TooLarge  # noqa: E402

STREAM = (b' {"op":1,"username":"a"}{"op":6,"message":"}{ ][ \\"}\\" \\\\ {{"}\r\n'
          b'\t[1,[2]] "str{" 42 {"op":2,, }{"op":3}\n')
EXPECTED = [{"op": 1, "username": "a"}, {"op": 6, "message": '}{ ][ "}" \\ {{'}, [1, [2]],
            "str{", 42, "MALFORMED", {"op": 3}]


def shape(values):
    return ["MALFORMED" if isinstance(v, Malformed) else v for v in values]


class JsonStreamTest(unittest.TestCase):
    def test_whole(self):
        self.assertEqual(shape(JsonStream().feed(STREAM)), EXPECTED)

    def test_every_split_in_two(self):
        for cut in range(len(STREAM) + 1):
            s = JsonStream()
            got = s.feed(STREAM[:cut]) + s.feed(STREAM[cut:])
            self.assertEqual(shape(got), EXPECTED, f"split at {cut}")

    def test_byte_by_byte(self):
        s = JsonStream()
        got = []
        for i in range(len(STREAM)):
            got += s.feed(STREAM[i:i + 1])
        self.assertEqual(shape(got), EXPECTED)

    def test_bare_token_waits_for_its_end(self):
        s = JsonStream()
        self.assertEqual(s.feed(b"12"), [])
        self.assertEqual(s.feed(b"3 "), [123])

    def test_invalid_utf8_is_malformed_and_next_value_read(self):
        got = JsonStream().feed(b'{"username":"\xff\xfe"}{"op":2}')
        self.assertIsInstance(got[0], Malformed)
        self.assertIn("UTF-8", got[0].reason)
        self.assertEqual(got[1:], [{"op": 2}])

    def test_lone_surrogate_escape_is_malformed(self):
        got = JsonStream().feed(b'{"username":"\\ud800x"}{"m":"\\ud83d\\ude00"}')
        self.assertEqual(shape(got), ["MALFORMED", {"m": "\U0001F600"}])

    def test_single_quotes_are_malformed(self):
        got = JsonStream().feed(b"{'op': 1}{\"op\":2}")
        self.assertEqual(shape(got), ["MALFORMED", {"op": 2}])

    def test_too_deep_for_python_is_malformed_not_a_crash(self):
        got = JsonStream().feed(b"[" * 5000 + b"]" * 5000)
        self.assertEqual(shape(got), ["MALFORMED"])

    def test_value_over_the_bound_raises(self):
        s = JsonStream(max_value=100)
        self.assertEqual(s.feed(b'{"op":6,"message":"' + b"x" * 60), [])
        with self.assertRaises(TooLarge):
            s.feed(b"x" * 60)

    def test_value_at_the_bound_is_read(self):
        body = b'{"m":"' + b"x" * 92 + b'"}'   # 100 bytes
        self.assertEqual(JsonStream(max_value=100).feed(body), [{"m": "x" * 92}])


if __name__ == "__main__":
    unittest.main()
