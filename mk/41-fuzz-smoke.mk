# make check's share of the fuzzers: every target built, seeded and run
# over its corpus (tests/fuzz/corpus-<target>/ holds inputs that once
# failed) and then FUZZ_SMOKE_RUNS mutations from a fixed seed, so that a
# target that no longer builds, or a bug a short run finds, shows up in
# make check, and a clean clone replays the same inputs; make fuzz explores
# longer and at random. Each run never fails make: its output and exit
# status land in build/fuzz/smoke-<target>.log for tests/fuzz/check-fuzz.sh.
FUZZ_SMOKE_RUNS ?= 100000
FUZZ_SMOKE_LOGS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/smoke-%.log)

CHECK_TESTS += tests/fuzz/check-fuzz.sh
check-prep: $(FUZZ_SMOKE_LOGS)

# After the build (a failed build is a log too); reruns when the binary does.
$(FUZZ_DIR)/smoke-%.log: tests/fuzz/%.c $$(FUZZ_SRCS_$$*) $$(FUZZ_SEED_$$*) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZ    $* ($(FUZZ_SMOKE_RUNS) runs)"
	@{ $(MAKE) --no-print-directory FUZZ_SECONDS=600 \
		FUZZ_RUN_FLAGS="$(FUZZ_RUN_FLAGS) -seed=1 -runs=$(FUZZ_SMOKE_RUNS)" \
		fuzz-$* 2>&1; echo "exit status $$?"; } >$@.tmp; mv -f $@.tmp $@
