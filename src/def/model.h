/* model.h: workflows, steps, tools and service classes as loaded. */
#ifndef MUSTER_MODEL_H
#define MUSTER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/util.h"

struct json_object;
struct tmpl;
typedef struct pcre2_real_code_8 pcre2_code_8;

/* A string that may hold {{ }} actions, parsed once at load time. */
struct tstr {
	const char	*src;		/* NULL when the field is absent */
	struct tmpl	*t;
	struct loc	 loc;		/* the scalar in its file */
	int		 line, col;	/* where its text starts */
	int		 indent;	/* a block scalar's, else 0 */
};

/*
 * A JSON-shaped value whose string leaves may be templates: step args,
 * env maps, output blocks.  Constants are kept as json-c values.
 */
enum tval_kind {
	TV_CONST,	/* json: no template anywhere inside */
	TV_TMPL,	/* a templated string */
	TV_MAP,
	TV_LIST
};

struct tval {
	enum tval_kind		 kind;
	struct loc		 loc;
	struct json_object	*json;	/* TV_CONST */
	struct tstr		 str;	/* TV_TMPL */
	const char		**keys;	/* TV_MAP: n keys */
	struct tval		**items;	/* TV_MAP, TV_LIST: n items */
	size_t			 n;
};

enum arg_type {
	ARG_STRING,
	ARG_INTEGER,
	ARG_NUMBER,
	ARG_BOOLEAN,
	ARG_OBJECT,
	ARG_ARRAY
};

/* One declared argument of a workflow, tool or service class. */
struct arg {
	const char		*name;
	struct loc		 loc;
	enum arg_type		 type;
	bool			 required, secret;
	const char		*description;
	struct json_object	*def;		/* default, or NULL */
	struct json_object	*enums;		/* array of allowed values, or NULL */
	pcre2_code_8		*pattern;
	const char		*pattern_src;
	bool			 has_min, has_max;
	double			 min, max;
	int64_t			 min_len, max_len;	/* -1 when unset */
};

struct schema {
	struct arg	*args;
	size_t		 n;
};

/* What a `tool:` name resolved to. */
enum tool_ref {
	TOOL_FILE,	/* a Tool definition */
	TOOL_BUILTIN,	/* core_* */
	TOOL_WORKFLOW,	/* workflow_<name> */
	TOOL_MCP	/* x_<server>_<tool>: a tool of an MCPServer */
};

struct workflow;
struct tool;

/* A condition's expectation: `expect` or `expectNot`. */
struct expect {
	bool		 set;
	bool		 success;	/* defaults to true */
	bool		 success_set;
	const char	**paths;	/* jsonPath keys */
	/* A key's template over .result, whose text is compared; src NULL
	 * for a plain path. */
	struct tstr	 *path_tmpls;
	struct tval	**values;	/* their expected values */
	size_t		 n;
	struct loc	 loc;
};

enum cond_kind {
	COND_NONE,
	COND_TEMPLATE,	/* a string, or {template: ...} */
	COND_TOOL,	/* {tool, args} */
	COND_FROM_STEP	/* {fromStep} */
};

struct condition {
	enum cond_kind	 kind;
	struct loc	 loc;
	struct tstr	 tmpl;
	const char	*tool;
	struct loc	 tool_loc;
	enum tool_ref	 tool_ref;	/* resolved */
	struct tool	*tool_def;
	struct workflow	*callee;
	int		 builtin;
	struct tval	*args;
	const char	*from_step;
	struct loc	 from_loc;
	struct step	*from;		/* resolved */
	struct expect	 expect, expect_not;
};

enum backoff {
	BACKOFF_CONSTANT,
	BACKOFF_LINEAR,
	BACKOFF_EXPONENTIAL
};

struct retry {
	int		 attempts;	/* 1: no retries */
	int64_t		 delay_ns, max_delay_ns;
	enum backoff	 backoff;
};

