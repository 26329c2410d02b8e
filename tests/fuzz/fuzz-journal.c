/* fuzz-journal.c: libFuzzer harness for the journal and summary readers.
 *
 * Input: one flags byte, then the journal's records, one payload a line;
 * each is framed ("<length> <crc32c> <payload>\n") unless flag bit 0 asks
 * for the bytes as they are (to reach the framing too).  What follows a
 * line "SUMMARY" is summary.json (else there is none).  The execution is
 * then read by every command that reads one: status, status --json,
 * history, history --json, trace, report, and resume up to the point
 * where it would start a step.  Nothing may crash, leak or trip a sanitizer. */
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "state/journal.h"
#include "state/record.h"
#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ID	"20260101-000000-abcd"

static char	*top, *state, *exec_dir;

static const char	wf[] = "apiVersion: muster.giantswarm.io/v1alpha1\n"
    "kind: Workflow\nmetadata: {name: w}\nspec:\n  args:\n"
    "    token: {type: string, secret: true, default: x}\n"
    "  steps:\n  - {id: a, run: 'true'}\n"
    "  - id: l\n    forEach: {items: [1, 2], steps: [{id: i, run: 'true'}]}\n";

static void
discard(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)len;
	(void)arg;
}

static void
put(const char *path, const void *p, size_t n)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		fatal("cannot write '%s':", path);
	close(fd);
}

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*d;
	int		 fd;

	top = xasprintf("%s/muster-fuzz-journal.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		fatal("cannot make '%s':", top);
	d = xasprintf("%s/.muster", top);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/.muster/workflows", top);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/.muster/workflows/w.yaml", top);
	put(d, wf, sizeof wf - 1);
	free(d);
	state = xasprintf("%s/.muster/state", top);
	mkdir(state, 0700);
	d = xasprintf("%s/executions", state);
	mkdir(d, 0700);
	free(d);
	exec_dir = xasprintf("%s/executions/" ID, state);
	mkdir(exec_dir, 0700);
	if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(fd, 1);
		close(fd);
	}
}

/* Writes the journal: each line of p framed as journal_append() would. */
static void
put_journal(const char *p, size_t n, int raw)
{
	struct buf	 b = BUF_INIT;
	const char	*end = p + n, *nl;
	char		*path = xasprintf("%s/journal", exec_dir);

	while (!raw && p < end) {
		size_t	len;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		buf_printf(&b, "%zu %08x ", len, crc32c(0, p, len));
		buf_add(&b, p, len);
		buf_addc(&b, '\n');
		p += len + 1;
	}
	if (raw)
		put(path, p, n);
	else
		put(path, b.s, b.len);
	free(path);
	buf_release(&b);
}

/* Runs command fn as `muster -C top NAME ARGS...` would. */
static void
command(int (*fn)(struct ctx *, int, char **), const char *name, int json,
    const char *arg)
{
	struct ctx	 ctx = { .dir = top, .verbose = -1, .json = json };
	char		*argv[] = { (char *)name, (char *)arg, NULL };

	optind = 0;
	error_set_sink(discard, NULL);
	fn(&ctx, arg != NULL ? 2 : 1, argv);
	fflush(stdout);
}

/* What resume reads before it starts a step. */
static void
plan_resume(void)
{
	struct journal_scan	 scan;
	struct prior		 pr;
	size_t			 i;
	int			 dfd = open(exec_dir, O_RDONLY | O_DIRECTORY);

	error_set_sink(discard, NULL);
	if (dfd >= 0 && record_prior(dfd, exec_dir, ID, &pr, &scan) == 0) {
		for (i = 0; i < pr.n; i++)
			(void)json_object_to_json_string(prior_result(
			    &pr.all[i]));
		(void)record_parse_time(json_object_get_string(
		    json_object_object_get(pr.doc, "started_at")));
		prior_release(&pr);
	}
	if (dfd >= 0)
		close(dfd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	const char	*p = (const char *)in + 1, *sum;
	char		*path;
	size_t		 n;

	if (top == NULL)
		setup();
	if (len < 1)
		return 0;
	n = len - 1;
	sum = memmem(p, n, "\nSUMMARY\n", 9);
	put_journal(p, sum != NULL ? (size_t)(sum - p) : n, in[0] & 1);
	path = xasprintf("%s/summary.json", exec_dir);
	if (sum != NULL)
		put(path, sum + 9, n - (size_t)(sum + 9 - p));
	else
		unlink(path);
	free(path);
	command(cmd_status, "status", 0, NULL);
	command(cmd_status, "status", 1, ID);
	command(cmd_history, "history", 0, NULL);
	command(cmd_history, "history", 1, NULL);
	command(cmd_trace, "trace", 0, ID);
	command(cmd_report, "report", 0, ID);
	plan_resume();
	return 0;
}
