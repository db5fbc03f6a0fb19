#!/usr/bin/env python3
"""TAP: `qaccel quantize` against TensorFlow Lite.

For every float golden model (tests/golden/models/NAME_float.tflite with its
NAME.calib.npy): qaccel quantizes it; TFLite loads the result with its
default kernels; the file follows TFLite's int8 conventions; qaccel's ref,
cpu and opencl backends give, byte for byte, what TFLite's reference
kernels give running the same file on the same int8 inputs (calibration
set and random ones); under ASan/UBSan the
quantizer writes the same bytes. Then the accuracy anchor (anchor.json,
made by make_anchor.py with TensorFlow's converter): qaccel's digits CNN
and MobileNet-style network must do no worse than TF's, and digits must
lose at most 0.5 accuracy points against float. Then the options (every
calibration method, per-tensor, float io, a sample bound, the report) and
bad input to the CLI: a message, a non-zero exit, and nothing written.

Runs in the venv tests/quant/setup-tflite.sh makes (numpy + TFLite).
  check_quant.py QACCEL [QACCEL_SAN]
"""
import json
import os
import shutil
import sys
import tempfile
import traceback

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_anchor  # noqa: E402
import check_cli  # noqa: E402
import check_options  # noqa: E402
import quant_eval  # noqa: E402
import tap  # noqa: E402
import tflite_conventions  # noqa: E402
from qharness import GOLDEN, Runner, interpreter, model_inputs, tfl  # noqa: E402

RANDOM_SAMPLES = 200
# opencl runs on the CPU through PoCL here; where this libqaccel has no
# OpenCL backend or finds no device, its tests say SKIP with qaccel's reason.
BACKENDS = ("ref", "cpu", "opencl")


def same_bytes(name, got, want, what):
    if got is None:
        return tap.result(False, name, what)
    ok = got.dtype == want.dtype and got.shape == want.shape and \
        np.array_equal(got, want)
    diag = ""
    if not ok:
        diag = "qaccel %s %s vs TFLite %s %s" % (got.dtype, got.shape,
                                                want.dtype, want.shape)
        if got.shape == want.shape:
            d = np.abs(got.astype(np.int64) - want.astype(np.int64))
            diag += "; %d of %d values differ, by up to %d" % (
                int((d != 0).sum()), d.size, int(d.max()))
    return tap.result(ok, name, diag)


def check_network(r, net):
    """The per-network tests; returns the quantized model's path or None."""
    name = net["name"]
    fmodel = os.path.join(GOLDEN, net["float_model"])
    calib = os.path.join(GOLDEN, net["calibration"])
    out = os.path.join(r.tmp, name + ".tflite")
    rc, err = r.quantize(fmodel, calib, out)
    made = rc == 0 and os.path.exists(out)
    tap.result(made, "%s: qaccel quantize writes a model" % name,
               "exit %d: %s" % (rc, err))
    # The backend tests run the calibration set and random int8 inputs.
    titles = ["TFLite loads it with its default kernels and runs it",
              "TFLite's int8 conventions (weights, bias, fixed outputs)"] + \
        ["%s backend equals TFLite's reference kernels, byte for byte" % b
         for b in BACKENDS]
    if r.san:
        titles.append("under ASan/UBSan the quantizer writes the same bytes")
    if not made:
        for t in titles:
            tap.result(False, "%s: %s" % (name, t), "no quantized model")
        return None

    x = model_inputs(out, np.load(calib).astype(np.float32))
    if x.dtype == np.int8:
        # Random int8 inputs too: rounding ties are rare, and every int8
        # input is one the model must run the way TFLite runs it.
        rng = np.random.default_rng(sum(map(ord, name)))
        n = 4 if "mobilenet" in name else RANDOM_SAMPLES
        x = np.concatenate([x, rng.integers(-128, 128, (n,) + x.shape[1:],
                                            dtype=np.int8)])
    try:
        quant_eval.run_interpreter(interpreter(out, False), x[:3])
        tap.result(True, "%s: %s (%s)" % (name, titles[0], "3 samples"))
    except Exception as e:          # noqa: BLE001 - TFLite's own refusal
        tap.result(False, "%s: %s" % (name, titles[0]), repr(e))
    try:
        problems = tflite_conventions.check(tfl.Interpreter(
            model_path=out,
            experimental_op_resolver_type=tfl.OpResolverType.BUILTIN_REF))
    except Exception as e:          # noqa: BLE001
        problems = ["TFLite's reference kernels refuse it: %s" % e]
    tap.result(not problems, "%s: %s" % (name, titles[1]),
               "\n".join(problems[:10]))
    try:
        want = quant_eval.run_interpreter(interpreter(out, True), x)
    except Exception as e:          # noqa: BLE001
        want = None
        tap.diag("TFLite's reference kernels refuse it: %r" % e)
    for backend, t in zip(BACKENDS, titles[2:]):
        if backend in r.unavailable:
            tap.skip("%s: %s" % (name, t), r.unavailable[backend])
            continue
        got, err = r.run(out, x, backend)
        if want is None:
            tap.result(False, "%s: %s" % (name, t), "no TFLite output")
        else:
            same_bytes("%s: %s (%d samples)" % (name, t, len(x)), got, want,
                       err)
    if r.san:
        sout = os.path.join(r.tmp, name + ".san.tflite")
        rc, err = r.quantize(fmodel, calib, sout, tool=r.san)
        ok = rc == 0 and os.path.exists(sout) and \
            open(sout, "rb").read() == open(out, "rb").read()
        tap.result(ok, "%s: %s" % (name, titles[-1]), "exit %d: %s" % (rc, err))
    return out


def guarded(what, fn, *args):
    """Runs one part; an exception is a failed test, and the rest still
    runs (the plan at the end counts what did)."""
    try:
        return fn(*args)
    except Exception:               # noqa: BLE001
        tap.result(False, "%s: the harness stopped" % what,
                   traceback.format_exc())
        return None


def main():
    tool = sys.argv[1]
    san = sys.argv[2] if len(sys.argv) > 2 and os.access(sys.argv[2], os.X_OK) \
        else None
    tmp = tempfile.mkdtemp(prefix="check-quant.")
    try:
        r = Runner(tool, san, tmp)
        with open(os.path.join(GOLDEN, "manifest.json")) as f:
            nets = [e for e in json.load(f)["models"] if not e["float_io"]]
        quantized = {}
        for net in nets:
            quantized[net["name"]] = guarded(net["name"], check_network, r,
                                             net)
        guarded("anchor", check_anchor.run, r, quantized)
        guarded("options", check_options.run, r)
        guarded("bad input", check_cli.run, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    tap.done()


if __name__ == "__main__":
    main()
