/* timeline.c: tests of journals replayed as spans: lanes, retries and
 * the critical path. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "observe/timeline.h"
#include "state/journal.h"

#define ID	"20260101-000000-abcd"

static char	state[] = "/tmp/muster-timeline-XXXXXX";

static void
setup(void)
{
	char	path[128];

	ck_assert_ptr_nonnull(mkdtemp(state));
	snprintf(path, sizeof path, "%s/executions", state);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/executions/" ID, state);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

static void
teardown(void)
{
	char	cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(state, "/tmp/muster-timeline-XXXXXX");
}

/* Writes the journal: records, NULL-terminated, times "T+ms" as ms. */
static void
journal(const char *const *recs)
{
	static const char	start[] = "{\"t\":\"start\",\"v\":1,\"id\":\""
	    ID "\",\"workflow\":\"w\",\"at\":\"2026-01-01T00:00:00.000Z\","
	    "\"input\":{}}";
	struct journal		j;
	char			path[128], rec[512];
	int			dfd;

	snprintf(path, sizeof path, "%s/executions/" ID, state);
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(journal_open(&j, dfd, "journal", path, 0), 0);
	ck_assert_int_eq(journal_append(&j, start, strlen(start)), 0);
	for (; *recs != NULL; recs++) {
		snprintf(rec, sizeof rec, "%s", *recs);
		ck_assert_int_eq(journal_append(&j, rec, strlen(rec)), 0);
	}
	journal_close(&j);
	close(dfd);
}

#define AT(ms)	"\"at\":\"2026-01-01T00:00:0" ms "Z\""
#define RUN(k, a, t) "{\"t\":\"step\",\"k\":\"" k "\",\"s\":\"running\"," \
	"\"a\":" a "," AT(t) "}"
#define END(k, s, a, t) "{\"t\":\"step\",\"k\":\"" k "\",\"s\":\"" s "\"," \
	"\"a\":" a "," AT(t) ",\"exit\":0,\"ru\":{\"user_us\":5," \
	"\"max_rss_kb\":7}}"

static struct span *
span(struct timeline *t, const char *key, int attempt)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->spans[i].key, key) == 0 &&
		    t->spans[i].attempt == attempt)
			return &t->spans[i];
	ck_abort_msg("no span %s attempt %d", key, attempt);
	return NULL;
}

START_TEST(lanes_reused)
{
	static const char *const	recs[] = {
		RUN("a", "1", "0.000"), RUN("b", "1", "0.000"),
		END("b", "completed", "1", "0.500"), RUN("c", "1", "0.500"),
		END("a", "completed", "1", "1.000"),
		END("c", "completed", "1", "1.500"),
		"{\"t\":\"end\",\"s\":\"completed\"," AT("1.500") "}", NULL
	};
	struct timeline			*t;

	journal(recs);
	ck_assert_int_eq(timeline_load(state, ID, &t), 0);
	ck_assert_uint_eq(t->n, 3);
	ck_assert_int_eq(t->lanes, 2);
	ck_assert_int_ne(span(t, "a", 1)->lane, span(t, "b", 1)->lane);
	ck_assert_int_eq(span(t, "b", 1)->lane, span(t, "c", 1)->lane);
	ck_assert_int_eq(span(t, "c", 1)->end_us - span(t, "c", 1)->start_us,
	    1000000);
	ck_assert(span(t, "c", 1)->has_usage);
	ck_assert_int_eq(span(t, "c", 1)->usage.max_rss_kb, 7);
	ck_assert_str_eq(t->status, "completed");
	timeline_free(t);
}
END_TEST

START_TEST(critical_by_time)
{
	static const char *const	recs[] = {
		RUN("a", "1", "0.000"), RUN("b", "1", "0.000"),
		END("b", "completed", "1", "0.500"),
		END("a", "completed", "1", "1.000"), RUN("c", "1", "1.000"),
		END("c", "completed", "1", "2.000"), NULL
	};
	struct timeline			*t;

	journal(recs);
	ck_assert_int_eq(timeline_load(state, ID, &t), 0);
	timeline_critical(t, NULL);
	ck_assert(span(t, "a", 1)->critical);
	ck_assert(!span(t, "b", 1)->critical);
	ck_assert(span(t, "c", 1)->critical);
	timeline_free(t);
}
END_TEST

START_TEST(retries_and_backoff)
{
	static const char *const	recs[] = {
		RUN("a", "1", "0.000"), END("a", "failed", "1", "0.100"),
		RUN("a", "2", "0.300"), END("a", "completed", "2", "0.400"),
		"{\"t\":\"step\",\"k\":\"z\",\"s\":\"skipped\",\"a\":0,"
		AT("0.400") "}", NULL
	};
	struct timeline			*t;

	journal(recs);
	ck_assert_int_eq(timeline_load(state, ID, &t), 0);
	ck_assert_uint_eq(t->n, 3);
	ck_assert_str_eq(span(t, "a", 1)->status, "failed");
	ck_assert(!span(t, "a", 1)->last);
	ck_assert(span(t, "a", 2)->last);
	ck_assert_int_eq(span(t, "a", 2)->backoff_us, 200000);
	ck_assert_str_eq(span(t, "z", 0)->status, "skipped");
	ck_assert_int_eq(span(t, "z", 0)->start_us, span(t, "z", 0)->end_us);
	/* Still running: the record has no end yet. */
	ck_assert_str_eq(t->status, "running");
	timeline_free(t);
}
END_TEST

START_TEST(bad_records)
{
	static const char *const	recs[] = { "{\"t\":", NULL };
	struct timeline			*t;

	ck_assert_int_eq(timeline_load(state, "../../etc", &t), EXIT_STATE);
	ck_assert_int_eq(timeline_load(state, "20260101-000000-ffff", &t),
	    EXIT_STATE);
	journal(recs);
	ck_assert_int_eq(timeline_load(state, ID, &t), EXIT_STATE);
	ck_assert_ptr_null(t);
}
END_TEST

Suite *timeline_suite(void);

Suite *
timeline_suite(void)
{
	Suite	*s = suite_create("timeline");
	TCase	*tc = tcase_create("timeline");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lanes_reused);
	tcase_add_test(tc, critical_by_time);
	tcase_add_test(tc, retries_and_backoff);
	tcase_add_test(tc, bad_records);
	suite_add_tcase(s, tc);
	return s;
}
