"""MobileNetV2 1.0 at 224x224, int8, with random weights, for make bench.

Reproducible: Keras' initializers under a fixed seed, a fixed random
calibration set, TensorFlow Lite's converter with full int8 quantization
(int8 input and output). Writes MODEL.tflite and MODEL.input.npy (one
sample). Run by mk/59-bench-cpu.mk with the bench's virtual environment;
the model is a build product, never committed (about 3.5 MB).

    python make_mobilenet_v2_224.py OUT.tflite
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

SEED = 20261125


def main(out):
    tf.keras.utils.set_random_seed(SEED)
    model = tf.keras.applications.MobileNetV2(
        input_shape=(224, 224, 3), alpha=1.0, weights=None, classes=1000)
    rng = np.random.default_rng(SEED)
    calib = [rng.uniform(-1, 1, (1, 224, 224, 3)).astype(np.float32)
             for _ in range(8)]

    def representative():
        for x in calib:
            yield [x]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    data = conv.convert()
    with open(out, "wb") as f:
        f.write(data)
    x = rng.integers(-128, 128, (1, 224, 224, 3), dtype=np.int8)
    np.save(out[:-len(".tflite")] + ".input.npy", x)


if __name__ == "__main__":
    main(sys.argv[1])
