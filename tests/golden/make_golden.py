#!/usr/bin/env python3
"""Builds qaccel's golden models with TensorFlow and records TFLite's outputs.

Run by hand on a developer machine (CI never runs it; its outputs are
committed); README.rst says how. Deterministic: every model, weight and
data set comes from a fixed seed.

For each model NAME it writes, in tests/golden/models/:
  NAME.tflite               int8 model, int8 input and output
  NAME_float_io.tflite      the same quantization, float input and output
  NAME_float.tflite         the unquantized float model
  NAME.calib.npy            the calibration set the converter was given
  NAME[_float_io].input.npy    samples stacked on a new axis 0
  NAME[_float_io].ref.npy      TFLite outputs, BUILTIN_REF kernels
  NAME[_float_io].default.npy  TFLite outputs, default kernels
and manifest.json / manifest.txt listing all of them.
"""
import json
import os
import subprocess
import sys

import numpy as np
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_models  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
SAMPLES = 3
OP_CALIB = 32
layers = tf.keras.layers
OP_NAMES = {v: k for k, v in vars(schema.BuiltinOperator).items()
            if not k.startswith("_")}


def seed_of(name):
    return sum(map(ord, name)) * 7919 % (2**31)


def convert(model, calib, quant, int8_io=False, per_tensor=False):
    """calib: float32 array of whole input tensors stacked on axis 0."""
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if quant:
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = lambda: ([c] for c in calib)
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if int8_io:
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    if per_tensor:
        conv._experimental_disable_per_channel = True
    return conv.convert()


def patch(flatbuffer, what):
    """Sets option `field` of every `op` to `value` (what = op, field, value)."""
    if what is None:
        return flatbuffer
    op_name, field, value = what
    m = flatbuffer_utils.convert_bytearray_to_object(bytearray(flatbuffer))
    hits = 0
    for sg in m.subgraphs:
        for op in sg.operators:
            oc = m.operatorCodes[op.opcodeIndex]
            if OP_NAMES[max(oc.builtinCode, oc.deprecatedBuiltinCode)] == op_name:
                setattr(op.builtinOptions, field, value)
                hits += 1
    assert hits, "nothing to patch"
    return bytes(flatbuffer_utils.convert_object_to_bytearray(m))


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
    """(operator names, operator versions) in execution order."""
    m = flatbuffer_utils.read_model(path)
    names, versions = [], []
    for op in m.subgraphs[0].operators:
        oc = m.operatorCodes[op.opcodeIndex]
        names.append(OP_NAMES.get(max(oc.builtinCode, oc.deprecatedBuiltinCode),
                                  "CODE_%d" % oc.builtinCode))
        versions.append(int(oc.version))
    return names, versions


def quantize_input(path, xf):
    it = tf.lite.Interpreter(model_path=path)
    scale, zp = it.get_input_details()[0]["quantization"]
    q = np.round(xf / scale) + zp
    return np.clip(q, -128, 127).astype(np.int8)


