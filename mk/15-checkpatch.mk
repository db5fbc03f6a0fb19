# Kernel-side sources (the module, the reference engine it compiles, the
# uAPI) must be checkpatch --strict clean. tests/checkpatch.sh reports one
# TAP line per file; make checkpatch runs it alone.
KSTYLE_FILES = $(sort $(wildcard uapi/*.h driver/*.c driver/*.h \
	runtime/ref/*.c) $(filter-out runtime/ref/qaccel_ref_types_user.h, \
	$(wildcard runtime/ref/*.h)))

PHONY += checkpatch
CHECK_TESTS += tests/checkpatch.sh tests/freestanding.sh
check-prep: $(CHECKPATCH) $(BUILD)/freestanding.stamp

checkpatch: $(CHECKPATCH)
	CHECKPATCH=$(CHECKPATCH) prove --merge tests/checkpatch.sh
