#!/usr/bin/env python3
"""smoke.py URL: fetch the preview's front page and check its title."""
import json
import re
import sys
import urllib.request

url = sys.argv[1]
with urllib.request.urlopen(url, timeout=5) as r:
    body = r.read().decode()
    status = r.status
m = re.search(r"<title>(.*?)</title>", body)
if status != 200 or not m:
    sys.exit(f"smoke: {url} answered {status} without a title")
print(f"smoke: {url} answered {status}: {m.group(1)}", file=sys.stderr)
print(json.dumps({"status": status, "title": m.group(1)}))
