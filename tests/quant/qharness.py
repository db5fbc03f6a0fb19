"""What every part of check-quant shares: running the qaccel tool and
TFLite's interpreter on the golden models."""
import os
import subprocess

import numpy as np

try:
    from ai_edge_litert import interpreter as tfl
except ImportError:
    from tflite_runtime import interpreter as tfl

import quant_eval

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "golden", "models"))
TIMEOUT = 600


def qaccel(*args):
    """Runs the tool; returns (exit status, stderr). A hang is a failure."""
    try:
        p = subprocess.run(list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, "timed out after %d s" % TIMEOUT
    except OSError as e:
        return -1, "cannot run %s: %s" % (args[0], e)
    return p.returncode, p.stderr.decode(errors="replace")


def interpreter(path, ref):
    kw = {"experimental_op_resolver_type": tfl.OpResolverType.BUILTIN_REF} \
        if ref else {}
    it = tfl.Interpreter(model_path=path, **kw)
    it.allocate_tensors()
    return it


def model_inputs(path, xf):
    """The float samples xf as the model at path takes them: quantized
    with its input parameters when its input is int8."""
    d = tfl.Interpreter(model_path=path).get_input_details()[0]
    if d["dtype"] == np.int8:
        return quant_eval.quantize(xf, *d["quantization"])
    return xf.astype(d["dtype"])


def output_float(path, y):
    d = tfl.Interpreter(model_path=path).get_output_details()[0]
    if d["dtype"] == np.int8:
        return quant_eval.dequantize(y, *d["quantization"])
    return y


class Runner:
    def __init__(self, tool, san, tmp):
        self.tool, self.san, self.tmp = tool, san, tmp
        self.unavailable = self._unavailable()

    def _unavailable(self):
        """backend -> why not, from `qaccel info`."""
        try:
            out = subprocess.run([self.tool, "info"], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            return {"opencl": str(e)}
        res = {}
        for line in out.stdout.decode(errors="replace").splitlines():
            f = line.split(None, 2)
            if len(f) == 3 and f[1] == "unavailable:":
                res[f[0]] = "backend %s unavailable: %s" % (f[0], f[2])
        return res

    def run(self, model, x, backend):
        """qaccel run on the stacked samples x; (outputs or None, stderr)."""
        xin = os.path.join(self.tmp, "x.npy")
        yout = os.path.join(self.tmp, "y.npy")
        np.save(xin, x)
        if os.path.exists(yout):
            os.remove(yout)
        rc, err = qaccel(self.tool, "run", model, "--input", xin, "-o", yout,
                         "--backend", backend)
        if rc != 0 or not os.path.exists(yout):
            return None, "qaccel run --backend %s: exit %d: %s" % (
                backend, rc, err)
        return np.load(yout), ""

    def quantize(self, fmodel, calib, out, tool=None):
        return qaccel(tool or self.tool, "quantize", fmodel, "--calib", calib,
                      "-o", out)


