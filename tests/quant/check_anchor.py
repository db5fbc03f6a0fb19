"""The accuracy anchor: qaccel's quantized digits CNN and MobileNet-style
network against what TensorFlow's converter made of the same float models
from the same calibration samples (anchor.json, by make_anchor.py). TF's
side is measured again here too, on the committed golden int8 models that
make_anchor.py found to answer exactly like its own conversion, so both
sides are judged by the same float run and the same code."""
import hashlib
import json
import os

import numpy as np

import quant_eval
import tap
from qharness import GOLDEN, HERE, interpreter, model_inputs, output_float

MAX_DROP = 0.005        # digits: at most 0.5 accuracy points below float


def _tflite_ref(path, xf):
    """TFLite's reference kernels on path, float samples in, float out."""
    y = quant_eval.run_interpreter(interpreter(path, True),
                                   model_inputs(path, xf))
    return output_float(path, y)


def _qaccel(r, path, xf):
    y, err = r.run(path, model_inputs(path, xf), "ref")
    if y is None:
        tap.diag(err)
        return None
    return output_float(path, y)


def digits(r, model, a):
    x = np.load(os.path.join(GOLDEN, "digits_test.npy"))
    labels = np.load(os.path.join(GOLDEN, "digits_test_labels.npy"))
    yf = quant_eval.run_interpreter(
        interpreter(os.path.join(GOLDEN, "digits_float.tflite"), False), x)
    acc_f = quant_eval.accuracy(yf, labels)
    acc_tf = quant_eval.accuracy(
        _tflite_ref(os.path.join(GOLDEN, "digits.tflite"), x), labels)
    tap.result(acc_f == a["float_accuracy"] and acc_tf == a["tf_int8_accuracy"],
               "digits: float and TF int8 accuracy here are anchor.json's",
               "here float %.4f TF %.4f, anchor.json float %.4f TF %.4f" % (
                   acc_f, acc_tf, a["float_accuracy"], a["tf_int8_accuracy"]))
    yq = _qaccel(r, model, x) if model else None
    acc_q = quant_eval.accuracy(yq, labels) if yq is not None else -1.0
    tap.diag("digits test accuracy on %d images: float %.2f%%, TF int8 %.2f%%"
             ", qaccel int8 %.2f%%" % (len(labels), 100 * acc_f, 100 * acc_tf,
                                       100 * acc_q))
    if yq is not None:
        tap.diag("digits output SQNR vs float: TF int8 %.2f dB, qaccel int8 "
                 "%.2f dB" % (a["tf_int8_output_sqnr_db"],
                              quant_eval.sqnr_db(yf, yq)))
    tap.result(acc_q >= acc_tf, "digits: qaccel int8 accuracy %.4f >= TF "
               "int8 %.4f" % (acc_q, acc_tf))
    tap.result(acc_q >= acc_f - MAX_DROP - 1e-12, "digits: qaccel int8 "
               "accuracy %.4f at most 0.5 points below float %.4f" % (
                   acc_q, acc_f))


def mobilenet(r, model, a):
    name = "mobilenet_v2_bn"
    x = quant_eval.mobilenet_eval_set()
    sha = hashlib.sha256(x.tobytes()).hexdigest()
    tap.result(sha == a["eval_set_sha256"], "%s: evaluation images are "
               "anchor.json's" % name, "sha256 %s here" % sha)
    yf = quant_eval.run_interpreter(
        interpreter(os.path.join(GOLDEN, name + "_float.tflite"), False), x)
    s_tf = quant_eval.sqnr_db(yf, _tflite_ref(
        os.path.join(GOLDEN, name + ".tflite"), x))
    # The float run may differ in the last bits between TFLite builds.
    tap.result(abs(s_tf - a["tf_int8_output_sqnr_db"]) < 0.01,
               "%s: TF int8 output SQNR here is anchor.json's" % name,
               "here %.4f dB, anchor.json %.4f dB" % (
                   s_tf, a["tf_int8_output_sqnr_db"]))
    yq = _qaccel(r, model, x) if model else None
    s_q = quant_eval.sqnr_db(yf, yq) if yq is not None else float("-inf")
    tap.diag("%s output SQNR vs float on %d images: TF int8 %.2f dB, qaccel "
             "int8 %.2f dB" % (name, len(x), s_tf, s_q))
    tap.result(s_q >= s_tf, "%s: qaccel int8 output SQNR %.2f dB >= TF int8 "
               "%.2f dB" % (name, s_q, s_tf))


def run(r, quantized):
    """quantized: network name -> qaccel's quantized model (or None)."""
    with open(os.path.join(HERE, "anchor.json")) as f:
        a = json.load(f)
    digits(r, quantized.get("digits"), a["digits"])
    mobilenet(r, quantized.get("mobilenet_v2_bn"), a["mobilenet_v2_bn"])
