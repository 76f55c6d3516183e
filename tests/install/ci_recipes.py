#!/usr/bin/env python3
"""The CI recipes people copy (docs/ci.md, .github/workflows/, .clusterfuzzlite/, Dockerfile).

Docker, GitHub and GitLab cannot run here, so this checks what can be: every YAML block of
docs/ci.md and every workflow parses as YAML and names the right commands; the recipes'
`relaycheck run` line runs as written against a profile at its path that launches the reference
server, writing the JUnit and HTML it publishes; the Dockerfile's slim stage installs the
package of every shared library the binaries link.

usage: ci_recipes.py SOURCE_DIR BIN_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

src, bin_dir = sys.argv[1], os.path.abspath(sys.argv[2])
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


def read(rel):
    with open(os.path.join(src, rel), encoding="utf-8") as f:
        return f.read()


def steps_text(doc):
    """Every string in a parsed YAML document, joined: the commands it runs."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                out.append(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None:
            out.append(str(node))

    walk(doc)
    return "\n".join(out)


# docs/ci.md: each ```yaml block parses; the GitHub and GitLab recipes each build and install
# relaycheck, run it with a profile, publish JUnit and keep the HTML.
ci_md = read("docs/ci.md")
blocks = re.findall(r"```yaml\n(.*?)```", ci_md, re.S)
check(len(blocks) >= 3, f"docs/ci.md: expected the profile, GitHub and GitLab YAML blocks, found {len(blocks)}")
docs = []
for i, block in enumerate(blocks):
    try:
        docs.append(yaml.safe_load(block))
    except yaml.YAMLError as e:
        failures.append(f"docs/ci.md YAML block {i + 1} does not parse: {e}")
github = next((d for d in docs if isinstance(d, dict) and "jobs" in d), None)
gitlab = next((d for d in docs if isinstance(d, dict) and "conformance" in d), None)
profile = next((d for d in docs if isinstance(d, dict) and "launch" in d), None)
run_lines = []
for name, doc in (("GitHub Actions", github), ("GitLab CI", gitlab)):
    if not check(doc is not None, f"docs/ci.md has no {name} recipe"):
        continue
    text = steps_text(doc)
    for needle in ("scripts/install-deps", "cmake --install", "relaycheck run --profile ci/my-server.yaml",
                   "--report junit:out/junit.xml", "--report html:out/report.html"):
        check(needle in text, f"docs/ci.md {name} recipe does not run '{needle}'")
    lines = [" ".join(l.split()) for l in text.replace("\\\n", " ").splitlines() if l.strip().startswith("relaycheck run")]
    check(len(lines) == 1, f"docs/ci.md {name} recipe: expected one 'relaycheck run' line, got {lines}")
    run_lines += lines
if github:
    uses = steps_text(github)
    check("mikepenz/action-junit-report" in uses and "out/junit.xml" in uses, "GitHub recipe publishes no JUnit")
    check("actions/upload-artifact" in uses and "out/report.html" in uses, "GitHub recipe uploads no HTML report")
    check(github["jobs"]["relaycheck"].get("container") == "debian:12", "GitHub recipe does not run in debian:12")
if gitlab:
    job = gitlab["conformance"]
    check(job.get("artifacts", {}).get("reports", {}).get("junit") == "out/junit.xml", "GitLab recipe publishes no JUnit")
    check("out/report.html" in job.get("artifacts", {}).get("paths", []), "GitLab recipe keeps no HTML report")
    check(job.get("artifacts", {}).get("when") == "always", "GitLab recipe drops the reports of a failing run")
check(profile is not None and "{port}" in str(profile.get("launch", {}).get("command")),
      "docs/ci.md profile block launches nothing on {port}")

