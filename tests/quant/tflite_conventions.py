"""What TFLite's full-integer quantization prescribes, checked on a model
file through its interpreter: int8 activations with one scale each; weights
symmetric int8 in [-127, 127], per output channel for convolutions; int32
bias at input scale x weight scale; the fixed output parameters of softmax,
logistic and tanh; operators that move values keep their input's
parameters."""
import numpy as np

WEIGHTED = {"CONV_2D": 0, "DEPTHWISE_CONV_2D": 3, "FULLY_CONNECTED": None}
FIXED_OUT = {"SOFTMAX": (1 / 256, -128), "LOGISTIC": (1 / 256, -128),
             "TANH": (1 / 128, 0)}
SAME_AS_INPUT = {"MAX_POOL_2D", "AVERAGE_POOL_2D", "RESHAPE", "PAD",
                 "SQUEEZE"}


def _q(t):
    p = t["quantization_parameters"]
    return np.asarray(p["scales"]), np.asarray(p["zero_points"])


def _activation(t, what):
    s, z = _q(t)
    if t["dtype"] != np.int8:
        return ["%s '%s' is %s, not int8" % (what, t["name"],
                                             np.dtype(t["dtype"]).name)]
    if len(s) != 1 or not s[0] > 0:
        return ["%s '%s' has scales %s" % (what, t["name"], s)]
    return []


def _weights(it, op, w, b, cin):
    """Problems with weight tensor w and bias b (or None) of operator op."""
    out = []
    ws, wz = _q(w)
    data = it.get_tensor(w["index"])
    if w["dtype"] != np.int8 or np.any(wz != 0) or data.min() < -127:
        out.append("%s weights '%s': %s, zero points %s, min %d: not "
                   "symmetric int8 in [-127, 127]" % (
                       op, w["name"], np.dtype(w["dtype"]).name,
                       np.unique(wz), int(data.min())))
    dim = WEIGHTED[op]
    qd = w["quantization_parameters"]["quantized_dimension"]
    if dim is not None and (len(ws) != data.shape[dim] or qd != dim):
        out.append("%s weights '%s': %d scales on dimension %d, want one per "
                   "output channel (%d on dimension %d)" % (
                       op, w["name"], len(ws), qd, data.shape[dim], dim))
    if b is None:
        return out
    bs, bz = _q(b)
    want = cin * ws
    if b["dtype"] != np.int32 or np.any(bz != 0) or len(bs) != len(ws) or \
            not np.allclose(bs, want, rtol=1e-5, atol=0):
        out.append("%s bias '%s': %s scales %s zero points %s, want int32 at "
                   "input scale x weight scale %s" % (
                       op, b["name"], np.dtype(b["dtype"]).name, bs[:4],
                       np.unique(bz), want[:4]))
    return out


def check(it):
    """it: an interpreter (not yet allocated) on the model; returns a list of
    problems, empty when the model follows the conventions."""
    it.allocate_tensors()
    tensors = {t["index"]: t for t in it.get_tensor_details()}
    problems = []
    for od in it._get_ops_details():
        op = od["op_name"]
        ins = [tensors[i] for i in od["inputs"] if i >= 0]
        outs = [tensors[i] for i in od["outputs"]]
        if op == "DELEGATE":
            continue
        if op != "QUANTIZE" or ins[0]["dtype"] == np.int8:
            problems += _activation(ins[0], op + " input")
        if op != "DEQUANTIZE":
            problems += _activation(outs[0], op + " output")
        if op in WEIGHTED and ins[0]["dtype"] == np.int8:
            bias = ins[2] if len(ins) > 2 else None
            problems += _weights(it, op, ins[1], bias, _q(ins[0])[0][0])
        if op in FIXED_OUT:
            s, z = _q(outs[0])
            want = FIXED_OUT[op]
            if len(s) != 1 or s[0] != np.float32(want[0]) or z[0] != want[1]:
                problems.append("%s output scale %s zero point %s, TFLite "
                                "prescribes %g, %d" % (op, s, z, *want))
        if op in SAME_AS_INPUT:
            si, zi = _q(ins[0])
            so, zo = _q(outs[0])
            if not (np.array_equal(si, so) and np.array_equal(zi, zo)):
                problems.append("%s output (%s, %s) differs from its input "
                                "(%s, %s)" % (op, so, zo, si, zi))
    return problems
