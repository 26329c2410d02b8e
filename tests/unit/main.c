/* main.c: runs every unit suite and prints one TAP line per test. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define SUITE(name)	Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

int
main(void)
{
	SRunner		 *sr = srunner_create(NULL);
	TestResult	**res;
	int		  i, n, failed;

#define SUITE(name)	srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
	srunner_run_all(sr, CK_SILENT);
	n = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	res = srunner_results(sr);
	for (i = 0; i < n; i++) {
		TestResult	*r = res[i];
		int		 ok = tr_rtype(r) == CK_PASS;

		printf("%s %d - unit %s\n", ok ? "ok" : "not ok", i + 1,
		    tr_tcname(r));
		if (!ok)
			printf("# %s:%d: %s\n", tr_lfile(r), tr_lno(r),
			    tr_msg(r));
	}
	printf("1..%d\n", n);
	free(res);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
