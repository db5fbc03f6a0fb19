#!/bin/sh
# TAP: qaccel quantize against TensorFlow Lite (check_quant.py says what),
# in the venv tests/quant/setup-tflite.sh made. SKIP only when neither of
# TFLite's interpreter packages could be installed, with pip's reason.
cd "$(dirname "$0")/../.." || exit 1
venv=build/venv-tflite
[ -x build/qaccel ] || { echo "1..0 # SKIP build/qaccel not built"; exit 0; }
[ -f $venv.status ] || tests/quant/setup-tflite.sh $venv >&2
case $(cat $venv.status) in
ok*)	;;
*)	echo "1..0 # SKIP $(sed 's/^skip //' $venv.status)"; exit 0 ;;
esac
exec $venv/bin/python tests/quant/check_quant.py build/qaccel build/san/qaccel
