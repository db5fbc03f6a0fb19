#!/usr/bin/env python3
"""Builds qaccel's golden models with TensorFlow and records TFLite's outputs.

Run by hand on a developer machine (CI never runs it; its outputs are
committed):  python3 -m venv venv && venv/bin/pip install tensorflow-cpu \
scikit-learn && venv/bin/python tests/golden/make_golden.py

For each model NAME it writes, in tests/golden/models/:
  NAME.tflite              int8 model, int8 input and output
  NAME_float_io.tflite     the same quantization, float input and output
  NAME[_float_io].input.npy   samples stacked on a new axis 0
  NAME[_float_io].ref.npy     TFLite outputs, BUILTIN_REF kernels
  NAME[_float_io].default.npy TFLite outputs, default kernels
and manifest.json listing all of them (see README.rst).
"""
import json
import os
import subprocess
import sys

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
SAMPLES = 3
layers = tf.keras.layers


def rng(name):
    return np.random.default_rng(abs(hash(name)) % (2**32) if False else
                                 sum(map(ord, name)) * 7919)


def convert(model, calib, int8_io, per_tensor=False):
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([c[None].astype(np.float32)]
                                           for c in calib)
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if int8_io:
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    if per_tensor:
        conv._experimental_disable_per_channel = True
    return conv.convert()


def run(path, xs, resolver):
    kw = {}
    if resolver == "ref":
        kw["experimental_op_resolver_type"] = \
            tf.lite.experimental.OpResolverType.BUILTIN_REF
    it = tf.lite.Interpreter(model_path=path, **kw)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    ys = []
    for x in xs:
        it.set_tensor(inp["index"], x)
        it.invoke()
        ys.append(it.get_tensor(out["index"]).copy())
    return np.stack(ys)


def ops_of(path):
    from tensorflow.lite.python import schema_py_generated as s  # noqa
    with open(path, "rb") as f:
        m = s.Model.GetRootAsModel(f.read(), 0)
    names = {v: k for k, v in vars(s.BuiltinOperator).items()
             if not k.startswith("_")}
    sg = m.Subgraphs(0)
    out = []
    for i in range(sg.OperatorsLength()):
        oc = m.OperatorCodes(sg.Operators(i).OpcodeIndex())
        code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
        out.append(names.get(code, str(code)))
    return out


def quantize_input(path, xf):
    it = tf.lite.Interpreter(model_path=path)
    d = it.get_input_details()[0]
    scale, zp = d["quantization"]
    q = np.round(xf / scale) + zp
    return np.clip(q, -128, 127).astype(np.int8)


def emit(name, model, calib, samples, manifest, per_tensor=False):
    entries = []
    for int8_io in (True, False):
        tag = name if int8_io else name + "_float_io"
        path = os.path.join(OUT, tag + ".tflite")
        with open(path, "wb") as f:
            f.write(convert(model, calib, int8_io, per_tensor))
        xs = samples[:, None].astype(np.float32)
        if int8_io:
            xs = quantize_input(path, xs)
        np.save(os.path.join(OUT, tag + ".input.npy"), xs)
        for res in ("ref", "default"):
            np.save(os.path.join(OUT, f"{tag}.{res}.npy"), run(path, xs, res))
        entries.append({"name": tag, "file": tag + ".tflite",
                        "input": tag + ".input.npy", "ref": tag + ".ref.npy",
                        "default": tag + ".default.npy",
                        "float_io": not int8_io, "ops": ops_of(path)})
    manifest.extend(entries)
    print(name, entries[0]["ops"], file=sys.stderr)


