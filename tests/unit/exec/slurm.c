/* slurm.c: tests of the Slurm executor's pure parts: sbatch's command
 * line, the job script, executor and resource inheritance. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/executor.h"
#include "exec/slurm.h"

static char *
joined(char **v)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; v[i] != NULL; i++)
		buf_printf(&b, "%s%s", i ? " " : "", v[i]);
	return buf_detach(&b);
}

START_TEST(sbatch_options)
{
	const char		*extra[] = { "--exclusive", "--comment=a b" };
	struct resources	 r = { .cpus = "4", .memory = "2G",
				    .gpus = "a100:1", .partition = "short",
				    .account = "lab", .qos = "hi",
				    .constraint = "avx2", .extra = extra,
				    .nextra = 2 };
	struct slurm_job	 j = { .name = "muster.x.s", .script = "/d/s.sh",
				    .out = "/d/50%/s.out", .err = "/d/s.err",
				    .res = &r, .time_ns = 61000000000LL };
	char			**v = slurm_sbatch_argv(&j), *s = joined(v);

	ck_assert_str_eq(s, "sbatch --parsable --job-name=muster.x.s "
	    "--output=/d/50%%/s.out --error=/d/s.err --export=NONE --time=2 "
	    "--cpus-per-task=4 --mem=2G --gpus=a100:1 --partition=short "
	    "--account=lab --qos=hi --constraint=avx2 --exclusive "
	    "--comment=a b /d/s.sh");
	free(s);
	slurm_argv_free(v);
	/* resources.time wins over the timeout; none at all: no --time. */
	r = (struct resources){ .time_ns = 3600000000000LL };
	v = slurm_sbatch_argv(&j);
	s = joined(v);
	ck_assert_ptr_nonnull(strstr(s, " --time=60 "));
	free(s);
	slurm_argv_free(v);
	j.res = NULL;
	j.time_ns = 0;
	v = slurm_sbatch_argv(&j);
	s = joined(v);
	ck_assert_ptr_null(strstr(s, "--time"));
	free(s);
	slurm_argv_free(v);
}
END_TEST

/* The script runs argv with env in dir and stores its exit status. */
START_TEST(job_script_runs)
{
	char		 dir[] = "/tmp/muster-slurm-XXXXXX", *st, *sh, *cmd;
	char		*argv[] = { "sh", "-c", "echo \"$A|$PWD\" >out; exit 7",
			    NULL };
	char		*env[] = { "A=it's $HOME", "SLURM_JOB_ID=9",
			    "BAD-NAME=x", "PATH=/usr/bin:/bin", NULL };
	struct buf	 b = BUF_INIT, got = BUF_INIT;
	FILE		*f;
	char		 line[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	st = xasprintf("%s/s.status", dir);
	sh = xasprintf("%s/s.sh", dir);
	slurm_script(&b, argv, env, dir, st, "test");
	ck_assert_ptr_null(strstr(b.s, "SLURM_JOB_ID"));
	ck_assert_ptr_null(strstr(b.s, "BAD-NAME"));
	f = fopen(sh, "w");
	fputs(b.s, f);
	fclose(f);
	cmd = xasprintf("cd / && sh %s", sh);
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 7);
	free(cmd);
	cmd = xasprintf("%s/out", dir);
	f = fopen(cmd, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	buf_printf(&got, "it's $HOME|%s\n", dir);
	ck_assert_str_eq(line, got.s);
	f = fopen(st, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_str_eq(line, "7\n");
	free(cmd);
	cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(st);
	free(sh);
	buf_release(&b);
	buf_release(&got);
}
END_TEST

START_TEST(inheritance)
{
	struct resources	 rs = { .cpus = "8" }, rt = { .cpus = "2",
				    .memory = "1G" }, rw = { .partition = "p",
				    .memory = "9G" }, rc = { .account = "a" }, out;
	struct tool		 t = { .executor = EXECUTOR_UNSET,
				    .resources = &rt };
	struct step		 fe = { .kind = STEP_FOREACH };
	struct step		 s = { .kind = STEP_TOOL,
				    .tool_ref = TOOL_FILE, .tool = &t,
				    .resources = &rs, .parent = &fe };
	struct workflow		 w = { .executor = EXECUTOR_SLURM,
				    .resources = &rw };
	struct config		 c = { .executor = EXECUTOR_LOCAL,
				    .resources = &rc };

	ck_assert_int_eq(executor_of(&s, &w, &c), EXECUTOR_SLURM);
	fe.executor = EXECUTOR_LOCAL;
	ck_assert_int_eq(executor_of(&s, &w, &c), EXECUTOR_LOCAL);
	t.executor = EXECUTOR_SLURM;
	ck_assert_int_eq(executor_of(&s, &w, &c), EXECUTOR_SLURM);
	s.executor = EXECUTOR_LOCAL;
	ck_assert_int_eq(executor_of(&s, &w, &c), EXECUTOR_LOCAL);
	w.executor = EXECUTOR_UNSET;
	s.executor = t.executor = fe.executor = EXECUTOR_UNSET;
	ck_assert_int_eq(executor_of(&s, &w, &c), EXECUTOR_LOCAL);
	ck_assert_int_eq(executor_of(&s, NULL, NULL), EXECUTOR_LOCAL);
	executor_resources(&s, &w, &c, &out);
	ck_assert_str_eq(out.cpus, "8");
	ck_assert_str_eq(out.memory, "1G");
	ck_assert_str_eq(out.partition, "p");
	ck_assert_str_eq(out.account, "a");
	ck_assert_ptr_null(out.qos);
}
END_TEST

START_TEST(states)
{
	struct buf	b = BUF_INIT;

	ck_assert(slurm_active("PENDING"));
	ck_assert(slurm_active("COMPLETING"));
	ck_assert(!slurm_active("COMPLETED"));
	ck_assert(!slurm_active(""));
	slurm_explain(&b, "42", "OUT_OF_MEMORY", "None");
	ck_assert_str_eq(b.s, "Slurm job 42 ended: it ran out of memory "
	    "(OUT_OF_MEMORY)");
	buf_truncate(&b, 0);
	slurm_explain(&b, "7", "TIMEOUT", "TimeLimit");
	ck_assert_str_eq(b.s, "Slurm job 7 ended: it reached its time limit "
	    "(TIMEOUT, TimeLimit)");
	buf_truncate(&b, 0);
	slurm_explain(&b, "8", "", "");
	ck_assert_ptr_nonnull(strstr(b.s, "Slurm no longer knows the job"));
	buf_release(&b);
}
END_TEST

Suite *slurm_suite(void);

Suite *
slurm_suite(void)
{
	Suite	*s = suite_create("slurm");
	TCase	*tc = tcase_create("slurm");

	tcase_add_test(tc, sbatch_options);
	tcase_add_test(tc, job_script_runs);
	tcase_add_test(tc, inheritance);
	tcase_add_test(tc, states);
	suite_add_tcase(s, tc);
	return s;
}
