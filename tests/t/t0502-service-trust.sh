#!/bin/sh
# t0502-service-trust.sh: services off the happy path: a port someone else
# serves, dead daemons, health-check tools, broken definitions, built-in
# tool arguments.
. "$(dirname "$0")/lib.sh"

reap_daemons() {
	for pid in $(pgrep -f "__supervise $TRASH/" 2>/dev/null); do
		kill -KILL -"$pid" 2>/dev/null
	done
	test -n "${other:-}" && kill "$other" 2>/dev/null
	other=
}
trap reap_daemons EXIT

use() {
	reap_daemons
	rm -rf .muster probes.log broken && test_project &&
	for f in "$@"; do cp "$DATA/$f.yaml" .muster/serviceclasses/; done
}

# group_alive PGID: a process of the group runs (zombies do not count).
group_alive() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

daemon_pid() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["daemon"]["pid"])' \
		".muster/state/services/$1.json"
}

# wait_port PORT: until something answers on it (5s at most).
wait_port() {
	for i in $(seq 50); do
		python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' \
			"$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

test_expect_success 'create fails when another process serves the port' '
	use svc/web &&
	port=$(free_port) &&
	{ python3 -m http.server $port --bind 127.0.0.1 >/dev/null 2>&1 & } &&
	other=$! &&
	wait_port $port &&
	test_expect_code 1 muster service create web --arg port=$port >out 2>err &&
	test ! -s out &&
	grep "^muster: service .web-$port. failed: port $port on 127.0.0.1 answers before the daemon started" err &&
	muster service list >out &&
	grep "^web-$port .* failed " out &&
	kill $other && other=
'

test_expect_success 'service list never shows a dead daemon healthy' '
	use svc/web &&
	port=$(free_port) &&
	muster service create web --arg port=$port >/dev/null &&
	muster service list >out &&
	grep "^web-$port .* healthy " out &&
	pid=$(daemon_pid web-$port) &&
	kill -KILL -$pid &&
	sleep 0.3 &&
	muster service list >out &&
	grep "^web-$port .* failed " out &&
	muster --json service list >out &&
	grep "\"state\":\"failed\"" out &&
	! grep healthy out
'

test_expect_success 'a healthCheck tool alone turns probing on' '
	use trust/toolhealth &&
	touch broken &&
	test_expect_code 1 muster service create toolhealth >out 2>err &&
	grep "not healthy in time" err &&
	grep probe probes.log &&
	muster service delete toolhealth >/dev/null &&
	rm broken probes.log &&
	muster service create toolhealth >out &&
	echo toolhealth >expect && test_cmp expect out &&
	grep probe probes.log
'

test_expect_success 'a broken class file: list and stop work, start names it' '
	sed -i "s/^    daemon:/    daemonn:/" .muster/serviceclasses/toolhealth.yaml &&
	muster service list >out &&
	grep "^toolhealth " out &&
	test_expect_code 2 muster service start toolhealth 2>err &&
	grep "toolhealth.yaml:.*error: unknown field .daemonn." err &&
	grep "^muster: service class .toolhealth. has errors" err &&
	pid=$(daemon_pid toolhealth) &&
	muster service stop toolhealth 2>err &&
	grep "warning: service class .toolhealth. has errors" err &&
	! group_alive $pid &&
	muster service delete toolhealth
'

test_expect_success 'built-in tools take parameters as args' '
	use svc/tunnel &&
	cp "$DATA/trust/builtin-args.yaml" .muster/workflows/ &&
	muster run seeds >out 2>err &&
	echo "{\"port\":9123}" >expect &&
	test_cmp expect out &&
	grep "^open 9123$" tunnel.log
'

test_expect_success 'unknown built-in arguments are load errors' '
	sed -i "s/parameters:/parametrs:/" .muster/workflows/builtin-args.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "builtin-args.yaml:9:9: error: step .create. gives tool .core_service_create. argument .parametrs., which it does not take (did you mean .parameters.?)" err &&
	sed -i "s/parametrs:/args:/; s/{name: t1}/{name: t1, force: true}/" \
		.muster/workflows/builtin-args.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "builtin-args.yaml:14:13: error: step .show. gives tool .core_service_status. argument .force., which it does not take" err
'

test_expect_success 'muster call checks built-in arguments' '
	use svc/tunnel &&
	test_expect_code 2 muster call core_service_create --arg bogus=1 2>err &&
	grep "^muster: built-in tool .core_service_create. has no argument .bogus." err &&
	test_expect_code 2 muster call core_service_list --arg x=1 2>err &&
	grep "has no argument .x. (it takes none)" err &&
	test_expect_code 2 muster call core_service_create \
		--arg serviceClassName=tunnel --arg "args={}" \
		--arg "parameters={}" 2>err &&
	grep "^muster: .parameters. is argument .args. again" err
'

test_expect_success 'a failing outputs template fails the operation' '
	use trust/badoutputs &&
	test_expect_code 1 muster service create badout >out 2>err &&
	test ! -s out &&
	grep "^muster: service .badout. failed: outputs: .*badoutputs.yaml:10:23: at <.outputs.nosuch.host>: map has no entry" err &&
	muster service list >out &&
	grep "^badout .* failed " out &&
	muster service delete badout
'

test_done
