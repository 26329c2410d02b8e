/* progress.c: what a run shows while it goes, and its summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "engine/exec.h"
#include "engine/mask.h"
#include "engine/progress.h"
#include "engine/run.h"
#include "state/record.h"
#include "state/usage.h"
#include "base/value.h"

#define RED	"\033[31m"
#define GREEN	"\033[32m"
#define YELLOW	"\033[33m"
#define BOLD	"\033[1m"
#define RESET	"\033[0m"

void
progress_init(struct progress *pr, int verbose, int color, int json)
{
	const char	*term = getenv("TERM");

	memset(pr, 0, sizeof *pr);
	pr->verbose = verbose;
	pr->color = color;
	pr->stream = verbose > 0;
	if (json)
		pr->mode = PROGRESS_JSON;
	else if (isatty(STDERR_FILENO) && (term == NULL ||
	    strcmp(term, "dumb") != 0))
		pr->mode = PROGRESS_TTY;
	else
		pr->mode = PROGRESS_PLAIN;
}

static const char *
paint(const struct progress *pr, const char *c)
{
	return pr->color ? c : "";
}

void
progress_clear(struct progress *pr)
{
	if (pr->line_shown) {
		fputs("\r\033[K", stderr);
		pr->line_shown = 0;
	}
}

static void
stamp(char *buf, size_t len)
{
	time_t		t = time(NULL);
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/*
 * Prints one line to stderr: timestamped in plain mode.  It is not
 * masked: the free text in it (errors, results) was masked before.
 */
static void
say(struct progress *pr, struct exec *x, const char *fmt, ...)
	PRINTF(3, 4);

static void
say(struct progress *pr, struct exec *x, const char *fmt, ...)
{
	struct buf	line = BUF_INIT;
	char		t[32];
	va_list		ap;

	(void)x;
	if (pr->silent)
		return;
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	progress_clear(pr);
	if (pr->mode == PROGRESS_PLAIN) {
		stamp(t, sizeof t);
		fprintf(stderr, "%s %s\n", t, buf_str(&line));
	} else
		fprintf(stderr, "%s\n", buf_str(&line));
	buf_release(&line);
}

/*
 * The one counting rule, for the live line, the summary, the events and
 * the summary file: the workflow's top-level steps, each once (a forEach
 * or parallel step with all that runs inside it); onFailure steps are
 * told apart.
 */
bool
progress_counted(const struct job *j)
{
	return j->parent == NULL && !j->cleanup && j->recovers == NULL;
}

void
progress_tally(const struct exec *x, struct tally *t)
{
	size_t	i;

	memset(t, 0, sizeof *t);
	t->steps = x->w->nsteps;
	for (i = 0; i < x->njobs; i++) {
		const struct job	*j = x->jobs[i];

		if (!progress_counted(j))
			continue;
		if (j->status == ST_COMPLETED)
			t->completed++;
		else if (j->status == ST_FAILED)
			t->failed++;
		else if (j->status == ST_SKIPPED)
			t->skipped++;
		else
			t->not_run++;
	}
}

struct json_object *
progress_tally_json(const struct tally *t)
{
	struct json_object	*o = json_object_new_object();

	json_set(o, "steps", json_object_new_int64((int64_t)t->steps));
	json_set(o, "completed", json_object_new_int64((int64_t)t->completed));
	json_set(o, "failed", json_object_new_int64((int64_t)t->failed));
	json_set(o, "skipped", json_object_new_int64((int64_t)t->skipped));
	json_set(o, "not_run", json_object_new_int64((int64_t)t->not_run));
	return o;
}

static void	status_line(struct progress *, struct exec *);

/* The live line's end: "; longest: migrate 1m12s" (refreshed each second). */
static void
longest(struct buf *b, struct exec *x)
{
	struct job	*l = NULL;
	int64_t		 now = clock_mono_ns();
	size_t		 i;

	for (i = 0; i < x->nactive; i++) {
		struct job	*j = x->active[i];

		if ((j->phase == PH_RUN || j->phase == PH_COND) &&
		    j->started_ns != 0 && (l == NULL ||
		    j->started_ns < l->started_ns))
			l = j;
	}
	x->prog->next_tick = now + 1000000000;
	if (l == NULL || now - l->started_ns < 1000000000)
		return;
	buf_printf(b, "; longest: %s ", l->key);
	duration_format(b, (now - l->started_ns) / 1000000000 * 1000000000);
}

