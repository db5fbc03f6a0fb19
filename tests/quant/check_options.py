"""`qaccel quantize`'s options: every calibration method, per-tensor
weights, float input and output, a bound on the samples, the report. Each
quantized model must still run through qaccel bit for bit as through
TFLite's reference kernels; the figures of each method are printed."""
import json
import os
from xml.etree import ElementTree

import numpy as np

import quant_eval
import tap
import tflite_conventions
from qharness import GOLDEN, interpreter, model_inputs, output_float, qaccel, tfl

METHODS = ("minmax", "percentile:99.99", "mse", "entropy")


def _quantize(r, name, tag, extra, calib=None):
    """Quantizes NAME_float.tflite with extra options; the path or None."""
    out = os.path.join(r.tmp, "%s.%s.tflite" % (name, tag))
    calib = calib or os.path.join(GOLDEN, name + ".calib.npy")
    rc, err = qaccel(r.tool, "quantize",
                     os.path.join(GOLDEN, name + "_float.tflite"),
                     "--calib", calib, "-o", out, *extra)
    if rc != 0 or not os.path.exists(out):
        tap.diag("quantize %s %s: exit %d: %s" % (name, " ".join(extra), rc,
                                                  err.strip()))
        return None
    return out


def _bit_exact(r, title, path, xf):
    """qaccel's ref backend against TFLite's reference kernels on the float
    samples xf (quantized for the model when its input is int8); returns
    qaccel's outputs as floats, or None."""
    if path is None:
        tap.result(False, title, "no quantized model")
        return None
    x = model_inputs(path, xf)
    want = quant_eval.run_interpreter(interpreter(path, True), x)
    got, err = r.run(path, x, "ref")
    ok = got is not None and got.dtype == want.dtype and \
        got.shape == want.shape and np.array_equal(got, want)
    if got is None:
        why = err
    else:
        why = "%s %s vs TFLite %s %s, %d differ" % (
            got.dtype, got.shape, want.dtype, want.shape,
            int((got != want).sum()) if got.shape == want.shape else -1)
    tap.result(ok, title, why)
    return output_float(path, got) if ok else None


def methods(r):
    xt = np.load(os.path.join(GOLDEN, "digits_test.npy"))
    labels = np.load(os.path.join(GOLDEN, "digits_test_labels.npy"))
    ev = quant_eval.mobilenet_eval_set()
    mf = quant_eval.run_interpreter(interpreter(
        os.path.join(GOLDEN, "mobilenet_v2_bn_float.tflite"), False), ev)
    for m in METHODS:
        tag = m.replace(":", "")
        d = _quantize(r, "digits", tag, ["--method", m])
        y = _bit_exact(r, "digits --method %s: ref backend equals TFLite's "
                       "reference kernels on the test set" % m, d, xt)
        if y is not None:
            tap.diag("digits --method %s: accuracy %.2f%%" % (
                m, 100 * quant_eval.accuracy(y, labels)))
        mb = _quantize(r, "mobilenet_v2_bn", tag, ["--method", m])
        y = _bit_exact(r, "mobilenet_v2_bn --method %s: ref backend equals "
                       "TFLite's reference kernels" % m, mb, ev)
        if y is not None:
            tap.diag("mobilenet_v2_bn --method %s: output SQNR %.2f dB" % (
                m, quant_eval.sqnr_db(mf, y)))


def per_tensor(r):
    name = "conv_per_tensor"
    p = _quantize(r, name, "pt", ["--per-tensor"])
    scales = []
    if p:
        it = tfl.Interpreter(model_path=p)
        it.allocate_tensors()
        for od in it._get_ops_details():
            if od["op_name"] in tflite_conventions.WEIGHTED:
                t = it.get_tensor_details()[od["inputs"][1]]
                scales.append(len(t["quantization_parameters"]["scales"]))
    tap.result(bool(scales) and set(scales) == {1}, "%s --per-tensor: one "
               "scale per weight tensor" % name, "scales per tensor: %s" % scales)
    _bit_exact(r, "%s --per-tensor: ref backend equals TFLite's reference "
               "kernels" % name, p, np.load(os.path.join(GOLDEN, name +
                                                        ".calib.npy")))


