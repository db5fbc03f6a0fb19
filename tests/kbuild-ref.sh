#!/bin/sh
# TAP: runtime/ref builds as a kernel module with the kernel's own build
# (Kbuild, -Werror, modpost: no symbol the kernel does not export), from
# the log mk/20-ref.mk leaves in build/kref/ (make check builds it first).
cd "$(dirname "$0")/.." || exit 1
log=${BUILD:-build}/kref/build.log
name="runtime/ref builds as a kernel module"
echo "1..1"
stale=""
for f in runtime/ref/*.[ch] uapi/*.h; do
	[ -f "$log" ] && [ -n "$(find "$f" -newer "$log")" ] && stale=$f
done
if [ ! -f "$log" ] || [ -n "$stale" ]; then
	echo "not ok 1 - $name: not built, or older than $stale (make $log)"
	exit 1
fi
# Kbuild's warnings are errors here (-Werror); modpost's are worth a look
# too (section mismatches), so any WARNING fails.
if tail -n 1 "$log" | grep -qx "kbuild: ok" &&
   ! grep -q 'WARNING' "$log"; then
	echo "ok 1 - $name ($(head -n 1 "$log"))"
	exit 0
fi
echo "not ok 1 - $name"
# The log without Kbuild's progress lines.
grep -vE '^  (CC|LD|MODPOST|BTF) |^make: (Entering|Leaving)|^Skipping BTF' \
	"$log" | sed 's/^/# /' >&2
exit 1
