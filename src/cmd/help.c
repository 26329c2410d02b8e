/* cmd-help.c: `muster help [COMMAND]`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "base/util.h"

static void
overview(FILE *f)
{
	unsigned	i;

	fputs("usage: muster [-C DIR] [-v|-q] [--color=auto|always|never] "
	    "[--json] COMMAND ...\n\ncommands:\n", f);
	for (i = 0; i < ncmds; i++)
		if (cmds[i].name[0] != '_')
			fprintf(f, "  %-12s %s\n", cmds[i].name,
			    cmds[i].summary);
	fputs("\nglobal options:\n"
	    "  -C DIR       use DIR/.muster (default: the nearest .muster "
	    "upwards; MUSTER_DIR)\n"
	    "  -v, -q       more or less output\n"
	    "  --color=WHEN auto, always or never (NO_COLOR is honoured)\n"
	    "  --json       machine-readable output on stdout\n"
	    "\nSee 'muster help COMMAND' for one command.\n", f);
}

int
cmd_help(struct ctx *ctx, int argc, char **argv)
{
	const struct cmd	*c;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1)
		return cmd_usage(cmd_find("help"));
	if (optind == argc) {
		overview(stdout);
		return 0;
	}
	if (optind + 1 != argc)
		return cmd_usage(cmd_find("help"));
	if ((c = cmd_find(argv[optind])) == NULL)
		return error("no command '%s'; see 'muster help'",
		    argv[optind]), EXIT_USAGE;
	printf("usage: muster %s\n\n%s.\n", c->synopsis, c->summary);
	if (*c->help != '\0')
		printf("\n%s", c->help);
	return 0;
}
