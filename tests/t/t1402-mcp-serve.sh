#!/bin/sh
# t1402-mcp-serve.sh: `muster mcp serve` as the official TypeScript SDK's
# Client (StdioClientTransport) sees it: initialize, tools/list, a
# workflow called, a failing one as isError, progress, list_changed.  The
# protocol basics without node are checked by hand as well.
. "$(dirname "$0")/lib.sh"

SDK=$TOP/tests/mcp/node_modules/@modelcontextprotocol/sdk/package.json
CLIENT=$TOP/tests/mcp/serve-client.mjs

test_project &&
cat >.muster/workflows/greet.yaml <<'EOF' &&
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: greet}
spec:
  description: Greets someone
  args:
    who: {type: string, default: world, description: whom to greet}
    times: {type: integer, default: 1, validation: {min: 1, max: 5}}
    mood: {type: string, enum: [happy, sad], default: happy}
    code: {type: string, required: true, validation: {pattern: "^[a-z]+$"}}
    token: {type: string, secret: true, default: ""}
  steps:
    - id: hello
      run: |
        echo '{"greeting": "hello {{ .input.who }}", "times": {{ .input.times }}}'
    - id: again
      run: echo again
  output:
    greeting: "{{ .results.hello.greeting }}"
    times: "{{ .results.hello.times }}"
EOF
cat >.muster/workflows/paced.yaml <<'EOF' &&
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: paced}
spec:
  steps:
    - {id: a, run: sleep 0.5}
    - {id: b, run: sleep 0.5}
EOF
cat >.muster/workflows/broken.yaml <<'EOF'
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: broken}
spec:
  steps:
    - id: boom
      run: echo "it broke" >&2; exit 3
EOF

# rpc LINES...: what `muster mcp serve` answers to these messages.
rpc() {
	printf '%s\n' "$@" | muster mcp serve 2>serve.err
}
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"sh","version":"1"}}}'

test_expect_success 'initialize negotiates the version; stdout holds only JSON-RPC' '
	rpc "$INIT" >out &&
	test_line_count = 1 out &&
	grep "\"protocolVersion\":\"2025-06-18\"" out &&
	grep "\"listChanged\":true" out &&
	rpc "$(echo "$INIT" | sed s/2025-06-18/2030-01-01/)" >out &&
	grep "\"protocolVersion\":\"2025-11-25\"" out &&
	grep "mcp serve: 3 workflows" serve.err
'

test_expect_success 'ping, unknown methods, garbage and unknown tools' '
	rpc "$INIT" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}" \
		"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}" \
		"this is not json" \
		"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"workflow_nope\"}}" \
		>out &&
	grep "\"id\":2,\"result\":{}" out &&
	grep "\"id\":3,\"error\":{\"code\":-32601" out &&
	grep "\"id\":null,\"error\":{\"code\":-32700" out &&
	grep "\"id\":4,\"error\":{\"code\":-32602,\"message\":\"unknown tool .workflow_nope.\"" out
'

test_expect_success 'tools/list: input schemas from the workflow arguments' '
	rpc "$INIT" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}" \
		>out &&
	python3 - <<-\EOF
	import json
	msgs = [json.loads(l) for l in open("out")]
	tools = {t["name"]: t for t in msgs[1]["result"]["tools"]}
	g = tools["workflow_greet"]
	assert g["description"] == "Greets someone", g
	s = g["inputSchema"]
	assert s["required"] == ["code"], s
	p = s["properties"]
	assert p["who"] == {"type": "string", "description": "whom to greet",
	    "default": "world"}, p["who"]
	assert p["times"]["minimum"] == 1 and p["times"]["maximum"] == 5
	assert p["mood"]["enum"] == ["happy", "sad"]
	assert p["code"]["pattern"] == "^[a-z]+$"
	assert p["token"]["writeOnly"] is True and "default" not in p["token"]
	assert s["additionalProperties"] is False
	for n in ["workflow_broken", "core_workflow_list",
	    "core_workflow_execution_get", "core_service_list",
	    "core_service_create"]:
	    assert n in tools, n
	EOF
'

test_expect_success 'a core built-in answers with structured content' '
	rpc "$INIT" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"core_workflow_list\",\"arguments\":{}}}" >out &&
	grep "\"id\":2,\"result\":{\"content\":\\[{\"type\":\"text\"" out &&
	grep "\"structuredContent\":{\"workflows\":\\[{\"name\":\"broken\"" out
'

