#!/usr/bin/python3
# schema-check.py SCHEMADIR good|bad FILE...: validates every Workflow, Tool
# and ServiceClass document of each FILE (but those of the container-kit
# stage format, apiVersion orchestration/v1) against share/muster/schema
# with a real validator (python3-jsonschema, draft 2020-12).  "good": every
# document must validate; "bad": every FILE must hold one that does not.
# Prints one line per problem; exits 1 if any.
import json
import os
import sys

import jsonschema
import yaml

schemas = {}
for kind, name in (("Workflow", "workflow"), ("Tool", "tool"),
                   ("ServiceClass", "serviceclass")):
    with open(os.path.join(sys.argv[1], name + ".json")) as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    schemas[kind] = jsonschema.Draft202012Validator(s)

want, bad = sys.argv[2], 0
checked = 0
for path in sys.argv[3:]:
    try:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except yaml.YAMLError as e:
        docs = None
    errs = []
    for d in docs or []:
        kind = d.get("kind") if isinstance(d, dict) else None
        if kind not in schemas:
            continue
        # The container-kit stage format (orchestration/v1) is another
        # language that muster also reads; the schemas are muster's own.
        if want == "good" and d.get("apiVersion", "").startswith(
                "orchestration/"):
            continue
        checked += 1
        errs += [e for e in schemas[kind].iter_errors(d)]
    if want == "good" and errs:
        bad += 1
        for e in errs:
            print("%s: %s at %s" % (path, e.message,
                  "/".join(str(p) for p in e.absolute_path)))
    if want == "bad" and not errs and docs is not None:
        bad += 1
        print("%s: valid, but muster rejects it" % path)
print("%d documents checked, %d files wrong" % (checked, bad),
      file=sys.stderr)
sys.exit(1 if bad else 0)
