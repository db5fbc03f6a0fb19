# make deps: install what the build and the tests need, only when missing.
# make check and make demo run it once (the stamp remembers).
PHONY += deps
DEPS_STAMP := $(BUILD)/deps.stamp

deps:
	scripts/deps.sh

$(DEPS_STAMP): scripts/deps.sh
	scripts/deps.sh
	@mkdir -p $(@D)
	@touch $@

check-prep: $(DEPS_STAMP)