def op_models():
    """(name, input shape, body, per_tensor) for every operator variant."""
    c = layers
    act = lambda f: c.Lambda(f)  # noqa: E731
    return [
        ("conv_3x3_same", (8, 8, 4), lambda x: c.Conv2D(6, 3, padding="same")(x), False),
        ("conv_s2_valid", (9, 9, 3), lambda x: c.Conv2D(5, 3, strides=2)(x), False),
        ("conv_1x1", (6, 6, 8), lambda x: c.Conv2D(8, 1)(x), False),
        ("conv_odd_7x5", (7, 5, 3), lambda x: c.Conv2D(4, (3, 2), padding="same")(x), False),
        ("conv_relu", (8, 8, 4), lambda x: c.Conv2D(6, 3, activation="relu")(x), False),
        ("conv_relu6", (8, 8, 4), lambda x: c.ReLU(6.0)(c.Conv2D(6, 3)(x)), False),
        ("conv_nobias", (8, 8, 4), lambda x: c.Conv2D(6, 3, use_bias=False)(x), False),
        ("conv_per_tensor", (8, 8, 4), lambda x: c.Conv2D(6, 3, padding="same")(x), True),
        ("dwconv_m1", (8, 8, 6), lambda x: c.DepthwiseConv2D(3, padding="same")(x), False),
        ("dwconv_m2", (8, 8, 3), lambda x: c.DepthwiseConv2D(3, depth_multiplier=2)(x), False),
        ("dwconv_s2", (9, 9, 4), lambda x: c.DepthwiseConv2D(3, strides=2, padding="same")(x), False),
        ("dense", (32,), lambda x: c.Dense(10)(x), False),
        ("dense_flatten_relu", (4, 4, 3), lambda x: c.Dense(12, activation="relu")(c.Flatten()(x)), False),
        ("add_same", (6, 6, 4), lambda x: c.Add()([c.Conv2D(4, 1)(x), x]), False),
        ("add_broadcast_c", (6, 6, 4), lambda x: act(lambda t: t + tf.constant(np.linspace(-1, 1, 4, dtype=np.float32).reshape(1, 1, 1, 4)))(x), False),
        ("sub_broadcast_hw", (6, 6, 4), lambda x: act(lambda t: t - tf.constant(np.linspace(-2, 1, 36, dtype=np.float32).reshape(1, 6, 6, 1)))(x), False),
        ("mul_same_relu", (6, 6, 4), lambda x: c.ReLU()(c.Multiply()([c.Conv2D(4, 1)(x), x])), False),
        ("maxpool_same_s2", (9, 9, 4), lambda x: c.MaxPooling2D(3, 2, padding="same")(x), False),
        ("maxpool_valid", (8, 8, 4), lambda x: c.MaxPooling2D(2)(x), False),
        ("avgpool_same_s2", (9, 7, 4), lambda x: c.AveragePooling2D(3, 2, padding="same")(x), False),
        ("avgpool_valid", (8, 8, 4), lambda x: c.AveragePooling2D(2)(x), False),
        ("softmax", (20,), lambda x: c.Softmax()(c.Dense(20)(x)), False),
        ("softmax_beta", (20,), lambda x: act(lambda t: tf.nn.softmax(t * 0.5))(x), False),
        ("logistic", (8, 8, 4), lambda x: act(tf.sigmoid)(c.Conv2D(4, 1)(x)), False),
        ("tanh", (8, 8, 4), lambda x: act(tf.tanh)(c.Conv2D(4, 1)(x)), False),
        ("hard_swish", (8, 8, 4), lambda x: act(lambda t: t * tf.nn.relu6(t + 3.0) / 6.0)(c.Conv2D(4, 1)(x)), False),
        ("relu", (8, 8, 4), lambda x: c.ReLU()(x), False),
        ("relu6", (8, 8, 4), lambda x: c.ReLU(6.0)(x), False),
        ("leaky_relu", (8, 8, 4), lambda x: c.LeakyReLU(0.2)(x), False),
        ("concat_channels", (6, 6, 4), lambda x: c.Concatenate(axis=3)([c.Conv2D(3, 1)(x), x]), False),
        ("concat_width", (6, 6, 4), lambda x: c.Concatenate(axis=2)([x, c.Conv2D(4, 1)(x)]), False),
        ("pad", (6, 6, 4), lambda x: act(lambda t: tf.pad(t, [[0, 0], [1, 2], [2, 1], [0, 0]]))(x), False),
        ("mean_gap", (7, 7, 8), lambda x: c.GlobalAveragePooling2D()(x), False),
        ("mean_keepdims", (7, 7, 8), lambda x: act(lambda t: tf.reduce_mean(t, [1, 2], keepdims=True))(x), False),
        ("reshape", (4, 4, 6), lambda x: c.Reshape((16, 6))(c.Conv2D(6, 1)(x)), False),
        ("squeeze", (1, 1, 8), lambda x: act(lambda t: tf.squeeze(t, [1, 2]))(c.Conv2D(8, 1)(x)), False),
    ]


def dilated_models():
    """Dilated convolutions: the converter writes them as SPACE_TO_BATCH_ND,
    a convolution and BATCH_TO_SPACE_ND, which qaccel folds back."""
    c = layers
    return [
        ("conv_dilation2", (10, 10, 3), lambda x: c.Conv2D(4, 3, dilation_rate=2, padding="same")(x), False),
        ("dwconv_dilation2", (10, 10, 4), lambda x: c.DepthwiseConv2D(3, dilation_rate=2)(x), False),
        # With a dynamic batch the converter writes SPACE_TO_BATCH_ND, a
        # convolution and BATCH_TO_SPACE_ND instead; qaccel folds them back.
        ("conv_dilation2_s2b", (10, 10, 3), lambda x: c.Conv2D(4, 3, dilation_rate=2, padding="same")(x), False),
        ("dwconv_dilation2_s2b", (9, 9, 4), lambda x: c.DepthwiseConv2D(3, dilation_rate=2)(x), False),
    ]


