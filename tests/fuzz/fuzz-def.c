/* fuzz-def.c: libFuzzer harness for the definition loader, checker and planner.
 *
 * Input: one flags byte, then a file's bytes.  The flags' low two bits say
 * what the file is (a workflow, a tool, a service class or config.yaml); it
 * is loaded with a fixed tool and service class beside it, and, when the
 * project loads, every workflow is planned as `run -n` would (bit 2: with
 * --json).  Nothing may crash, leak or trip a sanitizer, whatever the
 * input. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "def/project.h"
#include "engine/plan.h"
#include "base/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*top;		/* the project folder */

static const char	tool[] = "apiVersion: muster.giantswarm.io/v1alpha1\n"
    "kind: Tool\nmetadata: {name: t1}\nspec:\n  args:\n"
    "    msg: {type: string, default: hi}\n"
    "  run: 'echo {{ .input.msg }}'\n";
static const char	class[] = "apiVersion: muster.giantswarm.io/v1alpha1\n"
    "kind: ServiceClass\nmetadata: {name: c1}\nspec:\n"
    "  args:\n    port: {type: integer, default: 8088}\n"
    "  serviceConfig:\n    daemon:\n      command: [sleep, '{{ .input.port }}']\n"
    "    outputs:\n      url: 'http://127.0.0.1:{{ .input.port }}/'\n";
static const char *const	where[] = { "workflows/fuzz.yaml",
				    "tools/fuzz.yaml",
				    "serviceclasses/fuzz.yaml", "config.yaml" };

static void
discard(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)len;
	(void)arg;
}

static void
put(const char *name, const void *p, size_t n)
{
	char	*path = xasprintf("%s/.muster/%s", top, name);
	int	 fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		fatal("cannot write '%s':", path);
	close(fd);
	free(path);
}

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*d;
	int		 fd;

	top = xasprintf("%s/muster-fuzz-def.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		fatal("cannot make '%s':", top);
	d = xasprintf("%s/.muster", top);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/.muster/workflows", top);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/.muster/tools", top);
	mkdir(d, 0700);
	free(d);
	d = xasprintf("%s/.muster/serviceclasses", top);
	mkdir(d, 0700);
	free(d);
	put("tools/t1.yaml", tool, sizeof tool - 1);
	put("serviceclasses/c1.yaml", class, sizeof class - 1);
	if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(fd, 1);
		close(fd);
	}
	error_set_sink(discard, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct args		 a = ARGS_INIT;
	struct project		*p;
	struct json_object	*input;
	const char		*name;
	size_t			 i;
	int			 missing;

	if (top == NULL)
		setup();
	if (len < 1)
		return 0;
	name = where[in[0] & 3];
	put(name, in + 1, len - 1);
	error_set_sink(discard, NULL);	/* project_load() resets it */
	if ((p = project_load(top, NULL, 0, &missing)) != NULL) {
		for (i = 0; i < p->nworkflows; i++)
			if (args_input(&a, &p->workflows[i]->args,
			    &input) == 0) {
				plan_print(p, p->workflows[i], input,
				    (in[0] & 4) != 0);
				json_object_put(input);
			}
		project_free(p);
	}
	fflush(stdout);
	{
		char	*path = xasprintf("%s/.muster/%s", top, name);

		unlink(path);
		free(path);
	}
	return 0;
}
