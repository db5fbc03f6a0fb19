"""One TensorFlow Lite measurement for tests/bench/bench_cpu.py, in its
own process so that its peak memory is its own:

    python bench_tflite_one.py MODEL xnnpack|default|ref THREADS RUNS

prints "median_ms min_ms peak_rss_kib base_rss_kib first_ms" like
bench_qaccel_one: latency of Interpreter.invoke() after one warm-up, the
peak resident set, the resident set before the model was loaded (Python
and the runtime itself), and the latency of the first invoke() after
allocate_tensors() (the warm-up), timed the same way. xnnpack: the interpreter's default (XNNPACK delegate); default:
TFLite's own optimised builtin kernels without the delegate; ref: the
reference kernels (BUILTIN_REF).
"""
import sys
import time

import numpy as np
from ai_edge_litert import interpreter as lite


def peak_kib():
    # VmHWM, not ru_maxrss: that keeps the forking parent's peak across exec.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def main(model, mode, threads, runs):
    kinds = lite.OpResolverType
    resolver = {"xnnpack": kinds.AUTO,
                "default": kinds.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
                "ref": kinds.BUILTIN_REF}[mode]
    base = rss_kib()
    it = lite.Interpreter(model_path=model, num_threads=threads,
                          experimental_op_resolver_type=resolver)
    it.allocate_tensors()
    d = it.get_input_details()[0]
    n = int(np.prod(d["shape"]))
    x = ((np.arange(n) * 37 + 11) % 256).astype(np.uint8).view(np.int8)
    it.set_tensor(d["index"], x.reshape(d["shape"]).astype(d["dtype"]))
    s = time.perf_counter()
    it.invoke()
    first = (time.perf_counter() - s) * 1e3
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        it.invoke()
        t.append((time.perf_counter() - s) * 1e3)
    t.sort()
    peak = peak_kib()
    print("%.4f %.4f %d %d %.4f" % (t[len(t) // 2], t[0], peak, base, first))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
