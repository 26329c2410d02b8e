/* curl.h: libcurl, loaded on first use rather than linked. */
#ifndef MUSTER_CURL_H
#define MUSTER_CURL_H

#include <curl/curl.h>

struct buf;

/* The libcurl functions muster calls, resolved from libcurl.so.4. */
struct curl_api {
	CURL		*(*init)(void);
	CURLcode	(*setopt)(CURL *, CURLoption, ...);
	CURLcode	(*perform)(CURL *);
	CURLcode	(*getinfo)(CURL *, CURLINFO, ...);
	void		(*cleanup)(CURL *);
	const char	*(*strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		(*slist_free_all)(struct curl_slist *);
};

/*
 * Loads libcurl the first time (linked in, its libraries would cost every
 * muster command ~15 ms of start-up) and returns its functions, or NULL
 * with why saying what is missing; who names what needs it ("HTTP
 * probes need libcurl ...").
 */
const struct curl_api	*curl_api(const char *who, struct buf *why);

#endif