int64_t
progress_deadline(struct progress *pr, int64_t d)
{
	if (pr->mode != PROGRESS_TTY || pr->verbose < 0 || pr->silent ||
	    pr->next_tick == 0)
		return d;
	return d == 0 || pr->next_tick < d ? pr->next_tick : d;
}

void
progress_tick(struct progress *pr, struct exec *x)
{
	if (pr->next_tick != 0 && clock_mono_ns() >= pr->next_tick)
		status_line(pr, x);
}

static double
weight_of(const struct step *s)
{
	return s->weight > 0 ? s->weight : 1;
}

static int
percent(const struct progress *pr)
{
	return pr->wtotal > 0 ? (int)(100 * pr->wdone / pr->wtotal + 0.5) :
	    100;
}

/* "40% done, 12s in, about 30s left" (the last once there is history). */
static void
figures(struct buf *b, struct progress *pr, struct exec *x)
{
	int64_t	in = clock_mono_ns() - x->started_ns, left;

	buf_printf(b, "%d%% done, ", percent(pr));
	duration_format(b, in - in % 1000000000);
	buf_adds(b, " in");
	if (pr->done < pr->total && (left = eta_left_ms(&pr->eta, x)) >= 0) {
		buf_adds(b, ", about ");
		duration_format(b, (left + 500) / 1000 * 1000000000);
		buf_adds(b, " left");
	}
}

/* The live line: "[3/10 40%] running migrate, smoke; 12s in, ...". */
static void
status_line(struct progress *pr, struct exec *x)
{
	struct buf	b = BUF_INIT;
	size_t		i, shown = 0;
	int64_t		in, left;

	if (pr->mode != PROGRESS_TTY || pr->verbose < 0)
		return;
	buf_printf(&b, "[%zu/%zu %d%%] running", pr->done, pr->total,
	    percent(pr));
	for (i = 0; i < x->nactive && b.len < 70; i++)
		if (x->active[i]->phase == PH_RUN ||
		    x->active[i]->phase == PH_COND) {
			const struct run_proc	*rp = x->active[i]->proc;

			buf_printf(&b, "%s %s", shown++ ? "," : "",
			    x->active[i]->key);
			if (rp != NULL && rp->note[0] != '\0')
				buf_printf(&b, " (%s)", rp->note);
		}
	if (shown == 0)
		buf_truncate(&b, b.len - strlen(" running"));
	in = clock_mono_ns() - x->started_ns;
	buf_adds(&b, "; ");
	duration_format(&b, in - in % 1000000000);
	if ((left = eta_left_ms(&pr->eta, x)) >= 0) {
		buf_adds(&b, ", about ");
		duration_format(&b, (left + 500) / 1000 * 1000000000);
		buf_adds(&b, " left");
	}
	longest(&b, x);
	fprintf(stderr, "\r%s\033[K", buf_str(&b));
	pr->line_shown = 1;
	buf_release(&b);
}

static void
json_event(struct exec *x, const char *event, struct job *j,
    struct json_object *extra)
{
	struct json_object	*o = json_object_new_object();
	char			 t[40];

	record_time(t, sizeof t, clock_wall_ns());
	json_set(o, "event", json_str(event));
	json_set(o, "time", json_str(t));
	json_set(o, "execution_id", json_str(x->id));
	if (j != NULL)
		json_set(o, "step", json_str(j->key));
	if (extra != NULL) {
		json_object_object_foreach(extra, k, v)
			json_set(o, k, json_object_get(v));
		json_object_put(extra);
	}
	json_print(stdout, o);
	fflush(stdout);
	json_object_put(o);
}

void
progress_run_started(struct progress *pr, struct exec *x)
{
	size_t	i;

	pr->total = x->w->nsteps;
	pr->wtotal = pr->wdone = 0;
	for (i = 0; i < x->w->nsteps; i++)
		pr->wtotal += weight_of(x->w->steps[i]);
	memset(&pr->eta, 0, sizeof pr->eta);
	if (!pr->silent && x->dir != NULL && (pr->verbose >= 0 ||
	    pr->mode == PROGRESS_JSON)) {
		char	*state = record_state_dir(x->p);

		eta_load(&pr->eta, x, state);
		free(state);
	}
	if (pr->mode == PROGRESS_JSON) {
		struct json_object	*e = json_object_new_object();

		json_set(e, "workflow", json_str(x->w->name));
		json_set(e, "steps", json_object_new_int64((int64_t)pr->total));
		json_event(x, "run_started", NULL, e);
	}
	status_line(pr, x);
}

