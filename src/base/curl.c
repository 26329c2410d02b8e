/* curl.c: libcurl, loaded on first use rather than linked. */
#include <dlfcn.h>
#include <stddef.h>

#include "base/curl.h"
#include "base/util.h"

const struct curl_api *
curl_api(const char *who, struct buf *why)
{
	static struct curl_api		 api;
	static void			*lib;
	static const char *const	 names[] = { "curl_easy_init",
		"curl_easy_setopt", "curl_easy_perform", "curl_easy_getinfo",
		"curl_easy_cleanup", "curl_easy_strerror", "curl_slist_append",
		"curl_slist_free_all" };
	void				**slots[] = { (void **)&api.init,
		(void **)&api.setopt, (void **)&api.perform,
		(void **)&api.getinfo, (void **)&api.cleanup,
		(void **)&api.strerror, (void **)&api.slist_append,
		(void **)&api.slist_free_all };
	CURLcode			(*global_init)(long);
	size_t				 i;

	if (lib != NULL)
		return &api;
	if ((lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL)) == NULL) {
		buf_printf(why, "%s need libcurl (on Debian: apt-get install "
		    "libcurl4): %s", who, dlerror());
		return NULL;
	}
	*(void **)&global_init = dlsym(lib, "curl_global_init");
	for (i = 0; i < nitems(names) && global_init != NULL; i++)
		if ((*slots[i] = dlsym(lib, names[i])) == NULL)
			break;
	if (global_init == NULL || i < nitems(names)) {
		buf_printf(why, "libcurl.so.4 lacks %s", global_init == NULL ?
		    "curl_global_init" : names[i]);
		dlclose(lib);
		lib = NULL;
		return NULL;
	}
	global_init(CURL_GLOBAL_DEFAULT);
	return &api;
}
