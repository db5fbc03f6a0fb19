# Golden tests: the committed TFLite models and TFLite's outputs
# (tests/golden/models, made by tests/golden/make_golden.py) through
# libqaccel, bit for bit; built plain and under ASan/UBSan.
GOLDEN_BIN := $(BUILD)/tests/check_golden
GOLDEN_SAN_BIN := $(BUILD)/tests/check_golden-san

ALL_TARGETS += $(GOLDEN_BIN)
CHECK_TESTS += tests/golden/check-golden.sh
check-prep: $(GOLDEN_BIN) $(GOLDEN_SAN_BIN)
PHONY += check-golden

$(GOLDEN_BIN): tests/golden/check_golden.c $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

$(GOLDEN_SAN_BIN): tests/golden/check_golden.c $(LIBQACCEL_SAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< $(LIBQACCEL_SAN) $(RT_LDLIBS) -o $@

check-golden: $(GOLDEN_BIN) $(GOLDEN_SAN_BIN)
	prove --merge -v tests/golden/check-golden.sh
