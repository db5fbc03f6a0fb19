#!/bin/sh
# In the bench VM (mk/74-bench-vm.mk): the drm bench over the models packed
# with it.
# shellcheck source=tests/vm/qaccel-timeout.sh
. /bench/qaccel-timeout.sh
with_timeout 30000 /bench/bench_drm /bench/models
