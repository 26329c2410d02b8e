#!/usr/bin/env python3
"""crash.py: kill muster at random instants and check that resume keeps its promises.

  crash.py --muster PATH [--rounds N] [--seed S] [--steps 50] [--jobs 2]
           [--workdir DIR] [--tap] [--slurm]

Each round writes a project with one workflow of --steps steps (a random
DAG; every step appends "<id> <attempt>" to a ledger, sleeps a little and
prints a result computed from its dependencies' results), starts
`muster run` at -j --jobs, SIGKILLs it at a random instant, then resumes
it, killing the resume again now and then, until a resume finishes.
Every fourth round records with `fsync: true`.

After every kill, once every process of the execution is gone, the
harness reads the record (muster status --json) and the ledger.  At the
end it checks:
  1. the execution completed and every step completed;
  2. no step recorded completed at a kill ran again after it;
  3. a step ran more than once only if it was recorded running at a kill,
     once per extra run;
  4. the final results equal an uninterrupted run's (computed here).

With --slurm (a cluster reachable through SLURM_CONF, e.g. from
tests/slurm/crash.sh) the steps are Slurm jobs (`executor: slurm`,
--steps 8 and --jobs 4 unless given), muster does not wait for them
after a kill, and the promise is stronger: every step runs exactly once,
and (when SLURM_LOCAL_DIR names the cluster, whose jobcomp.log lists
every job that ended) no job name was ever submitted twice.

Prints one summary line per round (TAP with --tap), then totals:
rounds, kills, re-runs (runs beyond the first), violations.  Exits 1 when
any round failed.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

H = "apiVersion: muster.giantswarm.io/v1alpha1\n"


def make_dag(rng, n):
    deps = [[]]
    for i in range(1, n):
        k = rng.randint(0, min(i, 3))
        deps.append(sorted(rng.sample(range(i), k)))
    return deps


def expected(deps):
    v = []
    for i, d in enumerate(deps):
        v.append((i * 7 + 3 + sum(v[j] for j in d)) % 1000)
    return v


def write_project(d, deps, rng, slurm=False):
    os.makedirs(os.path.join(d, ".muster", "workflows"))
    lines = [H, "kind: Workflow\nmetadata: {name: crash}\nspec:\n",
             "  executor: slurm\n" if slurm else "", "  steps:\n"]
    for i, dd in enumerate(deps):
        total = "(add %d %s)" % (i * 7 + 3, " ".join(".results.s%d.v" % j for j in dd)) \
            if dd else "%d" % (i * 7 + 3)
        ms = rng.randint(5, 60)
        script = ('echo "s%d $MUSTER_ATTEMPT" >>ledger; sleep 0.%03d; '
                  'echo "{\\"v\\": {{ mod %s 1000 }}}"' % (i, ms, total))
        lines.append("    - id: s%d\n      run: '%s'\n" % (i, script))
        if dd:
            lines.append("      dependsOn: [%s]\n" % ", ".join("s%d" % j for j in dd))
    with open(os.path.join(d, ".muster", "workflows", "crash.yaml"), "w") as f:
        f.write("".join(lines))


def survivors(exec_id):
    want = ("MUSTER_EXECUTION_ID=%s" % exec_id).encode()
    pids = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % p, "rb") as f:
                if want in f.read().split(b"\0"):
                    pids.append(int(p))
        except OSError:
            pass
    return pids


def wait_survivors(exec_id, timeout=30):
    end = time.time() + timeout
    while survivors(exec_id):
        if time.time() > end:
            raise RuntimeError("processes of %s still alive" % exec_id)
        time.sleep(0.02)


def ledger(d):
    try:
        with open(os.path.join(d, "ledger")) as f:
            return [l.split()[0] for l in f if l.strip()]
    except FileNotFoundError:
        return []


def status(muster, d, exec_id):
    out = subprocess.run([muster, "-C", d, "status", exec_id, "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("status failed: %s" % out.stderr.strip())
    return json.loads(out.stdout)


def start(argv, d):
    return subprocess.Popen(argv, cwd=d, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def one_round(a, r, rng):
    d = os.path.join(a.workdir, "round-%d" % r)
    shutil.rmtree(d, ignore_errors=True)
    deps = make_dag(rng, a.steps)
    write_project(d, deps, rng, a.slurm)
    if r % 4 == 3:
        # Every fourth round records with fsync: true (the --fsync level).
        with open(os.path.join(d, ".muster", "config.yaml"), "w") as f:
            f.write("fsync: true\n")
    want = expected(deps)
    proc = start([a.muster, "run", "crash", "-j", str(a.jobs)], d)
    exec_id = None
    t0 = time.time()
    while exec_id is None and time.time() - t0 < 10:
        line = proc.stderr.readline()
        if line.startswith("muster: execution "):
            exec_id = line.split()[2]
    if exec_id is None:
        raise RuntimeError("no execution id")
    kills, violations, notes = 0, [], []
    completed_at_kill = []   # (set of completed, ledger length after the kill)
    running_at_kill = {}     # step -> times recorded running at a kill
    while True:
        if kills < a.max_kills and (kills == 0 or rng.random() < 0.5):
            time.sleep(rng.uniform(0.0, a.steps * (0.5 if a.slurm else 0.02)))
        else:
            proc.wait(timeout=120)
            break
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        if not a.slurm:  # Slurm jobs outlive muster: that is the point
            wait_survivors(exec_id)
        doc = status(a.muster, d, exec_id)
        done = {s["step_id"] for s in doc["steps"] if s["status"] == "completed"}
        for s in doc["steps"]:
            if s["status"] == "running":
                running_at_kill[s["step_id"]] = running_at_kill.get(s["step_id"], 0) + 1
        completed_at_kill.append((done, len(ledger(d))))
        proc = start([a.muster, "resume", exec_id, "-j", str(a.jobs)], d)
    if proc.returncode != 0:
        violations.append("last resume exited %d: %s" % (proc.returncode,
                                                         proc.stderr.read().strip()[-300:]))
    doc = status(a.muster, d, exec_id)
    runs = ledger(d)
    if doc["status"] != "completed":
        violations.append("execution ended %s" % doc["status"])
    steps = {s["step_id"]: s for s in doc["steps"]}
    for i in range(a.steps):
        s = steps.get("s%d" % i)
        if s is None or s["status"] != "completed":
            violations.append("s%d is %s" % (i, s and s["status"]))
        elif s["result"] != {"v": want[i]}:
            violations.append("s%d result %s, want %d" % (i, s["result"], want[i]))
    for done, at in completed_at_kill:
        again = sorted(set(runs[at:]) & done)
        if again:
            violations.append("ran again after being recorded completed: %s" % again)
    count = {}
    for s in runs:
        count[s] = count.get(s, 0) + 1
    reruns = 0
    for s, c in count.items():
        reruns += c - 1
        if c - 1 > running_at_kill.get(s, 0):
            violations.append("%s ran %d times, recorded running at %d kills"
                              % (s, c, running_at_kill.get(s, 0)))
    if a.slurm:
        twice = sorted(s for s, c in count.items() if c > 1)
        if twice:
            violations.append("Slurm steps that ran twice: %s" % twice)
        names = jobcomp_names(exec_id)
        if names is not None:
            dup = sorted(n for n in set(names) if names.count(n) > 1)
            if dup or len(names) < a.steps:
                violations.append("Slurm ran %d jobs for %d steps; twice: %s"
                                  % (len(names), a.steps, dup))
    missing = [i for i in range(a.steps) if "s%d" % i not in count]
    if missing:
        violations.append("never ran: %s" % missing)
    if not violations:
        shutil.rmtree(d, ignore_errors=True)
    return kills, reruns, violations, notes


def jobcomp_names(exec_id, wait=15):
    """Names of the jobs of exec_id the test cluster ran, or None."""
    d = os.environ.get("SLURM_LOCAL_DIR")
    if not d:
        return None
    path = os.path.join(d, "log", "jobcomp.log")
    prefix = "Name=muster.%s." % exec_id
    end = time.time() + wait
    while True:
        try:
            with open(path) as f:
                names = [w for l in f for w in l.split() if w.startswith(prefix)]
        except FileNotFoundError:
            names = []
        # A job is written there once Slurm is done with it.
        if time.time() > end or not subprocess.run(
                ["squeue", "--noheader", "--format=%j"], capture_output=True,
                text=True).stdout.count("muster.%s." % exec_id):
            return names
        time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muster", required=True)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--steps", type=int)
    ap.add_argument("--jobs", type=int)
    ap.add_argument("--slurm", action="store_true")
    ap.add_argument("--max-kills", type=int, default=5)
    ap.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                      "muster-crash"))
    ap.add_argument("--tap", action="store_true")
    a = ap.parse_args()
    if a.steps is None:
        a.steps = 8 if a.slurm else 50
    if a.jobs is None:
        a.jobs = 4 if a.slurm else 2
    a.muster = os.path.abspath(a.muster)
    rng = random.Random(a.seed)
    os.makedirs(a.workdir, exist_ok=True)
    tk = tr = tv = failed = 0
    for r in range(1, a.rounds + 1):
        try:
            kills, reruns, violations, _ = one_round(a, r, rng)
        except Exception as e:  # a harness or muster breakdown is a failure too
            kills, reruns, violations = 0, 0, ["round broke: %s" % e]
        tk += kills
        tr += reruns
        tv += len(violations)
        ok = not violations
        failed += not ok
        if a.tap:
            print("%s %d - crash round %d: %d kills, %d re-runs" % (
                "ok" if ok else "not ok", r, r, kills, reruns))
            for v in violations:
                print("# %s" % v)
        elif not ok or r % 50 == 0:
            print("round %d: %d kills, %d re-runs, %s" % (r, kills, reruns,
                                                        "; ".join(violations) or "ok"))
        sys.stdout.flush()
    print("%s seed %d: %d rounds, %d kills, %d re-runs, %d violations" % (
        "#" if a.tap else "crash:", a.seed, a.rounds, tk, tr, tv))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
