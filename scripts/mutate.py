#!/usr/bin/env python
"""Mutation testing per area (issue 14): `make mutate [AREAS="scoping workflow"]`.

The areas and their test subsets are in pyproject.toml ([tool.mutmut.areas.*]). Each area runs
mutmut 2 in a copy of the working tree (var/mutate/<area>/, refreshed from the tree each time), so the
tree others work in is never mutated. Prints killed / total and the surviving mutants per area;
`cd var/mutate/<area> && ../../../.venv/bin/mutmut show <id>` shows one.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "mutate"
KILLED = ("ok_killed", "bad_timeout", "ok_suspicious")


def areas():
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]["areas"]


def copy_tree(dest):
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["rsync", "-a", "--delete", "--exclude=.venv", "--exclude=.git", "--exclude=var",
                    "--exclude=node_modules", "--exclude=.mutmut-cache", "--exclude=__pycache__",
                    f"{ROOT}/", f"{dest}/"], check=True)
    (dest / "var").mkdir(exist_ok=True)


def run_area(name, spec):
    dest = WORK / name
    copy_tree(dest)
    (dest / ".mutmut-cache").unlink(missing_ok=True)
    # One pytest process per mutant: leave out the plugins no area needs (Chromium, schemathesis, xdist;
    # their options go with the emptied addopts) and reuse one migrated test database.
    runner = (f"{VENV_BIN / 'python'} -m pytest -x -q -p no:cacheprovider -p no:playwright -p no:base_url "
              f"-p no:schemathesis -p no:xdist -o addopts= --reuse-db {' '.join(spec['tests'])}")
    os.environ["JINHU_TEST_DB"] = str(dest / "var" / "mutate-test.sqlite3")
    cmd = [str(VENV_BIN / "mutmut"), "run", "--paths-to-mutate", ",".join(spec["paths"]), "--runner", runner,
           "--tests-dir", "tests/", "--simple-output", "--no-progress"]
    subprocess.run(cmd, cwd=dest)          # exits non-zero when mutants survive
    return tally(dest)


def tally(dest):
    db = sqlite3.connect(dest / ".mutmut-cache")
    rows = db.execute("select m.id, m.status, l.line_number, l.line, f.filename from Mutant m "
                      "join Line l on m.line = l.id join SourceFile f on l.sourcefile = f.id").fetchall()
    killed = sum(1 for r in rows if r[1] in KILLED)
    survivors = [r for r in rows if r[1] not in KILLED and r[1] != "untested"]
    untested = sum(1 for r in rows if r[1] == "untested")
    return killed, len(rows) - untested, survivors


def main(argv):
    config = areas()
    chosen = argv or list(config)
    unknown = [a for a in chosen if a not in config]
    if unknown:
        sys.exit(f"unknown area(s): {', '.join(unknown)}; areas: {', '.join(config)}")
    results = {}
    for name in chosen:
        results[name] = run_area(name, config[name])
    print(f"\nMutation scores ({date.today().isoformat()}):")
    for name, (killed, total, survivors) in results.items():
        pct = 100 * killed / total if total else 100.0
        print(f"  {name:<12} {killed:>4} / {total:<4} killed  {pct:5.1f} %")
        for mid, status, line_no, line, filename in survivors:
            print(f"      #{mid} {status} {filename}:{line_no + 1}: {line.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
