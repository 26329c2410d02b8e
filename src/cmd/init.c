/* init.c: `muster init`: a starter .muster folder, never over another. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "cmd/cmd.h"

static const char	workflow[] =
"# A workflow: steps that run in order (or by dependsOn), each a shell\n"
"# script (run:) or a tool (tool: with args:).  Run it with\n"
"#   muster run hello --arg name=you\n"
"# and see 'man muster-workflow' for every field.\n"
"apiVersion: muster.giantswarm.io/v1alpha1\n"
"kind: Workflow\n"
"metadata:\n"
"  name: hello\n"
"spec:\n"
"  description: Say hello, then show what the first step returned\n"
"  args:\n"
"    name: {type: string, default: world, description: whom to greet}\n"
"  steps:\n"
"    - id: greet\n"
"      tool: x_greet                 # .muster/tools/greet.yaml\n"
"      args: {name: \"{{ .input.name }}\"}\n"
"    - id: show\n"
"      # A value from a template is quoted for the shell: no injection.\n"
"      run: 'echo \"greet said: {{ .results.greet.stdout }}\"'\n"
"      dependsOn: [greet]\n";

static const char	tool[] =
"# A tool: a command with declared arguments that steps call by name.\n"
"apiVersion: muster.giantswarm.io/v1alpha1\n"
"kind: Tool\n"
"metadata:\n"
"  name: x_greet\n"
"spec:\n"
"  description: Print a greeting\n"
"  args:\n"
"    name: {type: string, required: true}\n"
"  # An argv: each element is one argument, no shell in between.\n"
"  command: [echo, \"hello, {{ .input.name }}\"]\n";

static const char	gitignore[] =
"# What muster records of its runs: not for version control.\n"
"/state/\n";

/* Writes text to dir/name, which must not exist yet. */
static int
write_new(const char *dir, const char *name, const char *text)
{
	char	*path = xasprintf("%s/%s", dir, name);
	size_t	 len = strlen(text);
	int	 fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		rc = error("cannot write '%s':", path);
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = error("cannot write '%s':", path);
	free(path);
	return rc;
}

static int
make_dir(const char *path)
{
	if (mkdir(path, 0777) < 0)
		return error("cannot create '%s':", path);
	return 0;
}

int
cmd_init(struct ctx *ctx, int argc, char **argv)
{
	const char	*root;
	char		*dir, *wf, *tl;
	struct stat	 st;
	int		 rc = EXIT_IO;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || optind != argc)
		return cmd_usage(cmd_find("init"));
	root = ctx->dir != NULL ? ctx->dir : ".";
	dir = ctx->dir != NULL ? xasprintf("%s/.muster", root) :
	    xstrdup(".muster");
	if (lstat(dir, &st) == 0 || errno != ENOENT) {
		error("'%s' already exists; nothing written", dir);
		free(dir);
		return EXIT_USAGE;
	}
	wf = xasprintf("%s/workflows", dir);
	tl = xasprintf("%s/tools", dir);
	if (make_dir(dir) == 0 && make_dir(wf) == 0 && make_dir(tl) == 0 &&
	    write_new(dir, ".gitignore", gitignore) == 0 &&
	    write_new(wf, "hello.yaml", workflow) == 0 &&
	    write_new(tl, "greet.yaml", tool) == 0) {
		rc = 0;
		if (ctx->verbose >= 0)
			printf("created %s: try 'muster run hello'\n", dir);
	}
	free(wf);
	free(tl);
	free(dir);
	return rc;
}
