#!/bin/sh
# make bench-vm: boots the bench VM that mk/74-bench-vm.mk packed (qaccel.ko
# and tests/bench/bench_drm.c) and prints the bench's table, or what went
# wrong: the module did not load, the bench failed, the VM did not finish.
#
#   tests/vm/bench-vm.sh DIR     (DIR holds initramfs.cpio.gz and kver)
set -u

dir=$1
here=$(dirname "$0")
kver=$(cat "$dir/kver") || exit 1
kernel=${VM_KERNEL:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || { echo "bench-vm: $kernel missing (linux-image-$kver;" \
	"make deps)" >&2; exit 1; }

# One vCPU unless asked: under TCG, waking a second, idle vCPU waits for
# its next timer tick (4 ms at HZ=250), which would swamp the driver's
# own cost in the round trips.
smp=${BENCH_VM_SMP:-1}
echo "bench-vm: booting $kernel under QEMU, $smp vCPU (BENCH_VM_SMP); TCG"
echo "emulates the CPU, so compare the rows with each other, not machines"
VM_SMP=$smp "$here/run-vm.sh" "$kernel" "$dir/initramfs.cpio.gz" "$dir/out" \
	>"$dir/qemu.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "bench-vm: QEMU exited $rc"; cat "$dir/qemu.log"; }
awk '
	{ sub(/\r$/, "") }
	$1 == "@@vm" && $2 == "insmod" && $3 != "ok" { print "bench-vm: " $0; bad = 1 }
	$1 == "@@vm" && $2 == "run" { on = 1; next }
	$1 == "@@vm" && $2 == "exit" { on = 0; ran = 1
		if ($4 != 0) { print "bench-vm: the bench exited " $4; bad = 1 } }
	$1 == "@@vm" && $2 == "done" { done = 1 }
	on { print }
	END {
		if (!ran) { print "bench-vm: the bench never ran"; bad = 1 }
		if (!done) { print "bench-vm: the VM did not finish"; bad = 1 }
		exit bad
	}' "$dir/out.tap.log"
