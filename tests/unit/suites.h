/* suites.h: every unit suite, one line each: SUITE(module). */
SUITE(util)
SUITE(ynode)
SUITE(schema)
SUITE(journal)
SUITE(tmpl)
SUITE(slurm)
SUITE(timeline)
SUITE(jsonrpc)
