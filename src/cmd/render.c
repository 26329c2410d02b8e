/* cmd-render.c: `muster render`: one template against JSON data. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "tmpl/tmpl.h"
#include "base/util.h"

enum { OPT_DATA = 0x300, OPT_MISSINGKEY, OPT_SHELL, OPT_FILE,
	OPT_FUNCTIONS };

static const struct option	render_options[] = {
	{ "data",	required_argument,	NULL,	OPT_DATA },
	{ "missingkey",	required_argument,	NULL,	OPT_MISSINGKEY },
	{ "shell",	no_argument,		NULL,	OPT_SHELL },
	{ "file",	required_argument,	NULL,	OPT_FILE },
	{ "functions",	no_argument,		NULL,	OPT_FUNCTIONS },
	{ NULL,		0,			NULL,	0 }
};

/* A Markdown table cell: a code span, '|' escaped, newlines as \n. */
static void
cell(const char *s, size_t n)
{
	size_t	i;

	fputs("`` ", stdout);
	for (i = 0; i < n; i++) {
		if (s[i] == '|')
			fputs("\\|", stdout);
		else if (s[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(s[i]);
	}
	fputs(" ``", stdout);
}

/* One row of --functions: the signature, the example and its output. */
static void
function_row(void *arg, const char *name, const char *sig,
    const char *example)
{
	struct tmpl_error	 err;
	struct tmpl		*t;
	struct buf		 out = BUF_INIT;

	(void)arg;
	fputs("| ", stdout);
	cell(sig, strlen(sig));
	fputs(" | ", stdout);
	if (*example != '\0') {
		cell(example, strlen(example));
		fputs(" | ", stdout);
		t = tmpl_parse(example, strlen(example), &err);
		if (t == NULL || tmpl_render(t, NULL, TMPL_MISSING_DEFAULT,
		    &out, &err) < 0)
			printf("error: %s", err.msg);
		else
			cell(out.s != NULL ? out.s : "", out.len);
		tmpl_free(t);
	} else
		printf("(%s: see the text) | ", name);
	fputs(" |\n", stdout);
	buf_release(&out);
}

static int
read_all(const char *path, struct buf *b)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char	 chunk[65536];
	size_t	 n;

	if (f == NULL)
		return error("cannot open '%s':", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		return error("cannot read '%s':", path);
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

/* Parses the whole of path as one strict JSON document. */
static int
load_data(const char *path, struct json_object **out)
{
	struct buf		 b = BUF_INIT;
	struct json_tokener	*tok;
	enum json_tokener_error	 e;
	size_t			 end;
	const char		*name = strcmp(path, "-") == 0 ? "<stdin>" :
				    path;

	*out = NULL;
	if (read_all(path, &b) < 0) {
		buf_release(&b);
		return -1;
	}
	if ((tok = json_tokener_new_ex(TMPL_MAX_DEPTH)) == NULL)
		fatal("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* the NUL after the text ends a number or literal at the end */
	*out = json_tokener_parse_ex(tok, buf_str(&b), (int)b.len + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_success && end >= b.len) {
		buf_release(&b);
		return 0;
	}
	json_object_put(*out);
	*out = NULL;
	buf_release(&b);
	if (e == json_tokener_continue)
		return error("%s: invalid JSON at byte %zu: unexpected end of "
		    "data", name, end);
	if (e == json_tokener_success)
		return error("%s: invalid JSON at byte %zu: trailing data "
		    "after the document", name, end);
	return error("%s: invalid JSON at byte %zu: %s", name, end,
	    json_tokener_error_desc(e));
}

static int
fail_template(const struct tmpl_error *e)
{
	error("template:%d:%d: %s", e->line, e->col, e->msg);
	return EXIT_USAGE;
}

int
cmd_render(struct ctx *ctx, int argc, char **argv)
{
	const struct cmd	*self = cmd_find("render");
	const char		*data = NULL, *file = NULL;
	struct buf		 src = BUF_INIT;
	struct json_object	*j = NULL;
	struct tmpl_error	 err;
	struct tmpl		*t;
	struct buf		 out = BUF_INIT;
	unsigned		 flags = 0;
	int			 c, r;

	while ((c = cmd_getopt(ctx, argc, argv, "", render_options)) != -1) {
		if (c == OPT_DATA)
			data = optarg;
		else if (c == OPT_FILE)
			file = optarg;
		else if (c == OPT_SHELL)
			flags |= TMPL_SHELL;
		else if (c == OPT_FUNCTIONS) {
			printf("| Function | Example | Output |\n"
			    "|---|---|---|\n");
			tmpl_functions(function_row, NULL);
			return 0;
		}
		else if (c == OPT_MISSINGKEY && strcmp(optarg, "default") == 0)
			flags |= TMPL_MISSING_DEFAULT;
		else if (c == OPT_MISSINGKEY && strcmp(optarg, "error") == 0)
			flags &= ~(unsigned)TMPL_MISSING_DEFAULT;
		else if (c == OPT_MISSINGKEY) {
			error("--missingkey: expected default or error, not "
			    "'%s'", optarg);
			return EXIT_USAGE;
		} else
			return cmd_usage(self);
	}
	if (optind + (file == NULL) != argc)
		return cmd_usage(self);
	if (file != NULL && read_all(file, &src) < 0) {
		buf_release(&src);
		return EXIT_USAGE;
	}
	if (file == NULL)
		buf_adds(&src, argv[optind]);
	t = tmpl_parse(buf_str(&src), src.len, &err);
	buf_release(&src);
	if (t == NULL)
		return fail_template(&err);
	if (data != NULL && load_data(data, &j) < 0) {
		tmpl_free(t);
		return EXIT_USAGE;
	}
	r = tmpl_render(t, j, flags, &out, &err);
	if (r == 0 && out.len > 0 && fwrite(out.s, 1, out.len, stdout) !=
	    out.len)
		r = error("cannot write the output:") - 1;
	if (r == 0 && fflush(stdout) != 0)
		r = error("cannot write the output:") - 1;
	tmpl_free(t);
	json_object_put(j);
	buf_release(&out);
	if (r == -1)
		return fail_template(&err);
	return r == 0 ? 0 : EXIT_IO;
}
