# AArch64: the library, the tool, the unit tests and the golden checker
# cross-built with Debian's gcc-aarch64-linux-gnu into build/arm64/ (a
# sub-make of this very Makefile with BUILD and CC switched), then run under
# qemu-user-static by tests/arm64/check-arm64.sh, so that the NEON and SDOT
# kernels are tested on this x86-64 machine. Part of make check.
ARM64_CC ?= aarch64-linux-gnu-gcc
ARM64_BUILD := $(BUILD)/arm64
ARM64_UNIT := $(patsubst tests/unit/%.c,$(ARM64_BUILD)/tests/unit/%,$(UNIT_SRCS))
ARM64_TARGETS := $(ARM64_BUILD)/libqaccel.a $(ARM64_BUILD)/qaccel \
	$(ARM64_BUILD)/tests/check_golden $(ARM64_UNIT)
PHONY += arm64 check-arm64
CHECK_TESTS += tests/arm64/check-arm64.sh
check-prep: arm64

# The kselftest headers come from the host build (plain text, any target).
# Without the cross compiler nothing is built; the test script says SKIP.
arm64: $(KSFT_HDRS)
	@if command -v $(ARM64_CC) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory BUILD=$(ARM64_BUILD) CC=$(ARM64_CC) \
			KSFT_DIR=$(abspath $(KSFT_DIR)) KSRC_DIR=$(abspath $(KSRC_DIR)) \
			$(ARM64_TARGETS); \
	else echo "arm64: $(ARM64_CC) missing (make deps installs it)"; fi

check-arm64: arm64
	$(PROVE) $(PROVE_FLAGS) tests/arm64/check-arm64.sh
