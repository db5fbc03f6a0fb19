#!/bin/sh
# TAP: the qaccel tool as a user meets it: good runs give TFLite's bytes,
# bad flags and bad files give a message and a non-zero exit, never a crash.
cd "$(dirname "$0")/../.." || exit 1
q=build/qaccel
m=tests/golden/models
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
check() {	# check NAME EXPECTED_RC COMMAND...: rc must match, stderr must say something
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
	if [ "$rc" = "$want" ] && { [ "$want" = 0 ] || [ -s "$t/err" ]; } && [ "$rc" -lt 128 ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (exit $rc, wanted $want)"
		sed 's/^/# /' "$t/err"
	fi
}
echo "1..15"
check "info lists backends" 0 $q info
check "inspect names operators" 0 sh -c "$q inspect $m/digits.tflite | grep -q FULLY_CONNECTED"
check "run writes .npy" 0 $q run $m/digits.tflite --input $m/digits.input.npy -o "$t/y.npy"
tail -c 30 $m/digits.ref.npy > "$t/want.raw"	# 3 samples x 10 int8 scores
tail -c 30 "$t/y.npy" > "$t/got.raw" 2>/dev/null
check "output equals TFLite's reference bytes" 0 cmp "$t/got.raw" "$t/want.raw"
check "no arguments" 2 $q
check "unknown command" 2 $q frobnicate
check "unknown backend" 2 $q run $m/digits.tflite --input $m/digits.input.npy --backend warp
check "missing model" 1 $q run /nonexistent.tflite --input $m/digits.input.npy
check "input of the wrong shape" 1 $q run $m/digits.tflite --input $m/mobilenet_v2.input.npy
check "not a model" 1 $q inspect $m/digits.input.npy
check "not an npy" 1 $q run $m/digits.tflite --input $m/digits.tflite.npy
head -c 100 $m/digits.tflite > "$t/trunc.tflite"
check "truncated model" 1 $q inspect "$t/trunc.tflite"
check "cpu backend on 3 threads writes .npy" 0 $q run $m/mobilenet_v2.tflite \
	--input $m/mobilenet_v2.input.npy --backend cpu --threads 3 -o "$t/mt.npy"
check "cpu on 3 threads equals TFLite's reference" 0 cmp "$t/mt.npy" $m/mobilenet_v2.ref.npy
check "bad --threads" 2 $q run $m/digits.tflite --input $m/digits.input.npy --threads 0x
