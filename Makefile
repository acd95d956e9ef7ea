# ck-migrate: plain GNU make. `make` builds the tools, `make test` runs every test
# against real local Kafka clusters, `make demo` shows a whole migration.
# Builds use every core unless -j is given (make -j1 builds one file at a time).
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
CXX      ?= g++
CXXFLAGS ?= -O2 -g
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
# Warnings are errors in CI (CI=true) and whenever WERROR=1.
WARN_AS_ERROR := $(if $(filter true 1,$(CI) $(WERROR)),-Werror)
override CXXFLAGS += -std=c++20 -Wall -Wextra $(WARN_AS_ERROR) -MMD -MP
override CPPFLAGS += -Icommon
LDLIBS   := -lrdkafka -lsimdjson -lxxhash -lpthread

TOOLS        := ck-plan ck-copy ck-verify
COMMON_SRCS  := $(wildcard common/*.cpp)
COMMON_LIB   := $(BUILD)/libckcommon.a
obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps deps-native test unit cli e2e demo bench bench-quick bench-scale test-compat install uninstall clean fuzz fuzz-build sanitize
all: $(addprefix $(BUILD)/,$(TOOLS)) $(BUILD)/ck-testkit $(BUILD)/ck-netem

# Native build dependencies (apt); `deps` adds a JDK, Maven and the Kafka jars for tests
# and demo. `deps` runs after `deps-native`, never beside it: dpkg takes one install at a
# time (install-deps.sh also waits on a lock, for two makes at once).
deps-native:
	@bash scripts/install-deps.sh --native
deps: deps-native
	@bash scripts/install-deps.sh --java

$(BUILD)/obj/%.o: %.cpp | deps-native
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(COMMON_LIB): $(call obj,$(COMMON_SRCS))
	@rm -f $@
	ar rcs $@ $^

# One explicit rule per tool: main.o plus the tool's logic files, over the common library.
define TOOL_template
$(1)_LOGIC := $$(filter-out tools/$(1)/main.cpp,$$(wildcard tools/$(1)/*.cpp))
$(BUILD)/$(1): $$(call obj,tools/$(1)/main.cpp $$($(1)_LOGIC)) $(COMMON_LIB)
	$$(CXX) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach tool,$(TOOLS),$(eval $(call TOOL_template,$(tool))))

TOOL_LOGIC := $(foreach tool,$(TOOLS),$($(tool)_LOGIC))

# Test helper that produces, dumps and manipulates Kafka data for the end-to-end tests.
$(BUILD)/ck-testkit: $(call obj,tests/tools/ck-testkit.cpp) $(COMMON_LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Delay proxy standing in for netem (long-link tests and benchmarks); needs no library.
$(BUILD)/ck-netem: $(call obj,tests/tools/ck-netem.cpp)
	$(CXX) $(LDFLAGS) -o $@ $^ -lpthread

# Catch2's main is compiled once, in its own object.
UNIT_SRCS := $(filter-out tests/unit/catch_main.cpp,$(wildcard tests/unit/*.cpp))
$(BUILD)/unit-tests: $(call obj,tests/unit/catch_main.cpp $(UNIT_SRCS) $(TOOL_LOGIC)) $(COMMON_LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

test: all $(BUILD)/unit-tests fuzz-build | deps
	@bash tests/run-all.sh

# The broker-less tier (tests/cli): --help, usage errors, exit codes, set-up; seconds.
cli: all
	@CK_BUILD=$(abspath $(BUILD)) bash tests/run-all.sh --cli-only $(if $(T),--only "$(T)")

e2e: all | deps
	@bash tests/run-all.sh --e2e-only $(if $(T),--only "$(T)")

# The Kafka version matrix (tests/compat/run.sh; PAIRS="2.8.2:4.4.0 ..." to choose).
test-compat: all | deps
	@bash tests/compat/run.sh $(PAIRS)

demo: all | deps
	@bash scripts/demo.sh

# Benchmarks: ratios against Kafka's own tools and the alternatives, on the local clusters.
# bench-plan first: its sub-second runs would otherwise share the disk with the flush
# of the gigabytes bench.sh leaves behind.
# bench-wan.sh: the same copy across 0, 20 and 50 ms of round trip to the target (ck-netem).
# bench-cutover.sh: the downtime of a cutover from a live source against the offline copy.
# bench-scale: 10,000 partitions and groups (plan, copy, verify; own clusters, ~30 min).
bench: all | deps
	bash scripts/bench-plan.sh
	bash scripts/bench.sh
	bash scripts/bench-wan.sh
	bash scripts/bench-cutover.sh
bench-quick: all | deps
	bash scripts/bench.sh --quick
	bash scripts/bench-plan.sh --quick
	bash scripts/bench-wan.sh --quick
bench-scale: all | deps
	bash scripts/bench-scale.sh

install: $(addprefix $(BUILD)/,$(TOOLS))
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(addprefix $(BUILD)/,$(TOOLS)) $(DESTDIR)$(PREFIX)/bin/
	$(if $(wildcard man/*.1),install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/)
	$(if $(wildcard man/*.5),install -m 644 $(wildcard man/*.5) $(DESTDIR)$(PREFIX)/share/man/man5/)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(wildcard man/*.5)))

# libFuzzer targets (clang from Debian) for the record reader and the properties parser.
# `make fuzz` runs each for FUZZ_SECONDS (default 600); make test runs a short pass.
FUZZ_CXX     ?= clang++-14
FUZZ_SECONDS ?= 600
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_COMMON  := common/records.cpp common/record_fields.cpp common/record_input.cpp common/topic_partition.cpp common/json_writer.cpp common/strings.cpp common/config.cpp
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.cpp $(FUZZ_COMMON) common/*.hpp | deps-native
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Icommon -o $@ $< $(FUZZ_COMMON) -lsimdjson
fuzz-build: $(FUZZ_BUILD)/fuzz_records $(FUZZ_BUILD)/fuzz_properties
fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# ASan + UBSan build of everything, then the unit and end-to-end suites under it.
SAN_BUILD := $(BUILD)-asan
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize: | deps
	$(MAKE) BUILD=$(SAN_BUILD) CXXFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all $(SAN_BUILD)/unit-tests
	# CK_SANITIZED: ASan's shadow memory and quarantine inflate RSS several-fold, so tests
	# with memory bounds (test_limits.sh) can tell a sanitized run from a real excess.
	CK_BUILD=$(abspath $(SAN_BUILD)) CK_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 bash tests/run-all.sh

clean:
	rm -rf $(BUILD) $(SAN_BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
