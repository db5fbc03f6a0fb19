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

$(LIBREF): $(REF_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBREF_SAN): $(REF_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

-include $(REF_OBJS:.o=.d) $(REF_SAN_OBJS:.o=.d) $(REF_FS_OBJS:.o=.d)
