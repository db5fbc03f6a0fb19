#!/usr/bin/env python3
"""Checks the golden files against manifest.json and prints a summary.

Every listed file must exist; TensorFlow Lite's own interpreter must load
each model and name the same operators as the manifest; an int8-io model
may hold only operators qaccel supports (a float-io one also QUANTIZE and
DEQUANTIZE at its edges); inputs and outputs must have the recorded shapes
and types. Exits non-zero on any problem. Needs TensorFlow (README.rst).
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")

SUPPORTED = {
    "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "SUB", "MUL",
    "MAX_POOL_2D", "AVERAGE_POOL_2D", "SOFTMAX", "LOGISTIC", "TANH",
    "HARD_SWISH", "RELU", "RELU6", "LEAKY_RELU", "CONCATENATION", "PAD",
    "MEAN", "RESHAPE", "SQUEEZE", "QUANTIZE",
    # Only around a dilated convolution, which qaccel folds back into one.
    "SPACE_TO_BATCH_ND", "BATCH_TO_SPACE_ND",
}
EDGES = {"QUANTIZE", "DEQUANTIZE"}
REF = tf.lite.experimental.OpResolverType.BUILTIN_REF


def problems_of(e):
    bad = []
    for key in ("file", "input", "ref", "default", "float_model", "calibration"):
        if not os.path.exists(os.path.join(OUT, e[key])):
            bad.append("missing " + e[key])
    if bad:
        return bad
    # The reference resolver: the default one adds XNNPACK's DELEGATE nodes.
    it = tf.lite.Interpreter(
        model_path=os.path.join(OUT, e["file"]),
        experimental_op_resolver_type=REF)
    it.allocate_tensors()
    ops = [d["op_name"] for d in it._get_ops_details()]
    if ops != e["ops"]:
        bad.append("interpreter ops %s, manifest %s" % (ops, e["ops"]))
    allowed = SUPPORTED | (EDGES if e["float_io"] else set())
    extra = sorted(set(ops) - allowed)
    if extra:
        bad.append("unsupported ops " + ",".join(extra))
    want = np.float32 if e["float_io"] else np.int8
    i, o = it.get_input_details()[0], it.get_output_details()[0]
    if i["dtype"] != want or o["dtype"] != want:
        bad.append("input/output types %s/%s" % (i["dtype"], o["dtype"]))
    x = np.load(os.path.join(OUT, e["input"]))
    c = np.load(os.path.join(OUT, e["calibration"]))
    if x.dtype != want or list(x.shape[1:]) != list(i["shape"]):
        bad.append("input file %s %s" % (x.dtype, x.shape))
    if c.dtype != np.float32 or c.shape[1:] != x.shape[1:]:
        bad.append("calibration file %s %s" % (c.dtype, c.shape))
    for key in ("ref", "default"):
        y = np.load(os.path.join(OUT, e[key]))
        if y.dtype != want or len(y) != len(x) or \
                list(y.shape[1:]) != list(o["shape"]):
            bad.append("%s file %s %s" % (key, y.dtype, y.shape))
    f = tf.lite.Interpreter(model_path=os.path.join(OUT, e["float_model"]))
    if f.get_input_details()[0]["dtype"] != np.float32:
        bad.append("float model is not float")
    return bad


def main():
    with open(os.path.join(OUT, "manifest.json")) as f:
        m = json.load(f)
    print("TensorFlow %s (manifest: %s), %d models" %
          (tf.__version__, m["tf_version"], len(m["models"])))
    failed = 0
    for e in m["models"]:
        bad = problems_of(e)
        failed += bool(bad)
        pairs = ["%s/v%d" % p for p in zip(e["ops"], e["op_versions"])]
        if len(pairs) > 8:      # a network: each operator once, with a count
            pairs = ["%dx%s" % (pairs.count(p), p)
                     for p in sorted(set(pairs), key=pairs.index)]
        ops = " ".join(pairs)
        print("%-4s %-30s %s%s" % ("BAD" if bad else "ok", e["name"], ops,
                                   "" if e["ref_equals_default"]
                                   else "  [default kernels differ]"))
        for b in bad:
            print("     " + b)
    with open(os.path.join(OUT, "digits.json")) as f:
        print("digits:", json.load(f))
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print("%d files, %.2f MiB" % (len(os.listdir(OUT)), total / 2**20))
    if failed:
        sys.exit("%d models with problems" % failed)


if __name__ == "__main__":
    main()
