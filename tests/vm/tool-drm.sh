#!/bin/sh
# In the test VM (mk/72-vm-golden.mk): the qaccel tool where a qaccel
# device is present: info describes it, auto picks drm, and runs on drm
# give TensorFlow Lite's reference bytes. TAP.
q=/golden/qaccel
m=/golden/models
t=/tmp/tool-drm
mkdir -p $t
# shellcheck source=tests/tap-ok.sh
. /golden/tap-ok.sh
echo "1..5"

$q info >$t/info 2>&1
sed 's/^/# /' $t/info
ok "info describes the device (node, driver, ABI, ISA, limits)" \
	"$(grep -q '^  drm  *qaccel at /dev/dri/renderD[0-9]*: driver .*ABI 1, ISA .*job timeout' $t/info; echo $?)" $t/info

tail -c 30 $m/digits.ref.npy >$t/want	# 3 samples x 10 int8 scores
$q run $m/digits.tflite --input $m/digits.input.npy --backend drm \
	-o $t/drm.npy 2>$t/err
ok "run --backend drm exits 0" "$?" $t/err
tail -c 30 $t/drm.npy >$t/got 2>/dev/null
ok "... and gives TFLite's reference bytes" "$(cmp -s $t/got $t/want; echo $?)"

$q run $m/digits.tflite --input $m/digits.input.npy -v -o $t/auto.npy \
	2>$t/err
ok "auto picks drm" "$(grep -q '^qaccel: backend drm (qaccel at' $t/err; echo $?)" $t/err
tail -c 30 $t/auto.npy >$t/got 2>/dev/null
ok "... and gives TFLite's reference bytes" "$(cmp -s $t/got $t/want; echo $?)"
