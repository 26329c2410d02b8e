/* cmd-report.c: `muster report [ID] [-o FILE]`: an execution as one
 * self-contained HTML page. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "observe/report.h"

int
cmd_report(struct ctx *ctx, int argc, char **argv)
{
	static const struct export_format	formats[] = {
		{ "html", report_write }, { NULL, NULL }
	};

	return cmd_export(ctx, argc, argv, "report", formats);
}
