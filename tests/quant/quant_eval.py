"""The figures both sides of the accuracy anchor are measured with, so TF's
quantized models (make_anchor.py) and qaccel's (check_quant.py) are judged
by the same code: numpy only."""
import numpy as np

EVAL_SET_DOC = ("32 images uniform in [-1, 1), numpy "
                "default_rng(20261125).uniform, float32 [32, 1, 96, 96, 3]; "
                "output SQNR in dB = 10 log10(sum f^2 / sum (f - q)^2) over "
                "every logit of every image, f the float model's output in "
                "TFLite, q the int8 model's output dequantized")


def mobilenet_eval_set():
    """Held-out inputs for the MobileNet-style network (its calibration set
    is 16 other images from another seed)."""
    r = np.random.default_rng(20261125)
    return r.uniform(-1, 1, (32, 1, 96, 96, 3)).astype(np.float32)


def quantize(x, scale, zero_point):
    """float -> int8 the way TFLite's QUANTIZE does (round half away from
    zero, then saturate)."""
    v = np.asarray(x, np.float64) / scale
    q = np.sign(v) * np.floor(np.abs(v) + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def dequantize(q, scale, zero_point):
    return (np.asarray(q, np.float64) - zero_point) * scale


def accuracy(scores, labels):
    """scores: [N, 1, classes] (or [N, classes]); labels: [N]."""
    pred = np.asarray(scores).reshape(len(labels), -1).argmax(1)
    return float((pred == labels).mean())


def sqnr_db(ref, got):
    ref = np.asarray(ref, np.float64)
    noise = np.sum((ref - np.asarray(got, np.float64)) ** 2)
    if noise == 0:
        return float("inf")
    return float(10 * np.log10(np.sum(ref ** 2) / noise))


def run_interpreter(it, xs):
    """Runs a TFLite interpreter (allocated) on each sample of xs (stacked
    on axis 0); returns the outputs stacked the same way."""
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    ys = []
    for x in xs:
        it.set_tensor(inp["index"], x)
        it.invoke()
        ys.append(it.get_tensor(out["index"]).copy())
    return np.stack(ys)
