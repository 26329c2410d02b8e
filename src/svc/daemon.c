/* svc-daemon.c: a service's daemon: started detached, watched, stopped. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/proc.h"
#include "engine/render.h"
#include "svc/service.h"
#include "engine/tool.h"
#include "base/value.h"

static struct json_object *
daemon_rec(struct svc *s)
{
	struct json_object	*d;

	return json_object_object_get_ex(s->rec, "daemon", &d) &&
	    json_object_is_type(d, json_type_object) ? d : NULL;
}

/* The rendered argv of the class's daemon, with the supervisor first. */
static int
daemon_argv(struct svcenv *e, struct svc *s, struct json_object *data,
    const char *exitfile, struct strv *argv, struct buf *err)
{
	const struct service_class	*c = s->class;
	struct buf			 arg = BUF_INIT;
	size_t				 i;

	strv_add(argv, xstrdup(e->self));
	strv_add(argv, xstrdup("__supervise"));
	strv_add(argv, xstrdup(exitfile));
	for (i = 0; i < c->ndaemon_cmd; i++) {
		buf_truncate(&arg, 0);
		if (render_text(&c->daemon_cmd[i], data, 0, &arg, err) < 0) {
			buf_release(&arg);
			return -1;
		}
		strv_add(argv, xstrdup(buf_str(&arg)));
	}
	buf_release(&arg);
	return 0;
}

int
daemon_start(struct svcenv *e, struct svc *s, struct json_object *data,
    struct buf *err)
{
	struct strv		 argv = STRV_INIT, env = STRV_INIT;
	struct proc_req		 r = { 0 };
	struct child		 ch;
	struct json_object	*d;
	struct buf		 dir = BUF_INIT;
	char			*log = xasprintf("%s.log", s->name), *exitfile;
	char			*abs = realpath(e->dir, NULL);
	const char		*kv[] = { "MUSTER_SERVICE", s->name, NULL };
	int			 fd, rc = -1;

	exitfile = xasprintf("%s/%s.exit", abs ? abs : e->dir, s->name);
	unlink(exitfile);
	fd = openat(e->dirfd, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0) {
		buf_printf(err, "cannot open '%s/%s': %s", e->dir, log,
		    strerror(errno));
		goto out;
	}
	if (daemon_argv(e, s, data, exitfile, &argv, err) < 0 ||
	    tool_env(&env, s->class->daemon_env, data, kv, err) < 0)
		goto out;
	buf_adds(&dir, e->p->root);
	if (s->class->daemon_workdir.src != NULL) {
		buf_addc(&dir, '/');
		if (render_text(&s->class->daemon_workdir, data, 0, &dir,
		    err) < 0)
			goto out;
	}
	r.argv = argv.v;
	r.envp = env.v;
	r.dir = buf_str(&dir);
	r.new_session = 1;	/* no terminal, no group of ours: detached */
	r.out_fd = fd;
	if (proc_start(&r, &ch) < 0) {
		buf_printf(err, "cannot start the daemon: %s", strerror(errno));
		goto out;
	}
	d = json_object_new_object();
	json_set(d, "pid", json_object_new_int(ch.pid));
	json_set(d, "start_time", json_object_new_int64(
	    (int64_t)proc_start_time(ch.pid)));
	json_set(d, "boot_id", json_str(proc_boot_id()));
	json_set(d, "command", json_str(argv.v[3]));
	json_set(d, "log", json_str(log));
	json_set(s->rec, "daemon", d);
	json_object_object_del(s->rec, "exit");
	json_object_object_del(s->rec, "log_tail");
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	strv_release(&argv);
	strv_release(&env);
	buf_release(&dir);
	free(log);
	free(exitfile);
	free(abs);
	return rc;
}

