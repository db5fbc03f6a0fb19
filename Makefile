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
# prove's summary of everything. Suites that need set-up add prerequisites
# to check-prep.
check: check-prep
	prove --merge $(PROVE_FLAGS) $(CHECK_TESTS)

clean:
	rm -rf $(BUILD)

.PHONY: all check check-prep clean $(PHONY)
