# Unit tests (tests/unit/*.c): kselftest-harness TAP programs linked with the
# reference engine, built twice: plain, and under ASan + UBSan.
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
UNIT_SAN_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit-san/%)
UNIT_HDRS := $(wildcard tests/unit/*.h)
UNIT_CFLAGS = -I$(KSFT_DIR) -Itests/unit -Wno-unused-parameter
# Other fragments append libraries the unit tests link (plain and sanitizer).
UNIT_LIBS +=
UNIT_SAN_LIBS +=
# A sanitizer report names the whole call chain (llvm-symbolizer, from the
# llvm package, makes it file:line), then the test exits non-zero.
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS ?= abort_on_error=0:detect_leaks=1

ALL_TARGETS += $(UNIT_BINS)
CHECK_TESTS += $(UNIT_BINS) $(UNIT_SAN_BINS)
PHONY += check-unit

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBREF) $(KSFT_HDRS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UNIT_CFLAGS) -MMD -MP -MF $@.d -MT $@ $< \
		$(UNIT_LIBS) $(LIBREF) -lm -o $@

$(BUILD)/tests/unit-san/%: tests/unit/%.c $(LIBREF_SAN) $(KSFT_HDRS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(UNIT_CFLAGS) -MMD -MP -MF $@.d -MT $@ $< \
		$(UNIT_SAN_LIBS) $(LIBREF_SAN) -lm -o $@

check-prep: $(UNIT_BINS) $(UNIT_SAN_BINS)

check-unit: $(UNIT_BINS) $(UNIT_SAN_BINS)
	$(PROVE) $(PROVE_FLAGS) $^

# Headers each test includes (uapi/, runtime/ref/...), recorded at build.
-include $(UNIT_BINS:=.d) $(UNIT_SAN_BINS:=.d)