static void
duration(struct buf *b, const struct job *j)
{
	int64_t	ns = j->ended_ns - j->started_ns;

	/* Milliseconds are enough for people. */
	duration_format(b, ns - ns % 1000000);
}

/* What -v adds to a step's duration: " (cpu 0.20s, max rss 98.1MiB)". */
static void
usage_note(struct buf *b, const struct proc_usage *u)
{
	buf_adds(b, " (cpu ");
	usage_format_cpu(b, usage_cpu_us(u));
	buf_adds(b, ", max rss ");
	usage_format_kb(b, u->max_rss_kb);
	buf_addc(b, ')');
}

/* percent, elapsed_ms and (with history) eta_ms, for --json events. */
static void
progress_json(struct json_object *e, struct progress *pr, struct exec *x)
{
	int64_t	left = eta_left_ms(&pr->eta, x);

	json_set(e, "percent", json_object_new_int(percent(pr)));
	json_set(e, "elapsed_ms", json_object_new_int64((clock_mono_ns() -
	    x->started_ns) / 1000000));
	if (left >= 0)
		json_set(e, "eta_ms", json_object_new_int64(left));
}

static struct json_object *
step_json(const struct job *j, enum step_event ev)
{
	struct json_object	*e = json_object_new_object();

	json_set(e, "attempt", json_object_new_int(j->attempt));
	if (ev == SE_STARTED)
		return e;
	if (j->started_ns != 0)
		json_set(e, "duration_ms", json_object_new_int64(
		    (j->ended_ns - j->started_ns) / 1000000));
	if (j->exit_code >= 0)
		json_set(e, "exit_code", json_object_new_int(j->exit_code));
	if (j->has_usage)
		json_set(e, "rusage", usage_to_json(&j->usage));
	if (j->error != NULL)
		json_set(e, "error", json_str(j->error));
	return e;
}

/* A step's line in text modes; d its duration, f how far the run is. */
static void
step_line(struct progress *pr, struct exec *x, struct job *j,
    enum step_event ev, const char *d, const char *f)
{
	switch (ev) {
	case SE_STARTED:
		if (pr->mode == PROGRESS_PLAIN)
			say(pr, x, "%s: started%s", j->key, j->attempt > 1 ?
			    " again" : "");
		break;
	case SE_COMPLETED:
		if (pr->mode == PROGRESS_PLAIN || pr->verbose > 0)
			say(pr, x, "%s: %scompleted%s in %s%s", j->key,
			    paint(pr, GREEN), paint(pr, RESET), d, f);
		break;
	case SE_FAILED:
		say(pr, x, "%s: %sfailed%s after %s: %s%s%s", j->key,
		    paint(pr, RED), paint(pr, RESET), d, j->error ? j->error :
		    "failed", job_failure_note(j), f);
		break;
	case SE_RETRYING:
		/* An onError rule's retry counts its own attempts. */
		say(pr, x, "%s: attempt %d of %d failed after %s: %s; trying "
		    "again", j->key, j->route != NULL ? j->route_tries :
		    j->attempt, j->route != NULL ? j->route->retry.attempts :
		    j->step->retry.attempts, d, j->error ? j->error :
		    "failed");
		break;
	case SE_SKIPPED:
		say(pr, x, "%s: %sskipped%s (%s)%s", j->key,
		    paint(pr, YELLOW), paint(pr, RESET), j->error ? j->error :
		    "condition false", f);
		break;
	case SE_REDIRECTED:
		if (j->recovery == RV_AGAIN)
			say(pr, x, "%s: failed before; its recovery step '%s' "
			    "had not ended and runs again", j->key,
			    j->route->target->id);
		else
			say(pr, x, "%s: %sfailed%s after %s: %s; recovering "
			    "with step '%s'", j->key, paint(pr, RED),
			    paint(pr, RESET), d, j->error ? j->error :
			    "failed", j->route->target->id);
		break;
	case SE_REUSED:
		if (pr->verbose > 0)
			say(pr, x, "%s: completed before; kept", j->key);
		break;
	}
}

void
progress_step(struct progress *pr, struct exec *x, struct job *j,
    enum step_event ev)
{
	static const char *const	 events[] = { "step_started",
		"step_completed", "step_failed", "step_retrying",
		"step_skipped", "step_redirected", "step_reused" };
	struct buf			 d = BUF_INIT, f = BUF_INIT;

