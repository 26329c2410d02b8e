#!/bin/sh
# t1401-mcp-everything.sh: workflow steps call the tools of the official
# reference server @modelcontextprotocol/server-everything (stdio), pinned
# in tests/mcp/package.json: echo, a long-running tool with progress, a
# tool that errors, structured content.  Needs node and `npm ci` in
# tests/mcp; skipped without them (a failure under CI=true).
. "$(dirname "$0")/lib.sh"

EVERYTHING=$TOP/tests/mcp/node_modules/@modelcontextprotocol/server-everything/dist/index.js
if ! command -v node >/dev/null || ! test -f "$EVERYTHING"; then
	if test "${CI:-}" = true; then
		test_expect_success 'node and tests/mcp/node_modules are here' false
	else
		test_skip "server-everything tests" \
			"no node or no tests/mcp/node_modules (cd tests/mcp && npm ci)"
	fi
test_done
fi

test_project && mkdir -p .muster/mcpservers &&
cat >.muster/mcpservers/everything.yaml <<EOF
apiVersion: muster.giantswarm.io/v1alpha1
kind: MCPServer
metadata: {name: everything}
spec:
  description: the MCP reference server
  type: stdio
  command: node
  args: ["$EVERYTHING", "stdio"]
  env: {FROM_MUSTER: "{{ env \"HOME\" }}"}
  timeout: 60s
EOF

test_expect_success 'examples/mcp is a valid project' '
	muster -C "$TOP/examples/mcp" validate >out &&
	grep "^valid: 1 workflow" out &&
	muster -C "$TOP/examples/mcp" run -n weather-report --arg city=Chicago >plan &&
	grep "weather: tool x_everything_get-structured-content {\"location\":\"Chicago\"}" plan
'

test_expect_success 'mcp tools lists the server-everything tools' '
	muster mcp tools everything >out &&
	grep "^x_everything_echo	Echoes back the input string" out &&
	grep "^x_everything_trigger-long-running-operation	" out &&
	muster mcp tools everything --json >json &&
	grep "\"name\":\"get-sum\"" json
'

test_expect_success 'mcp call: echo, get-sum, structured content' '
	muster mcp call everything echo --arg message=hi >out &&
	test "$(cat out)" = "{\"text\":\"Echo: hi\"}" &&
	muster mcp call everything get-structured-content \
		--arg location=Chicago >out &&
	grep "\"temperature\":" out && grep "\"humidity\":" out
'

cat >.muster/workflows/tour.yaml <<'EOF'
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: tour}
spec:
  args:
    who: {type: string, default: muster}
  steps:
    - id: echo
      tool: x_everything_echo
      args: {message: "hello {{ .input.who }}"}
    - id: sum
      tool: x_everything_get-sum
      args: {a: 20, b: 22}
    - id: weather
      tool: x_everything_get-structured-content
      args: {location: New York}
    - id: long
      tool: x_everything_trigger-long-running-operation
      args: {duration: 2, steps: 4}
    - id: env
      tool: x_everything_get-env
    - id: check
      condition: '{{ gt .results.weather.temperature -100 }}'
      run: echo "{{ .results.echo.text }}; {{ .results.sum.text }}"
  output:
    echo: "{{ .results.echo.text }}"
    temperature: "{{ .results.weather.temperature }}"
    said: "{{ .results.check.stdout }}"
EOF

test_expect_success 'a workflow whose steps call the reference server' '
	muster run tour -v 2>err >out &&
	grep "\"echo\":\"Echo: hello muster\"" out &&
	grep "\"said\":\"Echo: hello muster; The sum of 20 and 22 is 42.\"" out &&
	muster status --json >doc &&
	grep "\"temperature\":[0-9-]" doc
'

