# make bench: a table of model latency and memory per backend (never part
# of make check: speed is shown, not asserted).
BENCH_BIN := $(BUILD)/tests/bench_models
PHONY += bench

$(BENCH_BIN): tests/bench/bench_models.c tests/bench/bench_time.h $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

bench: $(BENCH_BIN)
	$(BENCH_BIN)
