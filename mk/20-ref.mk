# The freestanding reference engine (runtime/ref/): validator, executor,
# kernels. Built three ways: the normal library, a sanitizer library for the
# tests, and a kernel-constraints check (freestanding, no libc, no FPU).
REF_SRCS := $(sort $(wildcard runtime/ref/*.c))
REF_OBJS := $(REF_SRCS:%.c=$(BUILD)/obj/%.o)
REF_SAN_OBJS := $(REF_SRCS:%.c=$(BUILD)/san/%.o)
REF_FS_OBJS := $(REF_SRCS:%.c=$(BUILD)/freestanding/%.o)
LIBREF := $(BUILD)/libqaccel_ref.a
LIBREF_SAN := $(BUILD)/san/libqaccel_ref.a

# What the kernel build imposes: no hosted libc, no float or vector
# registers, no VLAs, bounded frames, the kernel's code model and its
# stricter warnings. Only the compiler's own headers and the Linux uAPI
# headers are visible: an #include of a libc header fails to compile.
# Deferred (=) so the compiler is asked only once it is installed.
FS_INC := $(BUILD)/fs-include
FS_ASM_DIR = $(firstword $(wildcard \
	/usr/include/$(shell $(CC) -print-multiarch 2>/dev/null)/asm \
	/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)/asm \
	/usr/include/asm /usr/include/*-linux-gnu*/asm))
FREESTANDING_CFLAGS = -std=gnu11 $(WARN) -O2 -I. -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -isystem $(FS_INC) \
	-mgeneral-regs-only -fno-builtin -fno-stack-protector -mno-red-zone \
	-mcmodel=kernel -fno-PIE -fno-common -fno-strict-aliasing \
	-Wvla -Wframe-larger-than=1024 -Wdeclaration-after-statement \
	-Wstrict-prototypes -Wmissing-prototypes -Wundef \
	-DQACCEL_FREESTANDING
REF_FS_LOGS := $(REF_FS_OBJS:.o=.log)

ALL_TARGETS += $(LIBREF) $(BUILD)/freestanding.stamp
# tests/freestanding.sh reports on the logs: one TAP line per source, so a
# violation shows in prove's summary rather than stopping make check.
CHECK_TESTS += tests/freestanding.sh
check-prep: $(REF_FS_LOGS)
export BUILD

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

# linux/, asm/ and asm-generic/ from the uAPI headers (linux-libc-dev), and
# nothing else from /usr/include.
$(FS_INC).stamp:
	@test -d "$(FS_ASM_DIR)" -a -d /usr/include/linux || { echo \
		"Linux uAPI headers (linux-libc-dev) missing: make deps" >&2; exit 1; }
	@mkdir -p $(FS_INC)
	ln -sfn /usr/include/linux $(FS_INC)/linux
	ln -sfn /usr/include/asm-generic $(FS_INC)/asm-generic
	ln -sfn $(FS_ASM_DIR) $(FS_INC)/asm
	@touch $@

# Each freestanding compile never fails make: its output lands in a .log
# next to the object (which is removed when the compile fails), for
# tests/freestanding.sh to report. Rebuilt when the flags change.
$(BUILD)/freestanding/%.log: %.c $(FS_INC).stamp mk/20-ref.mk
	@mkdir -p $(@D)
	@echo "  CC-FS   $<"
	@if $(CC) $(FREESTANDING_CFLAGS) -MMD -MP -MT $@ -MF $(@:.log=.d) \
		-c $< -o $(@:.log=.o) >$@.tmp 2>&1; then :; \
	else rm -f $(@:.log=.o); fi; mv -f $@.tmp $@

# For plain make: any violation fails the build, with the report shown.
$(BUILD)/freestanding.stamp: $(REF_FS_LOGS) scripts/check-freestanding.sh \
		tests/freestanding.sh
	@tests/freestanding.sh >$@.tap 2>&1 || { cat $@.tap; exit 1; }
	@touch $@

# The same sources through the kernel's own build: Kbuild with -Werror,
# the __KERNEL__ side of qaccel_ref_types.h, then modpost, which refuses
# any symbol the kernel does not export. They become a throwaway module in
# build/kref/ (symlinks to the sources; objects stay there). Its log is
# reported by tests/kbuild-ref.sh in make check; plain make skips it.
# KDIR= picks the kernel tree; by default the running kernel's if its
# headers are installed, else the newest installed.
KREF_KDIR = $(or $(KDIR),$(patsubst %/Makefile,%,$(firstword \
	$(wildcard /lib/modules/$(shell uname -r)/build/Makefile) \
	$(lastword $(sort $(wildcard /lib/modules/*/build/Makefile))))))
KREF_DIR := $(BUILD)/kref
KREF_LOG := $(KREF_DIR)/build.log
KREF_INPUTS := $(sort $(wildcard runtime/ref/*.[ch] uapi/*.h))
CHECK_TESTS += tests/kbuild-ref.sh
check-prep: $(KREF_LOG)

# The list of inputs, rewritten only when it changes, so that adding or
# removing a source rebuilds the module even if no file got newer.
KREF_LIST := $(KREF_DIR)/inputs.txt
ifneq ($(KREF_INPUTS),$(file < $(KREF_LIST)))
$(shell mkdir -p $(KREF_DIR))
$(file > $(KREF_LIST),$(KREF_INPUTS))
endif

# Never fails make: the log ends in "kbuild: ok" only when the module was
# built; the sub-make gets none of this make's flags or variables (CC=clang
# must not reach a gcc-built kernel's build).
$(KREF_LOG): $(KREF_INPUTS) $(KREF_LIST) mk/20-ref.mk
	@rm -rf $(KREF_DIR)/runtime $(KREF_DIR)/uapi $(KREF_DIR)/*.ko
	@mkdir -p $(KREF_DIR)/runtime/ref $(KREF_DIR)/uapi
	@ln -sf $(abspath $(filter runtime/ref/%,$(KREF_INPUTS))) \
		$(KREF_DIR)/runtime/ref/
	@ln -sf $(abspath $(filter uapi/%,$(KREF_INPUTS))) $(KREF_DIR)/uapi/
	@printf '%s\n' '// SPDX-License-Identifier: GPL-2.0-only OR MIT' \
		'#include <linux/module.h>' 'MODULE_LICENSE("Dual MIT/GPL");' \
		'MODULE_DESCRIPTION("qaccel reference engine, build check");' \
		>$(KREF_DIR)/refcheck.c
	@printf '%s\n' 'obj-m += qaccel_refcheck.o' \
		'qaccel_refcheck-y := refcheck.o $(REF_SRCS:.c=.o)' \
		'ccflags-y += -I$$(src) -Werror' >$(KREF_DIR)/Kbuild
	@echo "  KBUILD  runtime/ref as a module against $(KREF_KDIR)"
	@{ echo "kernel tree: $(KREF_KDIR)"; \
	if test -f "$(KREF_KDIR)/Makefile"; then \
		env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL \
		make -C "$(KREF_KDIR)" M=$(abspath $(KREF_DIR)) modules && \
		test -f $(KREF_DIR)/qaccel_refcheck.ko && echo "kbuild: ok"; \
	else echo "no kernel headers (linux-headers-amd64): make deps"; fi; \
	} >$@.tmp 2>&1; mv -f $@.tmp $@

$(LIBREF): $(REF_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBREF_SAN): $(REF_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

-include $(REF_OBJS:.o=.d) $(REF_SAN_OBJS:.o=.d) $(REF_FS_OBJS:.o=.d)
