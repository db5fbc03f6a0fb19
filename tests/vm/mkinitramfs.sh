#!/bin/sh
# Builds the test VM's initramfs (gzip'd cpio, newc): busybox (static),
# tests/vm/init, the module and every module it needs from the kernel's
# tree (resolved through modinfo and modules.dep, loaded in dependency
# order), and the test programs, which must be static (no libc inside).
#
#   tests/vm/mkinitramfs.sh OUT.cpio.gz KVER MODULE.ko [TEST...]
#
# KVER names /lib/modules/KVER, where the dependencies are taken from.
# Each TEST (a static program or a busybox sh script printing TAP) lands in
# /tests and is run by init in name order. VM_OVERLAY adds other files.
set -eu

[ $# -ge 3 ] || { echo "usage: $0 OUT.cpio.gz KVER MODULE.ko [TEST...]" >&2
	exit 2; }
out=$1 kver=$2 module=$3
shift 3
here=$(dirname "$0")
moddir=/lib/modules/$kver
busybox=${BUSYBOX:-/bin/busybox}

[ -f "$moddir/modules.dep" ] || { echo "$moddir/modules.dep missing" \
	"(linux-image-$kver)" >&2; exit 1; }
[ -f "$module" ] || { echo "$module missing (make module)" >&2; exit 1; }
# busybox-static's binary; the dynamic one would need a libc inside.
if ! "$busybox" ls >/dev/null 2>&1 || ldd "$busybox" >/dev/null 2>&1; then
	echo "$busybox is not a static busybox (busybox-static)" >&2
	exit 1
fi

root=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tests" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"

# Dependencies before dependants, each module once: the module's own
# list from modinfo, then modules.dep (paths; names use - and _
# interchangeably) for theirs, depth first.
deps=$(modinfo -F depends "$module" | tr , ' ')
mods=$(awk -v want="$deps" '
	function norm(s) { sub(/.*\//, "", s); sub(/\.ko(\..*)?$/, "", s)
		gsub(/-/, "_", s); return s }
	function visit(p,    i, n, a) {
		if (p in seen) return
		seen[p] = 1
		n = split(dep[p], a, " ")
		for (i = 1; i <= n; i++) visit(a[i])
		print p
	}
	{ p = $1; sub(/:$/, "", p); dep[p] = $0; sub(/^[^:]*:/, "", dep[p])
	  path[norm(p)] = p }
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) {
			if (!(norm(w[i]) in path)) {
				print "missing " w[i]; exit 1
			}
			visit(path[norm(w[i])])
		}
	}' "$moddir/modules.dep") || { echo "$module needs a module not in" \
	"$moddir: $mods" >&2; exit 1; }
: >"$root/modules.order"
for p in $mods; do
	case "$p" in *.ko) ;; *) echo "$p: compressed modules are not" \
		"supported (busybox insmod)" >&2; exit 1 ;; esac
	cp "$moddir/$p" "$root/lib/modules/"
	echo "lib/modules/${p##*/}" >>"$root/modules.order"
done
cp "$module" "$root/lib/modules/qaccel.ko"
echo "lib/modules/qaccel.ko" >>"$root/modules.order"

for t in "$@"; do
	case "$t" in
	*.sh) ;;
	*) if ldd "$t" >/dev/null 2>&1; then
		echo "$t is not statically linked" >&2; exit 1
	fi ;;
	esac
	cp "$t" "$root/tests/"
done

# VM_OVERLAY (environment): directories whose contents are copied into
# the root as they are: data the tests read, programs they call.
for d in ${VM_OVERLAY:-}; do
	[ -d "$d" ] || { echo "VM_OVERLAY: $d is not a directory" >&2; exit 1; }
	cp -R "$d/." "$root/"
done

# Fixed owner and times, sorted names: the same inputs give the same bytes.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | \
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -1 -n >"$out.tmp"
mv -f "$out.tmp" "$out"
