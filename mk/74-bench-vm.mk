# make bench-vm (part of make bench): boots the test VM (mk/70-vm.mk) with
# qaccel.ko and tests/bench/bench_drm.c only, and prints its table: null
# job round trip beside DRM_IOCTL_VERSION, BO create+mmap+close rate, and
# model latency on the drm backend beside the cpu backend, all measured in
# that one VM. Numbers under TCG are emulated: compare rows, not machines.
BENCH_VM_DIR := $(VM_DIR)/bench
BENCH_VM_ROOT := $(BENCH_VM_DIR)/root
BENCH_VM_BIN := $(BENCH_VM_ROOT)/bench/bench_drm
BENCH_VM_MODELS := $(addprefix $(GOLDEN_MODEL_DIR)/,mobilenet_v2.tflite \
	digits.tflite)
BENCH_VM_INITRAMFS := $(BENCH_VM_DIR)/initramfs.cpio.gz
PHONY += bench-vm

bench: bench-vm

# It reuses the driver tests' helpers (tests/driver/qaccel_dev.h).
$(BENCH_VM_BIN): tests/bench/bench_drm.c tests/bench/bench_time.h $(LIBQACCEL) $(VM_NO_OPENCL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DRM_CFLAGS) -Itests/unit -static -MMD -MP \
		-MF $@.d -MT $@ $< $(VM_RT_STATIC_LIBS) -o $@

-include $(BENCH_VM_BIN).d

$(BENCH_VM_ROOT).stamp: $(BENCH_VM_MODELS) tests/vm/qaccel-timeout.sh
	@mkdir -p $(BENCH_VM_ROOT)/bench/models
	cp $(BENCH_VM_MODELS) $(BENCH_VM_ROOT)/bench/models/
	cp tests/vm/qaccel-timeout.sh $(BENCH_VM_ROOT)/bench/
	@touch $@

$(BENCH_VM_INITRAMFS): export VM_OVERLAY = $(abspath $(BENCH_VM_ROOT))
$(BENCH_VM_INITRAMFS): $(QACCEL_KO) $(BENCH_VM_BIN) $(BENCH_VM_ROOT).stamp \
		tests/vm/bench-drm.sh tests/vm/init tests/vm/mkinitramfs.sh \
		mk/74-bench-vm.mk
	@kver=$$(modinfo -F vermagic $(QACCEL_KO) | cut -d' ' -f1) && \
	echo "  INITRD  $@ (kernel $$kver)" && \
	tests/vm/mkinitramfs.sh $@ "$$kver" $(QACCEL_KO) tests/vm/bench-drm.sh && \
	echo "$$kver" >$(BENCH_VM_DIR)/kver

ifeq ($(wildcard driver/*.c),)
bench-vm:
	@echo "bench-vm: driver/ is not in this tree: no qaccel.ko to measure"
else ifneq ($(DRM_FOUND),yes)
bench-vm:
	@echo "bench-vm: libdrm not found (libdrm-dev: make deps): no drm backend"
else
bench-vm: $(DEPS_STAMP) $(BENCH_VM_INITRAMFS)
	tests/vm/bench-vm.sh $(BENCH_VM_DIR)
endif
