#!/usr/bin/zsh -f
# zsh-complete.zsh FPATH-DIR LINE: prints, one a line, the words zsh's
# completion system offers at the end of LINE, with the completion
# functions of FPATH-DIR (an interactive zsh driven through zpty; the
# words are caught by wrapping compadd).
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "PROMPT=; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"; return
	fi
	local -a __w; builtin compadd -A __w "$@"
	(( $#__w )) || return 1
	print -rl -- "" "<w>"${^__w}
}'
zpty -w z "print '<ready>'"
zpty -r z line '*<ready>*'
zpty -r z line '*<ready>*'
zpty -w -n z "$2"$'\t'$'\C-u'
zpty -w z "print '<done>'"
out=
while zpty -r z line; do
	out+=$line
	[[ $line == '<done>'* ]] && break
done
zpty -d z
print -r -- $out | tr -d '\r' | sed -n 's/^<w>//p'
