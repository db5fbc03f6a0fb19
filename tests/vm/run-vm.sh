#!/bin/sh
# Boots a kernel with the test initramfs under QEMU (TCG: no KVM here) and
# collects what the VM says: the tests' output from the second serial port
# into OUT.tap.log, the kernel console from the first into OUT.console.log.
#
#   tests/vm/run-vm.sh KERNEL INITRAMFS OUT
#
# Environment: VM_TIMEOUT (seconds for the whole run, default 280),
# VM_SMP (CPUs, default 2), VM_MEM (default 1G), VM_APPEND (more kernel
# parameters). Exit status: QEMU's, or 124 when the run timed out.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 KERNEL INITRAMFS OUT" >&2; exit 2; }
kernel=$1 initrd=$2 out=$3
qemu=${QEMU:-qemu-system-x86_64}

: >"$out.tap.log"
: >"$out.console.log"
# panic=-1 with -no-reboot: a panic ends QEMU at once instead of waiting
# for the timeout. Two CPUs so that the concurrency tests race for real.
# The per-program limit inside is a bit under the whole run's.
timeout=${VM_TIMEOUT:-280}
status=0
timeout -k 5 "$timeout" "$qemu" -accel tcg -machine q35 -cpu max \
	-smp "${VM_SMP:-2}" -m "${VM_MEM:-1G}" \
	-nographic -no-reboot -nodefaults -display none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0,115200 panic=-1 \
loglevel=7 ignore_loglevel printk.time=1 nokaslr mitigations=off \
qaccel_vm.timeout=$((timeout - 40)) ${VM_APPEND:-}" \
	-serial "file:$out.console.log" -serial "file:$out.tap.log" \
	-monitor none </dev/null || status=$?
exit "$status"
