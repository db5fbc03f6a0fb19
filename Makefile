# qaccel top-level Makefile.
#
#   make            build userspace (library, tool, tests) into build/
#   make deps       install the Debian packages the build and tests need
#   make check      run every test suite (closing line: prove's summary)
#   make demo       build and run the bundled models on every backend here
#   make module     build qaccel.ko (KDIR= to pick the kernel tree)
#
# Each part of the project has one fragment in mk/ that adds its own rules
# and appends to the variables below; this file only ties them together.

BUILD ?= build
CC ?= cc
CLANG ?= clang
PYTHON ?= python3

WARN := -Wall -Wextra -Werror
CSTD := -std=c11 -D_GNU_SOURCE
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -I. -Iruntime/include
SAN_CFLAGS = $(CSTD) $(WARN) -O1 -g -I. -Iruntime/include \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Filled in by the fragments.
ALL_TARGETS :=
CHECK_TESTS :=
CHECK_SUITES :=
PHONY :=

.DEFAULT_GOAL := all

include $(sort $(wildcard mk/*.mk))

all: $(ALL_TARGETS)

# One prove run over every suite's TAP producers, so the closing line is
# prove's summary of everything, and make check fails when any test does
# (a "not ok", a missing plan, or a non-zero exit such as a sanitizer's).
# Suites that need set-up add prerequisites to check-prep. prove runs a
# binary through exec, a script through its #! line; a name without a
# slash would be looked up in PATH, hence the ./ prefix. stderr is not
# merged into the TAP stream, so a sanitizer's report or a script's
# diagnostics show up next to the failing test; -f names failed tests.
PROVE ?= prove
PROVE_FLAGS ?= -f
CHECK_RUN = $(foreach t,$(CHECK_TESTS),$(if $(findstring /,$(t)),$(t),./$(t)))
check: check-prep $(CHECK_TESTS)
	$(PROVE) $(PROVE_FLAGS) $(CHECK_RUN)

clean:
	rm -rf $(BUILD)

.PHONY: all check check-prep clean $(PHONY)
