/* cmd.h: the command table and what every command gets from main. */
#ifndef MUSTER_CMD_H
#define MUSTER_CMD_H

#include <stdbool.h>
#include <stdio.h>

/* Options that every command accepts, before or after its name. */
struct ctx {
	const char	*dir;		/* -C DIR, or NULL */
	int		 verbose;	/* -1 with -q, 0, 1 with -v, ... */
	int		 color;		/* 1 when color is on for stderr */
	int		 color_opt;	/* -1 never, 0 auto, 1 always */
	int		 json;		/* --json */
};

struct cmd {
	const char	*name;
	int		(*fn)(struct ctx *, int, char **);
	const char	*synopsis;	/* "NAME ARGS", one line */
	const char	*summary;	/* one line for `muster help` */
	const char	*help;		/* the rest of `muster help NAME` */
};

/* Every command, in the order `muster help` lists them. */
extern const struct cmd	cmds[];
extern const unsigned	ncmds;

const struct cmd	*cmd_find(const char *);

/*
 * Parses the options shared by every command (-C -v -q --color --json)
 * together with a command's own, getopt_long style.  Returns the next
 * option of the command's own (its getopt value), -1 at the end, or '?'
 * after printing an error.
 */
struct option;
int	 cmd_getopt(struct ctx *, int, char **, const char *shortopts,
	    const struct option *longopts);
/* The shared options, NULL-terminated, for main's own parsing. */
extern const struct option	ctx_options[];
/* Applies NO_COLOR, CLICOLOR_FORCE, the terminal and --color. */
void	 ctx_resolve_color(struct ctx *);
/* Applies shared option c; 0 done, 1 not a shared option, -1 error. */
int	 ctx_option(struct ctx *, int c, const char *arg);
/* Prints "muster: usage: muster SYNOPSIS" for c and returns 2. */
int	 cmd_usage(const struct cmd *);

struct project;
/*
 * Loads the project (reporting every problem) for a command.  Returns 0,
 * or the exit code to return.
 */
int	 cmd_load(struct ctx *, struct project **);
/*
 * The same for commands that act on what exists (executions, instances):
 * errors in definitions are kept for project_usable_*(), not printed.
 */
int	 cmd_open(struct ctx *, struct project **);
struct workflow;
/* Returns the workflow called name, or NULL after an error (with a hint). */
struct workflow	*cmd_workflow(struct project *, const char *name);

#define CMD_DECL(n)	int cmd_##n(struct ctx *, int, char **)
CMD_DECL(version);
CMD_DECL(help);
CMD_DECL(render);
CMD_DECL(list);
CMD_DECL(show);
CMD_DECL(validate);
CMD_DECL(graph);
CMD_DECL(run);
CMD_DECL(resume);
CMD_DECL(history);
CMD_DECL(logs);
CMD_DECL(cancel);
CMD_DECL(pause);
CMD_DECL(checkpoint);
CMD_DECL(gc);
CMD_DECL(service);
CMD_DECL(supervise);
CMD_DECL(status);
CMD_DECL(call);
CMD_DECL(init);
/*
 * Removes every "--last" before "--" from argv (argc updated); true when
 * there was one.  For commands that take ID|--last (ids.c).
 */
bool	 cmd_take_last(int *argc, char **argv);
/*
 * The execution id arg means in state: the latest when NULL; the one
 * execution whose id starts with arg; else arg as given (the command
 * reports an unknown one).  Returns 0 with *out new, or the exit code
 * after an error (ambiguous prefix, no executions).
 */
int	 cmd_execution(const char *state, const char *arg, char **out);
/*
 * The same, and opens that execution's folder (no symbolic link
 * followed).  Returns 0 with *id and *dir new and *dfd open, or the exit
 * code after an error ("no execution 'X'").
 */
int	 cmd_open_execution(const char *state, const char *arg, char **id,
	    char **dir, int *dfd);
CMD_DECL(trace);
CMD_DECL(report);
CMD_DECL(metrics);
/* A way `trace` or `report` writes an execution. */
struct export_format {
	const char	*name;	/* --format=NAME; the first is the default */
	int		(*fn)(FILE *, const char *state_dir, const char *id,
			    const struct project *);
};
/*
 * `trace` and `report`: parses [ID] [-o FILE] [--format=F] and writes
 * execution ID (the latest without it) in one of formats (ended by a
 * NULL name).  0, or the exit code.
 */
int	 cmd_export(struct ctx *, int, char **, const char *name,
	    const struct export_format *formats);
/*
 * After execution id ended: updates the metrics file (opt_path, else the
 * metrics.textfile of config.yaml; nothing without either).  0 or -1.
 */
int	 cmd_metrics_after(const struct project *, const char *opt_path,
	    const char *id);
CMD_DECL(mcp);
CMD_DECL(mcp_step);
CMD_DECL(mcp_broker);
/* Parses -j N: 0 means no limit.  0, or -1 after an error. */
int	 cmd_parse_jobs(const char *, int *);

#endif
