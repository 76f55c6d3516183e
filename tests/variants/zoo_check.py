#!/usr/bin/env python3
"""Runs a protocol's suite against one server of the variant zoo and checks the verdict (issue 23).

The zoo of a protocol is tests/variants/<id>/zoo.json: for each variant, the server's arguments,
whether its choices are allowed by the spec or deviate from it, and the scenarios it must fail,
each with a reason:
  fails         spec-tier failures of a default run (an allowed variant has none)
  strict_fails  decision-tier failures, which only `run --strict` counts
  may_fail      failures that depend on how TCP splits the writes (each with its reason)
  root_causes   (optional) how many root causes the default run names
and, for the whole zoo, `jobs`: scenarios run at once (default 2; --jobs overrides). Most
scenarios wait on timers, not the CPU, so more run at once cost little.
Every variant is measured: an entry cannot be skipped (a skipped check would hide a wrong verdict).

The default run (`relaycheck run --report json:...`) must fail exactly `fails` (counted) and,
apart, exactly `strict_fails` (not counted); every counted failure must be its own root cause or
be blocked_by one that is in the set. For an allowed variant `run --strict` is run too and must
fail exactly `strict_fails` (run on the decision tier only: --strict changes nothing else).

usage: zoo_check.py --relaycheck BIN --protocol ID --variant NAME [--jobs N] [--keep DIR]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))


def load_zoo(protocol):
    path = os.path.join(HERE, protocol, "zoo.json")
    with open(path) as f:
        zoo = json.load(f)
    return path, zoo


def write_profile(directory, protocol, zoo, variant):
    server = os.path.join(HERE, protocol, zoo.get("server", "server.py"))
    command = ["python3", server, "--port", "0"] + variant.get("args", [])
    path = os.path.join(directory, f"{protocol}-{variant['name']}.yaml")
    with open(path, "w") as f:
        # JSON is YAML: the profile needs no quoting rules of its own.
        f.write(json.dumps({
            "name": f"{protocol}-zoo-{variant['name']}",
            "description": f"tests/variants/{protocol}/{zoo.get('server', 'server.py')} {' '.join(variant.get('args', []))}",
            "launch": {"command": command, "ready": {"stdout": "listening on"}, "start_timeout": "30s"},
            "known_failures": [],
            # zoo.json "profile": further profile settings, e.g. psuirc's {"wording": "loose"}
            **zoo.get("profile", {}),
        }, indent=1))
    return path


def run(binary, protocol, profile, report, jobs, strict, extra, only=()):
    command = [binary, "run", "--profile", profile, "--protocol", protocol, "--jobs", str(jobs),
               "--quiet", "--report", f"json:{report}"] + extra + (["--strict"] if strict else [])
    for scenario_id in sorted(only):
        command += ["--filter", scenario_id]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as e:   # e.g. the binary is being relinked by a build
        sys.exit(f"FAIL: cannot run {binary}: {e.strerror} (command: {' '.join(command)})")
    if not os.path.exists(report):
        sys.exit(f"FAIL: no report from {' '.join(command)} (exit {done.returncode}):\n{done.stdout}")
    with open(report) as f:
        return done.returncode, json.load(f), " ".join(command)


def failures(doc):
    return [r for r in doc["results"] if r["status"] in ("fail", "error", "xpass")]


def fail_again(binary, protocol, profile, report, jobs, strict, extra, unexpected):
    """Runs the unexpected failures once more, together (what `run --rerun 1` does one at a time
    for every failure, the expected ones too, which made a deviant's run minutes longer): the ids
    that fail again. One that passes now failed by chance (a loaded machine) and is left out."""
    if not unexpected:
        return set()
    _, doc, _ = run(binary, protocol, profile, report, jobs, strict, extra, only=unexpected)
    return {r["id"] for r in failures(doc)}


def decision_ids(binary, protocol):
    """The ids of the protocol's decision-tier scenarios (`relaycheck list`)."""
    done = subprocess.run([binary, "list", "--protocol", protocol, "--format", "json"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {binary} list --protocol {protocol} --format json: exit {done.returncode}: {done.stderr}")
    return {s["id"] for s in json.loads(done.stdout) if s["tier"] == "decision"}


def ids(entries):
    return {e["id"] if isinstance(e, dict) else e for e in entries}


def compare(what, got, want, may):
    problems = []
    missing = sorted(want - got)
    extra = sorted(got - want - may)
    if missing:
        problems.append(f"{what}: expected to fail but did not: {', '.join(missing)}")
    if extra:
        problems.append(f"{what}: failed but not expected: {', '.join(extra)}")
    return problems


def explain(doc, id_set):
    lines = []
    for r in doc["results"]:
        if r["id"] in id_set:
            lines.append(f"  {r['id']} [{r['tier']}] {r.get('failed_at', '')}: {r.get('message', '')[:300]}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relaycheck", required=True)
    parser.add_argument("--protocol", required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--jobs", type=int, help="scenarios at once (default: zoo.json \"jobs\", else 2)")
    parser.add_argument("--keep", help="write the profile and reports here instead of a temporary directory")
    parser.add_argument("--discover", action="store_true",
                        help="only run and print the failing ids by tier (to write zoo.json)")
    args = parser.parse_args()

    path, zoo = load_zoo(args.protocol)
    variants = {v["name"]: v for v in zoo["variants"]}
    if args.variant not in variants:
        sys.exit(f"FAIL: {path} has no variant '{args.variant}' (it has: {', '.join(variants)})")
    variant = variants[args.variant]
    jobs = args.jobs or zoo.get("jobs", 2)
    if variant.get("kind") not in ("allowed", "deviant"):
        sys.exit(f"FAIL: {path}: variant '{args.variant}' needs kind allowed or deviant")
    for key in ("fails", "strict_fails", "may_fail"):
        for e in variant.get(key, []):
            if not isinstance(e, dict) or not e.get("id") or not e.get("reason"):
                sys.exit(f"FAIL: {path}: {args.variant}.{key}: every entry needs an id and a reason, got {e!r}")
    if "pending" in variant and not args.discover:
        sys.exit(f"FAIL: {path}: variant '{args.variant}' is marked pending: measure it (--discover) and write its sets")
    fails, strict_fails, may = ids(variant.get("fails", [])), ids(variant.get("strict_fails", [])), ids(variant.get("may_fail", []))
    if variant["kind"] == "allowed" and fails:
        sys.exit(f"FAIL: {path}: allowed variant '{args.variant}' lists spec-tier failures")
    if variant["kind"] == "deviant" and not fails and not args.discover:
        sys.exit(f"FAIL: {path}: deviant variant '{args.variant}' lists no spec-tier failure")

    with tempfile.TemporaryDirectory(prefix="zoo-") as scratch:
        work = args.keep or scratch
        os.makedirs(work, exist_ok=True)
        profile = write_profile(work, args.protocol, zoo, variant)
        extra = zoo.get("run_args", []) + variant.get("run_args", [])
        problems = []

        report = os.path.join(work, f"{args.protocol}-{args.variant}.json")
        code, doc, command = run(args.relaycheck, args.protocol, profile, report, jobs, False, extra)
        failed = failures(doc)
        want_code = 1 if any(r.get("counted", True) for r in failed) else 0
        unexpected = {r["id"] for r in failed} - fails - strict_fails - may
        by_chance = unexpected - fail_again(args.relaycheck, args.protocol, profile, report.replace(".json", "-again.json"),
                                            jobs, False, extra, unexpected)
        if by_chance:
            print(f"note: failed once, passed when run again (left out): {', '.join(sorted(by_chance))}")
            failed = [r for r in failed if r["id"] not in by_chance]
        errors = [r["id"] for r in failed if r["status"] != "fail"]
        if errors:
            problems.append(f"results that are no plain failure (error/xpass): {', '.join(errors)}")
        counted = {r["id"] for r in failed if r.get("counted", True)}
        uncounted = {r["id"] for r in failed if not r.get("counted", True)}
        problems += compare("default run, counted (spec tier)", counted, fails, may)
        problems += compare("default run, not counted (decision tier)", uncounted, strict_fails, may)
        if code != want_code:
            problems.append(f"default run: exit {code}, expected {want_code}")
        # Each counted failure is its own root cause or blocked by one in the set.
        for r in failed:
            if r["id"] not in counted:
                continue
            if not r.get("failed_at"):
                problems.append(f"{r['id']}: no failed_at (where it stopped)")
            blocked = r.get("blocked_by")
            if blocked and blocked["first"] not in counted | uncounted:
                problems.append(f"{r['id']}: blocked_by {blocked['first']}, which is not a failure of this run")
        if "root_causes" in variant and doc["summary"].get("root_causes") != variant["root_causes"]:
            problems.append(f"default run: {doc['summary'].get('root_causes')} root causes, expected {variant['root_causes']}")
        causes = {r["blocked_by"]["at"] for r in failed if r.get("blocked_by")}
        if args.discover:
            print(json.dumps({"counted": sorted(counted), "uncounted": sorted(uncounted),
                              "root_causes": doc["summary"].get("root_causes"),
                              "blocked": {r["id"]: r["blocked_by"] for r in failed if r.get("blocked_by")}}, indent=1))
            print(explain(doc, {r["id"] for r in failed}))
            return 0
        print(f"{args.protocol}/{args.variant} ({variant['kind']}): {len(counted)} counted failures, "
              f"{len(uncounted)} decision-tier failures, root causes in the report: "
              f"{doc['summary'].get('root_causes')} ({len(causes)} shared steps), blocked: {doc['summary'].get('blocked')}")

        if variant["kind"] == "allowed" and not problems:
            # --strict only changes how decision-tier results count (reports/result.cc), and the
            # default run above has checked every tier, so the --strict run is the decision tier.
            sreport = os.path.join(work, f"{args.protocol}-{args.variant}-strict.json")
            code, sdoc, scommand = run(args.relaycheck, args.protocol, profile, sreport, jobs, True, extra,
                                       only=decision_ids(args.relaycheck, args.protocol))
            sfailed = {r["id"] for r in failures(sdoc)}
            want = 1 if sfailed else 0
            unexpected = sfailed - strict_fails - may
            by_chance = unexpected - fail_again(args.relaycheck, args.protocol, profile,
                                                sreport.replace(".json", "-again.json"), jobs, True, extra, unexpected)
            if by_chance:
                print(f"note: --strict: failed once, passed when run again (left out): {', '.join(sorted(by_chance))}")
                sfailed -= by_chance
            problems += compare("--strict run", sfailed, strict_fails, may)
            if code != want:
                problems.append(f"--strict run: exit {code}, expected {want}")
            print(f"{args.protocol}/{args.variant} --strict (the decision tier): {len(sfailed)} failures")

        if problems:
            print(f"FAIL: {command}")
            for p in problems:
                print("  " + p)
            print("failures of the default run:\n" + explain(doc, {r["id"] for r in failed}))
            return 1
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
