/* ynode.c: tests of YAML trees: scalar typing, positions, aliases, limits. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/util.h"
#include "def/ynode.h"

static struct arena	a;
static struct ydoc	*docs;
static size_t		 ndocs;

static void
quiet(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)len;
	(void)arg;
}

static int
load(const char *text)
{
	arena_release(&a);
	error_set_sink(quiet, NULL);
	return ynode_load_buf(&a, NULL, "t.yaml", text, strlen(text), &docs, &ndocs);
}

static const struct {
	const char	*text;
	enum yscalar	 type;
} scalars[] = {
	{ "x: ~", YS_NULL }, { "x: null", YS_NULL }, { "x:", YS_NULL },
	{ "x: true", YS_BOOL }, { "x: False", YS_BOOL }, { "x: yes", YS_STR },
	{ "x: no", YS_STR }, { "x: 12", YS_INT }, { "x: -3", YS_INT },
	{ "x: 0x1F", YS_INT }, { "x: 0o17", YS_INT }, { "x: 1.5", YS_FLOAT },
	{ "x: 1e3", YS_FLOAT }, { "x: .inf", YS_FLOAT }, { "x: 1.2.3", YS_STR },
	{ "x: '12'", YS_STR }, { "x: \"true\"", YS_STR }, { "x: 12abc", YS_STR },
	{ "x: !!str 12", YS_STR }, { "x: !!float 1", YS_FLOAT },
	{ "x: 1e", YS_STR }, { "x: -a", YS_STR }, { "x: 08", YS_INT },
};

START_TEST(scalar_types)
{
	struct ynode	*v;

	ck_assert_int_eq(load(scalars[_i].text), 0);
	ck_assert_uint_eq(ndocs, 1);
	v = ynode_get(docs[0].root, "x");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->type, scalars[_i].type);
}
END_TEST

START_TEST(positions)
{
	struct ynode	*steps, *step;

	ck_assert_int_eq(load("spec:\n  steps:\n    - id: a\n      run: b\n"), 0);
	steps = ynode_get(ynode_get(docs[0].root, "spec"), "steps");
	ck_assert_int_eq(steps->kind, YNODE_SEQ);
	step = steps->items[0];
	ck_assert_int_eq(step->line, 3);
	ck_assert_int_eq(step->col, 7);
	ck_assert_int_eq(ynode_get(step, "run")->line, 4);
	ck_assert_int_eq(ynode_get(step, "run")->col, 12);
	ck_assert_int_eq(YMAP_KEY(step, 1)->col, 7);
}
END_TEST

START_TEST(documents)
{
	ck_assert_int_eq(load("a: 1\n---\nb: 2\n---\n"), 0);
	ck_assert_uint_eq(ndocs, 3);
	ck_assert_ptr_nonnull(docs[0].root);
	ck_assert_int_eq(docs[1].line, 2);
	ck_assert_ptr_null(docs[2].root);
}
END_TEST

START_TEST(aliases_share)
{
	struct ynode	*x, *y;

	ck_assert_int_eq(load("x: &a {k: v}\ny: *a\n"), 0);
	x = ynode_get(docs[0].root, "x");
	y = ynode_get(docs[0].root, "y");
	ck_assert_ptr_eq(x, y);
}
END_TEST

START_TEST(rejects)
{
	ck_assert_int_eq(load("a: &a [*a]\n"), -1);
	ck_assert_int_eq(load("a: 1\na: 2\n"), -1);
	ck_assert_int_eq(load("a: \"x\ny"), -1);
	ck_assert_int_eq(load("a: !foo x\n"), -1);
	ck_assert_int_eq(load("a: b\0c"), 0);	/* strlen stops early */
	ck_assert_int_eq(ynode_load_buf(&a, NULL, "t", "a: b\0c", 6, &docs, &ndocs),
	    -1);
	ck_assert_int_eq(load("a: \xff\n"), -1);
}
END_TEST

START_TEST(nul_in_quoted_scalar)
{
	struct ynode	*v;

	ck_assert_int_eq(load("x: \"a\\0b\"\n"), 0);
	v = ynode_get(docs[0].root, "x");
	ck_assert_uint_eq(v->len, 3);
	ck_assert_uint_eq(strlen(v->s), 1);
}
END_TEST

START_TEST(hmap_many)
{
	struct hmap	m = HMAP_INIT;
	char		keys[2000][16];
	int		i;

	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		ck_assert_ptr_null(hmap_put(&m, keys[i], keys[i]));
	}
	for (i = 0; i < 2000; i++)
		ck_assert_ptr_eq(hmap_get(&m, keys[i]), keys[i]);
	ck_assert_ptr_eq(hmap_put(&m, "k7", NULL), keys[7]);
	ck_assert_ptr_eq(hmap_set(&m, "k7", keys[8]), keys[7]);
	ck_assert_ptr_eq(hmap_get(&m, "k7"), keys[8]);
	ck_assert_ptr_null(hmap_get(&m, "k2000"));
	hmap_release(&m);
}
END_TEST

static int	cleaned;

static void
cleanup(void *p)
{
	cleaned += *(int *)p;
}

START_TEST(arena_lifetimes)
{
	struct arena	 b = ARENA_INIT;
	int		 one = 1, i;
	char		*big;

	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(*(char *)arena_alloc(&b, 40), 0);
	big = arena_alloc(&b, 1 << 20);
	memset(big, 'x', 1 << 20);
	ck_assert_str_eq(arena_strdup(&b, "hello"), "hello");
	ck_assert_str_eq(arena_printf(&b, "%d-%s", 7, "x"), "7-x");
	arena_defer(&b, cleanup, &one);
	arena_defer(&b, cleanup, &one);
	arena_release(&b);
	ck_assert_int_eq(cleaned, 2);
}
END_TEST

static void
teardown(void)
{
	arena_release(&a);
	error_set_sink(NULL, NULL);
}

Suite *ynode_suite(void);

Suite *
ynode_suite(void)
{
	Suite	*s = suite_create("ynode");
	TCase	*tc = tcase_create("ynode");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, scalar_types, 0, nitems(scalars));
	tcase_add_test(tc, positions);
	tcase_add_test(tc, documents);
	tcase_add_test(tc, aliases_share);
	tcase_add_test(tc, rejects);
	tcase_add_test(tc, nul_in_quoted_scalar);
	tcase_add_test(tc, hmap_many);
	tcase_add_test(tc, arena_lifetimes);
	suite_add_tcase(s, tc);
	return s;
}
