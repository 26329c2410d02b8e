/* fuzz-args.c: libFuzzer harness for `--arg K=V` and `--args-file F`.
 *
 * Input: lines.  Every line before a line "---FILE" is one --arg; what
 * follows that line is the --args-file's bytes.  They are checked against
 * a workflow whose arguments have every type and check, and read loosely
 * as for a built-in tool.  Nothing may crash, leak or trip a sanitizer. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "def/project.h"
#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct project	*proj;
static char		*file;

static const char	wf[] = "apiVersion: muster.giantswarm.io/v1alpha1\n"
    "kind: Workflow\nmetadata: {name: w}\nspec:\n  args:\n"
    "    s: {type: string, validation: {minLength: 1, maxLength: 8,\n"
    "        pattern: '^[a-z]+$'}}\n"
    "    e: {type: string, enum: [a, b]}\n"
    "    n: {type: integer, validation: {min: -5, max: 100000000000}}\n"
    "    f: {type: number, validation: {min: 0.5}}\n"
    "    b: {type: boolean, default: false}\n"
    "    l: {type: array}\n"
    "    o: {type: object}\n"
    "    k: {type: string, secret: true}\n"
    "    r: {type: string, required: true}\n"
    "  steps:\n  - {id: a, run: 'true'}\n";

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

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		fatal("cannot write '%s':", path);
	close(fd);
}

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*top, *d;
	int		 missing;

	top = xasprintf("%s/muster-fuzz-args.XXXXXX", tmp ? tmp : "/tmp");
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
	if ((proj = project_load(top, NULL, 0, &missing)) == NULL ||
	    proj->nworkflows != 1)
		fatal("the fixed workflow does not load");
	file = xasprintf("%s/args.yaml", top);
	free(top);
	error_set_sink(discard, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct args		 a = ARGS_INIT;
	struct json_object	*out = NULL;
	char			*text = xmalloc(len + 1), *line, *next, *sep;
	char			*lines = text;

	if (proj == NULL)
		setup();
	memcpy(text, in, len);
	text[len] = '\0';
	if ((sep = memmem(text, len, "---FILE\n", 8)) != NULL &&
	    (sep == text || sep[-1] == '\n')) {
		put(file, sep + 8, len - (size_t)(sep + 8 - text));
		a.file = file;
		*sep = '\0';
	}
	for (line = lines; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		args_add(&a, line);
	}
	error_set_sink(discard, NULL);
	if (args_input(&a, &proj->workflows[0]->args, &out) == 0)
		json_object_put(out);
	json_object_put(args_loose(&a));
	args_release(&a);
	free(text);
	return 0;
}
