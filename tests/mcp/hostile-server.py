#!/usr/bin/env python3
# hostile-server.py: an MCP server on stdio that misbehaves on purpose.
# Usage: hostile-server.py MODE.  It shakes hands properly (unless MODE is
# "garbage-init" or "silent-init"), lists one tool "t", and answers
# tools/call the way MODE says:
#   ok         {"content": [{"type": "text", "text": "fine"}]}
#   garbage    a line that is not JSON
#   wrong-id   a response whose id was never asked for
#   huge       a 50 MB response
#   silent     nothing, ever (notifications/cancelled is written to
#              $HOSTILE_LOG when given)
#   die        exits in the middle of the call
#   error      a JSON-RPC error response
#   is-error   a result with isError and text
#   old        (for initialize) protocol version 1999-01-01
#   paged      (for tools/list) two pages: t, then u
#   garbage-init, silent-init: the handshake itself misbehaves
import json
import os
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
log = os.environ.get("HOSTILE_LOG")


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def note(text):
    if log:
        with open(log, "a") as f:
            f.write(text + "\n")


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    msg = json.loads(line)
    method = msg.get("method")
    mid = msg.get("id")
    if method == "initialize":
        if mode == "garbage-init":
            sys.stdout.write("hello, I am not MCP\n")
            sys.stdout.flush()
            continue
        if mode == "silent-init":
            continue
        version = "1999-01-01" if mode == "old" else \
            msg["params"]["protocolVersion"]
        send({"jsonrpc": "2.0", "id": mid, "result": {
            "protocolVersion": version, "capabilities": {"tools": {}},
            "serverInfo": {"name": "hostile", "version": "0"}}})
    elif method == "notifications/cancelled":
        note("cancelled %s" % msg["params"]["requestId"])
    elif method == "tools/list" and mode == "paged":
        cursor = msg.get("params", {}).get("cursor")
        if cursor is None:
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": [{
                "name": "t", "inputSchema": {"type": "object"}}],
                "nextCursor": "page-2"}})
        else:
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": [{
                "name": "u", "inputSchema": {"type": "object"}}]}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": mid, "result": {"tools": [{
            "name": "t", "inputSchema": {"type": "object",
                "properties": {"x": {"type": "string"}},
                "additionalProperties": False}}]}})
    elif method == "tools/call":
        note("call %s" % mid)
        if mode == "ok":
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": [
                {"type": "text", "text": "fine"}]}})
        elif mode == "garbage":
            sys.stdout.write("\x00\x01 this is {not json\n")
            sys.stdout.flush()
        elif mode == "wrong-id":
            send({"jsonrpc": "2.0", "id": mid + 1000, "result": {
                "content": []}})
        elif mode == "huge":
            big = "x" * (50 * 1024 * 1024)
            sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": mid,
                "result": {"content": [{"type": "text", "text": big}]}})
                + "\n")
            sys.stdout.flush()
        elif mode == "die":
            sys.stderr.write("hostile: dying now\n")
            sys.stderr.flush()
            os._exit(7)
        elif mode == "error":
            send({"jsonrpc": "2.0", "id": mid, "error": {
                "code": -32000, "message": "no such thing"}})
        elif mode == "is-error":
            send({"jsonrpc": "2.0", "id": mid, "result": {"isError": True,
                "content": [{"type": "text", "text": "disk on fire"}]}})
        # silent: nothing
    elif mid is not None:
        send({"jsonrpc": "2.0", "id": mid, "error": {
            "code": -32601, "message": "method not found"}})
