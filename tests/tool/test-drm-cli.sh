#!/bin/sh
# TAP: the drm backend from the qaccel tool on a machine without a qaccel
# device: --backend drm fails with a message that says why and what to do
# (never a crash), auto falls back and still gives TFLite's bytes, and
# qaccel info says why drm is unavailable. QACCEL_DRM_DEVICE points the
# backend at a directory with no qaccel node, so the checks hold even on
# a machine that has one; only the check of the default place needs none.
cd "$(dirname "$0")/../.." || exit 1
q=build/qaccel
m=tests/golden/models
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/dri"
ln -s /dev/null "$t/dri/renderD128"	# a node that is not DRM at all
# shellcheck source=tests/tap-ok.sh
. tests/tap-ok.sh
run() {	# run ARGS...: rc in $rc, stdout in $t/out, stderr in $t/err
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
}
has() { grep -q -- "$1" "$t/$2"; echo $?; }

if ! $q info 2>/dev/null | grep -q '^  drm'; then
	echo "1..0 # SKIP $q not built"
	exit 0
fi
if $q info | grep -q "drm .*not built into"; then
	echo "1..0 # SKIP libqaccel built without libdrm (libdrm-dev)"
	exit 0
fi
echo "1..10"

export QACCEL_DRM_DEVICE="$t/dri"
run $q run $m/digits.tflite --input $m/digits.input.npy --backend drm -o "$t/y.npy"
ok "--backend drm without a device exits 1" "$([ $rc = 1 ]; echo $?)" "$t/err"
ok "... saying there is no qaccel device and where it looked" \
	"$(grep -q "no qaccel device.*$t/dri" "$t/err"; echo $?)" "$t/err"
ok "... and writing no output" "$([ ! -e "$t/y.npy" ]; echo $?)"

run $q run $m/digits.tflite --input $m/digits.input.npy -v -o "$t/y.npy"
ok "auto without a device runs" "$rc" "$t/err"
ok "... says why it did not take drm (-v)" "$(has 'auto: no drm backend' err)" "$t/err"
tail -c 30 $m/digits.ref.npy >"$t/want.raw"
tail -c 30 "$t/y.npy" >"$t/got.raw" 2>/dev/null
ok "... and gives TFLite's reference bytes" \
	"$(cmp -s "$t/got.raw" "$t/want.raw"; echo $?)"

run $q info
ok "info says why drm is unavailable" \
	"$(grep -q '^  drm  *unavailable: no qaccel device' "$t/out"; echo $?)" "$t/out"

QACCEL_DRM_DEVICE=/nonexistent/renderD128 \
	run $q run $m/digits.tflite --input $m/digits.input.npy --backend drm
ok "a device path that does not exist is named" \
	"$([ $rc = 1 ] && grep -q '/nonexistent/renderD128: No such file' "$t/err"; echo $?)" "$t/err"

run $q run $m/digits.tflite --input $m/digits.input.npy --backend drm \
	--device /dev/null
ok "--device names a node, and one that is not DRM is refused as such" \
	"$([ $rc = 1 ] && grep -q '/dev/null is not a DRM device' "$t/err"; echo $?)" "$t/err"

unset QACCEL_DRM_DEVICE
if $q info | grep -q '^  drm  *qaccel at'; then
	n=$((n + 1))
	echo "ok $n - the default place # SKIP this machine has a qaccel device"
else
	run $q run $m/digits.tflite --input $m/digits.input.npy --backend drm
	ok "the default place: exit 1 and a pointer to qaccel.ko" \
		"$([ $rc = 1 ] && grep -q 'is qaccel.ko loaded' "$t/err"; echo $?)" "$t/err"
fi
