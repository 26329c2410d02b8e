/* report.c: an execution as one self-contained HTML page. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/hmap.h"
#include "base/util.h"
#include "base/value.h"
#include "def/project.h"
#include "observe/report.h"
#include "observe/timeline.h"
#include "state/usage.h"

#define LANE_H		22	/* pixels a lane */
#define AXIS_H		24
#define LABEL_W		70
#define TAIL_LINES	20	/* of a failed step's log */
#define TAIL_BYTES	4096
#define MAX_TAILS	5	/* failed steps shown with their log */

static const char	style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
	"table{border-collapse:collapse}td,th{padding:2px 8px;"
	"border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:20em}"
	".scroll{overflow-x:auto;border:1px solid #ccc}"
	".completed{fill:#43a047}.failed{fill:#e53935}.retried{fill:#fb8c00}"
	".skipped{fill:#bdbdbd}.running{fill:#1e88e5}"
	".cancelled,.interrupted{fill:#8e24aa}.unknown{fill:#757575}"
	".crit{stroke:#000;stroke-width:2}.wait{stroke:#fb8c00;"
	"stroke-dasharray:3 2}.lbl{font-size:11px;fill:#fff;"
	"pointer-events:none}.axis{font-size:11px;fill:#555}"
	".tick{stroke:#eee}.key span{display:inline-block;width:12px;"
	"height:12px;margin:0 4px 0 12px;vertical-align:middle}"
	"tr.crit td:first-child{font-weight:bold}";

/* Appends s with &, <, >, " and ' escaped. */
static void
esc(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
}

