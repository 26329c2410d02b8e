/* journal.h: append-only files of checksummed records, and atomic replaces. */
#ifndef MUSTER_JOURNAL_H
#define MUSTER_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A record on disk is one line: "<length> <crc32c hex> <payload>\n", the
 * length and checksum being those of the payload.  Records are appended
 * with one write(2) each.  On replay, a last record that is incomplete or
 * whose checksum fails is a torn tail (a crash during its write) and is
 * dropped; any other damage is corruption and is reported, never skipped.
 */
struct journal {
	int	fd;
	int	sync;		/* journal_sync() makes appends durable */
	int	dirty;		/* appended to since the last sync */
	int	broken;		/* an append failed and could not be undone */
	off_t	size;		/* bytes of whole records */
	char	*path;
};

enum {
	JOURNAL_SYNC = 1 << 0	/* survive a power cut, not just a crash */
};

/* Opens path for appending (creating it 0600). 0, or -1 after an error. */
int	journal_open(struct journal *, int dirfd, const char *name,
	    const char *shown, unsigned flags);
/* Appends one record; 0, or -1 after an error (disk full, I/O). */
int	journal_append(struct journal *, const char *payload, size_t len);
/*
 * The same for a record that means nothing after a reboot (a pid): it
 * reaches the disk with the next sync, but does not call for one.
 */
int	journal_append_lazy(struct journal *, const char *payload, size_t len);
/*
 * With JOURNAL_SYNC, makes every record appended so far survive a power
 * cut (one fdatasync for all of them); else does nothing.  0, or -1.
 */
int	journal_sync(struct journal *);
void	journal_close(struct journal *);

/* What a replay found. */
struct journal_scan {
	size_t	records;
	off_t	good;		/* bytes up to the end of the last good record */
	off_t	torn;		/* bytes of torn tail dropped */
	off_t	bad_at;		/* with a -1 return: where corruption starts */
};

/* A journal file mapped in memory: len bytes of good records at p. */
struct journal_map {
	const char	*p;
	size_t		 len;
	size_t		 size;		/* of the mapping */
};

/*
 * Maps the whole file (read-only: no copy) and checks its records'
 * framing and checksums; m->len ends at the last good record.  Returns 0,
 * -1 (errno set) or -2 (corrupt before its tail, scan->bad_at); after an
 * error nothing is left mapped.
 */
int	journal_load(int dirfd, const char *name, struct journal_map *,
	    struct journal_scan *);
void	journal_unload(struct journal_map *);
/*
 * Steps through the records of loaded bytes: the payload of the record at
 * *off, which moves to the next one.  0 at the end.
 */
int	journal_next(const char *buf, size_t len, size_t *off,
	    const char **payload, size_t *plen);

/* Cuts a torn tail off, so that appends continue after good records. */
int	journal_truncate(int dirfd, const char *name, off_t good);

/*
 * Replaces name in dirfd with data: written to a temporary file (0600),
 * synced when sync is set, renamed over name, folder synced when sync is
 * set.  A crash leaves the old or the new file.  0, or -1 with errno set.
 */
int	state_replace(int dirfd, const char *name, const void *data,
	    size_t len, int sync);

uint32_t crc32c(uint32_t, const void *, size_t);

#endif
