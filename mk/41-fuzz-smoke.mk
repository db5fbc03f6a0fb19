# make check's share of the fuzzers: every target built, seeded and run for
# FUZZ_SMOKE_SECONDS (10) over its corpus, so that a target that no longer
# builds, or a crash a short run finds, shows up in make check; make fuzz
# runs them longer. Each run never fails make: its output and exit status
# land in build/fuzz/smoke-<target>.log for tests/fuzz/check-fuzz.sh.
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_SMOKE_LOGS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/smoke-%.log)

CHECK_TESTS += tests/fuzz/check-fuzz.sh
check-prep: $(FUZZ_SMOKE_LOGS)

# After the build (a failed build is a log too); reruns when the binary does.
$(FUZZ_DIR)/smoke-%.log: tests/fuzz/%.c $$(FUZZ_SRCS_$$*) $$(FUZZ_SEED_$$*) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZ    $* ($(FUZZ_SMOKE_SECONDS) s)"
	@{ $(MAKE) --no-print-directory FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) \
		fuzz-$* 2>&1; echo "exit status $$?"; } >$@.tmp; mv -f $@.tmp $@
