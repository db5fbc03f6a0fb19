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
# registers, no VLAs, bounded frames. Any violation fails the build.
# Only the compiler's own headers and the Linux uAPI headers are visible:
# an #include of a libc header fails to compile.
FS_INC := $(BUILD)/fs-include
FREESTANDING_CFLAGS := -std=gnu11 $(WARN) -O2 -I. -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -isystem $(FS_INC) \
	-mgeneral-regs-only -fno-builtin -Wvla -Wframe-larger-than=1024 \
	-DQACCEL_FREESTANDING

ALL_TARGETS += $(LIBREF) $(BUILD)/freestanding.stamp

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(FS_INC).stamp:
	@mkdir -p $(FS_INC)
	ln -sfn /usr/include/linux $(FS_INC)/linux
	ln -sfn /usr/include/asm-generic $(FS_INC)/asm-generic
	ln -sfn $(firstword $(wildcard /usr/include/$(shell $(CC) -dumpmachine)/asm /usr/include/asm)) $(FS_INC)/asm
	@touch $@

$(BUILD)/freestanding/%.o: %.c $(FS_INC).stamp
	@mkdir -p $(@D)
	$(CC) $(FREESTANDING_CFLAGS) -c $< -o $@

# Freestanding objects must not call into libc beyond what the kernel has.
$(BUILD)/freestanding.stamp: $(REF_FS_OBJS) scripts/check-freestanding.sh
	scripts/check-freestanding.sh $(REF_FS_OBJS)
	@touch $@

$(LIBREF): $(REF_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBREF_SAN): $(REF_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

-include $(REF_OBJS:.o=.d) $(REF_SAN_OBJS:.o=.d)