def float_io(r):
    for name in ("conv_relu", "digits", "softmax"):
        p = _quantize(r, name, "fio", ["--io", "float"])
        io = None
        if p:
            it = tfl.Interpreter(model_path=p)
            io = (it.get_input_details()[0]["dtype"],
                  it.get_output_details()[0]["dtype"])
        tap.result(io == (np.float32, np.float32), "%s --io float: float32 "
                   "input and output" % name, "got %s" % (io,))
        _bit_exact(r, "%s --io float: ref backend's float outputs equal "
                   "TFLite's reference kernels' bytes" % name, p,
                   np.load(os.path.join(GOLDEN, name + ".calib.npy")))


def max_samples(r):
    name = "digits"
    c = np.load(os.path.join(GOLDEN, name + ".calib.npy"))
    first = os.path.join(r.tmp, "first7.npy")
    np.save(first, c[:7])
    a = _quantize(r, name, "max7", ["--max-samples", "7"])
    b = _quantize(r, name, "first7", [], calib=first)
    full = _quantize(r, name, "full", [])
    same = bool(a and b) and open(a, "rb").read() == open(b, "rb").read()
    tap.result(same, "%s --max-samples 7 gives the bytes of a calibration "
               "file of its first 7 samples" % name)
    differs = bool(a and full) and open(a, "rb").read() != \
        open(full, "rb").read()
    tap.result(differs, "%s --max-samples 7 is not the whole set's model" %
               name)


def report(r):
    """The report's model-output SQNR must be what we measure ourselves on
    the calibration set (TFLite's float run, qaccel's int8 run)."""
    name = "digits"
    rep = os.path.join(r.tmp, "report")
    p = _quantize(r, name, "rep", ["--report", rep])
    js = rep + ".json" if os.path.exists(rep + ".json") else rep
    data = None
    try:
        with open(js) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        tap.diag("report %s: %s" % (js, e))
    tap.result(data is not None, "%s --report writes JSON" % name)
    layers = (data or {}).get("layers", [])
    ok = bool(layers) and all("sqnr_db" in lay and "scale" in lay
                              for lay in layers)
    tap.result(ok, "%s --report: every layer has its scale and SQNR" % name,
               "layers: %s" % json.dumps(layers)[:300])
    c = np.load(os.path.join(GOLDEN, name + ".calib.npy"))
    yf = quant_eval.run_interpreter(interpreter(
        os.path.join(GOLDEN, name + "_float.tflite"), False), c)
    yq, err = r.run(p, model_inputs(p, c), "ref") if p else (None, "")
    mine = quant_eval.sqnr_db(yf, output_float(p, yq)) \
        if yq is not None else None
    theirs = (data or {}).get("output_sqnr_db")
    try:
        svg = ElementTree.parse(rep + ".svg").getroot().tag
    except (OSError, ElementTree.ParseError) as e:
        svg = str(e)
    tap.result(svg.endswith("svg"), "%s --report: the SQNR plot is an SVG "
               "document" % name, "root: %s" % svg)
    text = open(rep).read() if os.path.exists(rep) else ""
    tap.result(all(lay["op"] in text for lay in layers) and bool(layers),
               "%s --report: the text table names every layer" % name,
               text[:400])
    if p:
        o = tfl.Interpreter(model_path=p).get_output_details()[0]
        want = float(o["quantization"][0])
    last = layers[-1].get("scale") if layers else None
    tap.result(p is not None and isinstance(last, float) and
               abs(last - want) <= 1e-6 * want, "%s --report: the last "
               "layer's scale is the model output's" % name,
               "report %s" % last)
    tap.result(mine is not None and isinstance(theirs, (int, float)) and
               abs(mine - theirs) < 0.1, "%s --report: output SQNR %s dB is "
               "what TFLite and qaccel give here (%s dB)" % (
                   name, theirs, None if mine is None else round(mine, 2)))


def run(r):
    methods(r)
    per_tensor(r)
    float_io(r)
    max_samples(r)
    report(r)
