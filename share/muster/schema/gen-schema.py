#!/usr/bin/env python3
# gen-schema.py SRCDIR OUTDIR: writes the JSON Schemas (draft 2020-12) of
# muster's three kinds from the field tables the loader uses
# (static const struct field NAME[] in src/def/*.c), so that the schemas
# name exactly the fields the loader takes, older spellings included.
# What each field holds is said here; which fields there are, the C
# tables say.  t0270-schema.sh checks the committed files are its output.
import json
import os
import re
import sys

SRC, OUT = sys.argv[1], sys.argv[2]
API = "muster.giantswarm.io/v1alpha1"
BASE = "https://muster.giantswarm.io/schema/"


def tables():
    """Every field table of src/def: name -> [(field, alias or None)]."""
    t = {}
    pat = re.compile(r"static const struct field\s+(\w+)\[[^\]]*\]\s*=\s*"
                     r"\{(.*?)\n?\};", re.S)
    pair = re.compile(r'\{\s*"([^"]+)",\s*(?:"([^"]+)"|NULL)\s*\}')
    for f in sorted(os.listdir(os.path.join(SRC, "src/def"))):
        if not f.endswith(".c"):
            continue
        text = open(os.path.join(SRC, "src/def", f)).read()
        for m in pat.finditer(text):
            t[f + ":" + m.group(1)] = pair.findall(m.group(2))
    return t


T = tables()


def fields(key):
    if key not in T:
        sys.exit("gen-schema.py: no field table %s" % key)
    return [(a, b or None) for a, b in T[key]]


