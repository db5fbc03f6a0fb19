#!/usr/bin/env python3
"""Records what TensorFlow's own converter achieves on qaccel's float golden
models: the accuracy anchor check-quant holds `qaccel quantize` to.

Run by hand on a developer machine (CI never runs it: it needs the whole of
TensorFlow); its output, tests/quant/anchor.json, is committed. README.rst
beside this file says how. For the digits CNN and the MobileNetV2-style
network (mobilenet_v2_bn) it

  1. rebuilds the committed float .tflite as a TensorFlow graph, weights
     taken from the file itself, and checks the graph computes what TFLite
     computes from the file (so both quantizers start from the same model);
  2. quantizes that graph with TFLiteConverter, full-integer post-training
     quantization (int8 weights per channel, int8 activations, int8 input
     and output), calibrated on the same NAME.calib.npy qaccel is given;
  3. measures: digits test accuracy (float model; TF's int8 model on
     TFLite's reference kernels) and the MobileNet-style output's SQNR
     against the float model on a seeded held-out set of images.
"""
import hashlib
import json
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import quant_eval  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "golden", "models")
OUT_DIR = os.path.join(HERE, "..", "..", "build", "quant-anchor")
OPS = {v: k for k, v in vars(schema.BuiltinOperator).items()
       if not k.startswith("_")}
ACT = {0: tf.identity, 1: tf.nn.relu, 3: tf.nn.relu6}
PAD = {0: "SAME", 1: "VALID"}


def const(m, t):
    """The float32 constant behind tensor t (None for activations)."""
    data = m.buffers[t.buffer].data
    if data is None or len(data) == 0:
        return None
    dt = {schema.TensorType.FLOAT32: np.float32,
          schema.TensorType.INT32: np.int32,
          schema.TensorType.INT64: np.int64}[t.type]
    return np.frombuffer(bytes(data), dt).reshape(t.shape)


def graph_of(path):
    """A tf.function computing the float model in `path` op by op: only the
    operators the digits CNN and MobileNetV2 use, anything else stops."""
    m = flatbuffer_utils.read_model(path)
    sg = m.subgraphs[0]
    consts = {i: const(m, t) for i, t in enumerate(sg.tensors)}
    shape = [int(d) for d in sg.tensors[sg.inputs[0]].shape]

    def body(x):
        v = {sg.inputs[0]: x}

        def arg(i):
            return v[i] if consts[i] is None else tf.constant(consts[i])

        for op in sg.operators:
            oc = m.operatorCodes[op.opcodeIndex]
            name = OPS[max(oc.builtinCode, oc.deprecatedBuiltinCode)]
            o = op.builtinOptions
            a = [int(i) for i in op.inputs]
            if name == "CONV_2D":
                w = tf.constant(np.transpose(consts[a[1]], (1, 2, 3, 0)))
                y = tf.nn.conv2d(arg(a[0]), w, [1, o.strideH, o.strideW, 1],
                                 PAD[o.padding],
                                 dilations=[1, o.dilationHFactor,
                                            o.dilationWFactor, 1])
                y = ACT[o.fusedActivationFunction](tf.nn.bias_add(y, arg(a[2])))
            elif name == "DEPTHWISE_CONV_2D":
                k = consts[a[1]]       # [1, H, W, C * M]
                cin = int(sg.tensors[a[0]].shape[3])
                w = tf.constant(k.reshape(k.shape[1], k.shape[2], cin, -1))
                y = tf.nn.depthwise_conv2d(
                    arg(a[0]), w, [1, o.strideH, o.strideW, 1],
                    PAD[o.padding],
                    dilations=[o.dilationHFactor, o.dilationWFactor])
                y = ACT[o.fusedActivationFunction](tf.nn.bias_add(y, arg(a[2])))
            elif name == "FULLY_CONNECTED":
                y = tf.matmul(arg(a[0]), tf.constant(consts[a[1]].T))
                if len(a) > 2 and a[2] >= 0:
                    y = tf.nn.bias_add(y, arg(a[2]))
                y = ACT[o.fusedActivationFunction](y)
            elif name == "ADD":
                y = ACT[o.fusedActivationFunction](arg(a[0]) + arg(a[1]))
            elif name == "MAX_POOL_2D":
                y = tf.nn.max_pool2d(arg(a[0]), [o.filterHeight, o.filterWidth],
                                     [o.strideH, o.strideW], PAD[o.padding])
                y = ACT[o.fusedActivationFunction](y)
            elif name == "RESHAPE":
                y = tf.reshape(arg(a[0]), consts[a[1]])
            elif name == "MEAN":
                y = tf.reduce_mean(arg(a[0]), axis=consts[a[1]].tolist(),
                                   keepdims=bool(o.keepDims))
            elif name == "SOFTMAX":
                y = tf.nn.softmax(o.beta * arg(a[0]))
            else:
                sys.exit("%s: operator %s not rebuilt" % (path, name))
            v[int(op.outputs[0])] = y
        return v[sg.outputs[0]]

    return tf.function(body, input_signature=[tf.TensorSpec(shape, tf.float32)])


