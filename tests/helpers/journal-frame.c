/* journal-frame.c: frames lines as journal records, for tests.
 *
 * Reads payloads on stdin, one a line, and writes each as a journal
 * record: "<length> <crc32c hex> <payload>\n" (see src/state/journal.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int	main(void);

static uint32_t
crc32c(const unsigned char *p, size_t n)
{
	uint32_t	crc = 0xffffffff;
	int		k;

	while (n-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & (0u - (crc & 1)));
	}
	return ~crc;
}

int
main(void)
{
	static char	line[1 << 20];
	size_t		n;

	while (fgets(line, sizeof line, stdin) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		printf("%zu %08x %s\n", n, (unsigned)crc32c(
		    (const unsigned char *)line, n), line);
	}
	return ferror(stdin) || fflush(stdout) != 0;
}
