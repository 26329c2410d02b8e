/* journal.c: append-only files of checksummed records, and atomic replaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/journal.h"
#include "base/util.h"

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
	j->dirty = j->broken = 0;
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
	if (journal_append_lazy(j, payload, len) < 0)
		return -1;
	j->dirty = j->sync;
	return 0;
}

int
journal_append_lazy(struct journal *j, const char *payload, size_t len)
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
	j->size += (off_t)total;
	return 0;
}

int
journal_sync(struct journal *j)
{
	if (!j->dirty)
		return 0;
	if (j->broken)
		return error("'%s' cannot be written any more", j->path);
	if (fdatasync(j->fd) < 0) {
		j->broken = 1;
		return error("cannot sync '%s':", j->path);
	}
	j->dirty = 0;
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

/* Maps the regular file name of dirfd whole: 0, or -1 with errno set. */
static int
map_file(int dirfd, const char *name, struct journal_map *m)
{
	struct stat	 st;
	void		*p;
	int		 fd;

	memset(m, 0, sizeof *m);
	m->p = "";
	/* O_NONBLOCK: a FIFO planted there must not hang the reader. */
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (errno == 0 || S_ISREG(st.st_mode) == 0)
			errno = EINVAL;
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		/* MAP_POPULATE: one call maps every page the cache holds. */
		p = mmap(NULL, (size_t)st.st_size, PROT_READ,
		    MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return -1;
		}
		m->p = p;
		m->size = (size_t)st.st_size;
	}
	close(fd);
	return 0;
}

void
journal_unload(struct journal_map *m)
{
	if (m->size > 0)
		munmap((void *)m->p, m->size);
	memset(m, 0, sizeof *m);
	m->p = "";
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

int
journal_load(int dirfd, const char *name, struct journal_map *m,
    struct journal_scan *scan)
{
	const char	*payload;
	size_t		 off = 0, plen;

	memset(scan, 0, sizeof *scan);
	if (map_file(dirfd, name, m) < 0)
		return -1;
	while (off < m->size) {
		long	r = parse_record(m->p, m->size, off, &payload, &plen);

		if (r == 0 || all_nul(m->p + off, m->size - off)) {
			/*
			 * The last record cut short (a crash during its one
			 * write), or zeros a power cut left: a torn tail.
			 */
			scan->torn = (off_t)(m->size - off);
			break;
		}
		if (r < 0) {
			scan->bad_at = (off_t)off;
			journal_unload(m);
			return -2;
		}
		scan->records++;
		off += (size_t)r;
		scan->good = (off_t)off;
	}
	m->len = off;
	return 0;
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