static void
esc_json(struct buf *b, struct json_object *v)
{
	esc(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* "1.234s" or "2m3.4s": a duration in microseconds for people. */
static void
dur(struct buf *b, int64_t us)
{
	duration_format(b, (us - us % 1000) * 1000);
}

/* A span's class: its status, or "retried" for an attempt tried again. */
static const char *
css_class(const struct span *s)
{
	static const char *const	known[] = { "completed", "failed",
		"skipped", "running", "cancelled", "interrupted" };
	size_t				i;

	if (!s->last && strcmp(s->status, "failed") == 0)
		return "retried";
	for (i = 0; i < nitems(known); i++)
		if (strcmp(s->status, known[i]) == 0)
			return known[i];
	return "unknown";
}

static void
usage_cells(struct buf *b, const struct span *s)
{
	buf_adds(b, "<td class=n>");
	if (s->has_usage)
		usage_format_cpu(b, usage_cpu_us(&s->usage));
	buf_adds(b, "</td><td class=n>");
	if (s->has_usage)
		usage_format_kb(b, s->usage.max_rss_kb);
	buf_adds(b, "</td>");
}

static void
header(struct buf *b, const struct timeline *t)
{
	size_t	i, attempts = 0, steps = 0;

	for (i = 0; i < t->n; i++) {
		attempts += t->spans[i].attempt > 0;
		steps += t->spans[i].last;
	}
	buf_adds(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
	    "<meta http-equiv=Content-Security-Policy content=\"default-src "
	    "'none'; style-src 'unsafe-inline'\"><title>muster: ");
	esc(b, t->workflow);
	buf_adds(b, " ");
	esc(b, t->id);
	buf_printf(b, "</title><style>%s</style></head><body>\n<h1>workflow ",
	    style);
	esc(b, t->workflow);
	buf_adds(b, ": <span id=status class=");
	esc(b, t->status);
	buf_adds(b, ">");
	esc(b, t->status);
	buf_adds(b, "</span></h1>\n<p>execution <code id=execution>");
	esc(b, t->id);
	buf_adds(b, "</code>");
	if (t->parent != NULL) {
		buf_adds(b, ", called by execution <code>");
		esc(b, t->parent);
		buf_adds(b, "</code>");
	}
	buf_adds(b, "; ran ");
	dur(b, t->end_us - t->start_us);
	buf_printf(b, "; %zu steps, %zu attempts on %d lanes", steps, attempts,
	    t->lanes);
	if (t->has_usage) {
		buf_adds(b, "; cpu ");
		usage_format_cpu(b, usage_cpu_us(&t->usage));
		buf_adds(b, ", max rss ");
		usage_format_kb(b, t->usage.max_rss_kb);
	}
	buf_adds(b, "</p>\n");
	if (t->error != NULL) {
		buf_adds(b, "<p>error: ");
		esc(b, t->error);
		buf_adds(b, "</p>\n");
	}
}

/* The workflow's arguments (the record has secrets masked already). */
static void
arguments(struct buf *b, const struct timeline *t)
{
	buf_adds(b, "<h2>Arguments</h2>\n<table id=args>");
	if (t->input == NULL || json_object_object_length(t->input) == 0)
		buf_adds(b, "<tr><td>none</td></tr>");
	else if (json_object_is_type(t->input, json_type_object)) {
		json_object_object_foreach(t->input, k, v) {
			buf_adds(b, "<tr><th>");
			esc(b, k);
			buf_adds(b, "</th><td><code>");
			esc_json(b, v);
			buf_adds(b, "</code></td></tr>");
		}
	}
	buf_adds(b, "</table>\n");
}

/* The last lines of a step's log: stderr's if it wrote any, else stdout's. */
static void
log_tail(struct buf *b, const struct timeline *t, const char *key)
{
	char		*path, chunk[TAIL_BYTES];
	const char	*p;
	struct stat	 st;
	ssize_t		 n = 0;
	int		 fd = -1, i, lines = 0;

	for (i = 0; i < 2 && fd < 0; i++) {
		path = xasprintf("%s/logs/%s%s", t->dir, key, i ? ".out" :
		    ".err");
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		free(path);
		if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_size == 0)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		return;
	if (st.st_size > TAIL_BYTES)
		lseek(fd, st.st_size - TAIL_BYTES, SEEK_SET);
	n = read(fd, chunk, sizeof chunk);
	close(fd);
	if (n <= 0)
		return;
	/* From the start of the TAIL_LINES-th line from the end. */
	for (p = chunk + n - 1; p > chunk; p--)
		if (p[-1] == '\n' && ++lines > TAIL_LINES)
			break;
	buf_adds(b, "<pre>");
	{
		char	*s = xstrndup(p, (size_t)(chunk + n - p));

		esc(b, s);
		free(s);
	}
	buf_adds(b, "</pre>");
}

static void
failures(struct buf *b, const struct timeline *t)
{
	size_t	i, shown = 0;

	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i];

		if (!s->last || strcmp(s->status, "failed") != 0)
			continue;
		if (shown++ == 0)
			buf_adds(b, "<h2>Failed</h2>\n<div id=failures>");
		buf_adds(b, "<h3>");
		esc(b, s->key);
		buf_adds(b, "</h3><p>");
		esc(b, s->error ? s->error : "failed");
		buf_adds(b, "</p>");
		if (shown <= MAX_TAILS)
			log_tail(b, t, s->key);
	}
	if (shown > 0)
		buf_adds(b, "</div>\n");
}

/* A tick every 1, 2 or 5 times a power of ten: at most n of them. */
static int64_t
tick_us(int64_t span, int64_t n)
{
	int64_t	t = 1000;

	for (;;) {
		if (span / t <= n)
			return t;
		if (span / (t * 2) <= n)
			return t * 2;
		if (span / (t * 5) <= n)
			return t * 5;
		t *= 10;
	}
}

static void
rect(struct buf *b, const struct span *s, double x, double w, int y)
{
	buf_printf(b, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
	    "height=\"%d\" data-step=\"", css_class(s), s->critical ? " crit" :
	    "", x, y, w, LANE_H - 4);
	esc(b, s->key);
	buf_adds(b, "\"><title>");
	esc(b, s->key);
	buf_printf(b, ": attempt %d, %s, ", s->attempt, s->status);
	dur(b, s->end_us - s->start_us);
	if (s->has_usage) {
		buf_adds(b, ", cpu ");
		usage_format_cpu(b, usage_cpu_us(&s->usage));
		buf_adds(b, ", max rss ");
		usage_format_kb(b, s->usage.max_rss_kb);
	}
	if (s->exit_code >= 0)
		buf_printf(b, ", exit %d", s->exit_code);
	if (s->backoff_us > 0) {
		buf_adds(b, ", after waiting ");
		dur(b, s->backoff_us);
	}
	buf_adds(b, "</title></rect>");
	if (w >= 40) {
		size_t	fit = (size_t)(w - 6) / 7;
		char	*name = xstrndup(s->key, strnlen(s->key, fit));

		buf_printf(b, "<text class=lbl x=\"%.1f\" y=\"%d\">", x + 3,
		    y + 13);
		esc(b, name);
		buf_adds(b, "</text>");
		free(name);
	}
	buf_addc(b, '\n');
}