	if (ev != SE_STARTED && ev != SE_RETRYING && ev != SE_REDIRECTED &&
	    progress_counted(j)) {
		pr->done++;
		pr->wdone += weight_of(j->step);
	}
	if (pr->mode == PROGRESS_JSON) {
		struct json_object	*e = step_json(j, ev);

		if (ev == SE_REDIRECTED)
			json_set(e, "recovery", json_str(
			    j->route->target->id));
		if (ev != SE_STARTED && ev != SE_RETRYING)
			progress_json(e, pr, x);
		json_event(x, events[ev], j, e);
		return;
	}
	/* Plain lines of steps that ended say how far the run is. */
	if (ev != SE_STARTED && ev != SE_RETRYING && ev != SE_REUSED &&
	    ev != SE_REDIRECTED && pr->mode == PROGRESS_PLAIN && pr->total > 1 &&
	    progress_counted(j)) {
		buf_printf(&f, " [%zu/%zu, ", pr->done, pr->total);
		figures(&f, pr, x);
		buf_addc(&f, ']');
	}
	if (ev != SE_STARTED && j->started_ns != 0)
		duration(&d, j);
	if (ev != SE_STARTED && pr->verbose > 0 && j->has_usage)
		usage_note(&d, &j->usage);
	if (pr->verbose >= 0 || ev == SE_FAILED)
		step_line(pr, x, j, ev, buf_str(&d), buf_str(&f));
	buf_release(&d);
	buf_release(&f);
	status_line(pr, x);
}

void
progress_note(struct progress *pr, struct exec *x, struct job *j,
    const char *note)
{
	if (pr->silent)
		return;
	if (pr->mode == PROGRESS_JSON) {
		struct json_object	*e = json_object_new_object();

		json_set(e, "message", json_str(note));
		json_event(x, "step_progress", j, e);
		return;
	}
	status_line(pr, x);
}

void
progress_output(struct progress *pr, struct exec *x, struct job *j,
    int stream, const char *s, size_t len)
{
	struct buf	out = BUF_INIT;

	if (!pr->stream || pr->mode == PROGRESS_JSON)
		return;
	mask_copy(x->mask, &out, s, len);
	progress_clear(pr);
	fprintf(stderr, "%s[%s]%s %s\n", paint(pr, stream == 2 ? YELLOW : ""),
	    j->key, paint(pr, stream == 2 ? RESET : ""), buf_str(&out));
	buf_release(&out);
	status_line(pr, x);
}

/*
 * The log of a job's last attempt worth reading: stderr's if it wrote
 * any, else stdout's (attempt.c names them).
 */
static char *
log_path(struct exec *x, struct job *j)
{
	struct stat	st;
	char		*p;
	int		 i;

	for (i = 1; i >= 0; i--) {
		if (j->attempt > 1)
			p = xasprintf("%s/logs/%s.%d%s", x->dir, j->key,
			    j->attempt, i ? ".err" : ".out");
		else
			p = xasprintf("%s/logs/%s%s", x->dir, j->key,
			    i ? ".err" : ".out");
		if (stat(p, &st) == 0 && st.st_size > 0)
			return p;
		free(p);
	}
	return NULL;
}

static int
by_end(const void *a, const void *b)
{
	const struct job	*x = *(struct job *const *)a;
	const struct job	*y = *(struct job *const *)b;

	return x->ended_ns < y->ended_ns ? -1 : x->ended_ns > y->ended_ns;
}

/*
 * The step inside a failed container that failed first (at any depth),
 * whose log tells why; j itself when it is not a container.
 */
static struct job *
failed_leaf(struct job *j)
{
	struct job	*first = NULL;
	size_t		 i;

	for (i = 0; i < j->nkids; i++)
		if (j->kids[i]->status == ST_FAILED && (first == NULL ||
		    j->kids[i]->ended_ns < first->ended_ns))
			first = j->kids[i];
	return first != NULL ? failed_leaf(first) : j;
}

/* Failures in the order they happened, each with its log. */
static void
summary_failures(struct progress *pr, struct exec *x)
{
	struct job	**failed = xcalloc(x->njobs + 1, sizeof *failed);
	size_t		  i, n = 0;

	for (i = 0; i < x->njobs; i++)
		if (x->jobs[i]->status == ST_FAILED &&
		    (progress_counted(x->jobs[i]) || x->jobs[i]->cleanup))
			failed[n++] = x->jobs[i];
	xqsort(failed, n, sizeof *failed, by_end);
	for (i = 0; i < n; i++) {
		struct job	*j = failed[i];
		char		*log = x->dir ? log_path(x, failed_leaf(j)) :
				    NULL;

		if (j->cleanup)
			say(pr, x, "  onFailure step %s failed: %s", j->key,
			    j->error ? j->error : "failed");
		else
			say(pr, x, "  failed: %s%s%s: %s%s", i == 0 ?
			    paint(pr, BOLD) : "", j->key, i == 0 ?
			    paint(pr, RESET) : "", j->error ? j->error :
			    "failed", job_failure_note(j));
		if (log != NULL)
			say(pr, x, "          log: %s", log);
		free(log);
	}
	free(failed);
}

