/* executor.h: where a step's process runs: here (local) or on Slurm. */
#ifndef MUSTER_EXECUTOR_H
#define MUSTER_EXECUTOR_H

#include "base/proc.h"
#include "def/model.h"

/*
 * The executor of a step: its own, else its tool's, else its workflow's,
 * else the project's, else local.
 */
enum executor	executor_of(const struct step *, const struct workflow *,
		    const struct config *);
/*
 * The resources a step asks for, field by field from the same levels in
 * the same order, into *out (whose strings belong to the model).
 */
void		executor_resources(const struct step *,
		    const struct workflow *, const struct config *,
		    struct resources *out);

/*
 * The local executor: starts argv (envp, in dir) as a step's process:
 * its own process group, stdin /dev/null, stdout and stderr to pipes.
 * 0, or -1 with errno set.
 */
int		local_start(char *const *argv, char *const *envp,
		    const char *dir, struct child *);
/* The same for a helper command (sbatch ...) with muster's environment. */
int		local_start_plain(char *const *argv, struct child *);

#endif