static void
axis(struct buf *b, const struct timeline *t, double scale, int height)
{
	int64_t	total = t->end_us - t->start_us, at, step;
	int	k;

	/* About one tick every 120 pixels, however wide the chart. */
	step = tick_us(total, (int64_t)((double)total * scale / 120) + 1);
	for (at = 0; at <= total; at += step) {
		double	x = LABEL_W + (double)at * scale;

		buf_printf(b, "<line class=tick x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/><text class=axis x=\"%.1f\" "
		    "y=\"14\">", x, AXIS_H - 4, x, height, x + 2);
		dur(b, at);
		buf_adds(b, "</text>");
	}
	for (k = 0; k < t->lanes; k++)
		buf_printf(b, "<text class=axis x=\"4\" y=\"%d\">slot %d"
		    "</text>", AXIS_H + k * LANE_H + 15, k + 1);
	buf_addc(b, '\n');
}

/* The Gantt chart: a lane a parallel slot, an attempt a bar. */
static void
gantt(struct buf *b, const struct timeline *t)
{
	int64_t	 total = t->end_us - t->start_us;
	size_t	*per_lane = xcalloc((size_t)t->lanes + 1, sizeof(size_t));
	size_t	 i, busiest = 0;
	double	 width, scale;
	int	 height = AXIS_H + t->lanes * LANE_H + 4;

	for (i = 0; i < t->n; i++)
		if (++per_lane[t->spans[i].lane] > busiest)
			busiest = per_lane[t->spans[i].lane];
	free(per_lane);
	width = (double)busiest * 4;
	width = width < 1000 ? 1000 : width > 60000 ? 60000 : width;
	scale = width / (double)(total > 0 ? total : 1);
	buf_adds(b, "<h2>Timeline</h2>\n<p class=key>"
	    "<span class=completed style=background:#43a047></span>completed"
	    "<span style=background:#e53935></span>failed"
	    "<span style=background:#fb8c00></span>failed, tried again"
	    "<span style=background:#bdbdbd></span>skipped"
	    "<span style=background:#8e24aa></span>cancelled or interrupted"
	    "<span style=\"border:2px solid #000;width:8px;height:8px\">"
	    "</span>critical path</p>\n");
	buf_printf(b, "<div class=scroll><svg id=gantt width=\"%.0f\" "
	    "height=\"%d\">\n",
	    width + LABEL_W + 10, height);
	axis(b, t, scale, height);
	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i];
		double	x = LABEL_W + (double)(s->start_us -
			    t->start_us) * scale;
		double	w = (double)(s->end_us - s->start_us) * scale;
		int			 y = AXIS_H + s->lane * LANE_H + 2;

		if (s->backoff_us > 0)
			buf_printf(b, "<line class=wait x1=\"%.1f\" y1=\"%d\" "
			    "x2=\"%.1f\" y2=\"%d\"/>", x -
			    (double)s->backoff_us * scale, y + LANE_H / 2 - 2,
			    x, y + LANE_H / 2 - 2);
		rect(b, s, x, w < 3 ? 3 : w, y);
	}
	buf_adds(b, "</svg></div>\n");
}

