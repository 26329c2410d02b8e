/* cmd-graph.c: `muster graph WORKFLOW [--format=dot|text]`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "def/graph.h"
#include "def/project.h"

/* Prints prefix and s as one DOT string, escaping quotes and backslashes. */
static void
dot_id2(const char *prefix, const char *s)
{
	printf("\"%s", prefix);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void
dot_id(const char *s)
{
	dot_id2("", s);
}

static void
print_dot(const struct workflow *w)
{
	size_t	i, k;

	printf("digraph ");
	dot_id(w->name);
	printf(" {\n\trankdir=LR;\n\tnode [shape=box];\n");
	for (i = 0; i < w->nsteps; i++) {
		const struct step	*s = w->steps[i];

		if (s->nsub == 0) {
			putchar('\t');
			dot_id(s->id);
			printf(";\n");
			continue;
		}
		printf("\tsubgraph ");
		dot_id2("cluster_", s->id);	/* Graphviz draws a box */
		printf(" {\n\t\tlabel=");
		dot_id2(s->kind == STEP_FOREACH ? "for each: " : "parallel: ",
		    s->id);
		printf(";\n\t\t");
		dot_id(s->id);
		printf(";\n");
		for (k = 0; k < s->nsub; k++) {
			printf("\t\t");
			dot_id(s->sub[k]->id);
			printf(";\n");
		}
		printf("\t}\n");
	}
	for (i = 0; i < w->nsteps; i++)
		for (k = 0; k < w->steps[i]->ndeps; k++) {
			putchar('\t');
			dot_id(w->steps[i]->dep_steps[k]->id);
			printf(" -> ");
			dot_id(w->steps[i]->id);
			printf(";\n");
		}
	printf("}\n");
}

static void
print_text(const struct workflow *w)
{
	struct step	**order = xcalloc(w->nsteps + 1, sizeof *order);
	size_t		  i, k;

	graph_order(w, order);
	for (i = 0; i < w->nsteps; i++) {
		const struct step	*s = order[i];

		printf("%s", s->id);
		for (k = 0; k < s->ndeps; k++)
			printf("%s%s", k ? ", " : " <- ", s->dep_steps[k]->id);
		putchar('\n');
		for (k = 0; k < s->nsub; k++)
			printf("  %s %s\n", s->kind == STEP_FOREACH ?
			    "for each:" : "parallel:", s->sub[k]->id);
	}
	free(order);
}

int
cmd_graph(struct ctx *ctx, int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "format",	required_argument,	NULL,	'f' },
		{ NULL,		0,			NULL,	0 }
	};
	struct project			*p;
	struct workflow			*w;
	const char			*format = "dot";
	int				 c, rc;

	while ((c = cmd_getopt(ctx, argc, argv, "", opts)) != -1) {
		if (c != 'f')
			return cmd_usage(cmd_find("graph"));
		format = optarg;
	}
	if (optind + 1 != argc)
		return cmd_usage(cmd_find("graph"));
	if (strcmp(format, "dot") != 0 && strcmp(format, "text") != 0) {
		error("--format: expected dot or text, not '%s'", format);
		return EXIT_USAGE;
	}
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	if ((w = cmd_workflow(p, argv[optind])) == NULL) {
		project_free(p);
		return EXIT_USAGE;
	}
	if (strcmp(format, "dot") == 0)
		print_dot(w);
	else
		print_text(w);
	project_free(p);
	return 0;
}
