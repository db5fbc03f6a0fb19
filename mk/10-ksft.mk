# Kernel files the tests and checks use, taken at build time from Debian's
# linux-source-6.1 package (never committed): the kselftest harness headers
# and checkpatch.pl with its data files.
KSRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz))
KSFT_DIR := $(BUILD)/ksft
KSFT_HDRS := $(KSFT_DIR)/kselftest_harness.h $(KSFT_DIR)/kselftest.h
CHECKPATCH := $(BUILD)/kscripts/checkpatch.pl

$(BUILD)/ksrc.stamp:
	@test -n "$(KSRC_TAR)" || { echo "/usr/src/linux-source-6.1.tar.xz" \
		"missing: run 'make deps'" >&2; exit 1; }
	@mkdir -p $(BUILD)/ksrc
	tar -xJf $(KSRC_TAR) -C $(BUILD)/ksrc --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	@touch $@

$(KSFT_HDRS): $(BUILD)/ksrc.stamp
	@mkdir -p $(KSFT_DIR)
	cp $(BUILD)/ksrc/tools/testing/selftests/$(notdir $@) $@

$(CHECKPATCH): $(BUILD)/ksrc.stamp
	@mkdir -p $(BUILD)/kscripts
	cp $(BUILD)/ksrc/scripts/checkpatch.pl $(BUILD)/ksrc/scripts/spelling.txt \
		$(BUILD)/ksrc/scripts/const_structs.checkpatch $(BUILD)/kscripts/

# No dependency on the deps stamp here: make check and make demo install
# packages before anything is built (mk/00-deps.mk); plain make says what
# is missing instead.
