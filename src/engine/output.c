/* output.c: the read side of running attempts: output, logs, pids, result. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/value.h"
#include "engine/progress.h"
#include "engine/run.h"

#define OUT_CAP		(16 << 20)	/* stdout kept for the result */
#define ERR_TAIL_KEEP	4096	/* bytes of stderr kept for the error */
#define ERR_TAIL_LINES	3
#define ERR_TAIL_MAX	400

/* pid -> job: open addressing with backward-shift deletion. */
struct pidmap {
	pid_t		*pid;
	struct job	**job;
	size_t		 n, cap;
};

static size_t
pid_slot(const struct pidmap *m, pid_t pid)
{
	size_t	i = ((size_t)pid * 2654435761u) & (m->cap - 1);

	while (m->pid[i] != 0 && m->pid[i] != pid)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void
pidmap_put(struct exec *x, pid_t pid, struct job *j)
{
	struct pidmap	*m = x->pids;
	size_t		 i, oldcap;

	if (m == NULL)
		m = x->pids = xcalloc(1, sizeof *m);
	if ((m->n + 1) * 2 > m->cap) {
		pid_t		*op = m->pid;
		struct job	**oj = m->job;

		oldcap = m->cap;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->pid = xcalloc(m->cap, sizeof *m->pid);
		m->job = xcalloc(m->cap, sizeof *m->job);
		for (i = 0; i < oldcap; i++)
			if (op[i] != 0) {
				size_t	s = pid_slot(m, op[i]);

				m->pid[s] = op[i];
				m->job[s] = oj[i];
			}
		free(op);
		free(oj);
	}
	i = pid_slot(m, pid);
	m->pid[i] = pid;
	m->job[i] = j;
	m->n++;
}

void
pidmap_del(struct exec *x, pid_t pid)
{
	struct pidmap	*m = x->pids;
	size_t		 i = pid_slot(m, pid), k;

	if (m->pid[i] == 0)
		return;
	m->n--;
	for (k = (i + 1) & (m->cap - 1); m->pid[k] != 0;
	    k = (k + 1) & (m->cap - 1)) {
		size_t	home = ((size_t)m->pid[k] * 2654435761u) & (m->cap - 1);

		/* Move k back to i when i lies on its probe path. */
		if ((k > i && (home <= i || home > k)) ||
		    (k < i && home <= i && home > k)) {
			m->pid[i] = m->pid[k];
			m->job[i] = m->job[k];
			i = k;
		}
	}
	m->pid[i] = 0;
	m->job[i] = NULL;
}

struct job *
job_by_pid(struct exec *x, pid_t pid)
{
	size_t	i;

	if (x->pids == NULL || x->pids->cap == 0)
		return NULL;
	i = pid_slot(x->pids, pid);
	return x->pids->pid[i] == pid ? x->pids->job[i] : NULL;
}

void
pidmap_free(struct pidmap *m)
{
	if (m == NULL)
		return;
	free(m->pid);
	free(m->job);
	free(m);
}

/* Opens a log file on the first byte a stream writes. */
static int
log_fd(struct exec *x, struct job *j, int s)
{
	char	*name;

	if (j->proc->log[s] >= 0 || x->dir == NULL)
		return j->proc->log[s];
	name = j->attempt > 1 || j->in_cond ? xasprintf("logs/%s%s.%d.%s",
	    j->key, j->in_cond ? ".cond" : "", j->attempt, s ? "err" : "out") :
	    xasprintf("logs/%s.%s", j->key, s ? "err" : "out");
	j->proc->log[s] = openat(x->dirfd, name, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	free(name);
	return j->proc->log[s];
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t	w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* An MCP call's "progress: 3/10 message" line: the step's note. */
static void
mcp_note(struct exec *x, struct job *j, const char *p, size_t len)
{
	struct buf	 m = BUF_INIT;
	const char	*at = NULL, *q;
	size_t		 n;

	for (q = p; (q = memmem(q, len - (size_t)(q - p), "progress: ", 10)) !=
	    NULL; q += 10)
		if (q == p || q[-1] == '\n')
			at = q + 10;
	if (at == NULL)
		return;
	q = memchr(at, '\n', (size_t)(p + len - at));
	n = q != NULL ? (size_t)(q - at) : (size_t)(p + len - at);
	mask_copy(x->mask, &m, at, n);
	snprintf(j->proc->note, sizeof j->proc->note, "%s", buf_str(&m));
	buf_release(&m);
	progress_note(x->prog, x, j, j->proc->note);
}

/* Keeps the last ERR_TAIL_KEEP bytes of what a stream wrote. */
static void
keep_tail(struct buf *t, const char *p, size_t len)
{
	if (len >= ERR_TAIL_KEEP) {
		buf_truncate(t, 0);
		buf_add(t, p + len - ERR_TAIL_KEEP, ERR_TAIL_KEEP);
		return;
	}
	buf_add(t, p, len);
	if (t->len > 2 * ERR_TAIL_KEEP) {
		memmove(t->s, t->s + t->len - ERR_TAIL_KEEP, ERR_TAIL_KEEP);
		buf_truncate(t, ERR_TAIL_KEEP);
	}
}

void
err_tail_add(struct buf *why, struct buf *t)
{
	const char	*p = buf_str(t), *end = p + t->len, *ls[ERR_TAIL_LINES];
	struct buf	 out = BUF_INIT;
	size_t		 ll[ERR_TAIL_LINES], n = 0, i, k, cut = 0;

	while (end > p && n < ERR_TAIL_LINES) {
		const char	*e = end, *b;

		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			e--;
		for (b = e; b > p && b[-1] != '\n'; b--)
			;
		if (e > b) {
			ls[n] = b;
			ll[n++] = (size_t)(e - b);
		}
		end = b;
	}
	for (i = n; i-- > 0;) {
		for (k = 0; k < ll[i]; k++)
			buf_addc(&out, (unsigned char)ls[i][k] < 0x20 ||
			    ls[i][k] == 0x7f ? ' ' : ls[i][k]);
		if (i > 0)
			buf_adds(&out, " | ");
	}
	if (out.len > ERR_TAIL_MAX) {
		/* The end says most: keep it, from a whole character. */
		cut = out.len - ERR_TAIL_MAX;
		while (cut < out.len && ((unsigned char)out.s[cut] & 0xc0) ==
		    0x80)
			cut++;
	}
	if (out.len > cut)
		buf_printf(why, ": %s%s", cut > 0 ? "..." : "", out.s + cut);
	buf_release(&out);
}

/* Bytes a process wrote on stream s (0 out, 1 err); last at its end. */
static void
consume(struct exec *x, struct job *j, int s, const char *p, size_t len,
    int last)
{
	struct run_proc	*pr = j->proc;
	struct buf	 masked = BUF_INIT, *line = &pr->line[s];
	int		 fd;
	char		*nl;

	if (s == 0) {
		if (pr->out.len + len <= OUT_CAP)
			buf_add(&pr->out, p, len);
		else
			pr->out_cut = true;
	}
	if (s == 1 && len > 0 && job_calls_mcp(j))
		mcp_note(x, j, p, len);
	mask_stream(x->mask, &pr->mstream[s], p, len, last, &masked);
	if (s == 1)
		keep_tail(&pr->err_tail, masked.s, masked.len);
	if (masked.len > 0 && x->dir == NULL && x->opt.log_fd >= 0)
		write_all(x->opt.log_fd, masked.s, masked.len);
	else if (masked.len > 0 && x->dir != NULL && !x->io_failed &&
	    ((fd = log_fd(x, j, s)) < 0 || write_all(fd, masked.s,
	    masked.len) < 0)) {
		/* A log is part of the record: losing it stops the run. */
		error("cannot write the log of step '%s' in '%s/logs':",
		    j->key, x->dir);
		x->io_failed = x->stopping = true;
	}
	buf_release(&masked);
	if (!x->prog->stream)
		return;
	buf_add(line, p, len);
	while ((nl = memchr(buf_str(line), '\n', line->len)) != NULL) {
		progress_output(x->prog, x, j, s + 1, line->s,
		    (size_t)(nl - line->s));
		memmove(line->s, nl + 1, line->len - (size_t)(nl - line->s) - 1);
		buf_truncate(line, line->len - (size_t)(nl - line->s) - 1);
	}
	if (last && line->len > 0) {
		progress_output(x->prog, x, j, s + 1, line->s, line->len);
		buf_truncate(line, 0);
	}
}

static void
close_stream(struct exec *x, struct job *j, int s)
{
	int	*fd = s ? &j->proc->child.err : &j->proc->child.out;

	if (*fd < 0)
		return;
	proc_unwatch(*fd);
	close(*fd);
	*fd = -1;
	j->proc->open--;
	consume(x, j, s, "", 0, 1);
	if (j->proc->log[s] >= 0) {
		close(j->proc->log[s]);
		j->proc->log[s] = -1;
	}
}

void
job_read(struct exec *x, struct job *j, int s)
{
	char	buf[65536];
	int	fd;
	ssize_t	n;

	if (j->proc == NULL)	/* it finished earlier in this batch */
		return;
	fd = s ? j->proc->child.err : j->proc->child.out;
	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n > 0) {
			consume(x, j, s, buf, (size_t)n, 0);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close_stream(x, j, s);
		return;
	}
}

void
job_drain(struct exec *x, struct job *j)
{
	job_read(x, j, 0);
	job_read(x, j, 1);
	close_stream(x, j, 0);
	close_stream(x, j, 1);
}

/* Merges $MUSTER_OUTPUT (one JSON object, or key=value lines) into r. */
static void
merge_output_file(struct json_object *r, const char *path)
{
	struct json_object	*o;
	struct buf		 b = BUF_INIT, why = BUF_INIT;
	char			 chunk[4096], *line, *save;
	ssize_t			 n;
	int			 fd, ok;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0)
		return;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	/* Read once into the result (which is masked when stored): gone. */
	unlink(path);
	o = json_parse(buf_str(&b), b.len, &ok, &why);
	if (ok && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
			json_set(r, k, json_object_get(v));
	} else
		for (line = strtok_r(b.s, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char	*eq = strchr(line, '=');

			if (eq == NULL || eq == line)
				continue;
			*eq = '\0';
			line[strcspn(line, "\r")] = '\0';
			eq[1 + strcspn(eq + 1, "\r")] = '\0';
			json_set(r, line, json_object_new_string(eq + 1));
		}
	json_object_put(o);
	buf_release(&b);
	buf_release(&why);
}

struct json_object *
job_result(struct job *j)
{
	struct run_proc		*pr = j->proc;
	struct json_object	*r = NULL;
	struct buf		 why = BUF_INIT;
	size_t			 len = pr->out.len;
	int			 ok = 0;

	if (len > 0 && !pr->out_cut)
		r = json_parse(pr->out.s, len, &ok, &why);
	buf_release(&why);
	if (!ok || r == NULL) {
		json_object_put(r);
		while (len > 0 && (pr->out.s[len - 1] == '\n' ||
		    pr->out.s[len - 1] == '\r'))
			len--;
		r = json_object_new_object();
		json_set(r, "stdout", json_object_new_string_len(
		    len ? pr->out.s : "", (int)len));
	} else if (!json_object_is_type(r, json_type_object) &&
	    pr->out_file != NULL && access(pr->out_file, F_OK) == 0) {
		/* Keys cannot go on top of a list or a number: keep the text. */
		json_object_put(r);
		r = json_object_new_object();
		json_set(r, "stdout", json_object_new_string_len(pr->out.s,
		    (int)len));
	}
	if (json_object_is_type(r, json_type_object))
		merge_output_file(r, pr->out_file);
	return r;
}

void
job_read_file(struct exec *x, struct job *j, int s, const char *path)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	while (fd >= 0 && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		consume(x, j, s, chunk, (size_t)n, 0);
	}
	if (fd >= 0)
		close(fd);
	consume(x, j, s, "", 0, 1);
	if (j->proc->log[s] >= 0) {
		close(j->proc->log[s]);
		j->proc->log[s] = -1;
	}
}
