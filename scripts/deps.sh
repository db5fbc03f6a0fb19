#!/bin/sh
# Installs the Debian packages qaccel's build and tests need, only those
# missing. Idempotent and quick when everything is present.
set -eu

PKGS="build-essential clang llvm libclang-rt-14-dev pkg-config perl xz-utils
python3 python3-numpy linux-headers-amd64 linux-image-amd64 linux-source-6.1
qemu-system-x86 busybox-static cpio kmod libdrm-dev sparse
pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo libclblast-dev"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: need root (or sudo) to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
