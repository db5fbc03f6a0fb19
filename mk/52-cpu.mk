# The fast cpu backend's kernels (runtime/cpu/, Documentation/cpu-backend.rst),
# linked into libqaccel beside runtime/backend/backend_cpu.c. Each
# instruction-set level is one file built with that level's flags; which
# one runs is decided at run time from the CPU's features.
CPU_ARCH := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine 2>/dev/null)))
CPU_SRCS := $(addprefix runtime/cpu/,cpu_isa.c cpu_pool.c cpu_engine.c \
	cpu_gemm.c cpu_pack_weights.c cpu_conv_image.c cpu_ops.c cpu_softmax.c cpu_isa_generic.c)
CPU_ISA_x86_64 := runtime/cpu/cpu_isa_avx2.c runtime/cpu/cpu_isa_avx512vnni.c \
	runtime/cpu/cpu_dw_avx512vnni.c runtime/cpu/cpu_binary_avx512vnni.c
CPU_ISA_aarch64 := runtime/cpu/cpu_isa_neon.c runtime/cpu/cpu_isa_sdot.c
CPU_SRCS += $(CPU_ISA_$(CPU_ARCH))
CPU_OBJS := $(CPU_SRCS:%.c=$(BUILD)/obj/%.o)
CPU_SAN_OBJS := $(CPU_SRCS:%.c=$(BUILD)/san/%.o)

# Flags per level (the sanitizer build needs them too).
CPU_FLAGS_avx2 := -mavx2 -mfma
CPU_FLAGS_avx512vnni := -mavx512f -mavx512bw -mavx512dq -mavx512vl -mavx512vnni
CPU_FLAGS_sdot := -march=armv8.2-a+dotprod
$(foreach l,avx2 avx512vnni sdot,\
	$(eval $(BUILD)/obj/runtime/cpu/cpu_isa_$(l).o: CFLAGS += $(CPU_FLAGS_$(l)))\
	$(eval $(BUILD)/san/runtime/cpu/cpu_isa_$(l).o: SAN_CFLAGS += $(CPU_FLAGS_$(l))))
# The level's depthwise and ADD/SUB/MUL kernels take its flags too.
CPU_VNNI_MORE := cpu_dw_avx512vnni cpu_binary_avx512vnni
$(foreach f,$(CPU_VNNI_MORE),\
	$(eval $(BUILD)/obj/runtime/cpu/$(f).o: CFLAGS += $(CPU_FLAGS_avx512vnni))\
	$(eval $(BUILD)/san/runtime/cpu/$(f).o: SAN_CFLAGS += $(CPU_FLAGS_avx512vnni)))

# The kernels are built with clang on x86-64 where it is installed: gcc 12
# spills the GEMM tile's accumulators (measured: 65 against 110 GOP/s).
# Sanitizer objects stay with $(CC), whose runtime the tests link.
CPU_CC := $(if $(filter x86_64,$(CPU_ARCH)),$(if $(shell command -v $(CLANG) 2>/dev/null),$(CLANG),$(CC)),$(CC))
$(CPU_OBJS): CC := $(CPU_CC)
$(CPU_OBJS): CFLAGS += -O3 -Wno-psabi
# 32-byte vectors of cpu_vec.h pass between static functions only.
$(CPU_SAN_OBJS): SAN_CFLAGS += -Wno-psabi

# registry.c declares the cpu backend present.
$(BUILD)/obj/runtime/backend/registry.o: CFLAGS += -DQACCEL_HAVE_CPU_FAST
$(BUILD)/san/runtime/backend/registry.o: SAN_CFLAGS += -DQACCEL_HAVE_CPU_FAST
$(BUILD)/obj/runtime/backend/registry.o $(BUILD)/san/runtime/backend/registry.o: mk/52-cpu.mk

$(LIBQACCEL) $(LIBQACCEL_SO): $(CPU_OBJS)
$(LIBQACCEL_SAN): $(CPU_SAN_OBJS)

-include $(CPU_OBJS:.o=.d) $(CPU_SAN_OBJS:.o=.d)
