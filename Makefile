# ungcuu - build with pkg-config; `make` for the release binary, `make asan` for the sanitizer
# build the test suite runs, `make test` for everything CI runs, `make fuzz` for the fuzzers.
CC ?= cc
PKGS := libmicrohttpd jansson sqlite3 libsodium liboath yaml-0.1 cairo pangocairo
# official documents as spreadsheets (src/render/xlsx.c)
PKGS += xlsxwriter
# e-mail out over SMTP (src/mail/smtp.c)
PKGS += libcurl
# e-mail intake, `ungcuu mailgate` (src/mail/intake.c)
PKGS += gmime-3.0
# vulnerability scanner reports, Greenbone/OpenVAS and Nmap XML (src/importer/scan.c)
PKGS += libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
WARN := -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wno-sign-conversion -Werror
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS := $(BASE_CFLAGS) -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -g $(ASAN_FLAGS)

SRC := $(sort $(wildcard src/*/*.c)) src/main.c
LIB_SRC := $(filter-out src/main.c,$(SRC))
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
PRESETS := $(sort $(wildcard presets/*.yaml))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJ := $(SRC:%.c=build/%.o)
ASAN_OBJ := $(SRC:%.c=build-asan/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build-asan/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)

# The layers of ARCHITECTURE.md, each its own static library, linked highest first: a call
# from a layer to one above it finds no symbol and the link fails, so the layering holds by
# construction (scripts/checksrc checks the includes). A layer without sources yet is skipped.
LAYERS := cli api jobs ops http render mail importer store core util
layer_src = $(sort $(wildcard src/$(1)/*.c))
present_layers = $(foreach l,$(1),$(if $(call layer_src,$(l)),$(l)))
REL_LIBS := $(foreach l,$(call present_layers,$(LAYERS)),build/lib$(l).a)
ASAN_LIBS := $(foreach l,$(call present_layers,$(LAYERS)),build-asan/lib$(l).a)
# the pure layers and what they link with: a core unit test cannot reach SQLite or the network
CORE_LIBS := build-asan/libcore.a build-asan/libutil.a
CORE_PKG_LIBS := $(shell pkg-config --libs yaml-0.1 libsodium) -lm
# unit tests of the pure domain (tests/unit/test_core_*.c): linked with core and util only
CORE_UNIT_BIN := $(filter build-asan/tests/test_core_%,$(UNIT_BIN))

.SECONDEXPANSION:
# object files are prerequisites of the layers' libraries: keep them between builds
.SECONDARY:
.PHONY: all asan unit test fuzz bench clean demo checksrc

all: build/ungcuu

build/lib%.a: $$(addprefix build/,$$(subst .c,.o,$$(call layer_src,$$*)))
	@rm -f $@
	$(AR) rcs $@ $^
build-asan/lib%.a: $$(addprefix build-asan/,$$(subst .c,.o,$$(call layer_src,$$*)))
	@rm -f $@
	$(AR) rcs $@ $^

build/ungcuu: build/src/main.o $(REL_LIBS) build/migrations.o build/presets.o
	$(CC) -o $@ build/src/main.o $(REL_LIBS) build/migrations.o build/presets.o $(PKG_LIBS)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c -o $@ $<

asan: build-asan/ungcuu

build-asan/ungcuu: build-asan/src/main.o $(ASAN_LIBS) build-asan/migrations.o build-asan/presets.o
	$(CC) $(ASAN_FLAGS) -o $@ build-asan/src/main.o $(ASAN_LIBS) build-asan/migrations.o \
		build-asan/presets.o $(PKG_LIBS)

build-asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

# The numbered SQL migrations are compiled into the binary as one table (scripts/embed).
build/migrations.c build-asan/migrations.c: $(MIGRATIONS) scripts/embed
	@mkdir -p $(dir $@)
	scripts/embed store_migration $(MIGRATIONS) > $@

# The regulation presets ship inside the binary too, so `init --preset NAME` works anywhere.
build/presets.c build-asan/presets.c: $(PRESETS) scripts/embed
	@mkdir -p $(dir $@)
	scripts/embed preset_files $(PRESETS) > $@

build/%.o: build/%.c
	$(CC) $(REL_CFLAGS) -c -o $@ $<
build-asan/%.o: build-asan/%.c
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<


unit: $(UNIT_BIN)

$(CORE_UNIT_BIN): build-asan/tests/%: tests/unit/%.c $(CORE_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -o $@ $< $(CORE_LIBS) $(CORE_PKG_LIBS) -lcmocka

build-asan/tests/%: tests/unit/%.c $(ASAN_LIBS) build-asan/migrations.o build-asan/presets.o
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -o $@ $< $(ASAN_LIBS) build-asan/migrations.o build-asan/presets.o \
		$(PKG_LIBS) -lcmocka

checksrc:
	scripts/checksrc

test: checksrc all asan unit
	/usr/bin/python3 tests/run.py

fuzz:
	$(MAKE) -f tests/fuzz/Makefile

# The issue figures: the HTTP path (bench/run: creates, GETs, search at 1M, RSS, cold start,
# against the ceiling of libmicrohttpd + SQLite here), the procedure engine (duty calendar and
# escalation sweep), the official documents, and e-mail in and out (bench/mail-run: mailgate,
# outbox to a local OpenSMTPD, escalation-to-MTA latency). docs/benchmarks.md has the results.
BENCH_LINK_OBJ := $(filter-out build/src/main.o,$(REL_OBJ)) build/migrations.o build/presets.o

build/bench/%: bench/%.c $(BENCH_LINK_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS)

bench: all build/bench/procedure build/bench/documents build/bench/taxii build/bench/warnings build/bench/mail
	bench/run
	d=$$(mktemp -d) && build/bench/procedure $$d/data && rm -rf $$d
	d=$$(mktemp -d) && build/bench/documents $$d/data && rm -rf $$d
	d=$$(mktemp -d) && build/bench/taxii $$d/data 1000000 build/ungcuu && rm -rf $$d
	d=$$(mktemp -d) && build/bench/warnings $$d/data && rm -rf $$d
	bench/mail-run

include bench/bench.mk

demo: all
	rm -rf demo-data && build/ungcuu init --data demo-data --preset national --demo

clean:
	rm -rf build build-asan build-fuzz

-include $(REL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d)

# The package list, for other makefiles (tests/fuzz/Makefile) so it is kept in one place.
print-pkgs:
	@echo $(PKGS)
