#!/bin/sh
# t1000-render.sh: `muster render`: data, options, exit codes and the exact
# text of its errors.
. "$(dirname "$0")/lib.sh"

test_expect_success 'renders against a data file' '
	echo "{\"input\":{\"app\":\"web\"},\"results\":{\"build\":{\"tag\":\"\"}}}" >d.json &&
	muster render --data d.json "{{ .input.app }}-{{ .results.build.tag | default \"latest\" }}" >out &&
	printf "web-latest" >expect &&
	test_cmp expect out
'

test_expect_success 'reads data from standard input' '
	echo "[1, 2.0, \"x\", null]" | muster render --data - "{{.}}" >out &&
	printf "[1 2 x <nil>]" >expect &&
	test_cmp expect out
'

test_expect_success 'without --data the data is null' '
	muster render --missingkey=default "{{.}}|{{.a}}" >out &&
	printf "<no value>|<no value>" >expect &&
	test_cmp expect out
'

test_expect_success 'adds no newline of its own' '
	muster render "a" >out &&
	printf "a" >expect &&
	test_cmp expect out
'

test_expect_success 'reads the template from a file or stdin' '
	printf "{{.n}}\n" >t.tmpl &&
	echo "{\"n\": 7}" >d.json &&
	muster render --data d.json --file t.tmpl >out &&
	printf "{{.n}}!" | muster render --data d.json --file - >>out &&
	printf "7\n7!" >expect &&
	test_cmp expect out
'

test_expect_success 'a template starting with a dash after --' '
	muster render -- "-{{1}}-" >out &&
	printf -- "-1-" >expect &&
	test_cmp expect out
'

test_expect_success 'a missing key is an error by default' '
	echo "{\"input\":{}}" >d.json &&
	test_expect_code 2 muster render --data d.json "v{{ .input.version }}" >out 2>err &&
	echo "muster: template:1:5: at <.input.version>: map has no entry for key \"version\"" >expect &&
	test_cmp expect err &&
	test_must_fail test -s out
'

test_expect_success '--missingkey=default prints <no value>' '
	echo "{\"input\":{}}" >d.json &&
	muster render --missingkey=default --data d.json "v{{ .input.version }}" >out &&
	printf "v<no value>" >expect &&
	test_cmp expect out
'

test_expect_success 'a parse error names line and column' '
	test_expect_code 2 muster render "ok
  {{ if }}" 2>err &&
	echo "muster: template:2:9: missing value for if" >expect &&
	test_cmp expect err
'

test_expect_success 'an unknown function is a parse error' '
	test_expect_code 2 muster render "{{ nope . }}" 2>err &&
	echo "muster: template:1:4: function \"nope\" not defined" >expect &&
	test_cmp expect err
'

test_expect_success 'an undefined variable is a parse error' '
	test_expect_code 2 muster render "{{\$x}}" 2>err &&
	echo "muster: template:1:3: undefined variable \"\$x\"" >expect &&
	test_cmp expect err
'

test_expect_success 'an execution error says where it happened' '
	echo "{\"a\":null}" >d.json &&
	test_expect_code 2 muster render --data d.json "{{.a.b}}" 2>err &&
	echo "muster: template:1:3: at <.a.b>: nil pointer evaluating interface {}.b" >expect &&
	test_cmp expect err
'

test_expect_success 'a function error names the function' '
	echo "{\"l\":[1]}" >d.json &&
	test_expect_code 2 muster render --data d.json "{{index .l 5}}" 2>err &&
	echo "muster: template:1:3: at <index .l 5>: error calling index: index out of range: 5" >expect &&
	test_cmp expect err
'

test_expect_success 'required fails with its message' '
	echo "{\"token\":\"\"}" >d.json &&
	test_expect_code 2 muster render --data d.json "{{ required \"set a token\" .token }}" 2>err &&
	echo "muster: template:1:4: at <required \"set a toke...>: error calling required: set a token" >expect &&
	test_cmp expect err
'

test_expect_success 'data must be one strict JSON document' '
	printf "[1,2" >bad.json &&
	test_expect_code 2 muster render --data bad.json "{{.}}" 2>err &&
	echo "muster: bad.json: invalid JSON at byte 4: unexpected end of data" >expect &&
	test_cmp expect err &&
	printf "{} {}" >bad.json &&
	test_expect_code 2 muster render --data bad.json "{{.}}" 2>err &&
	grep "^muster: bad.json: invalid JSON at byte 3: " err &&
	printf "{\"a\":1,}" >bad.json &&
	test_expect_code 2 muster render --data bad.json "{{.}}" 2>err &&
	grep "^muster: bad.json: invalid JSON at byte 7: " err
