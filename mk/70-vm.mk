# The driver's kselftests (tests/driver/*.c) in a VM: Debian's kernel under
# QEMU (TCG) with an initramfs holding busybox, qaccel.ko, the modules it
# needs and the tests, built static (tests/vm/).
#
#   make check-vm   build all that, boot, report (also part of make check)
#
# Other fragments add programs or busybox sh scripts that print TAP to
# VM_EXTRA (static; the golden models on the drm backend, for one): the
# VM runs them after the kselftests, before unloading the module.
VM_DIR := $(BUILD)/vm
QACCEL_KO ?= $(BUILD)/driver/qaccel.ko
VM_INITRAMFS := $(VM_DIR)/initramfs.cpio.gz
DRIVER_TEST_SRCS := $(sort $(wildcard tests/driver/*.c))
DRIVER_TEST_HDRS := $(wildcard tests/driver/*.h)
DRIVER_TEST_BINS := $(DRIVER_TEST_SRCS:tests/driver/%.c=$(VM_DIR)/tests/%)
VM_EXTRA +=

# Static: the initramfs has no libc. The tests check results against the
# reference engine (libqaccel_ref.a) and reuse the unit tests' helpers.
DRIVER_TEST_CFLAGS = -I$(KSFT_DIR) -Itests/unit -Wno-unused-parameter \
	-Wno-sign-compare \
	$(shell pkg-config --cflags libdrm 2>/dev/null)
DRIVER_TEST_LIBS = $(LIBREF) \
	$(or $(shell pkg-config --libs --static libdrm 2>/dev/null),-ldrm) \
	-lpthread

CHECK_TESTS += tests/vm/check-vm.sh
PHONY += check-vm driver-tests FORCE

$(VM_DIR)/tests/%: tests/driver/%.c $(LIBREF) $(KSFT_HDRS) \
		$(DRIVER_TEST_HDRS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DRIVER_TEST_CFLAGS) -static -MMD -MP -MF $@.d \
		-MT $@ $< $(DRIVER_TEST_LIBS) -o $@

driver-tests: $(DRIVER_TEST_BINS)

# The names of the programs packed, rewritten only when they change (read
# at run time, so VM_EXTRA added by later fragments counts too): packing
# fewer or other programs than last time repacks even if no file is newer.
VM_PACKED := $(VM_DIR)/packed.txt
$(VM_PACKED): FORCE
	@mkdir -p $(@D)
	@echo '$(DRIVER_TEST_BINS) $(VM_EXTRA)' | cmp -s - $@ || \
		echo '$(DRIVER_TEST_BINS) $(VM_EXTRA)' >$@
FORCE:

# The kernel booted is the one the module was built for (its vermagic).
$(VM_INITRAMFS): $(QACCEL_KO) $(DRIVER_TEST_BINS) $(VM_EXTRA) $(VM_PACKED) \
		tests/vm/init tests/vm/mkinitramfs.sh mk/70-vm.mk
	@mkdir -p $(@D)
	@kver=$$(modinfo -F vermagic $(QACCEL_KO) | cut -d' ' -f1) && \
	echo "  INITRD  $@ (kernel $$kver)" && \
	tests/vm/mkinitramfs.sh $@ "$$kver" $(QACCEL_KO) \
		$(DRIVER_TEST_BINS) $(VM_EXTRA) && \
	echo "$$kver" >$(VM_DIR)/kver && \
	echo $(notdir $(DRIVER_TEST_BINS) $(VM_EXTRA)) >$(VM_DIR)/progs

# qaccel.ko comes from the driver's fragment (make module); without it the
# VM cannot run, and tests/vm/check-vm.sh reports that as a failure.
ifneq ($(wildcard driver/*.c),)
check-prep: $(VM_INITRAMFS)
endif

check-vm: $(DEPS_STAMP) $(VM_INITRAMFS)
	$(PROVE) $(PROVE_FLAGS) -v tests/vm/check-vm.sh

-include $(DRIVER_TEST_BINS:=.d)
