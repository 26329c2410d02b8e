/* cmd-report.c: `muster report [ID] [-o FILE]`: an execution as one
 * self-contained HTML page. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "observe/report.h"

int
cmd_report(struct ctx *ctx, int argc, char **argv)
{
	return cmd_export(ctx, argc, argv, "report", report_write);
}