test_expect_success 'the long-running tool reports progress, in the log and with -v' '
	grep "^\[long\] progress: 1/4" err &&
	grep "^\[long\] progress: 4/4" err &&
	grep "^progress: 2/4" .muster/state/executions/*/logs/long.err
'

test_expect_success 'with --json, progress is a step_progress event' '
	muster run tour --json >events 2>/dev/null &&
	grep "\"event\":\"step_progress\".*\"step\":\"long\".*\"message\":\"1/4\"" events &&
	grep "\"event\":\"step_progress\".*\"message\":\"4/4\"" events
'

test_expect_success 'list tools --online shows the server tools' '
	muster list tools --online >out &&
	grep "^x_everything_echo  *Echoes back the input string" out &&
	muster list tools >out &&
	! grep x_everything out
'

test_expect_success 'the shared server got the MCPServer env, no step env' '
	muster status --json >doc &&
	grep "\"FROM_MUSTER\":\"$HOME\"" doc &&
	grep "\"MUSTER_WORKFLOW\":\"tour\"" doc &&
	! grep "MUSTER_STEP\|MUSTER_INPUT_" doc
'

test_expect_success 'the steps shared one server; it was stopped at the end' '
	for d in .muster/state/executions/*/mcp; do
		test "$(ls $d)" = everything.lock || return 1
	done &&
	! pgrep -f "$(pwd -P) __mcp-broker" >/dev/null
'

cat >.muster/workflows/bad.yaml <<'EOF'
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: bad}
spec:
  steps:
    - id: sum
      tool: x_everything_get-sum
      args: {a: "not a number", b: 1}
EOF

test_expect_success 'a tool that errors fails its step with its text' '
	test_expect_code 1 muster run bad 2>err &&
	grep "sum: failed after .*Invalid arguments for tool get-sum" err &&
	muster status --json >doc &&
	grep "\"error\":\"MCP error -32602: Input validation error" doc
'

cat >.muster/workflows/slow.yaml <<'EOF'
apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: slow}
spec:
  steps:
    - id: warm
      tool: x_everything_echo
      args: {message: start the server first}
    - id: long
      tool: x_everything_trigger-long-running-operation
      args: {duration: 30, steps: 30}
      timeout: 2s
EOF

test_expect_success 'a step timeout cancels the long-running call' '
	start=$(date +%s) &&
	test_expect_code 1 muster run slow 2>err &&
	test $(($(date +%s) - start)) -le 20 &&
	grep "long: failed .*no answer to tools/call within 2s (cancelled)" err
'

test_expect_success 'muster call runs an MCP tool too' '
	muster call x_everything_echo --arg message=direct >out &&
	test "$(cat out)" = "{\"text\":\"Echo: direct\"}"
'

test_expect_success 'streamable-http: the same server over HTTP, progress streamed' '
	port=$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") ||
		return 1
	PORT=$port node "$EVERYTHING" streamableHttp >http.log 2>&1 &
	http_pid=$!
	n=0 && until grep -q "listening on port" http.log || test $n -ge 50; do
		sleep 0.2; n=$((n + 1)); done &&
	cat >.muster/mcpservers/web.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: MCPServer
	metadata: {name: web}
	spec:
	  type: streamable-http
	  url: "http://127.0.0.1:{{ env \"WEB_PORT\" }}/mcp"
	  headers: {X-Muster-Test: "yes"}
	  timeout: 20s
	EOF
	export WEB_PORT=$port &&
	muster mcp call web echo --arg message=over-http >out &&
	test "$(cat out)" = "{\"text\":\"Echo: over-http\"}" &&
	muster mcp call web trigger-long-running-operation --arg duration=1 \
		--arg steps=2 >out 2>err &&
	grep "^progress: 2/2" err &&
	test_expect_code 1 muster mcp call web trigger-long-running-operation \
		--arg duration=10 --arg steps=10 --timeout 1s 2>err &&
	grep "no answer to tools/call within 1s (cancelled)" err &&
	sed "s/x_everything_echo/x_web_echo/" .muster/workflows/tour.yaml |
		sed "s/name: tour/name: webtour/" >.muster/workflows/webtour.yaml &&
	muster -q run webtour >out &&
	grep "\"echo\":\"Echo: hello muster\"" out;
	rc=$?; kill $http_pid; wait $http_pid; rm -f .muster/mcpservers/web.yaml \
		.muster/workflows/webtour.yaml; return $rc
'

test_done
