/* cmd-metrics.c: `muster metrics`: Prometheus metrics from the history. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "observe/metrics.h"
#include "state/record.h"

int
cmd_metrics(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state;
	int		 rc;

	if (cmd_getopt(ctx, argc, argv, "", NULL) != -1 || optind != argc)
		return cmd_usage(cmd_find("metrics"));
	if ((rc = cmd_load(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	rc = metrics_print(stdout, state) == 0 && fflush(stdout) == 0 ? 0 :
	    EXIT_IO;
	free(state);
	project_free(p);
	return rc;
}

int
cmd_metrics_after(const struct project *p, const char *opt_path,
    const char *id)
{
	char	*state, *path;
	int	 rc;

	if (id[0] == '\0' || (opt_path == NULL &&
	    p->config.metrics_file == NULL))
		return 0;
	if (opt_path != NULL)
		path = xstrdup(opt_path);
	else if (p->config.metrics_file[0] == '/')
		path = xstrdup(p->config.metrics_file);
	else
		path = xasprintf("%s/%s", p->root, p->config.metrics_file);
	state = record_state_dir(p);
	rc = metrics_update(path, state, id);
	free(state);
	free(path);
	return rc;
}
