# Makefile: builds, tests and installs muster.
#
# A plain `make` needs only pkg-config and the libraries' -dev packages.
# ./configure (after `make configure`) writes config.mak.autogen, which
# refines these defaults; a local, untracked config.mak wins over both;
# variables given on the command line win over everything.
#
#   make                 build ./muster
#   make check           build and run every test; ends "N passed, N failed"
#   make demo            build and run the main example workflow
#   make DEVELOPER=1     -Werror plus AddressSanitizer and UBSan
#   make install         PREFIX=/usr/local DESTDIR=
#   make check VALGRIND=1  run the end-to-end tests under valgrind

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DESTDIR ?=

CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
LDFLAGS ?=
SHELL_PATH ?= /bin/sh

-include config.mak.autogen
-include config.mak

PKGS = yaml-0.1 json-c libpcre2-8 libcrypto libxcrypt
# libcurl's headers only: HTTP probes dlopen it when first used, which
# keeps its 30-odd libraries out of every muster's start-up.
HEADER_PKGS = libcurl
# config.mak.autogen may set these; otherwise ask pkg-config once.
ifndef DEP_CFLAGS
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(HEADER_PKGS) \
	2>/dev/null)
endif
ifndef DEP_LIBS
DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || \
	echo -lyaml -ljson-c -lpcre2-8 -lcrypto -lcrypt)
endif
ifndef CHECK_CFLAGS
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
endif
ifndef CHECK_LIBS
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null || \
	echo -lcheck -lsubunit -lm -lrt -lpthread)
endif

WARNINGS = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wno-unused-parameter
ifdef DEVELOPER
WARNINGS += -Werror
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
CFLAGS := -O1 -g
endif

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(SANITIZE) $(CFLAGS) \
	$(DEP_CFLAGS) -DMUSTER_VERSION='"$(VERSION)"' $(SRC_INCLUDES) -MMD -MP
ALL_LDFLAGS = $(SANITIZE) $(LDFLAGS)
SYS_LIBS = -lm -ldl

