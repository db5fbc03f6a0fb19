#!/bin/sh
# TAP: every kernel-side source (uapi/, driver/, runtime/ref/) passes the
# kernel's checkpatch.pl --strict with no ERROR, WARNING or CHECK. One test
# line per file; checkpatch's report follows a failing line as comments.
#
#   tests/checkpatch.sh [FILE...]   (default: every kernel-side file)
#
# runtime/ref/qaccel_ref_types_user.h is left out: it is the userspace
# spelling of the kernel types (int8_t...), never built in the kernel.
cd "$(dirname "$0")/.." || exit 1
cp=${CHECKPATCH:-build/kscripts/checkpatch.pl}

if [ $# -eq 0 ]; then
	for f in uapi/*.h driver/*.c driver/*.h runtime/ref/*.c runtime/ref/*.h; do
		case $f in
		*/qaccel_ref_types_user.h) ;;
		*) [ -f "$f" ] && set -- "$@" "$f" ;;
		esac
	done
fi

# A missing checker or an empty list is a failure, never a skip.
if [ ! -f "$cp" ]; then
	echo "1..1"
	echo "not ok 1 - $cp missing (make $cp)"
	exit 1
fi
if [ $# -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - no kernel-side files found"
	exit 1
fi

echo "1..$#"
i=0
fail=0
for f in "$@"; do
	i=$((i + 1))
	if out=$(perl "$cp" --strict --no-tree --quiet -f "$f" 2>&1) &&
	   [ -z "$out" ]; then
		echo "ok $i - $f"
	else
		echo "not ok $i - $f"
		echo "$out" | sed 's/^/# /' >&2
		fail=1
	fi
done
exit $fail
