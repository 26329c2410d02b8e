/* replay.c: runs a fuzz harness on files, as libFuzzer would, without it.
 *
 * `replay-NAME FILE...` feeds each file to LLVMFuzzerTestOneInput once; a
 * crash or a sanitizer report (make DEVELOPER=1) fails the test that runs
 * it.  Prints the number of files replayed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	main(int, char **);

int
main(int argc, char **argv)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[65536];
	size_t		 n;
	FILE		*f;
	int		 i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL)
			fatal("cannot open '%s':", argv[i]);
		buf_truncate(&b, 0);
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)b.s, b.len);
	}
	buf_release(&b);
	/* stderr: the harnesses may send stdout to /dev/null. */
	fprintf(stderr, "replayed %d file%s\n", argc - 1, argc == 2 ? "" :
	    "s");
	return 0;
}
