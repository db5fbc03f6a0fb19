# The opencl backend (runtime/backend/backend_opencl.c and
# runtime/backend/opencl/), built when an OpenCL ICD loader and headers are
# here (Debian: ocl-icd-opencl-dev, opencl-headers). The kernels of
# opencl_kernels/ become one C string in build/gen/ (scripts/cl2c.sh);
# qmath.cl goes first since every other file uses it.
CL_SRCS := opencl_kernels/qmath.cl \
	$(filter-out opencl_kernels/qmath.cl,$(sort $(wildcard opencl_kernels/*.cl)))
HAVE_OPENCL := $(shell printf '\043include <CL/cl.h>\nint main(void){return 0;}\n' | \
	$(CC) -x c - -lOpenCL -o /dev/null 2>/dev/null && echo yes)

ifeq ($(HAVE_OPENCL),yes)
CL_GEN := $(BUILD)/gen/opencl_sources.c
CL_RT_SRCS := $(sort $(wildcard runtime/backend/opencl/*.c))
CL_OBJS := $(CL_RT_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/opencl_sources.o
CL_SAN_OBJS := $(CL_RT_SRCS:%.c=$(BUILD)/san/%.o) $(BUILD)/san/gen/opencl_sources.o
# Only these two see QACCEL_HAVE_OPENCL, so the rest builds as before.
CL_FLAG_OBJS := $(BUILD)/obj/runtime/backend/registry.o \
	$(BUILD)/obj/runtime/backend/backend_opencl.o
CL_FLAG_SAN_OBJS := $(BUILD)/san/runtime/backend/registry.o \
	$(BUILD)/san/runtime/backend/backend_opencl.o

$(CL_FLAG_OBJS): ALL_CFLAGS += -DQACCEL_HAVE_OPENCL
$(CL_FLAG_SAN_OBJS): SAN_CFLAGS += -DQACCEL_HAVE_OPENCL
$(CL_FLAG_OBJS) $(CL_FLAG_SAN_OBJS): mk/60-opencl.mk

$(LIBQACCEL) $(LIBQACCEL_SO): $(CL_OBJS)
$(LIBQACCEL_SAN): $(CL_SAN_OBJS)
RT_LDLIBS += -lOpenCL
UNIT_LIBS += -lOpenCL
UNIT_SAN_LIBS += -lOpenCL

$(CL_GEN): $(CL_SRCS) scripts/cl2c.sh mk/60-opencl.mk
	@mkdir -p $(@D)
	scripts/cl2c.sh $@ $(CL_SRCS)

$(BUILD)/obj/gen/opencl_sources.o: $(CL_GEN)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/san/gen/opencl_sources.o: $(CL_GEN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c $< -o $@

-include $(CL_OBJS:.o=.d) $(CL_SAN_OBJS:.o=.d)
endif

# make check-opencl: the conformance-style checker (quick count), the golden
# models and the program cache, on every OpenCL device here.
CL_CHECK_BIN := $(BUILD)/tests/cl_check
PHONY += check-opencl
CHECK_TESTS += tests/opencl/check-opencl.sh

ifeq ($(HAVE_OPENCL),yes)
ALL_TARGETS += $(CL_CHECK_BIN)
check-prep: $(CL_CHECK_BIN)

$(CL_CHECK_BIN): tests/opencl/cl_check.c tests/opencl/cl_gen.c tests/opencl/cl_gen.h \
		tests/unit/rng.h $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit tests/opencl/cl_check.c tests/opencl/cl_gen.c \
		$(LIBQACCEL) $(RT_LDLIBS) -o $@
endif

check-opencl: check-prep $(GOLDEN_BIN)
	$(PROVE) $(PROVE_FLAGS) tests/opencl/check-opencl.sh

# make bench: qaccel's int8 GEMM and convolution beside CLBlast's SGEMM on
# the same device, and the program load of a second process.
BENCH_CL_BIN := $(BUILD)/tests/bench_opencl
PHONY += bench-opencl
ifeq ($(HAVE_OPENCL),yes)
HAVE_CLBLAST := $(shell printf '\043include <clblast_c.h>\nint main(void){return 0;}\n' | \
	$(CC) -x c - -lclblast -lOpenCL -o /dev/null 2>/dev/null && echo yes)
endif
ifeq ($(HAVE_CLBLAST),yes)
$(BENCH_CL_BIN): tests/bench/bench_opencl.c tests/bench/bench_time.h $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) -lclblast $(RT_LDLIBS) -o $@

bench-opencl: $(BENCH_CL_BIN)
	$(BENCH_CL_BIN)
else
bench-opencl:
	@echo "bench-opencl: OpenCL or CLBlast (libclblast-dev) not found, skipped"
endif
bench: bench-opencl

# Under make check the program caches (qaccel's and PoCL's, both under
# XDG_CACHE_HOME) live in build/, so a check writes nothing in $HOME.
check check-opencl: export XDG_CACHE_HOME := $(abspath $(BUILD))/xdg-cache
