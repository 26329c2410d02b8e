/* slurm.h: talking to Slurm through its commands: sbatch, squeue, scancel. */
#ifndef MUSTER_SLURM_H
#define MUSTER_SLURM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "def/model.h"

/* One job to submit. */
struct slurm_job {
	const char		*name;		/* --job-name */
	const char		*script;	/* the job script's path */
	const char		*out, *err;	/* its stdout, stderr */
	const struct resources	*res;		/* merged, or NULL */
	int64_t			 time_ns;	/* --time, unless res */
};

/*
 * Writes the text of a job script into b: it exports env (NAME=value
 * entries; Slurm's own SLURM_* but SLURM_CONF are left to Slurm), enters
 * dir (NULL: stays), runs argv with stdin /dev/null, and stores its exit
 * status in status_path (through status_path.tmp and a rename).
 */
void	slurm_script(struct buf *b, char *const *argv, char *const *env,
	    const char *dir, const char *status_path, const char *what);

/*
 * The sbatch command line for j, a NULL-ended list (free with
 * slurm_argv_free()).
 */
char	**slurm_sbatch_argv(const struct slurm_job *j);
void	  slurm_argv_free(char **);

/*
 * Submits j with `sbatch --parsable`.  Returns 0 and the job id in *id
 * (new), or -1 with what sbatch (or the system) said in err.
 */
int	 slurm_submit(const struct slurm_job *j, char **id, struct buf *err);

/* What squeue says of a job; state "" when it no longer knows it. */
struct slurm_state {
	char	state[24];	/* PENDING, RUNNING, TIMEOUT ... */
	char	reason[48];
};

/*
 * Asks squeue once about the n jobs ids (every state, finished ones that
 * Slurm still remembers too) and fills st[i] for ids[i].  0, or -1 with
 * squeue's message in err.
 */
int	 slurm_query(char *const *ids, size_t n, struct slurm_state *st,
	    struct buf *err);
/* True while a job in this state is queued, running or being cleaned. */
bool	 slurm_active(const char *state);
/*
 * Why a job that left no exit status ended, for the step's error: "Slurm
 * ended it: out of memory (OUT_OF_MEMORY)" ...
 */
void	 slurm_explain(struct buf *, const char *id, const char *state,
	    const char *reason);
/* Asks sacct (when accounting is on) for a job's state: 0, or -1. */
int	 slurm_acct(const char *id, struct slurm_state *st);
/* Cancels jobs with one scancel call: 0, or -1 with its message in err. */
int	 slurm_cancel(char *const *ids, size_t n, struct buf *err);
/* The id of a job Slurm still knows by name (new), or NULL. */
char	*slurm_find(const char *name);

#endif
