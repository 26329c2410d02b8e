/* hog.c: uses resources on purpose: `hog CPU_MS MIB` burns CPU_MS of CPU
 * time, then touches MIB mebibytes, so tests can check the usage muster
 * records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
cpu_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	volatile unsigned long	spin = 0;
	double			start, ms;
	size_t			mib, i;
	char *volatile		p;

	if (argc != 3) {
		fprintf(stderr, "usage: hog CPU_MS MIB\n");
		return 2;
	}
	ms = atof(argv[1]);
	mib = (size_t)atol(argv[2]);
	start = cpu_seconds();
	while ((cpu_seconds() - start) * 1000 < ms)
		spin++;
	if (mib > 0) {
		if ((p = malloc(mib << 20)) == NULL)
			return 1;
		/* Every page written: resident, not just reserved. */
		for (i = 0; i < mib << 20; i += 4096)
			p[i] = (char)i;
		memset(p, 1, mib << 20);
		printf("%d\n", p[(mib << 20) - 1]);
		free(p);
	}
	return 0;
}
