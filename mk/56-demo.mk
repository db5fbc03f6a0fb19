# make demo: set up, build, run the bundled models on every backend here.
DEMO_BIN := $(BUILD)/examples/demo
ALL_TARGETS += $(DEMO_BIN)
PHONY += demo

$(DEMO_BIN): examples/demo.c $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

demo: $(DEPS_STAMP) $(DEMO_BIN) $(QACCEL_TOOL)
	$(QACCEL_TOOL) info
	@echo
	$(DEMO_BIN)