/* Where a step's process runs (doc/slurm.md). */
enum executor {
	EXECUTOR_UNSET,		/* not said here: ask the next level */
	EXECUTOR_LOCAL,		/* a child process of muster */
	EXECUTOR_SLURM		/* a Slurm batch job */
};

/* What a Slurm job asks for; NULL fields are not said. */
struct resources {
	struct loc	  loc;
	const char	 *cpus, *memory, *gpus, *partition, *account, *qos;
	const char	 *constraint;
	int64_t		  time_ns;	/* 0: from the timeout */
	const char	**extra;	/* raw sbatch arguments */
	size_t		  nextra;
};

/* How a run: script is run: an argv the script's file name is added to. */
struct shell {
	const char	**argv;		/* NULL: not set here */
	size_t		  n;
	bool		  posix;	/* sh, bash: a plain command skips it */
};

/* An onError rule: which failures it takes, and what becomes of them. */
enum route_action {
	ROUTE_RETRY,	/* try again, with the rule's own retry */
	ROUTE_SKIP,	/* the step counts as skipped */
	ROUTE_CONTINUE,	/* failed, but as with allowFailure */
	ROUTE_FAIL,	/* failed now: no more attempts */
	ROUTE_REDIRECT	/* run a recovery step, which decides */
};

struct route {
	struct loc		 loc;
	int64_t			*codes;		/* exitCode: any of them */
	size_t			 ncodes;
	pcre2_code_8		*match;		/* over the error text */
	const char		*match_src;
	const char		*tool;		/* the step's tool */
	int			 priority;	/* higher first */
	enum route_action	 action;
	struct retry		 retry;		/* ROUTE_RETRY */
	/* ROUTE_REDIRECT: the recovery step, and whether the step fails
	 * even when it succeeds (then: fail) */
	const char		*redirect;
	struct loc		 redirect_loc;
	struct step		*target;	/* resolved by the checker */
	bool			 then_fail;
};

/* "retry", "skip", "continue", "fail" or "redirect". */
const char	*route_action_name(enum route_action);

enum step_kind {
	STEP_TOOL,
	STEP_RUN,
	STEP_FOREACH,
	STEP_PARALLEL
};

struct workflow;
struct tool;

struct step {
	const char	 *id;
	struct loc	  loc;
	unsigned	  index;	/* among the workflow's top-level steps */
	enum step_kind	  kind;
	const char	 *description;
	/* STEP_TOOL */
	const char	 *tool_name;
	struct loc	  tool_loc;
	enum tool_ref	  tool_ref;
	struct tool	 *tool;		/* TOOL_FILE */
	struct workflow	 *callee;	/* TOOL_WORKFLOW */
	int		  builtin;	/* TOOL_BUILTIN: its index */
	struct tval	 *args;
	/* STEP_RUN */
	struct tstr	  run;
	struct shell	  shell;	/* else the workflow's, sh -e */
	/* STEP_FOREACH and STEP_PARALLEL */
	struct tstr	  items;	/* forEach items template */
	struct tval	 *items_const;	/* or a literal list */
	const char	 *as;		/* loop variable, default "item" */
	int		  max_parallel;	/* forEach: 1 unless set */
	struct step	**sub;
	size_t		  nsub;
	/* Common fields */
	const char	**deps;		/* dependsOn, as written */
	struct loc	 *dep_locs;
	size_t		  ndeps;
	struct step	**dep_steps;	/* resolved */
	struct condition *cond;
	struct retry	  retry;
	int64_t		  timeout_ns;	/* 0: none */
	bool		  allow_failure;
	bool		  output;
	struct route	 *routes;	/* onError, tried in priority order */
	size_t		  nroutes;
	double		  weight;	/* of the run's progress; 0: 1 */
	const char	 *checkpoint;	/* a name for "after this step" */
	bool		  pass_input;	/* a stage's tool: given the */
					/* workflow arguments it declares */
	struct tval	 *env;		/* map of name to string */
	struct tstr	  workdir;
	struct step	 *parent;	/* forEach/parallel container, or NULL */
	enum executor	  executor;
	struct resources *resources;	/* or NULL */
	uint64_t	  hash;		/* of its definition, for resume */
};