static void
summary_lists(struct progress *pr, struct exec *x)
{
	struct buf	 skipped = BUF_INIT, notrun = BUF_INIT;
	size_t		 i;

	summary_failures(pr, x);
	for (i = 0; i < x->njobs; i++) {
		struct job	*j = x->jobs[i];

		if (progress_counted(j) && j->status == ST_SKIPPED)
			buf_printf(&skipped, "%s%s", skipped.len ? ", " : "",
			    j->key);
		else if (progress_counted(j) && (j->status == ST_PENDING ||
		    j->status == ST_RUNNING))
			buf_printf(&notrun, "%s%s", notrun.len ? ", " : "",
			    j->key);
		if (j->step->output && j->result != NULL &&
		    j->status == ST_COMPLETED) {
			struct json_object	*m = mask_json(x->mask,
						    j->result);

			say(pr, x, "  result of %s: %s", j->key,
			    json_object_to_json_string_ext(m,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(m);
		}
	}
	if (skipped.len)
		say(pr, x, "  skipped: %s", buf_str(&skipped));
	if (notrun.len)
		say(pr, x, "  not run: %s", buf_str(&notrun));
	buf_release(&skipped);
	buf_release(&notrun);
}

static void
counts(struct buf *b, struct exec *x)
{
	struct tally	t;

	progress_tally(x, &t);
	buf_printf(b, "%zu completed", t.completed);
	if (t.failed)
		buf_printf(b, ", %zu failed", t.failed);
	if (t.skipped)
		buf_printf(b, ", %zu skipped", t.skipped);
	if (t.not_run)
		buf_printf(b, ", %zu not run", t.not_run);
}

/* The summary line's end: "; cpu 1.20s, max rss 98.1MiB". */
static void
usage_total(struct buf *b, struct exec *x)
{
	if (usage_cpu_us(&x->usage) == 0 && x->usage.max_rss_kb == 0)
		return;
	buf_adds(b, "; cpu ");
	usage_format_cpu(b, usage_cpu_us(&x->usage));
	buf_adds(b, ", max rss ");
	usage_format_kb(b, x->usage.max_rss_kb);
}

void
progress_run_finished(struct progress *pr, struct exec *x)
{
	struct buf	b = BUF_INIT, d = BUF_INIT;
	struct tally	t;
	int64_t		ns = clock_mono_ns() - x->started_ns;

	progress_clear(pr);
	eta_release(&pr->eta);
	if (pr->mode == PROGRESS_JSON) {
		struct json_object	*e = json_object_new_object();

		json_set(e, "status", json_str(exec_status_name(x->status)));
		json_set(e, "exit_code", json_object_new_int(x->exit_code));
		json_set(e, "duration_ms", json_object_new_int64(ns / 1000000));
		json_set(e, "rusage", usage_to_json(&x->usage));
		if (x->result != NULL)
			json_set(e, "result", mask_json(x->mask, x->result));
		if (x->error != NULL)
			json_set(e, "error", json_str(x->error));
		progress_tally(x, &t);
		json_set(e, "steps", progress_tally_json(&t));
		json_event(x, "run_finished", NULL, e);
	}
	if (pr->verbose < 0 && x->status == EX_COMPLETED)
		return;
	duration_format(&d, ns - ns % 1000000);
	counts(&b, x);
	usage_total(&b, x);
	say(pr, x, "muster: %s %s%s%s in %s: %s", x->w->name,
	    paint(pr, x->status == EX_COMPLETED ? GREEN : RED),
	    x->status == EX_TIMED_OUT ? "timed out" :
	    exec_status_name(x->status),
	    paint(pr, RESET), buf_str(&d), buf_str(&b));
	if (x->error != NULL)
		say(pr, x, "  error: %s", x->error);
	summary_lists(pr, x);
	if (x->status != EX_COMPLETED && x->dir != NULL)
		say(pr, x, "  resume: muster resume %s", x->id);
	buf_release(&b);
	buf_release(&d);
}
