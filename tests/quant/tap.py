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


def skip(name, why):
    """A test that cannot run here, and why (counts as neither pass nor
    failure for prove)."""
    global _n
    _n += 1
    print("ok %d - %s # SKIP %s" % (_n, name.replace("#", ""),
                                    why.replace("\n", " ")))
    sys.stdout.flush()


def done():
    print("1..%d" % _n)
