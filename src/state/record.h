/* record.h: an execution's record on disk: its folder, journal and summary. */
#ifndef MUSTER_RECORD_H
#define MUSTER_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/hmap.h"
#include "base/proc.h"
#include "state/journal.h"

struct json_object;
struct project;

/* The state folder of a project (".muster/state" unless configured). */
char	*record_state_dir(const struct project *);
/* True when id has the shape of an execution id (no path can hide in it). */
bool	 record_id_ok(const char *id);

/*
 * Checks folder fd (shown as path) of the state as ssh checks its own:
 * it must belong to this user or root, and no other user may write it.
 * Returns 0, or -1 after saying what is wrong and how to fix it.
 */
int	 record_dir_safe(int fd, const char *path);
/*
 * Opens the folder of execution id for writing: the state's executions
 * folder, then the execution's, each with O_NOFOLLOW and checked by
 * record_dir_safe(), and the folders a run writes checked by
 * record_subdirs_safe().  Returns the descriptor, or -1 after an error
 * (*code: the exit code, 3 none or unsafe, 4 unreadable).
 */
int	 record_open_exec(const char *state_dir, const char *id, int *code);
/*
 * Checks the folders inside execution folder dirfd that runs write to
 * ("logs", "out"): real folders of this user, not links.  0, or -1.
 */
int	 record_subdirs_safe(int dirfd, const char *dir);

/* Removes folder name in dirfd with what it holds, following no link. */
int	 record_remove(int dirfd, const char *name);
/*
 * A checkpoint record (new): name, the step that made it (or NULL), and
 * done, the keys of the steps completed then (taken over).
 */
struct json_object *record_checkpoint(const char *name, const char *step,
	    struct json_object *done);
/* RFC 3339 UTC time with milliseconds, from wall-clock nanoseconds. */
void	 record_time(char *buf, size_t len, int64_t wall_ns);
/* The reverse: nanoseconds, or 0 when s is not such a time. */
int64_t	 record_parse_time(const char *s);

struct rec;
typedef void	(*record_fn)(void *arg, const struct rec *);
/*
 * Reads execution id's journal (folder dir, open as dfd), checking every
 * record as every reader does, and gives each to fn in order.  Returns 0,
 * or the exit code after saying what is wrong (3 corrupt, 4 unreadable).
 */
int	 record_walk(int dfd, const char *dir, const char *id, record_fn,
	    void *arg);

/*
 * Reads execution id of the state folder into the status document of
 * SPEC.md section 5 (*out, new).  Returns 0, or the exit code after an
 * error: 3 unknown or corrupt.  A torn tail is dropped silently.
 */
int	 record_read(const char *state_dir, const char *id,
	    struct json_object **out);
/*
 * A record or summary says "running" until its end is written: when no
 * process holds the execution's lock any more, its runner died, and the
 * status is made "interrupted".  doc is a status document or a summary.
 */
void	 record_liveness(const char *state_dir, const char *id,
	    struct json_object *doc);
/* Removes the fields only muster itself reads ("_pid", ...) from a doc. */
void	 record_public(struct json_object *doc);
/*
 * The summary of one execution (summary.json, or the journal when a
 * crash left none): id, workflow_name, status, started_at, ... (new).
 */
struct json_object *record_summary(const char *state_dir, const char *id);
/*
 * The newest execution not started by another one (a workflow_ step): an
 * entry of *ids (from record_list(), which the caller frees), or NULL
 * after saying there is none.
 */
const char *record_latest(const char *state_dir, char ***ids, size_t *n);
/* What resume needs of a recorded step. */
struct prior_step {
	char			*key;
	size_t			 keylen;
	char			 status[12];	/* its last recorded status */
	uint64_t		 hash;		/* of its definition then */
	int			 attempts;
	struct json_object	*result;	/* when completed, or NULL */
	/* The process of its last attempt, when recorded after its status. */
	pid_t			 pid;
	uint64_t		 pstart;	/* its start time */
	char			 boot[40];	/* the boot it ran in */
	/* onError redirect: the recovery step that started and had not
	 * ended, with the failure it recovers from; else NULL */
	char			*redirect;
	char			*error;
	int			 exit_code;
	int64_t			 ms;		/* how long it had run */
	int64_t			 from;		/* when it started, or 0 */
	struct proc_usage	 usage;
	bool			 has_usage;
	/* executor: slurm: the job of its attempt job_attempt, or NULL */
	char			*job;
	int			 job_attempt;
};

/* What resume needs of a recorded execution. */
struct prior {
	struct json_object	*doc;		/* as record_read(), without steps */
	struct hmap		 steps;		/* key -> struct prior_step */
	struct prior_step	*all;
	size_t			 n;
};

/*
 * Reads execution id (folder dir, open as dirfd) for resume: the run's
 * record and, for each step, its last status, definition hash, attempts
 * and (completed) result.  Every record is parsed and checked as
 * record_read() does, so that no command acts on a journal another calls
 * corrupt; scan tells of a torn tail.  Returns 0, or the exit code after
 * an error (3 corrupt, 4 unreadable).
 */
int	 record_prior(int dirfd, const char *dir, const char *id,
	    struct prior *, struct journal_scan *scan);
void	 prior_release(struct prior *);
/* The recorded result of a completed step, or NULL. */
struct json_object *prior_result(struct prior_step *);
/* The ids of every execution in the state folder, newest first. */
int	 record_list(const char *state_dir, char ***ids, size_t *n);
/* The same from a listing of the folder (record_list reads state/index). */
int	 record_scan(const char *state_dir, char ***ids, size_t *n);

#endif
