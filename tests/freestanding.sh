#!/bin/sh
# TAP: the reference engine builds as the kernel module needs it. One line
# per runtime/ref/*.c, from the log of its freestanding compile (no libc
# headers, no FPU/vector registers, no VLAs, frames under 1 KiB, kernel
# warnings as errors; flags in mk/20-ref.mk), then one line for the objects
# linked together (scripts/check-freestanding.sh: memcpy/memset only).
# make check (or make) compiles first; run alone, stale results fail.
cd "$(dirname "$0")/.." || exit 1
fs=${BUILD:-build}/freestanding

n=0
for src in runtime/ref/*.c; do
	[ -f "$src" ] && n=$((n + 1))
done
echo "1..$((n + 1))"
if [ "$n" -eq 0 ]; then
	echo "not ok 1 - no runtime/ref/*.c"
	exit 1
fi

i=0
fail=0
objs=""
for src in runtime/ref/*.c; do
	i=$((i + 1))
	log=$fs/${src%.c}.log
	obj=$fs/${src%.c}.o
	if [ ! -f "$log" ] || [ -n "$(find "$src" -newer "$log")" ]; then
		echo "not ok $i - $src: not compiled freestanding (make $log)"
		fail=1
	elif [ -f "$obj" ] && [ ! -s "$log" ]; then
		echo "ok $i - $src compiles freestanding"
		objs="$objs $obj"
	else
		echo "not ok $i - $src compiles freestanding"
		sed 's/^/# /' "$log" >&2
		fail=1
	fi
done

# The objects that did compile are still checked: both reports at once.
i=$((i + 1))
# shellcheck disable=SC2086
if [ -z "$objs" ]; then
	echo "not ok $i - objects link with memcpy/memset only (none compiled)"
	fail=1
elif out=$(scripts/check-freestanding.sh $objs 2>&1) && [ "$fail" -eq 0 ]; then
	echo "ok $i - objects link with memcpy/memset only"
else
	echo "not ok $i - objects link with memcpy/memset only"
	[ "$fail" -eq 0 ] || echo "# (only the objects that compiled were checked)" >&2
	echo "$out" | sed 's/^/# /' >&2
	fail=1
fi
exit $fail
