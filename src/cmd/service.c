/* cmd-service.c: `muster service ...`: service instances from the shell. */
#include <fcntl.h>
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "def/args.h"
#include "cmd/cmd.h"
#include "def/project.h"
#include "svc/service.h"
#include "base/value.h"

enum { OPT_ARG = 256, OPT_ARGS_FILE, OPT_TIMEOUT, OPT_NO_WAIT, OPT_FORCE,
	OPT_ARG_ENV, OPT_FOLLOW };

static const struct option	service_opts[] = {
	{ "arg",	required_argument,	NULL,	OPT_ARG },
	{ "arg-env",	required_argument,	NULL,	OPT_ARG_ENV },
	{ "args-file",	required_argument,	NULL,	OPT_ARGS_FILE },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "no-wait",	no_argument,		NULL,	OPT_NO_WAIT },
	{ "force",	no_argument,		NULL,	OPT_FORCE },
	{ "follow",	no_argument,		NULL,	OPT_FOLLOW },
	{ NULL,		0,			NULL,	0 }
};

/* The subcommands, with how many words each takes after its name. */
static const struct {
	const char	*name;
	int		 min, max;
} subs[] = {
	{ "create", 1, 2 }, { "start", 1, 1 }, { "stop", 1, 1 },
	{ "restart", 1, 1 }, { "delete", 1, 1 }, { "status", 1, 1 },
	{ "wait", 1, 1 }, { "list", 0, 0 }, { "logs", 1, 1 },
	{ "scale", 2, 2 },
};

struct sopts {
	struct args	 a;
	int64_t		 timeout;	/* 0: the class's */
	int		 wait, force, follow;
};

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

/* One line per instance: name, class, state, pid, last change. */
static void
print_list(struct json_object *all)
{
	size_t	i;

	if (json_object_array_length(all) > 0)
		printf("%-24s  %-20s  %-9s  %-7s  %s\n", "NAME", "CLASS",
		    "STATE", "PID", "UPDATED");
	for (i = 0; i < json_object_array_length(all); i++) {
		struct json_object	*r = json_object_array_get_idx(all, i);
		struct json_object	*d = json_object_object_get(r, "daemon");
		const char		*pid = field(d, "pid");
		const char		*st = field(r, "state");

		printf("%-24s  %-20s  %-9s  %-7s  %s\n", field(r, "name"),
		    field(r, "class"), st ? st : "?", pid && st &&
		    strcmp(st, "stopped") != 0 && strcmp(st, "failed") != 0 ?
		    pid : "-", field(r, "updated_at") ? field(r, "updated_at") :
		    "-");
	}
}

/* `service status`: the record, for people. */
static void
print_status(struct svcenv *e, struct json_object *r)
{
	struct json_object	*d = json_object_object_get(r, "daemon");
	struct json_object	*h = json_object_object_get(r, "health");
	struct json_object	*o = json_object_object_get(r, "outputs");

	printf("name:     %s\nclass:    %s\nstate:    %s\n", field(r, "name"),
	    field(r, "class"), field(r, "state"));
	if (field(r, "error") != NULL)
		printf("error:    %s\n", field(r, "error"));
	if (d != NULL)
		printf("pid:      %s\nlog:      %s/%s\n", field(d, "pid"),
		    e->dir, field(d, "log"));
	if (h != NULL && field(h, "checked_at") != NULL)
		printf("health:   %s, checked %s%s%s\n", field(h, "status") ?
		    field(h, "status") : "unknown", field(h, "checked_at"),
		    field(h, "message") ? ": " : "", field(h, "message") ?
		    field(h, "message") : "");
	if (o != NULL && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
			printf("output:   %s=%s\n", k, json_object_get_string(v));
	}
	printf("created:  %s\nupdated:  %s\n", field(r, "created_at"),
	    field(r, "updated_at"));
}

