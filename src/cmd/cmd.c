/* cmd.c: the command table and the options every command shares. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "def/project.h"
#include "base/util.h"

const struct cmd	cmds[] = {
	{ "run", cmd_run, "run WORKFLOW|FILE.yaml [--arg K=V]... "
	  "[--arg-env K=ENVVAR]... [--args-file F|-] [-j N] [-n] [-k] "
	  "[--timeout D] [--fsync] [--metrics-file F] "
	  "[--only STEP|--from STEP]",
	  "run a workflow",
	  "Checks the arguments against the workflow's, then runs its steps\n"
	  "(at most N processes at once; default: the number of CPUs, 0 for\n"
	  "no limit) and records the run under .muster/state/executions.\n"
	  "  --arg K=V       an argument, converted to its declared type\n"
	  "  --args-file F   arguments from a YAML or JSON mapping (- reads\n"
	  "                  standard input)\n"
	  "  --arg-env K=ENVVAR  argument K is the value of ENVVAR (keeps a\n"
	  "                  secret out of argv and files)\n"
	  "  -n, --dry-run   print the plan; run and write nothing (required\n"
	  "                  secrets may be left out)\n"
	  "  -k, --keep-going  run every step that does not depend on a failed one\n"
	  "  --timeout D     stop the run after D (e.g. 10m); exit 124\n"
	  "  --fsync         make every record survive a power cut\n"
	  "  --metrics-file F  write Prometheus metrics to F after the run\n"
	  "  --only STEP     run STEP and what it depends on; skip the rest\n"
	  "  --from STEP     run STEP and what depends on it; skip the rest\n"
	  "A FILE.yaml (a path, or a name ending .yaml) runs the workflow it\n"
	  "defines, the project found from the file's folder.\n"
	  "Exit: 0 done, 1 a step failed, 2 bad arguments or definitions,\n"
	  "4 the record cannot be written, 5 paused (muster pause), 75\n"
	  "another run of a workflow with concurrency: forbid is going on,\n"
	  "124 timed out, 128+N signal N.\n" },
	{ "resume", cmd_resume, "resume ID|--last [-j N] [-k] [--from STEP] "
	  "[--from-checkpoint NAME] [--arg SECRET=V]...",
	  "finish an execution that failed or was stopped",
	  "Runs what did not complete: failed, interrupted and pending steps.\n"
	  "A step that completed is kept, and its recorded result feeds the\n"
	  "templates, unless its definition changed since (then it and what\n"
	  "depends on it run again).  --from STEP runs STEP and what depends\n"
	  "on it again; --from-checkpoint NAME what completed after the\n"
	  "checkpoint NAME (see checkpoint).  Secret arguments are never recorded: give them again\n"
	  "with --arg.  Steps of the interrupted run that still run are\n"
	  "waited for first.  Exit codes as for run; 75 when the execution is\n"
	  "locked by a muster still working on it.\n" },
	{ "status", cmd_status, "status [ID|--last] [--json]",
	  "show an execution's record (the latest without ID)",
	  "ID may be a unique prefix of an execution id.  --last (the\n"
	  "default) is the latest run started from the command line.\n" },
	{ "history", cmd_history, "history [--workflow W] [--status S] "
	  "[--since D] [--limit N] [--json]",
	  "list past executions, newest first",
	  "--since D shows those started in the last D (10m, 2h, 7d) or since\n"
	  "a UTC date (2026-01-05[T09:30:00]).\n"
	  "--limit N shows at most N (default 20, 0 for all).  A run whose\n"
	  "runner died shows as interrupted.\n" },
	{ "logs", cmd_logs, "logs [ID|--last] [STEP] [--follow]",
	  "print what an execution's steps wrote",
	  "Without ID (or with --last), the latest execution; an ID starts\n"
	  "with a digit and may be a unique prefix.\n"
	  "--follow keeps printing what arrives until the execution ends.\n" },
	{ "cancel", cmd_cancel, "cancel ID|--last",
	  "stop a running execution; it records cancelled",
	  "Its runner stops as on SIGTERM: its steps get SIGTERM, then\n"
	  "SIGKILL, and the execution can be resumed.  ID may be a unique\n"
	  "prefix; --last is the latest execution.\n" },
	{ "pause", cmd_pause, "pause ID|--last",
	  "let a running execution finish its running steps, then stop",
	  "Its runner starts no other step; once those that run have ended,\n"
	  "it records paused and exits 5, and 'muster resume ID' goes on\n"
	  "from there.  pause returns once the runner has taken the request.\n"
	  "Exit 0 taken, 3 no such execution or not running.\n" },
	{ "checkpoint", cmd_checkpoint, "checkpoint ID|--last NAME",
	  "name the point an execution that does not run has reached",
	  "Records NAME with the steps completed so far; a step with\n"
	  "'checkpoint: NAME' does the same when it completes.  'muster\n"
	  "resume ID --from-checkpoint NAME' runs again every step that\n"
	  "completed after it; 'muster status ID' lists the checkpoints.\n"
	  "Exit 0, 2 a bad or used name, 3 no such execution, 75 it runs.\n" },
	{ "gc", cmd_gc, "gc [--older-than D] [--keep N] [--dry-run]",
	  "delete executions that no longer run",
	  "Keeps the newest N and those started less than D ago (a duration,\n"
	  "or days: 30d); without either, applies config.yaml's retention\n"
	  "(default: the newest 200 of each workflow, 30 days, and all that\n"
	  "can be resumed), as the end of every run does.  Never\n"
	  "touches a running one.  --dry-run (-n) lists what it would remove\n"
	  "and removes nothing.\n" },
	{ "trace", cmd_trace,
	  "trace [ID] [-o FILE] [--format=chrome|otlp-json]",
	  "write an execution as Chrome trace-event JSON",
	  "Writes the execution (the latest without ID) for Perfetto or\n"
	  "chrome://tracing: a complete event per attempt on a lane per\n"
	  "parallel slot, with status, exit code and resource usage; retry\n"
	  "waits as async events; service operations as instant events; the\n"
	  "executions it started as processes of their own.\n"
	  "  -o, --output FILE  write FILE instead of standard output\n"
	  "  --format=otlp-json  OpenTelemetry spans (OTLP/JSON) instead; the\n"
	  "                     trace id is the execution id's digits\n" },
	{ "report", cmd_report, "report [ID] [-o FILE]",
	  "write an execution as one self-contained HTML page",
	  "A timeline of the steps on lanes coloured by status, retries, the\n"
	  "critical path, each step's CPU and max RSS, the failed steps' log\n"
	  "tails and the arguments (secrets masked).  The page fetches\n"
	  "nothing and runs no script.\n"
	  "  -o, --output FILE  write FILE instead of standard output\n" },
	{ "metrics", cmd_metrics, "metrics",
	  "print Prometheus metrics of the recorded runs",
	  "Prints, in the text exposition format, what a run writes to its\n"
	  "metrics file (see run, and metrics.textfile in config.yaml),\n"
	  "counted from every execution in the history.\n" },
	{ "call", cmd_call, "call TOOL [--arg K=V]... [--arg-env K=ENVVAR]... "
	  "[--args-file F|-]",
	  "run one tool and print its result",
	  "Runs TOOL (a Tool file, a core_* built-in or workflow_<name>) once,\n"
	  "streams its output and prints its result as JSON.\n" },
	{ "list", cmd_list, "list [workflows|tools|serviceclasses|mcpservers|"
	  "services|executions] [--online] [--json]",
	  "list definitions with their descriptions",
	  "Without a kind, lists every workflow, tool and service class (and\n"
	  "MCP server, when there are some).  --online adds each MCP server's\n"
	  "tools (x_SERVER_TOOL) to the tools: it starts the servers.\n"
	  "'list services' is 'service list'; 'list executions' is\n"
	  "'history' and takes its options (--limit 0 for all).\n" },
	{ "show", cmd_show, "show WORKFLOW [--json]",
	  "show a workflow's arguments, steps and edges", "" },
	{ "graph", cmd_graph, "graph WORKFLOW [--format=dot|text]",
	  "print a workflow's step graph",
	  "--format=dot (the default) prints Graphviz; --format=text prints\n"
	  "the steps in the order they may run, each with what it waits for.\n" },
	{ "validate", cmd_validate, "validate [--online] [FILE...] [--json]",
	  "check definitions and report every problem",
	  "Without FILEs, checks the whole project.  With FILEs, checks them\n"
	  "(and what they refer to in the project) and reports only their\n"
	  "problems.  Checks everything a run would find before its first\n"
	  "step, and that every run: script parses (sh -n).  --json prints\n"
	  "{valid, errors: [{file, line, column, message, hint}], warnings}.\n"
	  "--online also starts the MCP servers steps use and checks each\n"
	  "step's tool and constant arguments against the tool's\n"
	  "inputSchema.  Exit 0 when valid, 2 otherwise.\n" },
	{ "service", cmd_service, "service create CLASS [NAME] [--arg K=V]... | "
	  "start|stop|restart|delete|status|wait|logs NAME | scale NAME N | "
	  "list",
	  "create and manage service instances",
	  "  create CLASS [NAME] [--arg K=V]... [--args-file F] [--timeout D]\n"
	  "                 [--no-wait]   start a new instance of a service class\n"
	  "                 (its dependencies first) and wait until it is healthy\n"
	  "  start NAME [--timeout D]     start a stopped instance\n"
	  "  stop NAME                    stop it (the daemon: stopSignal, then\n"
	  "                               SIGKILL after stopTimeout)\n"
	  "  restart NAME [--timeout D]   the restart tool, or stop and start\n"
	  "  delete NAME [--force]        stop and forget it; refused while\n"
	  "                               another instance depends on it\n"
	  "  status NAME                  probe its health once and show it\n"
	  "                               (exit 0 whatever its state)\n"
	  "  wait NAME [--timeout D]      probe until it is healthy\n"
	  "  logs NAME [--follow]         what its daemon wrote; --follow (-f)\n"
	  "                               goes on, as tail -f does\n"
	  "  scale NAME REPLICAS [--timeout D]\n"
	  "                               the class's scale tool, given\n"
	  "                               .replicas (fails without one)\n"
	  "  list                         every instance, without probing\n"
	  "All take --json.  create prints the instance's name.  Exit 0 done,\n"
	  "1 the service failed or is not healthy in time,\n"
	  "2 bad arguments or unknown class, 3 unknown or corrupt instance,\n"
	  "4 its state cannot be written.\n" },
	{ "mcp", cmd_mcp, "mcp serve [--tools] | tools SERVER | call SERVER TOOL "
	  "[--arg K=V]... [--args-file F] [--timeout D]",
	  "serve workflows to MCP clients; try an MCP server's tools",
	  "  serve [--tools]   an MCP server on stdin and stdout (for Claude\n"
	  "                    Desktop, VS Code, any MCP client): each workflow\n"
	  "                    is the tool workflow_<name>, next to the core_*\n"
	  "                    built-ins; --tools adds the Tool files and the\n"
	  "                    x_<server>_<tool> tools of every MCP server\n"
	  "  tools SERVER      list the tools of .muster/mcpservers/SERVER.yaml\n"
	  "                    as steps name them (x_SERVER_TOOL); --json: the\n"
	  "                    MCP Tool objects, one a line\n"
	  "  call SERVER TOOL  call one tool and print its result (its\n"
	  "                    structuredContent, else its text as JSON or\n"
	  "                    {\"text\": ...}); --arg K=V, --args-file F,\n"
	  "                    --timeout D\n"
	  "See doc/mcp.md.  Exit 0 done, 1 the server or the tool failed,\n"
	  "2 bad arguments or definitions.\n" },
	{ "__mcp-call", cmd_mcp_step, "__mcp-call TOOL --args-file F "
	  "[--timeout D] [--state DIR --runner PID --server S --tool T]",
	  "(internal) the process of a step that calls an MCP tool", "" },
	{ "__mcp-broker", cmd_mcp_broker, "__mcp-broker SERVER --runner PID",
	  "(internal) an execution's shared stdio MCP server", "" },
	{ "__supervise", cmd_supervise, "__supervise EXITFILE ARGV...",
	  "(internal) the parent of a service's daemon", "" },
	{ "init", cmd_init, "init",
	  "write a starter .muster folder here",
	  "Writes .muster/ in the current folder (or -C DIR): a commented\n"
	  "workflow, a tool it calls and a .gitignore that keeps state/ out\n"
	  "of git.  Refuses when .muster already exists (exit 2).\n" },
	{ "version", cmd_version, "version",
	  "print muster's version", "" },
	{ "render", cmd_render, "render [--data FILE|-] "
	  "[--missingkey=default|error] [--shell] TEMPLATE|--file FILE|"
	  "--functions",
	  "render one template against JSON data",
	  "Renders TEMPLATE, Go text/template syntax with muster's functions\n"
	  "(see doc/templates.md), against the JSON document in FILE (- is\n"
	  "standard input; without --data the data is null) and prints the\n"
	  "result.  A missing map key is an error unless --missingkey=default,\n"
	  "which prints Go's <no value>.  --shell escapes every value for the\n"
	  "shell quoting context around it, as a run: script is rendered.\n"
	  "--file reads the template from FILE instead (- is standard input).\n"
	  "--functions prints the table of template functions (Markdown).\n"
	  "Errors print as 'muster: template:LINE:COL: MESSAGE' and exit 2;\n"
	  "errors found while rendering say 'at <ACTION>:' first.\n" },
	{ "help", cmd_help, "help [COMMAND [SUBCOMMAND]]",
	  "describe muster or one of its commands",
	  "-h or --help after any command (before --) is the same.\n" },
};
const unsigned		ncmds = nitems(cmds);

/* Above every command's own option values (which start at 256). */
enum { OPT_COLOR = 1000, OPT_JSON };

