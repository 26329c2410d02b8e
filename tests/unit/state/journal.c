/* journal.c: tests of checksummed records, torn tails and corruption. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/journal.h"
#include "base/util.h"

START_TEST(crc_vectors)
{
	unsigned char	big[1000];
	int		i;

	for (i = 0; i < 1000; i++)
		big[i] = (unsigned char)(i * 7);
	ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xe3069283);
	ck_assert_uint_eq(crc32c(0, "", 0), 0);
	ck_assert_uint_eq(crc32c(0, "muster journal record", 21), 0x50c73c65);
	ck_assert_uint_eq(crc32c(0, big, sizeof big), 0x79a16ae6);
}
END_TEST

static char	dir[] = "/tmp/muster-journal-XXXXXX";
static int	dfd = -1;

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
}

static void
teardown(void)
{
	unlinkat(dfd, "j", 0);
	close(dfd);
	rmdir(dir);
	strcpy(dir, "/tmp/muster-journal-XXXXXX");
}

static int	seen;

/* Counts the intact records of "j" in seen, as readers walk them. */
static int
replay(struct journal_scan *scan)
{
	struct journal_map	 m;
	const char		*p;
	size_t			 off = 0, len;
	int			 rc;

	if ((rc = journal_load(dfd, "j", &m, scan)) < 0)
		return rc;
	while (journal_next(m.p, m.len, &off, &p, &len))
		seen++;
	journal_unload(&m);
	return 0;
}

static void
write_three(void)
{
	struct journal	j;

	ck_assert_int_eq(journal_open(&j, dfd, "j", dir, 0), 0);
	ck_assert_int_eq(journal_append(&j, "{\"a\":1}", 7), 0);
	ck_assert_int_eq(journal_append(&j, "{\"b\":2}", 7), 0);
	ck_assert_int_eq(journal_append(&j, "{\"c\":3}", 7), 0);
	journal_close(&j);
}

START_TEST(replays_whole_records)
{
	struct journal_scan	scan;

	write_three();
	seen = 0;
	ck_assert_int_eq(replay(&scan), 0);
	ck_assert_int_eq(seen, 3);
	ck_assert_int_eq(scan.torn, 0);
}
END_TEST

START_TEST(drops_a_torn_tail)
{
	struct journal_scan	scan;
	int			fd;
	off_t			size;

	write_three();
	fd = openat(dfd, "j", O_RDWR);
	size = lseek(fd, 0, SEEK_END);
	/* Every cut inside the last record is torn, never corrupt. */
	for (off_t cut = size - 1; cut > size - 16; cut--) {
		ck_assert_int_eq(ftruncate(fd, cut), 0);
		seen = 0;
		ck_assert_int_eq(replay(&scan), 0);
		ck_assert_int_eq(seen, 2);
		ck_assert_int_gt(scan.torn, 0);
	}
	ck_assert_int_eq(journal_truncate(dfd, "j", scan.good), 0);
	close(fd);
}
END_TEST

START_TEST(reports_damage_before_the_tail)
{
	struct journal_scan	scan;
	char			c;
	int			fd;

	write_three();
	fd = openat(dfd, "j", O_RDWR);
	ck_assert_int_eq(pread(fd, &c, 1, 12), 1);
	c ^= 1;
	ck_assert_int_eq(pwrite(fd, &c, 1, 12), 1);
	close(fd);
	ck_assert_int_eq(replay(&scan), -2);
	ck_assert_int_eq(scan.bad_at, 0);
}
END_TEST

START_TEST(atomic_replace)
{
	char	buf[16] = { 0 };
	int	fd;

	ck_assert_int_eq(state_replace(dfd, "j", "old", 3, 0), 0);
	ck_assert_int_eq(state_replace(dfd, "j", "new!", 4, 1), 0);
	fd = openat(dfd, "j", O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof buf), 4);
	ck_assert_str_eq(buf, "new!");
	close(fd);
}
END_TEST

Suite *journal_suite(void);

Suite *
journal_suite(void)
{
	Suite	*s = suite_create("journal");
	TCase	*tc = tcase_create("journal");

	tcase_add_test(tc, crc_vectors);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replays_whole_records);
	tcase_add_test(tc, drops_a_torn_tail);
	tcase_add_test(tc, reports_damage_before_the_tail);
	tcase_add_test(tc, atomic_replace);
	suite_add_tcase(s, tc);
	return s;
}
