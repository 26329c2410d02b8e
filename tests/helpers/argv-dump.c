/* argv-dump.c: prints its arguments unambiguously: "argv N", then one line
 * "arg:HEX" per argument, each byte as two lowercase hex digits. */
#include <stdio.h>

int
main(int argc, char **argv)
{
	int			 i;
	const unsigned char	*p;

	printf("argv %d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		fputs("arg:", stdout);
		for (p = (const unsigned char *)argv[i]; *p != '\0'; p++)
			printf("%02x", *p);
		putchar('\n');
	}
	return fflush(stdout) != 0;
}
