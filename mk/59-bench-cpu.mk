# make bench, the cpu backend's part: per model (the golden MobileNetV2-style
# network, the digits CNN, MobileNetV2 1.0 224x224 with random weights) qaccel
# ref and cpu at 1 and 2 threads against TensorFlow Lite with XNNPACK at the
# same thread counts and TFLite's default and reference kernels, all in one
# run; then the int8 GEMM micro-benchmark beside the measured peak. A last
# row, one fully connected layer, shows each engine's cost per call (for
# TFLite: Interpreter.invoke() through its Python binding), which the
# small models' latencies include; it is not one of the goals.
# TensorFlow Lite (ai-edge-litert) and, to generate the 224x224 model,
# TensorFlow come from PyPI into a virtual environment under build/.
BENCH_VENV := $(BUILD)/bench-venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_ONE := $(BUILD)/tests/bench_qaccel_one
BENCH_GEMM := $(BUILD)/tests/bench_gemm
BENCH_MNV2 := $(BUILD)/bench/mobilenet_v2_224.tflite
BENCH_PIP ?= ai-edge-litert numpy tensorflow-cpu
PHONY += bench-cpu

$(BENCH_ONE): tests/bench/bench_qaccel_one.c tests/bench/bench_time.h $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

$(BENCH_GEMM): tests/bench/bench_gemm.c tests/bench/bench_time.h $(LIBQACCEL)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

# The stamp records a finished install; a failed one is retried next time.
$(BENCH_VENV)/.stamp: mk/59-bench-cpu.mk
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q $(BENCH_PIP)
	@touch $@

$(BENCH_MNV2): tests/bench/make_mobilenet_v2_224.py $(BENCH_VENV)/.stamp
	@mkdir -p $(@D)
	@echo "  GEN     $@ (TensorFlow's log: $@.log)"
	@$(BENCH_PY) $< $@ >$@.log 2>&1 || { tail -n 20 $@.log; exit 1; }

ALL_TARGETS += $(BENCH_ONE) $(BENCH_GEMM)

# Without PyPI the qaccel rows are still measured; the TFLite rows say why not.
bench-cpu: $(BENCH_ONE) $(BENCH_GEMM)
	@$(MAKE) --no-print-directory $(BENCH_MNV2) || \
		echo "bench: no TensorFlow Lite from PyPI; its rows stay empty"
	$(PYTHON) tests/bench/bench_cpu.py --qaccel $(BENCH_ONE) \
		$(if $(wildcard $(BENCH_VENV)/.stamp),--tflite $(BENCH_PY)) \
		"MobileNetV2-style 0.35 96x96 (golden)=tests/golden/models/mobilenet_v2.tflite:200" \
		"digits CNN 8x8 (golden)=tests/golden/models/digits.tflite:2000" \
		$(if $(wildcard $(BENCH_MNV2)),"MobileNetV2 1.0 224x224 random weights=$(BENCH_MNV2):40") \
		"one FC 32->10: per-call floor=tests/golden/models/dense.tflite:5000"
	$(BENCH_GEMM)

bench: bench-cpu
