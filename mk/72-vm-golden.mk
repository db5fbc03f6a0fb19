# The drm backend inside the test VM (mk/70-vm.mk), as part of check-vm:
#
#   /tests/golden-drm.sh      every golden model through qaccel.ko on the
#                             drm backend, bit for bit (tests/golden/)
#   /tests/drm_backend_test   tests/drm/*.c: the backend on a live device
#                             (auto, threads, leaks, failed and hung jobs)
#   /tests/tool-drm.sh        the qaccel tool: info, run on drm and auto
#
# Static programs linked with libqaccel and libdrm (the initramfs has no
# libc); the model files they read reach the initramfs through
# VM_OVERLAY (tests/vm/mkinitramfs.sh), staged in $(VM_GOLDEN_ROOT).
# 70-vm.mk expands VM_EXTRA in its prerequisites before this fragment is
# read, so the prerequisites are added here too.
VM_GOLDEN_ROOT := $(VM_DIR)/golden-root
VM_GOLDEN_BIN := $(VM_GOLDEN_ROOT)/golden/check_golden
VM_TOOL_BIN := $(VM_GOLDEN_ROOT)/golden/qaccel
GOLDEN_MODEL_DIR := tests/golden/models
# What check_golden reads: the manifest, every line's model, input and
# outputs, and the digits test set.
VM_GOLDEN_DATA := $(addprefix $(GOLDEN_MODEL_DIR)/,manifest.txt digits.json \
	digits_test_int8.npy digits_test_labels.npy $(sort $(shell \
	awk 'NF == 5 { print $$2, $$3, $$4, $$5 }' \
	$(GOLDEN_MODEL_DIR)/manifest.txt 2>/dev/null)))
DRM_VM_TEST_SRCS := $(sort $(wildcard tests/drm/*.c))
DRM_VM_TEST_BINS := $(DRM_VM_TEST_SRCS:tests/drm/%.c=$(VM_DIR)/drm-tests/%)

# The VM's static programs link libqaccel.a itself, with the drm backend
# and every other backend but opencl, whose ICD loader has no static
# archive: tests/vm/no_opencl.c, linked first, stands in for it.
VM_NO_OPENCL := $(VM_DIR)/no_opencl.o
VM_RT_STATIC_LIBS = $(VM_NO_OPENCL) $(LIBQACCEL) $(DRM_STATIC_LIBS) -lm -lpthread

VM_EXTRA += tests/vm/golden-drm.sh tests/vm/tool-drm.sh $(DRM_VM_TEST_BINS)
$(VM_INITRAMFS): tests/vm/golden-drm.sh tests/vm/tool-drm.sh \
	$(DRM_VM_TEST_BINS) $(VM_GOLDEN_BIN) $(VM_TOOL_BIN) \
	$(VM_GOLDEN_ROOT).stamp mk/72-vm-golden.mk
$(VM_INITRAMFS): export VM_OVERLAY += $(abspath $(VM_GOLDEN_ROOT))

$(VM_GOLDEN_ROOT).stamp: $(VM_GOLDEN_DATA) tests/tap-ok.sh \
		tests/vm/qaccel-timeout.sh mk/72-vm-golden.mk
	@rm -rf $(VM_GOLDEN_ROOT)/golden/models
	@mkdir -p $(VM_GOLDEN_ROOT)/golden/models
	@echo "  STAGE   $(words $(VM_GOLDEN_DATA)) golden model files for the VM"
	@cp $(VM_GOLDEN_DATA) $(VM_GOLDEN_ROOT)/golden/models/
	@cp tests/tap-ok.sh tests/vm/qaccel-timeout.sh $(VM_GOLDEN_ROOT)/golden/
	@touch $@

$(VM_NO_OPENCL): tests/vm/no_opencl.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(VM_GOLDEN_BIN): tests/golden/check_golden.c $(LIBQACCEL) $(VM_NO_OPENCL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -static $< $(VM_RT_STATIC_LIBS) -o $@

# The tool as mk/50-runtime.mk links it, with the commands other
# fragments add (qaccel quantize: QUANT_CMD_OBJ, mk/60-quant.mk).
$(VM_TOOL_BIN): runtime/tool/qaccel.c $(LIBQACCEL) $(VM_NO_OPENCL) $(QUANT_CMD_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -static $< $(QUANT_CMD_OBJ) $(VM_RT_STATIC_LIBS) -o $@

$(VM_DIR)/drm-tests/%: tests/drm/%.c $(LIBQACCEL) $(VM_NO_OPENCL) $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I$(KSFT_DIR) -Wno-unused-parameter -static \
		-MMD -MP -MF $@.d -MT $@ $< $(VM_RT_STATIC_LIBS) -o $@

-include $(DRM_VM_TEST_BINS:=.d) $(VM_NO_OPENCL:.o=.d)
