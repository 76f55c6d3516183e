#!/usr/bin/env python3
"""Writes the seed corpora of the cop fuzz targets from the conversations of scenarios/cop/.

Each seed mirrors one scenario (or a group of them): the same frames, on the same connections,
in the same order, as a session transcript (formats/transcript.h) for cop_session_fuzz and
as one client's byte stream for cop_codec_fuzz. Connect ids are those of the engine's built-in
deterministic sequence (proto/cop/session.cc), which the fuzz target uses.

    fuzz/cop/make_corpus.py        # rewrites fuzz/cop/*_corpus/
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MASK64 = (1 << 64) - 1


def ids():
    state = 0x2545F4914F6CDD1D
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        v = z & ((1 << 63) - 1)
        if v:
            yield v


ID1, ID2 = [i for i, _ in zip(ids(), range(2))]


def s(text):
    b = text.encode() if isinstance(text, str) else text
    return struct.pack(">i", len(b)) + b


def login(n): return b"\x00" + s(n)
def public(a, m): return b"\x04" + s(a) + s(m)
def private(a, b, m): return b"\x05" + s(a) + s(b) + s(m)
def pair(op, a, b): return bytes([op]) + s(a) + s(b)
def connect(i): return b"\x0a" + struct.pack(">q", i)


# Transcript records: (slot, bytes) sends, ("adv", slot, tenths), ("close", slot), ("re", slot).
def transcript(records):
    out = b""
    for r in records:
        if r[0] == "adv":
            out += bytes([3 * 4 + r[1]]) + struct.pack(">H", r[2])
        elif r[0] == "close":
            out += bytes([2 * 4 + r[1]]) + b"\x00\x00"
        elif r[0] == "re":
            out += bytes([1 * 4 + r[1]]) + b"\x00\x00"
        else:
            slot, data = r
            out += bytes([slot]) + struct.pack(">H", len(data)) + data
    return out


A, B, C, P = 0, 1, 2, 3
two = [(A, login("alice")), (B, login("bob"))]
three = two + [(C, login("carol"))]
accepted = two + [(A, pair(3, "alice", "bob")), (B, pair(7, "alice", "bob"))]
bridge = accepted + [(C, connect(ID1)), (P, connect(ID1))]

SESSION = {
    "01_login": [(A, login("alice"))],
    "02_login_taken_retry": [(A, login("alice")), (B, login("alice")), (B, login("bob"))],
    "03_login_invalid": [(A, login("")), (A, login("al ice")), (A, login("a" * 33)), (A, login("al\tice"))],
    "04_public_three": three + [(A, public("alice", "hello all"))],
    "05_public_limits": two + [(A, public("alice", "m" * 512)), (B, public("bob", "m" * 513))],
    "06_private_msg": three + [(A, private("alice", "bob", "psst")), (A, private("alice", "nobody", "?"))],
    "07_spoofed": three + [(A, public("bob", "x")), (B, private("carol", "alice", "x"))],
    "08_before_login": [(A, public("anon", "hi")), (B, pair(3, "x", "y")), (C, private("a", "b", "c"))],
    "09_refuse": two + [(A, pair(3, "alice", "bob")), (B, pair(8, "alice", "bob"))],
    "10_accept": accepted,
    "11_bridge": bridge + [(C, b"\xff\x0c\x80"), (P, public("mallory", "x"))],
    "12_bridge_reuse": bridge + [("re", A), (A, connect(ID1))],
    "13_forged_id": two + [(C, connect(1234567890))],
    "14_bridge_close": bridge + [("close", C)],
    "15_departure": bridge + [("close", A)],
    "16_unknown_opcodes": two + [(A, b"\x0c"), (B, b"\xff")],
    "17_bad_lengths": [(A, b"\x00\xff\xff\xff\xff"), (B, b"\x00\x00\x00\x04\x01"), (C, b"\x04" + s("x") + b"\x80\x00\x00\x00")],
    "18_coalesced": [(B, login("bob")), (A, login("alice") + private("alice", "bob", "a") + private("alice", "bob", "bb"))],
    "19_inactivity": two + [("adv", A, 2000), (A, private("alice", "bob", "still")), ("adv", A, 1500)],
    "20_bridge_held": accepted + [(C, connect(ID1) + b"early"), (P, connect(ID1) + b"late")],
    "21_two_ids": accepted + [(B, pair(3, "bob", "alice")), (A, pair(7, "bob", "alice"))],
    "22_accept_unasked": two + [(B, pair(7, "alice", "bob")), (C, login("carol")), (C, pair(7, "alice", "bob"))],
    "23_bridge_timeout": bridge + [("adv", C, 3001)],
}

CODEC = {
    "01_login": login("alice"),
    "02_every_opcode": login("a") + b"\x01" + s("a") + b"\x02" + s("a") + pair(3, "a", "b") + public("a", "hi")
    + private("a", "b", "m") + b"\x06" + s("c") + pair(7, "a", "b") + pair(8, "a", "b")
    + b"\x09" + s("a") + s("b") + struct.pack(">q", ID1) + connect(-1) + b"\x0b",
    "03_utf8": public("Zo\u00eb", "gr\u00fc\u00dfe \U0001F44B"),
    "04_negative_length": b"\x00\xff\xff\xff\xff",
    "05_length_1025": b"\x00\x00\x00\x04\x01",
    "06_length_1024": login("n" * 1024),
    "07_unknown_opcode": login("a") + b"\x0c",
    "08_invalid_utf8": public("a", b"\xc3\x28"),
    "09_incomplete": private("alice", "bob", "cut")[:-2],
    "10_empty_strings": private("", "", ""),
    "11_overlong_utf8": login(b"\xc0\xaf"),
    "12_max_message": public("alice", "m" * 512),
}


def write(name, seeds):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for k, v in seeds.items():
        with open(os.path.join(d, k), "wb") as fh:
            fh.write(v)


write("session_fuzz_corpus", {k: transcript(v) for k, v in SESSION.items()})
write("codec_fuzz_corpus", CODEC)