const struct option	ctx_options[] = {
	{ "directory",	required_argument,	NULL,	'C' },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "color",	required_argument,	NULL,	OPT_COLOR },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ NULL,		0,			NULL,	0 }
};

/* NO_COLOR disables, CLICOLOR_FORCE forces, --color beats both. */
void
ctx_resolve_color(struct ctx *ctx)
{
	const char	*e;

	if (ctx->color_opt != 0) {
		ctx->color = ctx->color_opt > 0;
		return;
	}
	if ((e = getenv("NO_COLOR")) != NULL && *e != '\0')
		ctx->color = 0;
	else if ((e = getenv("CLICOLOR_FORCE")) != NULL && *e != '\0' &&
	    strcmp(e, "0") != 0)
		ctx->color = 1;
	else
		ctx->color = isatty(STDERR_FILENO) &&
		    ((e = getenv("TERM")) == NULL || strcmp(e, "dumb") != 0);
}

int
ctx_option(struct ctx *ctx, int c, const char *arg)
{
	switch (c) {
	case 'C':
		ctx->dir = arg;
		return 0;
	case 'v':
		ctx->verbose = ctx->verbose < 0 ? 1 : ctx->verbose + 1;
		return 0;
	case 'q':
		ctx->verbose = -1;
		return 0;
	case OPT_JSON:
		ctx->json = 1;
		return 0;
	case OPT_COLOR:
		if (strcmp(arg, "auto") == 0)
			ctx->color_opt = 0;
		else if (strcmp(arg, "always") == 0)
			ctx->color_opt = 1;
		else if (strcmp(arg, "never") == 0)
			ctx->color_opt = -1;
		else
			return error("--color: expected auto, always or never, "
			    "not '%s'", arg);
		ctx_resolve_color(ctx);
		return 0;
	}
	return 1;
}

