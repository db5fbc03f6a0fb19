#!/bin/sh
# Checks freestanding reference-engine objects the way the kernel module
# will link them: all together, the only outside symbols allowed are
# memcpy and memset (the kernel has both; the compiler may emit them for
# struct copies and loops). A call into libc, a soft-float helper
# (__floatsidf...), a stack-protector hook or a function that only
# userspace defines shows up here as an undefined symbol. No thread-local
# data and no constructors either: the kernel has neither.
#
#   scripts/check-freestanding.sh OBJ...   (prints problems; exit 1 if any)
set -eu
[ $# -gt 0 ] || { echo "usage: $0 OBJ..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ld -r resolves references between the objects (and fails on a symbol
# defined twice, which the module link would reject too).
ld -r -o "$tmp/all.o" "$@"

bad=0
for sym in $(nm -u "$tmp/all.o" | awk '{ print $NF }'); do
	case $sym in
	memcpy | memset) ;;
	*)
		echo "needs '$sym', which the kernel module cannot provide"
		bad=1
		;;
	esac
done

for sec in $(LC_ALL=C readelf -SW "$tmp/all.o" |
	sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\).*/\1/p'); do
	case $sec in
	.tdata* | .tbss* | .init_array* | .fini_array* | .ctors* | .dtors*)
		echo "has section $sec (thread-local data or constructors)"
		bad=1
		;;
	esac
done
exit $bad
