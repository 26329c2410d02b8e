#!/bin/sh
# t0702-doc-serviceclass.sh: the service-orchestration document's
# ServiceClass layout (lifecycle.startTool, a top-level Kubernetes-style
# healthCheck, dependencies as objects, resources, spec.name) loads as an
# alias of ours and runs: external dependencies are probed, not started.
. "$(dirname "$0")/lib.sh"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# An HTTP server on a free port in the background; its pid in $1.pid.
serve() {
	port=$(free_port)
	python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
	echo $! >"$1.pid"
	for i in $(seq 50); do
		python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
			"http://127.0.0.1:$port/" 2>/dev/null && break
		sleep 0.1
	done &&
	echo "$port" >"$1.port"
}

stop() {
	kill "$(cat "$1.pid")" 2>/dev/null
	wait "$(cat "$1.pid")" 2>/dev/null
	true
}

test_expect_success 'the layout validates and shows' '
	mkdir -p .muster/serviceclasses .muster/tools &&
	cp "$DATA/docclass/class.yaml" .muster/serviceclasses/ &&
	cp "$DATA/docclass/tools.yaml" .muster/tools/ &&
	muster validate
'

test_expect_success 'create: dependency probed, start tool given args and resources' '
	serve app && serve dep &&
	start=$(date +%s) &&
	muster service create app --arg service_name=shop \
		--arg port=$(cat app.port) --arg dep_port=$(cat dep.port) >name &&
	end=$(date +%s) &&
	test $((end - start)) -ge 1 &&
	grep "^MUSTER_INPUT_SERVICE_NAME=shop$" started.env &&
	grep "^MUSTER_INPUT_RESOURCES=.*\"requests\": *{ *\"cpu\": *\"500m\", *\"memory\": *\"512Mi\"" started.env &&
	muster service list >list &&
	grep "healthy" list &&
	muster service scale "$(cat name)" 3 &&
	echo "shop 3" >expect && test_cmp expect scaled
'

test_expect_success 'core_service_scale calls the scale tool from a step' '
	mkdir -p .muster/workflows &&
	cat >.muster/workflows/sc.yaml <<-EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: Workflow
	metadata: {name: sc}
	spec:
	  steps:
	    - id: up
	      tool: core_service_scale
	      args: {name: $(cat name), replicas: 5}
	EOF
	muster -q run sc &&
	echo "shop 5" >expect && test_cmp expect scaled &&
	muster service delete "$(cat name)" &&
	test -e deleted
'

test_expect_success 'scale without a scale tool, or with a bad number, fails' '
	sed -i "/scaleTool/d" .muster/serviceclasses/class.yaml &&
	muster service create app --arg service_name=shop3 \
		--arg port=$(cat app.port) --arg dep_port=$(cat dep.port) >name &&
	test_expect_code 1 muster service scale "$(cat name)" 2 2>err &&
	grep "service class .app. has no scale tool" err &&
	test_expect_code 2 muster service scale "$(cat name)" many 2>err &&
	grep "replicas .many.: use a whole number" err &&
	muster service delete "$(cat name)"
'

test_expect_success 'an external dependency that is down fails the create' '
	stop dep &&
	test_expect_code 1 muster service create app --arg service_name=shop2 \
		--arg port=$(cat app.port) --arg dep_port=$(cat dep.port) 2>err &&
	grep "external dependency .monitoring. of service class .app. is not healthy" err &&
	stop app
'

bad() {
	cat >.muster/serviceclasses/class.yaml &&
	test_expect_code 2 muster validate 2>err
}

test_expect_success 'spec.name must be metadata.name' '
	sed "9s/name: app/name: other/" "$DATA/docclass/class.yaml" | bad &&
	grep "class.yaml:9:9: error: spec.name .other. differs from metadata.name .app." err
'

test_expect_success 'an external dependency needs a url; types are checked' '
	bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: ServiceClass
	metadata: {name: app}
	spec:
	  lifecycle: {startTool: x_deploy}
	  dependencies:
	    - {name: a, type: external}
	    - {name: b, type: sidecar}
	    - {name: c, type: external, healthCheck: {}}
	EOF
	grep "class.yaml:7:7: error: external dependency .a. needs .healthCheck: {url: ...}." err &&
	grep "class.yaml:8:23: error: unknown dependency type .sidecar." err &&
	grep "class.yaml:9:46: error: healthCheck of dependency .c. has no .url." err
'

test_expect_success 'both spellings of one setting are an error' '
	bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: ServiceClass
	metadata: {name: app}
	spec:
	  lifecycle: {startTool: x_deploy}
	  serviceConfig:
	    lifecycleTools: {start: {tool: x_deploy}}
	    healthCheck: {tcpSocket: {port: 1}}
	  healthCheck:
	    tcpSocket: {port: 1}
	    interval: 1s
	    periodSeconds: 2
	EOF
	grep "class.yaml:5:26: error: .startTool. and lifecycleTools.start are the same tool" err &&
	grep "class.yaml:10:5: error: .healthCheck. is set in serviceConfig too" err
'

test_expect_success 'interval and periodSeconds are one setting' '
	bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: ServiceClass
	metadata: {name: app}
	spec:
	  lifecycle: {startTool: x_deploy}
	  healthCheck:
	    tcpSocket: {port: 1}
	    interval: 1s
	    periodSeconds: 2
	EOF
	grep "class.yaml:9:20: error: .interval. and .periodSeconds. are the same setting" err
'

test_expect_success 'a lifecycle tool that does not exist is named' '
	bad <<-\EOF &&
	apiVersion: muster.giantswarm.io/v1alpha1
	kind: ServiceClass
	metadata: {name: app}
	spec:
	  lifecycle: {startTool: x_deploy, stopTool: x_nope}
	EOF
	grep "class.yaml:5:46: error: unknown tool .x_nope." err
'

test_done
