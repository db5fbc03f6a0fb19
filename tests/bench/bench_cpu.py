"""make bench: qaccel's ref and cpu backends against TensorFlow Lite on the
same models, in the same run, on this machine.

    python3 bench_cpu.py --qaccel BENCH_QACCEL_ONE [--tflite VENV_PYTHON]
                         NAME=MODEL.tflite:RUNS ...

Every measurement is its own process (bench_qaccel_one, bench_tflite_one.py)
so its peak memory is its own. The fast configurations are measured in
interleaved rounds (each round runs each of them once), so that load from
other processes on a shared machine falls on all of them alike; the table
gives the median over rounds of each round's median latency, and the best
single run, and the median over rounds of the first run after loading
(what a one-shot `qaccel run` pays on top of loading: qaccel packs its
weights there). The slow reference kernels get one short round.
"""
import argparse
import os
import subprocess
import sys

ROUNDS = 5
HERE = os.path.dirname(os.path.abspath(__file__))

# (label, engine, mode, threads, fast)
CONFIGS = [
    ("qaccel cpu", "qaccel", "cpu", 1, True),
    ("TFLite + XNNPACK", "tflite", "xnnpack", 1, True),
    ("qaccel cpu", "qaccel", "cpu", 2, True),
    ("TFLite + XNNPACK", "tflite", "xnnpack", 2, True),
    ("TFLite default kernels", "tflite", "default", 1, True),
    ("qaccel ref", "qaccel", "ref", 1, False),
    ("TFLite reference kernels", "tflite", "ref", 1, False),
]


def measure(args, model, engine, mode, threads, runs):
    if engine == "qaccel":
        cmd = [args.qaccel, model, mode, str(threads), str(runs)]
    else:
        if not args.tflite:
            return None, "TFLite not installed"
        cmd = [args.tflite, os.path.join(HERE, "bench_tflite_one.py"), model, mode,
               str(threads), str(runs)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode < 0:
        return None, "the process died of signal %d" % -p.returncode
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["failed"])[-1]
    med, best, peak, base, first = p.stdout.split()
    return (float(med), float(best), int(peak), int(base), float(first)), None


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


def bench_model(args, name, model, runs):
    results = {c: [] for c in CONFIGS}
    errors = {}
    for r in range(ROUNDS):
        for c in CONFIGS:
            if not c[4] and r > 0:
                continue
            n = runs if c[4] else max(1, runs // 20)
            res, err = measure(args, model, c[1], c[2], c[3], n)
            if err:
                errors[c] = err
            else:
                results[c].append(res)
    xnn = {}
    for c in CONFIGS:
        if c[1] == "tflite" and c[2] == "xnnpack" and results[c]:
            xnn[c[3]] = median([x[0] for x in results[c]])
    print("\n%s  (%s)" % (name, os.path.basename(model)))
    print("  %-26s %7s %11s %10s %12s %11s %11s %12s" % (
        "engine", "threads", "median us", "best us", "vs XNNPACK", "peak MiB",
        "model MiB", "1st run us"))
    summary = []
    for c in CONFIGS:
        label, engine, mode, threads, fast = c
        if not results[c]:
            print("  %-26s %7d   unavailable: %s" % (label, threads, errors.get(c, "?")))
            continue
        med = median([x[0] for x in results[c]])
        best = min(x[1] for x in results[c])
        peak = max(x[2] for x in results[c]) / 1024
        grown = max(x[2] - x[3] for x in results[c]) / 1024
        first = median([x[4] for x in results[c]])
        ratio = "%.2fx" % (med / xnn[threads]) if threads in xnn else "-"
        print("  %-26s %7d %11.2f %10.2f %12s %11.1f %11.1f %12.2f" % (
            label, threads, med * 1e3, best * 1e3, ratio, peak, grown, first * 1e3))
        if engine == "qaccel" and mode == "cpu" and threads in xnn:
            summary.append((threads, med / xnn[threads]))
    return summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qaccel", required=True)
    ap.add_argument("--tflite", default="")
    ap.add_argument("models", nargs="+")
    args = ap.parse_args()
    print("Latency of one inference (loading excluded), %d interleaved rounds;" % ROUNDS)
    print("vs XNNPACK: median latency over TFLite + XNNPACK's at the same thread")
    print("count (below 1.00x: qaccel is faster). peak MiB: the process's peak")
    print("resident set; model MiB: its growth from loading and running the model.")
    print("TFLite is timed around Interpreter.invoke() from Python, so its latency")
    print("includes the binding's cost per call: the per-call floor row shows it.")
    print("1st run us: the first inference after loading (qaccel packs its weights")
    print("there), median over rounds.")
    verdict = []
    for spec in args.models:
        name, rest = spec.split("=", 1)
        model, runs = rest.rsplit(":", 1)
        for threads, ratio in bench_model(args, name, model, int(runs)):
            # A floor row shows per-call costs; it is not one of the goals.
            if "floor" not in name:
                verdict.append((name, threads, ratio))
    if verdict:
        print("\nqaccel cpu against TFLite + XNNPACK (median ratio; <= 1.00 is the goal):")
        for name, threads, ratio in verdict:
            print("  %-40s %d thread%s  %.2fx  %s" % (
                name, threads, "" if threads == 1 else "s", ratio,
                "ok" if ratio <= 1.0 else "SLOWER"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
