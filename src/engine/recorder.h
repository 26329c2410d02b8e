/* recorder.h: writes an execution's record as it runs: its folder, the
 * journal's records and the summary (state/record.h reads them). */
#ifndef MUSTER_RECORDER_H
#define MUSTER_RECORDER_H

struct exec;
struct job;

/*
 * Creates the execution's folder (0700) under a new id, opens its journal
 * and records the start.  0, or -1 after an error (exit 4).
 */
int	 record_create(struct exec *);
/* Appends to an existing execution being resumed (x->dir, x->dirfd set). */
int	 record_reopen(struct exec *);
/*
 * Takes the workflow's lock when its concurrency is forbid or wait.
 * Returns 0, or the exit code after an error (75 when forbidden).
 */
int	 record_lock_workflow(struct exec *);
/* Records a job's state change: "running", its pid, or where it ended. */
int	 record_job(struct exec *, struct job *);
int	 record_job_pid(struct exec *, struct job *);
/* Records that j's attempt is Slurm job id, named name (always synced:
 * nothing else can tell a resume which job is the step's). */
int	 record_slurm_job(struct exec *, struct job *, const char *id,
	    const char *name);
/* Records the checkpoint step j names: the steps completed by now. */
int	 record_step_checkpoint(struct exec *, struct job *);
/* Records the end of the run and writes the summary. */
int	 record_end(struct exec *);
/*
 * With --fsync, makes what was recorded so far survive a power cut; muster
 * calls it before it acts on a record (starts a process or a built-in)
 * and before it waits for anything.
 */
int	 record_sync(struct exec *);
void	 record_close(struct exec *);

#endif
