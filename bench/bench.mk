# bench/bench.mk - the benchmark's part of the build, for the top Makefile to include
# (`include bench/bench.mk`). The top Makefile's `bench: all` target runs bench/run, which
# builds its own binaries (build/bench/ceiling, coldstart, seed) with the commands below, so
# this file only adds conveniences and the same rules for building them through make.
# See docs/benchmarks.md.

BENCH_CFLAGS := -std=c17 -D_GNU_SOURCE -O2 -g $(WARN)
BENCH_SEED_PKGS := jansson sqlite3 libsodium yaml-0.1
BENCH_STORE_SRC := $(sort $(wildcard src/store/*.c src/util/*.c src/core/*.c))

.PHONY: bench-quick bench-bin bench-warnings
.PHONY: bench-quick bench-bin bench-mail

# Only the e-mail figures (issue 7): mailgate, outbox to a local OpenSMTPD, escalation latency.
bench-mail: all build/bench/mail
	bench/mail-run

# A short smoke run of the whole benchmark (a few seconds per step, 10,000 incidents).
bench-quick: all
	bench/run --quick

bench-bin: build/bench/ceiling build/bench/coldstart build/bench/seed

build/bench/ceiling: bench/ceiling.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(shell pkg-config --cflags --libs libmicrohttpd jansson sqlite3) -lpthread

build/bench/coldstart: bench/coldstart.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

build/bench/seed: bench/seed.c $(BENCH_STORE_SRC) build/migrations.c build/presets.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -Isrc $(shell pkg-config --cflags $(BENCH_SEED_PKGS)) -o $@ \
		bench/seed.c $(BENCH_STORE_SRC) build/migrations.c build/presets.c \
		$(shell pkg-config --libs $(BENCH_SEED_PKGS)) -lpthread -lm

# Scanner report import (issue 6, docs/scan.md): a Greenbone report of 10,000 results imported,
# re-imported (deduplicated) and followed by a scan closing a tenth of the findings. `make bench`
# runs it (a prerequisite of the top Makefile's bench target); `make bench-scan` alone.
.PHONY: bench-scan
bench: bench-scan
bench-scan: build/bench/scan
	d=$$(mktemp -d) && build/bench/scan $$d/data 10000 && rm -rf $$d
# The exchange formats (bench/taxii.c, docs/stix.md): STIX import rate and TAXII paging of
# 1,000,000 objects through the real server. `make bench-taxii` alone; `make bench` runs it too.
.PHONY: bench-taxii
bench-taxii: all build/bench/taxii
	d=$$(mktemp -d) && build/bench/taxii $$d/data 1000000 build/ungcuu; rc=$$?; rm -rf $$d; exit $$rc
# Warning and indicator matching (bench/warnings.c, docs/warnings.md): 100 observables against
# 1,000,000 indicators and 50,000 assets; a warning issued to 10,000 organisations.
bench-warnings: build/bench/warnings
	d=$$(mktemp -d) && build/bench/warnings $$d/data && rm -rf $$d
