#!/bin/sh
# t1400-mcp-client.sh: MCPServer definitions and muster's MCP client
# against a server that misbehaves on purpose (tests/mcp/hostile-server.py):
# each misdeed is a clear step error within the timeout, never a hang or a
# crash.
. "$(dirname "$0")/lib.sh"

HOSTILE=$TOP/tests/mcp/hostile-server.py

# fresh: a new project folder of its own, made the current one.
fresh() {
	d=$TRASH/p$test_count.$$.$(date +%s%N) &&
	mkdir -p "$d" && cd "$d" && test_project
}

# server NAME MODE [TIMEOUT]: .muster/mcpservers/NAME.yaml on the fake.
server() {
	mkdir -p .muster/mcpservers &&
	cat >.muster/mcpservers/$1.yaml <<-EOF
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: MCPServer
	metadata: {name: $1}
	spec:
	  type: stdio
	  command: python3
	  args: ["$HOSTILE", "$2", "$PWD"]
	  env: {HOSTILE_LOG: "$PWD/hostile.log"}
	  timeout: ${3:-5s}
	EOF
}

# one_step NAME TOOL [TIMEOUT]: a workflow of one step calling TOOL.
one_step() {
	cat >.muster/workflows/$1.yaml <<-EOF
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: $1}
	spec:
	  steps:
	    - id: s
	      tool: $2
	      ${3:+timeout: $3}
	EOF
}

if ! command -v python3 >/dev/null; then
	test_skip "mcp client tests" "python3 is not installed"
	test_done
fi

test_expect_success 'an MCPServer loads; its tools are x_<server>_<tool>' '
	fresh && server fake ok &&
	one_step w x_fake_t &&
	muster validate >out &&
	muster list mcpservers >out &&
	grep "^fake" out &&
	muster mcp tools fake >out &&
	test "$(cat out)" = x_fake_t &&
	muster -q run w &&
	muster status --json >doc &&
	grep "\"result\":{\"text\":\"fine\"}" doc
'

test_expect_success 'unknown fields and bad types are FILE:LINE:COL errors' '
	fresh && mkdir -p .muster/mcpservers &&
	cat >.muster/mcpservers/bad.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: MCPServer
	metadata: {name: bad}
	spec:
	  type: stdio
	  comand: foo
	  url: http://x
	  timeout: soon
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "bad.yaml:6:3: error: unknown field .comand.*did you mean .command" err &&
	grep "bad.yaml:7:8: error: .url. does not apply to an MCP server of type stdio" err &&
	grep "bad.yaml:8:12: error: bad duration .soon." err &&
	cat >.muster/mcpservers/bad.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: MCPServer
	metadata: {name: bad}
	spec: {type: carrier-pigeon}
	EOF
	test_expect_code 2 muster validate 2>err &&
	grep "bad.yaml:4:14: error: unknown MCP server type .carrier-pigeon." err
'

test_expect_success 'an unknown server in x_ names is an error that says so' '
	fresh && server fake ok &&
	one_step w x_fak_t &&
	test_expect_code 2 muster validate 2>err &&
	grep "unknown tool .x_fak_t.: no MCP server .fak. (did you mean .fake.?)" err
'

test_expect_success 'validate --online asks the server about tools and arguments' '
	fresh && server fake ok &&
	cat >.muster/workflows/w.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: w}
	spec:
	  steps:
	    - {id: a, tool: x_fake_u}
	    - id: b
	      tool: x_fake_t
	      args: {x: 1, y: "{{ .execution.id }}"}
	    - {id: c, tool: x_fake_t, args: {x: ok}}
	EOF
	muster validate >out &&
	test_expect_code 2 muster validate --online 2>err &&
	grep "w.yaml:6:21: error: MCP server .fake. has no tool .u. (did you mean .x_fake_t.?)" err &&
	grep "w.yaml:9:17: error: argument .x. of tool .x_fake_t. must be \"string\"" err &&
	grep "w.yaml:9:23: error: tool .x_fake_t. has no argument .y." err &&
	test_line_count = 3 err
'

# hostile MODE WHAT TIMEOUT: the step fails with WHAT, well within the time.
hostile() {
	fresh && server h "$1" 10s &&
	one_step w x_h_t "$3" &&
	start=$(date +%s) &&
	test_expect_code 1 muster -q run w 2>err &&
	end=$(date +%s) &&
	test $((end - start)) -le 12 &&
	muster status --json >doc &&
	grep "\"status\":\"failed\"" doc &&
	grep "$2" doc || { cat err doc; return 1; }
}

test_expect_success 'a server that writes garbage' '
	hostile garbage "not a JSON-RPC message" ""
'

test_expect_success 'a response with a wrong id' '
	hostile wrong-id "answered request id [0-9]*, which muster never sent" ""
'

test_expect_success 'a 50 MB response' '
	hostile huge "larger than 16 MiB" ""
'

test_expect_success 'a server that never answers: the step times out, the call is cancelled' '
	hostile silent "no answer to tools/call within 2s (cancelled)" 2s &&
	sleep 0.5 &&
	grep "^cancelled [0-9]" hostile.log
'

