/* journal-bench.c: what recording one step costs: its three journal
 * records (running, pid, completed), appended as muster appends them,
 * and with --fsync synced as muster syncs them: once before each step
 * starts (covering the last step's completion too) and once at the end. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/journal.h"
#include "base/util.h"

static double
run(const char *dir, int steps, unsigned flags)
{
	struct journal	j;
	char		rec[512];
	int		dfd, i, n;
	int64_t		t0, t1;

	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	unlinkat(dfd, "journal", 0);
	if (dfd < 0 || journal_open(&j, dfd, "journal", dir, flags) < 0)
		exit(1);
	t0 = clock_mono_ns();
	for (i = 0; i < steps; i++) {
		n = snprintf(rec, sizeof rec, "{\"t\":\"step\",\"k\":\"s%d\","
		    "\"s\":\"running\",\"a\":1,\"at\":\"2026-11-23T16:00:00.000Z\","
		    "\"h\":\"0123456789abcdef\"}", i);
		journal_append(&j, rec, (size_t)n);
		journal_sync(&j);	/* the step starts now */
		n = snprintf(rec, sizeof rec, "{\"t\":\"pid\",\"k\":\"s%d\","
		    "\"pid\":12345,\"ps\":987654,\"boot\":\"52b955cb-3c97-4500-"
		    "a8b3-4cfbef79e789\"}", i);
		journal_append(&j, rec, (size_t)n);
		n = snprintf(rec, sizeof rec, "{\"t\":\"step\",\"k\":\"s%d\","
		    "\"s\":\"completed\",\"a\":1,\"at\":\"2026-11-23T16:00:00.001Z"
		    "\",\"h\":\"0123456789abcdef\",\"from\":\"2026-11-23T16:00:00"
		    ".000Z\",\"ms\":1,\"exit\":0,\"input\":{},\"result\":{\"stdout"
		    "\":\"\"}}", i);
		journal_append(&j, rec, (size_t)n);
	}
	journal_sync(&j);
	t1 = clock_mono_ns();
	journal_close(&j);
	close(dfd);
	return (double)(t1 - t0) / 1e3 / steps;
}

int
main(int argc, char **argv)
{
	const char	*dir = argc > 1 ? argv[1] : ".";
	int		 steps = argc > 2 ? atoi(argv[2]) : 10000;

	printf("journal, 3 records a step, %d steps, in %s:\n", steps, dir);
	printf("  default (survives a crash of muster): %8.2f us a step\n",
	    run(dir, steps, 0));
	printf("  --fsync (survives a power cut):       %8.2f us a step\n",
	    run(dir, steps > 2000 ? 2000 : steps, JOURNAL_SYNC));
	return 0;
}
