# Post-training quantization tests: qaccel quantize on every float golden
# model, its output run through qaccel and through TFLite's reference
# kernels (bit for bit), the accuracy anchor from TensorFlow's converter,
# bad input to the CLI. TFLite comes from PyPI into a venv under $(BUILD)
# made by tests/quant/setup-tflite.sh, which reuses a working one at once
# and tries again after a failed install, hence a phony step.
QUANT_VENV := $(BUILD)/venv-tflite

CHECK_TESTS += tests/quant/check-quant.sh
check-prep: quant-venv $(QACCEL_TOOL) $(BUILD)/san/qaccel
PHONY += check-quant quant-venv

quant-venv:
	tests/quant/setup-tflite.sh $(QUANT_VENV)

check-quant: $(DEPS_STAMP) quant-venv $(QACCEL_TOOL) $(BUILD)/san/qaccel
	$(PROVE) $(PROVE_FLAGS) -v tests/quant/check-quant.sh
