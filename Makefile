# Caifuhao build. Two commands for users: `make run` and `make test`.
# Everything else here is for developers: `make` (build), `make asan`, `make unit`,
# `make api-test`, `make web`, `make e2e`, `make tidy`, `make bench`, `make clean`.

CC      ?= cc
BUILD   ?= build
PKGS    := libmicrohttpd jansson sqlite3 libsodium libhs
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wcast-qual -Wsign-compare -Wvla -Wformat=2
OPT     ?= -O2 -g
CFLAGS  += $(OPT) -std=c11 -D_GNU_SOURCE -pthread $(WARN) -Isrc -I$(BUILD)/gen \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -pthread -lm
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC  := $(wildcard src/base/*.c src/core/*.c src/store/*.c src/http/*.c src/api/*.c src/jobs/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MIGRATIONS := $(sort $(wildcard migrations/sqlite/*.sql))
DB      ?= var/caifuhao.db

.PHONY: all asan run test unit api-test e2e web tidy deps bench clean
all: $(BUILD)/caifuhao

$(BUILD)/caifuhao: $(CLI_OBJ) $(BUILD)/libcaifuhao.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libcaifuhao.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# Order-only on the generated header: it must exist before the first compile; after that
# -MMD records which objects really include it.
$(BUILD)/%.o: %.c | $(BUILD)/gen/embedded.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Build-time tools are plain host programs, never sanitized.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	cc -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<
$(BUILD)/tools/yaml2json: tools/yaml2json.c
	@mkdir -p $(dir $@)
	cc -std=c11 -O2 -Wall -Wextra -Werror -o $@ $< $(shell pkg-config --cflags --libs yaml-0.1 jansson)

$(BUILD)/gen/openapi.json: api/openapi.yaml $(BUILD)/tools/yaml2json
	@mkdir -p $(dir $@)
	$(BUILD)/tools/yaml2json < $< > $@.tmp && mv $@.tmp $@

# Migrations and the OpenAPI document are compiled into the binary.
$(BUILD)/gen/embedded.c $(BUILD)/gen/embedded.h: $(MIGRATIONS) $(BUILD)/gen/openapi.json $(BUILD)/tools/embed
	@mkdir -p $(BUILD)/gen
	$(BUILD)/tools/embed $(BUILD)/gen/embedded $(MIGRATIONS) $(BUILD)/gen/openapi.json

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libcaifuhao.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libcaifuhao.a $(LDFLAGS) $(LDLIBS) -lcmocka

asan:
	$(MAKE) BUILD=build/asan SAN=1 OPT="-O1 -g" build/asan/caifuhao $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

unit: asan
	@scripts/run-unit build/asan/tests

api-test: asan
	@scripts/run-api build/asan/caifuhao

tidy:
	@scripts/tidy

# The web UI into web/dist (npm ci and vite build only when needed).
web:
	@scripts/web build

e2e: all web
	@scripts/run-e2e $(BUILD)/caifuhao

deps:
	@scripts/deps

run: deps
	@$(MAKE) -s all
	@scripts/web build
	@mkdir -p $(dir $(DB))
	@$(BUILD)/caifuhao migrate --db $(DB)
	@$(BUILD)/caifuhao seed-demo --db $(DB) --if-empty
	@echo "Caifuhao: open http://127.0.0.1:8080/ (investors) or http://127.0.0.1:8080/console (staff and operators); Ctrl-C stops the server"
	@$(BUILD)/caifuhao serve --db $(DB) --listen 127.0.0.1:8080

test:
	@scripts/deps test
	@scripts/test

bench:
	@scripts/deps bench
	@$(MAKE) -s all
	@bench/http/run
	@BENCH_PATH=zone bench/http/run
	@bench/moderation/run
	@bench/orders/run
	@bench/confirm/run
	@bench/events/run
	@bench/rollup/run
	@bench/score/run

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