def digits(manifest):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)[..., None]
    xtr, xte, ytr, yte = train_test_split(x, d.target, test_size=0.25,
                                          random_state=0)
    def build(batch):
        return tf.keras.Sequential([
            layers.Input((8, 8, 1), batch_size=batch),
            layers.Conv2D(16, 3, activation="relu", padding="same"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10),
            layers.Softmax()])

    tf.keras.utils.set_random_seed(1)
    train = build(None)
    train.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    train.fit(xtr, ytr, epochs=30, batch_size=32, verbose=0)
    acc_f = float(train.evaluate(xte, yte, verbose=0)[1])
    # The converted model has a static batch of 1 (plain RESHAPE).
    m = build(1)
    m.set_weights(train.get_weights())
    emit("digits", m, xtr[:200], xte[:SAMPLES], manifest)
    path = os.path.join(OUT, "digits.tflite")
    xq = quantize_input(path, xte[:, None])
    np.save(os.path.join(OUT, "digits_test_int8.npy"), xq)
    np.save(os.path.join(OUT, "digits_test_labels.npy"), yte.astype(np.int64))
    res = {}
    for r in ("ref", "default"):
        pred = run(path, xq, r).reshape(len(yte), 10).argmax(1)
        res[r] = float((pred == yte).mean())
    info = {"float_accuracy": acc_f, "int8_accuracy_ref": res["ref"],
            "int8_accuracy_default": res["default"], "test_samples": len(yte),
            "tf_version": tf.__version__}
    with open(os.path.join(OUT, "digits.json"), "w") as f:
        json.dump(info, f, indent=1)
    print("digits", info, file=sys.stderr)


def mobilenet(manifest):
    tf.keras.utils.set_random_seed(2)
    # Logits out, no softmax: with a softmax after the classifier, TF 2.21's
    # BUILTIN_REF interpreter aborts in allocate_tensors() on this network
    # (softmax itself is covered by the operator models and digits).
    net = tf.keras.applications.MobileNetV2(alpha=0.35, input_shape=(96, 96, 3),
                                            weights=None, classes=10,
                                            classifier_activation=None)
    inp = layers.Input((96, 96, 3), batch_size=1)
    m = tf.keras.Model(inp, net(inp))
    r = np.random.default_rng(3)
    calib = r.uniform(-1, 1, (32, 96, 96, 3)).astype(np.float32)
    emit("mobilenet_v2", m, calib, calib[:SAMPLES], manifest)


def main():
    """Arguments pick parts: ops, digits, mobilenet_v2 (default: all). Each
    part runs in its own process (TFLite state accumulates otherwise);
    manifest.json keeps the entries of parts not rerun."""
    os.makedirs(OUT, exist_ok=True)
    parts = sys.argv[1:] or ["ops", "dilation", "digits", "mobilenet_v2"]
    if len(parts) > 1:
        for part in parts:
            subprocess.run([sys.executable, __file__, part], check=True)
        return
    manifest = []
    if parts[0] in ("ops", "dilation"):
        for name, shape, body, per_tensor in (op_models() if parts[0] == "ops"
                                              else dilated_models()):
            tf.keras.utils.set_random_seed(sum(map(ord, name)))
            # A static batch of 1 keeps RESHAPE shapes constant (no SHAPE ops).
            inp = layers.Input(shape, batch_size=None if name.endswith("_s2b") else 1)
            model = tf.keras.Model(inp, body(inp))
            r = np.random.default_rng(sum(map(ord, name)))
            calib = r.uniform(-2, 2, (64,) + shape).astype(np.float32)
            emit(name, model, calib, calib[:SAMPLES], manifest, per_tensor)
    elif parts[0] == "digits":
        digits(manifest)
    else:
        mobilenet(manifest)
    path = os.path.join(OUT, "manifest.json")
    old = []
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)["models"]
    names = {e["name"] for e in manifest}
    merged = [e for e in old if e["name"] not in names] + manifest
    with open(path, "w") as f:
        json.dump({"tf_version": tf.__version__, "models": merged}, f, indent=1)
    # The same list as plain lines for the C harness: name file input ref default.
    with open(os.path.join(OUT, "manifest.txt"), "w") as f:
        for e in sorted(merged, key=lambda e: e["name"]):
            f.write("%s %s %s %s %s\n" % (e["name"], e["file"], e["input"],
                                         e["ref"], e["default"]))


if __name__ == "__main__":
    main()
