/* muster.c: main: global options, then dispatch to a command. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "base/util.h"

static int
unknown_command(const char *name)
{
	const char	*names[64], *s;
	unsigned	 i;

	for (i = 0; i < ncmds && i < nitems(names); i++)
		names[i] = cmds[i].name;
	s = suggest(name, names, i);
	if (s != NULL)
		error("unknown command '%s' (did you mean '%s'?)", name, s);
	else
		error("unknown command '%s'; see 'muster help'", name);
	return EXIT_USAGE;
}

/*
 * Whatever a command printed must have reached its reader: a write error
 * on stdout (a full disk, a closed pipe) turns success into exit 4.
 */
static int
check_output(int rc)
{
	errno = 0;
	if ((fflush(stdout) == 0 && !ferror(stdout)) || rc == EXIT_IO)
		return rc;	/* fine, or said already */
	if (errno == 0)
		errno = EIO;
	error("cannot write to standard output:");
	return rc == EXIT_OK ? EXIT_IO : rc;
}

/*
 * `muster CMD ... -h` or `--help` anywhere before "--" is `muster help CMD`
 * (with the subcommand of `service`, the first word after it).
 */
static int
help_asked(struct ctx *ctx, const struct cmd *c, int argc, char **argv)
{
	char	*hv[4] = { "help", NULL, NULL, NULL };
	int	 i, sub = 0;

	if (c->name[0] == '_')
		return -1;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			break;
	if (i == argc || strcmp(argv[i], "--") == 0)
		return -1;
	hv[1] = argv[0];
	if (strcmp(c->name, "service") == 0)
		for (i = 1; i < argc && sub == 0; i++)
			if (argv[i][0] != '-')
				sub = i;
	if (sub > 0)
		hv[2] = argv[sub];
	optind = 0;
	return cmd_help(ctx, sub > 0 ? 3 : 2, hv);
}

int
main(int argc, char **argv)
{
	static const struct option	 extra[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
	};
	struct option			 opts[16];
	struct ctx			 ctx = { 0 };
	const struct cmd		*c;
	size_t				 n;
	int				 opt;

	sigset_t			 usr1;

	/* A closed pipe is a write error, never a silent death. */
	signal(SIGPIPE, SIG_IGN);
	/* muster pause's SIGUSR1 waits until a run's loop reads it. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	ctx_resolve_color(&ctx);
	for (n = 0; ctx_options[n].name != NULL; n++)
		opts[n] = ctx_options[n];
	opts[n++] = extra[0];
	opts[n++] = extra[1];
	memset(&opts[n], 0, sizeof opts[n]);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:C:vqhV", opts, NULL)) != -1) {
		if (opt == 'h' || opt == 'V') {
			optind = 0;	/* getopt is mid-argv: start afresh */
			return check_output(opt == 'h' ? cmd_help(&ctx, 1,
			    (char *[]){ "help", NULL }) : cmd_version(&ctx, 1,
			    (char *[]){ "version", NULL }));
		}
		if (opt == '?' || opt == ':') {
			error(opt == ':' ? "option '%s' needs a value" :
			    "unknown option '%s'", argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (ctx_option(&ctx, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (optind == argc) {
		optind = 0;
		cmd_help(&ctx, 1, (char *[]){ "help", NULL });
		return EXIT_USAGE;
	}
	if ((c = cmd_find(argv[optind])) == NULL)
		return unknown_command(argv[optind]);
	argc -= optind;
	argv += optind;
	if ((opt = help_asked(&ctx, c, argc, argv)) >= 0)
		return check_output(opt);
	optind = 0;	/* glibc: reinitialise getopt for the command */
	return check_output(c->fn(&ctx, argc, argv));
}
