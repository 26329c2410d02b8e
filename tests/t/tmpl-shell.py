#!/usr/bin/env python3
# tmpl-shell.py: hostile values through `muster render --shell`, then through
# dash and bash: each value must reach argv-dump as exactly its own bytes,
# and nothing else may run.  Prints TAP lines.
import os
import random
import shutil
import subprocess
import sys
import tempfile

MUSTER, HELPER = sys.argv[1], os.path.abspath(sys.argv[2])
SHELLS = []
for _sh in ("/bin/sh", "/bin/dash", "/bin/bash"):
    if os.path.exists(_sh) and os.path.realpath(_sh) not in \
            map(os.path.realpath, SHELLS):
        SHELLS.append(_sh)

# Every context a value can stand in, as arguments of one argv-dump call
# per group of values: one rendering and one shell run check them all.
SCRIPT_A = """T='%s'
{{range .vs}}"$T"{{range .}} \\
{{.}} "{{.}}" '{{.}}' pre{{.}}post "pre {{.}} post" 'a'"b"{{.}} \\
"$(printf '%%s' {{.}})" "$(printf '%%s' "{{.}}")" \\
{{if $.q}}"{{.}}"{{else}}{{.}}{{end}} {{if not $.q}}"{{.}}"{{else}}{{.}}{{end}}{{end}}
{{end}}""" % HELPER
PER_VALUE = 10
GROUP = 16


# Contexts that refuse some values: comments and here-documents (read
# through the read builtin: no process per value).
SCRIPT_B = """{{range .vs}}# {{.}}
echo ok
IFS= read -r L <<EOF
{{.}}
EOF
printf '%s\\n' "$L" >>hd.out
IFS= read -r L <<'EOF'
{{.}}
EOF
printf '%s\\n' "$L" >>hq.out
IFS= read -r L <<-EOF
	{{.}}
	EOF
printf '%s\\n' "$L" >>hdash.out
{{end}}"""


def expect_a(v):
    return [v, v, v, b"pre" + v + b"post", b"pre " + v + b" post",
            b"ab" + v, v.rstrip(b"\n"), v.rstrip(b"\n"), v, v]


def json_str(v):
    out = bytearray(b'"')
    for c in v:
        if c < 0x20 or c in (0x22, 0x5C):
            out += b"\\u%04x" % c
        else:
            out.append(c)
    return bytes(out + b'"')


def json_list(vals):
    return b"[" + b",".join(json_list(v) if isinstance(v, list) else
                            json_str(v) for v in vals) + b"]"


def render(tmpl, vals, tmp):
    """Renders tmpl with {"q": true, "vs": vals}, keeping raw bytes."""
    path = os.path.join(tmp, "data.json")
    with open(path, "wb") as f:
        f.write(b'{"q":true,"vs":' + json_list(vals) + b"}")
    p = subprocess.run([MUSTER, "render", "--shell", "--data", path, "--",
                        tmpl], capture_output=True)
    return p.returncode, p.stdout, p.stderr


def parse_dump(out):
    """The argv-dump calls in out, or None if anything else was printed."""
    calls, lines, i = [], out.split(b"\n"), 0
    while i < len(lines) and lines[i]:
        head = lines[i].split(b" ")
        if len(head) != 2 or head[0] != b"argv":
            return None
        args = []
        for k in range(int(head[1])):
            line = lines[i + 1 + k]
            if not line.startswith(b"arg:"):
                return None
            args.append(bytes.fromhex(line[4:].decode()))
        calls.append(args)
        i += 1 + len(args)
    if any(lines[i:]):
        return None
    return calls


def run_shell(sh, script, tmp, locale="C"):
    for f in ("hd.out", "hq.out", "hdash.out", "PWNED"):
        if os.path.exists(os.path.join(tmp, f)):
            os.unlink(os.path.join(tmp, f))
    args = [sh, "-c", script]
    if len(script) > 100000:
        # too long for one argument: the same text from a file
        with open(os.path.join(tmp, "script.sh"), "wb") as f:
            f.write(script)
        args = [sh, os.path.join(tmp, "script.sh")]
    p = subprocess.run(args, capture_output=True, cwd=tmp, timeout=900,
                       env=dict(os.environ, HOME=tmp, LC_ALL=locale))
    return p.returncode, p.stdout, p.stderr


def pwned(tmp):
    return os.path.exists(os.path.join(tmp, "PWNED"))


