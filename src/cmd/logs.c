/* cmd-logs.c: `muster logs ID [STEP] [--follow]`: what steps wrote. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"

static const struct option	logs_opts[] = {
	{ "follow",	no_argument,	NULL,	'f' },
	{ NULL,		0,		NULL,	0 }
};

/* One log file being shown: where it is and how much was shown. */
struct shown {
	char	*name;
	off_t	 at;
};

/*
 * A log's name, KEY[.cond][.N].(out|err), as what orders it: the step,
 * then its attempts in the order they ran (a condition before its step),
 * then stdout before stderr.
 */
struct log_name {
	size_t	keylen;
	long	attempt;
	int	cond, err;
};

static void
log_name(const char *name, struct log_name *l)
{
	const char	*p = strchr(name, '.'), *q;

	l->keylen = p != NULL ? (size_t)(p - name) : strlen(name);
	l->attempt = 1;
	l->cond = p != NULL && strncmp(p, ".cond.", 6) == 0;
	if (l->cond)
		p += 5;
	if (p != NULL && p[1] >= '0' && p[1] <= '9' &&
	    (q = strchr(p + 1, '.')) != NULL) {
		l->attempt = strtol(p + 1, NULL, 10);
		p = q;
	}
	l->err = p != NULL && strcmp(p, ".err") == 0;
}

static int
by_name(const void *a, const void *b)
{
	const char	*x = ((const struct shown *)a)->name;
	const char	*y = ((const struct shown *)b)->name;
	struct log_name	 lx, ly;
	int		 c;

	log_name(x, &lx);
	log_name(y, &ly);
	if ((c = strncmp(x, y, lx.keylen < ly.keylen ? ly.keylen :
	    lx.keylen)) != 0)
		return c;
	if (lx.attempt != ly.attempt)
		return lx.attempt < ly.attempt ? -1 : 1;
	if (lx.cond != ly.cond)
		return ly.cond - lx.cond;
	if (lx.err != ly.err)
		return lx.err - ly.err;
	return strcmp(x, y);
}

/*
 * The log files a STEP argument shows: its own, and for a forEach or
 * parallel step those of the steps inside it, with their iterations.
 */
struct filter {
	const char	**keys;
	bool		 *iters;	/* also KEY_<n>: iterations */
	size_t		  n;
};

static void
filter_add(struct filter *f, const char *key, bool iters)
{
	f->keys = xreallocarray(f->keys, f->n + 1, sizeof *f->keys);
	f->iters = xreallocarray(f->iters, f->n + 1, sizeof *f->iters);
	f->keys[f->n] = key;
	f->iters[f->n++] = iters;
}

static void
filter_add_step(struct filter *f, const struct step *s)
{
	size_t	i;

	filter_add(f, s->id, s->parent != NULL &&
	    s->parent->kind == STEP_FOREACH);
	for (i = 0; i < s->nsub; i++)
		filter_add_step(f, s->sub[i]);
}

/* True when log file name belongs to the filter (or f is NULL: all). */
static int
of_step(const char *name, const struct filter *f)
{
	size_t	i, n;

	if (name[0] == '.')
		return 0;
	if (f == NULL)
		return 1;
	for (i = 0; i < f->n; i++) {
		n = strlen(f->keys[i]);
		if (strncmp(name, f->keys[i], n) != 0)
			continue;
		if (name[n] == '.')
			return 1;
		if (f->iters[i] && name[n] == '_' && strspn(name + n + 1,
		    "0123456789") > 0 && name[n + 1 + strspn(name + n + 1,
		    "0123456789")] == '.')
			return 1;
	}
	return 0;
}

/*
 * Finds what step names in execution id: a step of its record, or a step
 * of its workflow (a forEach or parallel one, or one inside them).
 * Returns 0, or an exit code after an error (an unknown step is 2).
 */
static int
resolve_step(struct project *p, const char *state, const char *id,
    const char *step, struct filter *f)
{
	struct json_object	*doc, *steps;
	const struct workflow	*w;
	const struct step	*s = NULL;
	const char		**names, *sg;
	size_t			 i, n;
	int			 rc, known = 0;

	if ((rc = record_read(state, id, &doc)) != 0)
		return rc;
	steps = json_object_object_get(doc, "steps");
	n = json_object_array_length(steps);
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++) {
		names[i] = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(steps, i), "step_id"));
		known |= strcmp(names[i], step) == 0;
	}
	w = project_workflow(p, json_object_get_string(
	    json_object_object_get(doc, "workflow_name")));
	if (w != NULL && !w->broken)
		s = hmap_get(&w->ids, step);
	if (s != NULL)
		filter_add_step(f, s);
	else if (known)
		filter_add(f, step, false);
	else {
		sg = suggest(step, names, n);
		error("execution %s has no step '%s'%s%s%s", id, step,
		    sg ? " (did you mean '" : "; see 'muster status ", sg ? sg :
		    id, sg ? "'?)" : "'");
		rc = EXIT_USAGE;
	}
	free(names);
	json_object_put(doc);
	return rc;
}

