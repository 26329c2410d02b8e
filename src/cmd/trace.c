/* cmd-trace.c: `muster trace [ID] [-o FILE]`: an execution as Chrome
 * trace-event JSON; also the shared code of `muster report`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "observe/otlp.h"
#include "observe/trace.h"
#include "state/record.h"

static const struct option	export_opts[] = {
	{ "output",	required_argument,	NULL,	'o' },
	{ "format",	required_argument,	NULL,	'f' },
	{ NULL,		0,			NULL,	0 }
};

/*
 * Writes to path (or stdout for NULL or "-"); 0, or the exit code.  The
 * output is made whole first, so a failed export leaves path alone.
 */
static int
write_out(const char *path, int (*fn)(FILE *, const char *, const char *,
    const struct project *), const char *state, const char *id,
    const struct project *p)
{
	FILE	*mem, *f = stdout;
	char	*text = NULL;
	size_t	 len = 0;
	int	 rc;

	if ((mem = open_memstream(&text, &len)) == NULL)
		fatal("out of memory");
	rc = fn(mem, state, id, p);
	if (fclose(mem) != 0)
		fatal("out of memory");
	if (rc == 0 && path != NULL && strcmp(path, "-") != 0 &&
	    (f = fopen(path, "we")) == NULL) {
		error("cannot write '%s':", path);
		rc = EXIT_IO;
	}
	if (rc == 0 && (fwrite(text, 1, len, f) != len || fflush(f) != 0)) {
		error("cannot write '%s':", f == stdout ? "standard output" :
		    path);
		rc = EXIT_IO;
	}
	if (f != stdout && f != NULL && fclose(f) != 0 && rc == 0) {
		error("cannot write '%s':", path);
		rc = EXIT_IO;
	}
	free(text);
	return rc;
}

/* The writer of format name, or NULL after saying which there are. */
static int
(*export_find(const struct export_format *formats, const char *name))(FILE *,
    const char *, const char *, const struct project *)
{
	const struct export_format	*f;
	struct buf			 known = BUF_INIT;

	for (f = formats; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f->fn;
	for (f = formats; f->name != NULL; f++)
		buf_printf(&known, "%s%s", f == formats ? "" : ", ", f->name);
	error("unknown format '%s' (use %s)", name, buf_str(&known));
	buf_release(&known);
	return NULL;
}

int
cmd_export(struct ctx *ctx, int argc, char **argv, const char *name,
    const struct export_format *formats)
{
	int		(*fn)(FILE *, const char *, const char *,
			    const struct project *) = formats[0].fn;
	struct project	*p;
	const char	*out = NULL, *id;
	char		*state, **ids = NULL;
	size_t		 n = 0, i;
	int		 c, rc;

	while ((c = cmd_getopt(ctx, argc, argv, "o:", export_opts)) != -1)
		if (c == 'o')
			out = optarg;
		else if (c == 'f' &&
		    (fn = export_find(formats, optarg)) == NULL)
			return EXIT_USAGE;
		else if (c != 'f')
			return cmd_usage(cmd_find(name));
	if (argc - optind > 1)
		return cmd_usage(cmd_find(name));
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if (optind < argc)
		id = argv[optind];
	else if ((id = record_latest(state, &ids, &n)) == NULL)
		rc = EXIT_STATE;
	if (rc == 0)
		rc = write_out(out, fn, state, id, p);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(state);
	project_free(p);
	return rc;
}

int
cmd_trace(struct ctx *ctx, int argc, char **argv)
{
	static const struct export_format	formats[] = {
		{ "chrome", trace_write }, { "otlp-json", otlp_write },
		{ NULL, NULL }
	};

	return cmd_export(ctx, argc, argv, "trace", formats);
}