static int
bad_option(int c, char **argv)
{
	if (c == ':')
		return error("option '%s' needs a value", argv[optind - 1]);
	if (optopt != 0 && optopt < 256)
		return error("unknown option '-%c'", optopt);
	return error("unknown option '%s'", argv[optind - 1]);
}

int
cmd_getopt(struct ctx *ctx, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	struct option	 all[64];
	char		 sopts[128];
	size_t		 n = 0, i;
	int		 c;

	if (longopts != NULL)
		for (; longopts[n].name != NULL && n < 48; n++)
			all[n] = longopts[n];
	for (i = 0; ctx_options[i].name != NULL; i++)
		all[n++] = ctx_options[i];
	memset(&all[n], 0, sizeof all[n]);
	snprintf(sopts, sizeof sopts, ":%sC:vq", shortopts);
	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, sopts, all, NULL);
		if (c == -1)
			return -1;
		if (c == '?' || c == ':') {
			bad_option(c, argv);
			return '?';
		}
		switch (ctx_option(ctx, c, optarg)) {
		case 0:
			continue;
		case 1:
			return c;
		default:
			return '?';
		}
	}
}

int
cmd_usage(const struct cmd *c)
{
	error("usage: muster %s", c->synopsis);
	return EXIT_USAGE;
}