/* Prints what each log has gained since last time; returns bytes shown. */
static size_t
show_new(int logs, struct shown **files, size_t *nfiles,
    const struct filter *step, int *at_bol)
{
	DIR		*d = fdopendir(dup(logs));
	struct dirent	*e;
	size_t		 i, total = 0, cap = *nfiles;
	char		 buf[65536];

	rewinddir(d);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (!of_step(e->d_name, step))
			continue;
		for (i = 0; i < *nfiles; i++)
			if (strcmp((*files)[i].name, e->d_name) == 0)
				break;
		if (i == *nfiles) {
			xgrow(files, &cap, *nfiles + 1, sizeof **files);
			(*files)[*nfiles].name = xstrdup(e->d_name);
			(*files)[(*nfiles)++].at = 0;
		}
	}
	if (d != NULL)
		closedir(d);
	if (*nfiles > 1)
		xqsort(*files, *nfiles, sizeof **files, by_name);
	for (i = 0; i < *nfiles; i++) {
		int	fd = openat(logs, (*files)[i].name, O_RDONLY | O_CLOEXEC |
			    O_NOFOLLOW);
		ssize_t	n;
		int	head = 0;

		if (fd < 0)
			continue;
		while ((n = pread(fd, buf, sizeof buf, (*files)[i].at)) > 0) {
			/* A log without a final newline ends before this. */
			if (!head++)
				printf("%s==> %s <==\n", *at_bol ? "" : "\n",
				    (*files)[i].name);
			fwrite(buf, 1, (size_t)n, stdout);
			*at_bol = buf[n - 1] == '\n';
			(*files)[i].at += n;
			total += (size_t)n;
		}
		close(fd);
	}
	fflush(stdout);
	return total;
}

int
cmd_logs(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	struct shown	*files = NULL;
	struct filter	 only = { NULL, NULL, 0 };
	const char	*step;
	char		*dir = NULL, *state;
	size_t		 nfiles = 0, i, shown;
	int		 c, rc, follow = 0, dfd = -1, logs = -1, bol = 1;
	char		*id = NULL;
	const char	*arg;
	bool		 last = cmd_take_last(&argc, argv);

	while ((c = cmd_getopt(ctx, argc, argv, "f", logs_opts)) != -1) {
		if (c != 'f')
			return cmd_usage(cmd_find("logs"));
		follow = 1;
	}
	if (argc - optind > 2 || (last && argc - optind > 1))
		return cmd_usage(cmd_find("logs"));
	/* One word: an id (they start with a digit), else a step of the
	 * latest execution. */
	if (!last && argc - optind == 2)
		arg = argv[optind++];
	else if (!last && optind < argc && argv[optind][0] >= '0' &&
	    argv[optind][0] <= '9')
		arg = argv[optind++];
	else
		arg = NULL;
	step = optind < argc ? argv[optind] : NULL;
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	state = record_state_dir(p);
	if ((rc = cmd_open_execution(state, arg, &id, &dir, &dfd)) != 0)
		goto out;
	rc = EXIT_STATE;
	if ((logs = openat(dfd, "logs", O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0) {
		error("no execution '%s'", id);
		goto out;
	}
	if (step != NULL && (rc = resolve_step(p, state, id, step,
	    &only)) != 0)
		goto out;
	shown = show_new(logs, &files, &nfiles, step ? &only : NULL, &bol);
	/* --follow: until the run ends (its lock is free) and all is shown,
	 * or nobody reads any more. */
	while (follow && !ferror(stdout) && (lock_holder(dfd, "lock") != 0 ||
	    shown > 0)) {
		usleep(200000);
		shown = show_new(logs, &files, &nfiles, step ? &only : NULL,
		    &bol);
	}
	if (nfiles == 0 && step != NULL && !follow)
		fprintf(stderr, "muster: step '%s' wrote nothing\n", step);
	rc = 0;
out:
	for (i = 0; i < nfiles; i++)
		free(files[i].name);
	free(files);
	free(only.keys);
	free(only.iters);
	if (logs >= 0)
		close(logs);
	if (dfd >= 0)
		close(dfd);
	free(id);
	free(dir);
	free(state);
	project_free(p);
	return rc;
}
