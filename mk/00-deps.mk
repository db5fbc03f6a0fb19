# Debian packages (scripts/deps.sh lists them and why).
#
#   make deps     install what is missing, always checking
#   make check, make demo, make check-*, make checkpatch
#                 install what is missing once, before anything is built
#                 (the stamp remembers; it is remade when deps.sh changes)
#   make          never installs: warns when packages are missing
PHONY += deps
DEPS_STAMP := $(BUILD)/deps.stamp
DEPS_GOALS := check demo check-% checkpatch

deps:
	scripts/deps.sh
	@mkdir -p $(BUILD)
	@touch $(DEPS_STAMP)

$(DEPS_STAMP): scripts/deps.sh
	scripts/deps.sh
	@mkdir -p $(@D)
	@touch $@

check-prep: $(DEPS_STAMP)

# The stamp is included as a (empty) makefile: make brings included files
# up to date and re-reads the makefiles before it builds anything else, so
# even make -j installs the compilers before the first compile, and the
# $(shell ...) probes in other fragments see the installed tools. Not
# under make -n, which must not install.
ifneq ($(filter $(DEPS_GOALS),$(MAKECMDGOALS)),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
include $(DEPS_STAMP)
endif
else ifeq ($(filter-out all,$(MAKECMDGOALS)),)
# Plain make: say what is missing instead of installing it.
ifeq ($(wildcard $(DEPS_STAMP)),)
DEPS_MISSING := $(shell scripts/deps.sh --missing)
ifneq ($(DEPS_MISSING),)
$(warning missing Debian packages: $(DEPS_MISSING))
$(warning 'make deps' installs them; make check and make demo do it for you)
endif
endif
endif
