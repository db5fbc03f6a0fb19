#!/bin/sh
# TAP for prove: boots the kernel the module was built for under QEMU with
# the initramfs mk/70-vm.mk made (module, its DRM dependencies, the
# kselftests in tests/driver/), and reports every test inside, the module
# loads and unload and the kernel log (tests/vm/vm-tap.awk).
#
# Skips only where the VM cannot exist: no QEMU or no kernel image, and no
# way to install them (not a Debian system). On Debian, scripts/deps.sh
# installs both, so their absence there is a failure.
set -u

here=$(dirname "$0")
vm=${BUILD:-build}/vm
initrd=$vm/initramfs.cpio.gz

fail() {
	echo "1..1"
	echo "not ok 1 - check-vm: $*"
	exit 1
}

cannot() {	# what is missing, and the package that has it
	if command -v dpkg-query >/dev/null 2>&1; then
		fail "$1 missing: install $2 (make deps)"
	fi
	echo "1..0 # SKIP $1 missing and this is not a Debian system"
	exit 0
}

qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null 2>&1 || cannot "$qemu" qemu-system-x86
if [ ! -f "$initrd" ] || [ ! -f "$vm/kver" ]; then
	fail "$initrd not built (make check-vm builds it; qaccel.ko comes" \
		"from make module)"
fi
kver=$(cat "$vm/kver")
kernel=${VM_KERNEL:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || cannot "$kernel (the kernel qaccel.ko was built for)" \
	"linux-image-$kver"

"$here/run-vm.sh" "$kernel" "$initrd" "$vm/out" >"$vm/qemu.log" 2>&1
rc=$?
[ $rc -eq 124 ] && echo "# check-vm: the VM timed out" \
	"(VM_TIMEOUT=${VM_TIMEOUT:-280} s)"
[ $rc -ne 0 ] && [ $rc -ne 124 ] && sed 's/^/# qemu: /' "$vm/qemu.log"

awk -v progs="$(cat "$vm/progs" 2>/dev/null)" -f "$here/vm-tap.awk" \
	"$vm/out.tap.log" "$vm/out.console.log" >"$vm/result.tap"
cat "$vm/result.tap"
# Non-zero exit too, so a failure shows even if prove misreads a line.
! grep -q '^not ok' "$vm/result.tap"
