#!/usr/bin/env python3
# gen.py: writes the damaged journals of this folder: NAME.records (record
# payloads, one a line, framed by tests/helpers/journal-frame) or NAME.raw
# (the journal's bytes as they are).  Each starts from one good journal of
# workflow w and changes one thing.  The expected messages (NAME.err) are
# written by hand, or checked by hand after `sh gen-err.sh`.
import json, zlib

ID = "20260101-000000-abcd"
T = "2026-01-01T00:00:00.000Z"

def start(**kw):
    r = {"t": "start", "v": 1, "id": ID, "workflow": "w", "at": T,
         "pid": 1, "input": {}, "secrets": []}
    r.update(kw)
    return r

def step(**kw):
    r = {"t": "step", "k": "a", "s": "completed", "a": 1, "at": T,
         "h": "00000000000000aa", "from": T, "ms": 5, "exit": 0,
         "input": {}, "result": {"x": 1}}
    r.update(kw)
    return r

def pid(**kw):
    r = {"t": "pid", "k": "a", "pid": 1, "ps": 1, "boot": "b"}
    r.update(kw)
    return r

def end(**kw):
    r = {"t": "end", "s": "completed", "at": T, "ms": 10}
    r.update(kw)
    return r

def drop(r, key):
    del r[key]
    return r

def j(r):
    return r if isinstance(r, str) else json.dumps(r, separators=(",", ":"))

running = {"t": "step", "k": "a", "s": "running", "a": 1, "at": T,
           "h": "00000000000000aa"}
cases = {
    "step-no-s": [start(), drop(step(), "s")],
    "step-s-null": [start(), step(s=None)],
    "step-s-number": [start(), step(s=3)],
    "step-s-unknown": [start(), step(s="done")],
    "step-no-k": [start(), drop(step(), "k")],
    "step-k-empty": [start(), step(k="")],
    "step-k-number": [start(), step(k=7)],
    "step-k-object": [start(), step(k={"a": 1})],
    "step-no-at": [start(), drop(step(), "at")],
    "step-at-garbage": [start(), step(at="yesterday")],
    "step-at-1600": [start(), step(at="1600-01-01T00:00:00.000Z")],
    "step-at-2300": [start(), step(at="2300-01-01T00:00:00.000Z")],
    "step-at-number": [start(), step(at=1700000000)],
    "step-at-trailing": [start(), step(at=T + "x")],
    "step-a-string": [start(), step(a="1")],
    "step-a-negative": [start(), step(a=-1)],
    "step-a-float": [start(), step(a=1.5)],
    "step-h-not-hex": [start(), step(h="xyz")],
    "step-h-too-long": [start(), step(h="0" * 17)],
    "step-h-number": [start(), step(h=12)],
    "step-tool-number": [start(), step(tool=5)],
    "step-from-bad": [start(), step(**{"from": "then"})],
    "step-ms-string": [start(), step(ms="5")],
    "step-exit-string": [start(), step(exit="0")],
    "step-error-number": [start(), step(error=1)],
    "step-running-no-s": [start(), drop(dict(running), "s")],
    "start-no-input": [drop(start(), "input")],
    "start-input-array": [start(input=[1])],
    "start-input-null": [start(input=None)],
    "start-input-string": [start(input="{}")],
    "start-no-workflow": [drop(start(), "workflow")],
    "start-workflow-empty": [start(workflow="")],
    "start-workflow-number": [start(workflow=1)],
    "start-no-at": [drop(start(), "at")],
    "start-at-garbage": [start(at="2026-13-45")],
    "start-at-year-99999": [start(at="99999-01-01T00:00:00.000Z")],
    "start-secrets-object": [start(secrets={})],
    "start-secrets-null-item": [start(secrets=[None])],
    "start-secrets-number-item": [start(secrets=[1])],
    "start-pid-negative": [start(pid=-5)],
    "start-pid-string": [start(pid="1")],
    "start-parent-number": [start(parent=1)],
    "start-parent-empty": [start(parent="")],
    "start-v-string": [start(v="1")],
    "start-id-number": [start(id=1)],
    "no-start": [step()],
    "no-start-end-first": [end(), start()],
    "two-starts": [start(), step(), start()],
    "empty-object": [start(), "{}"],
    "array-record": [start(), "[1,2]"],
    "string-record": [start(), '"step"'],
    "number-record": [start(), "42"],
    "null-record": [start(), "null"],
    "no-t": [start(), drop(step(), "t")],
    "t-number": [start(), step(t=1)],
    "t-null": [start(), step(t=None)],
    "end-s-null": [start(), step(), end(s=None)],
    "end-s-unknown": [start(), step(), end(s="done")],
    "end-s-step-status": [start(), step(), end(s="skipped")],
    "end-no-at": [start(), step(), drop(end(), "at")],
    "end-ms-string": [start(), step(), end(ms="10")],
    "end-error-object": [start(), step(), end(error={"m": 1})],
    "pid-no-pid": [start(), running, drop(pid(), "pid")],
    "pid-pid-string": [start(), running, pid(pid="1")],
    "pid-no-k": [start(), running, drop(pid(), "k")],
    "pid-ps-negative": [start(), running, pid(ps=-1)],
    "pid-boot-number": [start(), running, pid(boot=1)],
    "resume-at-bad": [start(), step(), {"t": "resume", "at": "now"}],
    "resume-pid-string": [start(), step(), {"t": "resume", "pid": "1"}],
    "json-trailing": [start(), j(step()) + "x"],
    "json-two-objects": [start(), j(step()) + j(step())],
    "json-missing-comma": [start(), '{"t":"step" "k":"a"}'],
    "json-unterminated": [start(), '{"t":"step","k":"a'],
    "json-single-quotes": [start(), "{'t':'step'}"],
    "json-comment": [start(), '{"t":"step"/* x */}'],
    "json-too-deep": [start(), j(step())[:-1] + ',"input":' +
                      "[" * 3000 + "]" * 3000 + "}"],
}
for name, recs in cases.items():
    with open(name + ".records", "w") as f:
        for r in recs:
            f.write(j(r) + "\n")

def frame(p):
    return b"%d %08x " % (len(p), crc32c(p)) + p + b"\n"

def crc32c(p):
    crc = 0xffffffff
    for b in p:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1))
    return crc ^ 0xffffffff

good = [frame(j(r).encode()) for r in (start(), step(), end())]
raws = {
    "raw-empty": b"",
    "raw-bad-crc": good[0] + good[1].split(b" ")[0] + b" 00000000 " +
                   good[1].split(b" ", 2)[2] + good[2],
    "raw-bad-length": good[0] + b"17" + good[1][3:] + good[2],
    "raw-garbage-line": good[0] + b"hello world\n" + good[2],
    "raw-bad-utf8": good[0] + frame(b'{"t":"step","k":"\xff\xfe"}') +
                    good[2],
    "raw-nul-inside": good[0] + frame(b'{"t":"st\x00ep"}') + good[2],
}
for name, data in raws.items():
    with open(name + ".raw", "wb") as f:
        f.write(data)