const struct cmd *
cmd_find(const char *name)
{
	unsigned	i;

	for (i = 0; i < ncmds; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static int	take_project(struct ctx *, struct project *, int missing);

int
cmd_load(struct ctx *ctx, struct project **out)
{
	int	missing;

	*out = project_load(ctx->dir, NULL, 0, &missing);
	return take_project(ctx, *out, missing);
}

int
cmd_open(struct ctx *ctx, struct project **out)
{
	int	missing;

	*out = project_open(ctx->dir, &missing);
	return take_project(ctx, *out, missing);
}

static int
take_project(struct ctx *ctx, struct project *p, int missing)
{
	if (p != NULL) {
		/* config.yaml's colour, unless the command line chose: it
		 * stands between the environment and --color. */
		const char	*c = p->config.color;

		const char	*no = getenv("NO_COLOR");

		if (c != NULL && ctx->color_opt == 0 && strcmp(c, "never") == 0)
			ctx->color = 0;
		else if (c != NULL && ctx->color_opt == 0 &&
		    strcmp(c, "always") == 0 && (no == NULL || *no == '\0'))
			ctx->color = 1;
		return 0;
	}
	if (missing && ctx->dir != NULL)
		error("no .muster folder in '%s' or any parent", ctx->dir);
	else if (missing)
		error("no .muster folder here or in any parent");
	return EXIT_USAGE;
}

struct workflow *
cmd_workflow(struct project *p, const char *name)
{
	struct workflow	*w = project_workflow(p, name);
	const char	*names[256], *sg;
	size_t		 i;

	if (w != NULL)
		return w;
	for (i = 0; i < p->nworkflows && i < nitems(names); i++)
		names[i] = p->workflows[i]->name;
	if ((sg = suggest(name, names, i)) != NULL)
		error("no workflow '%s' (did you mean '%s'?)", name, sg);
	else
		error("no workflow '%s'; see 'muster list workflows'", name);
	return NULL;
}