test_expect_success 'a server that dies mid-call' '
	hostile die "the server exited with status 7" "" &&
	grep "hostile: dying now" .muster/state/executions/*/logs/mcp-h.err
'

test_expect_success 'a JSON-RPC error and an isError result fail the step with their text' '
	hostile error "no such thing (JSON-RPC error -32000)" "" &&
	hostile is-error "\"error\":\"disk on fire\"" ""
'

test_expect_success 'a server that will not shake hands' '
	hostile garbage-init "not a JSON-RPC message" "" &&
	hostile old "protocol version .1999-01-01.; muster speaks 2025-11-25" ""
'

test_expect_success 'a handshake that never ends is bounded by the server timeout' '
	fresh && server h silent-init 1s &&
	one_step w x_h_t 5s &&
	test_expect_code 1 muster -q run w 2>err &&
	muster status --json >doc &&
	grep "no answer to initialize within 1s" doc
'

test_expect_success 'a command that does not exist' '
	fresh && mkdir -p .muster/mcpservers &&
	printf "%s\n" "apiVersion: muster.giantswarm.io/v1alpha1" \
		"kind: MCPServer" "metadata: {name: nope}" \
		"spec: {command: /nonexistent/server}" >.muster/mcpservers/nope.yaml &&
	test_expect_code 1 muster mcp tools nope 2>err &&
	grep "MCP server .nope.: cannot start ./nonexistent/server.: No such file" err
'

test_expect_success 'mcp call: a result, an isError, a bad server name' '
	fresh && server fake ok &&
	muster mcp call fake t >out &&
	test "$(cat out)" = "{\"text\":\"fine\"}" &&
	server bad is-error &&
	test_expect_code 1 muster mcp call bad t 2>err &&
	grep "disk on fire" err &&
	test_expect_code 2 muster mcp call fkae t 2>err &&
	grep "no MCP server .fkae. (did you mean .fake.?)" err
'

test_expect_success 'mcp call --timeout cancels a call that hangs' '
	fresh && server h silent 30s &&
	: >hostile.log &&
	test_expect_code 1 muster mcp call h t --timeout 1s 2>err &&
	grep "no answer to tools/call within 1s (cancelled)" err &&
	grep "^cancelled 2" hostile.log
'

test_expect_success 'steps share one server per execution; it stops at the end' '
	fresh && server fake ok &&
	cat >.muster/workflows/many.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: many}
	spec:
	  steps:
	    - id: a
	      parallel:
	        - {id: p1, tool: x_fake_t}
	        - {id: p2, tool: x_fake_t}
	        - {id: p3, tool: x_fake_t}
	    - id: b
	      condition: {tool: x_fake_t, expect: {jsonPath: {text: fine}}}
	      tool: x_fake_t
	EOF
	: >hostile.log &&
	muster -q run many -j 4 &&
	test "$(grep -c "^call" hostile.log)" = 5 &&
	! pgrep -f "hostile-server.py ok $PWD" >/dev/null &&
	! pgrep -f "$(pwd -P) __mcp-broker" >/dev/null
'

test_expect_success 'a service class lifecycle tool may be an MCP tool' '
	fresh && server fake ok &&
	cat >.muster/serviceclasses/c.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: ServiceClass
	metadata: {name: c}
	spec:
	  serviceConfig:
	    lifecycleTools:
	      start: {tool: x_fake_t, outputs: {said: text}}
	      stop: {tool: x_fake_t}
	EOF
	: >hostile.log &&
	muster service create c inst >out &&
	muster service status inst --json >st &&
	grep "\"said\":\"fine\"" st &&
	muster service delete inst &&
	test "$(grep -c "^call" hostile.log)" = 2
'

test_expect_success 'tools/list pages are all read' '
	fresh && server h paged &&
	muster mcp tools h >out &&
	printf "x_h_t\nx_h_u\n" >expect &&
	test_cmp expect out
'

test_expect_success 'mcp serve --tools offers Tool files and MCP tools, and calls them' '
	fresh && server fake ok &&
	cat >.muster/tools/hello.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Tool
	metadata: {name: hello}
	spec: {description: says hello, run: "echo hello"}
	EOF
	python3 - "$MUSTER" "$PWD" <<-\EOF
	import json, subprocess, sys
	p = subprocess.Popen([sys.argv[1], "-C", sys.argv[2], "mcp", "serve",
	    "--tools"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
	def ask(i, method, params):
	    p.stdin.write((json.dumps({"jsonrpc": "2.0", "id": i,
	        "method": method, "params": params}) + "\n").encode())
	    p.stdin.flush()
	    return json.loads(p.stdout.readline())
	ask(1, "initialize", {"protocolVersion": "2025-06-18",
	    "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}})
	names = [t["name"] for t in ask(2, "tools/list", {})["result"]["tools"]]
	assert "hello" in names and "x_fake_t" in names, names
	r = ask(3, "tools/call", {"name": "x_fake_t", "arguments": {}})
	assert r["result"]["structuredContent"] == {"text": "fine"}, r
	r = ask(4, "tools/call", {"name": "hello", "arguments": {}})
	assert r["result"]["structuredContent"] == {"stdout": "hello"}, r
	p.stdin.close()
	assert p.wait() == 0
	EOF
'

test_expect_success 'a retried step gets a new server after the old one died' '
	fresh && server h die &&
	cat >.muster/workflows/r.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: r}
	spec:
	  steps:
	    - {id: s, tool: x_h_t, retry: {attempts: 2, delay: 10ms}}
	EOF
	: >hostile.log &&
	test_expect_code 1 muster -q run r &&
	test "$(grep -c "^call" hostile.log)" = 2
'

test_expect_success 'kill -9 of the runner: the shared server goes too' '
	fresh && server h silent 60s &&
	one_step w x_h_t &&
	start_bg -q run w &&
	sleep 2 &&
	pgrep -f "hostile-server.py silent $PWD" >/dev/null &&
	kill -9 $bg_pid && wait $bg_pid;
	n=0 &&
	while pgrep -f "hostile-server.py silent $PWD" >/dev/null &&
		test $n -lt 50; do sleep 0.2; n=$((n + 1)); done &&
	! pgrep -f "hostile-server.py silent $PWD" >/dev/null
'

test_done