STR = {"type": "string"}
TMPL = {"type": "string", "description": "may hold {{ template }} actions"}
DUR = {"anyOf": [{"type": "string", "pattern":
                  r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h|d))+$|^\{\{"},
                 {"type": "number", "minimum": 0}]}
BOOL = {"type": "boolean"}
INT = {"anyOf": [{"type": "integer", "minimum": 0}, TMPL]}
ANY = {}
ENV = {"type": "object", "additionalProperties":
       {"type": ["string", "number", "boolean"]}}
ARGV = {"type": "array", "items": {"type": ["string", "number", "boolean"]}}
SHELL = {"anyOf": [STR, {"type": "array", "items": STR}]}


def obj(key, types, required=()):
    """An object of exactly the fields of table key, with their aliases."""
    props = {}
    for name, alias in fields(key):
        s = types.get(name, ANY)
        props[name] = s
        if alias:
            props[alias] = dict(s, description="older spelling of " + name) \
                if isinstance(s, dict) and "$ref" not in s else s
    o = {"type": "object", "properties": props,
         "additionalProperties": False}
    if required:
        o["required"] = list(required)
    return o


validation = obj("schema.c:val_fields", {
    "pattern": STR, "min": {"type": "number"}, "max": {"type": "number"},
    "minLength": {"type": "integer", "minimum": 0},
    "maxLength": {"type": "integer", "minimum": 0}})
arg = obj("schema.c:arg_fields", {
    "type": {"enum": ["string", "integer", "number", "boolean", "object",
                      "array"]},
    "required": BOOL, "description": STR, "enum": {"type": "array"},
    "validation": validation, "secret": BOOL})
ARGS = {"type": "object", "additionalProperties": {"$ref": "#/$defs/arg"}}
expect = obj("load-workflow.c:expect_fields", {
    "success": BOOL, "jsonPath": {"type": "object"}})
condition = {"anyOf": [TMPL, obj("load-workflow.c:cond_fields", {
    "template": TMPL, "tool": STR, "args": {"type": ["object", "string"]},
    "fromStep": STR, "expect": {"$ref": "#/$defs/expect"},
    "expectNot": {"$ref": "#/$defs/expect"}})]}
retry = obj("load-workflow.c:retry_fields", {
    "attempts": {"type": "integer", "minimum": 1}, "delay": DUR,
    "backoff": {"enum": ["fixed", "linear", "exponential"]},
    "maxDelay": DUR})
parallelism = obj("load-workflow.c:parallelism_fields", {
    "maxParallel": INT})
foreach = obj("load-workflow.c:foreach_fields", {
    "items": {"anyOf": [TMPL, {"type": "array"}]}, "as": STR,
    "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    "maxParallel": INT, "parallelism": parallelism}, ["items", "steps"])
step = obj("load-workflow.c:step_fields", {
    "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,63}$"},
    "description": STR, "tool": STR,
    "args": {"type": ["object", "string"]}, "run": TMPL,
    "forEach": foreach,
    "parallel": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    "dependsOn": {"type": "array", "items": STR},
    "condition": condition, "retry": retry, "retry_policy": retry,
    "timeout": DUR, "allowFailure": BOOL,
    "on_failure": {"type": "object"}, "env": ENV, "workdir": TMPL,
    "output": BOOL, "shell": SHELL}, ["id"])
workflow_spec = obj("load-workflow.c:wf_fields", {
    "description": STR, "args": ARGS,
    "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    "onFailure": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    "recovery": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    "error_handling": {"type": "object"}, "output": ANY, "timeout": DUR,
    "maxParallel": INT, "parallelism": parallelism,
    "concurrency": {"enum": ["allow", "forbid", "wait"]},
    "shell": SHELL}, ["steps"])
tool_spec = obj("load-service.c:tool_fields", {
    "description": STR, "args": ARGS, "command": ARGV, "run": TMPL,
    "env": ENV, "workdir": TMPL, "timeout": DUR, "shell": SHELL})
lifecycle = obj("load-service.c:lifecycle_fields", {
    "tool": STR, "args": {"type": ["object", "string"]},
    "outputs": {"type": "object", "additionalProperties": STR},
    "expect": {"$ref": "#/$defs/expect"},
    "expectNot": {"$ref": "#/$defs/expect"}}, ["tool"])
LC = {"$ref": "#/$defs/lifecycle"}
class_spec = obj("load-service.c:class_fields", {
    "description": STR, "args": ARGS,
    "serviceConfig": obj("load-service.c:config_fields", {
        "defaultName": TMPL, "dependencies": {"type": "array", "items": STR},
        "daemon": obj("load-service.c:daemon_fields", {
            "command": ARGV, "env": ENV, "workdir": TMPL,
            "stopSignal": STR, "stopTimeout": DUR}, ["command"]),
        "lifecycleTools": obj("load-service.c:lt_fields", {
            "start": LC, "stop": LC, "restart": LC, "status": LC,
            "healthCheck": LC}),
        "healthCheck": obj("load-service.c:health_fields", {
            "enabled": BOOL,
            "httpGet": obj("load-service.c:http_fields", {
                "path": STR, "port": INT, "host": STR,
                "scheme": {"enum": ["http", "https"]}}),
            "tcpSocket": obj("load-service.c:tcp_fields", {
                "port": INT, "host": STR}),
            "exec": ARGV, "interval": DUR,
            "failureThreshold": {"type": "integer", "minimum": 1},
            "successThreshold": {"type": "integer", "minimum": 1}}),
        "timeout": obj("load-service.c:timeout_fields", {
            "create": DUR, "delete": DUR, "healthCheck": DUR}),
        "outputs": {"type": "object"}})})

metadata = obj("project.c:meta_fields", {
    "name": {"type": "string",
             "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$"},
    "namespace": STR, "labels": {"type": "object"},
    "annotations": {"type": "object"}})


def document(kind, spec, title):
    doc = obj("project.c:doc_fields", {
        "apiVersion": {"const": API}, "kind": {"const": kind},
        "metadata": {"$ref": "#/$defs/metadata"}, "spec": spec,
        "status": ANY}, ["apiVersion", "kind", "spec"])
    doc.update({"$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": BASE + kind.lower() + ".json", "title": title,
                "$defs": {"metadata": metadata, "arg": arg,
                          "expect": expect, "step": step,
                          "lifecycle": lifecycle}})
    # Keys in a fixed order: the file reads top-down.
    order = ["$schema", "$id", "title", "type", "properties", "required",
             "additionalProperties", "$defs"]
    return {k: doc[k] for k in order if k in doc}


os.makedirs(OUT, exist_ok=True)
for name, kind, spec, title in (
        ("workflow", "Workflow", workflow_spec, "muster Workflow"),
        ("tool", "Tool", tool_spec, "muster Tool"),
        ("serviceclass", "ServiceClass", class_spec,
         "muster ServiceClass")):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(document(kind, spec, title), f, indent=2,
                  ensure_ascii=False)
        f.write("\n")
