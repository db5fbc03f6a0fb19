"""Bad input to `qaccel quantize`: each case must exit 1 (bad input) or 2
(bad usage) with a message on stderr that says what is wrong, write
nothing (no output file, no leftover temporary file, an existing output
untouched), and, under ASan/UBSan too, neither crash nor leak. Also the
good case of a calibration folder."""
import os
import re
import shutil

import numpy as np

import tap
from qharness import GOLDEN, qaccel

KEEP = b"an earlier file the failed run must leave alone\n"


def unsupported_model(path):
    """relu_float.tflite with its RELU turned into EXP, an operator qaccel
    does not support (a valid model: TFLite runs it). False if this TFLite
    package has no flatbuffer schema to do it with."""
    try:
        import flatbuffers
        from ai_edge_litert import schema_py_generated as schema
    except ImportError:
        return False
    with open(os.path.join(GOLDEN, "relu_float.tflite"), "rb") as f:
        m = schema.ModelT.InitFromPackedBuf(bytearray(f.read()), 0)
    for oc in m.operatorCodes:
        oc.builtinCode = oc.deprecatedBuiltinCode = schema.BuiltinOperator.EXP
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    with open(path, "wb") as f:
        f.write(b.Output())
    return True


def expect_failure(tools, name, args, out, rcs=(1,), says=None):
    """Runs quantize with args (-o out appended) under each tool; out's
    directory must look the same afterwards."""
    d = os.path.dirname(out)
    for tool in tools:
        if os.path.isdir(d):
            with open(out, "wb") as f:
                f.write(KEEP)
            before = sorted(os.listdir(d))
        rc, err = qaccel(tool, "quantize", *args, "-o", out)
        why = []
        if rc not in rcs:
            why.append("exit %d, wanted %s" % (rc, " or ".join(map(str, rcs))))
        if not err.strip():
            why.append("nothing on stderr")
        elif says and not re.search(says, err, re.I):
            why.append("stderr does not say /%s/" % says)
        if os.path.isdir(d):
            if sorted(os.listdir(d)) != before:
                why.append("files changed in %s: %s" % (
                    d, sorted(set(os.listdir(d)) ^ set(before))))
            elif open(out, "rb").read() != KEEP:
                why.append("the existing output file was overwritten")
            os.remove(out)
        elif os.path.exists(d):
            why.append("%s appeared" % d)
        tag = "" if tool == tools[0] else " [ASan/UBSan]"
        tap.result(not why, "quantize %s%s" % (name, tag),
                   "; ".join(why) + "\nstderr: " + err.strip())


def run(r):
    tools = [r.tool] + ([r.san] if r.san else [])
    t = os.path.join(r.tmp, "cli")
    os.makedirs(t)
    g = lambda n: os.path.join(GOLDEN, n)   # noqa: E731
    fm, calib = g("conv_relu_float.tflite"), g("conv_relu.calib.npy")
    c = np.load(calib)
    out = os.path.join(t, "out.tflite")

    def save(n, a):
        p = os.path.join(t, n)
        np.save(p, a)
        return p

    bad_op = os.path.join(t, "unsupported_float.tflite")
    if unsupported_model(bad_op):
        expect_failure(tools, "names the unsupported operator (EXP)",
                       [bad_op, "--calib", g("relu.calib.npy")], out,
                       says=r"(?-i:\bEXP\b)")
    else:
        tap.result(True, "quantize names the unsupported operator # SKIP "
                   "this TFLite package has no flatbuffer schema to make one")
    expect_failure(tools, "says the calibration shape does not match",
                   [fm, "--calib", g("digits.calib.npy")], out, says="shape")
    expect_failure(tools, "says float64 calibration is the wrong type",
                   [fm, "--calib", save("f64.npy", c.astype(np.float64))],
                   out, says=r"float64|<f8|\bf8\b|type")
    expect_failure(tools, "says int8 calibration is the wrong type",
                   [fm, "--calib", save("i8.npy", c.astype(np.int8))],
                   out, says=r"int8|\bi1\b|type")
    expect_failure(tools, "refuses an empty calibration set",
                   [fm, "--calib", save("empty.npy", c[:0])], out,
                   says="empty|no (calibration )?samples?|0 samples")
    os.makedirs(os.path.join(t, "emptydir"))
    expect_failure(tools, "refuses an empty calibration folder",
                   [fm, "--calib", os.path.join(t, "emptydir")], out,
                   says="empty|no .*npy|no (calibration )?samples?")
    expect_failure(tools, "says a calibration file is missing",
                   [fm, "--calib", os.path.join(t, "nope.npy")], out,
                   says="nope.npy")
    expect_failure(tools, "says the model is missing",
                   [os.path.join(t, "nope.tflite"), "--calib", calib], out,
                   says="nope.tflite")
    expect_failure(tools, "refuses a file that is not a model",
                   [calib, "--calib", calib], out)
    with open(fm, "rb") as f:
        trunc = os.path.join(t, "trunc.tflite")
        with open(trunc, "wb") as o:
            o.write(f.read(200))
    expect_failure(tools, "refuses a truncated model",
                   [trunc, "--calib", calib], out)
    with open(os.path.join(t, "notnpy.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00garbage")
    expect_failure(tools, "refuses a calibration file that is not an .npy",
                   [fm, "--calib", os.path.join(t, "notnpy.npy")], out)
    expect_failure(tools, "refuses an output in a missing folder",
                   [fm, "--calib", calib], os.path.join(t, "no", "o.tflite"))
    expect_failure(tools, "without --calib is a usage error", [fm], out,
                   rcs=(2,), says="calib")
    expect_failure(tools, "with an unknown option is a usage error",
                   [fm, "--calib", calib, "--frobnicate"], out, rcs=(2,),
                   says="frobnicate")
    expect_failure(tools, "refuses an int8 model as the float model",
                   [g("conv_relu.tflite"), "--calib", calib], out,
                   says="int8")
    for bad in (["--method", "bogus"], ["--method", "percentile:0"],
                ["--method", "percentile:101"], ["--method", "percentile:x"],
                ["--io", "int4"], ["--max-samples", "0"],
                ["--max-samples", "-1"], ["--max-samples", "abc"]):
        expect_failure(tools, "with %s is a usage error" % " ".join(bad),
                       [fm, "--calib", calib] + bad, out, rcs=(2,),
                       says=bad[0].lstrip("-").split("-")[0] + "|" +
                       re.escape(bad[1]))

    # A folder of one-sample files is the same calibration set as the stack.
    folder = os.path.join(t, "calibdir")
    os.makedirs(folder)
    for i, s in enumerate(c):
        np.save(os.path.join(folder, "s%03d.npy" % i), s)
    a, b = os.path.join(t, "a.tflite"), os.path.join(t, "b.tflite")
    rca, erra = qaccel(r.tool, "quantize", fm, "--calib", calib, "-o", a)
    rcb, errb = qaccel(r.tool, "quantize", fm, "--calib", folder, "-o", b)
    ok = rca == 0 and rcb == 0 and os.path.exists(a) and \
        os.path.exists(b) and open(a, "rb").read() == open(b, "rb").read()
    tap.result(ok, "quantize: a folder of %d one-sample .npy files gives the "
               "bytes the stacked .npy gives" % len(c),
               "exit %d / %d: %s %s" % (rca, rcb, erra, errb))
    shutil.rmtree(t, ignore_errors=True)
