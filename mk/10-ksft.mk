# Kernel files the tests and checks use, taken at build time from Debian's
# linux-source-6.1 package (never committed): the kselftest harness headers
# and checkpatch.pl with its data files.
KSRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz))
KSFT_DIR := $(BUILD)/ksft
KSFT_HDRS := $(KSFT_DIR)/kselftest_harness.h $(KSFT_DIR)/kselftest.h
CHECKPATCH := $(BUILD)/kscripts/checkpatch.pl

# What is taken from the tarball, extracted together (a grouped target:
# one tar run; re-run if any of them goes missing).
KSRC_DIR := $(BUILD)/ksrc
KSRC_FILES := $(addprefix $(KSRC_DIR)/, \
	tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch)

$(KSRC_FILES) &:
	@test -n "$(KSRC_TAR)" || { echo "/usr/src/linux-source-6.1.tar.xz" \
		"missing: run 'make deps'" >&2; exit 1; }
	@mkdir -p $(KSRC_DIR)
	tar -xJf $(KSRC_TAR) -C $(KSRC_DIR) --strip-components=1 --wildcards \
		$(patsubst $(KSRC_DIR)/%,'*/%',$(KSRC_FILES))
	@touch $(KSRC_FILES)

$(KSFT_HDRS): $(KSFT_DIR)/%: $(KSRC_DIR)/tools/testing/selftests/%
	@mkdir -p $(@D)
	cp $< $@

$(CHECKPATCH): $(filter $(KSRC_DIR)/scripts/%,$(KSRC_FILES))
	@mkdir -p $(@D)
	cp $^ $(@D)/

# No dependency on the deps stamp here: make check and make demo install
# packages before anything is built (mk/00-deps.mk); plain make says what
# is missing instead.
