# muster.bash: bash completion for muster: commands, options, and the
# workflows, tools, classes, instances and executions of the project.
# Installed as $(DATADIR)/bash-completion/completions/muster.

# _muster_names KIND: the first column of 'muster list KIND' for the
# project the command line names (-C DIR is passed on).
_muster_names()
{
	"${_muster_cmd[@]}" list "$1" 2>/dev/null |
	    awk -v kind="$1" '(kind != "services" && kind != "executions") ||
	        NR > 1 { print $1 }'
}

# _muster_args WORKFLOW: "name=" for each argument the workflow declares,
# and "name=value" for each value of an argument's enum.
_muster_args()
{
	"${_muster_cmd[@]}" show "$1" 2>/dev/null |
	    awk '/^arguments:/ { on = 1; next }
		 /^$/ { on = 0 }
		 on && /^  [^ ]/ {
			print $1 "="
			if (match($0, /one of \[[^]]*\]/)) {
				n = split(substr($0, RSTART + 8, RLENGTH - 9), v, ",")
				for (i = 1; i <= n; i++) {
					gsub(/^"|"$/, "", v[i])
					print $1 "=" v[i]
				}
			}
		 }'
}

# _muster_words: words and cword from COMP_WORDS, with the pieces bash
# splits at '=' joined again ("--color" "=" "al" is "--color=al").
_muster_words()
{
	local i w
	words=() cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 0)) && [[ $w == = || ${COMP_WORDS[i - 1]} == = ]]; then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
}

# _muster_reply WORDS...: the candidates among WORDS for $cur; for
# "--opt=value" only the value is replaced when bash splits at '='.
_muster_reply()
{
	local pre=
	if [[ $cur == --*=* ]]; then
		pre=${cur%%=*}=
		[[ $COMP_WORDBREAKS == *=* ]] && pre=
		mapfile -t COMPREPLY < <(compgen -P "$pre" -W "$*" -- "${cur#*=}")
	else
		mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
	fi
}

_muster()
{
	local cur prev cmd='' sub='' target='' i w cword opts='' names=''
	local -a words _muster_cmd
	local commands="run resume status history logs cancel pause checkpoint gc call list
		show graph validate render service mcp init version help trace report
		metrics"

	_muster_words
	cur=${words[cword]}
	prev=${words[cword - 1]}
	_muster_cmd=("${words[0]}")

	# The command, the service subcommand and the first operand; -C is
	# passed on so names come from the right project.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case ${words[i - 1]} in
		-C | --arg | --arg-env | --args-file | -j | --from | --timeout | --data | \
		    --file | --workflow | --status | --limit | --keep | --since | --only | \
		    --older-than | -o | --output | --metrics-file)
			continue ;;
		esac
		if [[ -z $cmd ]]; then
			case $w in
			-C) _muster_cmd+=(-C "${words[i + 1]}") ;;
			-C?*) _muster_cmd+=("$w") ;;
			-*) ;;
			*) cmd=$w ;;
			esac
		elif [[ ($cmd == service || $cmd == mcp) && -z $sub &&
		    $w != -* ]]; then
			sub=$w
		elif [[ -z $target && $w != -* ]]; then
			target=$w
		fi
	done

	case $prev in
	-C)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	--args-file | --data | --file | -o | --output | --metrics-file)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	--workflow)
		_muster_reply "$(_muster_names workflows)"
		return ;;
	--status)
		_muster_reply running completed failed interrupted cancelled timed_out paused
		return ;;
	--arg)
		[[ $cmd == run && -n $target ]] || return
		compopt -o nospace 2>/dev/null
		# Names first; once NAME= is typed, the values of its enum.
		if [[ $cur == *=* ]]; then
			_muster_reply "$(_muster_args "$target" | grep -v '=$')"
		else
			_muster_reply "$(_muster_args "$target" | grep '=$')"
		fi
		return ;;
	-j | --limit | --keep | --timeout | --older-than | --from)
		return ;;
	esac
	case $cur in
	--color=*) _muster_reply auto always never; return ;;
	--format=*) _muster_reply dot text; return ;;
	--missingkey=*) _muster_reply default error; return ;;
	esac

	case $cmd in
	'')	opts="-C -v -q --color= --json --help --version"
		names=$commands ;;
	run)	opts="--arg --arg-env --args-file -j --dry-run --keep-going --timeout --fsync
		    --metrics-file --only --from"
		[[ -z $target ]] && names=$(_muster_names workflows) ;;
	resume)	opts="--last -j --keep-going --from --from-checkpoint --arg --arg-env"
		[[ -z $target ]] && names=$(_muster_names executions) ;;
	status | cancel)
		opts="--last --json"
		[[ -z $target ]] && names=$(_muster_names executions) ;;
	trace | report)
		opts="--output"
		[[ -z $target ]] && names=$(_muster_names executions) ;;
	pause | checkpoint)
		opts="--last"
		[[ -z $target ]] && names=$(_muster_names executions) ;;
	logs)	opts="--last --follow"
		[[ -z $target ]] && names=$(_muster_names executions) ;;
	history) opts="--workflow --status --since --limit --json" ;;
	gc)	opts="--older-than --keep --dry-run" ;;
	call)	opts="--arg --arg-env --args-file"
		[[ -z $target ]] && names=$(_muster_names tools) ;;
	list)	opts="--online --json"
		[[ -z $target ]] && names="workflows tools serviceclasses mcpservers services executions" ;;
	show)	opts="--json"
		[[ -z $target ]] && names=$(_muster_names workflows) ;;
	graph)	opts="--format="
		[[ -z $target ]] && names=$(_muster_names workflows) ;;
	render)	opts="--data --missingkey= --shell --file --functions" ;;
	help)	[[ -z $target ]] && names=$commands ;;
	validate)
		if [[ $cur == -* ]]; then
			_muster_reply --online
			return
		fi
		mapfile -t COMPREPLY < <(compgen -f -X '!*.y*ml' -- "$cur"
			compgen -d -- "$cur")
		return ;;
	service)
		opts="--json"
		case $sub in
		'')	names="create start stop restart delete status wait logs scale list" ;;
		create)	opts="--arg --arg-env --args-file --timeout --no-wait --json"
			[[ -z $target ]] && names=$(_muster_names serviceclasses) ;;
		delete)	opts="--force --json"
			[[ -z $target ]] && names=$(_muster_names services) ;;
		start | restart | wait | scale)
			opts="--timeout --json"
			[[ -z $target ]] && names=$(_muster_names services) ;;
		stop | status)
			[[ -z $target ]] && names=$(_muster_names services) ;;
		logs)	opts="--follow"
			[[ -z $target ]] && names=$(_muster_names services) ;;
		esac ;;
	mcp)
		case $sub in
		'')	names="serve tools call" ;;
		serve)	opts="--tools" ;;
		tools)	opts="--json"
			[[ -z $target ]] && names=$(_muster_names mcpservers) ;;
		call)	opts="--arg --args-file --timeout"
			[[ -z $target ]] && names=$(_muster_names mcpservers) ;;
		esac ;;
	esac
	if [[ $cur == -* ]]; then
		_muster_reply "$opts"
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	else
		_muster_reply "$names"
	fi
}
complete -F _muster muster