def save(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def emit(spec_name, model, calib, samples, manifest, per_tensor=False,
         fix=None, notes=""):
    """Writes the float, int8 and float-io models of one network and TFLite's
    outputs for them; calib and samples hold whole input tensors."""
    calib = calib.astype(np.float32)
    save(spec_name + "_float.tflite", patch(convert(model, calib, False), fix))
    np.save(os.path.join(OUT, spec_name + ".calib.npy"), calib)
    for int8_io in (True, False):
        tag = spec_name if int8_io else spec_name + "_float_io"
        path = os.path.join(OUT, tag + ".tflite")
        save(tag + ".tflite",
             patch(convert(model, calib, True, int8_io, per_tensor), fix))
        xs = samples.astype(np.float32)
        if int8_io:
            xs = quantize_input(path, xs)
        np.save(os.path.join(OUT, tag + ".input.npy"), xs)
        outs = {}
        for res in ("ref", "default"):
            outs[res] = run(path, xs, res)
            np.save(os.path.join(OUT, f"{tag}.{res}.npy"), outs[res])
        ops, versions = ops_of(path)
        manifest.append({
            "name": tag, "file": tag + ".tflite", "input": tag + ".input.npy",
            "ref": tag + ".ref.npy", "default": tag + ".default.npy",
            "float_io": not int8_io, "samples": len(xs),
            "input_shape": list(xs.shape[1:]), "input_dtype": str(xs.dtype),
            "output_shape": list(outs["ref"].shape[1:]),
            "output_dtype": str(outs["ref"].dtype),
            "ops": ops, "op_versions": versions,
            "float_model": spec_name + "_float.tflite",
            "calibration": spec_name + ".calib.npy",
            "ref_equals_default": bool(np.array_equal(outs["ref"],
                                                      outs["default"])),
            "notes": notes})
        print(tag, ops, file=sys.stderr)


def op_part(specs, manifest):
    for s in specs:
        tf.keras.utils.set_random_seed(seed_of(s.name))
        inp = layers.Input(s.shape, batch_size=s.batch)
        model = tf.keras.Model(inp, s.body(inp))
        batch = s.batch or 1
        r = np.random.default_rng(seed_of(s.name))
        calib = r.uniform(-2, 2, (OP_CALIB, batch) + s.shape)
        emit(s.name, model, calib, calib[:SAMPLES], manifest, s.per_tensor,
             s.patch, s.notes)


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
    emit("digits", m, xtr[:200, None], xte[:SAMPLES, None], manifest,
         notes="CNN trained on scikit-learn's digits; accuracy in digits.json")
    path = os.path.join(OUT, "digits.tflite")
    np.save(os.path.join(OUT, "digits_test.npy"), xte[:, None])
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
    # 16 random images keep the calibration file under 2 MB.
    calib = r.uniform(-1, 1, (16, 1, 96, 96, 3))
    emit("mobilenet_v2", m, calib, calib[:SAMPLES], manifest,
         notes="MobileNetV2 alpha 0.35, 96x96, random weights, 10 logits")


def mobilenet_bn(manifest):
    """The same network with BatchNorm statistics set from 64 random images
    (momentum 0, one training-mode pass), so every layer's activations keep
    their scale: the plain one's random init shrinks its logits to ~1e-10,
    all one int8 value, which makes an output SQNR meaningless. The
    quantization accuracy tests (tests/quant) measure on this one."""
    tf.keras.utils.set_random_seed(2)
    net = tf.keras.applications.MobileNetV2(alpha=0.35, input_shape=(96, 96, 3),
                                            weights=None, classes=10,
                                            classifier_activation=None)
    fit = np.random.default_rng(5).uniform(-1, 1, (64, 96, 96, 3))
    for layer in net.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.momentum = 0.0
    net(fit.astype(np.float32), training=True)
    inp = layers.Input((96, 96, 3), batch_size=1)
    m = tf.keras.Model(inp, net(inp))
    calib = np.random.default_rng(6).uniform(-1, 1, (16, 1, 96, 96, 3))
    emit("mobilenet_v2_bn", m, calib, calib[:SAMPLES], manifest,
         notes="MobileNetV2 alpha 0.35, 96x96, random weights, BatchNorm "
               "statistics fitted to random images: logits of order 1")


def write_manifest(manifest):
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


def main():
    """Arguments pick parts: ops, dilation, digits, mobilenet_v2,
    mobilenet_v2_bn (default:
    all, then check_manifest.py). Each part runs in its own process (TFLite
    state accumulates otherwise); manifest.json keeps the entries of parts
    not rerun."""
    os.makedirs(OUT, exist_ok=True)
    parts = sys.argv[1:] or ["ops", "dilation", "digits", "mobilenet_v2",
                             "mobilenet_v2_bn"]
    if len(parts) > 1 or not sys.argv[1:]:
        if not sys.argv[1:]:    # a full run: no stale manifest entries
            for f in ("manifest.json", "manifest.txt"):
                if os.path.exists(os.path.join(OUT, f)):
                    os.remove(os.path.join(OUT, f))
        for part in parts:
            subprocess.run([sys.executable, __file__, part], check=True)
        if not sys.argv[1:]:
            check = os.path.join(os.path.dirname(__file__), "check_manifest.py")
            subprocess.run([sys.executable, check], check=True)
        return
    manifest = []
    if parts[0] == "ops":
        op_part(golden_models.op_specs(), manifest)
    elif parts[0] == "dilation":
        op_part(golden_models.dilated_specs(), manifest)
    elif parts[0] == "digits":
        digits(manifest)
    elif parts[0] == "mobilenet_v2":
        mobilenet(manifest)
    elif parts[0] == "mobilenet_v2_bn":
        mobilenet_bn(manifest)
    else:
        sys.exit("unknown part " + parts[0])
    write_manifest(manifest)


if __name__ == "__main__":
    main()