'

test_expect_success 'a missing data file' '
	test_expect_code 2 muster render --data nope.json "{{.}}" 2>err &&
	echo "muster: cannot open '"'"'nope.json'"'"': No such file or directory" >expect &&
	test_cmp expect err
'

test_expect_success 'usage errors' '
	test_expect_code 2 muster render 2>err &&
	grep "^muster: usage: muster render " err &&
	test_expect_code 2 muster render a b 2>err &&
	grep "^muster: usage: muster render " err &&
	test_expect_code 2 muster render --missingkey=bogus x 2>err &&
	echo "muster: --missingkey: expected default or error, not '"'"'bogus'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'help describes render' '
	muster help render >out &&
	grep "^usage: muster render \[--data FILE|-\]" out &&
	muster help >out &&
	grep "^  render " out
'

test_expect_success 'output is bounded' '
	test_expect_code 2 muster render "{{range 10000000}}x{{end}}" >out 2>err &&
	echo "muster: template:1:19: at <x>: output too large (limit 4194304 bytes)" >expect &&
	test_cmp expect err &&
	test_must_fail test -s out
'

test_expect_success 'a 10 MB output fails cleanly' '
	test_expect_code 2 muster render "{{range 10}}{{printf \"%1000000d\" 0}}{{end}}" >out 2>err &&
	grep "output too large" err
'

test_expect_success 'nesting is bounded (parentheses)' '
	python3 -c "print(\"{{\" + \"(\" * 100000 + \"1\" + \")\" * 100000 + \"}}\")" >deep.tmpl &&
	test_expect_code 2 muster render --file deep.tmpl 2>err &&
	echo "muster: template:1:1003: nesting too deep (limit 1000)" >expect &&
	test_cmp expect err
'

test_expect_success 'nesting is bounded (blocks)' '
	python3 -c "print(\"{{if 1}}\" * 100000 + \"{{end}}\" * 100000)" >deep.tmpl &&
	test_expect_code 2 muster render --file deep.tmpl 2>err &&
	echo "muster: template:1:8003: nesting too deep (limit 1000)" >expect &&
	test_cmp expect err
'

test_expect_success 'nesting just under the limit works with a small stack' '
	python3 -c "print(\"{{\" + \"(\" * 999 + \"1\" + \")\" * 999 + \"}}\", end=\"\")" >p.tmpl &&
	python3 -c "print(\"{{range .}}\" * 998 + \"{{.}}\" + \"{{end}}\" * 998, end=\"\")" >r.tmpl &&
	python3 -c "print(\"[\" * 998 + \"1\" + \"]\" * 998)" >deep.json &&
	(ulimit -s 1024 && muster render --file p.tmpl && muster render --data deep.json --file r.tmpl &&
	 muster render --data deep.json "{{len (toJson .)}} {{len (printf \"%v\" .)}}") >out &&
	printf "111997 1997" >expect &&
	test_cmp expect out
'

test_expect_success 'template recursion is bounded' '
	test_expect_code 2 muster render "{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\" .}}" 2>err &&
	echo "muster: template:1:17: at <template \"a\" .>: template recursion too deep (limit 1000)" >expect &&
	test_cmp expect err
'

test_expect_success '--shell escapes for each quoting context' '
	echo "{\"v\":\"it'"'"'s \$x\"}" >d.json &&
	muster render --shell --data d.json "echo {{.v}} \"{{.v}}\" '"'"'{{.v}}'"'"'" >out &&
	printf "%s" "echo '"'"'it'"'"'\\'"'"''"'"'s \$x'"'"' \"it'"'"'s \\\$x\" '"'"'it'"'"'\\'"'"''"'"'s \$x'"'"'" >expect &&
	test_cmp expect out
'

test_expect_success '--shell refuses a NUL byte' '
	echo "{\"v\":\"a\\u0000b\"}" >d.json &&
	test_expect_code 2 muster render --shell --data d.json "echo {{.v}}" 2>err &&
	echo "muster: template:1:8: at <.v>: a value with a NUL byte cannot be passed to the shell" >expect &&
	test_cmp expect err
'

test_expect_success '--shell refuses a value inside backquotes' '
	echo "{\"v\":\"x\"}" >d.json &&
	test_expect_code 2 muster render --shell --data d.json "echo \`{{.v}}\`" 2>err &&
	grep "use \\\$(...)" err
'

test_done