# The recipes' relaycheck line, as written, against the reference server at ci/my-server.yaml.
# Both recipes run the same line (checked): it runs once (~25 s at load 10).
check(len(set(run_lines)) <= 1, f"the recipes' relaycheck lines differ: {run_lines}")
for line in sorted(set(run_lines)):
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "ci"))
        os.makedirs(os.path.join(work, "out"))
        with open(os.path.join(work, "ci", "my-server.yaml"), "w", encoding="utf-8") as f:
            f.write('name: my-server\nlaunch:\n  command: ["{bin}/relaycheck-server", "--protocol", "{protocol}",'
                    ' "--listen", "127.0.0.1:{port}", "--log-level", "warn"]\nknown_failures: []\n')
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
        env.pop("RELAYCHECK_SCENARIOS", None)
        try:
            p = subprocess.run(shlex.split(line), cwd=work, env=env, capture_output=True, text=True, timeout=150)
        except subprocess.TimeoutExpired:
            failures.append(f"'{line}' took over 150 s")
            continue
        if check(p.returncode == 0, f"'{line}' exited {p.returncode}: {p.stderr[-2000:]}{p.stdout[-2000:]}"):
            cases = ET.parse(os.path.join(work, "out", "junit.xml")).getroot().iter("testcase")
            check(sum(1 for _ in cases) > 0, f"'{line}': out/junit.xml has no testcase")
            check(os.path.getsize(os.path.join(work, "out", "report.html")) > 0, f"'{line}': no out/report.html")

# The workflows ClusterFuzzLite runs, and its build image.
for wf, mode in (("cflite_pr.yml", "code-change"), ("cflite_batch.yml", "batch")):
    try:
        doc = yaml.safe_load(read(f".github/workflows/{wf}"))
    except (OSError, yaml.YAMLError) as e:
        failures.append(f".github/workflows/{wf}: {e}")
        continue
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    used = [s.get("uses", "") for s in steps]
    check(any(u.startswith("google/clusterfuzzlite/actions/build_fuzzers@") for u in used), f"{wf}: no build_fuzzers step")
    runs = [s for s in steps if s.get("uses", "").startswith("google/clusterfuzzlite/actions/run_fuzzers@")]
    check(len(runs) == 1 and runs[0]["with"].get("mode") == mode, f"{wf}: run_fuzzers is not mode {mode}")
    check(all(s["with"].get("language") == "c++" for s in steps if "build_fuzzers" in s.get("uses", "")),
          f"{wf}: build_fuzzers language is not c++")
    # PyYAML reads the bare key `on` as True.
    triggers = doc.get("on", doc.get(True))
    check(("pull_request" if mode == "code-change" else "schedule") in triggers, f"{wf}: wrong trigger {triggers}")
check(yaml.safe_load(read(".clusterfuzzlite/project.yaml")).get("language") == "c++", "project.yaml: language is not c++")
cfl = read(".clusterfuzzlite/Dockerfile")
check("boost_1_81_0" in cfl and "sha256sum -c" in cfl and "/usr/local/include/boost" in cfl,
      ".clusterfuzzlite/Dockerfile does not install the checksummed Boost 1.81 headers")
check("fuzz/build.sh" in read(".clusterfuzzlite/build.sh"), ".clusterfuzzlite/build.sh does not run fuzz/build.sh")

# The Dockerfile: the build stage has what install-deps sources; the slim stage installs the
# Debian package of every library the binaries link (the base image has libc, libgcc, libstdc++).
dockerfile = read("Dockerfile")
stages = re.split(r"^FROM ", dockerfile, flags=re.M)[1:]
check(len(stages) == 2 and stages[0].startswith("debian:12 AS build") and stages[1].startswith("debian:12-slim"),
      "Dockerfile is not a debian:12 build stage then a debian:12-slim stage")
for sourced in re.findall(r"^source (\S+)", read("scripts/install-deps"), re.M):
    check(sourced in dockerfile, f"Dockerfile's build stage does not copy {sourced} (scripts/install-deps sources it)")
slim = stages[-1] if stages else ""
in_base = {"libc6", "libgcc-s1", "libstdc++6"}
for binary in ("relaycheck", "relaycheck-server"):
    ldd = subprocess.run(["ldd", os.path.join(bin_dir, binary)], capture_output=True, text=True, check=True).stdout
    for lib in re.findall(r"=> (/\S+)", ldd):
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(lib)], capture_output=True, text=True)
        if owner.returncode != 0:
            owner = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip()
        if package and package not in in_base:
            check(re.search(rf"\b{re.escape(package)}\b", slim) is not None,
                  f"Dockerfile's slim stage does not install {package} ({binary} links {lib})")

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print(f"PASS: docs/ci.md ({len(blocks)} YAML blocks, {len(set(run_lines))} relaycheck line(s) run), 2 workflows, Dockerfile")
