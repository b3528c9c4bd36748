#!/usr/bin/env python
"""Mutation testing per area (issue 14): `make mutate [AREAS="scoping workflow"]`.

The areas, the files each mutates and the fastest tests that cover them are in pyproject.toml
([tool.jinhu-mutate.<area>]). Each area runs mutmut 3 in a copy of the working tree
(var/mutate/<area>/, refreshed from the tree each time: the tree others work in is never mutated),
with the area's own [tool.mutmut] written into the copy. mutmut 3 mutates function bodies, collects
once which tests reach which function, and runs only those tests for a mutant, in forked children
(two on two cores). Prints killed / total per area and every mutant not killed; `cd var/mutate/<area>
&& ../../../.venv/bin/mutmut show <name>` shows one.

A mutant whose function no selected test reaches ("no tests") counts as not killed.

An area may list `databases = ["sqlite", "postgresql"]`: it then runs once per database (the copy for
PostgreSQL is var/mutate/<area>-postgresql/, on a test database of its own at MUTATE_PG_URL, by
default the machine's 127.0.0.1:5432) and a mutant counts as killed when either run kills it: code
that only one database takes (COPY on PostgreSQL) is then judged by the tests of that database.

`make mutate AGAIN=1` keeps each area's mutants and verdicts, refreshes the copy's tests and re-tests
only the mutants not killed (mutmut collects which functions the new tests reach). It is for the loop
of writing a test against a survivor. `make mutate RESUME=1` keeps every verdict and tests only the
mutants not yet tested: a run stopped midway goes on. Either way mutmut tests again every mutant of a
function whose source changed since (it keeps a hash per function).
"""
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
WORK = ROOT / "var" / "mutate"
# Exit codes of a mutant's test run as mutmut 3 records them (mutmut/stats.py).
KILLED = {1, 3, 37}
SKIPPED = {34}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", 24: "timeout", -24: "timeout",
          152: "timeout", 255: "timeout", None: "not checked"}
# The apps copied (every file; only the area's files are mutated) and what they need beside them.
SOURCES = ["criteria", "jinhu_portal", "enterprises", "dashboards", "services", "jobs"]
ALSO_COPY = ["templates", "static", "fixtures", "tests", "manage.py", "docs"]
# One pytest per mutant in a forked child: leave out the plugins no area needs (Chromium: the
# browser-marked walks are not run,
# schemathesis, xdist; their options go with the emptied addopts); the database is made once per
# area (prepare_database).
PYTEST_ARGS = ["-p", "no:playwright", "-p", "no:base_url", "-p", "no:schemathesis", "-p", "no:xdist",
               "-p", "no:cacheprovider", "-o", "addopts=", "-m", "not browser"]


def areas():
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["jinhu-mutate"]


def copy_tree(dest):
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["rsync", "-a", "--delete", "--exclude=.venv", "--exclude=.git", "--exclude=var",
                    "--exclude=node_modules", "--exclude=mutants", "--exclude=__pycache__",
                    f"{ROOT}/", f"{dest}/"], check=True)
    (dest / "var").mkdir(exist_ok=True)


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def write_config(dest, spec):
    """The copy's pyproject.toml with this area's [tool.mutmut] (mutmut 3 reads it from the cwd)."""
    text = (dest / "pyproject.toml").read_text("utf-8")
    text += f"""
[tool.mutmut]
source_paths = {toml_list(SOURCES)}
only_mutate = {toml_list(spec["mutate"])}
also_copy = {toml_list(ALSO_COPY)}
pytest_add_cli_args = {toml_list(PYTEST_ARGS)}
pytest_add_cli_args_test_selection = {toml_list(spec["tests"])}
"""
    (dest / "pyproject.toml").write_text(text, "utf-8")


def forget_survivors(dest):
    """Clear the verdict of every mutant not killed, so that the next run tests it again."""
    for meta in (dest / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text("utf-8"))
        codes = data["exit_code_by_key"]
        for key, code in codes.items():
            if code not in KILLED and code not in SKIPPED:
                codes[key] = None
        meta.write_text(json.dumps(data, indent=4), "utf-8")


