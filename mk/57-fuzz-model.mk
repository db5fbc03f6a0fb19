# Fuzz targets for the model path (see mk/40-fuzz.mk): the .tflite reader
# with the compiler behind it, and the .npy reader; seeded from the golden
# models and inputs.
FUZZ_SRCS_fuzz_tflite = $(REF_SRCS) runtime/core/dtype.c \
	$(sort $(wildcard runtime/compiler/*.c runtime/model/*.c))
FUZZ_SRCS_fuzz_npy = runtime/io/npy.c
FUZZ_SEED_fuzz_tflite := scripts/seed-golden-tflite.sh
FUZZ_SEED_fuzz_npy := scripts/seed-golden-npy.sh
