#!/bin/sh
# In the test VM (mk/72-vm-golden.mk): every golden model through qaccel.ko
# on the drm backend, compared byte for byte with TensorFlow Lite's
# reference-kernel outputs; check_golden prints the TAP.
# shellcheck source=tests/vm/qaccel-timeout.sh
. /golden/qaccel-timeout.sh
with_timeout 30000 /golden/check_golden --backend drm /golden/models