# src/ holds one folder a subsystem (src/README); every object is built
# beside its source, and muster links them all (no archive: two folders
# may hold files of the same name).
SUBSYSTEMS = base tmpl def state exec mcp observe engine svc cmd
SRC_INCLUDES = -Isrc
MAIN_SRC = src/cmd/muster.c
LIB_SRC = $(filter-out $(MAIN_SRC),$(sort $(wildcard \
	$(addsuffix /*.c,$(addprefix src/,$(SUBSYSTEMS))))))
LIB_OBJ = $(LIB_SRC:.c=.o)
# tests/unit/ mirrors src/: a folder a subsystem, main.c runs them all.
UNIT_SRC = $(sort $(wildcard tests/unit/*.c tests/unit/*/*.c))
UNIT_OBJ = $(UNIT_SRC:.c=.o)
HELPER_SRC = $(sort $(wildcard tests/helpers/*.c))
HELPERS = $(HELPER_SRC:.c=)

all: muster

# Rebuild everything when the flags change (make DEVELOPER=1 after make).
MUSTER-CFLAGS: FORCE
	@flags='$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)'; \
	if test x"$$flags" != x"`cat $@ 2>/dev/null`"; then \
		echo "$$flags" >$@; fi

src/%.o: src/%.c MUSTER-CFLAGS
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

muster: $(MAIN_SRC:.c=.o) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_SRC:.c=.o) $(LIB_OBJ) $(DEP_LIBS) \
		$(SYS_LIBS)

tests/unit/%.o: tests/unit/%.c MUSTER-CFLAGS
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -c -o $@ $<

tests/unit/runner: $(UNIT_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB_OBJ) $(DEP_LIBS) \
		$(CHECK_LIBS) $(SYS_LIBS)

tests/helpers/%: tests/helpers/%.c MUSTER-CFLAGS
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The fuzz harnesses without libFuzzer, replaying tests/fuzz/regress/.
FUZZ_REPLAY = $(patsubst tests/fuzz/fuzz-%.c,tests/fuzz/replay-%,$(wildcard \
	tests/fuzz/fuzz-*.c))

check: muster tests/unit/runner $(HELPERS) $(FUZZ_REPLAY)
	@MUSTER="$(CURDIR)/muster" VALGRIND="$(VALGRIND)" \
		$(SHELL_PATH) tests/run.sh

# 1,000 rounds of kill -9 and resume (tests/crash.py); not part of check.
STRESS_ROUNDS ?= 1000
stress: muster
	python3 tests/crash.py --muster ./muster --rounds $(STRESS_ROUNDS) \
		--workdir $${TMPDIR:-/tmp}/muster-stress

demo: muster
	./muster -C examples/deploy run deploy --arg env=staging
	./muster -C examples/deploy status

BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
CPL = share/muster/completions
DOCDIR ?= $(DATADIR)/doc/muster
SCHEMADIR ?= $(DATADIR)/muster/schema

install: muster
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 muster $(DESTDIR)$(BINDIR)/muster
	install -m 644 doc/muster.1 $(DESTDIR)$(MANDIR)/man1/muster.1
	install -m 644 doc/muster-workflow.5 \
		$(DESTDIR)$(MANDIR)/man5/muster-workflow.5
	install -m 644 $(CPL)/muster.bash $(DESTDIR)$(BASHCOMPDIR)/muster
	install -m 644 $(CPL)/_muster $(DESTDIR)$(ZSHCOMPDIR)/_muster
	install -m 644 $(CPL)/muster.fish $(DESTDIR)$(FISHCOMPDIR)/muster.fish
	install -d $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 644 doc/*.md $(DESTDIR)$(DOCDIR)
	install -m 644 share/muster/schema/*.json $(DESTDIR)$(SCHEMADIR)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/muster \
		$(DESTDIR)$(MANDIR)/man1/muster.1 \
		$(DESTDIR)$(MANDIR)/man5/muster-workflow.5 \
		$(DESTDIR)$(BASHCOMPDIR)/muster $(DESTDIR)$(ZSHCOMPDIR)/_muster \
		$(DESTDIR)$(FISHCOMPDIR)/muster.fish
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SCHEMADIR)

configure: configure.ac
	autoconf -o $@ $<

clean:
	rm -f muster libmuster.a src/*/*.o src/*/*.d
	rm -f tests/unit/*.o tests/unit/*.d tests/unit/*/*.o tests/unit/*/*.d
	rm -f tests/unit/runner $(HELPERS) MUSTER-CFLAGS
	rm -f tests/fuzz/fuzz-tmpl bench/tmpl-bench bench/journal-bench
	rm -f $(filter-out %.c,$(wildcard tests/fuzz/fuzz-[a-z]* \
		tests/fuzz/replay-[a-z]*)) tests/fuzz/*.d
	rm -rf tests/trash tests/fuzz/work tests/fuzz/obj

distclean: clean
	rm -rf configure config.mak.autogen config.log config.status \
		autom4te.cache

.PHONY: all check demo stress install uninstall clean distclean FORCE

-include $(wildcard src/*/*.d tests/unit/*.d tests/unit/*/*.d)

# Not part of `make check`: the libFuzzer harnesses (clang) and the
# benchmarks.  tests/fuzz/fuzz-NAME.c is one target; tests/fuzz/run.sh
# runs them on their corpora (tests/fuzz/corpus-NAME) with their
# dictionaries (tests/fuzz/NAME.dict).
#   make fuzz                      build every tests/fuzz/fuzz-NAME
#   make fuzz FUZZ_TIME=600        ... and run each for that many seconds
#   make fuzz FUZZ_TARGETS=def     ... only that one
#   make bench                     build and run bench/tmpl-bench
FUZZ_CC ?= clang
FUZZ_FLAGS ?= -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_TIME ?=
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard \
	tests/fuzz/fuzz-*.c))
FUZZ_BINS = $(addprefix tests/fuzz/fuzz-,$(FUZZ_TARGETS))
# The library once more, instrumented for coverage and the sanitizers
# (kept: they are not intermediate files to delete after a link).
FUZZ_OBJ = $(patsubst src/%.c,tests/fuzz/obj/%.o,$(LIB_SRC))
.SECONDARY: $(FUZZ_OBJ)

tests/fuzz/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE \
		$(subst -fsanitize=fuzzer,-fsanitize=fuzzer-no-link,$(FUZZ_FLAGS)) \
		$(DEP_CFLAGS) $(SRC_INCLUDES) -DMUSTER_VERSION='"$(VERSION)"' \
		-c -o $@ $<

tests/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_OBJ)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) $(DEP_CFLAGS) \
		$(SRC_INCLUDES) -o $@ $< $(FUZZ_OBJ) $(DEP_LIBS) $(SYS_LIBS)

fuzz: $(FUZZ_BINS)
	@if test -n "$(FUZZ_TIME)"; then \
		$(SHELL_PATH) tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS); fi

# The same harnesses without libFuzzer: they replay files (the crashes
# fuzzing found, tests/fuzz/regress/NAME/) in `make check`.
tests/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(LIB_OBJ) $(DEP_LIBS) $(SYS_LIBS)

bench/tmpl-bench: bench/tmpl-bench.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -O2 $(ALL_LDFLAGS) -o $@ bench/tmpl-bench.c \
		$(LIB_OBJ) $(DEP_LIBS) $(SYS_LIBS)

bench/journal-bench: bench/journal-bench.c $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -O2 $(ALL_LDFLAGS) -o $@ bench/journal-bench.c \
		$(LIB_OBJ) $(DEP_LIBS) $(SYS_LIBS)

bench: bench/tmpl-bench
	./bench/tmpl-bench

.PHONY: fuzz bench