/* Why an operation left the instance failed or unhealthy, on stderr. */
static void
report_failure(struct json_object *r)
{
	const char	*tail = field(r, "log_tail"), *p, *nl;
	const char	*st = field(r, "state");

	error("service '%s' %s: %s", field(r, "name"), strcmp(st, "failed")
	    == 0 ? "failed" : "is unhealthy", field(r, "error") ?
	    field(r, "error") : "no reason recorded");
	if (tail == NULL)
		return;
	fprintf(stderr, "muster: the end of its log:\n");
	for (p = tail; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		fprintf(stderr, "  | %.*s\n", (int)(nl - p), p);
	}
}

/*
 * `service logs NAME [-f]`: what the instance's daemon wrote; -f goes on
 * printing what it adds, as tail -f does, until interrupted.
 */
static int
service_logs(struct svcenv *e, const char *name, int follow)
{
	char	*log, *rec, chunk[8192];
	ssize_t	 n;
	int	 fd;

	if (*name == '\0' || *name == '.' || strchr(name, '/') != NULL) {
		error("no service '%s'", name);
		return EXIT_STATE;
	}
	rec = xasprintf("%s.json", name);
	log = xasprintf("%s.log", name);
	if (faccessat(e->dirfd, rec, F_OK, 0) < 0) {
		error("no service '%s'; see 'muster service list'", name);
		free(rec);
		free(log);
		return EXIT_STATE;
	}
	fd = openat(e->dirfd, log, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(rec);
	free(log);
	if (fd < 0) {
		error("service '%s' has no daemon log", name);
		return EXIT_STATE;
	}
	for (;;) {
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (fwrite(chunk, 1, (size_t)n, stdout) != (size_t)n)
				break;
		fflush(stdout);
		if (!follow || ferror(stdout))
			break;
		usleep(200000);
	}
	close(fd);
	return ferror(stdout) ? EXIT_IO : 0;
}

static int
dispatch(struct svcenv *e, const char *sub, char **words, struct sopts *o,
    struct json_object **out)
{
	struct json_object	*in = NULL;
	struct service_class	*c;
	int			 rc;

	if (strcmp(sub, "create") == 0) {
		if ((c = project_class(e->p, words[0])) == NULL) {
			const char	**names = xcalloc(e->p->nclasses + 1,
					    sizeof *names);
			const char	*sg;
			size_t		 i;

			for (i = 0; i < e->p->nclasses; i++)
				names[i] = e->p->classes[i]->name;
			sg = suggest(words[0], names, e->p->nclasses);
			error("no service class '%s'%s%s%s; see 'muster list "
			    "serviceclasses'", words[0], sg ? " (did you mean '" :
			    "", sg ? sg : "", sg ? "'?)" : "");
			free(names);
			return EXIT_USAGE;
		}
		if (args_input(&o->a, &c->args, &in) < 0)
			return EXIT_USAGE;
		rc = svc_create(e, words[0], words[1], in, o->timeout, o->wait,
		    out);
		json_object_put(in);
		return rc;
	}
	if (strcmp(sub, "list") == 0)
		return svc_list(e, out);
	if (strcmp(sub, "logs") == 0)
		return service_logs(e, words[0], o->follow);
	if (strcmp(sub, "start") == 0)
		return svc_start(e, words[0], o->timeout, out);
	if (strcmp(sub, "stop") == 0)
		return svc_stop(e, words[0], out);
	if (strcmp(sub, "restart") == 0)
		return svc_restart(e, words[0], o->timeout, out);
	if (strcmp(sub, "delete") == 0)
		return svc_delete(e, words[0], o->force, out);
	if (strcmp(sub, "status") == 0)
		return svc_status(e, words[0], out);
	if (strcmp(sub, "scale") == 0) {
		char	*end;
		long	 n;

		errno = 0;
		n = strtol(words[1], &end, 10);
		if (end == words[1] || *end != '\0' || errno != 0 || n < 0 ||
		    n > 1000000) {
			error("replicas '%s': use a whole number from 0 to "
			    "1000000", words[1]);
			return EXIT_USAGE;
		}
		return svc_scale(e, words[0], n, o->timeout, out);
	}
	return svc_wait(e, words[0], o->timeout, out);
}

/* Prints what an operation gave: JSON, or a few words for people. */
static void
print_result(struct ctx *ctx, struct svcenv *e, const char *sub, int rc,
    struct json_object *out)
{
	const char	*st = field(out, "state");

	if (out == NULL)
		return;
	if (ctx->json)
		json_print(stdout, out);
	else if (strcmp(sub, "list") == 0)
		print_list(out);
	else if (strcmp(sub, "status") == 0)
		print_status(e, out);
	else if (rc == 0)
		/* The name alone: NAME=$(muster service create web) works. */
		printf("%s\n", field(out, "name"));
	if (st != NULL && (strcmp(st, "failed") == 0 ||
	    strcmp(st, "unhealthy") == 0) && (rc != 0 || ctx->json == 0))
		report_failure(out);
}

static int
parse(struct ctx *ctx, int argc, char **argv, struct sopts *o)
{
	const char	*why;
	int		 c;

	while ((c = cmd_getopt(ctx, argc, argv, "f", service_opts)) != -1)
		switch (c) {
		case OPT_ARG:
			args_add(&o->a, optarg);
			break;
		case OPT_ARG_ENV:
			if (args_add_env(&o->a, optarg) < 0)
				return -1;
			break;
		case OPT_ARGS_FILE:
			o->a.file = optarg;
			break;
		case OPT_TIMEOUT:
			if (duration_parse(optarg, &o->timeout, &why) < 0 ||
			    o->timeout <= 0)
				return error("--timeout '%s': %s", optarg,
				    o->timeout <= 0 ? "must be more than 0" :
				    why);
			break;
		case OPT_NO_WAIT:
			o->wait = 0;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_FOLLOW:
		case 'f':
			o->follow = 1;
			break;
		default:
			return -1;
		}
	return 0;
}

int
cmd_service(struct ctx *ctx, int argc, char **argv)
{
	struct sopts		 o = { ARGS_INIT, 0, 1, 0, 0 };
	struct project		*p = NULL;
	struct json_object	*out = NULL;
	struct svcenv		 e;
	const char		*names[nitems(subs)], *sub, *sg;
	char			*words[2] = { NULL, NULL };
	size_t			 i;
	int			 n, rc;

	if (parse(ctx, argc, argv, &o) < 0) {
		args_release(&o.a);
		return cmd_usage(cmd_find("service"));
	}
	if (optind >= argc) {
		args_release(&o.a);
		return cmd_usage(cmd_find("service"));
	}
	sub = argv[optind++];
	for (i = 0; i < nitems(subs); i++)
		if (strcmp(sub, (names[i] = subs[i].name)) == 0)
			break;
	if (i == nitems(subs)) {
		sg = suggest(sub, names, nitems(subs));
		error("no service command '%s'%s%s%s", sub, sg ?
		    " (did you mean '" : "", sg ? sg : "", sg ? "'?)" :
		    "; see 'muster help service'");
		args_release(&o.a);
		return EXIT_USAGE;
	}
	n = argc - optind;
	if (n < subs[i].min || n > subs[i].max ||
	    ((o.a.n > 0 || o.a.file != NULL) && strcmp(sub, "create") != 0)) {
		args_release(&o.a);
		error("usage: muster service %s%s", sub, strcmp(sub, "create")
		    == 0 ? " CLASS [NAME] [--arg K=V]..." : strcmp(sub, "list")
		    == 0 ? "" : strcmp(sub, "scale") == 0 ? " NAME REPLICAS" :
		    " NAME");
		return EXIT_USAGE;
	}
	for (i = 0; i < (size_t)n; i++)
		words[i] = argv[optind + i];
	if ((rc = cmd_open(ctx, &p)) != 0) {
		args_release(&o.a);
		return rc;
	}
	if ((rc = svc_env_open(&e, p, ctx->verbose)) == 0) {
		rc = dispatch(&e, sub, words, &o, &out);
		print_result(ctx, &e, sub, rc, out);
		svc_env_close(&e);
	}
	json_object_put(out);
	args_release(&o.a);
	project_free(p);
	return rc;
}