def run_area(name, spec, children, again=False, resume=False):
    """{mutant: exit code} of the area, the best verdict over its databases. After the first database,
    only the mutants it did not kill are run (a mutant counts as killed when any database kills it)."""
    verdicts = {}
    for database in spec.get("databases", ["sqlite"]):
        dest = WORK / (name if database == "sqlite" else f"{name}-{database}")
        copy_tree(dest)
        write_config(dest, spec)
        if (again or resume) and (dest / "mutants").exists():
            if again:
                forget_survivors(dest)
        else:
            subprocess.run(["rm", "-rf", str(dest / "mutants")], check=True)
        names = []
        if verdicts:
            names = sorted(k for k, code in verdicts.items() if code not in KILLED and code not in SKIPPED)
            if not names:
                continue
        env = dict(os.environ)
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
            env["JINHU_TEST_DB"] = str(dest / "var" / "mutate-test.sqlite3")
        else:
            env["DATABASE_URL"] = os.environ.get("MUTATE_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
            env["JINHU_TEST_DB"] = f"jinhu_mutate_{name}"
        prepare_database(dest, env, database)
        log = dest / "mutmut.log"
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run([str(PYTHON), "-m", "mutmut", "run", "--max-children", str(children), *names],
                                  cwd=dest, env=env, stdout=out, stderr=subprocess.STDOUT)
        if done.returncode:
            tail = log.read_text("utf-8", errors="replace")[-3000:]
            sys.exit(f"mutmut failed in {dest} (exit {done.returncode}); the end of {log}:\n{tail}")
        for key, code in verdicts_in(dest).items():
            if key not in verdicts or code in KILLED or (code in SKIPPED and verdicts[key] not in KILLED):
                verdicts[key] = code
    return tally(verdicts)


def prepare_database(dest, env, database):
    """A freshly migrated test database for the area, which every mutant's pytest then uses as it is
    (JINHU_MUTATE_DB_READY: tests/conftest.py skips pytest-django's set-up, which checks every
    migration again and cost more than most mutants' tests)."""
    env["JINHU_MUTATE_DB_READY"] = "1"
    name = env["JINHU_TEST_DB"]
    if database == "sqlite":
        Path(name).unlink(missing_ok=True)
    else:
        import psycopg2

        conn = psycopg2.connect(env["DATABASE_URL"])
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0",
                    "--settings=jinhu_portal.settings.test"], cwd=dest, env=env, check=True)


def verdicts_in(dest):
    found = {}
    for meta in sorted((dest / "mutants").rglob("*.meta")):
        found.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])
    return found


def tally(verdicts):
    counts, others = Counter(), []
    for key, code in sorted(verdicts.items()):
        if code in KILLED:
            counts["killed"] += 1
        elif code in SKIPPED:
            counts["skipped"] += 1
        else:
            counts["not killed"] += 1
            others.append((key, STATUS.get(code, "suspicious")))
    return counts, others


def main(argv):
    config = areas()
    children = int(os.environ.get("MUTATE_CHILDREN", "2"))
    chosen = argv or list(config)
    unknown = [a for a in chosen if a not in config]
    if unknown:
        sys.exit(f"unknown area(s): {', '.join(unknown)}; areas: {', '.join(config)}")
    again = os.environ.get("AGAIN", "") not in ("", "0")
    resume = os.environ.get("RESUME", "") not in ("", "0")
    results = {name: run_area(name, config[name], children, again, resume) for name in chosen}
    print(f"\nMutation scores ({date.today().isoformat()}, mutmut 3):")
    for name, (counts, others) in results.items():
        total = counts["killed"] + counts["not killed"]
        pct = 100 * counts["killed"] / total if total else 100.0
        print(f"  {name:<12} {counts['killed']:>4} / {total:<4} killed  {pct:5.1f} %")
        for key, status in others:
            print(f"      {status:<11} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