def check_a(vals, tmp, out):
    """Every value in every context, in each shell: one line per value."""
    groups = [vals[i:i + GROUP] for i in range(0, len(vals), GROUP)]
    rc, script, err = render(SCRIPT_A, groups, tmp)
    if rc != 0:
        out.append(("contexts: render", "render failed: %r" % err))
        return
    runs = [(sh, "C") for sh in SHELLS] + [("/bin/bash", "C.UTF-8")]
    for sh, loc in runs:
        rc, stdout, err = run_shell(sh, script, tmp, loc)
        calls = parse_dump(stdout)
        bad = pwned(tmp) or rc != 0 or calls is None or \
            len(calls) != len(groups)
        args = [a for call in calls for a in call] if not bad else None
        for i, v in enumerate(vals):
            label = "contexts %s (%s) %r" % (sh, loc, v[:40])
            got = args[i * PER_VALUE:(i + 1) * PER_VALUE] if args else None
            if bad or got != expect_a(v):
                out.append((label, "exit %d, pwned %s, args %r, stderr %r"
                            % (rc, pwned(tmp), got, err[:300])))
            else:
                out.append((label, ""))


def check_b(vals, tmp, out):
    """Comments and here-documents (plain, quoted, <<-) for every value."""
    rc, script, err = render(SCRIPT_B, vals, tmp)
    if rc != 0:
        out.append(("comment/heredoc: render", "render failed: %r" % err))
        return
    want = [b"".join(v + b"\n" for v in vals),
            b"".join(v + b"\n" for v in vals),
            b"".join(v.lstrip(b"\t") + b"\n" for v in vals)]
    for sh in SHELLS:
        rc, stdout, err = run_shell(sh, script, tmp)
        got = []
        for f in ("hd.out", "hq.out", "hdash.out"):
            path = os.path.join(tmp, f)
            got.append(open(path, "rb").read() if os.path.exists(path)
                       else None)
        ok = rc == 0 and not pwned(tmp) and \
            stdout == b"ok\n" * len(vals) and got == want
        out.append(("comment/heredoc %s, %d values" % (sh, len(vals)),
                    "" if ok else "exit %d, files equal: %r, stderr %r" %
                    (rc, [g == w for g, w in zip(got, want)], err[:300])))


def check_refused(vals, tmpl, group, tmp, out):
    """Values that must not be rendered at all (exit 2)."""
    for v in vals:
        rc, _, err = render(tmpl, [v], tmp)
        out.append(("%s refuses %r" % (group, v[:40]), "" if rc == 2 else
                    "exit %d, stderr %r" % (rc, err)))


def values():
    vals = [b"; touch PWNED", b"$(touch PWNED)", b"`touch PWNED`",
            b"|| touch PWNED", b"\ntouch PWNED", b"'", b'"', b"${IFS}",
            b"*", b"~", b"-rf", b"--upload-pack=touch PWNED",
            b"-oProxyCommand=touch PWNED", b'zzz";echo${IFS}"hello";#',
            "\u202etxt.exe\u200b".encode(), b"", b" ", b"\\", b"\\'",
            b"'\\''", b"$", b"$$", b"!", b"a\tb", b"# x", b"EOF",
            b"\tEOF", b"x\rEOF", b"$HOME", b"%s%n", b"\x00", b"a\x00b",
            b"a" * 65536, b"\xff\xfe", bytes(range(1, 256)),
            b"'; touch PWNED; '", b'"; touch PWNED; "',
            b"\\$(touch PWNED)", b"&& touch PWNED &", b"> PWNED",
            b"<(touch PWNED)", b"x\nEOF\ntouch PWNED", b"\n"]
    vals += [bytes([b]) for b in range(1, 256)]
    rnd = random.Random(20261123)
    alphabet = b"'\"\\$`;|&()<>{}#*?~! \t\n-=xX\x01\xff"
    for _ in range(200):
        vals.append(bytes(rnd.choice(alphabet)
                          for _ in range(rnd.randint(1, 24))))
    return vals


def main():
    tmp = tempfile.mkdtemp(prefix="tmpl-shell-")
    try:
        return check_all(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_all(tmp):
    vals, out = values(), []
    nul = [v for v in vals if b"\0" in v]
    refused_b = nul + [v for v in vals if b"\0" not in v and
                       (b"\n" in v or v.lstrip(b"\t") == b"EOF")]
    big = [v for v in vals if len(v) > 4096]
    check_a([v for v in vals if v not in nul and v not in big], tmp, out)
    check_a(big, tmp, out)
    check_refused(nul, SCRIPT_A, "contexts", tmp, out)
    check_b([v for v in vals if v not in refused_b], tmp, out)
    check_refused(refused_b, SCRIPT_B, "comment/heredoc", tmp, out)
    failed = 0
    for n, (label, why) in enumerate(out, 1):
        if why == "":
            print("ok %d - shell %s" % (n, label))
        else:
            failed += 1
            print("not ok %d - shell %s" % (n, label))
            print("# " + why[:3000].replace("\n", "\n# "))
    print("1..%d" % len(out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
