# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang under ASan and
# UBSan. `make fuzz` runs each for FUZZ_SECONDS from a seed corpus under
# build/fuzz/; a fragment may add sources to a target with
# FUZZ_SRCS_<name> and a corpus generator with FUZZ_SEED_<name>.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I. -Iruntime/include -Itests/unit \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

FUZZ_SRCS_fuzz_stream := $(REF_SRCS)
FUZZ_SEED_fuzz_stream := $(BUILD)/fuzz/gen_stream_corpus

PHONY += fuzz fuzz-build

.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_fuzz_%)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_SRCS_fuzz_$*) -lm -o $@

$(BUILD)/fuzz/gen_stream_corpus: tests/fuzz/gen_stream_corpus.c $(LIBREF) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $< $(LIBREF) -o $@

fuzz-build: $(FUZZ_BINS) $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEED_$(t)))

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		seed=$$(echo "$(foreach t,$(FUZZ_TARGETS),$(t)=$(FUZZ_SEED_$(t)))" | tr ' ' '\n' | sed -n "s|^$$t=||p"); \
		[ -z "$$seed" ] || $$seed $(BUILD)/fuzz/corpus-$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
			-artifact_prefix=$(BUILD)/fuzz/$$t- $(BUILD)/fuzz/corpus-$$t; \
	done
