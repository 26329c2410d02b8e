/* cmd-help.c: `muster help [COMMAND [SUBCOMMAND]]`, and -h after any. */
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

/*
 * Prints the part of c's help about subcommand sub: its line ("  SUB ...")
 * and the lines indented under it.  Returns -1 when there is none.
 */
static int
sub_help(const struct cmd *c, const char *sub)
{
	const char	*h = c->help, *nl;
	size_t		 n = strlen(sub);
	int		 in = 0, found = -1;

	for (; *h != '\0'; h = nl + 1) {
		if ((nl = strchr(h, '\n')) == NULL)
			nl = h + strlen(h);
		if (strncmp(h, "  ", 2) == 0 && h[2] != ' ')
			in = strncmp(h + 2, sub, n) == 0 && (h[2 + n] == ' ' ||
			    h[2 + n] == '\n' || h[2 + n] == '|');
		else if (strncmp(h, "  ", 2) != 0)
			in = 0;
		if (in && found < 0) {
			const char	*e = strstr(h + 2, "  ");

			if (e == NULL || e > nl)
				e = nl;
			printf("usage: muster %s %.*s\n\n", c->name,
			    (int)(e - h - 2), h + 2);
		}
		if (in) {
			printf("%.*s\n", (int)(nl - h), h);
			found = 0;
		}
		if (*nl == '\0')
			break;
	}
	return found;
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
	if (optind + 2 < argc)
		return cmd_usage(cmd_find("help"));
	if ((c = cmd_find(argv[optind])) == NULL)
		return error("no command '%s'; see 'muster help'",
		    argv[optind]), EXIT_USAGE;
	if (optind + 2 == argc) {
		if (sub_help(c, argv[optind + 1]) == 0)
			return 0;
		error("no subcommand '%s %s'; see 'muster help %s'", c->name,
		    argv[optind + 1], c->name);
		return EXIT_USAGE;
	}
	printf("usage: muster %s\n\n%s.\n", c->synopsis, c->summary);
	if (*c->help != '\0')
		printf("\n%s", c->help);
	return 0;
}
