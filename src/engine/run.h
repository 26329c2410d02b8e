/* run.h: running an execution: what the loop, jobs and conditions share. */
#ifndef MUSTER_RUN_H
#define MUSTER_RUN_H

#include "engine/exec.h"

struct buf;

/*
 * Sets an execution up to run w with input (checked; a new reference is
 * taken): its jobs, graph and limits.  0, or -1 after an error.
 */
int	 exec_prepare(struct exec *, struct project *, struct workflow *,
	    struct json_object *input, const struct run_opts *);
/* Runs it; returns muster's exit code (or dies of a forwarded signal). */
int	 exec_run(struct exec *);
void	 exec_release(struct exec *);

/* job.c: the life of one job. */
struct job	*job_new(struct exec *, struct step *, char *key,
		    struct job *parent);
void	 job_ready(struct exec *, struct job *);
void	 job_start(struct exec *, struct job *);
void	 job_exited(struct exec *, struct job *, int status);
/* The deadline of an active job passed: a timeout or a retry. */
void	 job_deadline(struct exec *, struct job *);
/* Ends a job that will not run (again): status and reason. */
void	 job_finish(struct exec *, struct job *, enum status, const char *);
/* Whether a failure of j is allowed: allowFailure on it or a container
 * around it, or an onFailure step. */
bool	 job_tolerated(const struct job *);
/* What a failed step's line adds: " (allowed)", " (recovered by 'x')". */
const char *job_failure_note(const struct job *);
/* Fails a job with text a template or a tool made (masked here). */
void	 job_fail(struct exec *, struct job *, const char *text);
/* onError redirect: j failed; its rule's recovery step runs (job.c). */
void	 recover_start(struct exec *, struct job *, bool fresh);
void	 job_kill(struct exec *, struct job *, int sig, int64_t grace);
/* Releases a job's process state and its child workflow's input file. */
void	 job_proc_free(struct job *);
void	 job_free(struct job *);
/* active list bookkeeping */
void	 active_add(struct exec *, struct job *);
void	 active_del(struct exec *, struct job *);
/* Whether the job's process calls an MCP tool (attempt.c). */
bool	 job_calls_mcp(const struct job *);

/* output.c: what an attempt's process writes, and which job a pid is. */
void	 pidmap_put(struct exec *, pid_t, struct job *);
void	 pidmap_del(struct exec *, pid_t);
struct job *job_by_pid(struct exec *, pid_t);
void	 pidmap_free(struct pidmap *);
/* Reads what stream s (0 out, 1 err) of j's process has for now. */
void	 job_read(struct exec *, struct job *, int stream);
/* j's process ended: takes what is left in its pipes and closes them. */
void	 job_drain(struct exec *, struct job *);
/* Feeds a file a job wrote elsewhere through the stream s of j. */
void	 job_read_file(struct exec *, struct job *, int stream,
	    const char *path);
/*
 * Appends ": " and the last non-empty lines of a failed attempt's stderr
 * (masked already), at most ERR_TAIL_LINES of them and ERR_TAIL_MAX
 * bytes, joined by " | ", control characters made spaces: why it failed,
 * in its own words, for the record and the summary.
 */
void	 err_tail_add(struct buf *why, struct buf *tail);
/* The result of a job's process from its stdout and $MUSTER_OUTPUT. */
struct json_object *job_result(struct job *);

/* cond.c: conditions. */
/*
 * Decides a template or fromStep condition now: 1 pass, 0 skip, -1 error
 * (in err).  A tool condition returns 2: its tool must run first.
 */
int	 cond_now(struct exec *, struct job *, struct buf *err);
/* Decides a tool condition from its run: 1 pass, 0 skip, -1 error. */
int	 cond_after(struct exec *, struct job *, int success,
	    struct json_object *result, struct buf *err);
/* Checks expect/expectNot against a success flag and a result. */
int	 cond_expect(struct exec *, struct job *, const struct condition *,
	    int success, struct json_object *result, struct buf *err);
/* Looks path ("a.b[0].c") up in v; NULL when it is not there. */
struct json_object *json_path(struct json_object *v, const char *path);

/*
 * The template data for a job (its loop variables included); new, and
 * given back with job_root_put() before anything else changes results.
 */
struct json_object *job_root(struct exec *, struct job *);
void	 job_root_put(struct exec *, struct job *, struct json_object *root);

#endif
