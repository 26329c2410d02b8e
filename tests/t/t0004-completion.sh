#!/bin/sh
# t0004-completion.sh: the bash, zsh and fish completions offer the
# commands, options and the project's own names, from any -C folder.
. "$(dirname "$0")/lib.sh"

CPL=$TOP/share/muster/completions
mkdir -p bin && ln -s "$MUSTER" bin/muster
PATH=$TRASH/bin:$PATH
cp -R "$TOP/examples/deploy" proj && rm -rf proj/.muster/state &&
cp "$DATA/svc/sleeper.yaml" proj/.muster/serviceclasses/ || exit 1

# The words each shell offers at the end of the line $1, sorted, one a line.
# Like bash, bash_words splits the line at "=" too.
bash_words() {
	bash -c '. "$1"; line=$2
		read -ra COMP_WORDS <<<"${line//=/ = }"
		case $line in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_muster; printf "%s\n" "${COMPREPLY[@]}"' _ "$CPL/muster.bash" \
		"$1${2-}" | sort
}
zsh_words() {
	zsh -f "$HELPERS/zsh-complete.zsh" "$CPL" "$1${2-}" | sort -u
}
fish_words() {
	fish --no-config -c "source $CPL/muster.fish; complete -C '$1${2-}'" |
		cut -f1 | sort
}

norm() {
	sed -e "/^--[a-z-]*=./s/^--[a-z-]*=//" -e "/^--/s/=\$//"
}

# check LINE PARTIAL EXPECTED...: every shell offers exactly EXPECTED (an
# option's "=" aside: zsh and fish show "--color" for "--color=", and
# fish "--color=auto" where the others show "auto").
check() {
	printf "%s\n" "$@" | tail -n +3 | norm | sort >expect
	for sh in bash zsh fish; do
		# zsh is driven through a pseudo-terminal, which a loaded
		# machine can make miss a word: a second try tells a wrong
		# answer from a slow one.
		for try in 1 2 3; do
			"${sh}_words" "$1" "$2" | norm >actual &&
			cmp -s expect actual && break
			test $try = 3 && { test_cmp expect actual
				echo "($sh: '$1$2')"; return 1; }
		done
	done
}

for sh in bash zsh fish; do
	if ! command -v $sh >/dev/null; then
		test_skip "completion for $sh" "$sh is not installed"
		continue
	fi
	test_expect_success "the $sh completion file parses" "
		$sh -n '$CPL/$(case $sh in bash) echo muster.bash;; zsh) echo _muster;; fish) echo muster.fish;; esac)'
	"
done

if command -v zsh >/dev/null && command -v fish >/dev/null; then
test_expect_success 'commands and global options' '
	check "muster " r run resume render report &&
	check "muster " "--col" --color &&
	check "muster --color=" "a" always auto &&
	check "muster help " "se" service
'

test_expect_success 'workflows, tools and classes of the -C project' '
	check "muster -C proj run " "" deploy &&
	check "muster -C proj call " "x_r" x_rollback x_rollout &&
	check "muster -C proj service create " "" sleeper web-preview &&
	check "muster -C proj graph deploy --format=" "" dot text
'

test_expect_success 'the arguments of the workflow being run' '
	check "muster -C proj run deploy --arg " "" env= regions= replicas= token= version= &&
	check "muster -C proj run deploy --arg " "e" env= &&
	check "muster -C proj run deploy --arg " "env=" env=dev env=prod env=staging &&
	check "muster -C proj run deploy --arg " "env=s" env=staging
'

test_expect_success 'mcp: its subcommands, options and servers' '
	mkdir -p proj/.muster/mcpservers &&
	printf "%s\n" "apiVersion: muster.giantswarm.io/v1alpha1" \
		"kind: MCPServer" "metadata: {name: files}" \
		"spec: {command: cat}" >proj/.muster/mcpservers/files.yaml &&
	check "muster -C proj mcp " "" call serve tools &&
	check "muster -C proj mcp tools " "" files &&
	check "muster -C proj mcp call " "" files &&
	check "muster -C proj mcp call files x " "--t" --timeout &&
	check "muster -C proj mcp serve " "--t" --tools &&
	check "muster -C proj list " "m" mcpservers &&
	rm -r proj/.muster/mcpservers
'

test_expect_success 'executions and service instances' '
	(cd proj && muster -q run deploy --arg env=staging >/dev/null 2>&1) &&
	id=$(cd proj && muster history --limit 1 | sed -n 2p | cut -d" " -f1) &&
	check "muster -C proj status " "" $id &&
	check "muster -C proj logs " "${id%????}" $id &&
	muster -C proj service create sleeper >/dev/null &&
	check "muster -C proj service stop " "" sleeper-plain &&
	check "muster -C proj service " "st" start status stop &&
	muster -C proj service delete sleeper-plain >/dev/null
'

test_expect_success 'options of the command on the line' '
	check "muster history " "--st" --status &&
	check "muster trace " "--o" --output &&
	check "muster run x " "--me" --metrics-file &&
	check "muster history --status " "c" cancelled completed &&
	check "muster -C proj service delete x " "--f" --force
'

# compinit -d FILE rewrites FILE: once that was /dev/null.
test_expect_success 'the shells left /dev/null alone' '
	test -c /dev/null
'
fi
test_done
