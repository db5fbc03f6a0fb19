"""Minimal TAP producer: numbered results as they come, the plan at the end
(prove accepts a trailing plan; a crash before it reads as a failure)."""
import sys

_n = 0


def diag(text):
    for line in str(text).splitlines() or [""]:
        print("# " + line)
    sys.stdout.flush()


def result(ok, name, why=""):
    """One test line; `why` is printed under a failure only."""
    global _n
    _n += 1
    print("%sok %d - %s" % ("" if ok else "not ", _n, name.replace("#", "")))
    if not ok and why:
        diag(why)
    sys.stdout.flush()
    return ok


def done():
    print("1..%d" % _n)
