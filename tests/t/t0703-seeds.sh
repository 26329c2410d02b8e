#!/bin/sh
# t0703-seeds.sh: every YAML example of the documents muster comes from
# (tests/data/seeds, copied verbatim), with stub tools and service classes:
# `validate` prints exactly tests/data/seeds/expect/NAME.out (valid, valid
# with a warning, or an error that says what to write instead), and every
# complete workflow among them runs to its end.
. "$(dirname "$0")/lib.sh"

SEEDS=$DATA/seeds

# A project holding seed $1 and the stubs.
project() {
	rm -rf p && mkdir -p p/.muster/workflows p/.muster/tools \
		p/.muster/serviceclasses &&
	cp "$SEEDS/$1.yaml" p/.muster/workflows/ &&
	cp "$SEEDS/stubs/tools.yaml" p/.muster/tools/ &&
	cp "$SEEDS/stubs/classes.yaml" p/.muster/serviceclasses/ &&
	if test "$1" != service-orchestration-serviceclass; then
		cp "$SEEDS/stubs/microservice.yaml" p/.muster/serviceclasses/
	fi
}

for f in "$SEEDS"/*.yaml; do
	name=$(basename "$f" .yaml)
	test_expect_success "validate $name" "
		project $name &&
		(cd p && muster validate >out 2>&1; echo \"exit \$?\" >>out) &&
		test_cmp '$SEEDS/expect/$name.out' p/out
	"
done

# Runs seed $1's workflow $2 with the remaining arguments.
run_seed() {
	seed=$1 wf=$2
	shift 2
	project "$seed" &&
	(cd p && muster -q run "$wf" "$@")
}

test_expect_success 'container-kit pipeline runs its stages in order' '
	run_seed container-kit-pipeline containerization-pipeline \
		--arg repo_url=https://example.com/repo.git &&
	cut -d" " -f1 p/ledger >got &&
	printf "analyze_repository_atomic\nbuild_image_atomic\nscan_image_security_atomic\n" >expect &&
	test_cmp expect got &&
	grep "^build_image_atomic .*MUSTER_INPUT_REGISTRY=myregistry.azurecr.io" p/ledger
'

test_expect_success 'blue-green runs, deleting the blue instance it replaces' '
	project service-orchestration-blue-green &&
	(cd p && muster service create microservice-pattern shop-blue &&
		muster -q run seed-blue-green &&
		muster service list >list) &&
	grep "^shop-green " p/list &&
	! grep "^shop-blue " p/list
'

test_expect_success 'conditions: both conditional steps run' '
	run_seed service-orchestration-conditions seed-conditions &&
	cut -d" " -f1 p/ledger >got &&
	printf "production_specific_tool\nconditional_tool\n" >expect &&
	test_cmp expect got
'

test_expect_success 'conditions: a false condition skips its step' '
	run_seed service-orchestration-conditions seed-conditions \
		--arg environment=staging &&
	test ! -e p/ledger
'

test_expect_success 'error handling: the step runs, its retry policy loaded' '
	run_seed service-orchestration-error-handling seed-error-handling &&
	grep "^potentially_failing_tool" p/ledger
'

test_expect_success 'the full deployment runs: services, monitoring, smoke tests' '
	run_seed service-orchestration-workflow full-application-deployment \
		--arg app_name=shop --arg version=1.0 --arg environment=production &&
	cut -d" " -f1 p/ledger >got &&
	grep -c x_stub_ok got >n && test "$(cat n)" = 3 &&
	grep "^x_networking_configure_lb" got &&
	(cd p && muster service list) >list &&
	grep "^shop-database " list && grep "^shop-cache " list &&
	grep "^shop " list
'

test_expect_success 'connect-monitoring logs in and creates its port-forward' '
	run_seed workflow-component-connect-monitoring connect-monitoring \
		--arg cluster=c1.example.com &&
	grep "^x_teleport_kube_login MUSTER_INPUT_KUBECLUSTER=c1.example.com" p/ledger &&
	(cd p && muster service list) >list &&
	grep "^prometheus-port-forward-c1.example.com " list
'

test_expect_success "the service class's external dependencies are probed" '
	project service-orchestration-serviceclass &&
	(cd p && test_expect_code 1 muster service create microservice-pattern \
		--arg service_name=shop --arg image=shop:1 2>err) &&
	grep "external dependency .monitoring. of service class .microservice-pattern. is not healthy" p/err
'

test_expect_success 'the template snippets render once YAML has unescaped them' '
	cat >data.json <<-\EOF &&
	{"app_name": "shop", "version": "1.4", "database_enabled": true,
	 "target_environments": ["staging", "production"]}
	EOF
	sed "s/\\\\\"/\"/g" "$SEEDS/service-orchestration-templates.tmpl" >t.tmpl &&
	muster render --data data.json --file t.tmpl >out &&
	grep "image: \"shop:1.4\"" out &&
	grep "postgres://shop-db:5432/shop" out &&
	grep -A1 "name: \"production\"" out | grep "replicas: 5" &&
	grep -E "current_time: \"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\"" out &&
	grep -E "random_suffix: \"shop-[A-Za-z0-9]{8}\"" out
'

test_expect_success 'as written (quotes escaped for YAML), the snippets fail as in Go' '
	test_expect_code 2 muster render --data data.json \
		--file "$SEEDS/service-orchestration-templates.tmpl" 2>err &&
	grep "template:23:29: unexpected .\\\\. in operand" err
'

test_done