static int
by_duration(const void *a, const void *b)
{
	const struct span	*x = *(struct span *const *)a;
	const struct span	*y = *(struct span *const *)b;
	int64_t			 dx = x->end_us - x->start_us;
	int64_t			 dy = y->end_us - y->start_us;

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static int
by_rss(const void *a, const void *b)
{
	const struct span	*x = *(struct span *const *)a;
	const struct span	*y = *(struct span *const *)b;

	return x->usage.max_rss_kb < y->usage.max_rss_kb ? 1 :
	    x->usage.max_rss_kb > y->usage.max_rss_kb ? -1 : 0;
}

/* The ten attempts that took longest, and the ten that grew largest. */
static void
tops(struct buf *b, const struct timeline *t)
{
	static const char *const	 titles[] = { "Longest", "Largest" };
	const struct span		**v = xcalloc(t->n + 1, sizeof *v);
	size_t				 i, n, k;

	for (k = 0; k < 2; k++) {
		for (i = n = 0; i < t->n; i++)
			if (k == 0 || t->spans[i].has_usage)
				v[n++] = &t->spans[i];
		xqsort(v, n, sizeof *v, k == 0 ? by_duration : by_rss);
		buf_printf(b, "<h2>%s attempts</h2>\n<table id=%s><tr>"
		    "<th>step</th><th>attempt</th><th>duration</th><th>cpu</th>"
		    "<th>max rss</th></tr>", titles[k], k ? "largest" :
		    "longest");
		for (i = 0; i < n && i < 10; i++) {
			buf_adds(b, "<tr><td>");
			esc(b, v[i]->key);
			buf_printf(b, "</td><td class=n>%d</td><td class=n>",
			    v[i]->attempt);
			dur(b, v[i]->end_us - v[i]->start_us);
			buf_adds(b, "</td>");
			usage_cells(b, v[i]);
			buf_adds(b, "</tr>");
		}
		buf_adds(b, "</table>\n");
	}
	free(v);
}

static void
critical(struct buf *b, const struct timeline *t)
{
	size_t	i;

	buf_adds(b, "<h2>Critical path</h2>\n<ol id=critical>");
	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i];

		if (!s->critical || !s->last)
			continue;
		buf_adds(b, "<li>");
		esc(b, s->key);
		buf_adds(b, " (");
		dur(b, s->end_us - s->start_us);
		buf_adds(b, ")</li>");
	}
	buf_adds(b, "</ol>\n");
}

/* A row a step (its last attempt), with its attempts' count. */
static void
steps(struct buf *b, const struct timeline *t)
{
	struct hmap	first = HMAP_INIT;
	size_t		i, n = 0;

	for (i = 0; i < t->n; i++) {
		hmap_put(&first, t->spans[i].key, &t->spans[i]);
		n += t->spans[i].last;
	}
	buf_printf(b, "<h2>Steps</h2>\n<details%s><summary>%zu steps</summary>"
	    "<table id=steps><tr><th>step</th><th>status</th><th>attempts</th>"
	    "<th>start</th><th>duration</th><th>cpu</th><th>max rss</th>"
	    "<th>exit</th><th>error</th></tr>\n", n <= 300 ? " open" : "", n);
	for (i = 0; i < t->n; i++) {
		const struct span	*s = &t->spans[i], *f;

		if (!s->last)
			continue;
		f = hmap_get(&first, s->key);
		buf_printf(b, "<tr%s data-step=\"", s->critical ?
		    " class=crit" : "");
		esc(b, s->key);
		buf_adds(b, "\"><td>");
		esc(b, s->key);
		buf_printf(b, "</td><td>%s</td><td class=n>%d</td><td class=n>",
		    s->status, s->attempt);
		dur(b, f->start_us - t->start_us);
		buf_adds(b, "</td><td class=n>");
		dur(b, s->end_us - f->start_us);
		buf_adds(b, "</td>");
		usage_cells(b, s);
		buf_adds(b, "<td class=n>");
		if (s->exit_code >= 0)
			buf_printf(b, "%d", s->exit_code);
		buf_adds(b, "</td><td>");
		if (strcmp(s->status, "completed") != 0)
			esc(b, s->error);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table></details>\n");
	hmap_release(&first);
}

int
report_write(FILE *f, const char *state_dir, const char *id,
    const struct project *p)
{
	struct timeline	*t;
	struct buf	 b = BUF_INIT;
	int		 rc;

	if ((rc = timeline_load(state_dir, id, &t)) != 0)
		return rc;
	timeline_critical(t, p != NULL ? project_workflow(p, t->workflow) :
	    NULL);
	header(&b, t);
	arguments(&b, t);
	failures(&b, t);
	gantt(&b, t);
	critical(&b, t);
	tops(&b, t);
	steps(&b, t);
	buf_adds(&b, "</body></html>\n");
	fwrite(b.s, 1, b.len, f);
	buf_release(&b);
	timeline_free(t);
	return 0;
}
