#!/bin/sh
# TAP: the opencl backend on every OpenCL device here. cl_check's quick
# mode (every command, random cases, bit for bit against the reference),
# the golden models through the opencl backend, and the program cache: a
# second process loads the binary, and a corrupt entry (bad checksum,
# truncated, a binary the driver refuses) is rebuilt, not trusted.
cd "$(dirname "$0")/../.." || exit 1
b=build/tests
[ -x $b/cl_check ] || { echo "1..0 # SKIP OpenCL headers or loader not found at build time"; exit 0; }
if ! $b/cl_check --build-info >/dev/null 2>&1; then
	echo "1..0 # SKIP no OpenCL device found (clinfo -l lists them)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/tap"
: >"$out"
ok() {	# ok COND NAME
	if [ "$1" = 0 ]; then echo "ok - $2" >>"$out"; else echo "not ok - $2" >>"$out"; fi
}

# Sub-runs that print TAP: their lines, and a "not ok" if one broke off.
for run in "$b/cl_check" "$b/check_golden --backend opencl"; do
	res=$($run 2>&1)
	rc=$?
	plan=$(echo "$res" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p' | head -n 1)
	got=$(echo "$res" | grep -c '^\(not \)\{0,1\}ok')
	echo "$res" | sed -n "s|^\(not \)\{0,1\}ok [0-9]* - |&[${run##*/}] |p; /^#/p" >>"$out"
	if [ "$rc" -ne 0 ] || [ "$got" != "$plan" ]; then
		echo "not ok - [${run##*/}] exited $rc after $got of $plan tests" >>"$out"
	fi
done

# The program cache, in a cache directory of its own.
export XDG_CACHE_HOME="$tmp/cache"
info() { $b/cl_check --build-info; }
first=$(info)
echo "$first" | grep -q '^from_cache 0 rejected 0'; ok $? "cache: first process builds from source ($first)"
entry=$(ls "$XDG_CACHE_HOME"/qaccel/opencl/*.bin 2>/dev/null | head -n 1)
[ -n "$entry" ]; ok $? "cache: an entry was written under XDG_CACHE_HOME/qaccel/opencl"
second=$(info)
echo "$second" | grep -q '^from_cache 1 rejected 0'; ok $? "cache: second process loads the binary ($second)"
ms=$(echo "$second" | sed -n 's/.*build_ms \([0-9]*\).*/\1/p')
echo "# second process program load: ${ms} ms"

corrupt() {	# corrupt NAME COMMAND: damage the entry, expect a rebuild, then a hit
	sh -c "$2" 2>/dev/null
	r=$(info)
	echo "$r" | grep -q '^from_cache 0 rejected 1'; ok $? "cache: $1 entry rebuilt, not trusted ($r)"
	r=$($b/cl_check --count 2 --device 0 2>&1)
	ok $? "cache: kernels after a $1 entry still bit-exact"
	r=$(info)
	echo "$r" | grep -q '^from_cache 1 rejected 0'; ok $? "cache: the rewritten entry is used again"
}
size=$(stat -c %s "$entry")
corrupt "bit-flipped" "printf '\\377' | dd of='$entry' bs=1 seek=$((size - 100)) conv=notrunc"
corrupt "truncated" "truncate -s $((size / 2)) '$entry'"
corrupt "empty" ": > '$entry'"
# A well-formed entry whose binary is garbage: the checksum matches, the
# driver must refuse it and the program be built again.
corrupt "garbage-binary" "python3 tests/opencl/forge-cache-entry.py '$entry'"

n=$(grep -c '^\(not \)\{0,1\}ok' "$out")
echo "1..$n"
awk '/^(not )?ok/ { i++; sub(/ok( [0-9]+)? - /, "ok " i " - "); } { print }' "$out"
