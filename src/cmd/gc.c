/* cmd-gc.c: `muster gc`: delete old executions that no longer run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd.h"
#include "state/lock.h"
#include "def/project.h"
#include "state/record.h"
#include "state/index.h"
#include "state/retain.h"

enum { OPT_OLDER = 256, OPT_KEEP, OPT_DRY };

static const struct option	gc_opts[] = {
	{ "older-than",	required_argument,	NULL,	OPT_OLDER },
	{ "keep",	required_argument,	NULL,	OPT_KEEP },
	{ "dry-run",	no_argument,		NULL,	OPT_DRY },
	{ NULL,		0,			NULL,	0 }
};

/* "30d" for days, or a Go duration. */
static int
parse_age(const char *s, int64_t *ns)
{
	const char	*why;
	char		*end;
	long		 days = strtol(s, &end, 10);

	if (end != s && strcmp(end, "d") == 0 && days >= 0) {
		*ns = (int64_t)days * 86400 * 1000000000;
		return 0;
	}
	if (duration_parse(s, ns, &why) == 0)
		return 0;
	return error("--older-than '%s': %s (or a number of days, like 30d)",
	    s, why);
}

/* A folder being created lives for milliseconds; a crash's, forever. */
#define LEFTOVER_AGE	60

/*
 * Removes folder name of efd unless a run holds its lock, holding the
 * lock (when there is one) while it removes, so that no run or resume
 * takes it in between.  fresh: a folder without a lock file may be one
 * a run is still making, removed only when older than LEFTOVER_AGE.
 * Returns 1 removed, 0 kept (busy), -1 after an error.
 */
static int
remove_unlocked(int efd, const char *name, int fresh)
{
	struct stat	st;
	int		dfd, lfd = -1, r, rc = 0;

	dfd = openat(efd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	r = lock_take_existing(dfd, "lock", &lfd);
	if (r == LOCK_BUSY || (r < 0 && errno != ENOENT))
		rc = r == LOCK_BUSY ? 0 : -1;
	else if (fresh && (fstat(dfd, &st) < 0 ||
	    time(NULL) - st.st_mtime < LEFTOVER_AGE))
		rc = 0;
	else
		rc = record_remove(efd, name) == 0 ? 1 : -1;
	if (lfd >= 0)
		close(lfd);
	close(dfd);
	return rc;
}

/* Hidden folders a crash left while creating an execution. */
static size_t
leftovers(int efd)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 n = 0, len;
	int		 fd;

	if (efd < 0 || (fd = dup(efd)) < 0 || (d = fdopendir(fd)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] != '.' || len < 5 ||
		    strcmp(e->d_name + len - 4, ".new") != 0)
			continue;
		if (remove_unlocked(efd, e->d_name, 1) == 1)
			n++;
	}
	closedir(d);
	return n;
}

/* gc without --keep or --older-than: config.yaml's retention policy. */
static int
gc_policy(struct ctx *ctx, struct project *p, int dry)
{
	struct retention	 r = p->config.retention;
	struct retained		 res;
	char			*state = record_state_dir(p);
	char			*execs = xasprintf("%s/executions", state);
	int			 rc, efd;

	r.enabled = true;	/* asked for: even when runs leave it off */
	rc = retain_apply(state, &r, true, dry, stdout, &res);
	efd = open(execs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (!dry && efd >= 0)
		res.removed += leftovers(efd);
	if (efd >= 0)
		close(efd);
	if (ctx->verbose >= 0)
		fprintf(stderr, "muster: %s %zu execution%s, kept %zu "
		    "(retention)\n", dry ? "would remove" : "removed",
		    res.removed, res.removed == 1 ? "" : "s", res.kept);
	free(execs);
	free(state);
	return rc < 0 ? EXIT_IO : 0;
}

int
cmd_gc(struct ctx *ctx, int argc, char **argv)
{
	struct project	*p;
	char		*state, *execs, **ids = NULL, *end;
	int64_t		 age = -1, now = clock_wall_ns();
	long		 keep = -1, kept = 0;
	size_t		 n = 0, i, removed = 0;
	int		 c, rc, efd, r, dry = 0;

	while ((c = cmd_getopt(ctx, argc, argv, "n", gc_opts)) != -1) {
		if (c == OPT_DRY || c == 'n') {
			dry = 1;
			continue;
		}
		if (c == OPT_OLDER && parse_age(optarg, &age) == 0)
			continue;
		if (c == OPT_KEEP && (keep = strtol(optarg, &end, 10)) >= 0 &&
		    *optarg != '\0' && *end == '\0')
			continue;
		if (c == OPT_KEEP)
			error("--keep: expected a number, not '%s'", optarg);
		return cmd_usage(cmd_find("gc"));
	}
	if (optind != argc)
		return cmd_usage(cmd_find("gc"));
	if ((rc = cmd_open(ctx, &p)) != 0)
		return rc;
	if (age < 0 && keep < 0) {
		rc = gc_policy(ctx, p, dry);
		project_free(p);
		return rc;
	}
	state = record_state_dir(p);
	execs = xasprintf("%s/executions", state);
	efd = open(execs, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (efd >= 0 && record_list(state, &ids, &n) < 0)
		rc = EXIT_IO;
	for (i = 0; i < n; i++) {
		struct json_object	*s = record_summary(state, ids[i]);
		int64_t			 at = record_parse_time(
					    json_object_get_string(
					    json_object_object_get(s,
					    "started_at")));
		int			 dfd = openat(efd, ids[i], O_RDONLY |
					    O_DIRECTORY | O_CLOEXEC |
					    O_NOFOLLOW);
		int			 busy = dfd >= 0 &&
					    lock_holder(dfd, "lock") != 0;

		if (dfd >= 0)
			close(dfd);
		json_object_put(s);
		/* Newest first: the first `keep` stay, running ones always. */
		if (busy || ((keep < 0 || kept < keep) && (age < 0 ||
		    (at != 0 && now - at < age)))) {
			kept++;
			free(ids[i]);
			continue;
		}
		if (dry)
			r = printf("would remove %s\n", ids[i]) > 0;
		/* Busy now (a resume began since): kept after all. */
		else
			r = remove_unlocked(efd, ids[i], 0);
		if (r < 0)
			rc = error("cannot remove execution %s:", ids[i]);
		else if (r == 0)
			kept++;
		else
			removed++;
		free(ids[i]);
	}
	free(ids);
	if (!dry)
		removed += leftovers(efd);
	if (!dry && removed > 0)
		index_rebuild(state);
	if (ctx->verbose >= 0)
		fprintf(stderr, "muster: %s %zu execution%s, kept %ld\n",
		    dry ? "would remove" : "removed", removed, removed == 1 ?
		    "" : "s", kept);
	if (efd >= 0)
		close(efd);
	free(execs);
	free(state);
	project_free(p);
	return rc < 0 ? EXIT_IO : rc;
}