def tf_run(path, xs, ref=False):
    kw = {}
    if ref:
        kw["experimental_op_resolver_type"] = \
            tf.lite.experimental.OpResolverType.BUILTIN_REF
    it = tf.lite.Interpreter(model_path=path, **kw)
    it.allocate_tensors()
    return quant_eval.run_interpreter(it, xs)


def convert(fn, calib):
    conv = tf.lite.TFLiteConverter.from_concrete_functions(
        [fn.get_concrete_function()], fn)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([c] for c in calib)
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()


def anchor(name, eval_x):
    """Quantizes NAME_float.tflite with TF; returns (float outputs, TF int8
    outputs dequantized, rebuild error, whether the committed NAME.tflite
    gives the same int8 outputs) on eval_x."""
    fpath = os.path.join(GOLDEN, name + "_float.tflite")
    calib = np.load(os.path.join(GOLDEN, name + ".calib.npy"))
    fn = graph_of(fpath)
    y_float = tf_run(fpath, eval_x)
    y_graph = np.stack([fn(x).numpy() for x in eval_x])
    err = float(np.abs(y_graph - y_float).max() / np.abs(y_float).max())
    if err > 1e-4:
        sys.exit("%s: the rebuilt graph differs from TFLite's float run "
                 "(relative %g)" % (name, err))
    qpath = os.path.join(OUT_DIR, name + "_tf_int8.tflite")
    with open(qpath, "wb") as f:
        f.write(convert(fn, calib.astype(np.float32)))
    it = tf.lite.Interpreter(model_path=qpath)
    iq = it.get_input_details()[0]["quantization"]
    oq = it.get_output_details()[0]["quantization"]
    y_q = tf_run(qpath, quant_eval.quantize(eval_x, *iq), ref=True)
    # The golden int8 model came from the Keras model through the same
    # converter and calibration set; when it answers alike, check-quant can
    # measure TF's side live with it (same float run, same code).
    gpath = os.path.join(GOLDEN, name + ".tflite")
    same = np.array_equal(y_q, tf_run(gpath, quant_eval.quantize(eval_x, *iq),
                                      ref=True))
    return y_float, quant_eval.dequantize(y_q, *oq), err, bool(same)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    xt = np.load(os.path.join(GOLDEN, "digits_test.npy"))
    labels = np.load(os.path.join(GOLDEN, "digits_test_labels.npy"))
    yf, yq, err_d, same_d = anchor("digits", xt)
    ev = quant_eval.mobilenet_eval_set()
    mf, mq, err_m, same_m = anchor("mobilenet_v2_bn", ev)
    res = {
        "tf_version": tf.__version__,
        "method": "TFLiteConverter full-integer PTQ (Optimize.DEFAULT, "
                  "TFLITE_BUILTINS_INT8, int8 input and output, per-channel "
                  "weights), calibrated on NAME.calib.npy; int8 model run "
                  "on TFLite's reference kernels",
        "digits": {
            "test_samples": int(len(labels)),
            "float_accuracy": quant_eval.accuracy(yf, labels),
            "tf_int8_accuracy": quant_eval.accuracy(yq, labels),
            "tf_int8_output_sqnr_db": quant_eval.sqnr_db(yf, yq),
            "rebuild_relative_error": err_d,
            "golden_int8_gives_the_same_outputs": same_d,
        },
        "mobilenet_v2_bn": {
            "why": "mobilenet_v2_bn, not mobilenet_v2: the plain one's "
                   "logits are ~1e-10, one int8 value for every image "
                   "(SQNR 0 dB for any quantizer)",
            "eval_set": quant_eval.EVAL_SET_DOC,
            "eval_set_sha256": hashlib.sha256(ev.tobytes()).hexdigest(),
            "tf_int8_output_sqnr_db": quant_eval.sqnr_db(mf, mq),
            "rebuild_relative_error": err_m,
            "golden_int8_gives_the_same_outputs": same_m,
        },
    }
    with open(os.path.join(HERE, "anchor.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    json.dump(res, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
