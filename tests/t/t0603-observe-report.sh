#!/bin/sh
# t0603-observe-report.sh: muster report writes one self-contained HTML
# page; headless Chromium renders it, every step is in its DOM and no
# request leaves the page.
. "$(dirname "$0")/lib.sh"

# Screenshots are kept here (not committed) for people to look at.
ARTEFACTS=$TOP/tests/trash/artefacts
STEPS=${OBSERVE_REPORT_STEPS:-500}

use_obs() {
	test_project &&
	for w in obs inner; do
		sed "s|HOG|$HELPERS/hog|" "$DATA/observe/$w.yaml" \
			>.muster/workflows/$w.yaml || return 1
	done
}

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)

# browse FILE ARGS...: headless Chromium on file://FILE, nothing fetched.
browse() {
	f=$1 && shift &&
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$TRASH/chrome" \
		--window-size=1400,1000 "$@" "file://$TRASH/$f" 2>chrome.err
}

test_expect_success 'setup: a run with retries, a child and a failure' '
	use_obs &&
	test_expect_code 1 muster run obs -j2 --arg token=s3cr3t-tok 2>err &&
	muster report -o report.html &&
	test -s report.html
'

test_expect_success 'the page is self-contained: no URL, no script' '
	! grep -E -i "(https?|ftp)://|//[a-z0-9.-]+\.[a-z]{2,}/" report.html &&
	! grep -i "<script" report.html &&
	! grep -i -E "<(link|img|iframe|object|embed)[ >]" report.html &&
	grep -F "Content-Security-Policy" report.html
'

test_expect_success 'arguments are shown, the secret masked' '
	! grep -F "s3cr3t-tok" report.html &&
	grep -F "<th>token</th><td><code>&quot;***&quot;</code>" report.html &&
	grep -F "<th>env</th><td><code>&quot;staging&quot;</code>" report.html
'

test_expect_success 'the failed step with its log tail, escaped' '
	grep -F "<h3>last</h3><p>exit status 3" report.html &&
	grep -F "</p><pre>boom" report.html &&
	grep -F "&lt;script&gt;alert(1)&lt;/script&gt;" report.html
'

test_expect_success 'every attempt a bar, retries, the critical path' '
	test $(grep -c "<rect class=\"retried\" [^>]*data-step=\"flaky\"" report.html) = 2 &&
	grep "<rect class=\"completed\" [^>]*data-step=\"flaky\"" report.html &&
	grep "<rect class=\"failed crit\" [^>]*data-step=\"last\"" report.html &&
	grep "<rect class=\"completed crit\" [^>]*data-step=\"first\"" report.html &&
	test $(grep -c "<line class=wait" report.html) = 2 &&
	grep -F "<ol id=critical><li>first (" report.html &&
	sed -n "s/.*<ol id=critical>\(.*\)<\/ol>.*/\1/p" report.html |
		sed "s/ ([^)]*)//g" >crit &&
	muster status --json >st.json &&
	python3 -c "
import json
s = {x[\"step_id\"]: x for x in json.load(open(\"st.json\"))[\"steps\"]}
# last waits for flaky and child: the one that ended last is on the path.
late = s[\"child\"][\"completed_at\"] >= s[\"flaky\"][\"completed_at\"]
mid = [\"mid\", \"child\"] if late else [\"flaky\"]
print(\"\".join(\"<li>%s</li>\" % k for k in [\"first\"] + mid + [\"last\"]))
" >expect &&
	test_cmp expect crit
'

test_expect_success 'per-step CPU and memory' '
	grep -E "<tr class=crit data-step=\"first\"><td>first</td><td>completed</td><td class=n>1</td><td class=n>[0-9.]+m?s</td><td class=n>[0-9.]+m?s</td><td class=n>0\.[1-9][0-9]s</td><td class=n>[0-9.]+MiB</td>" report.html &&
	grep -E "data-step=\"child\">.*<td class=n>[0-9.]+s</td><td class=n>(19|2[0-9]|3[0-9])\.[0-9]MiB</td>" report.html
'

test_expect_success 'the longest and the largest attempts' '
	grep -E "<table id=longest>.*<tr><td>child</td><td class=n>1</td>" report.html &&
	grep -E "<table id=largest><tr>.*</tr><tr><td>child</td>" report.html &&
	test $(grep -o "<table id=longest>.*</table>" report.html | grep -o "<tr><td>" | wc -l) = 7
'

test_expect_success 'report of an unknown execution: exit 3, no file' '
	test_expect_code 3 muster report 20200101-000000-beef -o nope.html 2>err &&
	! test -e nope.html &&
	test_expect_code 4 muster report -o /dev/full 2>err &&
	test -c /dev/full
'

if test -z "$CHROMIUM"; then
	if test "${CI:-}" = true; then
		test_expect_success 'chromium is installed (CI)' 'false'
	else
		test_skip "the report in headless Chromium" \
			"chromium is not installed (apt-get install chromium)"
	fi
	test_done
fi

test_expect_success 'Chromium renders it: every step in the DOM' '
	browse report.html --dump-dom >dom.html &&
	for s in first flaky mid child last; do
		grep "<rect [^>]*data-step=\"$s\"" dom.html &&
		grep "<tr [^>]*data-step=\"$s\"" dom.html || return 1
	done &&
	mkdir -p "$ARTEFACTS" &&
	browse report.html --screenshot="$ARTEFACTS/report.png" &&
	test -s "$ARTEFACTS/report.png"
'

test_expect_success "a $STEPS-step execution: lanes, every step, no request" '
	mkdir big && cd big && test_project &&
	{
		printf "apiVersion: muster.giantswarm.io/v1alpha1\nkind: Workflow\n"
		printf "metadata: {name: big}\nspec:\n  steps:\n"
		i=0
		while test $i -lt $STEPS; do
			printf "    - {id: s%d, run: \"true\", dependsOn: []}\n" $i
			i=$((i + 1))
		done
	} >.muster/workflows/big.yaml &&
	muster -q run big -j2 2>err &&
	muster report -o ../big.html &&
	cd .. &&
	test $(grep -o "<rect " big.html | wc -l) = $STEPS &&
	test $(grep -o "slot [0-9]*</text>" big.html | sort -u | wc -l) -le 2 &&
	start=$(date +%s%N) &&
	browse big.html --dump-dom >bigdom.html &&
	end=$(date +%s%N) &&
	echo "report of $STEPS steps: $(wc -c <big.html) bytes, rendered in $(( (end - start) / 1000000 )) ms" &&
	test $(grep -o "<rect " bigdom.html | wc -l) = $STEPS &&
	test $(grep -o "<tr[^>]* data-step=" bigdom.html | wc -l) = $STEPS &&
	! grep -E -i "(https?|ftp)://" big.html &&
	browse big.html --screenshot="$ARTEFACTS/report-big.png" &&
	test -s "$ARTEFACTS/report-big.png"
'

test_expect_success 'no request left the page' '
	python3 - <<-\EOF
	# Chromium logs fetches it refused or failed; a file:// page that
	# fetches nothing leaves none.
	import re
	err = open("chrome.err", errors="replace").read()
	bad = re.findall(r"(?:net::ERR_\w+|Refused to (?:load|connect)[^\n]*)", err)
	assert not bad, bad
	EOF
'

test_done