enum concurrency {
	CONCURRENCY_ALLOW,
	CONCURRENCY_FORBID,
	CONCURRENCY_WAIT
};

struct workflow {
	const char	 *name;
	struct loc	  loc;
	const char	 *file;
	const char	 *description;
	struct schema	  args;
	int64_t		  timeout_ns;
	int		  max_parallel;	/* 0: no cap */
	enum concurrency  concurrency;
	enum executor	  executor;	/* default of its steps */
	struct resources *resources;	/* or NULL */
	bool		  keep_going;	/* error_policy: continue */
	int		  max_failures;	/* stop after this many; 0: no cap */
	bool		  stages;	/* written as orchestration/v1 */
	struct shell	  shell;	/* for its run: steps */
	struct step	**steps;	/* top-level, in file order */
	size_t		  nsteps;
	struct step	**on_failure;
	size_t		  non_failure;
	struct step	**recovery;	/* run only when onError redirects */
	size_t		  nrecovery;
	struct tval	 *output;
	struct hmap	  ids;		/* every step id (all levels) */
	bool		  explicit_deps;	/* some step declares dependsOn */
	bool		  broken;	/* had load errors: not cross-checked */
	bool		  reads_steps;	/* some template reads .steps */
	bool		  reads_results; /* something reads .results */
	bool		  reads_step_roots; /* some template reads .<step id> */
	bool		  all_results;	/* its result is every step's */
};

struct tool {
	const char	*name;
	struct loc	 loc;
	const char	*file;
	const char	*description;
	struct schema	 args;
	struct tstr	*command;	/* argv, each element a template */
	size_t		 ncommand;
	struct tstr	 run;
	struct shell	 shell;		/* for run: */
	struct tval	*env;
	struct tstr	 workdir;
	int64_t		 timeout_ns;
	enum executor	 executor;
	struct resources *resources;	/* or NULL */
	uint64_t	 hash;
	/* TOOL_MCP: made up when a step names it, not loaded */
	struct mcp_server *mcp;
	const char	*mcp_tool;	/* the server's own name for it */
};

enum mcp_type {
	MCP_STDIO,
	MCP_HTTP	/* streamable-http */
};

/* An MCPServer: a server whose tools are x_<name>_<tool>. */
struct mcp_server {
	const char	*name;
	struct loc	 loc;
	const char	*file;
	const char	*description;
	enum mcp_type	 type;
	struct tstr	*command;	/* command, then args: templates */
	size_t		 ncommand;
	struct tval	*env;
	struct tstr	 url;
	struct tval	*headers;	/* map of name to string */
	int64_t		 timeout_ns;	/* a call's, unless the step says */
	bool		 broken;
};

/* A lifecycle tool call of a service class. */
struct lifecycle {
	const char	*tool;
	struct loc	 loc;
	struct tval	*args;
	const char	**out_names;	/* outputs: name -> dotted path */
	const char	**out_paths;
	size_t		  nout;
	struct expect	 expect, expect_not;	/* healthCheck only */
	bool		 pass_args;	/* lifecycle.startTool: given the */
					/* instance's arguments and resources */
};

/* A dependency that muster probes but does not start (type: external). */
struct external_dep {
	const char	*name;
	struct loc	 loc;
	struct tstr	 url;		/* healthCheck.url */
};

enum probe_kind {
	PROBE_NONE,
	PROBE_HTTP,
	PROBE_TCP,
	PROBE_EXEC,
	PROBE_TOOL
};

