#!/bin/sh
# t0003-man.sh: the man pages doc/muster.1 and doc/muster-workflow.5.  They
# format without a warning; muster.1 keeps up with the command line (a
# section for every command `muster help` lists, naming each option its
# help names) and lists every exit code of SPEC section 7; the example of
# muster-workflow.5 is a valid project.  Formatting needs groff: without
# it those tests are skipped.
. "$(dirname "$0")/lib.sh"

MAN1=$TOP/doc/muster.1
MAN5=$TOP/doc/muster-workflow.5

have_groff() {
	command -v groff >/dev/null 2>&1
}

# The page as plain text, 78 columns: no bold, no underlining.
render() {
	groff -man -Tascii -P-c -P-b -P-u "$1" 2>/dev/null
}

# The source of section (.SH) or subsection (.SS) $2 of page $1, up to
# the next heading as high, with the roff escapes of hyphens, quotes and fonts
# taken out so that options read as typed.
section() {
	awk -v want="$2" '
		/^\.S[HS] / {
			lvl = /^\.SH/ ? 1 : 2
			h = $0
			sub(/^\.S[HS] +/, "", h)
			gsub(/"/, "", h)
			if (on && lvl <= onlvl)
				exit
			if (!on && h == want) {
				on = 1
				onlvl = lvl
				next
			}
		}
		on
	' "$1" | sed -e 's/\\-/-/g' -e 's/\\%//g' -e 's/\\&//g' \
		-e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g'
}

# The commands `muster help` lists.
muster help >"$TRASH/commands.help" 2>&1
sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\)  .*/\1/p' \
	"$TRASH/commands.help" >"$TRASH/commands"

for page in "$MAN1" "$MAN5"; do
	name=$(basename "$page")
	if have_groff; then
		test_expect_success "$name formats without a warning" '
			groff -man -ww -z -Tutf8 "$page" 2>err &&
			test_line_count = 0 err
		'
	else
		test_skip "$name formats without a warning" "no groff"
	fi
done

test_expect_success 'muster help lists the commands' '
	test_line_count -ge 16 commands &&
	grep -x run commands && grep -x service commands
'

test_expect_success 'muster.1 has a section for every command' '
	sed -n "s/^\.SS //p" "$MAN1" | sort >sections &&
	sort commands >want &&
	comm -23 want sections >missing &&
	test_line_count = 0 missing
'

test_expect_success 'every section of COMMANDS is a command' '
	section "$MAN1" COMMANDS | sed -n "s/^\.SS //p" | sort >listed &&
	sort commands >want &&
	comm -13 want listed >stale &&
	test_line_count = 0 stale
'

test_expect_success 'muster.1 names every option of every command' '
	: >missing &&
	for c in $(cat commands); do
		muster help $c >help &&
		section "$MAN1" $c >text &&
		{
			grep -o -- "--[a-z][a-z-]*" help
			sed -n 1p help | grep -o -- "\[-[A-Za-z]" | cut -c2-
		} | sort -u >opts &&
		for o in $(cat opts); do
			grep -qw -e "$o" text || echo "$c $o" >>missing
		done
	done &&
	test_line_count = 0 missing
'

test_expect_success 'muster.1 names every global option' '
	muster help >help &&
	sed -n "/^global options:/,\$p" help |
		grep -oE -- "(^| )--?[A-Za-z][a-z-]*" | tr -d " " |
		sort -u >opts &&
	section "$MAN1" "GLOBAL OPTIONS" >text &&
	: >missing &&
	for o in $(cat opts); do
		grep -qw -e "$o" text || echo "$o" >>missing
	done &&
	test_line_count = 0 missing
'

test_expect_success 'muster.1 describes every environment variable' '
	section "$MAN1" ENVIRONMENT >text &&
	for v in MUSTER_DIR NO_COLOR MUSTER_EXECUTION_ID MUSTER_WORKFLOW \
		MUSTER_STEP MUSTER_ATTEMPT MUSTER_OUTPUT; do
		grep -x "\.B $v" text || return 1
	done
'

if have_groff; then
	# SPEC.md section 7: "Exit codes: 0 success; 1 ...; 128+N".
	test_expect_success 'EXIT STATUS lists every exit code of SPEC section 7' '
		render "$MAN1" | sed -n "/^EXIT STATUS/,/^[A-Z]/p" >exit &&
		for code in 0 1 2 3 4 75 124 128+N; do
			pat=$(echo "$code" | sed "s/+/[+]/") &&
			grep -E "^ {7}$pat( |\$)" exit || {
				echo "no exit code $code in EXIT STATUS" >&2
				return 1
			}
		done
	'

	test_expect_success 'the example of muster-workflow.5 is valid' '
		test_project &&
		render "$MAN5" | sed -n "/^EXAMPLE/,/^SEE ALSO/p" |
			sed -n "/^       apiVersion:/,/^\$/s/^       //p" \
			>.muster/workflows/deploy.yaml &&
		grep "^kind: Workflow" .muster/workflows/deploy.yaml &&
		muster validate >out &&
		grep "^valid: 1 workflow, 1 tool" out &&
		muster run -n deploy --arg env=prod --arg token=s3cret >out &&
		grep "^  rollout: for each region" out
	'
else
	test_skip "EXIT STATUS lists every exit code of SPEC section 7" "no groff"
	test_skip "the example of muster-workflow.5 is valid" "no groff"
fi

test_expect_success 'both pages carry the version muster prints' '
	v=$(muster version | sed -n "s/^muster //p") &&
	test -n "$v" &&
	grep "^\.TH MUSTER 1 .* \"muster $v\"" "$MAN1" &&
	grep "^\.TH MUSTER.-WORKFLOW 5 .* \"muster $v\"" "$MAN5"
'

test_done
