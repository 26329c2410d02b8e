/* cmd-version.c: `muster version`. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"

int
cmd_version(struct ctx *ctx, int argc, char **argv)
{
	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || optind != argc)
		return cmd_usage(cmd_find("version"));
	if (ctx->json)
		printf("{\"version\":\"%s\"}\n", MUSTER_VERSION);
	else
		printf("muster %s\n", MUSTER_VERSION);
	return 0;
}
