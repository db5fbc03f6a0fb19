#!/bin/sh
# Installs the Debian 12 packages qaccel's build and tests need, only those
# missing: one dpkg query when everything is there, apt-get (after one
# apt-get update) otherwise. As root, or through sudo.
#
#   scripts/deps.sh            install what is missing
#   scripts/deps.sh --missing  print what is missing (nothing if all there
#                              or if this is not a dpkg system); no install
set -eu

# Why each is needed, so the list can be pruned with confidence:
#   build-essential make gcc   compilers, make, nm/ld (binutils)
#   libasan8 libubsan1         gcc's ASan/UBSan runtimes (unit tests)
#   clang llvm libclang-rt-14-dev  libFuzzer and clang's sanitizer runtimes;
#                              llvm-symbolizer for readable sanitizer stacks
#   perl                       prove, checkpatch.pl
#   xz-utils linux-source-6.1  kselftest_harness.h and checkpatch.pl
#   linux-headers-amd64 kmod sparse  building qaccel.ko (make module)
#   linux-image-amd64 qemu-system-x86 busybox-static cpio
#                              booting a kernel with the module (check-vm)
#   libdrm-dev pkg-config      the drm backend; qaccel.pc
#   pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo libclblast-dev
#                              the OpenCL backend, on the CPU through PoCL
#   python3 python3-numpy      test helpers reading and writing .npy
#   gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
#                              the AArch64 build and its tests under qemu
#                              (make check-arm64: NEON and SDOT kernels)
#   python3-venv               make bench's and check-quant's virtual
#                              environments (TFLite from PyPI)
PKGS="build-essential make gcc libasan8 libubsan1
clang llvm libclang-rt-14-dev
perl xz-utils linux-source-6.1
linux-headers-amd64 kmod sparse
linux-image-amd64 qemu-system-x86 busybox-static cpio
libdrm-dev pkg-config
pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo libclblast-dev
python3 python3-numpy
gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
python3-venv"

# Not a Debian system: nothing we can check or install; say so once.
if ! command -v dpkg-query >/dev/null 2>&1; then
	[ "${1:-}" = --missing ] && exit 0
	echo "deps: no dpkg here; install by hand the equivalents of:" >&2
	echo "$PKGS" | tr '\n' ' ' >&2
	echo >&2
	exit 1
fi

# One query for all: "name status" for every package dpkg knows of.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' $PKGS \
	2>/dev/null | awk '$2 == "ii" { print $1 }') || true
missing=""
for p in $PKGS; do
	echo "$installed" | grep -qx "$p" || missing="$missing $p"
done

if [ "${1:-}" = --missing ]; then
	echo "$missing" | sed 's/^ //'
	exit 0
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: these Debian packages are missing:$missing" >&2
	echo "deps: run as root:  apt-get install$missing" >&2
	exit 1
fi

echo "deps: installing:$missing"
# sudo drops the environment, so the frontend is set through env.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends $missing
