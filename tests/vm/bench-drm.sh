#!/bin/sh
# In the bench VM (mk/74-bench-vm.mk): the drm bench over the models packed
# with it.
exec /bench/bench_drm /bench/models