bool
daemon_alive(struct svc *s)
{
	struct json_object	*d = daemon_rec(s);
	struct proc_stat	 st;
	pid_t			 pid;

	if (d == NULL)
		return false;
	pid = json_object_get_int(json_object_object_get(d, "pid"));
	/* A pid from another boot, or reused since, is not ours. */
	if (pid <= 1 || strcmp(json_object_get_string(json_object_object_get(d,
	    "boot_id")), proc_boot_id()) != 0)
		return false;
	waitpid(pid, NULL, WNOHANG);	/* a child of ours: reap it */
	return proc_stat(pid, &st) == 0 && st.state != 'Z' &&
	    st.state != 'X' && (uint64_t)json_object_get_int64(
	    json_object_object_get(d, "start_time")) == st.start_time;
}

/* Waits up to ns for the group of pid to have no live member. */
static bool
group_gone(pid_t pid, int64_t ns)
{
	int64_t	end = clock_mono_ns() + ns;

	for (;;) {
		waitpid(pid, NULL, WNOHANG);
		if (!proc_group_alive(pid))
			return true;
		if (clock_mono_ns() >= end)
			return false;
		usleep(20000);
	}
}

void
daemon_stop(struct svcenv *e, struct svc *s)
{
	struct json_object	*d = daemon_rec(s);
	pid_t			 pid;

	if (d == NULL || !daemon_alive(s))
		return;
	pid = json_object_get_int(json_object_object_get(d, "pid"));
	proc_kill_group(pid, s->class ? s->class->stop_signal : SIGTERM);
	kill(-pid, SIGCONT);
	if (group_gone(pid, s->class ? s->class->stop_timeout_ns :
	    10 * (int64_t)1000000000))
		return;
	/* Only while its leader is still the process muster started. */
	if (daemon_alive(s)) {
		if (e->verbose >= 0)
			fprintf(stderr, "muster: service '%s' did not stop in "
			    "time; killing it\n", s->name);
		kill(-pid, SIGKILL);
		group_gone(pid, 5 * (int64_t)1000000000);
	}
}

/* The last lines of a log, at most n of them and 4 KiB. */
static char *
log_tail(struct svcenv *e, const char *log, int n)
{
	char	buf[4096];
	ssize_t	len;
	off_t	size;
	int	fd, i;
	char	*p;

	if ((fd = openat(e->dirfd, log, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0)
		return NULL;
	size = lseek(fd, 0, SEEK_END);
	len = pread(fd, buf, sizeof buf - 1, size > (off_t)sizeof buf - 1 ?
	    size - (off_t)(sizeof buf - 1) : 0);
	close(fd);
	if (len <= 0)
		return NULL;
	buf[len] = '\0';
	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	for (p = buf + len, i = 0; p > buf && i < n; p--)
		if (p[-1] == '\n' && ++i == n)
			break;
	return xstrdup(p);
}

void
daemon_reap(struct svcenv *e, struct svc *s)
{
	struct json_object	*d = daemon_rec(s), *x;
	struct buf		 why = BUF_INIT, msg = BUF_INIT;
	char			*file = xasprintf("%s.exit", s->name), *tail;
	char			 chunk[256];
	ssize_t			 n;
	int			 fd, ok;

	if ((fd = openat(e->dirfd, file, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW)) >= 0) {
		n = read(fd, chunk, sizeof chunk - 1);
		close(fd);
		x = json_parse(chunk, n > 0 ? (size_t)n : 0, &ok, &why);
		if (ok && x != NULL) {
			json_set(s->rec, "exit", x);
			if (json_object_object_get(x, "signal") != NULL)
				buf_printf(&msg, "the daemon was killed by "
				    "signal %d", json_object_get_int(
				    json_object_object_get(x, "signal")));
			else
				buf_printf(&msg, "the daemon exited with "
				    "status %d", json_object_get_int(
				    json_object_object_get(x, "code")));
		}
	}
	if (msg.len == 0)
		buf_adds(&msg, "the daemon is gone");
	tail = d != NULL ? log_tail(e, json_object_get_string(
	    json_object_object_get(d, "log")), 10) : NULL;
	json_set(s->rec, "log_tail", json_str(tail));
	svc_set_state(s, "failed", buf_str(&msg));
	free(tail);
	free(file);
	buf_release(&why);
	buf_release(&msg);
}
