/* tmpl-bench.c: renders one template a million times against the same
 * data, parsed once, and prints the time it took. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "tmpl/tmpl.h"
#include "base/util.h"

#define N	1000000

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench(const char *name, const char *src, const char *json, unsigned flags)
{
	struct json_object	*data = json_tokener_parse(json);
	struct tmpl_error	 err;
	struct tmpl		*t = tmpl_parse(src, strlen(src), &err);
	struct buf		 out = BUF_INIT;
	double			 t0, dt;
	size_t			 total = 0;
	int			 i;

	if (t == NULL || data == NULL) {
		fprintf(stderr, "tmpl-bench: %s: %d:%d: %s\n", name, err.line,
		    err.col, err.msg);
		return 1;
	}
	t0 = now();
	for (i = 0; i < N; i++) {
		buf_truncate(&out, 0);
		if (tmpl_render(t, data, flags, &out, &err) < 0) {
			fprintf(stderr, "tmpl-bench: %s: %s\n", name, err.msg);
			return 1;
		}
		total += out.len;
	}
	dt = now() - t0;
	printf("%-28s %d renders in %.3f s (%.0f ns each) -> \"%s\" "
	    "(%zu bytes)\n", name, N, dt, dt / N * 1e9, buf_str(&out), total);
	buf_release(&out);
	tmpl_free(t);
	json_object_put(data);
	return 0;
}

int
main(void)
{
	const char	*tpl = "{{ .input.app }}-{{ .results.build.tag | "
	    "default \"latest\" }}";
	int		 r = 0;

	r |= bench("tag present", tpl, "{\"input\":{\"app\":\"web\"},"
	    "\"results\":{\"build\":{\"tag\":\"v1.2.3\"}}}", 0);
	r |= bench("tag empty (default used)", tpl, "{\"input\":"
	    "{\"app\":\"web\"},\"results\":{\"build\":{\"tag\":\"\"}}}", 0);
	r |= bench("tag missing, missingkey=default", tpl, "{\"input\":"
	    "{\"app\":\"web\"},\"results\":{\"build\":{}}}",
	    TMPL_MISSING_DEFAULT);
	return r;
}
