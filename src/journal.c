/* journal.c: append-only files of checksummed records, and atomic replaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "util.h"

/* CRC-32C (Castagnoli), bytewise with a table made on first use. */
static uint32_t
crc32c_table(uint32_t crc, const unsigned char *p, size_t len)
{
	static uint32_t	table[256];
	size_t		i;

	if (table[1] == 0) {
		uint32_t	c, k;

		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
			table[i] = c;
		}
	}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The same sum from SSE4.2's crc32 instruction, eight bytes at a time. */
__attribute__((target("sse4.2")))
static uint32_t
crc32c_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t	c = crc;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t	w;

		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
	}
	crc = (uint32_t)c;
	for (; len > 0; p++, len--)
		crc = __builtin_ia32_crc32qi(crc, *p);
	return crc;
}
#endif

uint32_t
crc32c(uint32_t crc, const void *data, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (__builtin_cpu_supports("sse4.2"))
		return ~crc32c_hw(crc, data, len);
#endif
	return ~crc32c_table(crc, data, len);
}

int
journal_open(struct journal *j, int dirfd, const char *name,
    const char *shown, unsigned flags)
{
	j->sync = (flags & JOURNAL_SYNC) != 0;
	j->broken = 0;
	j->path = xasprintf("%s/%s", shown, name);
	j->fd = openat(dirfd, name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (j->fd < 0 || (j->size = lseek(j->fd, 0, SEEK_END)) < 0) {
		error("cannot open '%s':", j->path);
		if (j->fd >= 0)
			close(j->fd);
		j->fd = -1;
		free(j->path);
		j->path = NULL;
		return -1;
	}
	/* A new journal's folder entry must last as long as its records. */
	if (j->sync && j->size == 0 && fsync(dirfd) < 0)
		return error("cannot sync the folder of '%s':", j->path);
	return 0;
}

int
journal_append(struct journal *j, const char *payload, size_t len)
{
	char	head[32], *rec;
	size_t	hl, total, off = 0;
	int	n, e;

	if (j->broken)
		return error("'%s' cannot be written any more", j->path);
	n = snprintf(head, sizeof head, "%zu %08x ", len,
	    crc32c(0, payload, len));
	hl = (size_t)n;
	total = hl + len + 1;
	rec = xmalloc(total);
	memcpy(rec, head, hl);
	memcpy(rec + hl, payload, len);
	rec[total - 1] = '\n';
	/* One write: appends of this size are whole or torn, never mixed. */
	while (off < total) {
		ssize_t	w = write(j->fd, rec + off, total - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* Part of a record must not stay for the next one to
			 * follow: cut it off, or write no more. */
			e = errno;
			free(rec);
			if (ftruncate(j->fd, j->size) < 0)
				j->broken = 1;
			errno = e;
			return error("cannot write '%s':", j->path);
		}
		off += (size_t)w;
	}
	free(rec);
	if (j->sync && fdatasync(j->fd) < 0) {
		j->broken = 1;
		return error("cannot sync '%s':", j->path);
	}
	j->size += (off_t)total;
	return 0;
}

void
journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	free(j->path);
	j->path = NULL;
}

/* Reads a whole file opened at dirfd/name; NULL with errno on failure. */
static char *
slurp(int dirfd, const char *name, size_t *len)
{
	struct stat	 st;
	char		*buf;
	size_t		 got = 0;
	int		 fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (errno == 0 || S_ISREG(st.st_mode) == 0)
			errno = EINVAL;
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t	r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/*
 * Parses the record at buf[off..len).  Returns its total size, 0 when the
 * bytes end before it does, or -1 when it is malformed.
 */
static long
parse_record(const char *buf, size_t len, size_t off, const char **payload,
    size_t *plen)
{
	const char	*p = buf + off, *end = buf + len;
	unsigned long	 n = 0, crc = 0;
	int		 digits = 0;

	while (p < end && *p >= '0' && *p <= '9' && digits < 12) {
		n = n * 10 + (unsigned long)(*p++ - '0');
		digits++;
	}
	if (p == end)
		return 0;
	if (digits == 0 || *p++ != ' ')
		return -1;
	for (digits = 0; p < end && digits < 8; digits++, p++) {
		int	c = *p;

		crc <<= 4;
		if (c >= '0' && c <= '9')
			crc |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			crc |= (unsigned long)(c - 'a' + 10);
		else
			return -1;
	}
	if (p == end)
		return 0;
	if (*p++ != ' ')
		return -1;
	if ((size_t)(end - p) < n + 1)
		return 0;
	if (p[n] != '\n' || crc32c(0, p, n) != crc)
		return -1;
	*payload = p;
	*plen = n;
	return (long)(p + n + 1 - (buf + off));
}

static int
all_nul(const char *p, size_t n)
{
	while (n > 0 && *p == '\0') {
		p++;
		n--;
	}
	return n == 0;
}

char *
journal_load(int dirfd, const char *name, size_t *len,
    struct journal_scan *scan, int *rc)
{
	const char	*payload;
	char		*buf;
	size_t		 all, off = 0, plen;

	memset(scan, 0, sizeof *scan);
	*rc = 0;
	if ((buf = slurp(dirfd, name, &all)) == NULL) {
		*rc = -1;
		return NULL;
	}
	while (off < all) {
		long	r = parse_record(buf, all, off, &payload, &plen);

		if (r == 0 || all_nul(buf + off, all - off)) {
			/*
			 * The last record cut short (a crash during its one
			 * write), or zeros a power cut left: a torn tail.
			 */
			scan->torn = (off_t)(all - off);
			break;
		}
		if (r < 0) {
			scan->bad_at = (off_t)off;
			*rc = -2;
			free(buf);
			return NULL;
		}
		scan->records++;
		off += (size_t)r;
		scan->good = (off_t)off;
	}
	*len = off;
	return buf;
}

int
journal_next(const char *buf, size_t len, size_t *off, const char **payload,
    size_t *plen)
{
	long	r;

	if (*off >= len || (r = parse_record(buf, len, *off, payload,
	    plen)) <= 0)
		return 0;
	*off += (size_t)r;
	return 1;
}

int
journal_replay(int dirfd, const char *name,
    int (*fn)(void *, const char *, size_t), void *arg,
    struct journal_scan *scan)
{
	const char	*payload;
	char		*buf;
	size_t		 len, off = 0, plen;
	int		 rc;

	if ((buf = journal_load(dirfd, name, &len, scan, &rc)) == NULL)
		return rc;
	while (fn != NULL && journal_next(buf, len, &off, &payload, &plen))
		if (fn(arg, payload, plen) < 0) {
			rc = -1;
			break;
		}
	free(buf);
	return rc;
}

int
journal_truncate(int dirfd, const char *name, off_t good)
{
	int	fd, rc;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	rc = ftruncate(fd, good);
	close(fd);
	return rc;
}

int
state_replace(int dirfd, const char *name, const void *data, size_t len,
    int sync)
{
	char		tmp[256];
	const char	*p = data;
	size_t		off = 0;
	int		fd, e;

	snprintf(tmp, sizeof tmp, ".%s.tmp.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t	w = write(fd, p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		off += (size_t)w;
	}
	if (sync && fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		goto fail;
	if (sync && fsync(dirfd) < 0)
		return -1;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = e;
	return -1;
}
