#!/bin/sh
# TAP: every kernel-side file passes the kernel's checkpatch.pl --strict.
cd "$(dirname "$0")/.." || exit 1
cp=${CHECKPATCH:-build/kscripts/checkpatch.pl}
files=$(ls uapi/*.h driver/*.c driver/*.h runtime/ref/*.c runtime/ref/*.h 2>/dev/null |
	grep -v 'qaccel_ref_types_user.h')
if [ ! -f "$cp" ]; then
	echo "1..0 # SKIP $cp missing (run make)"
	exit 0
fi
n=$(echo "$files" | wc -w)
echo "1..$n"
i=0
for f in $files; do
	i=$((i + 1))
	out=$(perl "$cp" --strict --no-tree --quiet -f "$f" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $i - $f"
	else
		echo "not ok $i - $f"
		echo "$out" | sed 's/^/# /'
	fi
done
