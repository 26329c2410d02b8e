#!/usr/bin/env python3
# tmpl-cases.py: runs a table of template cases through `muster render` and
# prints one TAP line per case.
#
# A case: name, template, data, and either expect (the exact output),
# match (a regex the whole output must match) or error: true with phase
# "parse" or "exec".  Optional: missingkey ("default", the default here, or
# "error"), shell (true: --shell), env (extra environment), stderr (the
# exact error line), expect_regex (as match: Sprig's table names it so).
import json
import os
import re
import subprocess
import sys


def run(muster, case):
    args = [muster, "render", "--data", "-",
            "--missingkey=" + case.get("missingkey", "default")]
    if case.get("shell"):
        args.append("--shell")
    args += ["--", case["template"]]
    env = dict(os.environ)
    env.update(case.get("env", {}))
    valgrind = os.environ.get("VALGRIND")
    if valgrind:
        args = ["valgrind", "-q", "--error-exitcode=126", "--leak-check=full",
                "--errors-for-leak-kinds=definite"] + args
    p = subprocess.run(args, input=json.dumps(case["data"]).encode(),
                       capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def check(muster, case):
    rc, out, err = run(muster, case)
    if case.get("error"):
        if rc != 2:
            return "exit %d, wanted 2; stdout %r" % (rc, out)
        if not err.startswith("muster: template:"):
            return "stderr %r" % err
        phase = "exec" if re.match(r"muster: template:\d+:\d+: at <", err) \
            else "parse"
        if case.get("phase") and phase != case["phase"]:
            return "%s error, wanted %s: %s" % (phase, case["phase"],
                                                err.strip())
        if "stderr" in case and err != case["stderr"] + "\n":
            return "stderr %r, wanted %r" % (err, case["stderr"])
        return None
    if rc != 0:
        return "exit %d: %s" % (rc, err.strip())
    text = out.decode("utf-8", "surrogateescape")
    pattern = case.get("match", case.get("expect_regex"))
    if pattern is not None:
        if not re.fullmatch(pattern, text, re.S):
            return "output %r does not match %r" % (text, pattern)
        return None
    if text != case["expect"]:
        return "output %r, wanted %r" % (text, case["expect"])
    return None


def known_failures(path):
    """Cases expected to fail: one "NAME<TAB>REASON" a line."""
    known = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, _, why = line.rstrip("\n").partition("\t")
                known[name] = why
    return known


def main():
    muster, path, label = sys.argv[1], sys.argv[2], sys.argv[3]
    known = known_failures(sys.argv[4]) if len(sys.argv) > 4 else {}
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)
    failed = 0
    for i, case in enumerate(cases, 1):
        why = check(muster, case)
        name = "%s: %s" % (label, case["name"])
        if case["name"] in known:
            if why is None:
                failed += 1
                print("not ok %d - %s # listed as failing, but passes" %
                      (i, name))
            else:
                print("not ok %d - %s # TODO %s" % (i, name,
                                                    known[case["name"]]))
        elif why is None:
            print("ok %d - %s" % (i, name))
        else:
            failed += 1
            print("not ok %d - %s" % (i, name))
            print("# template %r" % case["template"])
            print("# " + why.replace("\n", "\n# "))
    print("1..%d" % len(cases))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
