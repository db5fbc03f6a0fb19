# qaccel.ko (driver/ and runtime/ref/, tied together by the top-level
# Kbuild), built out of tree in build/driver/ from symlinks to the sources,
# so that no object lands next to them.
#
#   make module          build $(BUILD)/driver/qaccel.ko
#   make module KDIR=... against another kernel tree
#
# The default kernel tree is Debian's 6.1 headers (linux-headers-amd64),
# whatever kernel this machine runs: the module is tested in a VM booting
# that kernel (mk/70-vm.mk). Every build is W=1 with sparse (C=1); its
# log is checked by tests/module-build.sh in make check: built, no compiler
# warning, no sparse warning.
# Newest by version order (6.1.0-10 after 6.1.0-9), hence sort -V.
MODULE_KDIR = $(or $(KDIR),$(patsubst %/Makefile,%,$(firstword \
	$(shell ls -d /lib/modules/6.1.0-*-amd64/build/Makefile 2>/dev/null | \
		sort -V | tail -n 1) \
	$(wildcard /lib/modules/$(shell uname -r)/build/Makefile))))
MODULE_DIR := $(BUILD)/driver
QACCEL_KO := $(MODULE_DIR)/qaccel.ko
MODULE_LOG := $(MODULE_DIR)/build.log
MODULE_INPUTS := $(sort Kbuild $(wildcard driver/*.[ch] runtime/ref/*.[ch] \
	uapi/*.h))
PHONY += module
CHECK_TESTS += tests/module-build.sh
check-prep: $(MODULE_LOG)

module: $(QACCEL_KO)

# Rewritten only when the list changes: adding or removing a source
# rebuilds the module even if no file got newer.
MODULE_LIST := $(MODULE_DIR)/inputs.txt
ifneq ($(MODULE_INPUTS) $(MODULE_KDIR),$(file < $(MODULE_LIST)))
$(shell mkdir -p $(MODULE_DIR))
$(file > $(MODULE_LIST),$(MODULE_INPUTS) $(MODULE_KDIR))
endif

# Never fails make (tests/module-build.sh reports the log); the sub-make
# gets none of this make's flags or variables (CC=clang must not reach a
# gcc-built kernel's build). A fresh tree each time: sparse sees every file.
$(MODULE_LOG): $(MODULE_INPUTS) $(MODULE_LIST) mk/60-module.mk
	@rm -rf $(MODULE_DIR)/driver $(MODULE_DIR)/runtime $(MODULE_DIR)/uapi \
		$(MODULE_DIR)/*.ko $(MODULE_DIR)/*.o
	@mkdir -p $(MODULE_DIR)/driver $(MODULE_DIR)/runtime/ref \
		$(MODULE_DIR)/uapi
	@for f in $(MODULE_INPUTS); do \
		ln -sf $(CURDIR)/$$f $(MODULE_DIR)/$$f || exit 1; done
	@echo "  KBUILD  qaccel.ko (W=1 C=1) against $(MODULE_KDIR)"
	@{ echo "kernel tree: $(MODULE_KDIR)"; \
	if test -f "$(MODULE_KDIR)/Makefile"; then \
		env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL \
		make -j2 -C "$(MODULE_KDIR)" M=$(abspath $(MODULE_DIR)) \
			W=1 C=1 modules && \
		test -f $(QACCEL_KO) && echo "module: ok"; \
	else echo "no kernel build tree at $(MODULE_KDIR)" \
		"(linux-headers-amd64: make deps)"; fi; \
	} >$@.tmp 2>&1; mv -f $@.tmp $@

$(QACCEL_KO): $(MODULE_LOG)
	@test -f $@ && tail -n 1 $< | grep -qx "module: ok" || { \
		grep -vE '^  (CC|LD|CHECK|MODPOST|BTF) |^make(\[[0-9]+\])?: ' $<; \
		echo "qaccel.ko did not build (log: $<)" >&2; exit 1; }
	@grep -E 'warning:|error:' $< || true
	@touch $@
