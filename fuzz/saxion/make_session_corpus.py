#!/usr/bin/env python3
"""Writes fuzz/saxion/session_fuzz_corpus/, the seeds of saxion_session_fuzz.

Each seed is a session transcript (formats/transcript.h) of a real saxion conversation, as
the scenarios in scenarios/saxion/ hold them: the same lines on up to three connections (slots
0-2: alice, bob, carol), with virtual time advanced around the 10 s PING and 3 s PONG timers.

    fuzz/saxion/make_session_corpus.py     # rewrites fuzz/saxion/session_fuzz_corpus/
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
A, B, C = 0, 1, 2


# Records: (slot, bytes) a send; ("adv", tenths) virtual time (units of 100 ms);
# ("close", slot) the client disconnects; ("re", slot) reconnect.
def transcript(records):
    out = b""
    for r in records:
        if r[0] == "adv":
            out += bytes([3 * 4]) + struct.pack(">H", r[1])
        elif r[0] == "close":
            out += bytes([2 * 4 + r[1]]) + b"\x00\x00"
        elif r[0] == "re":
            out += bytes([1 * 4 + r[1]]) + b"\x00\x00"
        else:
            slot, data = r
            data = data.encode() if isinstance(data, str) else data
            assert len(data) <= 0xFFFF
            out += bytes([slot]) + struct.pack(">H", len(data)) + data
    return out


def ident(slot, name):
    return (slot, "IDENT %s\n" % name)


two = [ident(A, "alice"), ident(B, "bob")]
three = two + [ident(C, "carol")]

SEEDS = {
    "01_login": [ident(A, "alice")],
    "02_two_joined": two + [(B, "USERS\n")],
    "03_bcst_three": three + [(A, "BCST hello all\n"), (B, "BCST gr\u00fc\u00dfe \U0001F44B\n"), (C, "BCST\n")],
    "04_pm": three + [(A, "PM bob psst\n"), (A, "PM alice me\n"), (A, "PM nobody x\n"),
                      (B, "PRIVATE_MESSAGE alice c2VjcmV0\n")],
    "05_users": [ident(A, "alice"), (A, "USERS\n"), (C, "USERS\n"), ident(B, "bob"), (A, "USERS\n"),
                 ident(C, "carol"), (C, "USERS\n"), ("close", B), (A, "USERS\n")],
    # PING at 10 s (none at 9.9 s), answered; at 20 s answered, plus a PONG too many (FAIL05);
    # at 30 s not answered: DSCN Pong timeout at 33 s.
    "06_ping_pong": [ident(A, "alice"), ("adv", 99), ("adv", 1), (A, "PONG\n"), ("adv", 100),
                     (A, "PONG\nPONG\n"), ("adv", 130)],
    "07_pong_timeout": two + [("adv", 100), (B, "PONG\n"), ("adv", 30), (B, "USERS\n")],
    "08_quit": [(C, "QUIT\n")] + two + [(A, "QUIT\n"), (B, "USERS\n"), ident(C, "alice"), (B, "USERS\n")],
    # 65,545 bytes without a terminator, over the 64 KiB limit: DSCN Line too long, LEFT bob.
    "09_over_long_line": two + [(B, "BCST " + "x" * 65530), (B, "x" * 10)],
    # Exactly 65,536 bytes before the terminator: at the limit, accepted and relayed.
    "09_line_at_limit": two + [(A, "BCST " + "y" * 65530), (A, "y\n"), (B, "USERS\n")],
    "10_errors": [(A, "ident alice\n\nJOINED bob\nBCST hi\nUSERS\nPM bob x\nPM_PUBKEY k\n"
                      "PM_SESSIONKEY bob k\nPRIVATE_MESSAGE bob x\nPONG\n"),
                  (A, "IDENT ab\nIDENT abcdefghijklmno\nIDENT ali-ce\nIDENT \nIDENT abc\n"),
                  (A, "IDENT abc\nIDENT other\n"), (B, "IDENT abc\nIDENT abcdefghijklmn\n"),
                  (B, "FOO\nOK\nOK PM_PUBKEY\nOK GOODBYE\n")],
    "11_encryption": two + [(A, "PM_PUBKEY a2V5LW9mLWFsaWNl\n"), (B, "OK PM_PUBKEY\n"),
                            (B, "PM_SESSIONKEY alice ZW5jcnlwdGVk\n"), (A, "OK PM_SESSIONKEY\n"),
                            (A, "PRIVATE_MESSAGE bob c2VjcmV0\n"), (A, "PM_SESSIONKEY alice x\n"),
                            (A, "PM_SESSIONKEY nobody x\n")],
    "12_framing": [(A, "IDENT alice\r"), (A, "\nBCST a\r\nBCST b\rBCST c\n"), (B, "I"), (B, "D"),
                   (B, "ENT bob\r"), (B, "\n"), (A, "BCST " + "y" * 8192 + "\n")],
    "13_disconnect_reconnect": three + [("close", B), ("re", C), ident(C, "bob"), (A, "BCST back\n"),
                                        ("adv", 130)],
    "14_quit_mid_write": two + [(A, "BCST bye\nQUIT\nBCST never\n"), (B, "USERS\n")],
    # carol is connected but never logged in: no JOINED, BCST, PM_PUBKEY or LEFT for her.
    "15_unidentified_hears_nothing": [(C, "USERS\n")] + two + [(A, "BCST hi\n"), (A, "PM_PUBKEY k\n"),
                                                                (A, "QUIT\n"), ("close", B), ident(C, "carol")],
}


def main():
    d = os.path.join(HERE, "session_fuzz_corpus")
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for name, records in SEEDS.items():
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(transcript(records))


if __name__ == "__main__":
    main()
