/* suites.h: every unit suite, one line each: SUITE(module). */
SUITE(util)
SUITE(tmpl)
