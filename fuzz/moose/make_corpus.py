#!/usr/bin/env python3
"""Writes the seed corpora of the moose fuzz targets (run from anywhere; needs the openssl CLI).

envelope_fuzz_corpus/: raw packet lines sealed with RSA-OAEP (SHA-1, MGF1-SHA-1) to the fixed
test key in test_server_key.h, plus broken ones (bounce, bad base64, wrong shape).
session_fuzz_corpus/: transcripts (formats/transcript.h) with pass-through raw packets on
slots 0-2 and control commands on slot 3.
"""
import base64, json, os, re, struct, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def test_key_pem():
    text = open(os.path.join(HERE, "test_server_key.h")).read()
    return re.search(r'R"\((.*?)\)"', text, re.S).group(1)


def seal(inner, pub_path, to="server", block=214):
    blocks = []
    data = inner.encode()
    for i in range(0, len(data), block):
        out = subprocess.run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", pub_path,
                              "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1",
                              "-pkeyopt", "rsa_mgf1_md:sha1"], input=data[i:i + block], capture_output=True, check=True)
        blocks.append(base64.b64encode(out.stdout).decode())
    return json.dumps({"messages": blocks, "UUID": "alice", "to": to}) + "\n"


def envelope_corpus():
    d = os.path.join(HERE, "envelope_fuzz_corpus")
    os.makedirs(d, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "key.pem")
        pub = os.path.join(tmp, "pub.pem")
        open(key, "w").write(test_key_pem())
        subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True)
        key_packet = json.dumps({"type": "key", "UUID": "alice", "key": open(pub).read()})
        msg = json.dumps({"type": "msg", "msg": ["\u20ac" * 100], "I/O": "out", "UUID": "alice"}, ensure_ascii=False)
        seeds = {
            "01_key": seal(key_packet, pub),
            "02_msg_utf8_blocks": seal(msg, pub),
            "03_small_blocks": seal(json.dumps({"type": "probeACK", "UUID": "alice"}), pub, block=10),
            "04_bounce": seal(json.dumps({"type": "probeACK", "UUID": "alice"}), pub, to="client"),
            "05_historical_to": seal(json.dumps({"type": "probeACK", "UUID": "alice"}), pub, to="alice"),
            "06_bad_base64": json.dumps({"messages": ["abc*def="], "UUID": "a", "to": "server"}) + "\n",
            "07_wrong_shape": json.dumps({"messages": "x", "to": "server"}) + "\n",
            "08_not_json": "{\"messages\": [\n",
            "09_empty_messages": json.dumps({"messages": [], "UUID": "a", "to": "server"}) + "\n",
        }
    for name, text in seeds.items():
        open(os.path.join(d, name), "w").write(text)


def record(slot, kind, value=0, payload=b""):
    if kind == 0:
        value = len(payload)
    return bytes([kind * 4 + slot]) + struct.pack(">H", value) + payload


def packet(slot, inner, to="server"):
    line = json.dumps({"messages": [json.dumps(inner)], "UUID": "x", "to": to}) + "\n"
    return record(slot, 0, payload=line.encode())


def control(line):
    return record(3, 0, payload=(line + "\n").encode())


def advance(tenths):
    return record(0, 3, tenths)


def key(slot, uuid):
    return packet(slot, {"type": "key", "UUID": uuid, "key": "k"})


def session_corpus():
    d = os.path.join(HERE, "session_fuzz_corpus")
    os.makedirs(d, exist_ok=True)
    ring_race = [key(0, "a"), key(1, "b"), key(2, "c"), control("ring sms eve"),
                 packet(1, {"type": "ringACK", "UUID": "b", "ID": 1}), packet(0, {"type": "ringACK", "UUID": "a", "ID": 1}),
                 packet(2, {"type": "ringACK", "UUID": "c", "ID": 1})]
    chat = [key(0, "a"), control("ring sms eve"), packet(0, {"type": "ringACK", "UUID": "a", "ID": 1}),
            control("write eve hello"), control("type eve composing"),
            packet(0, {"type": "msg", "msg": ["hi"], "I/O": "out", "UUID": "a"}),
            packet(0, {"type": "chat_state", "state": "paused", "I/O": "out", "UUID": "a"}),
            packet(0, {"type": "disassociate", "UUID": "a"}), control("leave eve")]
    seeds = {
        "01_ring_race": ring_race,
        "02_chat": chat,
        "03_ring_timeout": [key(0, "a"), control("ring web frank"), advance(70), packet(0, {"type": "probeACK", "UUID": "a"}),
                            advance(600)],
        "04_probe_removal": [key(0, "a"), key(1, "b"), control("ring sms eve"), packet(1, {"type": "ringACK", "UUID": "b", "ID": 1}),
                             advance(70), packet(0, {"type": "probeACK", "UUID": "a"}), advance(31), control("clients")],
        "05_status_disconnect": [key(0, "a"), control("service sms offline"), packet(0, {"type": "disconnect", "UUID": "a"}),
                                 key(0, "a"), control("stats"), record(0, 2)],
        "06_bounce_and_junk": [packet(0, {"type": "key", "UUID": "a", "key": "k"}, to="client"),
                               record(1, 0, payload=b"not json\n"), control("last-error"), control("bogus")],
    }
    for name, records in seeds.items():
        open(os.path.join(d, name), "wb").write(b"".join(records))


if __name__ == "__main__":
    envelope_corpus()
    session_corpus()
