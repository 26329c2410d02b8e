/* tool.h: what running a tool means: a process, a built-in or a workflow. */
#ifndef MUSTER_TOOL_H
#define MUSTER_TOOL_H

#include <stdint.h>

#include "def/model.h"

struct buf;
struct json_object;

/* A growable NULL-terminated array of strings it owns. */
struct strv {
	char	**v;
	size_t	  n, cap;
};
#define STRV_INIT	{ NULL, 0, 0 }
void	strv_add(struct strv *, char *owned);
void	strv_release(struct strv *);

enum inv_kind {
	INV_PROC,	/* start argv */
	INV_BUILTIN,	/* call builtin in-process */
	INV_WORKFLOW	/* start muster itself on a child execution */
};

/* One call of a tool, ready to run. */
struct invocation {
	enum inv_kind		 kind;
	struct strv		 argv;
	struct strv		 env;		/* the whole environment */
	char			*dir;		/* working folder */
	int64_t			 timeout_ns;	/* 0: none */
	int			 builtin;
	struct json_object	*input;		/* arguments, after the schema */
	const struct schema	*schema;	/* of the tool, or NULL */
	struct workflow		*callee;
	char			*script_file;	/* written: remove it */
};

/* What a call is made of, wherever it comes from. */
struct call {
	struct project		*p;
	enum tool_ref		 ref;
	struct tool		*tool;
	struct workflow		*callee;
	int			 builtin;
	const char		*name;		/* for messages */
	const struct tval	*args;		/* NULL: none */
	struct json_object	*given;		/* or arguments already made */
	const struct tstr	*run;		/* a step's own run: script */
	const struct shell	*shell;		/* its shell, or NULL */
	const struct tval	*step_env;
	const struct tstr	*workdir;
	struct json_object	*root;		/* template data */
	struct json_object	*wf_input;	/* the workflow's arguments */
	bool			 pass_input;	/* give the tool those it */
						/* declares (a stage's tool) */
	const char		*exec_id, *workflow, *key;
	int			 attempt;
	const char		*out_file;	/* $MUSTER_OUTPUT */
	const char		*args_file;	/* for a child workflow's input */
	const char		*script_file;	/* or NULL: in /tmp */
	const char		*self;		/* muster's own executable */
	const char		*exec_dir;	/* the execution's, or NULL */
	int64_t			 timeout_ns;	/* the step's, or 0 */
	int			 jobs;		/* -j for a child workflow */
};

/*
 * Renders a call into an invocation: arguments through the tool's schema,
 * argv and environment.  Returns 0, or -1 with the reason in err (-2 when
 * the script could not be written: an I/O error).
 */
int	tool_prepare(const struct call *, struct invocation *, struct buf *err);
void	invocation_release(struct invocation *);

/*
 * The environment every process of a run starts from: muster's own,
 * config.yaml's env and MUSTER_EXECUTION_ID, MUSTER_WORKFLOW.  Set once.
 */
void	tool_base_env(struct project *, const char *exec_id,
	    const char *workflow);
/*
 * The environment a process outside any step starts from: tool_base_env's,
 * then env (rendered against root), then NAME=value for each pair of kv
 * (a NULL-ended list).  0, or -1 with the reason in err.
 */
int	tool_env(struct strv *, const struct tval *env, struct json_object *root,
	    const char *const *kv, struct buf *err);

#endif
