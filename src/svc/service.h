/* service.h: service instances: state kept across invocations, daemons,
 * lifecycle tools, health. */
#ifndef MUSTER_SERVICE_H
#define MUSTER_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "def/model.h"

struct buf;
struct json_object;

/* What every service operation works with. */
struct svcenv {
	struct project	*p;
	char		*dir;		/* .muster/state/services, as shown */
	int		 dirfd;
	char		*self;		/* muster's own executable */
	int		 verbose;	/* -1 quiet: no "waiting" lines */
};

/* An instance while an operation holds it (its lock and its record). */
struct svc {
	char			*name;
	struct service_class	*class;	/* NULL: gone or broken */
	bool			 class_broken;	/* defined with errors */
	struct json_object	*rec;	/* the state document */
	int			 lock_fd;
	int			 dirfd;	/* the env's, for the lock file */
};

int	 svc_env_open(struct svcenv *, struct project *, int verbose);
void	 svc_env_close(struct svcenv *);

/*
 * Locks instance name (waiting for another command that holds it) and
 * reads its record.  Returns 0; 1 when it does not exist (s->rec NULL, the
 * lock held, for create); or an exit code after an error.
 */
int	 svc_open(struct svcenv *, const char *name, struct svc *);
/* 0 when name is a good name no instance has yet, else an exit code. */
int	 svc_absent(struct svcenv *, const char *name);
/* Writes the record atomically; 0, or -1 after an error. */
int	 svc_save(struct svcenv *, struct svc *);
/* Drops the lock and the record; with no record, the lock file too. */
void	 svc_close(struct svc *);
/* Every instance's record, sorted by name, without probing anything. */
int	 svc_list(struct svcenv *, struct json_object **);
/* A record field as a string, or NULL. */
const char *svc_str(struct svc *, const char *key);
void	 svc_set_state(struct svc *, const char *state, const char *error);

/* The operations; each returns muster's exit code and *out (new). */
int	 svc_create(struct svcenv *, const char *class, const char *name,
	    struct json_object *args, int64_t timeout_ns, int wait,
	    struct json_object **out);
int	 svc_start(struct svcenv *, const char *name, int64_t timeout_ns,
	    struct json_object **out);
int	 svc_stop(struct svcenv *, const char *name, struct json_object **out);
/*
 * Calls the class's scale tool for instance name with .replicas (kept in
 * its record); fails when the class has none.
 */
int	 svc_scale(struct svcenv *, const char *name, int64_t replicas,
	    int64_t timeout_ns, struct json_object **out);
int	 svc_restart(struct svcenv *, const char *name, int64_t timeout_ns,
	    struct json_object **out);
int	 svc_delete(struct svcenv *, const char *name, bool force,
	    struct json_object **out);
int	 svc_status(struct svcenv *, const char *name,
	    struct json_object **out);
int	 svc_wait(struct svcenv *, const char *name, int64_t timeout_ns,
	    struct json_object **out);

/* svc-daemon.c: the process a daemon class runs. */
int	 daemon_start(struct svcenv *, struct svc *, struct json_object *data,
	    struct buf *err);
/* True while the recorded daemon (pid, start time, boot) is alive. */
bool	 daemon_alive(struct svc *);
/* Stops it: stopSignal and SIGCONT to its group, then SIGKILL. */
void	 daemon_stop(struct svcenv *, struct svc *);
/* Marks a dead daemon failed, with its exit status and its log's tail. */
void	 daemon_reap(struct svcenv *, struct svc *);

/* svc-health.c: probes, counted against the class's thresholds. */
/*
 * Whether the port the class's http or tcp probe looks at answers before
 * its daemon started: then a probe would reach another process.  1 with
 * the reason in why, else 0.
 */
int	 health_port_taken(struct svc *, struct json_object *data,
	    struct buf *why);
/* One probe: returns 1 healthy, 0 not, recording it in the record. */
int	 health_probe(struct svcenv *, struct svc *, struct json_object *data);
/*
 * Probes every interval until healthy, the daemon dies, or the timeout:
 * 0 healthy, else the exit code (1), with the reason in the record.
 */
int	 health_wait(struct svcenv *, struct svc *, struct json_object *data,
	    int64_t timeout_ns);

/* The template data of an instance: .input, .name, .outputs. */
struct json_object *svc_data(struct svc *);

#endif
