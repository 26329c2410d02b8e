/* cmd-supervise.c: `muster __supervise EXITFILE ARGV...`, not for people:
 * the parent of a service's daemon, which records how the daemon ended. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "state/journal.h"
#include "base/proc.h"
#include "base/util.h"

extern char	**environ;

int
cmd_supervise(struct ctx *ctx, int argc, char **argv)
{
	static const int	 sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				    SIGUSR1, SIGUSR2, SIGPIPE };
	struct proc_req		 r = { 0 };
	struct child		 c;
	char			 text[64], *slash, dir[4096];
	int			 status, n, dfd;
	size_t			 i;

	(void)ctx;
	if (argc < 3)
		return EXIT_USAGE;
	/* Signals for the group are for the daemon: outlive it, to write. */
	for (i = 0; i < nitems(sigs); i++)
		signal(sigs[i], SIG_IGN);
	r.argv = argv + 2;
	r.envp = environ;
	r.keep_group = 1;
	r.out_fd = -1;
	if (proc_start(&r, &c) < 0) {
		fprintf(stderr, "muster: cannot start '%s': %s\n", argv[2],
		    strerror(errno));
		status = 127 << 8;
	} else
		while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
			;
	if (WIFSIGNALED(status))
		n = snprintf(text, sizeof text, "{\"signal\":%d}\n",
		    WTERMSIG(status));
	else
		n = snprintf(text, sizeof text, "{\"code\":%d}\n",
		    WEXITSTATUS(status));
	snprintf(dir, sizeof dir, "%s", argv[1]);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			state_replace(dfd, slash + 1, text, (size_t)n, 0);
			close(dfd);
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}
