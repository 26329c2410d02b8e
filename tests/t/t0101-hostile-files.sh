#!/bin/sh
# t0101-hostile-files.sh: definition files that are not what they seem fail
# fast with a clear message (or load, for BOM and CRLF), and never hang.
. "$(dirname "$0")/lib.sh"

W=.muster/workflows
good='apiVersion: muster.giantswarm.io/v1alpha1
kind: Workflow
metadata: {name: w}
spec:
  steps: [{id: a, run: echo}]'

fresh() {
	rm -rf .muster && mkdir -p $W
}

test_expect_success 'a FIFO is not read' '
	fresh && mkfifo $W/fifo.yaml &&
	test_expect_code 2 timeout 5 "$MUSTER" validate 2>err &&
	echo "muster: '"'"'.muster/workflows/fifo.yaml'"'"' is not a regular file" >expect &&
	test_cmp expect err
'

test_expect_success 'a link to /dev/zero is not read' '
	fresh && ln -s /dev/zero $W/zero.yaml &&
	test_expect_code 2 timeout 5 "$MUSTER" validate 2>err &&
	grep "zero.yaml'"'"' is not a regular file" err
'

test_expect_success 'a folder named like a file is not read' '
	fresh && mkdir $W/dir.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "dir.yaml'"'"' is not a regular file" err
'

test_expect_success 'a file over 4 MiB is refused before it is read' '
	fresh && head -c 4194305 /dev/zero | tr "\0" "#" >$W/big.yaml &&
	test_expect_code 2 muster validate 2>err &&
	echo "muster: '"'"'.muster/workflows/big.yaml'"'"' is too large (4194305 bytes; the limit is 4 MiB)" >expect &&
	test_cmp expect err
'

test_expect_success 'a NUL byte is reported where it is' '
	fresh && printf "%s\n" "$good" >$W/nul.yaml &&
	printf "# x\0y\n" >>$W/nul.yaml &&
	test_expect_code 2 muster validate 2>err &&
	echo ".muster/workflows/nul.yaml:6:4: error: NUL byte in file (byte offset 116)" >expect &&
	test_cmp expect err
'

test_expect_success 'invalid UTF-8 is reported where it is' '
	fresh && printf "%s\n# caf\351\n" "$good" >$W/latin1.yaml &&
	test_expect_code 2 muster validate 2>err &&
	echo ".muster/workflows/latin1.yaml:6:6: error: invalid UTF-8 (byte offset 118)" >expect &&
	test_cmp expect err
'

test_expect_success 'UTF-16 is refused with a reason' '
	fresh && printf "\377\376a\0:\0 \0b\0\n\0" >$W/u16.yaml &&
	test_expect_code 2 muster validate 2>err &&
	echo ".muster/workflows/u16.yaml:1:1: error: file is UTF-16; muster reads UTF-8" >expect &&
	test_cmp expect err
'

test_expect_success 'a UTF-8 BOM and CRLF line ends load' '
	fresh && printf "\357\273\277%s\n" "$good" | sed "s/\$/\r/" >$W/bom.yaml &&
	muster validate
'

test_expect_success 'with CRLF line ends, errors keep their line numbers' '
	fresh && printf "%s\n  timeout: 5x\n" "$good" | sed "s/\$/\r/" >$W/crlf.yaml &&
	test_expect_code 2 muster validate 2>err &&
	echo ".muster/workflows/crlf.yaml:6:12: error: bad duration '"'"'5x'"'"' for '"'"'timeout'"'"': unknown unit (ns, us, ms, s, m, h)" >expect &&
	test_cmp expect err
'

test_expect_success 'a million open brackets fail at depth 65, at once' '
	fresh && python3 -c "print(\"a: \" + \"[\" * 1000000)" >$W/deep.yaml &&
	test_expect_code 2 timeout 5 "$MUSTER" validate 2>err &&
	echo ".muster/workflows/deep.yaml:1:67: error: nesting too deep (limit 64)" >expect &&
	test_cmp expect err
'

test_expect_success 'a deep nest of mappings fails the same way' '
	fresh && python3 -c "print(\"a: \" + \"{b: \" * 10000 + \"1\" + \"}\" * 10000)" >$W/deepmap.yaml &&
	test_expect_code 2 timeout 5 "$MUSTER" validate 2>err &&
	grep "nesting too deep (limit 64)" err
'

test_expect_success 'a billion laughs with 20 levels fails fast' '
	fresh && python3 -c "
import sys
print(\"l0: &l0 [x, x, x, x, x, x, x, x, x]\")
for i in range(1, 20):
    print(\"l%d: &l%d [%s]\" % (i, i, \", \".join([\"*l%d\" % (i - 1)] * 9)))
" >$W/lol.yaml &&
	test_expect_code 2 timeout 5 "$MUSTER" validate 2>err &&
	grep "aliases expand to more than 100000 nodes" err
'

test_expect_success 'empty documents are fine, an empty file is an error' '
	fresh && printf "%s\n---\n---\n" "$good" >$W/docs.yaml &&
	muster validate &&
	: >$W/empty.yaml &&
	test_expect_code 2 muster validate 2>err &&
	grep "empty.yaml:1:1: error: the file holds no definition" err
'

test_done
