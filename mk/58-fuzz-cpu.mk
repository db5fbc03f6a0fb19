# fuzz_cpu (tests/fuzz/fuzz_cpu.c): the cpu engine at every level against
# the reference on whatever the validator accepts. Its sources take
# per-file instruction-set flags (mk/52-cpu.mk), so they are compiled to
# objects with the fuzz sanitizers first; the other targets build in one go.
FUZZ_CPU_OBJS := $(CPU_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_SRCS_fuzz_cpu := $(REF_SRCS) $(FUZZ_CPU_OBJS)
FUZZ_CFLAGS_fuzz_cpu := -lpthread
FUZZ_SEED_fuzz_cpu := $(FUZZ_DIR)/gen_stream_corpus
FUZZ_OBJ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I. -Iruntime/include -Wno-psabi \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

$(foreach l,avx2 avx512vnni sdot,$(eval \
	$(FUZZ_DIR)/obj/runtime/cpu/cpu_isa_$(l).o: FUZZ_ISA_FLAGS := $(CPU_FLAGS_$(l))))
$(foreach f,$(CPU_VNNI_MORE),$(eval \
	$(FUZZ_DIR)/obj/runtime/cpu/$(f).o: FUZZ_ISA_FLAGS := $(CPU_FLAGS_avx512vnni)))

$(FUZZ_DIR)/obj/%.o: %.c $(wildcard runtime/cpu/*.h) $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_OBJ_CFLAGS) $(FUZZ_ISA_FLAGS) -c $< -o $@
# Kept between builds (pattern-rule products are otherwise intermediate).
.SECONDARY: $(FUZZ_CPU_OBJS)