struct service_class {
	const char	*name;
	struct loc	 loc;
	const char	*file;
	const char	*description;
	struct schema	 args;
	struct tstr	 default_name;
	const char	**deps;		/* dependencies: class names */
	struct loc	 *dep_locs;
	size_t		  ndeps;
	struct service_class **dep_classes;
	/* daemon */
	struct tstr	*daemon_cmd;
	size_t		 ndaemon_cmd;
	struct tval	*daemon_env;
	struct tstr	 daemon_workdir;
	int		 stop_signal;
	int64_t		 stop_timeout_ns;
	/* lifecycle tools */
	struct lifecycle *start, *stop, *restart, *status, *health_tool;
	struct lifecycle *scale;
	struct external_dep *ext;	/* dependencies of type external */
	size_t		  next;
	struct tval	 *resources;	/* rendered for the lifecycle tools */
	int64_t		  initial_delay_ns;	/* before the first probe */
	/* health check */
	bool		 health_enabled;
	enum probe_kind	 probe;
	struct tstr	 http_path, http_host, http_port, http_scheme;
	struct tstr	 tcp_host, tcp_port;
	struct tstr	*exec_cmd;
	size_t		 nexec_cmd;
	int64_t		 interval_ns;
	int		 failure_threshold, success_threshold;
	int64_t		 create_timeout_ns, delete_timeout_ns;
	int64_t		 health_timeout_ns;
	struct tval	*outputs;
	bool		 broken;	/* had load errors: not cross-checked */
};

/* The optional .muster/config.yaml. */
/* One workflow's limits (or the default's): how many, how old. */
struct retain_rule {
	const char	*workflow;	/* NULL: the default */
	int64_t		 keep;		/* the newest kept; 0: no limit */
	int64_t		 max_age_ns;	/* older ones go; 0: no limit */
};

/* config.yaml's retention: what each run's end and a bare gc remove. */
struct retention {
	bool			 enabled;
	bool			 keep_resumable;	/* failed, interrupted... */
	struct retain_rule	 dflt;
	struct retain_rule	*rules;		/* per workflow */
	size_t			 nrules;
};

struct config {
	struct retention retention;
	int		 jobs;		/* -1: unset */
	const char	*color;		/* NULL, "auto", "always", "never" */
	const char	*state_dir;	/* NULL: .muster/state */
	bool		 fsync;
	struct tval	*env;
	size_t		 max_file;	/* largest definition file, bytes */
	enum executor	 executor;	/* the project's default */
	struct resources *resources;	/* or NULL */
	const char	*metrics_file;	/* metrics.textfile, or NULL */
};

/* Everything one load of a .muster folder built; one arena. */
struct project {
	struct arena		 arena;
	const char		*root;		/* the folder holding .muster */
	const char		*dir;		/* the .muster folder */
	struct workflow		**workflows;
	size_t			 nworkflows, wcap;
	struct tool		**tools;
	size_t			 ntools, tcap;
	struct service_class	**classes;
	size_t			 nclasses, ccap;
	struct hmap		 workflow_names, tool_names, class_names;
	struct mcp_server	**mcpservers;
	size_t			 nmcp, mcap;
	struct hmap		 mcp_names;
	struct hmap		 mcp_tools;	/* x_* names steps used */
	struct config		 config;
	/* Opened with project_open(): what the load reported, kept. */
	struct buf		 problems;	/* its messages */
	struct hmap		 bad_files;	/* files an error names */
	bool			 bad_all;	/* an error in no file */
};

struct workflow		*project_workflow(const struct project *, const char *);
struct tool		*project_tool(const struct project *, const char *);
struct service_class	*project_class(const struct project *, const char *);
struct mcp_server	*project_mcp(const struct project *, const char *);

const char		*arg_type_name(enum arg_type);
/*
 * The names a template reads at its top level before arguments and step
 * ids (.input, .results, ...): one list for the checks and the engine.
 */
extern const char *const	 tmpl_roots[];
extern const size_t		 ntmpl_roots;
bool				 tmpl_root(const char *name);
/* Where line tl, column tc of a template's text is in its file. */
struct loc		 tstr_loc(const struct tstr *, int tl, int tc);

#endif
