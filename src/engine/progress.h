/* progress.h: what a run shows while it goes, and its summary. */
#ifndef MUSTER_PROGRESS_H
#define MUSTER_PROGRESS_H

#include "engine/eta.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exec;
struct job;

enum progress_mode {
	PROGRESS_PLAIN,		/* a timestamped line per event (cron, hooks) */
	PROGRESS_TTY,		/* a live status line */
	PROGRESS_JSON		/* a JSON object per event on stdout */
};

struct progress {
	enum progress_mode	 mode;
	int			 verbose;	/* -1 quiet, 1 stream output */
	int			 color;
	int			 stream;	/* show step output with [step] */
	int			 silent;	/* show nothing at all */
	int			 line_shown;	/* a status line is on screen */
	size_t			 done, total;
	double			 wdone, wtotal;	/* by the steps' weights */
	struct eta		 eta;		/* from past executions */
	int64_t			 next_tick;	/* refresh the live line then */
};

enum step_event {
	SE_STARTED,
	SE_COMPLETED,
	SE_FAILED,
	SE_RETRYING,
	SE_SKIPPED,
	SE_REDIRECTED,	/* failed; its recovery step runs */
	SE_REUSED	/* completed in an earlier run of the execution */
};

/* How a run's steps ended, counted by the one rule of progress.c. */
struct tally {
	size_t	steps, completed, failed, skipped, not_run;
};
struct json_object;

/* Whether a job is one of the steps that are counted. */
bool	progress_counted(const struct job *);
void	progress_tally(const struct exec *, struct tally *);
/* {steps, completed, failed, skipped, not_run} (new). */
struct json_object *progress_tally_json(const struct tally *);

void	progress_init(struct progress *, int verbose, int color, int json);
void	progress_run_started(struct progress *, struct exec *);
void	progress_step(struct progress *, struct exec *, struct job *,
	    enum step_event);
/* A line (without its newline) a step wrote, on stream 1 or 2. */
void	progress_output(struct progress *, struct exec *, struct job *,
	    int stream, const char *, size_t);
/* A step's progress (an MCP call's "3/10 message"): on the status line,
 * or a step_progress event. */
void	progress_note(struct progress *, struct exec *, struct job *,
	    const char *note);
/* The summary, after the run's record is final. */
void	progress_run_finished(struct progress *, struct exec *);
/* The deadline to wait until: d, or sooner when the live line is due. */
int64_t	progress_deadline(struct progress *, int64_t d);
/* Refreshes the live line when it is due (the longest step's time). */
void	progress_tick(struct progress *, struct exec *);
/* Clears the status line before something else prints. */
void	progress_clear(struct progress *);

#endif