test_expect_success 'notifications/cancelled stops the run; it can be resumed' '
	cat >.muster/workflows/long.yaml <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: long}
	spec:
	  steps:
	    - {id: wait, run: sleep 30}
	EOF
	python3 - "$MUSTER" "$TRASH" <<-\EOF &&
	import json, subprocess, sys, time
	p = subprocess.Popen([sys.argv[1], "-C", sys.argv[2], "mcp", "serve"],
	    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
	def send(m):
	    p.stdin.write((json.dumps(m) + "\n").encode())
	    p.stdin.flush()
	send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
	    "protocolVersion": "2025-11-25", "capabilities": {},
	    "clientInfo": {"name": "t", "version": "1"}}})
	p.stdout.readline()
	send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
	    "name": "workflow_long", "arguments": {}}})
	time.sleep(1.5)
	send({"jsonrpc": "2.0", "method": "notifications/cancelled",
	    "params": {"requestId": 2, "reason": "changed my mind"}})
	send({"jsonrpc": "2.0", "id": 3, "method": "ping"})
	r = json.loads(p.stdout.readline())
	assert r["id"] == 3, r	# no answer to the cancelled call
	p.stdin.close()
	assert p.wait(timeout=20) == 0
	EOF
	muster history --workflow long >h &&
	grep interrupted h
'

if ! command -v node >/dev/null || ! test -f "$SDK"; then
	if test "${CI:-}" = true; then
		test_expect_success 'node and tests/mcp/node_modules are here' false
	else
		test_skip "the official SDK client against mcp serve" \
			"no node or no tests/mcp/node_modules (cd tests/mcp && npm ci)"
	fi
	test_done
fi

sdk() {
	node "$CLIENT" "$MUSTER" "$TRASH" "$1"
}

test_expect_success 'SDK: initialize' '
	sdk handshake >out &&
	grep "\"name\":\"muster\"" out
'

test_expect_success 'SDK: tools/list' '
	sdk list >out &&
	grep "\"name\":\"workflow_greet\"" out &&
	grep "\"name\":\"core_workflow_execution_list\"" out
'

test_expect_success 'SDK: a workflow call is a recorded execution; its result structured' '
	sdk call >out &&
	grep "\"structuredContent\":{\"greeting\":\"hello sdk\",\"times\":2,\"execution_id\":\"[0-9a-f-]*\"" out &&
	id=$(sed -n "s/.*\"execution_id\":\"\([0-9a-f-]*\)\".*/\1/p" out | head -n 1) &&
	muster status "$id" >st &&
	grep "workflow greet, completed" st
'

test_expect_success 'SDK: a failing workflow is isError with its failure' '
	sdk fail >out &&
	grep "\"isError\":true" out &&
	grep "step .boom. failed: exit status 3" out &&
	grep "resume: muster resume" out &&
	muster history --workflow broken >h &&
	grep failed h
'

test_expect_success 'SDK: bad arguments are isError, nothing runs' '
	sdk badargs >out &&
	grep "\"isError\":true" out &&
	grep "argument .times. must be an integer" out
'

test_expect_success 'SDK: progress notifications while a workflow runs' '
	sdk progress >out &&
	grep "\"message\":\"execution [0-9a-f-]* started\"" out &&
	grep "\"progress\":1,\"total\":2,\"message\":\"a completed\"" out
'

test_expect_success 'SDK: a new definition file sends tools/list_changed' '
	sdk changed >out &&
	grep "\"added\":true" out
'

test_expect_success 'tools/list for 100 workflows: the SDK reads them all' '
	mkdir -p many/.muster/workflows &&
	for i in $(seq 1 100); do
		sed "s/name: greet/name: w$i/" .muster/workflows/greet.yaml \
			>many/.muster/workflows/w$i.yaml || return 1
	done &&
	node "$CLIENT" "$MUSTER" "$TRASH/many" list >out &&
	python3 -c "
import json
d = json.load(open(\"out\"))
assert len([t for t in d[\"tools\"] if t[\"name\"].startswith(\"workflow_\")]) == 100
"
'

# The time from the request's last byte to the answer's, on raw pipes: what
# muster takes, without a client's own parsing and schema checks.
test_expect_success 'mcp serve answers tools/list for 100 workflows in under 50 ms' '
	python3 - "$MUSTER" "$TRASH/many" <<-\EOF
	import json, subprocess, sys, time
	p = subprocess.Popen([sys.argv[1], "-C", sys.argv[2], "mcp", "serve"],
	    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
	    stderr=subprocess.DEVNULL)
	def ask(i, method, params=None):
	    m = {"jsonrpc": "2.0", "id": i, "method": method}
	    if params is not None:
	        m["params"] = params
	    t0 = time.perf_counter()
	    p.stdin.write((json.dumps(m) + "\n").encode())
	    p.stdin.flush()
	    line = p.stdout.readline()
	    return time.perf_counter() - t0, json.loads(line)
	ask(1, "initialize", {"protocolVersion": "2025-11-25",
	    "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}})
	p.stdin.write(b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")
	times = []
	for i in range(2, 12):
	    t, r = ask(i, "tools/list")
	    assert len(r["result"]["tools"]) == 113, len(r["result"]["tools"])
	    times.append(t * 1000)
	p.stdin.close()
	p.wait()
	times.sort()
	print("tools/list of 100 workflows: median %.2f ms, max %.2f ms" %
	    (times[len(times) // 2], times[-1]))
	assert times[len(times) // 2] < 50, times
	EOF
'

test_done
