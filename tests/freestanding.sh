#!/bin/sh
# TAP: the reference engine builds as the kernel module needs it (no libc,
# no FPU registers, no VLAs, small frames) and links only to memcpy/memset.
cd "$(dirname "$0")/.." || exit 1
echo "1..1"
if out=$(make -s build/freestanding.stamp 2>&1); then
	echo "ok 1 - runtime/ref builds freestanding with -mgeneral-regs-only"
else
	echo "not ok 1 - runtime/ref builds freestanding with -mgeneral-regs-only"
	echo "$out" | sed 's/^/# /'
fi
