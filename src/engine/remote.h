/* remote.h: steps that run as Slurm jobs: submitted, watched, reattached. */
#ifndef MUSTER_REMOTE_H
#define MUSTER_REMOTE_H

#include <stdbool.h>
#include <stdint.h>

struct buf;
struct exec;
struct invocation;
struct job;

/* True when this attempt of j is to run as a Slurm job. */
bool	 remote_wanted(struct exec *, struct job *,
	    const struct invocation *);
/*
 * Submits the attempt: writes its job script into the execution's slurm/
 * folder, runs sbatch and records the job id in the journal.  0, or -1
 * with what went wrong (Slurm's own words) in err.
 */
int	 remote_start(struct exec *, struct job *, struct invocation *,
	    struct buf *err);
/*
 * Resuming: when j's last attempt is a Slurm job that may still run or
 * has ended meanwhile, watches it again instead of submitting anew and
 * returns true.  Otherwise returns false, j->attempt set so that the next
 * attempt gets a new number.  j->proc must exist.
 */
bool	 remote_reattach(struct exec *, struct job *);
/* Asks Slurm to cancel j's job; false when j is not a Slurm job. */
bool	 remote_cancel(struct exec *, struct job *);
/* The earlier of d (0: none) and the next time Slurm is to be asked. */
int64_t	 remote_deadline(struct exec *, int64_t d);
/* When it is time: one squeue for all jobs; ends those that are gone. */
void	 remote_poll(struct exec *);
void	 remote_free(struct exec *);

/* attempt.c: a job that ran elsewhere ended (code: exit status, or -1). */
void	 job_ended_elsewhere(struct exec *, struct job *, int code,
	    const char *why, const char *out_path, const char *err_path);

#endif
