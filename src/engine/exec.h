/* exec.h: one run of a workflow: its jobs, their states, its record. */
#ifndef MUSTER_EXEC_H
#define MUSTER_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/hmap.h"
#include "state/journal.h"
#include "state/record.h"
#include "state/status.h"
#include "engine/recorder.h"
#include "engine/mask.h"
#include "def/model.h"
#include "base/proc.h"
#include "base/util.h"

struct json_object;
struct mask;
struct progress;

/* What a job is doing now, beyond its status. */
enum phase {
	PH_WAITING,	/* for dependencies */
	PH_READY,	/* in the ready queue */
	PH_COND,	/* its condition tool runs */
	PH_RUN,		/* its process runs */
	PH_RETRY,	/* waiting to try again */
	PH_CHILDREN,	/* a container: its sub-jobs run */
	PH_RECOVER,	/* failed; the recovery step a rule named runs */
	PH_DONE
};

/* One process of a job: the step itself or its condition tool. */
struct run_proc {
	struct child	 child;
	bool		 exited;
	int		 status;	/* waitpid status */
	int		 open;		/* pipes still open */
	struct buf	 out;		/* stdout, up to a cap */
	bool		 out_cut;	/* more came than was kept */
	int		 log[2];	/* stdout and stderr log files, or -1 */
	struct buf	 line[2];	/* partial lines for -v streaming */
	struct mask_stream mstream[2];	/* masking of the log files */
	struct buf	 err_tail;	/* the end of stderr, masked */
	char		*out_file;	/* $MUSTER_OUTPUT */
	char		*args_file;	/* a child workflow's input, or NULL */
	int64_t		 timeout;	/* its own, or 0 */
	char		 note[48];	/* an MCP call's last progress */
	char		*script_file;	/* its run: script, removed at its end */
};

struct job {
	struct step	 *step;
	char		 *key;		/* record name: id, or id_<index> */
	struct job	 *parent;	/* container, or NULL */
	size_t		  seq;		/* in exec.jobs */
	unsigned	  index;	/* top-level: step index; else own */
	int		  iter;		/* forEach iteration, or -1 */
	enum status	  status;
	enum phase	  phase;
	unsigned	  waiting;	/* unfinished dependencies */
	struct job	 *next[2];	/* sub-jobs: what waits for this */
	unsigned	  nnext;
	bool		  blocked;	/* a dependency failed: never runs */
	bool		  cleanup;	/* an onFailure step */
	bool		  reused;	/* completed in an earlier run */
	bool		  forced;	/* must run again: an upstream step ran */
	int		  attempt;
	const struct route *route;	/* the onError rule that took it */
	int		  route_tries;	/* attempts that rule gave */
	bool		  route_ok;	/* a rule let its failure go */
	/* onError redirect: how its recovery step went, or is going */
	enum { RV_NONE, RV_RUNNING, RV_AGAIN, RV_DONE, RV_FAILED } recovery;
	struct job	 *recovers;	/* a recovery step: the step it serves */
	int		  exit_code;	/* -1: none (signal, not started) */
	char		 *error;
	char		 *err_text;	/* stderr's tail, for onError */
	int64_t		  started_ns, ended_ns;	/* monotonic */
	int64_t		  started_wall, ended_wall;
	int64_t		  deadline;	/* timeout or retry time, or 0 */
	int64_t		  kill_at;	/* SIGKILL the group then, or 0 */
	bool		  timed_out;
	bool		  has_usage;	/* usage is the last attempt's */
	struct proc_usage usage;	/* of the last attempt's process */
	size_t		  slot;		/* in exec.active, while active */
	struct json_object *vars;	/* loop variables, or NULL */
	struct json_object *lent;	/* .results entries job_root() lent */
	struct json_object *input;	/* the rendered arguments */
	struct json_object *result;
	struct run_proc	 *proc;	/* while it has an attempt to run */
	bool		  in_cond;	/* proc is the condition tool */
	bool		  cond_done;	/* its condition has passed */
	/* containers */
	struct job	**kids;
	size_t		  nkids, kids_left;
	bool		  kid_failed;
	struct json_object *items;
};

/* Options of one run, from the command line and config.yaml. */
struct run_opts {
	int		 jobs;		/* -j: 0 unlimited */
	bool		 keep_going;	/* -k */
	bool		 dry_run;	/* -n: plan only (never reaches exec) */
	bool		 no_record;	/* write nothing: `muster call` */
	bool		 silent;	/* no progress at all (a service's tool) */
	int		 log_fd;	/* without a record: output goes here */
	bool		 fsync;
	int64_t		 timeout_ns;	/* --timeout, or 0 */
	const char	*parent;	/* --parent: the calling execution */
	bool		 result_json;	/* print the result on stdout */
	const char	*from;		/* resume --from STEP */
};

struct exec {
	struct project		*p;
	struct workflow		*w;
	struct run_opts		 opt;
	char			 id[32];
	char			*dir;		/* the execution's folder, as shown */
	char			*dir_abs;	/* the same, for child processes */
	int			 dirfd;
	struct journal		 journal;
	struct json_object	*input;		/* arguments, defaults applied */
	struct json_object	*results;	/* .results */
	struct json_object	*steps;		/* .steps */
	struct json_object	*root;		/* template data without .vars */
	struct json_object	*last_iter;	/* forEach sub-step id -> index */
	struct json_object	*result;	/* the output document */
	struct mask		*mask;
	struct progress		*prog;
	int			 verbose, color, json;	/* from the command */
	enum exec_status	 status;
	char			*error;
	int			 exit_code;
	int			 signal;	/* that ended the run, or 0 */
	int			 nsignals;	/* 2: no cleanup */
	bool			 stopping;	/* fail-fast: start nothing */
	bool			 failed;	/* a step failed for real */
	int			 nfailed;	/* steps that did */
	bool			 timed_out;
	bool			 io_failed;	/* the record cannot be written */
	bool			 output_lost;	/* stdout/stderr failed */
	char			*self;		/* muster's own executable */
	/* resume */
	bool			 resumed;
	const bool		*selected;	/* --only/--from: by top-level */
						/* step index; NULL: all */
	struct prior		*prior;		/* what the record says */
	const char		*from;		/* --from: run it again */
	bool			 cancelled;	/* muster cancel asked for it */
	bool			 pausing;	/* muster pause asked for it */
	int			 lock_fd, wflock_fd;
	int64_t			 started_ns, started_wall, deadline;
	struct proc_usage	 usage;		/* of every process reaped */
	/* jobs */
	struct job		**jobs;		/* every job, in creation order */
	size_t			 njobs, jobcap;
	struct job		**top;		/* top-level jobs by step index */
	size_t			*users_start, *users;	/* reverse edges */
	struct job		**ready;	/* FIFO ring */
	size_t			 rhead, rtail, rcap;
	struct job		**active;	/* running or waiting to retry */
	size_t			 nactive, activecap;
	struct pidmap		*pids;		/* pid -> job */
	struct remote		*remote;	/* Slurm jobs (remote.c) */
	size_t			 running;	/* processes, not containers */
	int			 limit;		/* processes at once */
	size_t			 left;		/* jobs not yet done */
	struct job		**cleanups;	/* onFailure steps, in order */
	struct job		*cleanup;	/* the onFailure step running */
	size_t			 ncleanup;	/* onFailure steps done */
	bool			 in_cleanup;
};

#endif
