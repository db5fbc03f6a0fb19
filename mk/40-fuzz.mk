# libFuzzer targets: every tests/fuzz/fuzz_<name>.c is one target, built
# with clang -fsanitize=fuzzer,address,undefined into build/fuzz/fuzz_<name>.
#
#   make fuzz                    run every target for FUZZ_SECONDS (60) each
#   make fuzz FUZZ_SECONDS=600   longer
#   make fuzz-fuzz_stream        run one target
#   make fuzz-build              build them only
#
# Per target (any fragment may set these, before or after this one):
#   FUZZ_SRCS_<target>   extra sources compiled into it (e.g. $(REF_SRCS))
#   FUZZ_CFLAGS_<target> extra compiler flags
#   FUZZ_SEED_<target>   a program run as `prog CORPUS_DIR` before fuzzing,
#                        which writes seed inputs; built by its own rule
# The working corpus is build/fuzz/corpus-<target>/ (kept between runs);
# tests/fuzz/corpus-<target>/, if committed, is read as extra seeds.
# Crashes land in build/fuzz/<target>-crash-*, and make fails.
FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
FUZZ_HDRS := $(wildcard uapi/*.h runtime/ref/*.h runtime/include/*.h \
	tests/unit/*.h tests/fuzz/*.h)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I. -Iruntime/include \
	-Itests/unit -Itests/fuzz -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
# -timeout: an input running longer than this is reported as a hang.
FUZZ_RUN_FLAGS ?= -timeout=25 -rss_limit_mb=2048 -print_final_stats=1

FUZZ_SRCS_fuzz_stream := $(REF_SRCS)
FUZZ_SEED_fuzz_stream := $(FUZZ_DIR)/gen_stream_corpus
# Defaults for the readers' targets; their owners may override them.
FUZZ_SRCS_fuzz_npy ?= runtime/io/npy.c

PHONY += fuzz fuzz-build

fuzz-build: $(FUZZ_BINS)

# Not .PHONY: make skips pattern rules for phony targets.
fuzz: $(FUZZ_TARGETS:%=fuzz-%)

$(FUZZ_DIR)/gen_stream_corpus: tests/fuzz/gen_stream_corpus.c $(LIBREF) \
		$(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Itests/fuzz $< $(LIBREF) -o $@

# Prerequisites naming per-target variables are expanded a second time,
# after every fragment is read, so a later fragment may still set them.
.SECONDEXPANSION:
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_fuzz_$$*) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_CFLAGS_fuzz_$*) $< $(FUZZ_SRCS_fuzz_$*) \
		-lm -o $@

fuzz-fuzz_%: $(FUZZ_DIR)/fuzz_% $$(FUZZ_SEED_fuzz_$$*)
	@mkdir -p $(FUZZ_DIR)/corpus-fuzz_$*
	$(if $(FUZZ_SEED_fuzz_$*),$(FUZZ_SEED_fuzz_$*) $(FUZZ_DIR)/corpus-fuzz_$*)
	@echo "fuzz: fuzz_$* for $(FUZZ_SECONDS) s"
	$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) $(FUZZ_RUN_FLAGS) \
		-artifact_prefix=$(FUZZ_DIR)/fuzz_$*- \
		$(FUZZ_DIR)/corpus-fuzz_$* $(wildcard tests/fuzz/corpus-fuzz_$*)
