/* rec.h: one journal record, parsed as untrusted JSON and checked. */
#ifndef MUSTER_REC_H
#define MUSTER_REC_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct json_object;

/* The kinds of records a journal holds (recorder.c writes them). */
enum rec_type {
	REC_START,	/* the first: id, workflow, at, input, ... */
	REC_STEP,	/* a step's status: k, s, a, at, h, result, ... */
	REC_PID,	/* the process of a step's attempt: k, pid, ps, boot */
	REC_RESUME,	/* a resume began: at, pid */
	REC_END,	/* the run ended: s, at, ms, result, error */
	REC_CHECKPOINT,	/* a named point: name, at, step, done (keys) */
	REC_SLURM,	/* a step's attempt went to Slurm: k, a, job, name */
	REC_OTHER	/* a kind this version does not know: skipped */
};

/*
 * Records nest the values muster accepted (at most VALUE_MAX_DEPTH
 * levels) in a few levels of their own; a container's result holds its
 * children's, and templates may build deeper values still (fromJson and
 * nested calls, up to TMPL_MAX_DEPTH).  Readers leave room for all of it:
 * whatever a writer wrote, they read.
 */
#define REC_MAX_DEPTH	2048

struct rec {
	enum rec_type		 type;
	struct json_object	*o;	/* the whole record */
	const char		*key;	/* step, pid: "k" */
	const char		*status; /* step, end: "s" (a known name) */
};

/*
 * Parses payload p (len bytes) as one record: JSON of at most
 * REC_MAX_DEPTH levels, an object whose fields have the types its kind
 * requires.  Returns 0, or -1 with why saying what is wrong.
 */
int		 rec_parse(const char *p, size_t len, struct rec *,
		    struct buf *why);
void		 rec_release(struct rec *);
/* Field key of r, or NULL when absent or JSON null. */
struct json_object *rec_get(const struct rec *, const char *key);
/* The same as a string, or NULL. */
const char	*rec_str(const struct rec *, const char *key);
/* The same as an integer, or def. */
int64_t		 rec_int(const struct rec *, const char *key, int64_t def);

/*
 * Checks a summary.json document: an object with the summary's fields of
 * the right types.  Returns 0, or -1 with why.
 */
int		 rec_check_summary(struct json_object *, struct buf *why);

#endif
